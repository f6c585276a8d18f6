"""The words trainer says (``trainer/locale/*.yaml``), and those of the packages it builds on."""

from __future__ import annotations

from sim.catalogue import Words

__all__ = ["tr"]

tr = Words("trainer", "authoring", "reports", "records", "scoring", "sim")

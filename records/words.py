"""The words records says (``records/locale/*.yaml``), and those of the packages it builds on."""

from __future__ import annotations

from sim.catalogue import Words

__all__ = ["tr"]

tr = Words("records", "scoring", "sim")

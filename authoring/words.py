"""The words authoring says (``authoring/locale/*.yaml``), and those of the packages below it."""

from __future__ import annotations

from sim.catalogue import Words

__all__ = ["tr"]

tr = Words("authoring", "scoring", "sim")

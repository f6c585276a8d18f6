"""The engine's own words (``sim/locale/*.yaml``) and the process's language.

Chinese is the first language. ``set_language`` is called once by the command line or the UI;
a caller that names no language gets that one. Every package's words are loaded the same way
(``sim.catalogue``); each package has its own ``tr`` over its catalogue and those below it.
"""

from __future__ import annotations

from sim.catalogue import LANGUAGES, Words, language, load_catalogue, set_language

__all__ = ["LANGUAGES", "set_language", "language", "tr", "catalogue", "clock"]

tr = Words("sim")


def catalogue(lang: str) -> dict[str, str]:
    """The engine's own messages in ``lang``."""
    return load_catalogue("sim", lang)


def clock(t: float) -> str:
    """Sim-seconds as the desk clock shows them: ``02:10``."""
    whole = int(t)
    return f"{whole // 60:02d}:{whole % 60:02d}"

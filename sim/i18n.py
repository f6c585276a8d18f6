"""The words the program itself says: one catalogue per language (``sim/locale/*.yaml``).

Chinese is the first language. ``set_language`` is called once by the command line or the UI;
the engine and scorer look words up with ``tr``.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["LANGUAGES", "set_language", "language", "tr", "catalogue", "clock"]

LANGUAGES = ("zh", "en")
_LOCALE_DIR = Path(__file__).with_name("locale")
_current = ["zh"]


def set_language(lang: str) -> None:
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current[0] = lang


def language() -> str:
    return _current[0]


@cache
def catalogue(lang: str) -> dict[str, str]:
    with (_LOCALE_DIR / f"{lang}.yaml").open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    flat: dict[str, str] = {}
    _flatten(data, "", flat)
    return flat


def _flatten(data: Any, prefix: str, out: dict[str, str]) -> None:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            _flatten(value, name + ".", out)
        else:
            out[name] = str(value)


def tr(msg_id: str, lang: str | None = None, /, **params: Any) -> str:
    """The message ``msg_id`` in ``lang`` (default: the current one), filled with ``params``."""
    lang = lang or _current[0]
    template = catalogue(lang).get(msg_id)
    if template is None:
        template = catalogue("zh").get(msg_id, msg_id)
    return template.format(**params) if params else template


def clock(t: float) -> str:
    """Sim-seconds as the desk clock shows them: ``02:10``."""
    whole = int(t)
    return f"{whole // 60:02d}:{whole % 60:02d}"

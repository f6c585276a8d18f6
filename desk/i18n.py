"""The desk's own words: ``desk/locale/zh.yaml`` and ``en.yaml``, loaded like ``sim/i18n.py``.

Action, module and event labels are not here: they come from ``sim/vocabulary.yaml``.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

__all__ = ["t", "catalogue", "tidy"]

# YAML's folded blocks (">-") join lines with a space, which Chinese text does not have.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\n]+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy(text: str) -> str:
    """Scenario text as shown: no stray spaces between Chinese characters."""
    return _CJK_GAP.sub("", text)


_LOCALE_DIR = Path(__file__).with_name("locale")


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


def t(msg_id: str, lang: str, /, **params: Any) -> str:
    """The desk message ``msg_id`` in ``lang`` (Chinese when English lacks it)."""
    template = catalogue(lang).get(msg_id)
    if template is None:
        template = catalogue("zh").get(msg_id, msg_id)
    return template.format(**params) if params else template

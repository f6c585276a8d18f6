"""The desk's own words: ``desk/locale/zh.yaml`` and ``en.yaml``, loaded by ``sim.catalogue``.

Action, module and event labels are not here: they come from ``sim/vocabulary.yaml``.
"""

from __future__ import annotations

import re
from typing import Any

from sim.catalogue import Words, load_catalogue

__all__ = ["t", "tr", "catalogue", "tidy"]

# YAML's folded blocks (">-") join lines with a space, which Chinese text does not have.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])[ \t\n]+(?=[\u3000-\u9fff\uff00-\uffef])")


def tidy(text: str) -> str:
    """Scenario text as shown: no stray spaces between Chinese characters."""
    return _CJK_GAP.sub("", text)


# the desk's words, then those of the records, the scorer and the engine it shows
tr = Words("desk", "records", "scoring", "sim")


def catalogue(lang: str) -> dict[str, str]:
    """The desk's own messages in ``lang``."""
    return load_catalogue("desk", lang)


def t(msg_id: str, lang: str, /, **params: Any) -> str:
    """The message ``msg_id`` in ``lang`` (Chinese when English lacks it)."""
    return tr(msg_id, lang, **params)

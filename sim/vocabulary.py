"""The action and event vocabulary, loaded from ``sim/vocabulary.yaml``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictFloat, StrictStr

from sim.errors import ScenarioError
from sim.model import Frozen, Text
from sim.validation import validate_located
from sim.yamlio import load_yaml

__all__ = ["ActionSpec", "EventSpec", "Vocabulary", "vocabulary", "VOCABULARY_FILE"]

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

ActionArg = Literal["module", "reply", "customer"]
EventArg = Literal[
    "customer", "node", "level", "reason", "kind", "field", "count", "item", "result"
]


class ActionSpec(Frozen):
    zh: StrictStr
    en: StrictStr
    evidences: tuple[StrictStr, ...]
    requires: tuple[StrictStr, ...]
    args: tuple[ActionArg, ...] = ()
    duration: StrictFloat = Field(ge=0)
    checks: tuple[StrictStr, ...] = ()  # station items this check reveals
    fixes: StrictStr | None = None  # the station item this puts right

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class EventSpec(Frozen):
    zh: StrictStr
    en: StrictStr
    origin: Literal["world", "derived"]
    args: tuple[EventArg, ...] = ()

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class Vocabulary(Frozen):
    station_items: dict[StrictStr, Text]
    modules: dict[StrictStr, Text]
    actions: dict[StrictStr, ActionSpec]
    events: dict[StrictStr, EventSpec]
    event_args: dict[StrictStr, dict[StrictStr, tuple[StrictStr, ...]] | tuple[StrictStr, ...]]

    def kind_of(self, name: str) -> Literal["action", "event"] | None:
        if name in self.actions:
            return "action"
        if name in self.events:
            return "event"
        return None

    def arg_choices(self, event: str, arg: str) -> tuple[str, ...] | None:
        """The fixed values ``arg`` may take on ``event``, or None when it is free."""
        spec = self.event_args.get(arg)
        if spec is None:
            return None
        if isinstance(spec, dict):
            return spec.get(event)
        return spec


@cache
def vocabulary() -> Vocabulary:
    doc = load_yaml(VOCABULARY_FILE)
    vocab, problems = validate_located(Vocabulary, doc)
    if problems or vocab is None:
        raise ScenarioError(problems)
    clash = set(vocab.actions) & set(vocab.events)
    if clash:
        raise ValueError(f"{VOCABULARY_FILE}: names both an action and an event: {sorted(clash)}")
    for name, spec in vocab.actions.items():
        unknown = {*spec.checks, *([spec.fixes] if spec.fixes else [])} - set(vocab.station_items)
        if unknown:
            raise ValueError(f"{VOCABULARY_FILE}: {name} names unknown station items {unknown}")
    return vocab

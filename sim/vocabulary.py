"""The action and event vocabulary, loaded from ``sim/vocabulary.yaml``."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, cached_property
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field, StrictBool, StrictFloat, StrictStr

from sim.errors import ScenarioError
from sim.model import Frozen, Text
from sim.validation import validate_located
from sim.yamlio import Located, load_yaml_checked

__all__ = [
    "ActionSpec",
    "EventSpec",
    "ModuleSpec",
    "StationItem",
    "Tag",
    "TagSpec",
    "Vocabulary",
    "vocabulary",
    "load_vocabulary",
    "VOCABULARY_FILE",
]

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")

# What a scenario may tag a reply with; what each tag means is the vocabulary's `reply_tags`.
Tag = Literal[
    "accurate",
    "misleading",
    "impatient",
    "conceals",
    "courteous",
    "calm",
    "safety",
    "promise",
    "oversteps",
    "jargon",
    "escalate",
    "discloses",
    "steers",
]
ActionArg = Literal["module", "reply", "customer", "wall", "field", "source"]
EventArg = Literal[
    "customer",
    "node",
    "level",
    "reason",
    "kind",
    "field",
    "count",
    "item",
    "result",
    "paper",
    "note",
    "event",
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
    routine: StrictBool = False  # a pre-shift task done once whatever the station's state
    lookup: StrictBool = False  # consults the system about the customer's matter
    in_module: dict[StrictStr, Text] = {}  # its name in a module that calls it otherwise

    def label(self, lang: str, module: str | None = None) -> str:
        if module is not None and module in self.in_module:
            return self.in_module[module].get(lang)
        return self.en if lang == "en" else self.zh


class EventSpec(Frozen):
    zh: StrictStr
    en: StrictStr
    origin: Literal["world", "derived"]
    args: tuple[EventArg, ...] = ()
    desk: Literal["news", "alert", "unseen"] = "news"  # how the clerk's desk shows it
    mistake: StrictBool = False  # it records a mistake of the clerk's

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh


class StationItem(Text):
    device: StrictBool = False  # a piece of equipment (a check of it is a device check)
    optional: StrictBool = False  # reported by a check only where the scenario sets it


class ModuleSpec(Text):
    receipt: StrictBool = False  # an accepted application ends with a printed receipt


class PaperSpec(Text):
    needs: StrictStr | None = None  # a paper no use without this one (an agent's authority)


class FieldSpec(Text):
    # the papers a careful clerk takes the field from, in order ("form": as the customer wrote it)
    from_: tuple[StrictStr, ...] = Field(alias="from", min_length=1)
    # under 一证受理 its papers may follow later, once the customer signs the pledge
    pledge: StrictBool = False


class TagSpec(Frozen):
    bad: StrictBool  # a clerk must never give such a reply, whatever it does to the mood


class Vocabulary(Frozen):
    station_items: dict[StrictStr, StationItem]
    papers: dict[StrictStr, PaperSpec]
    fields: dict[StrictStr, FieldSpec]
    modules: dict[StrictStr, ModuleSpec]
    reply_tags: dict[Tag, TagSpec]
    actions: dict[StrictStr, ActionSpec]
    events: dict[StrictStr, EventSpec]
    event_args: dict[StrictStr, dict[StrictStr, tuple[StrictStr, ...]] | tuple[StrictStr, ...]]

    @cached_property
    def bad_tags(self) -> frozenset[str]:
        """The reply tags a clerk must never give."""
        return frozenset(t for t, spec in self.reply_tags.items() if spec.bad)

    @cached_property
    def receipt_modules(self) -> frozenset[str]:
        """The modules whose accepted application ends with a printed receipt."""
        return frozenset(m for m, spec in self.modules.items() if spec.receipt)

    @cached_property
    def routine_actions(self) -> tuple[str, ...]:
        """The routine pre-shift tasks, in the vocabulary's order."""
        return tuple(a for a, spec in self.actions.items() if spec.routine)

    @cached_property
    def durations(self) -> dict[str, float]:
        """How long each action takes the clerk, by action."""
        return {a: spec.duration for a, spec in self.actions.items()}

    @cached_property
    def station_checks(self) -> tuple[str, ...]:
        """The actions that check the station, in the vocabulary's order."""
        return tuple(a for a, spec in self.actions.items() if spec.checks)

    @cached_property
    def station_fixes(self) -> tuple[tuple[str, str], ...]:
        """The actions that fix a station item, with the item each fixes, in the vocabulary's
        order."""
        return tuple((a, spec.fixes) for a, spec in self.actions.items() if spec.fixes)

    @cached_property
    def lookups(self) -> tuple[str, ...]:
        """The actions that consult the system about a customer's matter."""
        return tuple(a for a, spec in self.actions.items() if spec.lookup)

    @cached_property
    def device_checks(self) -> frozenset[str]:
        """The checks that look at a piece of equipment."""
        devices = {i for i, spec in self.station_items.items() if spec.device}
        return frozenset(a for a, spec in self.actions.items() if set(spec.checks) & devices)

    @cached_property
    def alerts(self) -> frozenset[str]:
        """The events the desk shows as alarms: something to act on now."""
        return frozenset(e for e, spec in self.events.items() if spec.desk == "alert")

    @cached_property
    def interrupting(self) -> frozenset[str]:
        """What takes the clerk off the action in hand at once (the desk's alarms and the phone
        ringing): a 40-second data entry is dropped for a network failure or a hazard call."""
        return self.alerts | {"phone_rings"}

    @cached_property
    def unseen(self) -> frozenset[str]:
        """The events a clerk at a real counter would not see as news."""
        return frozenset(e for e, spec in self.events.items() if spec.desk == "unseen")

    @cached_property
    def mistakes(self) -> frozenset[str]:
        """The events that record a mistake of the clerk's."""
        return frozenset(e for e, spec in self.events.items() if spec.mistake)

    def authority(self, field: str, papers: Iterable[str]) -> str:
        """Where a careful clerk takes ``field`` from, given the papers on the counter: the
        first of its sources the customer has ("form" when none: as the customer wrote it)."""
        have = set(papers)
        spec = self.fields.get(field)
        for source in spec.from_ if spec is not None else ():
            if source == "form" or source in have:
                return source
        return "form"

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
    return load_vocabulary(VOCABULARY_FILE)


def _checked(doc: Located) -> Vocabulary:
    vocab, problems = validate_located(Vocabulary, doc)
    if problems or vocab is None:
        raise ScenarioError(problems)
    return vocab


def load_vocabulary(path: Path) -> Vocabulary:
    """Load and check a vocabulary file (``vocabulary()`` is the desk's, loaded once)."""
    vocab = load_yaml_checked(path, _checked)
    clash = set(vocab.actions) & set(vocab.events)
    if clash:
        raise ValueError(f"{path}: names both an action and an event: {sorted(clash)}")
    for name, spec in vocab.actions.items():
        unknown = {*spec.checks, *([spec.fixes] if spec.fixes else [])} - set(vocab.station_items)
        if unknown:
            raise ValueError(f"{path}: {name} names unknown station items {unknown}")
        if spec.routine and (spec.checks or spec.fixes):
            raise ValueError(f"{path}: {name} is routine but checks or fixes an item")
        if set(spec.in_module) - set(vocab.modules):
            raise ValueError(f"{path}: {name} is named in unknown modules {set(spec.in_module)}")
    for name, field in vocab.fields.items():
        unknown = set(field.from_) - set(vocab.papers)
        if unknown:
            raise ValueError(f"{path}: field {name} is taken from unknown papers {unknown}")
    for name, paper in vocab.papers.items():
        if paper.needs is not None and paper.needs not in vocab.papers:
            raise ValueError(f"{path}: paper {name} needs an unknown paper {paper.needs!r}")
    untold = set(get_args(Tag)) - set(vocab.reply_tags)
    if untold:
        raise ValueError(f"{path}: reply_tags does not say what {sorted(untold)} mean")
    return vocab

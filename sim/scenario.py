"""Scenario files: the model, the loader, and the cross-reference checks made at load time."""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import BeforeValidator, Field, StrictBool, StrictFloat, StrictInt, StrictStr

from sim.errors import Problem, ScenarioError
from sim.i18n import tr
from sim.listing import SCENARIO_DIR
from sim.model import Frozen, Text
from sim.trace import TraceEntry
from sim.validation import did_you_mean, validate_located
from sim.vocabulary import Tag, Vocabulary, vocabulary
from sim.yamlio import Located, load_checked, load_yaml, load_yaml_checked

__all__ = [
    "Injectable",
    "Match",
    "Pattern",
    "Rule",
    "Required",
    "Forbidden",
    "Before",
    "Response",
    "FirstAfter",
    "Reply",
    "Node",
    "Customer",
    "ReplyAt",
    "Tag",
    "Scenario",
    "LoadedScenario",
    "load_scenario",
    "SCENARIO_DIR",
]


Seconds = Annotated[StrictFloat, Field(ge=0)]


# A time is fixed (``30``) or drawn by the engine's seeded generator from a range (``[20, 40]``).
TimeSpec = Seconds | tuple[Seconds, Seconds]


def _shorthand(value: Any) -> Any:
    """``print_form`` is short for ``{name: print_form}``."""
    if isinstance(value, str):
        return {"name": value}
    return value


# A pattern over trace entries: a name, and optionally arguments and reply tags.
class _MatchBody(Frozen):
    name: StrictStr
    args: dict[StrictStr, StrictStr] | None = None
    tags: tuple[Tag, ...] | None = None

    def matches(self, e: TraceEntry, attempts: bool = False) -> bool:
        """Does entry ``e`` match? An action refused by its preconditions counts only when
        ``attempts`` (a prohibition is broken by trying). The one place entries are matched:
        the engine's triggers, the scorer's rules and the reports all ask here."""
        if self.name != e.name:
            return False
        if e.kind == "action" and not e.valid and not attempts:
            return False
        if self.args and any(e.arg(k) != v for k, v in self.args.items()):
            return False
        return not self.tags or bool(set(self.tags) & set(e.tags))

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


Pattern = _MatchBody


Match = Annotated[_MatchBody, BeforeValidator(_shorthand)]


class _RuleBase(Frozen):
    id: StrictStr
    # what the rule rests on: a clause of the procedure, or (``local``) an instruction of the
    # hall's own plan from the scenario's ``instructions``; one or the other
    clause: StrictStr | None = None
    local: StrictStr | None = None
    also: tuple[StrictStr, ...] = ()  # further clauses whose text the rule also rests on
    weight: StrictFloat = Field(gt=0, le=1000)
    critical: StrictBool = False
    note: Text | None = None

    @property
    def cites(self) -> str:
        """The citation a finding carries: the clause id, or ``local:<instruction>``."""
        return self.clause if self.clause is not None else f"local:{self.local}"


class Required(_RuleBase):
    """``what`` happens at least once (within ``within`` s of ``after``, or of the start)."""

    template: Literal["required"]
    what: Match
    after: Match | None = None
    within: Seconds | None = None


class Forbidden(_RuleBase):
    """``what`` never happens (or not between ``after`` and ``until``). Attempts count too."""

    template: Literal["forbidden"]
    what: Match
    after: Match | None = None
    until: Match | None = None


class Before(_RuleBase):
    """If ``then`` happens, ``first`` happened earlier."""

    template: Literal["before"]
    first: Match
    then: Match


class Response(_RuleBase):
    """After each ``trigger``, ``what`` follows (within ``within`` s when given)."""

    template: Literal["response"]
    trigger: Match
    what: Match
    within: Seconds | None = None


class FirstAfter(_RuleBase):
    """After ``trigger``, the clerk does ``what`` before anything that counts as acting
    ``instead`` (what is not listed there is neutral), and within ``within`` s when given."""

    template: Literal["first_after"]
    trigger: Match
    what: Match
    instead: tuple[Match, ...] | None = None
    within: Seconds | None = None


Rule = Annotated[
    Required | Forbidden | Before | Response | FirstAfter, Field(discriminator="template")
]


class Reply(Frozen):
    id: StrictStr
    zh: StrictStr
    en: StrictStr | None = None
    tags: tuple[Tag, ...] = ()
    mood: StrictInt = Field(default=0, ge=-100, le=100)
    next: StrictStr | None = None

    def text(self) -> Text:
        return self.words

    @cached_property
    def words(self) -> Text:
        """The reply's words in both languages, made once (Text is immutable)."""
        return Text(zh=self.zh, en=self.en)


class Node(Frozen):
    says: Text
    replies: tuple[Reply, ...] = ()


class Document(Frozen):
    kind: StrictStr  # one of the vocabulary's papers
    title: Text
    fields: dict[StrictStr, StrictStr]
    expired: StrictBool = False  # past its validity: the check before submitting finds it


class Customer(Frozen):
    id: StrictStr
    name: Text
    persona: Text
    request: StrictStr
    documents: tuple[Document, ...] = ()
    application: dict[StrictStr, StrictStr] = {}
    mood: StrictInt = Field(default=70, ge=0, le=100)
    patience: StrictFloat = Field(default=3.0, ge=0, le=100)
    greeting: StrictStr | None = None
    dialogue: dict[StrictStr, Node] = {}
    # what a careful clerk consults the system for in this customer's matter (the vocabulary's
    # lookup actions): part of the answer key, never shown at the desk
    lookups: tuple[StrictStr, ...] = ()


class ReplyAt(NamedTuple):
    """Where a reply is offered: by which customer, at which line of their dialogue."""

    customer: Customer
    node: str
    reply: Reply


class Desk(Frozen):
    computer: Literal["on", "off"] = "on"
    logged_in: StrictBool = False
    network: Literal["up", "down", "flaky"] = "up"
    printer: Literal["ok", "jammed", "low_ink", "offline"] = "ok"
    queue: StrictInt = Field(default=0, ge=0, le=500)
    queue_alert: StrictInt = Field(default=6, ge=1, le=500)
    # before the shift: the clerk readies the station; what is wrong there (others are fine)
    pre_shift: StrictBool = False
    station: dict[StrictStr, Literal["ok", "problem"]] = {}


class TimelineEntry(Frozen):
    at: TimeSpec
    event: StrictStr
    args: dict[StrictStr, StrictStr] = {}
    variants: tuple[StrictStr, ...] = ()  # only in these variants (none named: in all)


class Injectable(Frozen):
    """An incident the instructor may throw into a training session (or a drill schedule): what
    it is called at the console, and the world's events it brings, timed from the moment it is
    injected. Rules whose triggers those events set off score it as they would a scheduled one
    (they do not apply in a session it never reached)."""

    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    brings: tuple[TimelineEntry, ...] = Field(min_length=1)


class Trigger(Frozen):
    on: Match
    nth: StrictInt = Field(default=1, ge=1)
    delay: TimeSpec = 0.0
    event: StrictStr
    args: dict[StrictStr, StrictStr] = {}
    variants: tuple[StrictStr, ...] = ()  # only in these variants (none named: in all)
    # counted and fired only while this customer is the one being served (an action taken for a
    # phone caller an instructor threw in is not the counter customer's)
    serving: StrictStr | None = None


class Variant(Frozen):
    """One seeded variation: values for the ``{placeholders}`` in the scenario's texts."""

    id: StrictStr
    # what the debrief, the replay and the reports call it (the id when absent); it names the
    # situation, never what the trainee is meant to catch
    title: Text | None = None
    vars: dict[StrictStr, Text | StrictStr] = {}

    def name(self, lang: str) -> str:
        return self.title.get(lang) if self.title is not None else self.id

    @cached_property
    def filled(self) -> dict[tuple[str, str], str]:
        """The texts filled so far, by (template, language): each is filled once per variant
        (the values and the company's figures do not change while the program runs)."""
        return {}

    def fill(self, template: str, lang: str) -> str:
        key = (template, lang)
        done = self.filled.get(key)
        if done is None:
            done = self.filled[key] = self._fill(template, lang)
        return done

    def _fill(self, template: str, lang: str) -> str:
        # only plain {name} and {facts.name} are placeholders: an index, attribute, conversion
        # or format spec ({name[x]}, {name:>99999999}) leaves the text as written
        try:
            fields = [(f, spec, conv) for _, f, spec, conv in _FORMATTER.parse(template)]
        except ValueError:
            return template  # a stray brace is text, not a placeholder
        if any(f is not None and (spec or conv or not _PLAIN.match(f)) for f, spec, conv in fields):
            return template
        try:
            return _FORMATTER.vformat(template, (), _Vars(self.vars, lang))
        except (ValueError, IndexError, AttributeError, KeyError):
            return template


_FORMATTER = string.Formatter()
_PLAIN = re.compile(r"^(?:facts\.)?[A-Za-z_][A-Za-z0-9_]*$")


class _Vars(dict[str, Any]):
    def __init__(self, table: dict[str, Text | str], lang: str) -> None:
        super().__init__(
            {
                k: _with_facts(v if isinstance(v, str) else v.get(lang), lang)
                for k, v in table.items()
            }
        )
        self["facts"] = _Facts(lang)

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _with_facts(text: str, lang: str) -> str:
    """A variant's value may name the company's figures too (``{facts.NAME}``): filled here,
    so a figure lives in one place whichever text carries it; anything else stays as written."""
    if "{facts." not in text:
        return text
    try:
        return _FORMATTER.vformat(text, (), _Vars({}, lang))  # the figures alone
    except (ValueError, IndexError, AttributeError, KeyError):
        return text


class _Facts:
    """``{facts.NAME}`` in a scenario text: the company's figure from ``scenarios/_facts.yaml``."""

    def __init__(self, lang: str) -> None:
        self._lang = lang

    def __getattr__(self, name: str) -> str:
        value = facts().get(name)
        if value is None:
            return "{facts." + name + "}"
        return value if isinstance(value, str) else value.get(self._lang)


class _FactsFile(Frozen):
    facts: dict[StrictStr, Text | StrictStr]


FACTS_FILE = SCENARIO_DIR / "_facts.yaml"


@cache
def facts() -> dict[str, Text | str]:
    """The company's figures (service commitments, hotlines, tariffs), checked on load."""

    def check(doc: Located) -> dict[str, Text | str]:
        wrapped = Located(
            data={"facts": doc.data},
            file=doc.file,
            lines={("facts", *k): v for k, v in doc.lines.items()},
        )
        model, problems = validate_located(_FactsFile, wrapped)
        if problems or model is None:
            raise ScenarioError(problems)
        return dict(model.facts)

    return load_yaml_checked(FACTS_FILE, check)


def placeholders(text: str) -> list[str]:
    """The ``{names}`` a text uses (``facts.x`` included); a malformed one is reported as-is."""
    try:
        fields = [(f, spec, conv) for _, f, spec, conv in _FORMATTER.parse(text)]
    except ValueError:
        return [text]
    # a format spec or conversion is shown with the name, so it is reported, not silently kept
    return [f + (f"!{conv}" if conv else "") + (f":{spec}" if spec else "")
            for f, spec, conv in fields if f is not None]  # fmt: skip


class Meta(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    briefing: Text
    kind: Literal["routine", "device_fault", "customer", "emergency", "system", "combined"]
    difficulty: StrictInt = Field(ge=1, le=5)
    time_limit: Seconds
    pass_mark: StrictFloat = Field(ge=0, le=100)
    # points taken off for each hint asked for in training mode
    hint_cost: StrictFloat = Field(default=2.0, ge=0, le=100)
    # when the session starts (the desk's clock shows the time of day) and at which window the
    # clerk sits: the briefing must say the same (a test reads it)
    clock: StrictStr = Field(default="09:00", pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    window: StrictInt = Field(default=3, ge=1, le=30)

    @property
    def opening(self) -> int:
        """The time of day the session starts, in seconds since midnight."""
        hours, minutes = self.clock.split(":")
        return int(hours) * 3600 + int(minutes) * 60


class Scenario(Frozen):
    scenario: Meta
    # the hall's own plan (what the briefing tells the clerk), which rules may cite as ``local``
    instructions: dict[StrictStr, Text] = {}
    # what the business system shows when the world says so (``system_shows note=<id>``, most
    # often triggered by a lookup): an account in arrears, a reading history, an outage notice
    notes: dict[StrictStr, Text] = {}
    desk: Desk = Desk()
    variants: tuple[Variant, ...] = Field(default=(Variant(id="default"),), min_length=1)
    customers: tuple[Customer, ...] = ()
    timeline: tuple[TimelineEntry, ...] = ()
    triggers: tuple[Trigger, ...] = ()
    # what an instructor may inject into a training session of this scenario
    injectable: tuple[Injectable, ...] = ()
    rules: tuple[Rule, ...] = Field(min_length=1)

    def injection(self, iid: str) -> Injectable | None:
        return next((i for i in self.injectable if i.id == iid), None)

    @property
    def id(self) -> str:
        return self.scenario.id

    def customer(self, cid: str) -> Customer:
        for c in self.customers:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def reply(self, customer: str, node: str, reply: str) -> Reply | None:
        n = self.customer(customer).dialogue.get(node)
        if n is None:
            return None
        return next((r for r in n.replies if r.id == reply), None)

    @cached_property
    def reply_index(self) -> Mapping[str, ReplyAt]:
        """Every reply in the scenario by its id, made once per scenario (the loader checks
        that no two replies share an id: the trace names a reply by its id alone)."""
        index: dict[str, ReplyAt] = {}
        for c in self.customers:
            for nid, node in c.dialogue.items():
                for r in node.replies:
                    index.setdefault(r.id, ReplyAt(c, nid, r))
        return index

    def locate_reply(self, reply: str) -> ReplyAt | None:
        """The reply with id ``reply``: its customer, dialogue node and text, tags and mood."""
        return self.reply_index.get(reply)


class LoadedScenario(Frozen):
    """A validated scenario with where it came from and its content hash."""

    scenario: Scenario
    path: str
    sha256: StrictStr
    source: bytes = Field(default=b"", repr=False)  # the file's bytes, kept with each record

    @property
    def id(self) -> str:
        return self.scenario.id


def load_scenario(path: str | Path, clauses: set[str] | None = None) -> LoadedScenario:
    """Load, validate and cross-check one scenario file; raises ScenarioError with every problem.

    ``clauses`` (the procedure's clause ids) lets the loader check what each rule cites.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError:
        load_yaml(p)  # raises the located "cannot read" problem
        raise
    return load_scenario_bytes(raw, str(p), clauses)


def load_scenario_bytes(raw: bytes, file: str, clauses: set[str] | None = None) -> LoadedScenario:
    """Load a scenario from its bytes (a recorded copy, say); ``file`` names it in messages.

    What was parsed and checked is kept by content hash (with what the checks depend on: the
    file's name and the clauses), so the same bytes recorded with a thousand sessions are read
    once; a file that fails is read again each time, for its located messages."""
    digest = hashlib.sha256(raw).hexdigest()
    stem = Path(file).stem if file else None
    key = (digest, stem, None if clauses is None else frozenset(clauses))
    scenario = _PARSED.get(key)
    if scenario is None:

        def check(doc: Located) -> Scenario:
            scenario, problems = validate_located(Scenario, doc)
            if scenario is not None:
                problems = _cross_check(scenario, doc, vocabulary(), clauses)
            if problems or scenario is None:
                raise ScenarioError(problems)
            return scenario

        scenario = load_checked(raw, file, check)
        if len(_PARSED) >= 64:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = scenario
    return LoadedScenario(scenario=scenario, path=file, sha256=digest, source=raw)


_PARSED: dict[tuple[str, str | None, frozenset[str] | None], Scenario] = {}


def _cross_check(
    s: Scenario, doc: Located, vocab: Vocabulary, clauses: set[str] | None
) -> list[Problem]:
    problems: list[Problem] = []

    def add(path: tuple[str | int, ...], key: str, **kw: Any) -> None:
        problems.append(Problem(doc.file, doc.line(path), tr(key, **kw)))

    known_facts = set(facts())
    for path, text in _strings(doc.data, ()):
        for name in placeholders(text):
            if name.startswith("facts."):
                if name[6:] not in known_facts:
                    add(
                        path,
                        "scenario.unknown_fact",
                        name=name[6:],
                        hint=did_you_mean(name[6:], known_facts),
                    )
                continue
            missing = [v.id for v in s.variants if name not in v.vars]
            if missing and path[:1] != ("variants",):
                add(path, "scenario.unknown_placeholder", name=name, variants=", ".join(missing))

    for item in s.desk.station:
        if item not in vocab.station_items:
            add(
                ("desk", "station", item),
                "scenario.unknown_item",
                item=item,
                hint=did_you_mean(item, vocab.station_items),
            )

    if doc.file and Path(doc.file).stem != s.id:
        add(("scenario", "id"), "scenario.id_mismatch", id=s.id, stem=Path(doc.file).stem)

    customers = {c.id: c for c in s.customers}
    _unique([c.id for c in s.customers], ("customers",), "scenario.duplicate_id", add)
    _unique([v.id for v in s.variants], ("variants",), "scenario.duplicate_id", add)
    _unique([r.id for r in s.rules], ("rules",), "scenario.duplicate_id", add)

    reply_ids: set[str] = set()  # a reply is named by its id alone (say reply=...)
    for ci, c in enumerate(s.customers):
        base: tuple[str | int, ...] = ("customers", ci)
        for di, document in enumerate(c.documents):
            if document.kind not in vocab.papers:
                add(
                    (*base, "documents", di, "kind"),
                    "scenario.unknown_paper",
                    paper=document.kind,
                    hint=did_you_mean(document.kind, vocab.papers),
                )
            for key in document.fields:
                if key not in vocab.fields:
                    add(
                        (*base, "documents", di, "fields", key),
                        "scenario.unknown_field",
                        field=key,
                        hint=did_you_mean(key, vocab.fields),
                    )
        for li, action in enumerate(c.lookups):
            if action not in vocab.lookups:
                add(
                    (*base, "lookups", li),
                    "scenario.not_a_lookup",
                    action=action,
                    hint=did_you_mean(action, vocab.lookups),
                )
        for key in c.application:
            if key not in vocab.fields:
                add(
                    (*base, "application", key),
                    "scenario.unknown_field",
                    field=key,
                    hint=did_you_mean(key, vocab.fields),
                )
        if c.request not in vocab.modules:
            add(
                (*base, "request"),
                "scenario.unknown_module",
                module=c.request,
                hint=did_you_mean(c.request, vocab.modules),
            )
        if c.greeting is not None and c.greeting not in c.dialogue:
            add(
                (*base, "greeting"),
                "scenario.unknown_node",
                node=c.greeting,
                hint=did_you_mean(c.greeting, c.dialogue),
            )
        for nid, node in c.dialogue.items():
            for ri, r in enumerate(node.replies):
                if r.id in reply_ids:
                    add((*base, "dialogue", nid, "replies", ri), "scenario.duplicate_id", id=r.id)
                reply_ids.add(r.id)
                if r.next is not None and r.next not in c.dialogue:
                    add(
                        (*base, "dialogue", nid, "replies", ri, "next"),
                        "scenario.unknown_node",
                        node=r.next,
                        hint=did_you_mean(r.next, c.dialogue),
                    )

    def check_event(path: tuple[str | int, ...], name: str, args: dict[str, str]) -> None:
        spec = vocab.events.get(name)
        if spec is None:
            hint = did_you_mean(name, vocab.events)
            add(path, "scenario.unknown_event", name=name, hint=hint)
            return
        if spec.origin != "world":
            add(path, "scenario.derived_event", name=name)
        _check_args(path, name, args, spec.args)

    def _check_args(
        path: tuple[str | int, ...], name: str, args: dict[str, str], allowed: tuple[str, ...]
    ) -> None:
        for key, value in args.items():
            if key not in allowed:
                add(
                    path,
                    "scenario.unknown_arg",
                    name=name,
                    arg=key,
                    allowed=", ".join(allowed) or "-",
                )
                continue
            choices = vocab.arg_choices(name, key)
            if choices is None:
                continue
            # a value may come from the variant ({fault}): check what each variant makes of it
            values = {v.fill(value, "zh") for v in s.variants} if "{" in value else {value}
            for shown in sorted(x for x in values if x not in choices):
                add(
                    path,
                    "scenario.bad_arg",
                    name=name,
                    arg=key,
                    value=shown,
                    allowed=", ".join(choices),
                    hint=did_you_mean(shown, choices),
                )
        for key in allowed:
            if key not in args:
                add(path, "scenario.missing_arg", name=name, arg=key)
        note = args.get("note")
        if note is not None and note not in s.notes:
            add(path, "scenario.unknown_note", note=note, hint=did_you_mean(note, s.notes))
        cid = args.get("customer")
        if cid is not None and cid not in customers:
            add(path, "scenario.unknown_customer", customer=cid, hint=did_you_mean(cid, customers))
        elif cid is not None and "node" in args and args["node"] not in customers[cid].dialogue:
            add(
                path,
                "scenario.unknown_node",
                node=args["node"],
                hint=did_you_mean(args["node"], customers[cid].dialogue),
            )

    def check_match(path: tuple[str | int, ...], m: _MatchBody) -> None:
        kind = vocab.kind_of(m.name)
        if kind is None:
            names = [*vocab.actions, *vocab.events]
            add(path, "scenario.unknown_name", name=m.name, hint=did_you_mean(m.name, names))
            return
        if m.tags is not None and m.name != "say":
            add(path, "scenario.tags_only_say", name=m.name)
        if m.args:
            if kind == "action":
                takes: tuple[str, ...] = vocab.actions[m.name].args
                for key, value in m.args.items():
                    if key not in takes:
                        add(
                            path,
                            "scenario.unknown_arg",
                            name=m.name,
                            arg=key,
                            allowed=", ".join(takes) or "-",
                        )
                    elif key == "module" and value not in vocab.modules:
                        add(
                            path,
                            "scenario.unknown_module",
                            module=value,
                            hint=did_you_mean(value, vocab.modules),
                        )
            else:
                allowed = vocab.events[m.name].args
                for key, value in m.args.items():
                    if key not in allowed:
                        add(
                            path,
                            "scenario.unknown_arg",
                            name=m.name,
                            arg=key,
                            allowed=", ".join(allowed) or "-",
                        )
                        continue
                    choices = vocab.arg_choices(m.name, key)
                    if choices is not None and value not in choices:
                        add(
                            path,
                            "scenario.bad_arg",
                            name=m.name,
                            arg=key,
                            value=value,
                            allowed=", ".join(choices),
                            hint=did_you_mean(value, choices),
                        )

    variant_ids = [v.id for v in s.variants]
    named: list[tuple[str, int, tuple[str, ...]]] = [
        *(("timeline", i, e.variants) for i, e in enumerate(s.timeline)),
        *(("triggers", i, t.variants) for i, t in enumerate(s.triggers)),
    ]
    for kind, i, only in named:
        for k, vid in enumerate(only):
            if vid not in variant_ids:
                add(
                    (kind, i, "variants", k),
                    "scenario.unknown_variant",
                    variant=vid,
                    hint=did_you_mean(vid, variant_ids),
                )

    limit = s.scenario.time_limit
    for i, entry in enumerate(s.timeline):
        path = ("timeline", i)
        check_event((*path, "event"), entry.event, entry.args)
        latest = entry.at[1] if isinstance(entry.at, tuple) else entry.at
        if isinstance(entry.at, tuple) and entry.at[0] > entry.at[1]:
            add((*path, "at"), "scenario.bad_range")
        if latest > limit:
            add((*path, "at"), "scenario.after_limit", at=latest, limit=limit)
    _unique([j.id for j in s.injectable], ("injectable",), "scenario.duplicate_id", add)
    for i, inj in enumerate(s.injectable):
        for k, entry in enumerate(inj.brings):
            path = ("injectable", i, "brings", k)
            check_event((*path, "event"), entry.event, entry.args)
            if isinstance(entry.at, tuple) and entry.at[0] > entry.at[1]:
                add((*path, "at"), "scenario.bad_range")
            for v, vid in enumerate(entry.variants):
                if vid not in variant_ids:
                    add(
                        (*path, "variants", v),
                        "scenario.unknown_variant",
                        variant=vid,
                        hint=did_you_mean(vid, variant_ids),
                    )
    for i, trig in enumerate(s.triggers):
        path = ("triggers", i)
        check_match((*path, "on"), trig.on)
        check_event((*path, "event"), trig.event, trig.args)
        if isinstance(trig.delay, tuple) and trig.delay[0] > trig.delay[1]:
            add((*path, "delay"), "scenario.bad_range")
        if trig.serving is not None and trig.serving not in customers:
            add(
                (*path, "serving"),
                "scenario.unknown_customer",
                customer=trig.serving,
                hint=did_you_mean(trig.serving, customers),
            )
    for i, rule in enumerate(s.rules):
        path = ("rules", i)
        for field in ("what", "after", "until", "first", "then", "trigger"):
            m = getattr(rule, field, None)
            if m is not None:
                check_match((*path, field), m)
        for field in ("instead",):
            for k, m in enumerate(getattr(rule, field, None) or ()):
                check_match((*path, field, k), m)
        if (rule.clause is None) == (rule.local is None):
            add(path, "scenario.rule_citation", rule=rule.id)
        if rule.local is not None:
            if rule.local not in s.instructions:
                add(
                    (*path, "local"),
                    "scenario.unknown_instruction",
                    rule=rule.id,
                    local=rule.local,
                    hint=did_you_mean(rule.local, sorted(s.instructions)),
                )
            if rule.critical:
                add((*path, "critical"), "scenario.local_critical", rule=rule.id)
        cited: list[tuple[tuple[str | int, ...], str]] = []
        if rule.clause is not None:
            cited.append(((*path, "clause"), rule.clause))
        cited += [((*path, "also", k), c) for k, c in enumerate(rule.also)]
        for where, clause in cited:
            if clauses is not None and clause not in clauses:
                add(
                    where,
                    "scenario.unknown_clause",
                    rule=rule.id,
                    clause=clause,
                    hint=did_you_mean(clause, sorted(clauses)),
                )
    return problems


def _strings(data: Any, path: tuple[str | int, ...]) -> list[tuple[tuple[str | int, ...], str]]:
    """Every text in the document, with its path."""
    if isinstance(data, str):
        return [(path, data)] if "{" in data or "}" in data else []
    if isinstance(data, dict):
        return [x for k, v in data.items() for x in _strings(v, (*path, k))]
    if isinstance(data, list):
        return [x for i, v in enumerate(data) for x in _strings(v, (*path, i))]
    return []


def _unique(ids: list[str], path: tuple[str | int, ...], key: str, add: Any) -> None:
    seen: set[str] = set()
    for i, x in enumerate(ids):
        if x in seen:
            add((*path, i), key, id=x)
        seen.add(x)

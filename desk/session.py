"""One trainee at the desk with one scenario: the engine, the clock, hints and the log.

No pygame here. The desk screen calls ``tick()`` every frame and ``do()`` for every click or
key; both read the sim time from the ``SimClock``, so the UI never counts frames, and every
action goes to ``engine.apply(t, action, args)`` exactly as a trace file's line would. The
engine is built and judged by ``scoring.session``, the one path every other caller uses.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from desk.clock import SimClock
from desk.hints import Hint, HintSource
from desk.i18n import t as dt
from desk.i18n import tidy, tr
from scoring.narrate import Narrator
from scoring.procedure import Procedure
from scoring.result import Report
from scoring.session import build, feed, judge
from sim.engine import Engine
from sim.i18n import clock
from sim.observation import Observation
from sim.scenario import LoadedScenario
from sim.trace import TimedAction, TraceEntry
from sim.vocabulary import vocabulary

__all__ = ["DeskSession", "HintRequest", "Note", "Mode"]

Mode = Literal["training", "exam"]

# how often (wall seconds) a recorded desk asks the store for the instructor's injections
INJECTION_POLL_S = 0.5
# how often (wall seconds) a desk whose records refused tries them again when nothing new
# happens (each new action or event tries at once)
RECORD_RETRY_S = 2.0
Level = Literal["info", "action", "warn", "alert", "refused"]


@dataclass(frozen=True)
class Note:
    """A line of the desk's notification log."""

    t: float
    text: str
    level: Level
    event: str | None = None  # the event or action behind it


@dataclass(frozen=True)
class HintRequest:
    """A hint the trainee asked for, at sim time ``t``, and what it suggested."""

    t: float
    action: str | None
    args: tuple[tuple[str, str], ...] = ()


@dataclass
class DeskSession:
    loaded: LoadedScenario
    procedure: Procedure
    seed: int
    clock: SimClock
    trainee: str = ""
    mode: Mode = "training"
    lang: str = "zh"
    busy_spells: bool = True  # actions take their vocabulary duration of sim time
    time_limit: float | None = None  # a drill's own limit (None: the scenario's)
    # pauses allowed: None in training (as many as wanted); in an exam the drill's number,
    # none unless it says so
    pauses_allowed: int | None = None
    # a drill's incidents, (sim time, id): thrown in when the clock reaches them
    schedule: list[tuple[float, str]] = field(default_factory=list)
    # records.db.Recording: every action committed as it happens (None: not recorded)
    recording: Any = field(init=False, default=None)
    record_error: str | None = field(init=False, default=None)
    record_id: int | None = field(init=False, default=None)  # the session's number in the records
    record_uuid: str | None = field(init=False, default=None)
    # practice played again from a moment of another session: that session, and the moment
    branch_of: DeskSession | None = field(init=False, default=None)
    branch_at: float | None = field(init=False, default=None)
    engine: Engine = field(init=False)
    notes: list[Note] = field(init=False, default_factory=list)
    hints: list[HintRequest] = field(init=False, default_factory=list)
    report: Report | None = field(init=False, default=None)
    last_action: str | None = field(init=False, default=None)
    _seen: int = field(init=False, default=0)
    _paused_at: float = field(init=False, default=0.0)
    _polled: float = field(init=False, default=-math.inf)  # wall time injections were looked for
    _retried: float = field(init=False, default=-math.inf)  # wall time the records were written
    _obs: Observation | None = field(init=False, default=None)
    _unended: Any = field(init=False, default=None)  # a record the records refused to end

    def __post_init__(self) -> None:
        self.engine = build(self.loaded, self.seed, time_limit=self.time_limit)
        if self.mode == "exam" and self.pauses_allowed is None:
            self.pauses_allowed = 0
        self.vocab = vocabulary()
        self.words = Narrator(
            self.loaded.scenario,
            self.engine.variant,
            self.lang,
            self.procedure,
            self.vocab,
            trace=self.engine.trace,
        )
        self._hints = HintSource(self.seed) if self.mode == "training" else None
        self._collect()

    # -- time -----------------------------------------------------------------------------

    def now(self) -> float:
        """The sim time for the engine: the clock's, to a tenth of a second (never backwards:
        the clock is monotonic and both ``advance`` and ``apply`` use this value)."""
        return min(math.floor(self.clock.now_sim() * 10) / 10, self.engine.time_limit)

    def tick(self) -> list[Note]:
        """Let the world run to the clock's time (with any incident the instructor has thrown
        in since the last look); returns the new notes."""
        self.take_injections()
        now = self.now()
        while self.schedule and self.schedule[0][0] <= now and not self.engine.done:
            at, event = self.schedule.pop(0)
            self.engine.inject(at, event)  # at its moment: the world ran only up to before it
            self._obs = None
        if not self.engine.done:
            self.engine.advance(now)
        retry = self.record_error is not None and self.recording is not None
        if retry and self.clock.wall() - self._retried >= RECORD_RETRY_S:
            self._record()  # the records refused: tried again, with nothing new to write too
        return self._collect()

    def take_injections(self, *, now: bool = False) -> list[str]:
        """The incidents the instructor's console asked of this desk, looked for twice a second
        of wall time (``now``: at once): in training each is injected at this moment, recorded
        in the session's input, then marked taken with its sim time; an exam refuses them all
        (a drill schedules its incidents in its file). The ids taken, in order."""
        rec = self.recording
        if rec is None or self.engine.done:
            return []
        wall = self.clock.wall()
        if not now and wall - self._polled < INJECTION_POLL_S:
            return []
        self._polled = wall
        from records.db import RecordsError

        taken: list[str] = []
        try:
            for req in rec.records.pending_injections(rec.uuid):
                if self.mode == "exam":
                    rec.records.settle_injection(req.id, "refused", reason="exam")
                    continue
                if self.loaded.scenario.injection(req.event) is None or self.engine.done:
                    reason = "session_over" if self.engine.done else "not_offered"
                    rec.records.settle_injection(req.id, "refused", reason=reason)
                    continue
                entry = self.engine.inject(self.now(), req.event)
                self._obs = None
                self._collect()  # the input line is recorded before the request is settled
                rec.records.settle_injection(req.id, "taken", sim_t=entry.t)
                taken.append(req.event)
        except RecordsError:
            return taken  # the store is away: asked again at the next look
        return taken

    @property
    def done(self) -> bool:
        return self.engine.done

    @property
    def busy(self) -> bool:
        return self.clock.busy() < 1.0

    def observe(self) -> Observation:
        obs = self._obs
        if obs is None or obs.t != self.engine.now or len(self.engine.trace) != self._seen:
            obs = self.engine.observe()
            self._obs = obs
            if self._hints is not None:
                self._hints.watch(obs)
        return obs

    def catch_up(
        self, actions: Sequence[TimedAction], until: float | None, entries: int | None
    ) -> None:
        """Bring a new session to where a recorded one stopped (``Records.extent``): its
        actions fed again through the one path, the world let run to the last moment."""
        feed(self.engine, actions, until=until, entries=entries, shadow=self._hints)
        self._obs = None
        self._collect()

    # -- the clerk's actions --------------------------------------------------------------

    def do(self, action: str, args: Mapping[str, str] | None = None) -> TraceEntry | None:
        """The trainee does ``action`` now. Refused by the desk only while busy or over."""
        if self.engine.done or self.busy:
            return None
        t = self.now()
        before = self.observe()
        key = self.engine.answer_key() if self._hints is not None else None
        entry = self.engine.apply(t, action, dict(args or {}))
        if self._hints is not None and key is not None and entry.valid:
            self._hints.took(action, dict(args or {}), before, key)
        self._obs = None
        self.last_action = action
        self._collect()  # what the action set off at once does not interrupt it
        spec = self.vocab.actions.get(action)
        if entry.valid and spec is not None and self.busy_spells and spec.duration > 0:
            self.clock.spend(spec.duration, _wall_for(spec.duration))
        return entry

    # -- pausing --------------------------------------------------------------------------

    @property
    def pauses_used(self) -> int:
        return sum(1 for a in self.engine.actions if a.action == "pause")

    @property
    def pauses_left(self) -> int | None:
        """How many more pauses are allowed (None: as many as wanted)."""
        if self.pauses_allowed is None:
            return None
        return max(0, self.pauses_allowed - self.pauses_used)

    def pause(self) -> bool:
        """Stop the clock. The pause is an action of the session, so the trace, the result and
        the reports show it; in an exam it is refused (False) when none is left."""
        if self.clock.paused:
            return True
        if self.engine.done or self.pauses_left == 0:
            if not self.engine.done:
                text = dt("note.no_pause", self.lang, n=self.pauses_allowed or 0)
                self.notes.append(Note(self.engine.now, text, "refused", "pause"))
            return False
        self.engine.apply(self.now(), "pause", {})
        self._paused_at = self.clock.wall()
        self.clock.pause()
        self._obs = None
        self._collect()
        return True

    def resume(self) -> None:
        """Start the clock again; the resumption records how long (wall time) the pause was."""
        if not self.clock.paused:
            return
        wall = max(0.0, self.clock.wall() - self._paused_at)
        self.clock.resume()
        if not self.engine.done:
            self.engine.apply(self.now(), "resume", {"wall": f"{wall:.1f}"})
        self._obs = None
        self._collect()

    def hint(self) -> HintRequest | None:
        """Training mode: what the expert would do now (recorded with its sim time)."""
        if self._hints is None or self.engine.done:
            return None
        obs = self.observe()
        h: Hint = self._hints.suggest(obs, self.engine.answer_key())
        # the request is an action of the session: it lands in the trace, so a replay or a
        # re-score sees it, and the scorer charges the scenario's hint_cost for it
        self.engine.apply(self.now(), "ask_hint", {})
        self._collect()
        req = HintRequest(self.now(), h.action, h.args)
        self.hints.append(req)
        return req

    def finish(self) -> Report:
        """End the session (the trainee's "finish" is an action, so a replay ends the same)."""
        if not self.engine.done:
            self.engine.apply(self.now(), "finish", {})
        self._collect()
        return self.score()

    def score(self) -> Report:
        if self.report is None:
            if not self.engine.done:
                self.engine.finish()
            self.report = judge(self.engine, self.procedure)
        return self.report

    # -- the records -----------------------------------------------------------------------

    def attach(self, recording: Any) -> None:
        """Record this session from now on; what the engine has derived so far and the record
        does not hold yet is committed at once."""
        self.recording = recording
        self.record_id = int(recording.session_id) or None  # (0: its record opens later)
        self.record_uuid = str(recording.uuid)
        self._record()

    def _record(self) -> None:
        """Commit what is new to the records. When the database refuses, nothing is lost (the
        recorder writes a rescue file and retries everything pending next time); the desk says
        so once, in red, shows it while it lasts (``record_status``) and carries on; when the
        records take it all again, it says so once more."""
        from records.db import RecordsError

        self._retried = self.clock.wall()
        try:
            self.recording.sync(self.engine.actions, self.engine.trace)
        except RecordsError as err:
            if self.record_error is None:
                self.notes.append(Note(self.engine.now, str(err), "alert", "records"))
            self.record_error = str(err)
        else:
            self.record_id = int(self.recording.session_id)  # (a record opened late: now it is)
            if self.record_error is not None:
                server = getattr(self.recording.records, "url", None) is not None
                back = dt("desk.records_back" if server else "desk.records_back_file", self.lang)
                self.notes.append(Note(self.engine.now, back, "info", "records"))
            self.record_error = None

    @property
    def record_status(self) -> str | None:
        """While the records refuse this session: what the desk shows until they take it again
        (where the input is kept meanwhile, and that it is written when they are back)."""
        rec = self.recording or self._unended
        if self.record_error is None or rec is None or rec.rescued is None:
            return self.record_error
        server = getattr(rec.records, "url", None) is not None
        key = "desk.records_away_server" if server else "desk.records_away_file"
        return dt(key, self.lang, file=rec.rescued.name)  # (the log names its folder too)

    def end_record(self) -> None:
        """Store the result (a finished session) or mark the record incomplete (left early).
        When the records refuse, the record is kept to be ended when they take it (``unended``:
        the window calls this again every few seconds, and once more as it closes)."""
        from records.db import RecordsError

        rec = self.recording or self._unended
        self.recording = self._unended = None
        if rec is None:
            return
        try:
            if self.engine.done:
                rec.finish(self.engine.actions, self.engine.trace, self.score(), self.procedure)
            else:
                rec.abandon(self.engine.actions, self.engine.trace)
        except RecordsError as err:
            if self.record_error is None:
                self.notes.append(Note(self.engine.now, str(err), "alert", "records"))
            self.record_error = str(err)
            self._unended = rec
            return
        self.record_id = int(rec.session_id)
        if self.record_error is not None:
            server = getattr(rec.records, "url", None) is not None
            back = dt("desk.records_back" if server else "desk.records_back_file", self.lang)
            self.notes.append(Note(self.engine.now, back, "info", "records"))
        self.record_error = None

    @property
    def unended(self) -> bool:
        """Whether this session's record is still to be ended (the records refused)."""
        return self._unended is not None

    @property
    def recorded(self) -> bool:
        """Whether this session is still being written to the records."""
        return self.recording is not None

    # -- the notification log -------------------------------------------------------------

    def _collect(self) -> list[Note]:
        new = self.engine.trace[self._seen :]
        self._seen = len(self.engine.trace)
        if new and self.busy and any(e.name in self.vocab.interrupting for e in new):
            self.clock.interrupt()  # an alarm or the phone: the action in hand is dropped
        if new and self.recording is not None:
            self._record()
        notes = [n for n in (self._note(e) for e in new) if n is not None]
        self.notes.extend(notes)
        return notes

    def _note(self, e: TraceEntry) -> Note | None:
        lang = self.lang
        if e.kind == "action":
            spec = self.vocab.actions.get(e.name)
            label = spec.label(lang, self.engine.desk.case.module) if spec else e.name
            if e.name == "select_module":
                module = self.vocab.modules.get(e.arg("module") or "")
                label = f"{label}{tr('words.colon', lang)}{module.get(lang) if module else ''}"
            field, source = self.words.field(e.arg("field")), e.arg("source")
            if field and source:  # which field, from which paper
                taken = self.words.w("words.taken_from", paper=self.words.paper(source))
                colon = tr("words.colon", lang)
                label = f"{label}{colon}{field}{self.words.paren(taken)}"
            if e.name == "say":
                return None  # the dialogue panel shows it
            if not e.valid:
                reason = tr(f"precondition.{e.reason}", lang)
                return Note(e.t, dt("note.refused", lang, action=label, reason=reason), "refused")
            if e.name == "print_form":  # printed only when the printer says so (form_printed)
                return Note(e.t, dt("note.print_sent", lang), "action", e.name)
            return Note(e.t, dt("note.did", lang, action=label), "action", e.name)
        if e.name in self.vocab.unseen:
            return None
        level: Level = "alert" if e.name in self.vocab.alerts else "info"
        return Note(e.t, self.event_text(e), level, e.name)

    def event_text(self, e: TraceEntry) -> str:
        lang = self.lang
        spec = self.vocab.events.get(e.name)
        label = spec.label(lang) if spec else e.name
        cid = e.arg("customer")
        who = self.customer_name(cid) if cid else ""
        if e.arg("kind"):  # a fault, a hazard, an emergency: of which kind
            return f"{label}{tr('words.colon', lang)}{tr('fault.' + (e.arg('kind') or ''), lang)}"
        if e.name == "system_shows":
            note = self.loaded.scenario.notes.get(e.arg("note") or "")
            text = self.engine.render(note.get(lang), lang) if note is not None else ""
            return dt("note.system_shows", lang, text=text)
        if e.name in ("complaint_threatened", "supervisor_demanded"):
            return dt(f"note.{e.name}", lang, name=who)
        if e.name == "customer_mood":
            return dt(f"note.mood_{e.arg('level')}", lang, name=who)
        if e.name == "customer_arrives":
            return dt("note.arrives", lang, name=who)
        if e.name == "customer_leaves":
            return dt(f"note.leaves_{e.arg('reason')}", lang, name=who)
        if e.name == "customer_called":
            return dt("note.called", lang, name=who)
        if e.name == "phone_rings":
            return dt("note.rings", lang)
        if e.name == "check_result":
            items = self.vocab.station_items
            item = items[e.arg("item") or ""].get(lang) if e.arg("item") in items else ""
            return dt(f"note.check_{e.arg('result')}", lang, item=item)
        if e.name in ("queue_grows", "queue_long"):
            return dt(f"note.{e.name}", lang, n=e.arg("count") or "")
        if e.name == "discrepancy_found":
            return dt("note.discrepancy", lang, field=dt(f"field.{e.arg('field')}", lang))
        if e.name == "session_end":
            return dt("note.session_end", lang)
        return label

    def customer_name(self, cid: str | None) -> str:
        if cid is None:
            return ""
        try:
            spec = self.loaded.scenario.customer(cid)
        except KeyError:
            return cid
        return self.engine.render(spec.name.get(self.lang), self.lang)

    # -- what the desk shows beyond the observation ---------------------------------------

    def transcript(self, last: int = 8) -> list[tuple[str | None, str]]:
        """The conversation so far: (customer's name, line) or (None, the clerk's reply)."""
        s = self.loaded.scenario
        out: list[tuple[str | None, str]] = []
        for e in self.engine.trace:
            if e.kind == "event" and e.name == "customer_says":
                cid, node = e.arg("customer") or "", e.arg("node") or ""
                try:
                    says = s.customer(cid).dialogue[node].says
                except KeyError:
                    continue
                out.append((self.customer_name(cid), self.render(says.get(self.lang))))
            elif e.kind == "action" and e.name == "say" and e.valid:
                reply = self._reply(e.arg("reply") or "")
                if reply is not None:
                    out.append((None, self.render(reply)))
        return out[-last:]

    def _reply(self, rid: str) -> str | None:
        at = self.loaded.scenario.locate_reply(rid)
        return at.reply.text().get(self.lang) if at is not None else None

    def case_view(
        self,
    ) -> tuple[list[tuple[str, str]] | None, list[tuple[str, list[tuple[str, str]]]]]:
        """The current customer's entered application and the documents they handed over.

        The observation does not carry these values yet, so they are read (never changed)
        from the engine's desk. Document contents are shown as printed on them (Chinese).
        """
        cid = self.engine.desk.current
        if cid is None:
            return None, []
        cs = self.engine.desk.customers[cid]
        entered: list[tuple[str, str]] | None = None
        if cs.case.entered is not None or (cs.case.module is not None and cs.spec.application):
            # every field the application asks for, as entered so far ("" not yet)
            have = cs.case.entered or {}
            asked = {**dict.fromkeys(cs.spec.application, ""), **have}
            entered = sorted(asked.items(), key=_field_order)
        docs = [
            (
                self.engine.render(doc.title.get(self.lang), self.lang),
                [(k, self.engine.render(v, "zh")) for k, v in doc.fields.items()],
            )
            for doc in cs.spec.documents
        ]
        return entered, docs

    def briefing(self) -> str:
        """The scenario's briefing as this session's variant fills it."""
        from desk.i18n import tidy

        text = self.loaded.scenario.scenario.briefing.get(self.lang)
        return tidy(self.engine.render(text, self.lang))

    def system_notes(self) -> list[str]:
        """What the business system has shown so far (a look-up's result), in words."""
        notes = self.loaded.scenario.notes
        return [
            self.engine.render(notes[n].get(self.lang), self.lang)
            for n in self.engine.desk.notes
            if n in notes
        ]

    def sources(self, field: str) -> list[tuple[str, str, str]]:
        """Where the clerk can take ``field`` from: each paper on the counter that has it, then
        the customer's own form, as (source, what it is, what it says)."""
        cid = self.engine.desk.current
        if cid is None:
            return []
        cs = self.engine.desk.customers[cid]
        out: list[tuple[str, str, str]] = []
        if cs.case.documents_received:
            for doc in cs.spec.documents:
                if field in doc.fields:
                    text = self.engine.render(doc.fields[field], "zh")
                    title = self.engine.render(doc.title.get(self.lang), self.lang)
                    out.append((doc.kind, title, text))
        if field in cs.spec.application:
            text = self.engine.render(cs.spec.application[field], "zh")
            out.append(("form", self.words.paper("form"), text))
        return out

    def hint_text(self, h: HintRequest) -> tuple[str, tuple[str, ...]]:
        """A hint in words, and the clauses its action evidences (training mode shows them)."""
        if h.action is None:
            return dt("desk.hint_none", self.lang), ()
        if h.action == "finish":
            return dt("desk.hint_finish", self.lang), ()
        spec = self.vocab.actions.get(h.action)
        clauses = spec.evidences if spec else ()
        args = dict(h.args)
        if h.action == "say":
            return dt(
                "desk.hint_say", self.lang, text=self.render(self._reply(args["reply"]) or "")
            ), clauses
        label = spec.label(self.lang) if spec else h.action
        if "module" in args and args["module"] in self.vocab.modules:
            label += tr("words.colon", self.lang) + self.vocab.modules[args["module"]].get(
                self.lang
            )
        if "customer" in args:
            label += tr("words.colon", self.lang) + self.customer_name(args["customer"])
        return dt("desk.hint_do", self.lang, action=label), clauses

    def render(self, text: str) -> str:
        return tidy(self.engine.render(text, self.lang))

    def stamp(self, t: float) -> str:
        return clock(t)


_FIELDS = ("name", "id_number", "address", "phone")


def _field_order(item: tuple[str, str]) -> tuple[int, str]:
    key = item[0]
    return (_FIELDS.index(key) if key in _FIELDS else len(_FIELDS), key)


def _wall_for(seconds: float) -> float:
    """How long (wall seconds) a busy spell of ``seconds`` sim seconds is shown."""
    return min(0.9, 0.15 + seconds / 100.0)

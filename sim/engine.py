"""The scenario engine: simulated time is an event heap; nothing here sleeps or draws.

The API the UI, the scripted trainees and the tests all use::

    engine = Engine(loaded_scenario, seed)
    engine.apply(t, "log_in")          # process the world up to t, then the clerk's action
    engine.advance(t)                  # let the world run to t
    engine.observe()                   # a snapshot of what the clerk can see
    engine.answer_key()                # what the clerk cannot see (for scripted trainees only)
    engine.finish()                    # end the session (or it ends at the time limit)
    engine.trace                       # every event and action, with its sim time

Replaying a recorded input and scoring it is ``scoring.session``'s (the one path).

Same scenario, seed and timed actions: the same trace, byte for byte.
"""

from __future__ import annotations

import functools
import heapq
import math
import random
from collections.abc import Mapping
from typing import Any

from sim.desk import (
    CALM_FROM,
    PRECONDITIONS,
    UNEASY_FROM,
    Case,
    CustomerState,
    DeskState,
    mood_level,
)
from sim.handlers import ACTIONS, INTERNAL, WORLD, check_station, fix_station
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey, ReplyKey
from sim.scenario import LoadedScenario, Reply, Scenario, TimeSpec, Trigger
from sim.trace import TimedAction, TraceEntry, made_action, made_entry
from sim.vocabulary import Vocabulary, vocabulary

__all__ = ["Engine", "INJECT"]

# the input line an injected incident is recorded as (``{"action": "inject", "args": {"event":
# <id>}}``): never one of the clerk's actions (no button, no scripted trainee, no rule sees it);
# the trace shows it as the event ``injected`` followed by what the incident brings
INJECT = "inject"


# What is due on the heap: (t, seq, name, args, internal). Plain tuples are compared in C; the
# sequence number is unique, so two items never get as far as comparing their names.
_Scheduled = tuple[float, int, str, dict[str, str], bool]


class Engine:
    """One session of one scenario with one seed."""

    def __init__(
        self,
        loaded: LoadedScenario,
        seed: int,
        vocab: Vocabulary | None = None,
        *,
        time_limit: float | None = None,
    ):
        self.loaded = loaded
        self.scenario: Scenario = loaded.scenario
        self.seed = seed
        # a drill may set its own limit for a scenario; otherwise the scenario's
        self._time_limit = float(time_limit) if time_limit else None
        self._limit = (
            self._time_limit if self._time_limit is not None else self.scenario.scenario.time_limit
        )
        self.vocab = vocab or vocabulary()
        self.rng = random.Random(seed)
        self.variant = self.rng.choice(self.scenario.variants)
        self.desk = DeskState.from_scenario(self.scenario)
        self.now = 0.0
        self.done = False
        self.trace: list[TraceEntry] = []
        self.actions: list[TimedAction] = []
        self._heap: list[_Scheduled] = []
        self._seq = 0
        self._action_entries = 0  # the trace's entries that are the clerk's actions
        self._world_due = 0  # items on the heap that are the world's (not mood checks)
        self._seen: dict[tuple[str, int], int] = {}  # trigger index -> matches so far
        self._lookups = {c.id: c.lookups for c in self.scenario.customers if c.lookups}
        # the triggers each entry name can set off, in the scenario's order
        self._by_name, self._rank, self._words = _prepared(self.scenario)
        self._views: dict[str, tuple[tuple[object, ...], CustomerView]] = {}
        # what the clerk sees of the customers, kept up to date from the desk's roster
        self._views_now: dict[str, CustomerView] = {}  # present customers' views
        self._present: list[str] = []  # present customers, in the scenario's order
        self._asking: set[str] = set()  # present customers with a line said (node set)
        self._draining: set[str] = set()  # present customers whose mood falls as they wait
        self._shown: tuple[CustomerView, ...] | None = None
        self._questions: tuple[CustomerView, ...] = ()  # those shown with a reply on offer
        self._shown_at = -1.0  # the sim time the views were last brought up to date
        self._queue_seen: tuple[tuple[int, str | None], tuple[str, ...]] = ((-1, None), ())
        self._reply_views: dict[tuple[str, str], tuple[ReplyView, ...]] = {}
        self._reply_keys: dict[tuple[str, str], tuple[tuple[str, ReplyKey], ...]] = {}
        self._orders: dict[tuple[str, str], tuple[Reply, ...]] = {}
        # the answer key's replies on offer and look-ups, while nobody's question changes
        self._graded: tuple[dict[str, ReplyKey], dict[str, tuple[str, ...]]] | None = None
        self._papers_of: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._pre_shift = self.scenario.desk.pre_shift
        self.emit(0.0, "session_start", {})
        for entry in self.scenario.timeline:
            if entry.variants and self.variant.id not in entry.variants:
                continue  # another variant's
            self.schedule(self._draw(entry.at), entry.event, self._args(entry.args))
        self.advance(0.0)  # what is there at the start is there when the clerk first looks

    # -- the API ---------------------------------------------------------------------------

    @property
    def time_limit(self) -> float:
        return self._limit

    def next_event_time(self) -> float | None:
        """When the world will next change by itself (None when nothing is scheduled)."""
        return self._heap[0][0] if self._heap else None

    def world_pending(self) -> bool:
        """Whether anything of the world (not just a mood check) is still to come."""
        return self._world_due > 0

    def advance(self, t: float, *, entries: int | None = None) -> list[TraceEntry]:
        """Let the world run up to and including sim time ``t``; returns what happened.

        ``entries``: stop as soon as the trace holds that many (a record that stops between
        two things happening at the same moment is re-derived to exactly where it stops).
        """
        start = len(self.trace)
        if self.done:
            return []
        t = max(t, self.now)
        end = min(t, self.time_limit)
        heap = self._heap
        while heap and heap[0][0] <= end:
            if entries is not None and len(self.trace) >= entries:
                return self.trace[start:]
            item = heapq.heappop(heap)
            if not item[4]:
                self._world_due -= 1
            self.now = item[0]
            self._handle_event(item)
        self.now = end
        if t >= self.time_limit:
            self.end(self.time_limit)
        return self.trace[start:]

    def apply(self, t: float, action: str, args: Mapping[str, Any] | None = None) -> TraceEntry:
        """The clerk does ``action`` at sim time ``t`` (never earlier than now).

        An unknown action, or one whose preconditions do not hold, is recorded as an invalid
        attempt with the reason; it changes nothing else.
        """
        t = max(float(t), self.now)
        clean = {str(k): str(v) for k, v in args.items()} if args else {}
        self.actions.append(made_action(t, action, clean))
        self.advance(t)
        if action == INJECT:
            return self._inject(t, clean)
        if self.done:
            return self._record_action(t, action, clean, valid=False, reason="session_over")
        spec = self.vocab.actions.get(action)
        if spec is None:
            return self._record_action(t, action, clean, valid=False, reason="unknown_action")
        if not self._args_ok(spec.args, clean):
            return self._record_action(t, action, clean, valid=False, reason="bad_args")
        for name in spec.requires:
            if not PRECONDITIONS[name](self.desk, clean):
                return self._record_action(t, action, clean, valid=False, reason=name)
        if spec.fixes and self.desk.station.get(spec.fixes, "ok") != "problem":
            return self._record_action(t, action, clean, valid=False, reason="nothing_to_fix")
        tags: tuple[str, ...] = ()
        if action == "say":
            found = self.desk.find_reply(clean["reply"])
            assert found is not None  # guaranteed by the precondition
            tags = found[1].tags
        entry = self._record_action(t, action, clean, valid=True, tags=tags)
        if spec.checks:
            check_station(self, t, spec.checks)
        if spec.fixes:
            fix_station(self, t, spec.fixes)
        ACTIONS.get(action, _no_effect)(self, t, clean)
        self.fire_triggers(entry)
        return entry

    def inject(self, t: float, event: str) -> TraceEntry:
        """The instructor (or a drill's schedule) throws the scenario's injectable ``event`` in at
        sim time ``t`` (never earlier than now): recorded in the session's input like an action,
        so a replay brings it at the same moment; what it brings is the world's, scored as a
        scheduled event is. Refused (``ValueError``) when the scenario does not offer it."""
        if self.scenario.injection(event) is None:
            raise ValueError(event)
        return self.apply(t, INJECT, {"event": event})

    def _inject(self, t: float, args: dict[str, str]) -> TraceEntry:
        which = self.scenario.injection(args.get("event", ""))
        if which is None or self.done or args.keys() != {"event"}:
            # a hand-made input naming what the scenario does not offer: kept, and shown as an
            # attempt that changed nothing
            reason = "session_over" if self.done else "not_injectable"
            return self._record_action(t, INJECT, args, valid=False, reason=reason)
        entry = self.emit(t, "injected", {"event": which.id})
        for brought in which.brings:
            if brought.variants and self.variant.id not in brought.variants:
                continue
            at = min(t + self._draw(brought.at), self.time_limit)
            self.schedule(round(at, 3), brought.event, self._args(brought.args))
        self.advance(t)  # what it brings at once is there at the desk's next frame
        return entry

    def finish(self, t: float | None = None) -> None:
        """End the session now (or at ``t``), after letting the world run to then."""
        if self.done:
            return
        when = self.now if t is None else max(t, self.now)
        self.advance(when)
        self.end(self.now)

    def observe(self) -> Observation:
        d = self.desk
        customers = self._customers_seen()
        seen = (d.roster.version, d.current)  # who waits changes only with these
        if self._queue_seen[0] != seen:
            self._queue_seen = (seen, d.waiting_ids())
        current = d.current
        papers: tuple[str, ...] = ()
        form_fields: tuple[str, ...] = ()
        if current is None:
            case = _NO_CASE
        else:
            case = d.customers[current].case
            papers, form_fields = self._paperwork(current)
            if not case.documents_received:
                papers = ()
        printer, network, system = d.printer.state, d.network.state, d.system.state
        faults = _FAULTS.get((printer, network, system))
        if faults is None:
            faults = _FAULTS[(printer, network, system)] = _faults(printer, network, system)
        known = d.station_known
        return Observation.made(
            {
                "t": self.now,
                "time_limit": self._limit,
                "done": self.done,
                "computer": d.computer.state,
                "system": system,
                "network": network,
                "printer": printer,
                "queue": d.queue_length(),
                "phone": d.phone.state,
                "waiting": self._queue_seen[1],
                "station_known": tuple(sorted(known.items())) if known else (),
                "hazards": tuple(d.hazards),
                "extra_window": d.extra_window,
                "queue_alert": d.queue_alert,
                "pre_shift": self._pre_shift,
                "system_checked": d.system_checked,
                "current": current,
                "customers": customers,
                "asking": self._questions,
                "serving": None if current is None else self._views_now.get(current),
                "module": case.module,
                "documents_received": case.documents_received,
                "papers": papers,
                "form_fields": form_fields,
                "entered_fields": tuple(case.entered or ()),
                "data_entered": case.entered is not None,
                "verified": case.verified,
                "open_discrepancies": tuple(case.open_discrepancies),
                "submitted": case.submitted,
                "printed": case.printed,
                "informed": case.informed,
                "recorded": case.recorded,
                "complaint_recorded": case.complaint_recorded,
                "on_paper": case.on_paper,
                "faults": faults,
                "stopped": d.stopped,
                "faults_seen": d.faults_seen,
                "fault_log": d.fault_log,
                "printer_inspected": d.printer_inspected,
                "supervisor_reports": d.supervisor_reports,
                "help_requests": d.help_requests,
                "contingency": d.contingency,
                "overheating": d.overheating,
                "soiled": d.soiled,
                "emergency": d.emergency,
                "evacuated": d.evacuated,
                "notes": d.notes,
                "looked_up": case.looked_up,
                "pledged": case.pledged,
                "dispatched": case.dispatched,
            }
        )

    def _paperwork(self, customer: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The kinds of paper a customer brings and what their application asks for (the
        scenario's, the same all session)."""
        found = self._papers_of.get(customer)
        if found is None:
            spec = self.scenario.customer(customer)
            found = (tuple(doc.kind for doc in spec.documents), tuple(spec.application))
            self._papers_of[customer] = found
        return found

    def answer_key(self) -> AnswerKey:
        """What the clerk cannot see now: how each reply on offer is graded and what it does to
        the mood, whether the world has more to come, how many events were recorded."""
        self._customers_seen()  # brings the customers asking up to date
        graded = self._graded
        if graded is None:  # someone arrived, left or said a line since the last key
            graded = self._graded = self._grade()
        # every apply() records one action in the trace (an injection an event); the rest are
        # events
        return AnswerKey.made(
            {
                "replies": graded[0],
                "world_pending": self._world_due > 0,
                "events": len(self.trace) - self._action_entries,
                "lookups": graded[1],
            }
        )

    def _grade(self) -> tuple[dict[str, ReplyKey], dict[str, tuple[str, ...]]]:
        """The key's replies on offer (every open question's) and the look-ups a careful clerk
        makes for the customers present who have any (a few at most: not a pass over a long
        queue); made again only when those present or their open questions change."""
        d = self.desk
        replies: dict[str, ReplyKey] = {}
        for cid in self._by_rank(self._asking):
            node = d.customers[cid].node
            assert node is not None  # asking: a line has been said
            keys = self._reply_keys.get((cid, node))
            if keys is None:  # the same immutable keys each time the line is open
                spoken = d.customers[cid].spec.dialogue[node].replies
                keys = tuple(
                    (r.id, ReplyKey(tags=r.tags, mood=r.mood, order=k))
                    for k, r in enumerate(spoken)
                )
                self._reply_keys[(cid, node)] = keys
            replies.update(keys)
        lookups = {cid: found for cid, found in self._lookups.items() if cid in self._present}
        return replies, lookups

    def render(self, template: str, lang: str) -> str:
        """Fill a scenario text's ``{placeholders}`` with the variant's values."""
        return self.variant.fill(template, lang)

    def reply_order(self, customer: str, node: str) -> tuple[Reply, ...]:
        """The replies of a line in the order this session shows them: shuffled from the seed,
        so where a reply stands (first, last) teaches nothing, and a replay shows the same."""
        key = (customer, node)
        order = self._orders.get(key)
        if order is None:
            replies = list(self.scenario.customer(customer).dialogue[node].replies)
            rng = random.Random(f"replies|{self.seed}|{customer}|{node}")
            order = self._orders[key] = _shuffled(replies, rng)
        return order

    # -- internals -------------------------------------------------------------------------

    def _customers_seen(self) -> tuple[CustomerView, ...]:
        """The present customers' views, in the scenario's order. Only those that changed since
        the last look (the desk's roster says which) and those whose mood drains while their
        question waits are looked at again: a long queue costs what changed, not its length."""
        d = self.desk
        touched = d.roster.changed
        if not touched and self._shown_at == self.now and self._shown is not None:
            return self._shown  # nothing changed, and no mood has drained since
        self._shown_at = self.now
        todo = touched | self._draining if touched else self._draining
        if not todo and self._shown is not None:
            return self._shown
        views, changed = self._views_now, self._shown is None
        if touched:
            self._graded = None  # a line said or answered, an arrival, a departure
        for cid in todo:
            cs = d.customers[cid]
            old = views.get(cid)
            if cs.present:
                view = self._customer_view(cs)
                if view is not old:
                    if old is None:  # arrived: its place among those present, by scenario order
                        self._present = sorted((*self._present, cid), key=self._rank.__getitem__)
                    views[cid] = view
                    changed = True
                if cs.node is not None:
                    self._asking.add(cid)
                else:
                    self._asking.discard(cid)
                if cs.awaiting and cs.spec.patience > 0:
                    self._draining.add(cid)
                else:
                    self._draining.discard(cid)
            else:
                if old is not None:
                    del views[cid]
                    self._present = [c for c in self._present if c != cid]
                    changed = True
                self._asking.discard(cid)
                self._draining.discard(cid)
        touched.clear()
        if changed:
            self._shown = tuple(map(views.__getitem__, self._present))
            self._questions = tuple(
                [v for v in map(views.__getitem__, self._by_rank(self._asking)) if v.replies]
            )
        assert self._shown is not None
        return self._shown

    def _by_rank(self, ids: set[str]) -> list[str]:
        """Some of the present customers (a few: those asking), in the scenario's order."""
        if len(ids) < 2:  # mostly nobody, or one
            return list(ids)
        return sorted(ids, key=self._rank.__getitem__)

    def _customer_view(self, cs: CustomerState) -> CustomerView:
        """A customer as the clerk sees them; the view is immutable, so the one made last time
        is handed out again while nothing the clerk could see of them has changed."""
        mood = cs.mood(self.now)
        shown = (cs.node, round(mood, 1), mood_level(mood), cs.by_phone, cs.case.finished)
        cached = self._views.get(cs.spec.id)
        if cached is not None and cached[0] == shown:
            return cached[1]
        view = self._make_view(cs, mood)
        self._views[cs.spec.id] = (shown, view)
        return view

    def _reply_view(self, cs: CustomerState, node: str) -> tuple[ReplyView, ...]:
        key = (cs.spec.id, node)
        views = self._reply_views.get(key)
        if views is None:
            order, words = self.reply_order(cs.spec.id, node), self._words
            for r in order:
                if r.id not in words:
                    words[r.id] = ReplyView(id=r.id, text=r.text())
            views = tuple([words[r.id] for r in order])
            self._reply_views[key] = views
        return views

    def _make_view(self, cs: CustomerState, mood: float) -> CustomerView:
        replies: tuple[ReplyView, ...] = ()
        says = None
        if cs.node is not None:
            node = cs.spec.dialogue[cs.node]
            says = node.says
            replies = self._reply_view(cs, cs.node)
        return CustomerView.made(
            {
                "id": cs.spec.id,
                "name": cs.spec.name,
                "request": cs.spec.request,
                "mood": round(mood, 1),
                "level": mood_level(mood),
                "node": cs.node,
                "says": says,
                "replies": replies,
                "by_phone": cs.by_phone,
                "has_documents": bool(cs.spec.documents),
                "finished": cs.case.finished,
            }
        )

    def _args_ok(self, allowed: tuple[str, ...], args: Mapping[str, str]) -> bool:
        if args.keys() != _as_set(allowed):
            return False
        return "module" not in args or args["module"] in self.vocab.modules

    def _draw(self, spec: TimeSpec) -> float:
        if isinstance(spec, tuple):
            return round(self.rng.uniform(spec[0], spec[1]), 1)
        return float(spec)

    def schedule(self, t: float, name: str, args: dict[str, str], internal: bool = False) -> None:
        self._seq += 1
        if not internal:
            self._world_due += 1
        heapq.heappush(self._heap, (t, self._seq, name, args, internal))

    def _record_action(
        self,
        t: float,
        action: str,
        args: dict[str, str],
        valid: bool,
        reason: str | None = None,
        tags: tuple[str, ...] = (),
    ) -> TraceEntry:
        ordered = tuple(sorted(args.items())) if args else ()
        entry = made_entry(t, "action", action, ordered, valid, reason, tags)
        self.trace.append(entry)
        self._action_entries += 1
        return entry

    def emit(self, t: float, name: str, args: dict[str, str]) -> TraceEntry:
        """Record an event and let the scenario's triggers react to it."""
        entry = made_entry(t, "event", name, tuple(sorted(args.items())) if args else ())
        self.trace.append(entry)
        if not self.done:
            self.fire_triggers(entry)
        return entry

    def check_queue(self, t: float) -> None:
        """Raise ``queue_long`` once when the queue reaches the desk's alert level."""
        d = self.desk
        length = d.queue_length()
        if not d.queue_alerted and length >= d.queue_alert:
            d.queue_alerted = True
            self.emit(t, "queue_long", {"count": str(length)})

    def end(self, t: float) -> None:
        if self.done:
            return
        self.now = t
        self.emit(t, "session_end", {})
        self.done = True
        self._heap.clear()
        self._world_due = 0

    def _handle_event(self, item: _Scheduled) -> None:
        t, _, name, args, internal = item
        if internal:
            INTERNAL[name](self, t, args)
            return
        if not WORLD[name](self, t, args):
            return
        self.emit(t, name, args)
        self.check_queue(t)

    def fire_triggers(self, entry: TraceEntry) -> None:
        for index, trig in self._by_name.get(entry.name, ()):
            if not trig.on.matches(entry):
                continue
            if trig.variants and self.variant.id not in trig.variants:
                continue  # another variant's
            if trig.serving is not None and self.desk.current != trig.serving:
                continue  # done for another customer than the one it is about
            key = ("trigger", index)
            self._seen[key] = self._seen.get(key, 0) + 1
            if self._seen[key] == trig.nth:
                self._fire(trig, entry.t)

    def _fire(self, trig: Trigger, t: float) -> None:
        self.schedule(t + self._draw(trig.delay), trig.event, self._args(trig.args))

    def _args(self, args: Mapping[str, str]) -> dict[str, str]:
        """An event's arguments as this variant has them (``kind: "{fault}"``)."""
        return {k: self.variant.fill(v, "zh") if "{" in v else v for k, v in args.items()}

    # customers

    def set_mood(self, cs: CustomerState, t: float, mood: float) -> None:
        cs.mood_anchor = max(0.0, min(100.0, mood))
        cs.anchor_t = t
        cs.version += 1
        self.check_level(cs, t)
        self.schedule_mood_check(cs, t)

    def check_level(self, cs: CustomerState, t: float) -> None:
        level = mood_level(cs.mood(t))
        if level != cs.level:
            cs.level = level
            self.emit(t, "customer_mood", {"customer": cs.spec.id, "level": level})
        if cs.mood(t) <= 0.0 and cs.present:
            cs.node = None
            self.schedule(t, "customer_leaves", {"customer": cs.spec.id, "reason": "angry"})

    def schedule_mood_check(self, cs: CustomerState, t: float) -> None:
        """While a question waits, schedule the moment the mood falls into the next band."""
        if not cs.awaiting or cs.spec.patience <= 0:
            return
        mood = cs.mood(t)
        if mood <= 0.0:
            return
        drop = mood  # down to 0, when the customer gives up
        for bound in (CALM_FROM, UNEASY_FROM):
            if mood >= bound:
                drop = mood - bound + 0.1  # the band is left just below its lower bound
                break
        # rounded up, so that at the check the band has really been left (never a busy loop)
        when = max(math.ceil((t + drop * 60.0 / cs.spec.patience) * 1000) / 1000, t + 0.001)
        self.schedule(when, "mood_check", {"customer": cs.spec.id, "v": str(cs.version)}, True)

    def say_line(self, cs: CustomerState, t: float, node: str) -> None:
        mood = cs.mood(t)
        cs.node = node
        self.set_mood(cs, t, mood)


def _shuffled(items: list[Reply], rng: random.Random) -> tuple[Reply, ...]:
    """``rng.shuffle(items)``, written out: the order a session shows a line's replies in is
    what its replay must show again, so the engine keeps its own shuffle (Python promises the
    same numbers from the same seed, not the same shuffle in every version); a test holds it to
    the standard library's."""
    getrandbits = rng.getrandbits
    for i in range(len(items) - 1, 0, -1):
        n = i + 1  # j drawn below n, as random._randbelow does: k bits, again while too large
        k = n.bit_length()
        j = getrandbits(k)
        while j >= n:
            j = getrandbits(k)
        items[i], items[j] = items[j], items[i]
    return tuple(items)


# nobody is being served: an empty case (read, never written)
_NO_CASE = Case()

# the desk's faults the clerk can see, by (printer, network, system) state
_FAULTS: dict[tuple[str, str, str], tuple[str, ...]] = {}


def _faults(printer: str, network: str, system: str) -> tuple[str, ...]:
    faults = []
    if printer in ("jammed", "low_ink", "offline"):
        faults.append(f"printer_{printer}")
    if network == "down":
        faults.append("network_down")
    if system == "faulty":
        faults.append("system_fault")
    return tuple(faults)


@functools.cache
def _as_set(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(names)


_Prepared = tuple[dict[str, list[tuple[int, Trigger]]], dict[str, int], dict[str, ReplyView]]
_PREPARED: dict[int, tuple[Scenario, _Prepared]] = {}


def _prepared(s: Scenario) -> _Prepared:
    """What every session of a scenario looks up: its triggers by the name they wait for, each
    customer's place in the scenario, and each reply as the clerk sees it (by reply id, filled
    as replies are first shown; only their order is the session's) — made once per scenario
    (the cache keeps the scenario alive, so its id is not reused)."""
    hit = _PREPARED.get(id(s))
    if hit is not None and hit[0] is s:
        return hit[1]
    by_name: dict[str, list[tuple[int, Trigger]]] = {}
    for index, trig in enumerate(s.triggers):
        by_name.setdefault(trig.on.name, []).append((index, trig))
    rank = {c.id: k for k, c in enumerate(s.customers)}
    if len(_PREPARED) > 256:
        _PREPARED.clear()
    made: _Prepared = (by_name, rank, {})
    _PREPARED[id(s)] = (s, made)
    return made


def _no_effect(engine: Engine, t: float, args: dict[str, str]) -> None:
    """Station checks and fixes do all their work generically."""

"""Scripted trainees: policies over what the clerk can see, driving the same engine headless.

``expert`` follows the procedure; each flawed trainee is the expert with one characteristic
flaw, so the points it loses are exactly the clauses that flaw deserves. The expert weighs
things in the procedure's order: safety first (3.3.c), then faults (3.3.a, 5.3.b), then the
customer's questions (3.2.c), then the business (3.1).

The expert knows the answers a trainee must work out: which reply is accurate, which is
misleading, what each does to the customer, whether anything is still to come. It reads them
from the engine's answer key (``sim.oracle.AnswerKey``), handed to ``decide`` beside the
observation; the random clerk is given it too and ignores it.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from copy import copy
from dataclasses import dataclass, replace
from typing import ClassVar, Self

from mypy_extensions import mypyc_attr

from sim.engine import Engine
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario
from sim.vocabulary import vocabulary

__all__ = ["Decision", "Trainee", "AGENTS", "make_agent", "run_agent"]

MAX_STEPS = 4000
_WAIT = "_wait"


@dataclass(frozen=True)
class Decision:
    action: str
    args: tuple[tuple[str, str], ...] = ()


Step = Callable[[Observation, AnswerKey], Decision | None]


def authored(c: CustomerView, key: AnswerKey) -> list[ReplyView]:
    """The replies on offer in the order the scenario's author wrote them (the desk shows them
    shuffled): a trainee that knows the answers picks by what a reply is, never by where the
    desk happens to put it."""
    return sorted(c.replies, key=lambda r: key.order(r.id))


def _do(action: str, **args: str) -> Decision:
    if not args:  # most decisions: one immutable Decision per action, made once
        plain = _PLAIN.get(action)
        if plain is None:
            plain = _PLAIN[action] = Decision(action)
        return plain
    return Decision(action, tuple(sorted(args.items())))


_PLAIN: dict[str, Decision] = {}


def _twin_rng(rng: random.Random) -> random.Random:
    twin = random.Random()
    twin.setstate(rng.getstate())
    return twin


# what ``clone`` gives a twin of its own by name (the rest of a subclass's by kind)
_CLONED = frozenset({"_steps", "_rng", "_escalated", "_done"})


# the hall's emergency plans, in the order the expert follows them
_COLLAPSE_PLAN = ("call_ambulance", "clear_space", "report_supervisor", "stay_with_customer")
_FIRE_PLAN = (
    "stop_operation",
    "lock_screen",
    "evacuate_hall",
    "call_fire_service",
    "report_supervisor",
    "count_people",
)
_HALL_PLAN = frozenset(_COLLAPSE_PLAN + _FIRE_PLAN)


@mypyc_attr(allow_interpreted_subclasses=True)  # the authoring probes and tests make their own
class Trainee:
    """The procedure followed step by step; subclasses override one habit each."""

    name: ClassVar[str] = "expert"
    # the desk's alarms and the phone take this trainee off the action in hand at once
    drops_for_alarms: ClassVar[bool] = True

    def __init__(self, seed: int = 0) -> None:
        self._seed = seed
        self._rng: random.Random | None = None  # made when first asked for (rng)
        self.vocab = vocabulary()
        self._printer_was = "ok"
        self._needs_test = False
        self._reported_faults = 0  # system/network faults reported so far
        self._faults_of_kind = 0
        self._escalated: set[str] = set()  # customers whose matter went to the supervisor
        self._owe_help = False  # told a customer the supervisor would be asked
        self._done: set[str] = set()  # one-off steps taken (station checks, queue, ...)
        self._last_system = "logged_out"
        self._last_network = "up"
        self._casualty: str | None = None  # the customer who collapsed at the counter
        self._steps: tuple[Step, ...] | None = None  # what it attends to (asked at its first look)

    @property
    def rng(self) -> random.Random:
        """This trainee's own random generator, from its seed: made when first asked for (the
        expert and most trainees never ask; making one costs as much as several decisions)."""
        rng = self._rng
        if rng is None:
            rng = self._rng = random.Random(self._seed)
        return rng

    @rng.setter
    def rng(self, rng: random.Random) -> None:
        self._rng = rng

    # -- the order a good clerk weighs things in --------------------------------------------

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        """The next action (None: wait for the world), from the view and the answer key."""
        self.watch(obs)
        steps = self._steps
        if steps is None:  # what a trainee attends to is its own for good: asked once
            steps = self._steps = self.steps()
        for step in steps:
            d = step(obs, key)
            if d is not None:
                return None if d.action == _WAIT else d
        return None if obs.t < obs.time_limit and key.world_pending else _do("finish")

    def steps(self) -> tuple[Step, ...]:
        """What this trainee attends to, most urgent first."""
        return (
            self.on_hall,
            self.on_phone,
            self.on_safety,
            self.on_fault,
            self.on_escalation,
            self.on_question,
            self.on_emergency,
            self.on_device,
            self.on_printer,
            self.on_outage,
            self.on_queue,
            self.on_station,
            self.business,
        )

    # -- shadowing a clerk (the desk's hints) ------------------------------------------------

    def took(self, action: str, args: Mapping[str, str], obs: Observation, key: AnswerKey) -> None:
        """The clerk this trainee shadows did ``action`` and the desk accepted it; ``obs`` and
        ``key`` are from just before. The matching one-off steps are marked done, so what this
        trainee would do next follows from what was really done, not from what it would have."""
        spec = self.vocab.actions.get(action)
        if spec is not None and (spec.checks or spec.routine):
            self._done.add(action)
        if obs.emergency is not None and action in _HALL_PLAN:
            # a step of the hall's plan, taken: not to be taken again (a hint, a demonstration)
            self._done.add(f"hall:{action}")
            if obs.emergency == "collapse" and self._casualty is None:
                self._casualty = obs.current or ""
        if action == "check_queue":
            self._done.add("check_queue")
        elif action == "wear_protection":
            self._done.add("protection")
        elif action == "test_print":
            self._needs_test = False
        elif action == "report_supervisor":
            self._reported_faults = self._faults_of_kind
            if obs.current is not None:
                self._escalated.add(obs.current)
        elif action == "ask_supervisor_help":
            self._owe_help = False
        elif action == "say" and "escalate" in key.tags(args.get("reply", "")):
            self._owe_help = True

    def clone(self) -> Self:
        """A twin to ask what it would do without changing this one: its bookkeeping and its
        random generator are its own (the vocabulary, large and read-only, is shared)."""
        twin = copy(self)
        twin._steps = None  # bound to this one: the twin asks its own
        if self._rng is not None:  # otherwise the twin makes its own from the same seed
            twin._rng = _twin_rng(self._rng)
        twin._escalated, twin._done = set(self._escalated), set(self._done)
        # a subclass's own bookkeeping (the authoring probes', a test's), kept in its __dict__
        for name, value in getattr(self, "__dict__", {}).items():
            if name in _CLONED:
                continue
            if isinstance(value, set | list | dict):
                setattr(twin, name, copy(value))
            elif isinstance(value, random.Random):
                setattr(twin, name, _twin_rng(value))
        return twin

    # -- what each step looks at -------------------------------------------------------------

    def watch(self, obs: Observation) -> None:
        """Keep track of what changed since the last look (fault episodes, the printer)."""
        if self._printer_was in ("jammed", "low_ink", "offline") and obs.printer == "ok":
            self._needs_test = True
        self._printer_was = obs.printer
        # a system or network fault is an episode that needs its own report
        if obs.system == "faulty" and self._last_system != "faulty":
            self._faults_of_kind += 1
        if obs.network == "down" and self._last_network != "down":
            self._faults_of_kind += 1
        self._last_system, self._last_network = obs.system, obs.network

    def on_hall(self, obs: Observation, key: AnswerKey) -> Decision | None:
        """An emergency in the hall comes before everything (the hall's plan, 3.3.c, 5.3.d).
        Smoke or fire: business stopped, the system locked, everyone led out by the marked
        routes, 119, the supervisor told, heads counted outside. A customer who collapses: 120 at
        once, space kept around them, the supervisor told, someone stays with them."""
        if obs.emergency is None:
            return None
        if obs.emergency == "collapse" and self._casualty is None:
            self._casualty = obs.current or ""
        plan = _COLLAPSE_PLAN if obs.emergency == "collapse" else _FIRE_PLAN
        for action in plan:
            if f"hall:{action}" in self._done:
                continue
            if action == "lock_screen" and obs.system != "logged_in":
                continue
            if action == "count_people" and not obs.evacuated:
                return None
            if action != plan[0]:
                # after the first step, a customer who answers back ("let me sign first", "I'll
                # take the lift") is answered with the safe reply before the next: telling them
                # is part of leading them out, and once the hall is cleared it is too late
                said = self.on_safety(obs, key)
                if said is not None:
                    return said
            self._done.add(f"hall:{action}")
            if action == "report_supervisor":
                self._reported_faults = self._faults_of_kind
                d = self.report()
                if d is not None:
                    return d
                continue
            return _do(action)
        # after a collapse, the customer at the counter when it happened stays in the clerk's
        # care until the ambulance takes over: questions are answered, business for others waits
        if obs.emergency == "collapse" and obs.customer(self._casualty) is not None:
            for c in obs.customers:
                if c.replies:
                    return self.say(c, key)
            return _do(_WAIT)
        return None

    def on_device(self, obs: Observation, key: AnswerKey) -> Decision | None:
        """A device running hot is stopped and cooled (4.2.e, 5.2.d); a spill on the counter is
        cleaned up before it spreads (2.3.e)."""
        if obs.overheating is not None:
            if not obs.stopped:
                return _do("stop_operation")
            return _do("cool_device")
        if obs.soiled:
            return _do("clean_spill")
        return None

    def on_phone(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return _do("answer_phone") if obs.phone == "ringing" else None

    def on_safety(self, obs: Observation, key: AnswerKey) -> Decision | None:
        for c in obs.asking:
            if any("safety" in key.tags(r.id) for r in c.replies):
                return self.say(c, key)
        return None

    def on_fault(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.faults and not obs.stopped:
            return _do("stop_operation")
        if self._faults_of_kind > self._reported_faults:
            self._reported_faults = self._faults_of_kind
            return self.report()
        return None

    def on_escalation(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if self._owe_help:
            self._owe_help = False
            return self.ask_help()
        return None

    def on_question(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return self.say(obs.asking[0], key) if obs.asking else None

    def on_emergency(self, obs: Observation, key: AnswerKey) -> Decision | None:
        """A hazard reported and its case not yet closed: the work order, telling the reporter
        it is out and logging the case come before anything that can wait (a jammed printer,
        another customer's paperwork), while the reporter is still there."""
        c = obs.customer(obs.current)
        if c is None or c.id not in obs.hazards or (obs.informed and obs.recorded):
            return None
        return self.business(obs, key)

    def say(self, c: CustomerView, key: AnswerKey) -> Decision:
        reply = self.choose_reply(c, key)
        if "escalate" in key.tags(reply.id):
            self._owe_help = True
        return _do("say", reply=reply.id)

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        """Never a bad reply while a good one is on offer; safety advice first, then what is
        accurate, then what pleases the customer most."""
        offered = authored(c, key)
        good = [r for r in offered if not set(key.tags(r.id)) & self.vocab.bad_tags]
        pool = good or offered
        pool.sort(
            key=lambda r: (
                "safety" not in key.tags(r.id),
                "accurate" not in key.tags(r.id),
                -key.mood(r.id),
            )
        )
        return pool[0]

    def on_printer(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.printer in ("jammed", "low_ink"):
            if not obs.printer_inspected:
                return _do("inspect_printer")
            if obs.printer == "low_ink" and "protection" not in self._done:
                self._done.add("protection")
                return _do("wear_protection")
            return _do("clear_paper_jam" if obs.printer == "jammed" else "replace_ink_cartridge")
        if self._needs_test and obs.printer == "ok":
            self._needs_test = False
            return self.test_print()
        if obs.faults_seen > obs.fault_log:
            return self.log_fault()
        return None

    def on_outage(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.network != "down" and obs.system != "faulty":
            return None
        if not obs.contingency:
            return self.contingency()
        cur = obs.customer(obs.current)
        if cur is not None and not obs.submitted and not obs.on_paper and cur.has_documents:
            return _do("register_on_paper")
        return None

    def on_queue(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.queue >= obs.queue_alert:
            if "check_queue" not in self._done:
                self._done.add("check_queue")
                return _do("check_queue")
            if not obs.extra_window:
                return _do("request_extra_window")
        return None

    def on_station(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if not obs.pre_shift:
            return None
        known = dict(obs.station_known)
        for action in self.vocab.station_checks:
            if action not in self._done:
                self._done.add(action)
                d = self.station_check(action)
                if d is not None:
                    return d
        for action, item in self.vocab.station_fixes:
            if known.get(item) == "problem":
                d = self.station_fix(action)
                if d is not None:
                    return d
        for action in self.vocab.routine_actions:
            if action not in self._done:
                self._done.add(action)
                d = self.station_routine(action)
                if d is not None:
                    return d
        return None

    def business(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.system == "faulty" or obs.network == "down":
            return _do(_WAIT)  # nothing may be done in the system until it is back
        if obs.system != "logged_in":
            return _do("log_in")
        if not obs.system_checked:
            return _do("check_system_status")
        c = obs.customer(obs.current)
        if c is None or c.finished:
            return self.next_customer(obs)
        if obs.module is None:
            return _do("select_module", module=c.request)
        for action in key.lookups.get(c.id, ()):
            if action not in obs.looked_up:  # the system consulted before anything is said
                return _do(action)
        if c.request == "complaint" and not obs.complaint_recorded:
            d = self.record_complaint()
            if d is not None:
                return d
        if (c.request == "complaint" or c.id in obs.hazards) and c.id not in self._escalated:
            self._escalated.add(c.id)
            d = self.report()
            if d is not None:
                return d
        if c.id in obs.hazards and not obs.contingency:
            return self.contingency()
        application = self.needs_application(obs, c)
        if application and not obs.documents_received and c.has_documents:
            return _do("receive_documents")
        if application and not obs.data_entered:
            return _do("enter_customer_data")
        if application and not obs.pledged and self.unproven(obs):
            return _do("take_pledge")  # 一证受理: the pledge for the papers still to come
        if application and not obs.verified:
            d = self.verify()
            if d is not None:
                return d
        if obs.open_discrepancies:
            return _do("correct_data")
        if application and not obs.submitted:
            return self.submit(obs)
        if (
            application
            and c.request in self.vocab.receipt_modules
            and not c.by_phone
            and not obs.printed
        ):
            if obs.printer == "printing":
                return _do(_WAIT)
            return self.print_form(obs)
        if not obs.informed:
            return _do("inform_customer")
        # the repair dispatch rung about an urgent job, once its reporter has been told
        urgent = c.request == "fault_repair" or c.id in obs.hazards
        if urgent and obs.submitted and not obs.dispatched:
            d = self.dispatch()
            if d is not None:
                return d
        if not obs.recorded:
            return self.record()
        return self.next_customer(obs)

    def needs_application(self, obs: Observation, c: CustomerView) -> bool:
        if c.request in ("complaint", "consultation", "billing"):
            return False
        # an agent without the holder's written authority: nothing can be accepted
        return not (obs.documents_received and self.lacking(obs))

    def lacking(self, obs: Observation) -> tuple[str, ...]:
        """The papers the ones on the counter are no use without (an agent's authority)."""
        papers = self.vocab.papers
        needs = (papers[k].needs for k in obs.papers if k in papers)
        return tuple(n for n in needs if n is not None and n not in obs.papers)

    def unproven(self, obs: Observation) -> bool:
        """A field whose papers are missing and may follow under a signed pledge."""
        fields = self.vocab.fields
        return any(
            fields[f].pledge and not set(fields[f].from_) & set(obs.papers)
            for f in obs.form_fields
            if f in fields
        )

    def next_customer(self, obs: Observation) -> Decision | None:
        if obs.waiting:
            return _do("call_next_customer")
        return None

    # -- single habits, each a place for a flaw ----------------------------------------------

    def verify(self) -> Decision | None:
        return _do("verify_data")

    def submit(self, obs: Observation) -> Decision | None:
        return _do("submit_application")

    def print_form(self, obs: Observation) -> Decision | None:
        return _do("print_form")

    def record(self) -> Decision | None:
        return _do("record_result")

    def record_complaint(self) -> Decision | None:
        return _do("record_complaint")

    def log_fault(self) -> Decision | None:
        return _do("log_fault")

    def test_print(self) -> Decision | None:
        return _do("test_print")

    def report(self) -> Decision | None:
        return _do("report_supervisor")

    def dispatch(self) -> Decision | None:
        return _do("call_dispatch")

    def ask_help(self) -> Decision | None:
        return _do("ask_supervisor_help")

    def contingency(self) -> Decision | None:
        return _do("start_contingency")

    def station_check(self, action: str) -> Decision | None:
        return _do(action)

    def station_fix(self, action: str) -> Decision | None:
        return _do(action)

    def station_routine(self, action: str) -> Decision | None:
        return _do(action)


@mypyc_attr(allow_interpreted_subclasses=True)
class Careless(Trainee):
    """Does not check (the data before submitting, the devices before the shift) and keeps no
    records (the service log, the fault log, the complaint, the daily checklist)."""

    name = "careless"

    def verify(self) -> Decision | None:
        return None

    def record(self) -> Decision | None:
        return None

    def record_complaint(self) -> Decision | None:
        return None

    def log_fault(self) -> Decision | None:
        return None

    def station_check(self, action: str) -> Decision | None:
        return None if action in self.vocab.device_checks else _do(action)

    def station_routine(self, action: str) -> Decision | None:
        return None if action == "fill_inspection_checklist" else _do(action)


@mypyc_attr(allow_interpreted_subclasses=True)
class Panicky(Trainee):
    """Keeps working through a fault and tells the customer whatever calms them."""

    name = "panicky"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self._retried = 0

    def on_fault(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return None  # never stops, never reports a fault

    def on_outage(self, obs: Observation, key: AnswerKey) -> Decision | None:
        outage = obs.network == "down" or obs.system == "faulty"
        if outage and self._retried < 2 and obs.data_entered and not obs.submitted:
            self._retried += 1
            return _do("submit_application")  # just try again
        return None

    def business(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.network == "down" or obs.system == "faulty":
            return _do(_WAIT)
        self._retried = 0
        return super().business(obs, key)

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        return max(authored(c, key), key=lambda r: key.mood(r.id))

    def on_printer(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.printer in ("jammed", "low_ink"):
            if self._retried < 2 and obs.submitted and not obs.printed:
                self._retried += 1
                return _do("print_form")  # just try again
            self._retried = 0
            return _do("clear_paper_jam" if obs.printer == "jammed" else "replace_ink_cartridge")
        self._needs_test = False  # no time for a test page
        if obs.faults_seen > obs.fault_log:
            return _do("log_fault")
        return None

    def station_fix(self, action: str) -> Decision | None:
        # a warning on a device is ignored: the counter must open on time
        item = self.vocab.actions[action].fixes
        if item is not None and self.vocab.station_items[item].device:
            return None
        return _do(action)


@mypyc_attr(allow_interpreted_subclasses=True)
class Brusque(Trainee):
    """Short with customers: takes the curt answer whenever one is on offer."""

    name = "brusque"

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        curt = [r for r in authored(c, key) if "impatient" in key.tags(r.id)]
        return curt[0] if curt else super().choose_reply(c, key)


@mypyc_attr(allow_interpreted_subclasses=True)
class Solo(Trainee):
    """Decides alone: never reports to or asks the supervisor, and promises what is asked."""

    name = "solo"

    def report(self) -> Decision | None:
        return None

    def ask_help(self) -> Decision | None:
        return None

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        promise = [r for r in authored(c, key) if "promise" in key.tags(r.id)]
        if promise:
            return promise[0]
        own = [r for r in authored(c, key) if "escalate" not in key.tags(r.id)]
        if own:
            return Trainee.choose_reply(self, replace(c, replies=tuple(own)), key)
        return Trainee.choose_reply(self, c, key)

    def say(self, c: CustomerView, key: AnswerKey) -> Decision:
        return _do("say", reply=self.choose_reply(c, key).id)


@mypyc_attr(allow_interpreted_subclasses=True)
class PaperworkFirst(Trainee):
    """Does the form before anything the customer says, even when safety is at stake."""

    name = "paperwork_first"
    drops_for_alarms = False  # finishes what it is writing, whatever rings

    def on_safety(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return None

    def steps(self) -> tuple[Step, ...]:
        return (
            self.on_phone,
            self.on_fault,
            self.on_escalation,
            self.business_only,
            self.on_question,
            self.on_printer,
            self.on_outage,
            self.on_queue,
            self.on_station,
            self.business,
        )

    def business_only(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if obs.faults:
            return None
        d = super().business(obs, key)
        if d is None or d.action in ("inform_customer", "record_result", _WAIT):
            return None
        return d


@mypyc_attr(allow_interpreted_subclasses=True)
class RandomClerk(Trainee):
    """Presses anything: a fuzzing trainee for the engine and the scorer."""

    name = "random"

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        # presses anything it can see: the answer key is never looked at
        if self.rng.random() < 0.03:
            return _do("finish")
        if self.rng.random() < 0.1:
            return None
        action = self.rng.choice(sorted(self.vocab.actions))
        if action == "finish":
            return None
        args: dict[str, str] = {}
        if action == "select_module":
            args["module"] = self.rng.choice(sorted(self.vocab.modules))
        if action == "say":
            options = [r.id for c in obs.customers for r in c.replies] or ["nothing"]
            args["reply"] = self.rng.choice(options)
        if action == "serve":
            args["customer"] = self.rng.choice([c.id for c in obs.customers] or ["nobody"])
        return _do(action, **args)


AGENTS: dict[str, Callable[[int], Trainee]] = {
    "expert": Trainee,
    "careless": Careless,
    "panicky": Panicky,
    "brusque": Brusque,
    "solo": Solo,
    "paperwork_first": PaperworkFirst,
    "random": RandomClerk,
}


def _busy_until(
    engine: Engine,
    t: float,
    done: float,
    due: list[tuple[float, str]],
    on_action: Callable[[Engine], None] | None,
    interrupt: bool = True,
) -> float:
    """When the clerk is next free to decide: when the action taken at ``t`` is done, or
    earlier, the moment something that takes a clerk off what they are doing happens (the
    desk's alarms, the phone), as the desk lets the trainee drop the action in hand; incidents
    due meanwhile are thrown in at their moment."""
    stops = engine.vocab.interrupting if interrupt else frozenset()
    trace = engine.trace
    while not engine.done:
        nxt = engine.next_event_time()
        start = len(trace)
        if due and due[0][0] < done and (nxt is None or due[0][0] < nxt):
            at, event = due.pop(0)
            engine.inject(at, event)
            if on_action is not None:
                on_action(engine)
        elif nxt is None or nxt >= done:
            return done
        else:
            at = nxt
            engine.advance(nxt)
        if len(trace) > start and any(e.name in stops for e in trace[start:]):
            return max(t, at)
    return done


def make_agent(name: str, seed: int = 0) -> Trainee:
    return AGENTS[name](seed)


def run_agent(
    loaded: LoadedScenario,
    seed: int,
    agent: Trainee,
    *,
    engine: Engine | None = None,
    on_action: Callable[[Engine], None] | None = None,
    actions: int | None = None,
    injections: Sequence[tuple[float, str]] = (),
) -> Engine:
    """Let a scripted trainee work the scenario to the end; each action takes its duration.

    ``engine``: a session already under way is played on from where it stands (its sim time).
    ``on_action`` is called after each action (a recorder commits it there), and once more
    when the session has ended. ``actions``: stop after that many, the session left open.
    ``injections``: incidents thrown in at set sim times (a drill's schedule), each recorded
    in the input when the clock reaches it, as the desk does.
    """
    engine = engine if engine is not None else Engine(loaded, seed)
    durations = engine.vocab.durations
    due = sorted((float(at), event) for at, event in injections if at >= engine.now)
    t = engine.now
    taken = 0
    for _ in range(MAX_STEPS):
        if engine.done:
            break
        if actions is not None and taken >= actions:
            return engine
        while due and due[0][0] <= t and not engine.done:
            at, event = due.pop(0)
            engine.inject(at, event)
            if on_action is not None:
                on_action(engine)
        engine.advance(t)
        decision = agent.decide(engine.observe(), engine.answer_key())
        if decision is not None and decision.action == "finish" and due:
            decision = None  # an incident is still to be thrown in: the session goes on to it
        if decision is None:
            nxt = engine.next_event_time()
            if due and (nxt is None or due[0][0] < nxt):
                nxt = due[0][0]  # nothing happens before the next incident is thrown in
            if nxt is None:
                engine.finish()
                break
            t = max(t, nxt)
            continue
        engine.apply(t, decision.action, dict(decision.args))
        taken += 1
        if on_action is not None:
            on_action(engine)
        done = round(t + durations.get(decision.action, 5.0), 3)
        t = _busy_until(engine, t, done, due, on_action, agent.drops_for_alarms)
    engine.finish()
    if on_action is not None:
        on_action(engine)
    return engine

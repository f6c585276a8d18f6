"""Scripted trainees: policies over what the clerk can see, driving the same engine headless.

``expert`` follows the procedure; each flawed trainee is the expert with one characteristic
flaw, so the points it loses are exactly the clauses that flaw deserves.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from sim.engine import Engine
from sim.observation import CustomerView, Observation
from sim.scenario import LoadedScenario
from sim.vocabulary import vocabulary

__all__ = ["Decision", "Trainee", "AGENTS", "make_agent", "run_agent"]

# Replies a clerk must never give; the expert avoids them, whatever they do to the mood.
BAD_TAGS = frozenset({"misleading", "conceals", "impatient", "promise", "jargon"})
MAX_STEPS = 2000


@dataclass(frozen=True)
class Decision:
    action: str
    args: tuple[tuple[str, str], ...] = ()


def _do(action: str, **args: str) -> Decision:
    return Decision(action, tuple(sorted(args.items())))


class Trainee:
    """The procedure followed step by step; subclasses override one habit each."""

    name = "expert"

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self._printer_was = "ok"
        self._needs_test = False

    # what each habit does, in the order a good clerk weighs them

    def decide(self, obs: Observation) -> Decision | None:
        self._watch(obs)
        for step in (self.on_fault, self.on_question, self.on_printer, self.business):
            d = step(obs)
            if d is not None:
                return d if d.action != "_wait" else None
        return _do("finish")

    def _watch(self, obs: Observation) -> None:
        if self._printer_was in ("jammed", "low_ink", "offline") and obs.printer == "ok":
            self._needs_test = True
        self._printer_was = obs.printer

    def on_fault(self, obs: Observation) -> Decision | None:
        if obs.faults and not obs.stopped:
            return _do("stop_operation")
        return None

    def on_question(self, obs: Observation) -> Decision | None:
        for c in obs.customers:
            if c.replies:
                return _do("say", reply=self.choose_reply(c))
        return None

    def choose_reply(self, c: CustomerView) -> str:
        good = [r for r in c.replies if not set(r.tags) & BAD_TAGS]
        pool = good or list(c.replies)
        pool.sort(key=lambda r: ("accurate" not in r.tags, -r.mood))
        return pool[0].id

    def on_printer(self, obs: Observation) -> Decision | None:
        if obs.printer in ("jammed", "low_ink"):
            if not obs.printer_inspected:
                return _do("inspect_printer")
            return _do("clear_paper_jam" if obs.printer == "jammed" else "replace_ink_cartridge")
        if self._needs_test and obs.printer == "ok":
            self._needs_test = False
            return _do("test_print")
        if obs.faults_seen > obs.fault_log:
            return self.log_fault()
        return None

    def log_fault(self) -> Decision | None:
        return _do("log_fault")

    def business(self, obs: Observation) -> Decision | None:
        if obs.system != "logged_in":
            return _do("log_in")
        if not obs.system_checked:
            return _do("check_system_status")
        c = obs.customer(obs.current)
        if c is None:
            return None
        if obs.module is None:
            return _do("select_module", module=c.request)
        if not obs.documents_received:
            return _do("receive_documents")
        if not obs.data_entered:
            return _do("enter_customer_data")
        if not obs.verified:
            d = self.verify()
            if d is not None:
                return d
        if obs.open_discrepancies:
            return _do("correct_data")
        if not obs.submitted:
            return _do("submit_application")
        if not obs.printed:
            if obs.printer == "printing":
                return _do("_wait")
            return self.print_form(obs)
        if not obs.informed:
            return _do("inform_customer")
        if not obs.recorded:
            return self.record()
        return None

    def verify(self) -> Decision | None:
        return _do("verify_data")

    def print_form(self, obs: Observation) -> Decision | None:
        return _do("print_form")

    def record(self) -> Decision | None:
        return _do("record_result")


class Careless(Trainee):
    """Does not check data before submitting, and does not record (neither the case nor faults)."""

    name = "careless"

    def verify(self) -> Decision | None:
        return None

    def record(self) -> Decision | None:
        return None

    def log_fault(self) -> Decision | None:
        return None


class Panicky(Trainee):
    """Keeps working through a fault and tells the customer whatever calms them."""

    name = "panicky"

    def __init__(self, seed: int = 0) -> None:
        super().__init__(seed)
        self._retried = 0

    def on_fault(self, obs: Observation) -> Decision | None:
        return None  # never stops

    def choose_reply(self, c: CustomerView) -> str:
        return max(c.replies, key=lambda r: r.mood).id

    def on_printer(self, obs: Observation) -> Decision | None:
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


class RandomClerk(Trainee):
    """Presses anything: a fuzzing trainee for the engine and the scorer."""

    name = "random"

    def decide(self, obs: Observation) -> Decision | None:
        vocab = vocabulary()
        if self.rng.random() < 0.03:
            return _do("finish")
        if self.rng.random() < 0.1:
            return None
        action = self.rng.choice(sorted(vocab.actions))
        if action == "finish":
            return None
        args: dict[str, str] = {}
        if action == "select_module":
            args["module"] = self.rng.choice(sorted(vocab.modules))
        if action == "say":
            options = [r.id for c in obs.customers for r in c.replies] or ["nothing"]
            args["reply"] = self.rng.choice(options)
        return _do(action, **args)


AGENTS: dict[str, Callable[[int], Trainee]] = {
    "expert": Trainee,
    "careless": Careless,
    "panicky": Panicky,
    "random": RandomClerk,
}


def make_agent(name: str, seed: int = 0) -> Trainee:
    return AGENTS[name](seed)


def run_agent(loaded: LoadedScenario, seed: int, agent: Trainee) -> Engine:
    """Let a scripted trainee work the scenario to the end; each action takes its duration."""
    engine = Engine(loaded, seed)
    durations = {k: v.duration for k, v in engine.vocab.actions.items()}
    t = 0.0
    for _ in range(MAX_STEPS):
        if engine.done:
            break
        engine.advance(t)
        decision = agent.decide(engine.observe())
        if decision is None:
            nxt = engine.next_event_time()
            if nxt is None:
                engine.finish()
                break
            t = max(t, nxt)
            continue
        engine.apply(t, decision.action, dict(decision.args))
        t = round(t + durations.get(decision.action, 5.0), 3)
    engine.finish()
    return engine

"""Scripted runs that probe a scenario's rules: can the expert meet each one, and can anybody
break it?

The expert shows whether a rule can be met. Whether it can be broken is tried with every flawed
trainee of ``sim.agents``, a clerk who does nothing, the random clerk over several seeds, and
probes made for the scenario: the expert leaving out one action it takes, the expert trying an
action the rules name each time something happens, and the expert choosing (or avoiding) the
replies with each tag. A rule none of them breaks probably never costs a point.

Like the expert, each probe is handed the engine's answer key (``sim.oracle``) with what it sees.
"""

from __future__ import annotations

import random
import typing
from collections.abc import Iterator
from dataclasses import dataclass, replace

from scoring.procedure import Procedure
from scoring.result import Finding
from scoring.session import build, judge
from sim.agents import AGENTS, Decision, Trainee, authored, run_agent
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, _MatchBody
from sim.vocabulary import Tag, vocabulary

__all__ = ["Run", "variant_seeds", "expert_runs", "probe_runs", "injected_runs", "injection_moment"]

TAGS: tuple[str, ...] = typing.get_args(Tag)
RANDOM_SEEDS = 10


@dataclass(frozen=True)
class Run:
    """One scripted run, scored: who played, with which seed, and each rule's finding."""

    agent: str
    seed: int
    variant: str
    score: float
    findings: tuple[Finding, ...]
    passed: bool = False
    avoided: bool = False  # an avoider that left something out


def variant_seeds(loaded: LoadedScenario, extra: int = 0) -> list[int]:
    """A seed for each variant (the engine draws the variant first from the seeded generator),
    then the seeds ``0..extra-1`` not already among them."""
    variants = loaded.scenario.variants
    seeds: dict[str, int] = {}
    for seed in range(64 * len(variants)):
        vid = random.Random(seed).choice(variants).id
        seeds.setdefault(vid, seed)
        if len(seeds) == len(variants):
            break
    chosen = sorted(seeds.values())
    return chosen + [s for s in range(extra) if s not in chosen]


def _play(
    loaded: LoadedScenario,
    proc: Procedure,
    seed: int,
    agent: Trainee,
    name: str,
    lang: str,
    time_limit: float | None = None,
) -> Run:
    engine = build(loaded, seed, time_limit=time_limit)
    run_agent(loaded, seed, agent, engine=engine)
    report = judge(engine, proc)
    avoided = bool(getattr(agent, "avoided", False))
    return Run(name, seed, report.variant, report.score, report.findings, report.passed, avoided)


def expert_runs(
    loaded: LoadedScenario,
    proc: Procedure,
    lang: str,
    extra: int = 4,
    time_limit: float | None = None,
) -> list[Run]:
    """The expert on every variant and a few more seeds."""
    return [
        _play(loaded, proc, seed, Trainee(seed), "expert", lang, time_limit)
        for seed in variant_seeds(loaded, extra)
    ]


def probe_runs(loaded: LoadedScenario, proc: Procedure, lang: str, expert: list[Run]) -> list[Run]:
    """Every probe on every variant (and the random clerk on more seeds)."""
    seeds = variant_seeds(loaded)
    taken = _actions_taken(loaded, seeds)
    runs: list[Run] = []
    for seed in seeds:
        for name, agent in _probes(loaded, seed, taken):
            runs.append(_play(loaded, proc, seed, agent, name, lang))
    for seed in range(RANDOM_SEEDS):
        runs.append(_play(loaded, proc, seed, AGENTS["random"](seed), "random", lang))
    return runs


INJECT_FROM = 90.0  # an incident is thrown in at the expert's first decision from then on


def injection_moment(loaded: LoadedScenario, seed: int, after: float = INJECT_FROM) -> float:
    """A moment to throw an incident in: the expert's first decision at or after ``after`` s
    (so the clerk is free to react at once, not in the middle of typing), or ``after`` itself
    when the expert has finished by then."""
    engine = run_agent(loaded, seed, Trainee(seed))
    return next((a.t for a in engine.actions if a.t >= after and a.action != "finish"), after)


def injected_runs(loaded: LoadedScenario, proc: Procedure, lang: str) -> list[Run]:
    """Each incident the scenario offers thrown in (at ``injection_moment``) on every variant:
    the expert, the flawed trainees, and the expert leaving out each action it takes."""
    runs: list[Run] = []
    for seed in variant_seeds(loaded) if loaded.scenario.injectable else ():
        at = injection_moment(loaded, seed)
        for inj in loaded.scenario.injectable:
            due = [(at, inj.id)]
            expert = run_agent(loaded, seed, Trainee(seed), injections=due)
            taken = sorted({a.action for a in expert.actions} - {"say", "finish", "inject"})
            agents: list[tuple[str, Trainee]] = [("expert", Trainee(seed))]
            flawed = (n for n in AGENTS if n not in ("expert", "random"))
            agents += [(n, AGENTS[n](seed)) for n in flawed]
            agents += [(f"omit:{a}", Omit(seed, a)) for a in taken]
            for name, agent in agents:
                engine = build(loaded, seed)
                run_agent(loaded, seed, agent, engine=engine, injections=due)
                report = judge(engine, proc)
                runs.append(
                    Run(name, seed, report.variant, report.score, report.findings, report.passed)
                )
    return runs


def _actions_taken(loaded: LoadedScenario, seeds: list[int]) -> set[str]:
    taken: set[str] = set()
    for seed in seeds:
        engine = run_agent(loaded, seed, Trainee(seed))
        taken.update(a.action for a in engine.actions)
    taken.discard("finish")
    return taken


def _probes(loaded: LoadedScenario, seed: int, taken: set[str]) -> Iterator[tuple[str, Trainee]]:
    for name, make in AGENTS.items():
        if name not in ("expert", "random"):
            yield name, make(seed)
    yield "idle", Idle(seed)
    for action in sorted(taken):
        if action != "say":
            yield f"omit:{action}", Omit(seed, action)
    for action, args in sorted(_eager_targets(loaded)):
        yield f"eager:{action}", Eager(seed, action, dict(args))
    for tag in TAGS:
        yield f"prefer:{tag}", PreferTag(seed, tag)
        yield f"avoid:{tag}", AvoidTag(seed, tag)


def _eager_targets(loaded: LoadedScenario) -> set[tuple[str, tuple[tuple[str, str], ...]]]:
    """The actions the rules name, with the arguments to try them with."""
    vocab = vocabulary()
    s = loaded.scenario
    targets: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
    for rule in s.rules:
        for field in ("what", "after", "until", "first", "then", "trigger"):
            m = getattr(rule, field, None)
            if not isinstance(m, _MatchBody) or m.name in ("say", "finish", "ask_hint"):
                continue
            spec = vocab.actions.get(m.name)
            if spec is None:
                continue
            if m.args:
                targets.add((m.name, tuple(sorted(m.args.items()))))
            elif "module" in spec.args:
                targets.update((m.name, (("module", mod),)) for mod in vocab.modules)
            elif "customer" in spec.args:
                targets.update((m.name, (("customer", c.id),)) for c in s.customers)
            elif not spec.args:
                targets.add((m.name, ()))
    return targets


class Idle(Trainee):
    """Does nothing at all: every required step is missed."""

    name = "idle"

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        return None


class Omit(Trainee):
    """The expert, who never takes one action."""

    def __init__(self, seed: int, action: str) -> None:
        super().__init__(seed)
        self.action = action

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        d = super().decide(obs, key)
        return None if d is not None and d.action == self.action else d


class Eager(Trainee):
    """The expert, who also tries one action (once) each time something happens (any event,
    those the clerk never sees included: the answer key counts them)."""

    def __init__(self, seed: int, action: str, args: dict[str, str]) -> None:
        super().__init__(seed)
        self.attempt = Decision(action, tuple(sorted(args.items())))
        self._seen = -1

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if key.events != self._seen:
            self._seen = key.events
            return self.attempt
        return super().decide(obs, key)


class PreferTag(Trainee):
    """The expert, who gives a reply with ``tag`` whenever one is on offer."""

    def __init__(self, seed: int, tag: str) -> None:
        super().__init__(seed)
        self.tag = tag

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        tagged = [r for r in authored(c, key) if self.tag in key.tags(r.id)]
        return tagged[0] if tagged else super().choose_reply(c, key)


class AvoidTag(Trainee):
    """The expert, who never gives a reply with ``tag`` while another is on offer."""

    def __init__(self, seed: int, tag: str) -> None:
        super().__init__(seed)
        self.tag = tag

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        rest = tuple(r for r in c.replies if self.tag not in key.tags(r.id))
        return super().choose_reply(replace(c, replies=rest) if rest else c, key)


# -- gaming probes: a candidate who wants the pass without the knowledge -------------------------

PATTERNS = ("first", "last", "longest", "shortest", "random")
# what an avoider never does: anything that could set trouble off, show it up or commit the
# clerk to something (printing, submitting, the phone, opening a business, calling the next
# customer, asking the supervisor for a ruling, every check that can find a problem)
AVOIDED = frozenset(
    {
        "print_form",
        "test_print",
        "submit_application",
        "answer_phone",
        "select_module",
        "call_next_customer",
        "ask_supervisor_help",
        "verify_data",
        "check_queue",
        "inspect_printer",
        *vocabulary().station_checks,
    }
)


class ByPattern(Trainee):
    """The expert's steps, but each reply picked by where it stands or how long it is, never
    by what it says: the first, the last, the longest, the shortest, or at random."""

    def __init__(self, seed: int, pattern: str, lang: str = "zh") -> None:
        super().__init__(seed)
        self.pattern = pattern
        self.lang = lang

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        offered = list(c.replies)
        if self.pattern == "first":
            return offered[0]
        if self.pattern == "last":
            return offered[-1]
        if self.pattern == "random":
            return self.rng.choice(offered)
        size = [len(r.text.get(self.lang)) for r in offered]
        pick = max(size) if self.pattern == "longest" else min(size)
        return offered[size.index(pick)]


class Avoider(Trainee):
    """The expert, who skips whatever could set trouble off or show it up: never prints, never
    submits, never answers the phone, never opens a business module, never calls the next
    customer or asks for a ruling, never checks anything that might turn out wrong."""

    avoided = False  # whether it ever left something out (else it played as the expert)

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        d = super().decide(obs, key)
        if d is not None and d.action in AVOIDED:
            self.avoided = True
            return None
        return d


def gaming_runs(
    loaded: LoadedScenario, proc: Procedure, seeds: int = 20, lang: str = "zh"
) -> dict[str, list[Run]]:
    """Each gaming probe on ``seeds`` seeds: the pattern pickers and the avoider."""
    out: dict[str, list[Run]] = {}
    for pattern in PATTERNS:
        out[pattern] = [
            _play(loaded, proc, s, ByPattern(s, pattern, lang), pattern, lang) for s in range(seeds)
        ]
    out["avoider"] = [_play(loaded, proc, s, Avoider(s), "avoider", lang) for s in range(seeds)]
    return out

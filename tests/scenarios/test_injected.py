"""The incidents an instructor may throw into a training session, in every scenario that offers
them: the same id everywhere (so the room can get one at once); the expert who gets one at a
realistic moment mid-case still scores full marks; a clerk who answers the hazard call with
"register first" or soothing fails on 3.3.c; the recorded input replays to the same trace and
report; and with nothing thrown in, the incident's rules do not apply and nothing else changes."""

from __future__ import annotations

import pytest

from authoring.probes import injection_moment, variant_seeds
from scoring.procedure import load_procedure
from scoring.session import judge, replay
from sim.agents import AGENTS, Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario
from sim.observation import CustomerView, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario

# scenario -> the incidents it offers
OFFERED = {
    "new_connection": ("hazard_call", "printer_breaks", "network_drop"),
    "one_id_agent": ("hazard_call", "printer_breaks", "network_drop"),
    "billing_dispute": ("hazard_call",),
    "transfer_arrears": ("hazard_call",),
}
CASES = [(s, i) for s, incidents in OFFERED.items() for i in incidents]
HAZARD = [s for s, incidents in OFFERED.items() if "hazard_call" in incidents]
# each incident's rules, by the prefix of their ids
PREFIX = {"hazard_call": "hazard_", "printer_breaks": "jam_", "network_drop": "drop_"}
# what each brings, in the order the trace must show it after the injection
ORDER = {
    "hazard_call": ("injected", "phone_rings", "hazard_reported"),
    "printer_breaks": ("injected", "printer_fault"),
    "network_drop": ("injected", "network_down", "network_restored"),
}
# a realistic moment: the expert's first decision a minute and a half into the case (mid-case
# in every scenario: the documents on the counter, the details being entered or checked), or a
# little earlier where a question of the counter customer's is then waiting
AFTER = {("one_id_agent", "hazard_call"): 75.0, ("one_id_agent", "network_drop"): 75.0}
AFTER.update({("transfer_arrears", "hazard_call"): 75.0})


def _after(name: str, incident: str) -> float:
    return AFTER.get((name, incident), 90.0)


def _seeds(loaded: LoadedScenario, incident: str) -> list[int]:
    """A seed for each variant in which the incident brings anything (an agent without authority
    at the counter has no hazard call: its rules forbid any submission, the work order's too)."""
    inj = loaded.scenario.injection(incident)
    assert inj is not None
    wanted = {v for b in inj.brings for v in b.variants} or {v.id for v in loaded.scenario.variants}
    return [s for s in variant_seeds(loaded) if Engine(loaded, s).variant.id in wanted]


@pytest.fixture(scope="module")
def proc():
    return load_procedure()


def _loaded(name: str) -> LoadedScenario:
    return find_scenario(name)


def _names(engine: Engine) -> list[str]:
    return [e.name for e in engine.trace]


def test_the_same_incident_is_the_same_everywhere():
    titles: dict[str, set[tuple[str, str | None]]] = {}
    for name, incidents in OFFERED.items():
        s = _loaded(name).scenario
        assert {i.id for i in s.injectable} == set(incidents)
        for inj in s.injectable:
            titles.setdefault(inj.id, set()).add((inj.title.zh, inj.title.en))
    assert all(len(t) == 1 for t in titles.values()), titles
    # the caller and what he says are the same in every scenario (no variant placeholder)
    callers = {
        next(c for c in _loaded(n).scenario.customers if c.id == "hazard_caller").model_dump_json()
        for n in HAZARD
    }
    assert len(callers) == 1
    assert "{" not in "".join(
        node.says.zh
        for node in next(
            c for c in _loaded(HAZARD[0]).scenario.customers if c.id == "hazard_caller"
        ).dialogue.values()
    )


@pytest.mark.parametrize(("name", "incident"), CASES)
def test_the_expert_with_the_incident_thrown_in_mid_case_scores_full_marks(name, incident, proc):
    loaded = _loaded(name)
    for seed in _seeds(loaded, incident):
        at = injection_moment(loaded, seed, _after(name, incident))
        engine = run_agent(loaded, seed, make_agent("expert", seed), injections=[(at, incident)])
        report = judge(engine, proc)
        assert report.score == 100 and report.passed, (seed, report.variant, report.findings)
        names = _names(engine)
        places = [names.index(n) for n in ORDER[incident]]
        assert places == sorted(places), (seed, places)
        assert engine.trace[places[0]].t == at
        mine = [f for f in report.findings if f.rule.startswith(PREFIX[incident])]
        assert mine and all(f.verdict == "met" for f in mine), (seed, mine)
        # (c) the recorded input (the injection in it, at its time) replays to the same session
        again = replay(loaded, seed, engine.actions)
        assert again.trace == engine.trace
        assert judge(again, proc) == report


class Registers(Trainee):
    """The expert, who meets the hazard call with the form first ("your name? which road?")."""

    name = "registers"
    wrong = "hazard_register"

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        mine = [r for r in c.replies if r.id == self.wrong]
        return mine[0] if mine else super().choose_reply(c, key)


class Soothes(Registers):
    """The expert, who calms the caller down: "it happens, it's most likely dead"."""

    name = "soothes"
    wrong = "hazard_soothe"


def test_where_the_call_cannot_be_told_from_the_case_it_brings_nothing(proc):
    for name in ("one_id_agent", "transfer_arrears"):
        loaded = _loaded(name)
        quiet = set(variant_seeds(loaded)) - set(_seeds(loaded, "hazard_call"))
        assert len(quiet) == 1
        for seed in quiet:
            at = injection_moment(loaded, seed, 90.0)
            engine = run_agent(loaded, seed, Trainee(seed), injections=[(at, "hazard_call")])
            assert "injected" in _names(engine) and "phone_rings" not in _names(engine)
            report = judge(engine, proc)
            assert report.score == 100
            assert all(
                f.verdict == "not_applicable"
                for f in report.findings
                if f.rule.startswith("hazard_")
            )


@pytest.mark.parametrize("name", HAZARD)
@pytest.mark.parametrize("clerk", [Registers, Soothes])
def test_registering_or_soothing_first_fails_on_the_safety_red_line(name, clerk, proc):
    loaded = _loaded(name)
    for seed in _seeds(loaded, "hazard_call"):
        at = injection_moment(loaded, seed, _after(name, "hazard_call"))
        engine = run_agent(loaded, seed, clerk(seed), injections=[(at, "hazard_call")])
        report = judge(engine, proc)
        rule = {f.rule: f for f in report.findings}
        finding = rule["hazard_safety_first"]
        assert finding.verdict == "violated" and finding.critical
        assert finding.clause == "3.3.c"
        assert "3.3.c" in report.critical_failures and not report.passed
        # the advice does come, once the caller insists: only the first answer was wrong
        assert "hazard_insist_safety" in [a.args.get("reply") for a in engine.actions]
        # the same input replays to the same verdict
        assert judge(replay(loaded, seed, engine.actions), proc) == report


def _without_incidents(loaded: LoadedScenario) -> LoadedScenario:
    """The scenario as it was before it offered any incident: no injectable list, no caller, no
    rule of an incident's and no trigger for the caller."""
    s = loaded.scenario
    prefixes = tuple(PREFIX.values())
    old = s.model_copy(
        update={
            "injectable": (),
            "customers": tuple(c for c in s.customers if c.id != "hazard_caller"),
            "triggers": tuple(
                t
                for t in s.triggers
                if t.serving != "hazard_caller" and t.args.get("customer") != "hazard_caller"
            ),
            "rules": tuple(r for r in s.rules if not r.id.startswith(prefixes)),
            "instructions": {k: v for k, v in s.instructions.items() if k != "duty_phone"},
        }
    )
    return loaded.model_copy(update={"scenario": old})


@pytest.mark.parametrize("name", list(OFFERED))
def test_with_nothing_thrown_in_the_incidents_rules_do_not_apply_and_nothing_changes(name, proc):
    loaded = _loaded(name)
    before = _without_incidents(loaded)
    prefixes = tuple(PREFIX.values())
    for seed in variant_seeds(loaded):
        for agent in sorted(AGENTS):
            engine = run_agent(loaded, seed, make_agent(agent, seed))
            report = judge(engine, proc)
            mine = [f for f in report.findings if f.rule.startswith(prefixes)]
            assert mine and all(f.verdict == "not_applicable" for f in mine), (agent, mine)
            old = run_agent(before, seed, make_agent(agent, seed))
            assert old.trace == engine.trace, (agent, seed)
            assert judge(old, proc).score == report.score, (agent, seed)

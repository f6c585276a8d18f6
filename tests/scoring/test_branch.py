"""Practice from a moment: the state at any sim time restored exactly, a branch played on from
it and set beside the original, and the expert's continuation from the same state."""

from __future__ import annotations

import json
import random

import pytest

from scoring.branch import branch, compare, demo, lost_points, restore
from scoring.session import play_agent
from sim.errors import InputError
from sim.library import scenario_files
from sim.scenario import load_scenario
from sim.trace import TimedAction

SCENARIOS = [p.stem for p in scenario_files()]


def _bytes(entries) -> list[str]:  # type: ignore[no-untyped-def]
    return [json.dumps(e.to_dict(), ensure_ascii=False, sort_keys=True) for e in entries]


@pytest.mark.parametrize("sid", SCENARIOS)
def test_restoring_any_moment_reproduces_the_trace_up_to_it(sid, procedure) -> None:  # type: ignore[no-untyped-def]
    loaded = load_scenario(f"scenarios/{sid}.yaml", procedure.ids)
    rng = random.Random(sid)
    for agent, seed in (("careless", 3), ("random", 5)):
        original = play_agent(loaded, procedure, seed, agent).engine
        end = original.now
        moments = [round(rng.uniform(0, end), 3) for _ in range(20)]
        moments += [a.t for a in rng.sample(original.actions, min(5, len(original.actions)))]
        for at in moments:
            restored = restore(loaded, seed, original.actions, at)
            got = _bytes(restored.trace)
            assert got == _bytes(original.trace[: len(got)]), (agent, at)
            before = sum(1 for e in original.trace if e.t < at)
            assert len(got) >= before, (agent, at)  # everything before the moment is there
            assert restored.now == min(at, restored.time_limit) or restored.done


@pytest.mark.parametrize("sid", SCENARIOS)
def test_a_flawed_clerk_branched_at_the_first_lost_point_with_the_expert_recovers_it(
    sid, procedure
) -> None:  # type: ignore[no-untyped-def]
    loaded = load_scenario(f"scenarios/{sid}.yaml", procedure.ids)
    # the careless clerk, or (where being careless costs nothing) the first flawed one who loses
    for agent in ("careless", "paperwork_first", "panicky", "brusque", "solo"):
        original = play_agent(loaded, procedure, 1, agent)
        lost = lost_points(original.report, original.engine.now, original.engine.trace)
        if lost:
            break
    assert lost, "no flawed clerk lost anything"
    first = lost[0]
    steps, expert = demo(loaded, procedure, 1, original.actions, first.t, steps=None)
    assert steps, "the expert had nothing to do"
    head = [a for a in original.actions if a.t < first.t]
    assert expert.engine.actions[: len(head)] == head
    redo = expert.engine.actions[len(head) :]
    branched = branch(loaded, procedure, 1, original.actions, first.t, redo)
    cmp = compare(original, branched, first.t)
    assert first.rule in {c.rule for c in cmp.recovered}, cmp.to_dict()
    assert cmp.after.score > cmp.before.score


def test_a_continuation_that_starts_before_the_branch_is_refused(procedure) -> None:  # type: ignore[no-untyped-def]
    loaded = load_scenario("scenarios/printer_jam.yaml", procedure.ids)
    original = play_agent(loaded, procedure, 1, "careless")
    with pytest.raises(InputError) as err:
        branch(
            loaded, procedure, 1, original.actions, 20.0,
            [TimedAction(25.0, "log_in"), TimedAction(12.0, "check_system_status")],
            file="more.jsonl",
        )  # fmt: skip
    assert "more.jsonl:2:" in str(err.value) and "12" in str(err.value)

"""Fixtures: the procedure edition and the printer-jam scenario, loaded once; the process's
language put back to Chinese after every test (a command run in-process may set it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scoring.procedure import Procedure, load_procedure
from sim.i18n import set_language
from sim.library import find_scenario
from sim.scenario import LoadedScenario


@pytest.fixture(scope="session")
def procedure() -> Procedure:
    return load_procedure()


@pytest.fixture(scope="session")
def printer_jam(procedure: Procedure) -> LoadedScenario:
    return find_scenario("printer_jam", procedure.ids)


def _take_drill(records, drill, procedure, trainee, agent, lang="zh"):  # type: ignore[no-untyped-def]
    """A trainee takes a drill at the desk: the actions the scripted trainee ``agent`` would
    take, entered as a person's (recorded with no agent, as the desk records them)."""
    from records.drills import draw_seed, finish_attempt, start_attempt
    from scoring.session import play_agent

    attempt = start_attempt(records, drill, trainee)
    for spec in drill.drill.scenarios:
        loaded = find_scenario(spec.id, procedure.ids)
        seed = draw_seed(records, loaded, trainee, drill)
        played = play_agent(loaded, procedure, seed, agent, time_limit=spec.time_limit)
        rec = records.start(
            loaded, procedure, seed=seed, variant=played.engine.variant.id, trainee=trainee,
            mode="exam", lang=lang, drill=attempt.uuid, time_limit=spec.time_limit,
        )  # fmt: skip
        rec.finish(played.engine.actions, played.engine.trace, played.report, procedure)
    return {**finish_attempt(records, attempt), "number": attempt.number}


@pytest.fixture(scope="session")
def take_drill():  # type: ignore[no-untyped-def]
    """``take_drill(records, drill, procedure, trainee, agent)``: a person takes a drill."""
    return _take_drill


@pytest.fixture(autouse=True)
def _chinese_again() -> Iterator[None]:
    yield
    set_language("zh")

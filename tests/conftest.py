"""Fixtures: the procedure edition and the printer-jam scenario, loaded once; the process's
language put back to Chinese after every test (a command run in-process may set it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scoring.procedure import Procedure, load_procedure
from sim.drill import LoadedDrill, load_drill
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
    from records.sample_office import take_drill

    return take_drill(records, procedure, drill, trainee, agent, lang)


def pinned_drill(name: str, folder: Path) -> LoadedDrill:
    """The drill ``name`` with every group of its bank cut to its first scenario: each attempt
    then takes the same scenarios, for tests that count what a given scenario did."""
    import yaml

    drill = load_drill(name)
    data = yaml.safe_load(drill.source)
    for pool in data.get("bank") or []:
        pool["scenarios"], pool["pick"] = pool["scenarios"][:1], 1
    path = folder / f"{drill.id}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_drill(path)


@pytest.fixture(scope="session")
def take_drill():  # type: ignore[no-untyped-def]
    """``take_drill(records, drill, procedure, trainee, agent)``: a person takes a drill."""
    return _take_drill


@pytest.fixture(autouse=True)
def _chinese_again() -> Iterator[None]:
    yield
    set_language("zh")

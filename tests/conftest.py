"""Two fixtures: the procedure edition and the printer-jam scenario, loaded once."""

from __future__ import annotations

import pytest

from scoring.procedure import Procedure, load_procedure
from sim.library import find_scenario
from sim.scenario import LoadedScenario


@pytest.fixture(scope="session")
def procedure() -> Procedure:
    return load_procedure()


@pytest.fixture(scope="session")
def printer_jam(procedure: Procedure) -> LoadedScenario:
    return find_scenario("printer_jam", procedure.ids)

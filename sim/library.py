"""Finding scenario files: by id in the scenarios folder, or by path."""

from __future__ import annotations

from pathlib import Path

from sim.errors import Problem, ScenarioError
from sim.i18n import tr
from sim.listing import scenario_files
from sim.scenario import SCENARIO_DIR, LoadedScenario, load_scenario
from sim.validation import did_you_mean

__all__ = ["scenario_files", "find_scenario", "resolve"]


def resolve(name: str, folder: Path = SCENARIO_DIR) -> Path:
    """A scenario id (``printer_jam``) or a path to a YAML file."""
    p = Path(name)
    if p.suffix in (".yaml", ".yml") or "/" in name or "\\" in name:
        if not p.is_file():
            raise ScenarioError([Problem(name, None, tr("library.no_file"))])
        return p
    candidate = folder / f"{name}.yaml"
    if candidate.is_file():
        return candidate
    ids = [f.stem for f in scenario_files(folder)]
    raise ScenarioError(
        [
            Problem(
                name,
                None,
                tr("library.unknown", ids=", ".join(ids) or "-") + did_you_mean(name, ids),
            )
        ]
    )


def find_scenario(name: str, clauses: set[str] | None = None) -> LoadedScenario:
    return load_scenario(resolve(name), clauses)

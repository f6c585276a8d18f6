"""Certification drill files (``scenarios/drills/*.yaml``): which scenarios, how variants are
drawn per attempt, the pass mark of each, the overall rule and the attempts allowed. Validated
like scenarios: every problem located by file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from sim.errors import Problem, ScenarioError
from sim.i18n import tr
from sim.model import Frozen, Text
from sim.scenario import SCENARIO_DIR
from sim.validation import did_you_mean, validate_located
from sim.yamlio import load_yaml_text

__all__ = ["Drill", "DrillScenario", "LoadedDrill", "DRILL_DIR", "drill_files", "load_drill"]

DRILL_DIR = SCENARIO_DIR / "drills"


class Overall(Frozen):
    """How the attempt as a whole passes."""

    no_critical: StrictBool = True  # no critical failure in any scenario
    average_at_least: StrictFloat = Field(default=80.0, ge=0, le=100)
    each_must_pass: StrictBool = False  # every scenario at its own pass mark too


class DrillScenario(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    pass_mark: StrictFloat = Field(ge=0, le=100)
    # seconds of sim time allowed in this drill (default: the scenario's own time_limit)
    time_limit: StrictFloat | StrictInt | None = Field(default=None, gt=0, le=4 * 3600)


class DrillMeta(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    briefing: Text
    attempts: StrictInt = Field(ge=1, le=10)
    # fresh: a variant the trainee has not had in an earlier attempt, where the scenario has
    # one left; random: any variant, drawn from a fresh seed
    draw: Literal["fresh", "random"] = "fresh"
    overall: Overall = Overall()
    # how often a trainee may pause each scenario (the clock stops, the desk is hidden)
    pauses: StrictInt = Field(default=0, ge=0, le=10)
    # how long a certificate from this drill is valid, in months from the day it was earned
    # (None: it does not lapse); read from the drill file the attempt recorded
    valid_months: StrictInt | None = Field(default=None, ge=1, le=120)


class Drill(Frozen):
    drill: DrillMeta
    scenarios: tuple[DrillScenario, ...] = Field(min_length=1)

    @property
    def id(self) -> str:
        return self.drill.id


class LoadedDrill(Frozen):
    drill: Drill
    path: str
    sha256: StrictStr
    source: bytes = Field(default=b"", repr=False)

    @property
    def id(self) -> str:
        return self.drill.id


def drill_files(folder: Path = DRILL_DIR) -> list[Path]:
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def load_drill(name: str | Path, folder: Path = DRILL_DIR) -> LoadedDrill:
    """A drill by id (``annual_2026``) or path; scenario ids are checked against the folder."""
    p = Path(name)
    if p.suffix not in (".yaml", ".yml"):
        p = folder / f"{name}.yaml"
        if not p.is_file():
            ids = [f.stem for f in drill_files(folder)]
            msg = tr("drill.unknown", ids=", ".join(ids) or "-") + did_you_mean(str(name), ids)
            raise ScenarioError([Problem(str(name), None, msg)])
    try:
        raw = p.read_bytes()
    except OSError as exc:
        problem = Problem(str(p), None, tr("yaml.unreadable", error=exc.strerror))
        raise ScenarioError([problem]) from None
    doc = load_yaml_text(raw, str(p))
    drill, problems = validate_located(Drill, doc)
    if drill is not None:
        known = {f.stem for f in SCENARIO_DIR.glob("*.yaml") if not f.name.startswith("_")}
        seen: set[str] = set()
        for i, s in enumerate(drill.scenarios):
            line = doc.line(("scenarios", i, "id"))
            if s.id not in known:
                msg = tr("drill.unknown_scenario", id=s.id) + did_you_mean(s.id, known)
                problems.append(Problem(str(p), line, msg))
            if s.id in seen:
                problems.append(Problem(str(p), line, tr("drill.duplicate", id=s.id)))
            seen.add(s.id)
    if problems or drill is None:
        raise ScenarioError(problems)
    return LoadedDrill(drill=drill, path=str(p), sha256=hashlib.sha256(raw).hexdigest(), source=raw)

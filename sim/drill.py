"""Certification drill files (``scenarios/drills/*.yaml``): which scenarios, how variants are
drawn per attempt, the pass mark of each, the overall rule and the attempts allowed. Validated
like scenarios: every problem located by file and line."""

from __future__ import annotations

import hashlib
import random
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StrictBool, StrictFloat, StrictInt, StrictStr

from sim.errors import Problem, ScenarioError
from sim.i18n import tr
from sim.model import Frozen, Text
from sim.scenario import SCENARIO_DIR
from sim.validation import did_you_mean, validate_located
from sim.yamlio import Located, load_yaml_text

__all__ = [
    "Drill",
    "DrillPool",
    "DrillScenario",
    "LoadedDrill",
    "DRILL_DIR",
    "drill_files",
    "load_drill",
]

DRILL_DIR = SCENARIO_DIR / "drills"


class Overall(Frozen):
    """How the attempt as a whole passes."""

    no_critical: StrictBool = True  # no critical failure in any scenario
    average_at_least: StrictFloat = Field(default=80.0, ge=0, le=100)
    each_must_pass: StrictBool = False  # every scenario at its own pass mark too


class DrillIncident(Frozen):
    """An incident the drill throws in at a set moment (an exam takes no ad-hoc injection):
    one the scenario declares as injectable, at ``at`` seconds of sim time."""

    at: StrictFloat | StrictInt = Field(gt=0, le=4 * 3600)
    event: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")


class DrillScenario(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    pass_mark: StrictFloat = Field(ge=0, le=100)
    # seconds of sim time allowed in this drill (default: the scenario's own time_limit)
    time_limit: StrictFloat | StrictInt | None = Field(default=None, gt=0, le=4 * 3600)
    # incidents thrown in at set moments, the same for every candidate
    inject: tuple[DrillIncident, ...] = ()

    def schedule(self) -> list[tuple[float, str]]:
        """The incidents as (sim time, id), in order."""
        return sorted((float(i.at), i.event) for i in self.inject)


ScenarioId = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$")]


class DrillPool(Frozen):
    """A part of the bank: each attempt draws ``pick`` of its scenarios, afresh, so two
    attempts are not alike; each drawn one has this pass mark and time limit."""

    title: Text | None = None
    pick: StrictInt = Field(ge=1, le=20)
    pass_mark: StrictFloat = Field(ge=0, le=100)
    time_limit: StrictFloat | StrictInt | None = Field(default=None, gt=0, le=4 * 3600)
    inject: tuple[DrillIncident, ...] = ()  # thrown into whichever scenario is drawn
    scenarios: tuple[ScenarioId, ...] = Field(min_length=1)


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
    # taken in every attempt, in this order
    scenarios: tuple[DrillScenario, ...] = ()
    # then, for each pool, the scenarios drawn for the attempt
    bank: tuple[DrillPool, ...] = ()

    @property
    def id(self) -> str:
        return self.drill.id

    @property
    def size(self) -> int:
        """How many scenarios an attempt takes."""
        return len(self.scenarios) + sum(pool.pick for pool in self.bank)

    def every(self) -> tuple[DrillScenario, ...]:
        """Every scenario an attempt may take, fixed ones first, each with its pass mark."""
        return self.scenarios + tuple(
            DrillScenario(
                id=sid, pass_mark=pool.pass_mark, time_limit=pool.time_limit, inject=pool.inject
            )
            for pool in self.bank
            for sid in pool.scenarios
        )

    def every_id(self) -> list[str]:
        return [s.id for s in self.every()]

    def drawn(self, attempt: str) -> tuple[DrillScenario, ...]:
        """The scenarios of the attempt ``attempt`` (its uuid): the fixed ones, then each pool's
        draw. The uuid is random and recorded in the signed verdict, so no one knows the draw
        before the attempt starts, and ``verify`` can draw it again."""
        out = list(self.scenarios)
        for i, pool in enumerate(self.bank):
            rng = random.Random(hashlib.sha256(f"{attempt}\0{i}".encode()).digest())
            for sid in rng.sample(pool.scenarios, pool.pick):
                out.append(
                    DrillScenario(
                        id=sid,
                        pass_mark=pool.pass_mark,
                        time_limit=pool.time_limit,
                        inject=pool.inject,
                    )
                )
        return tuple(out)


class LoadedDrill(Frozen):
    drill: Drill
    path: str
    sha256: StrictStr
    source: bytes = Field(default=b"", repr=False)

    @property
    def id(self) -> str:
        return self.drill.id


def drill_files(folder: Path = DRILL_DIR) -> list[Path]:
    return yaml_files(folder)


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a folder, in order (a name starting with _ is not one of them)."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def read_named(name: str | Path, folder: Path, unknown: str) -> tuple[Path, bytes, Located]:
    """A file by id (looked for in ``folder``) or by path: its path, bytes and YAML with lines.
    An unknown id is the message ``unknown`` with the ids there are; an unreadable file says so."""
    p = Path(name)
    if p.suffix not in (".yaml", ".yml"):
        p = folder / f"{name}.yaml"
        if not p.is_file():
            ids = [f.stem for f in yaml_files(folder)]
            msg = tr(unknown, ids=", ".join(ids) or "-") + did_you_mean(str(name), ids)
            raise ScenarioError([Problem(str(name), None, msg)])
    try:
        raw = p.read_bytes()
    except OSError as exc:
        problem = Problem(str(p), None, tr("yaml.unreadable", error=exc.strerror))
        raise ScenarioError([problem]) from None
    return p, raw, load_yaml_text(raw, str(p))


def _offered(path: Path) -> set[str]:
    """The incidents a scenario file declares injectable (none when it cannot be read: its
    own check says why)."""
    from sim.scenario import load_scenario

    try:
        return {i.id for i in load_scenario(path).scenario.injectable}
    except ScenarioError:
        return set()


def load_drill(name: str | Path, folder: Path = DRILL_DIR) -> LoadedDrill:
    """A drill by id (``annual_2026``) or path; scenario ids are checked against the folder."""
    p, raw, doc = read_named(name, folder, "drill.unknown")
    drill, problems = validate_located(Drill, doc)
    if drill is not None:
        known = {f.stem for f in SCENARIO_DIR.glob("*.yaml") if not f.name.startswith("_")}
        seen: set[str] = set()
        named: list[tuple[str, tuple[str | int, ...]]]
        named = [(s.id, ("scenarios", i, "id")) for i, s in enumerate(drill.scenarios)]
        named += [
            (sid, ("bank", i, "scenarios", j))
            for i, pool in enumerate(drill.bank)
            for j, sid in enumerate(pool.scenarios)
        ]
        for sid, where in named:
            line = doc.line(where)
            if sid not in known:
                msg = tr("drill.unknown_scenario", id=sid) + did_you_mean(sid, known)
                problems.append(Problem(str(p), line, msg))
            if sid in seen:
                problems.append(Problem(str(p), line, tr("drill.duplicate", id=sid)))
            seen.add(sid)
        incidents = [(s.id, s.inject, ("scenarios", i)) for i, s in enumerate(drill.scenarios)] + [
            (sid, pool.inject, ("bank", i))
            for i, pool in enumerate(drill.bank)
            for sid in pool.scenarios
        ]
        for sid, inject, base in incidents:
            if not inject or sid not in known:
                continue
            offered = _offered(SCENARIO_DIR / f"{sid}.yaml")
            for k, inc in enumerate(inject):
                if inc.event not in offered:
                    msg = tr("drill.not_injectable", id=sid, event=inc.event)
                    msg += did_you_mean(inc.event, sorted(offered))
                    problems.append(Problem(str(p), doc.line((*base, "inject", k, "event")), msg))
        for i, pool in enumerate(drill.bank):
            if pool.pick > len(pool.scenarios):
                msg = tr("drill.pick_too_many", pick=pool.pick, size=len(pool.scenarios))
                problems.append(Problem(str(p), doc.line(("bank", i, "pick")), msg))
        if not drill.scenarios and not drill.bank:
            problems.append(Problem(str(p), doc.line(("drill",)), tr("drill.empty")))
    if problems or drill is None:
        raise ScenarioError(problems)
    return LoadedDrill(drill=drill, path=str(p), sha256=hashlib.sha256(raw).hexdigest(), source=raw)

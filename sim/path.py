"""Learning paths (``scenarios/paths/*.yaml``): the order a trainee is brought on in — which
scenarios, in which order, each with the mark that counts as done — and the certification that
falls due, when. A path is assigned to a unit or to a trainee (``roster assign``). Validated like
scenarios and drills: every problem located by file and line."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pydantic import Field, StrictInt, StrictStr, model_validator

from sim.drill import DRILL_DIR, read_named, yaml_files
from sim.errors import Problem, ScenarioError
from sim.i18n import tr
from sim.model import Frozen, Text
from sim.scenario import SCENARIO_DIR
from sim.validation import did_you_mean, validate_located

__all__ = ["LearningPath", "PathStep", "LoadedPath", "PATH_DIR", "path_files", "load_path"]

PATH_DIR = SCENARIO_DIR / "paths"


class PathStep(Frozen):
    """One step: a scenario played to its mark (any mode), or a drill's certificate."""

    scenario: StrictStr | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    drill: StrictStr | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*$")
    # the score that counts as done (a critical failure never does); default: the scenario's
    pass_mark: float | None = Field(default=None, ge=0, le=100)
    title: Text | None = None  # how the step is named (default: the scenario's or drill's title)

    @model_validator(mode="after")
    def _one(self) -> PathStep:
        if (self.scenario is None) == (self.drill is None):
            raise ValueError("a step names either a scenario or a drill")
        if self.drill is not None and self.pass_mark is not None:
            raise ValueError("a drill step is done by its certificate: no pass_mark")
        return self

    @property
    def key(self) -> str:
        return f"drill:{self.drill}" if self.drill else str(self.scenario)


class Certification(Frozen):
    """The certificate the path leads to and when it falls due."""

    drill: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    # the first certificate is due this many days after the hire date
    first_due_days: StrictInt = Field(default=90, ge=1, le=3650)
    # shown as due this many days before it is (the certificate's validity is the drill's)
    warn_days: StrictInt = Field(default=30, ge=0, le=365)


class PathMeta(Frozen):
    id: StrictStr = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: Text
    briefing: Text | None = None


class LearningPath(Frozen):
    path: PathMeta
    steps: tuple[PathStep, ...] = Field(min_length=1)
    certification: Certification | None = None

    @property
    def id(self) -> str:
        return self.path.id


class LoadedPath(Frozen):
    path: LearningPath
    file: str
    sha256: StrictStr

    @property
    def id(self) -> str:
        return self.path.id


def path_files(folder: Path = PATH_DIR) -> list[Path]:
    return yaml_files(folder)


def load_path(name: str | Path, folder: Path = PATH_DIR) -> LoadedPath:
    """A learning path by id (``onboarding``) or file; its scenarios and drills are checked."""
    p, raw, doc = read_named(name, folder, "path.unknown")
    model, problems = validate_located(LearningPath, doc)
    if model is not None:
        scenarios = {f.stem for f in SCENARIO_DIR.glob("*.yaml") if not f.name.startswith("_")}
        drills = {f.stem for f in DRILL_DIR.glob("*.yaml") if not f.name.startswith("_")}
        seen: set[str] = set()
        for i, step in enumerate(model.steps):
            if step.scenario is not None and step.scenario not in scenarios:
                line = doc.line(("steps", i, "scenario"))
                msg = tr("path.unknown_scenario", id=step.scenario)
                problems.append(Problem(str(p), line, msg + did_you_mean(step.scenario, scenarios)))
            if step.drill is not None and step.drill not in drills:
                line = doc.line(("steps", i, "drill"))
                msg = tr("path.unknown_drill", id=step.drill)
                problems.append(Problem(str(p), line, msg + did_you_mean(step.drill, drills)))
            if step.key in seen:
                problems.append(Problem(str(p), doc.line(("steps", i)),
                                        tr("path.duplicate", id=step.key)))  # fmt: skip
            seen.add(step.key)
        cert = model.certification
        if cert is not None and cert.drill not in drills:
            line = doc.line(("certification", "drill"))
            msg = tr("path.unknown_drill", id=cert.drill) + did_you_mean(cert.drill, drills)
            problems.append(Problem(str(p), line, msg))
        if model.id != p.stem and p.parent == folder:
            problems.append(Problem(str(p), doc.line(("path", "id")),
                                    tr("path.id_not_file", id=model.id, stem=p.stem)))  # fmt: skip
    if problems or model is None:
        raise ScenarioError(problems)
    return LoadedPath(path=model, file=str(p), sha256=hashlib.sha256(raw).hexdigest())


def all_paths(folder: Path = PATH_DIR) -> dict[str, LoadedPath]:
    """Every learning path in the folder, by id (a broken file raises its problems)."""
    out: dict[str, LoadedPath] = {}
    for f in path_files(folder):
        loaded = load_path(f, folder)
        out[loaded.id] = loaded
    return out

"""Which scenarios score which clauses: the clause × scenario matrix.

Every clause of chapters 2–6 must be scored by at least one scenario, or be listed in the
training centre's scope file (``scenarios/_coverage.yaml``) with the reason it cannot be
observed at a desk. A clause the source cuts off is out of scope by itself. A new procedure
edition therefore shows its gaps at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import StrictStr

from scoring.procedure import Procedure
from scoring.words import tr
from sim.errors import Problem, ScenarioError
from sim.model import Frozen, Text
from sim.scenario import SCENARIO_DIR, LoadedScenario
from sim.validation import validate_located
from sim.yamlio import load_yaml

__all__ = ["Coverage", "SCOPE_FILE", "load_scope", "coverage"]

SCOPE_FILE = SCENARIO_DIR / "_coverage.yaml"


class Scope(Frozen):
    not_observable: dict[StrictStr, Text]


def load_scope(path: Path = SCOPE_FILE, procedure: Procedure | None = None) -> dict[str, Text]:
    doc = load_yaml(path)
    scope, problems = validate_located(Scope, doc)
    if scope is not None and procedure is not None:
        for cid in scope.not_observable:
            if cid not in procedure.ids:
                line = doc.line(("not_observable", cid))
                problems.append(Problem(doc.file, line, tr("coverage.unknown_clause", clause=cid)))
    if problems or scope is None:
        raise ScenarioError(problems)
    return dict(scope.not_observable)


@dataclass(frozen=True)
class Row:
    clause: str
    text: str
    scenarios: tuple[str, ...]  # the scenarios with a rule citing this clause
    status: str  # covered | not_observable | truncated | uncovered
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "clause": self.clause,
            "status": self.status,
            "scenarios": list(self.scenarios),
            "reason": self.reason,
            "clause_text": self.text,
        }


@dataclass(frozen=True)
class Coverage:
    procedure: str
    scenarios: tuple[str, ...]
    rows: tuple[Row, ...]

    @property
    def uncovered(self) -> list[str]:
        return [r.clause for r in self.rows if r.status == "uncovered"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "procedure": self.procedure,
            "scenarios": list(self.scenarios),
            "uncovered": self.uncovered,
            "clauses": [r.to_dict() for r in self.rows],
        }


def coverage(
    procedure: Procedure, scenarios: Iterable[LoadedScenario], scope: dict[str, Text], lang: str
) -> Coverage:
    loaded = sorted(scenarios, key=lambda s: s.id)
    cited: dict[str, list[str]] = {}
    for s in loaded:
        for rule in s.scenario.rules:
            for cid in (rule.clause, *rule.also):
                if cid is None:
                    continue  # a local instruction is the hall's, not the procedure's
                ids = cited.setdefault(cid, [])
                if s.id not in ids:
                    ids.append(s.id)
    rows = []
    for clause in procedure.clauses:
        if clause.section_id is None:
            continue  # chapter-level text (总则): principles, not a step at the desk
        by = tuple(cited.get(clause.id, ()))
        if by:
            status, reason = "covered", None
        elif clause.truncated:
            status, reason = "truncated", tr("coverage.truncated_reason", lang)
        elif clause.id in scope:
            status, reason = "not_observable", scope[clause.id].get(lang)
        else:
            status, reason = "uncovered", None
        rows.append(Row(clause.id, clause.text(lang), by, status, reason))
    return Coverage(procedure.edition, tuple(s.id for s in loaded), tuple(rows))


def render_matrix(cov: Coverage, lang: str) -> str:
    """The matrix as text: one row per clause, one column per scenario."""
    width = max((len(c) for c in (r.clause for r in cov.rows)), default=5)
    header = " " * (width + 2) + " ".join(f"{i + 1:>2}" for i in range(len(cov.scenarios)))
    lines = [tr("coverage.legend", lang)]
    lines += [f"  {i + 1:>2} = {sid}" for i, sid in enumerate(cov.scenarios)]
    lines += ["", header]
    for r in cov.rows:
        marks = " ".join(" ●" if s in r.scenarios else " ·" for s in cov.scenarios)
        note = ""
        if r.status != "covered":
            label = tr(f"coverage.status.{r.status}", lang)
            note = f"  {label}" + (tr("words.colon", lang) + r.reason if r.reason else "")
        lines.append(f"{r.clause:<{width}}  {marks}{note}")
    lines.append("")
    if cov.uncovered:
        lines.append(tr("coverage.gaps", lang, clauses="、".join(cov.uncovered)))
    else:
        lines.append(tr("coverage.complete", lang))
    return "\n".join(lines) + "\n"

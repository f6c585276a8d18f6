"""The scorer: scenario rules + procedure + trace -> report. A pure function.

No points are handed out anywhere else, so any recorded session can be scored again under a
corrected rule or a new procedure edition, and every point lost is explained by a finding that
names its clause and its evidence. The report is data (``scoring.result``); its words are made
by ``scoring.narrate`` when someone reads it.

Callers outside this package go through ``scoring.session``, the one path from a session's
input to its verdict.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scoring import judges
from scoring import semantics_v1 as v1
from scoring.procedure import Procedure
from scoring.result import (
    Finding,
    InvalidAttempt,
    Report,
    Source,
    make_finding,
    make_invalid,
    make_report,
)
from scoring.trace_index import IndexedTrace, Judged
from sim.scenario import LoadedScenario, Pattern, Rule, Scenario
from sim.trace import TraceEntry

__all__ = ["score_trace", "SEMANTICS"]


# what new results are judged by: the rules as they mean now (scoring.judges); a stored result
# is judged again by the semantics it was scored with
SEMANTICS = 3


def score_trace(
    loaded: LoadedScenario,
    procedure: Procedure,
    trace: Sequence[TraceEntry],
    seed: int,
    variant: str,
    semantics: int = SEMANTICS,
) -> Report:
    s = loaded.scenario
    indexed = IndexedTrace(trace)
    table = _rule_table(loaded, procedure, semantics if semantics != 1 else SEMANTICS)
    var_id = table[0][7].get(variant, s.variants[0].id) if table else s.variants[0].id
    applying = 0.0  # the weights of the rules that applied, added in the rules' order
    findings: list[Finding | None] = []
    # the rules that lose points: their findings wait for the scale (known once all are judged)
    losing: list[tuple[int, _RuleRow, Judged]] = []
    v2 = semantics != 1
    for row in table:
        j = row[2](indexed) if v2 else v1.judge(row[0], indexed)
        verdict, at, evidence = j
        if verdict != "not_applicable" or not v2:  # semantics 1: every rule counts
            applying += row[1]
        if verdict == "violated" or verdict == "missed":
            losing.append((len(findings), row, j))
            findings.append(None)
            continue
        rule, _, _, _, cites, source, same, _ = row
        if at is None and v2:
            # a verdict that rests on nothing in the trace (not applicable, never done) is the
            # same object every time: so is its finding
            hit = same.get(id(j))
            if hit is not None and hit[0] is j:
                findings.append(hit[1])
                continue
        made = make_finding(
            rule.id, cites, rule.template, verdict, rule.critical, 0.0, at, evidence, source,
            rule.also,
        )  # fmt: skip
        findings.append(made)
        if at is None and v2 and len(same) < 8:
            same[id(j)] = (j, made)
    scale = 100.0 / applying if applying else 0.0  # (weights are positive: semantics 1 > 0)
    lost = 0.0
    critical: list[str] = []
    for k, (rule, weight, _, _, cites, source, _, _), (verdict, at, evidence) in losing:
        points = weight * scale
        lost += points
        if rule.critical and cites not in critical:
            critical.append(cites)
        findings[k] = make_finding(
            rule.id, cites, rule.template, verdict, rule.critical, round(points, 2), at,
            evidence, source, rule.also,
        )  # fmt: skip
    hints = 0
    invalid: list[InvalidAttempt] = []
    for i in indexed.attempts:  # the actions refused, in order
        e = trace[i]
        invalid.append(make_invalid(e.t, e.name, e.reason or ""))
    for i in indexed.by_name.get("ask_hint", ()):
        e = trace[i]
        if e.kind == "action" and e.valid:
            hints += 1
    pauses, paused_s = _pauses(trace, indexed)
    hint_points = round(hints * s.scenario.hint_cost, 2)
    score = max(0.0, round(100.0 - lost - hint_points, 1))
    pass_mark = s.scenario.pass_mark
    passed = score >= pass_mark and not critical
    # in the order Report declares its fields: matching sixteen keywords costs more than making
    # the report
    return make_report(
        s.id,  # scenario
        loaded.sha256,  # scenario_sha256
        var_id,  # variant
        seed,
        procedure.edition,  # procedure
        score,
        pass_mark,
        passed,
        tuple(critical),  # critical_failures
        tuple(findings),  # type: ignore[arg-type]  # every None filled in
        tuple(invalid),  # invalid_attempts
        hints,  # hints_used
        hint_points,
        semantics,
        pauses,
        paused_s,
    )


def _pauses(trace: Sequence[TraceEntry], indexed: IndexedTrace | None = None) -> tuple[int, float]:
    """How often the session was paused, and for how many wall seconds in all."""
    if indexed is not None:  # only the pauses and resumes, in the trace's order
        if "pause" not in indexed.by_name and "resume" not in indexed.by_name:
            return 0, 0.0
        trace = [trace[i] for i in indexed.where(_PAUSE, _RESUME)]
    count, wall = 0, 0.0
    for e in trace:
        if e.kind != "action" or not e.valid:
            continue
        if e.name == "pause":
            count += 1
        elif e.name == "resume":
            try:
                seconds = float(e.arg("wall") or 0.0)
            except ValueError:
                seconds = 0.0
            if math.isfinite(seconds) and seconds > 0:
                wall += seconds
    return count, round(wall, 1)


_PAUSE = Pattern(name="pause")
_RESUME = Pattern(name="resume")


# a rule compiled for its table: the rule, its weight, its semantics 2 judge compiled for the
# scenario, the scenario, the clause it cites, and where that comes from
_RuleRow = tuple[
    Rule,
    float,
    judges.Compiled,
    Scenario,
    str,
    Source,
    dict[int, tuple[Judged, Finding]],  # the findings of its verdicts made once (by identity)
    dict[str, str],  # the scenario's variants, by id
]
_TABLES: dict[tuple[int, int, int], tuple[Scenario, Procedure, tuple[_RuleRow, ...]]] = {}


def _rule_table(
    loaded: LoadedScenario, procedure: Procedure, semantics: int = SEMANTICS
) -> tuple[_RuleRow, ...]:
    """Each rule with the points it is worth and its judge, worked out once per pairing (the
    procedure must have every clause cited: asking for one it lacks is the loader's located
    error).

    The cache keeps the objects it is keyed on alive, so an id is never reused while cached.
    """
    key = (id(loaded.scenario), id(procedure), semantics)
    hit = _TABLES.get(key)
    if hit is not None and hit[0] is loaded.scenario and hit[1] is procedure:
        return hit[2]
    rules = loaded.scenario.rules
    for r in rules:
        for clause in (r.clause, *r.also):
            if clause is not None:
                procedure.clause(clause)
    variants = {v.id: v.id for v in loaded.scenario.variants}
    table: tuple[_RuleRow, ...] = tuple(
        (
            r,
            r.weight,
            judges.compile_rule(r, loaded.scenario, semantics),
            loaded.scenario,
            r.cites,
            _source(r),
            {},
            variants,
        )
        for r in rules
    )
    if len(_TABLES) > 256:
        _TABLES.clear()
    _TABLES[key] = (loaded.scenario, procedure, table)
    return table


def _source(r: Rule) -> Source:
    return "local" if r.local is not None else "procedure"

"""Rendering a report for people: the debrief as text, critical failures first."""

from __future__ import annotations

import json

from scoring.procedure import Procedure
from scoring.scorer import Finding, Report
from sim.i18n import clock, tr
from sim.scenario import Scenario
from sim.vocabulary import vocabulary

__all__ = ["render_text", "render_json"]


def render_json(report: Report) -> str:
    """The ``--json`` report: stable key order, Chinese kept as text, one trailing newline."""
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def _order(f: Finding) -> tuple[int, int]:
    if f.verdict != "met" and f.critical:
        return (0, 0)
    if f.verdict != "met":
        return (1, 0)
    return (2, 0)


def render_text(report: Report, scenario: Scenario, procedure: Procedure) -> str:
    lang = report.lang
    title = scenario.scenario.title.get(lang)
    verdict = tr("report.passed" if report.passed else "report.failed", lang)
    lines = [
        tr(
            "report.header",
            lang,
            title=title,
            id=report.scenario,
            variant=report.variant,
            seed=report.seed,
            procedure=report.procedure,
        ),
        tr(
            "report.score",
            lang,
            score=f"{report.score:g}",
            pass_mark=f"{report.pass_mark:g}",
            verdict=verdict,
        ),
    ]
    if report.critical_failures:
        lines.append(tr("report.critical", lang, clauses="、".join(report.critical_failures)))
    if report.hints_used:
        lines.append(
            tr("report.hints", lang, n=report.hints_used, points=f"{report.hint_points:g}")
        )
    lines.append("")
    findings = sorted(report.findings, key=_order)
    for f in findings:
        mark = "✔" if f.verdict == "met" else ("✖" if f.critical else "✘")
        lost = tr("report.lost", lang, points=f"{f.points_lost:g}") if f.points_lost else ""
        crit = tr("report.critical_tag", lang) if f.critical and f.verdict != "met" else ""
        lines.append(
            f"{mark} {f.clause} {crit}{tr('verdict.' + f.verdict, lang)}{lost}  {f.evidence}"
        )
        text = procedure.clause(f.clause).text(lang)
        lines.append("    " + tr("report.clause_text", lang, text=text))
    if report.invalid_attempts:
        lines.append("")
        lines.append(tr("report.invalid_header", lang, n=len(report.invalid_attempts)))
        for a in report.invalid_attempts:
            spec = vocabulary().actions.get(a.action)
            label = spec.label(lang) if spec else a.action
            lines.append(
                "    "
                + tr(
                    "report.invalid_line",
                    lang,
                    t=clock(a.t),
                    action=label,
                    reason=tr(f"precondition.{a.reason}", lang),
                )
            )
    return "\n".join(lines) + "\n"

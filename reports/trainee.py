"""A trainee's progress: scores over time against the pass mark, every session, the drills
taken, and the clauses they keep breaking with the words of each."""

from __future__ import annotations

from typing import Any

from records.db import Records
from records.service import history
from reports.charts import Point, progress
from reports.page import ClauseBook, ReportError, Scenarios, day, num, render, who
from reports.words import tr

__all__ = ["trainee_report"]


def trainee_data(records: Records, trainee: str, lang: str, exams: bool = True) -> dict[str, Any]:
    """``exams``: False when the reader may not see exam results (they are left out)."""
    h = history(records, trainee, top=10, exams=exams)
    if not h.sessions:
        raise ReportError(tr("reports.no_trainee", lang, trainee=trainee, file=records.where))
    # each scored session's current result, read as a Report
    scored_rows = {
        h.session.id: (h.result.report, h.result.procedure_sha256, h.session)
        for h in records.session_history(trainee)
        if h.result is not None and (exams or h.session.mode != "exam")
    }
    scenarios = Scenarios(records)
    titles = {sid: scenarios.title(sid, lang) for sid in {s["scenario"] for s in h.sessions}}
    sessions = []
    points = []
    last_day = ""
    for s in h.sessions:
        found = scored_rows.get(s["session"])
        report = found[0] if found else None
        # the variant is shown with the result: an unscored session shows none
        variant = found[2].variant if found else None
        sha = found[2].scenario_sha256 if found else None
        row = {
            **s,
            "title": titles.get(s["scenario"], s["scenario"]),
            "variant": scenarios.variant_name(sha, variant, lang) if sha else variant,
            "pass_mark": report.pass_mark if report else None,
            "critical": list(report.critical_failures) if report else [],
        }
        sessions.append(row)
        if s["score"] is None or report is None:
            continue
        this_day = day(s["started_at"])
        verdict = tr("report.passed" if s["passed"] else "report.failed", lang)
        points.append(
            Point(
                tick=this_day[5:] if this_day != last_day else "",
                score=float(s["score"]),
                pass_mark=report.pass_mark,
                exam=s["mode"] == "exam",
                passed=bool(s["passed"]),
                title=f"#{s['session']} {this_day} {row['title']} "
                f"{tr('mode.' + s['mode'], lang)} {num(s['score'])} {verdict}",
                note=f"#{s['session']}",
            )
        )
        last_day = this_day
    chart = progress(
        points,
        label=tr("reports.progress.chart", lang),
        legend=[
            ("circle neutral", tr("mode.training", lang)),
            ("diamond neutral", tr("mode.exam", lang)),
            ("circle ok", tr("report.passed", lang)),
            ("circle bad", tr("report.failed", lang)),
            ("line pass-mark", tr("reports.pass_mark", lang)),
        ],
    )
    # the editions scored under, the one of the newest session first
    shas = sorted(
        {sha for _, sha, _ in scored_rows.values() if sha},
        key=lambda sha: -max(sid for sid, v in scored_rows.items() if v[1] == sha),
    )
    book = ClauseBook(records, shas)
    weak = []
    for clause, n in h.weak_clauses:
        zh, en = book.text(clause, lang)
        weak.append({"clause": clause, "times": n, "text": zh, "text_en": en})
    scored = [s for s in sessions if s["score"] is not None]
    exam_rows = [s for s in scored if s["mode"] == "exam"]
    attempts = records.trainee_attempts(trainee)
    first_day = day(h.sessions[0]["started_at"])
    last = day(h.sessions[-1]["started_at"])
    return {
        "trainee": trainee,
        "who": who(records, trainee, lang),
        "sessions": sessions,
        "n_scored": len(scored),
        "n_passed": sum(1 for s in scored if s["passed"]),
        "mean": (sum(s["score"] for s in scored) / len(scored)) if scored else None,
        "exam_mean": ((sum(s["score"] for s in exam_rows) / len(exam_rows)) if exam_rows else None),
        "last_score": scored[-1]["score"] if scored else None,
        "period": first_day if first_day == last else f"{first_day} – {last}",
        "chart": chart,
        "n_points": len(points),
        "weak": weak,
        "attempts": [
            {
                "id": a.id,
                "drill": a.drill_id,
                "attempt": a.attempt,
                "started_at": a.started_at,
                "status": a.status,
                "average": a.average if exams else None,
                "passed": a.passed if exams else None,
                "code": a.code if exams else None,
            }
            for a in attempts
        ],
        "exams_hidden": not exams,
    }


def trainee_report(records: Records, trainee: str, lang: str = "zh", exams: bool = True) -> str:
    """A trainee's progress as one HTML page (``exams``: whether exam results are shown)."""
    return render("trainee.html.j2", lang, **trainee_data(records, trainee, lang, exams))

"""Exports of the records: CSV for a spreadsheet, JSON for other systems, xAPI for an LRS."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from records.db import Records, SessionRow
from records.words import tr
from sim.errors import DeskTrainerError
from sim.localtime import since_utc
from sim.scenario import LoadedScenario

__all__ = [
    "since_iso",
    "session_dicts",
    "to_csv",
    "safe_cell",
    "to_json",
    "xapi_session",
    "xapi_statements",
]

COLUMNS = (
    "session",
    "uuid",
    "trainee",
    "scenario",
    "scenario_sha256",
    "procedure",
    "seed",
    "variant",
    "mode",
    "agent",
    "drill",
    "status",
    "started_at",
    "ended_at",
    "score",
    "passed",
    "critical_failures",
    "hints_used",
    "broken_clauses",
)


def since_iso(text: str | None) -> str | None:
    """``--since 2026-11-01`` as the stored time it starts at (midnight in the centre's zone)."""
    if text is None:
        return None
    try:
        return since_utc(text)
    except ValueError:
        raise DeskTrainerError(tr("export.bad_date", value=text)) from None


def session_dicts(records: Records, since: str | None = None) -> list[dict[str, Any]]:
    """One plain dict per session with its current result (None fields when unfinished)."""
    out = []
    for row in records.sessions(since=since):
        res = records.current_result(row.id)
        report = res.report if res else None
        broken = sorted({f.clause for f in report.findings if f.lost} if report else [])
        out.append(
            {
                "session": row.id,
                "uuid": row.uuid,
                "trainee": row.trainee_id,
                "scenario": row.scenario_id,
                "scenario_sha256": row.scenario_sha256,
                "procedure": res.procedure if res else row.procedure,
                "seed": row.seed,
                "variant": row.variant,
                "mode": row.mode,
                "agent": row.agent,
                "drill": row.drill,
                "status": row.status,
                "started_at": row.started_at,
                "ended_at": row.ended_at,
                "score": res.score if res else None,
                "passed": res.passed if res else None,
                "critical_failures": list(res.critical_failures) if res else [],
                "hints_used": res.hints_used if res else 0,
                "broken_clauses": broken,
                "findings": [f.to_dict() for f in report.findings] if report else [],
            }
        )
    return out


# what a spreadsheet runs a cell as a formula for when it starts with it (and tab, return, which
# some read before one of these)
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A text cell a spreadsheet shows as text: one that would start a formula (``=HYPERLINK``,
    ``=cmd|...``) gets a leading apostrophe, which Excel and LibreOffice hide."""
    return "'" + value if value.startswith(_FORMULA) else value


def to_csv(sessions: list[dict[str, Any]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(COLUMNS)
    for s in sessions:
        cells: list[object] = []
        for col in COLUMNS:
            v = s[col]
            if isinstance(v, list):
                v = " ".join(str(x) for x in v)
            elif isinstance(v, bool):
                v = int(v)
            if isinstance(v, str):
                v = safe_cell(v)
            cells.append("" if v is None else v)
        w.writerow(cells)
    return buf.getvalue()


def to_json(sessions: list[dict[str, Any]]) -> str:
    return json.dumps(sessions, ensure_ascii=False, indent=2) + "\n"


def xapi_session(
    records: Records, row: SessionRow, cache: dict[str, LoadedScenario] | None = None
) -> dict[str, Any]:
    """The session as the xAPI statement builder wants it."""
    cache = cache if cache is not None else {}
    loaded = cache.get(row.scenario_sha256)
    if loaded is None:
        loaded = cache[row.scenario_sha256] = records.scenario(row)
    title = loaded.scenario.scenario.title
    name = records.trainee_name(row.trainee_id)
    return {
        "uuid": row.uuid,
        "trainee": {"id": row.trainee_id, "name": row.trainee_id if name is None else name},
        "scenario": {
            "id": row.scenario_id,
            "title": {"zh": title.zh, "en": title.en},
            "sha256": row.scenario_sha256,
        },
        "procedure": row.procedure,
        "seed": row.seed,
        "variant": row.variant,
        "mode": row.mode,
        "agent": row.agent,
        "started_at": row.started_at,
        "ended_at": row.ended_at,
        "duration_s": row.sim_end,
        "status": row.status,
    }


def xapi_statements(
    records: Records, row: SessionRow, cache: dict[str, LoadedScenario] | None = None
) -> list[dict[str, Any]]:
    """The session's xAPI statements: its current result, and each result a re-score
    superseded, voided at the time it was superseded."""
    from records.xapi import statements

    results = records.results(row.id)
    current = next((r for r in results if r.current), None)
    earlier = [
        (r.data, results[i + 1].created_at) for i, r in enumerate(results[:-1]) if not r.current
    ]
    return statements(
        xapi_session(records, row, cache),
        current.data if current else None,
        earlier=earlier,
    )

"""Who is where on a learning path: each trainee the path is assigned to (their own or their
unit's), each step done or not, their next step, and their certification; how many stand at
each step."""

from __future__ import annotations

from collections import Counter
from typing import Any

from records.db import Records
from records.paths import path_for, standings
from reports.charts import Bar, hbars
from reports.page import ReportError, Scenarios, render
from reports.words import tr
from sim.drill import load_drill
from sim.errors import InputError
from sim.localtime import show
from sim.path import PathStep, all_paths

__all__ = ["path_report", "path_data"]


def _step_title(step: PathStep, scenarios: Scenarios, lang: str) -> str:
    if step.title is not None:
        return step.title.get(lang)
    if step.drill is not None:
        try:
            return load_drill(step.drill).drill.drill.title.get(lang)
        except InputError:
            return step.drill
    return scenarios.title(str(step.scenario), lang)


def path_data(records: Records, path_id: str | None, unit: str | None, lang: str) -> dict[str, Any]:
    paths = all_paths()
    assignments = records.path_assignments()
    if path_id is None:
        used = sorted(set(assignments.values()))
        if len(used) != 1:
            raise ReportError(tr("reports.office.which_path", lang,
                                 paths=", ".join(used or sorted(paths)) or "—"))  # fmt: skip
        path_id = used[0]
    if path_id not in paths:
        raise ReportError(tr("reports.office.no_path", lang, path=path_id,
                             paths=", ".join(sorted(paths)) or "—"))  # fmt: skip
    loaded = paths[path_id]
    people = [
        p for p in records.people(unit=unit, registered=True)
        if p.active and path_for(p, assignments) == path_id
    ]  # fmt: skip
    if not people:
        raise ReportError(tr("reports.office.nobody_on_path", lang, path=path_id,
                             unit=unit or tr("reports.office.all_units", lang)))  # fmt: skip
    stand = standings(records, people, paths=paths, only_path=path_id, unit=unit)
    scenarios = Scenarios(records)
    steps = loaded.path.steps
    titles = [_step_title(s, scenarios, lang) for s in steps]
    at = Counter((st.next_step.step.key if st.next_step else "__done__") for st in stand)
    chart = hbars(
        [
            Bar(text=f"{i + 1}. {titles[i]}", value=at.get(s.key, 0), shown=str(at.get(s.key, 0)))
            for i, s in enumerate(steps)
        ]
        + [
            Bar(
                text=tr("reports.office.path_done", lang),
                value=at.get("__done__", 0),
                shown=str(at.get("__done__", 0)),
                cls="ok",
            )
        ],  # fmt: skip
        label=tr("reports.office.where_chart", lang),
    )
    rows = []
    for st in sorted(stand, key=lambda s: (s.person.unit or "", -s.done, s.person.id)):
        nxt = st.next_step
        rows.append({
            "id": st.person.id, "name": st.person.name, "unit": st.person.unit,
            "team": st.person.team, "hired": st.person.hire_date,
            "steps": [{"done": s.done, "best": s.best, "tries": s.tries} for s in st.steps],
            "done": st.done, "total": len(st.steps), "share": st.share,
            "next": titles[steps.index(nxt.step)] if nxt else None,
            "last": show(st.last_active, "day") if st.last_active else None,
            "state": st.state, "due": st.due.isoformat() if st.due else None,
        })  # fmt: skip
    n = len(stand)
    cert = loaded.path.certification
    return {
        "path": loaded.path,
        "path_id": path_id,
        "title": loaded.path.path.title.get(lang),
        "unit": unit,
        "steps": [
            {"title": titles[i], "mark": s.pass_mark, "drill": s.drill is not None}
            for i, s in enumerate(steps)
        ],
        "rows": rows,
        "chart": chart,
        "n": n,
        "n_done": at.get("__done__", 0),
        "mean_share": sum(s.share for s in stand) / n if n else 0.0,
        "states": dict(Counter(s.state for s in stand)),
        "cert_title": _step_title(PathStep(drill=cert.drill), scenarios, lang) if cert else None,
        "first_due_days": cert.first_due_days if cert else None,
        "verified": records.key is not None,
    }


def path_report(
    records: Records, path_id: str | None = None, unit: str | None = None, lang: str = "zh"
) -> str:
    """Who is where on a learning path (of one unit) as one HTML page."""
    return render("path.html.j2", lang, **path_data(records, path_id, unit, lang))

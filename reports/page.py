"""What every report shares: the templates, words, numbers, clause texts and recorded scenarios."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from records.db import Records
from records.rows import PersonRow
from reports.words import tr
from scoring.procedure import Clause, Procedure
from sim.errors import DeskTrainerError
from sim.localtime import now_local, show, zone_label
from sim.scenario import LoadedScenario, load_scenario_bytes

__all__ = [
    "ReportError",
    "ClauseBook",
    "Scenarios",
    "render",
    "when",
    "day",
    "num",
    "trainee_name",
    "who",
    "person",
    "name_and_id",
]


class ReportError(DeskTrainerError):
    """A report cannot be made as asked (nothing recorded, an attempt that did not pass)."""


_ENV = Environment(
    loader=PackageLoader("reports", "templates"),
    autoescape=select_autoescape(default=True, default_for_string=True),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def render(template: str, lang: str, **context: Any) -> str:
    """One report as HTML: every text the template prints is escaped, charts come in as
    markup already escaped by the code that drew them."""
    page = _ENV.get_template(template)
    made = show(now_local())
    return page.render(
        lang=lang,
        html_lang="zh-CN" if lang == "zh" else "en",
        t=partial(tr_in, lang),
        num=num,
        when=when,
        day=day,
        made=made,
        zone=zone_label(),
        **context,
    )


def tr_in(lang: str, msg_id: str, /, **params: Any) -> str:
    return tr(msg_id, lang, **params)


def when(iso: str | None) -> str:
    """A stored time (UTC, ISO) as ``2026-11-28 21:20`` in the centre's time zone."""
    return show(iso, "minute")


def day(iso: str | None) -> str:
    """The day a stored time falls on in the centre's time zone."""
    return show(iso, "day")


def num(v: float | None) -> str:
    """A score or points: ``83.3``, ``100``, ``—`` for none."""
    if v is None:
        return "—"
    return f"{round(v, 1):g}"


def trainee_name(records: Records, trainee: str) -> str:
    """The name a trainee was entered with (their id when there is none)."""
    return records.trainee_name(trainee) or trainee


def person(records: Records, trainee: str) -> PersonRow:
    """A trainee's register entry (a bare one, name = id, when nobody entered them)."""
    return records.person(trainee) or PersonRow(id=trainee, name=trainee)


def who(records: Records, trainee: str, lang: str) -> str:
    """``name (id, unit)`` as the register has them; ``name (id)`` or the id without it."""
    p = person(records, trainee)
    return name_and_id(p.name, trainee, lang, p.unit)


def name_and_id(name: str | None, trainee: str, lang: str, unit: str | None = None) -> str:
    if unit:
        inner = tr("words.id_unit", lang, id=trainee, unit=unit)
        return (name or trainee) + tr("words.paren", lang, text=inner)
    if not name or name == trainee:
        return trainee
    return name + tr("words.paren", lang, text=trainee)


class ClauseBook:
    """Clause texts from the procedure editions results were scored under, newest first, so a
    report quotes the words the trainee was judged by."""

    def __init__(self, records: Records, shas: Iterable[str]) -> None:
        self.editions: list[Procedure] = []
        seen: set[str] = set()
        for sha in shas:
            if sha in seen or not sha:
                continue
            seen.add(sha)
            try:
                self.editions.append(records.procedure(sha))
            except DeskTrainerError:
                continue

    def clause(self, cid: str) -> Clause | None:
        for proc in self.editions:
            if cid in proc.ids:
                return proc.clause(cid)
        return None

    def text(self, cid: str, lang: str) -> tuple[str, str | None]:
        """The Chinese text (the authority) and, in English reports, the English reading."""
        c = self.clause(cid)
        if c is None:
            return "", None
        return c.zh, (c.en if lang == "en" else None)


class Scenarios:
    """Scenarios as they were recorded, each copy loaded once (by content hash)."""

    def __init__(self, records: Records) -> None:
        self.records = records
        self._by_sha: dict[str, LoadedScenario | None] = {}

    def by_sha(self, sha: str) -> LoadedScenario | None:
        if sha not in self._by_sha:
            found = self.records.scenario_source(sha)
            try:
                loaded = load_scenario_bytes(found.source, found.file) if found else None
            except DeskTrainerError:  # a damaged copy: reports fall back to the id
                loaded = None
            self._by_sha[sha] = loaded
        return self._by_sha[sha]

    def newest(self, scenario_id: str) -> LoadedScenario | None:
        sha = self.records.latest_scenario_sha256(scenario_id)
        return self.by_sha(sha) if sha is not None else None

    def variant_name(self, sha: str, variant: str | None, lang: str) -> str:
        """A variant's title in the recorded scenario (its id when it has none)."""
        loaded = self.by_sha(sha)
        if loaded is None or variant is None:
            return variant or "—"
        found = next((v for v in loaded.scenario.variants if v.id == variant), None)
        return found.name(lang) if found is not None else variant

    def title(self, scenario_id: str, lang: str) -> str:
        loaded = self.newest(scenario_id)
        return loaded.scenario.scenario.title.get(lang) if loaded else scenario_id

"""The reports as a browser and a printer get them: well-formed HTML that says what it should,
charts with the right number of bars and points, nothing fetched, every text escaped."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from reports import ReportError, certificate, drill_report, session_report, trainee_report
from reports.words import tr as report_words
from scoring.narrate import Narrator
from scoring.procedure import load_procedure

VOID = {"meta", "br", "hr", "img", "input", "link", "col", "wbr", "area", "base", "source"}


class Page(HTMLParser):
    """Checks that every element is closed in order and collects text, attributes and SVGs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.text: list[str] = []
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.svgs = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag == "svg":
            self.svgs += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def classes(self, name: str) -> list[dict[str, str | None]]:
        return [a for _, a in self.elements if name in (a.get("class") or "").split()]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert page.problems == []
    assert page.stack == [], f"left open: {page.stack}"
    assert html.startswith("<!DOCTYPE html>")
    return page


def no_external(html: str, page: Page) -> None:
    assert "http://" not in html and "https://" not in html
    for tag, attrs in page.elements:
        assert "src" not in attrs, tag
        for name in ("href", "xlink:href"):
            assert not attrs.get(name), f"{tag} {name}={attrs.get(name)}"
    assert "url(" not in html and "@import" not in html and "<script" not in html


def test_session_debrief_says_what_happened_critical_failures_first(
    records: Records, filled: Any
) -> None:
    html = session_report(records, filled.emergency_session)
    page = parse(html)
    no_external(html, page)
    words = page.words
    assert "实训讲评：紧急停电：群众报告险情" in words
    assert 'lang="zh-CN"' in html
    result = records.current_result(filled.emergency_session)
    report = result.report
    procedure = records.procedure(result.procedure_sha256)
    row = records.session(filled.emergency_session)
    said = Narrator(
        records.scenario(row).scenario, row.variant, "zh", procedure, trace=records.events(row.id)
    )
    for f in report.findings:
        # the clause's text, or for the hall's own plan the instruction the briefing gives
        assert said.clause_text(f.clause) in words
        assert " ".join(said.evidence(f).split()) in words
    # the critical failures come first in the table, and are marked red
    rows = [a for t, a in page.elements if t == "tr" and a.get("class")]
    kinds = [a["class"] for a in rows if a["class"] in ("critical", "breach", "met")]
    n_critical = sum(1 for f in report.findings if f.critical and f.lost)
    assert n_critical > 0
    assert kinds[:n_critical] == ["critical"] * n_critical
    assert "critical" not in kinds[n_critical:]
    assert page.svgs == 1
    # the timeline: one mark per finding with a time, and the hazard report
    marks = page.classes("mark")
    assert len([m for m in marks if "hazard" in (m.get("class") or "")]) == 1
    timed = [f for f in report.findings if f.at is not None]
    findings = [m for m in marks if {"ok", "warn", "bad"} & set(m["class"].split())]
    assert len(findings) >= len(timed)


def test_a_session_in_english(records: Records, filled: Any) -> None:
    html = session_report(records, filled.emergency_session, "en")
    page = parse(html)
    assert 'lang="en"' in html
    assert "Debrief: Emergency outage" in page.words
    assert "Findings, clause by clause" in page.words


def test_trainee_progress_has_a_point_per_scored_session(records: Records) -> None:
    html = trainee_report(records, "李文博")
    page = parse(html)
    no_external(html, page)
    scored = records.conn.execute(
        "SELECT COUNT(*), SUM(s.mode = 'exam') FROM sessions s JOIN results r"
        " ON r.session_id = s.id AND r.current = 1 WHERE s.trainee_id = '李文博'"
    ).fetchone()
    points = page.classes("point")
    assert len(points) == scored[0] == 3 + 5 + 5
    assert sum(1 for p in points if p.get("data-mode") == "exam") == scored[1] == 10
    assert "学员实训进度：李文博" in page.words
    assert page.classes("pass-mark"), "no pass-mark line"
    # the weak clauses are quoted
    assert "操作完成后,及时向客户反馈处理结果,并做好记录。" in page.words


def test_drill_report_counts_attempts_and_times_the_safety_advice(
    records: Records, filled: Any
) -> None:
    html = drill_report(records, "annual_2026")
    page = parse(html)
    no_external(html, page)
    words = page.words
    assert "考核情况：2026 年度用电客户受理员岗位资格考核" in words
    assert page.svgs == 2  # the spread of averages, the hazard → safety advice times
    bars = page.classes("bar")
    done = records.conn.execute(
        "SELECT COUNT(*) FROM drill_attempts WHERE drill_id = 'annual_2026' AND status = 'complete'"
    ).fetchone()[0]
    spread = [b for b in bars if b.get("data-from") != "none"][:10]
    assert len(spread) == 10
    assert sum(int(b["data-count"] or 0) for b in spread) == done == 6
    emergency = records.conn.execute(
        "SELECT COUNT(*) FROM sessions s JOIN drill_attempts a ON a.uuid = s.drill"
        " WHERE a.drill_id = 'annual_2026' AND s.scenario_id = 'emergency_outage'"
        " AND s.status = 'complete'"
    ).fetchone()[0]
    safety = bars[10:]
    assert safety[-1]["data-from"] == "none"  # the "never" bar
    assert sum(int(b["data-count"] or 0) for b in safety) == emergency == 6
    assert "紧急停电：群众报告险情：从报告险情到第一次安全提示" in words
    assert page.classes("median") and page.classes("limit")
    # the most-broken clauses are quoted
    broken = records.conn.execute(
        "SELECT f.clause FROM findings f JOIN results r ON r.id = f.result_id AND r.current = 1"
        " JOIN sessions s ON s.id = r.session_id WHERE s.drill IS NOT NULL"
        " AND f.verdict != 'met' GROUP BY f.clause ORDER BY COUNT(DISTINCT r.id) DESC LIMIT 1"
    ).fetchone()[0]
    text = load_procedure().clause(broken).zh
    assert text in words


def test_drill_report_since_a_later_date_has_nothing(records: Records) -> None:
    with pytest.raises(ReportError, match="2999-01-01"):
        drill_report(records, "annual_2026", "2999-01-01")
    with pytest.raises(ReportError, match="not-a-date"):
        drill_report(records, "annual_2026", "not-a-date")


def test_markup_in_a_name_comes_out_as_text(records: Records, filled: Any) -> None:
    nasty = filled.nasty
    for html in (trainee_report(records, nasty), drill_report(records, "annual_2026")):
        assert nasty not in html
        assert "&lt;script&gt;" in html
        page = parse(html)
        assert nasty in page.words
        assert not [t for t, _ in page.elements if t == "script"]


def test_certificate_of_a_passed_signed_attempt(records: Records, filled: Any) -> None:
    for ref in (str(filled.passed_attempt), filled.code, filled.code.lower()):
        html = certificate(records, ref)
        page = parse(html)
        no_external(html, page)
        assert "合格证书" in page.words and "李文博" in page.words
        assert filled.code in page.words
        # how the centre checks it, in words a manager can act on (no command to type)
        assert "核验码报培训中心" in page.words and "python" not in page.words
        assert "有效期至" in page.words and "工号" not in page.words  # not in the register


@pytest.mark.parametrize("which", ["failed", "unsigned"])
def test_certificate_is_refused_for_a_failed_or_unsigned_attempt(
    records: Records, filled: Any, which: str
) -> None:
    attempt = filled.failed_attempt if which == "failed" else filled.unsigned_attempt
    said = "不合格" if which == "failed" else "未经培训中心密钥签名"
    with pytest.raises(ReportError, match=said):
        certificate(records, str(attempt))


def test_certificate_for_an_unknown_code_is_refused(records: Records) -> None:
    with pytest.raises(ReportError, match="AAAA-BBBB"):
        certificate(records, "AAAA-BBBB-CCCC-DDDD")


def test_every_word_the_reports_use_is_in_both_catalogues() -> None:
    root = Path(__file__).resolve().parents[2]
    used: set[str] = set()
    for path in [*root.glob("reports/**/*.py"), *root.glob("reports/templates/*.j2"),
                 root / "trainer" / "reports_cli.py"]:  # fmt: skip
        used |= set(re.findall(r"""['"](reports\.[a-z_.]+)['"]""", path.read_text()))
    assert len(used) > 100
    # a key put together in a template ('reports.session.by_' ~ kind) is a prefix
    whole = {k for k in used if not k.endswith(("_", "."))}
    prefixes = used - whole
    for lang in ("zh", "en"):
        words = set(report_words.table(lang))
        assert sorted(whole - words) == []
        assert [p for p in prefixes if not any(w.startswith(p) for w in words)] == []

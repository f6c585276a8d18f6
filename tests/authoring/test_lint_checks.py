"""One test per lint check: a real scenario broken in one way, and the finding it must give —
its check, severity, file, line and a fix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

import authoring.lint as lint_mod
from authoring.lint import Edition, Finding, LintResult, lint
from scoring.procedure import DEFAULT_PROCEDURE, load_procedure
from sim.scenario import SCENARIO_DIR, load_scenario
from tests.authoring.conftest import Broken, line_of, run_lint

APPENDED_RULE = """  - id: {id}
    template: {template}
{body}    clause: "{clause}"
    weight: 5
"""


def rule(rid: str, template: str, body: str, clause: str) -> str:
    return APPENDED_RULE.format(id=rid, template=template, body=body, clause=clause)


def only(result: LintResult, check: str) -> Finding:
    found = [f for f in result.findings if f.check == check]
    assert len(found) == 1, result.findings
    f = found[0]
    assert f.message and f.fix and f.file
    return f


def test_the_real_scenarios_and_drills_lint_clean(edition: Edition) -> None:
    result = lint([], edition, lang="en")
    assert result.files >= 12
    assert result.findings == []


def test_a_validation_problem_is_an_error_with_its_line(broken: Broken, edition: Edition) -> None:
    path = broken({"    weight: 5\n": '    weight: "five"\n'})
    f = only(run_lint(path, edition), "validate")
    assert f.severity == "error" and f.line == line_of(path, 'weight: "five"')
    assert "authoring.en.md" in f.fix


def test_a_yaml_syntax_error_is_an_error_with_its_line(broken: Broken, edition: Edition) -> None:
    path = broken({"  difficulty: 1\n": "  difficulty: [1\n"})
    result = run_lint(path, edition)
    assert [f.check for f in result.findings] == ["validate"]
    assert result.errors[0].line is not None


def test_a_variant_without_a_title_is_a_warning(broken: Broken, edition: Edition) -> None:
    title = (
        '    title: {zh: 抱着孩子来的年轻妈妈, en: "A young mother with her child in her arms"}\n'
    )
    path = broken({title: ""})
    result = run_lint(path, edition)
    f = only(result, "untitled_variant")
    assert f.severity == "warning" and f.line == line_of(path, "- id: young_mother")
    assert "young_mother" in f.message and not result.errors


def test_a_rule_citing_an_unknown_clause(broken: Broken, edition: Edition) -> None:
    path = broken({'clause: "3.1.a"': 'clause: "3.1.z"'})
    f = only(run_lint(path, edition), "unknown_clause")
    assert f.severity == "error" and f.line == line_of(path, '"3.1.z"')
    assert "3.1.z" in f.message and "did you mean '3.1." in f.message


def test_a_rule_citing_an_unknown_action(broken: Broken, edition: Edition) -> None:
    path = broken({"    what: check_system_status": "    what: check_sytem_status"})
    result = run_lint(path, edition)
    f = only(result, "unknown_name")
    assert f.severity == "error" and f.line == line_of(path, "check_sytem_status")
    assert "check_system_status" in f.message
    assert [x.check for x in result.findings] == ["unknown_name"]  # not said twice


def test_a_dialogue_node_nobody_can_reach(broken: Broken, edition: Edition) -> None:
    orphan = "      orphan:\n        says: {zh: 还有别的事吗？}\n      farewell:\n"
    path = broken({"      farewell:\n": orphan})
    f = only(run_lint(path, edition), "unreachable_node")
    assert f.severity == "warning" and f.line == line_of(path, "orphan:")
    assert "next: orphan" in f.fix


def test_a_customer_who_never_comes(broken: Broken, edition: Edition) -> None:
    extra = (
        "  - id: bystander\n    name: {zh: 路人}\n    persona: {zh: 路过的人}\n"
        "    request: consultation\n\ntimeline:\n"
    )
    path = broken({"\ntimeline:\n": "\n" + extra})
    f = only(run_lint(path, edition), "unreachable_customer")
    assert f.severity == "warning" and f.line == line_of(path, "id: bystander")


def test_a_rule_the_expert_cannot_meet(broken: Broken, edition: Edition) -> None:
    path = broken(
        append=rule("extra_window", "required", "    what: request_extra_window\n", "5.3.c")
    )
    result = run_lint(path, edition)
    f = only(result, "expert_fails")
    assert f.severity == "error" and f.line == line_of(path, "id: extra_window")
    assert "--agent expert --seed" in f.fix
    assert result.warnings == []


def test_a_rule_nobody_breaks(broken: Broken, edition: Edition) -> None:
    body = "    what: print_form\n    after: network_down\n"
    path = broken(append=rule("no_print_offline", "forbidden", body, "5.3.d"))
    f = only(run_lint(path, edition), "never_broken")
    assert f.severity == "warning" and f.line == line_of(path, "id: no_print_offline")


def test_a_rule_whose_condition_never_comes_up(broken: Broken, edition: Edition) -> None:
    body = "    trigger: network_down\n    what: report_supervisor\n"
    path = broken(append=rule("report_outage", "response", body, "3.3.a"))
    f = only(run_lint(path, edition), "never_triggered")
    assert f.severity == "warning" and "network_down" in f.message


def test_an_event_after_the_time_limit(broken: Broken, edition: Edition) -> None:
    path = broken({"  - at: 0\n": "  - at: 1000\n"})
    result = run_lint(path, edition)
    f = only(result, "after_limit")
    assert f.severity == "error" and f.line == line_of(path, "at: 1000")
    assert [x.check for x in result.findings] == ["after_limit"]


def test_a_trigger_after_the_time_limit(broken: Broken, edition: Edition) -> None:
    path = broken({"    delay: 2\n": "    delay: 2000\n"})
    f = only(run_lint(path, edition), "trigger_after_limit")
    assert f.severity == "error" and f.line == line_of(path, "delay: 2000")


def test_a_character_the_desk_font_cannot_draw(broken: Broken, edition: Edition) -> None:
    path = broken({"那我回去等电话。谢谢你啊。": "那我回去等电话。谢谢你啊😀"})
    f = only(run_lint(path, edition), "glyph_missing")
    assert f.severity == "warning" and "😀" in f.message and f.line == line_of(path, "😀")


def test_the_desk_font_missing(
    broken: Broken, edition: Edition, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(lint_mod, "FONT_FILE", tmp_path / "gone.otf")
    f = only(run_lint(broken(), edition), "font_missing")
    assert f.severity == "error" and "gone.otf" in f.message


def _drill(tmp_path: Path, scenario: str, limit: int) -> Path:
    folder = tmp_path / "drills"
    folder.mkdir(exist_ok=True)
    text = (
        "drill:\n  id: quick\n  title: {zh: 快速考核}\n  briefing: {zh: 说明}\n  attempts: 1\n"
        f"scenarios:\n  - id: {scenario}\n    pass_mark: 80\n    time_limit: {limit}\n"
    )
    path = folder / "quick.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_drill_time_limit_that_cuts_events_off(tmp_path: Path, edition: Edition) -> None:
    path = _drill(tmp_path, "irate_customer", 20)  # the customer comes at 25–45 s
    result = run_lint(path, edition)
    f = only(result, "drill_after_limit")
    assert f.severity == "warning" and f.line == line_of(path, "time_limit: 20")
    assert result.errors == []


def test_a_drill_time_limit_too_short_for_the_procedure(tmp_path: Path, edition: Edition) -> None:
    path = _drill(tmp_path, "printer_jam", 120)
    f = only(run_lint(path, edition), "drill_expert")
    assert f.severity == "warning" and "printer_jam" in f.message


def _scope(tmp_path: Path, drop: str | None = None, add: str | None = None) -> Path:
    data = yaml.safe_load((SCENARIO_DIR / "_coverage.yaml").read_text(encoding="utf-8"))
    if drop:
        del data["not_observable"][drop]
    if add:
        data["not_observable"][add] = {"zh": "说明"}
    path = tmp_path / "_coverage.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_clause_no_scenario_covers(
    tmp_path: Path, edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint_mod, "SCOPE_FILE", _scope(tmp_path, drop="5.3.a"))
    result = lint([], edition, lang="en", dynamic=False)
    f = only(result, "uncovered")
    assert f.severity == "warning" and "5.3.a" in f.message
    assert f.file == str(DEFAULT_PROCEDURE) and f.line == line_of(DEFAULT_PROCEDURE, '"5.3.a"')
    # only the whole set says so: one scenario alone covers little
    assert not [x for x in run_lint(SCENARIO_DIR / "printer_jam.yaml", edition).findings]


def test_a_scope_entry_for_a_clause_that_does_not_exist(
    tmp_path: Path, edition: Edition, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lint_mod, "SCOPE_FILE", _scope(tmp_path, add="9.9.z"))
    f = only(lint([], edition, lang="en", dynamic=False), "scope_stale")
    assert f.severity == "warning" and "9.9.z" in f.message


@pytest.fixture
def new_edition(tmp_path: Path) -> Edition:
    """A new edition of the procedure: 4.3.e removed, 3.2.c reworded."""
    data = yaml.safe_load(DEFAULT_PROCEDURE.read_text(encoding="utf-8"))
    data["edition"] = "clerk-2027-2"
    data["clauses"] = [c for c in data["clauses"] if c["id"] != "4.3.e"]
    for c in data["clauses"]:
        if c["id"] == "3.2.c":
            c["zh"] = "对客户提出的问题，应耐心、准确解答，不得隐瞒、误导或推诿。"
    path = tmp_path / "clerk-2027-2.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return Edition(load_procedure(path), str(path))


def test_clauses_a_new_edition_removed_or_changed(
    tmp_path: Path, edition: Edition, new_edition: Edition
) -> None:
    src = SCENARIO_DIR / "printer_jam.yaml"
    path = tmp_path / "scenarios" / "printer_jam.yaml"
    path.parent.mkdir()
    shutil.copy(src, path)
    result = lint([str(path)], edition, new=new_edition, lang="en")
    removed = only(result, "clause_removed")
    assert removed.severity == "error" and "4.3.e" in removed.message
    assert removed.line == line_of(path, '"4.3.e"')
    changed = [f for f in result.findings if f.check == "clause_changed"]
    assert {f.severity for f in changed} == {"warning"}
    # every rule citing 3.2.c: each question's answer, no misleading, no over-promising, patience
    loaded = load_scenario(path)
    assert len(changed) == sum(1 for r in loaded.scenario.rules if r.clause == "3.2.c") > 3
    assert "推诿" in changed[0].message
    assert changed[0].line == line_of(path, '"3.2.c"')


def test_findings_come_in_the_chosen_language(broken: Broken, edition: Edition) -> None:
    path = broken({'clause: "3.1.a"': 'clause: "3.1.z"'})
    [zh] = lint([str(path)], edition, lang="zh").findings
    [en] = lint([str(path)], edition, lang="en").findings
    assert "规程" in zh.message and "修改" in zh.render("zh")
    assert "procedure" in en.message and "fix:" in en.render("en")


def test_an_incident_nothing_would_score(broken: Broken, edition: Edition) -> None:
    # a queue that grows when thrown in: no rule of new_connection's is about the queue
    incident = (
        "injectable:\n  - id: rush_hour\n    title: {zh: 人多了, en: A rush}\n"
        '    brings:\n      - {at: 0, event: queue_grows, args: {count: "6"}}\n'
    )
    path = broken({"injectable:\n": incident}, scenario="new_connection")
    f = only(run_lint(path, edition, dynamic=False), "injected_unscored")
    assert f.severity == "warning" and f.line == line_of(path, "id: rush_hour")
    assert "injected, nothing would score it" in f.message and "queue_grows" in f.message
    assert str(path) == f.file


def test_an_incident_a_rule_scores_and_the_caller_it_brings_are_not_reported(
    broken: Broken, edition: Edition
) -> None:
    # new_connection offers the hazard call: its caller comes only when thrown in, and its rules
    # are judged on runs with it thrown in (the expert meets them, the flawed trainees break them)
    result = run_lint(broken(scenario="new_connection"), edition)
    assert result.findings == []

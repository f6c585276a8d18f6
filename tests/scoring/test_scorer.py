"""Each rule template judged on small hand-made traces."""

from __future__ import annotations

import json
from typing import Any

import pytest

from scoring.narrate import Narrator
from scoring.procedure import Procedure
from scoring.result import Report
from scoring.scorer import score_trace
from sim.scenario import LoadedScenario, Scenario
from sim.trace import TraceEntry

PROC = Procedure.model_validate(
    {
        "edition": "test-1",
        "title": {"zh": "测试规程"},
        "version": {"zh": "第一版"},
        "year": 2025,
        "issuer": {"zh": "综合办公室"},
        "category": {"zh": "两级管理标准"},
        "chapters": [{"id": "3", "zh": "三", "en": "three"}],
        "sections": [{"id": "3.3", "zh": "异常", "en": "abnormal"}],
        "clauses": [
            {"id": "3.3.a", "zh": "当系统出现故障时,应立即停止操作,报告上级。", "en": "stop"},
            {"id": "3.3.c", "zh": "优先确保客户用电安全。", "en": "safety first"},
        ],
    }
)


def scenario(*rules: dict[str, Any]) -> LoadedScenario:
    s = Scenario.model_validate(
        {
            "scenario": {
                "id": "t",
                "title": {"zh": "t"},
                "briefing": {"zh": "t"},
                "kind": "system",
                "difficulty": 1,
                "time_limit": 600,
                "pass_mark": 80,
            },
            "rules": list(rules),
        }
    )
    return LoadedScenario(scenario=s, path="t.yaml", sha256="0" * 64)


def ev(t: float, name: str, **args: str) -> TraceEntry:
    return TraceEntry(t=t, kind="event", name=name, args=tuple(sorted(args.items())))


def act(t: float, name: str, valid: bool = True, tags: tuple[str, ...] = (), **args: str):
    return TraceEntry(
        t=t,
        kind="action",
        name=name,
        args=tuple(sorted(args.items())),
        valid=valid,
        reason=None if valid else "system_available",
        tags=tags,
    )


def judge(rule: dict[str, Any], trace: list[TraceEntry]):
    rule = {"id": "r", "clause": "3.3.a", "weight": 10, **rule}
    report = score_trace(scenario(rule), PROC, trace, seed=0, variant="default")
    return report.findings[0], report


FAULT = [ev(0, "session_start"), ev(10, "system_fault", kind="freeze")]


def test_required_met_and_missed():
    f, r = judge(
        {"template": "required", "what": "report_supervisor"},
        [*FAULT, act(15, "report_supervisor")],
    )
    assert (f.verdict, f.at, f.points_lost, r.score) == ("met", 15, 0, 100)
    f, r = judge({"template": "required", "what": "report_supervisor"}, FAULT)
    assert (f.verdict, f.points_lost, r.score, r.passed) == ("missed", 100, 0, False)


def test_required_within_a_window_after_a_trigger():
    rule = {
        "template": "required",
        "what": "report_supervisor",
        "after": "system_fault",
        "within": 30,
    }
    assert judge(rule, [*FAULT, act(35, "report_supervisor")])[0].verdict == "met"
    late, _ = judge(rule, [*FAULT, act(50, "report_supervisor")])
    assert (late.verdict, late.at) == ("violated", 50)
    # done before the trigger does not count
    early, _ = judge(rule, [ev(0, "session_start"), act(5, "report_supervisor"), FAULT[1]])
    assert early.verdict == "missed"


def test_forbidden_counts_attempts_inside_its_window_only():
    rule = {
        "template": "forbidden",
        "what": "submit_application",
        "after": "system_fault",
        "until": "system_restored",
    }
    ok = [
        ev(0, "session_start"),
        act(5, "submit_application"),
        FAULT[1],
        ev(60, "system_restored"),
        act(70, "submit_application"),
    ]
    assert judge(rule, ok)[0].verdict == "met"
    bad = [*FAULT, act(20, "submit_application", valid=False)]
    f, _ = judge(rule, bad)
    assert (f.verdict, f.at) == ("violated", 20)


def test_before():
    rule = {"template": "before", "first": "verify_data", "then": "submit_application"}
    assert judge(rule, [act(1, "verify_data"), act(2, "submit_application")])[0].verdict == "met"
    f, _ = judge(rule, [act(2, "submit_application"), act(3, "verify_data")])
    assert (f.verdict, f.at) == ("violated", 2)
    # never submitted: nothing to judge, and nothing earned for it
    assert judge(rule, [act(1, "log_in")])[0].verdict == "not_applicable"


def test_response_within_seconds_for_every_trigger():
    rule = {
        "template": "response",
        "trigger": "system_fault",
        "what": "stop_operation",
        "within": 10,
    }
    good = [*FAULT, act(15, "stop_operation")]
    assert judge(rule, good)[0].verdict == "met"
    slow, _ = judge(rule, [*FAULT, act(25, "stop_operation")])
    assert (slow.verdict, slow.at) == ("violated", 25)
    second_missed = [*good, ev(100, "system_fault", kind="error")]
    assert judge(rule, second_missed)[0].verdict == "missed"


def test_first_after_and_tagged_replies():
    rule = {
        "template": "first_after",
        "trigger": "system_fault",
        "what": {"name": "say", "tags": ["safety"]},
        "clause": "3.3.c",
        "critical": True,
    }
    good = [*FAULT, act(12, "say", tags=("safety",), reply="keep_away"), act(20, "log_fault")]
    assert judge(rule, good)[0].verdict == "met"
    bad = [*FAULT, act(12, "log_fault"), act(20, "say", tags=("safety",), reply="keep_away")]
    f, report = judge(rule, bad)
    assert (f.verdict, f.at, f.critical) == ("violated", 12, True)
    # a critical failure fails the session whatever the points
    assert report.critical_failures == ("3.3.c",) and not report.passed


def test_critical_failure_fails_even_with_a_high_score():
    rules = [
        {
            "id": "a",
            "template": "required",
            "what": "report_supervisor",
            "clause": "3.3.a",
            "weight": 99,
        },
        {
            "id": "b",
            "template": "required",
            "what": "stop_operation",
            "clause": "3.3.a",
            "weight": 1,
            "critical": True,
        },
    ]
    report = score_trace(
        scenario(*rules), PROC, [*FAULT, act(15, "report_supervisor")], seed=0, variant="default"
    )
    assert report.score == 99 and report.passed is False
    assert report.critical_failures == ("3.3.a",)


def test_points_lost_add_up_to_the_score():
    rules = [
        {"id": f"r{i}", "template": "required", "what": name, "clause": "3.3.a", "weight": w}
        for i, (name, w) in enumerate([("log_in", 3), ("log_fault", 5), ("finish", 7)])
    ]
    report = score_trace(scenario(*rules), PROC, [act(1, "log_in")], seed=0, variant="default")
    assert report.score == pytest.approx(100 - sum(f.points_lost for f in report.findings), abs=0.1)
    assert report.score == 20.0


def test_evidence_is_data_and_words_are_made_when_read():
    f, report = judge(
        {"template": "required", "what": "report_supervisor"},
        [*FAULT, act(75, "report_supervisor")],
    )
    # the finding holds where it looked and what it found: trace index 2, at 75 s
    assert f.evidence.case == "done"
    assert (f.evidence.entry("what").i, f.evidence.entry("what").t) == (2, 75)
    stored = json.dumps(report.to_dict(), ensure_ascii=False)
    assert "01:15" not in stored and "上级" not in stored  # no words, no clause text
    assert Report.from_dict(json.loads(stored)) == report
    zh = Narrator(report_scenario(), "default", "zh", PROC)
    assert "01:15" in zh.evidence(f)
    assert zh.clause_text(f.clause) == "当系统出现故障时,应立即停止操作,报告上级。"
    en = Narrator(report_scenario(), "default", "en", PROC)
    assert "01:15" in en.evidence(f) and en.clause_text(f.clause) == "stop"


def report_scenario() -> Scenario:
    return scenario({"id": "r", "clause": "3.3.a", "weight": 10, "template": "required",
                     "what": "report_supervisor"}).scenario  # fmt: skip

"""What the rules mean now (scoring semantics 2), each point as it was found and as fixed.

Each test states what a 班长 found wrong with the verdict (semantics 1) and checks the
verdict now; hand-made traces keep the cases small.
"""

from __future__ import annotations

from typing import Any

from scoring.narrate import Narrator
from scoring.procedure import Procedure
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
        "chapters": [{"id": "3", "zh": "三", "en": "three"}, {"id": "5", "zh": "五", "en": "5"}],
        "sections": [
            {"id": "3.2", "zh": "沟通", "en": "talk"},
            {"id": "3.3", "zh": "异常", "en": "abnormal"},
            {"id": "5.3", "zh": "工况", "en": "conditions"},
        ],
        "clauses": [
            {"id": "3.2.c", "zh": "对客户提出的问题,应耐心解答,不得隐瞒或误导。", "en": "answer"},
            {"id": "3.3.c", "zh": "优先确保客户用电安全。", "en": "safety first"},
            {"id": "5.3.b", "zh": "异常工况:立即停止操作。", "en": "stop"},
        ],
    }
)

CUSTOMERS = [
    {
        "id": "a",
        "name": {"zh": "甲"},
        "persona": {"zh": "甲"},
        "request": "consultation",
        "dialogue": {
            "ask": {
                "says": {"zh": "要多久？"},
                "replies": [
                    {"id": "ask_ok", "zh": "如实", "tags": ["accurate"]},
                    {"id": "ask_bad", "zh": "胡说", "tags": ["misleading"]},
                ],
            }
        },
    },
    {
        "id": "b",
        "name": {"zh": "乙"},
        "persona": {"zh": "乙"},
        "request": "consultation",
        "dialogue": {
            "hello": {
                "says": {"zh": "你好"},
                "replies": [{"id": "hi", "zh": "您好", "tags": ["accurate"]}],
            }
        },
    },
]


def scenario(*rules: dict[str, Any], **extra: Any) -> LoadedScenario:
    body = {
        "scenario": {
            "id": "t",
            "title": {"zh": "t"},
            "briefing": {"zh": "t"},
            "kind": "system",
            "difficulty": 1,
            "time_limit": 600,
            "pass_mark": 80,
        },
        "customers": CUSTOMERS,
        "rules": [{"weight": 10, "clause": "5.3.b", **r} for r in rules],
        **extra,
    }
    return LoadedScenario(scenario=Scenario.model_validate(body), path="t.yaml", sha256="0" * 64)


def ev(t: float, name: str, **args: str) -> TraceEntry:
    return TraceEntry(t=t, kind="event", name=name, args=tuple(sorted(args.items())))


def act(t: float, name: str, tags: tuple[str, ...] = (), **args: str) -> TraceEntry:
    return TraceEntry(t=t, kind="action", name=name, args=tuple(sorted(args.items())), tags=tags)


def score(loaded: LoadedScenario, trace: list[TraceEntry], semantics: int = 2):
    return score_trace(loaded, PROC, trace, 0, "default", semantics)


JAM = [ev(0, "session_start"), ev(10, "printer_fault", kind="jam")]
STOP = {"id": "stop", "template": "response", "trigger": "printer_fault", "what": "stop_operation"}
LOG = {"id": "log", "template": "required", "what": "log_in"}


def test_a_rule_whose_situation_never_arose_earns_and_loses_nothing() -> None:
    # found: never printing, the clerk never met the jam, and every fault rule read "met"
    loaded = scenario(STOP, LOG)
    old = score(loaded, [ev(0, "session_start")], semantics=1)
    assert [f.verdict for f in old.findings] == ["met", "missed"] and old.score == 50
    now = score(loaded, [ev(0, "session_start")])
    assert [f.verdict for f in now.findings] == ["not_applicable", "missed"]
    assert now.score == 0  # the one rule that applied was missed: nothing earned for the other
    done = score(loaded, [ev(0, "session_start"), act(3, "log_in")])
    assert done.score == 100 and done.findings[0].points_lost == 0
    words = Narrator(loaded.scenario, "default", "zh", PROC)
    assert words.verdict("not_applicable") == "不适用"
    assert "符合" not in words.finding_line(now.findings[0])


def test_a_window_that_never_opened_does_not_apply_and_says_so() -> None:
    # found: "5.3.b 符合 — 全程未出现「打印受理回执」" to a clerk who printed twice
    rule = {
        "id": "no_print",
        "template": "forbidden",
        "what": "print_form",
        "after": "printer_fault",
        "until": "printer_restored",
    }
    loaded = scenario(rule, LOG)
    printed = [ev(0, "session_start"), act(2, "log_in"), act(5, "print_form"), act(9, "print_form")]
    assert score(loaded, printed).findings[0].verdict == "not_applicable"
    inside_ok = [*JAM, act(12, "log_in"), ev(40, "printer_restored"), act(50, "print_form")]
    f = score(loaded, inside_ok).findings[0]
    assert f.verdict == "met"
    said = Narrator(loaded.scenario, "default", "zh", PROC).evidence(f)
    assert "全程" not in said and "之间未出现" in said


def test_exactly_at_the_limit_is_within_it() -> None:
    # found: 38.2 − 8.2 = 30.000000000000004 > 30, so "30 s later (allowed: 30 s)" failed
    loaded = scenario({**STOP, "within": 30})
    trace = [
        ev(0, "session_start"),
        ev(8.2, "printer_fault", kind="jam"),
        act(38.2, "stop_operation"),
    ]
    assert 38.2 - 8.2 > 30
    assert score(loaded, trace, semantics=1).findings[0].verdict == "violated"
    assert score(loaded, trace).findings[0].verdict == "met"
    late = [*trace[:2], act(38.201, "stop_operation")]
    assert score(loaded, late).findings[0].verdict == "violated"


SAFETY = {
    "id": "safety_first",
    "template": "first_after",
    "clause": "3.3.c",
    "critical": True,
    "trigger": "hazard_reported",
    "what": {"name": "say", "tags": ["safety"]},
    "instead": ["say", "select_module", "enter_customer_data", "submit_application"],
}
HAZARD = [ev(0, "session_start"), ev(20, "hazard_reported", customer="a", kind="sparking")]


def test_logging_in_or_reporting_up_before_the_advice_is_neutral() -> None:
    # found: logging in one second after the report, then the advice, failed critically; so
    # did pressing "report to 值班长" before speaking
    loaded = scenario(SAFETY)
    for neutral in ("log_in", "report_supervisor"):
        trace = [*HAZARD, act(21, neutral), act(25, "say", ("safety",), reply="x")]
        assert score(loaded, trace, semantics=1).findings[0].verdict == "violated"
        now = score(loaded, trace)
        assert now.findings[0].verdict == "met" and now.passed


def test_starting_business_or_another_reply_first_is_acting_instead() -> None:
    loaded = scenario(SAFETY)
    for instead in (act(21, "select_module", module="fault_repair"), act(21, "say", reply="hi")):
        trace = [*HAZARD, instead, act(25, "say", ("safety",), reply="x")]
        report = score(loaded, trace)
        assert report.findings[0].verdict == "violated" and report.critical_failures == ("3.3.c",)


def test_the_advice_must_come_within_the_reaction_time_the_scenario_sets() -> None:
    loaded = scenario({**SAFETY, "within": 15})
    slow = [*HAZARD, act(40, "say", ("safety",), reply="x")]
    f = score(loaded, slow).findings[0]
    assert f.verdict == "violated" and f.evidence.case == "late_first"


ANSWERED = {
    "id": "asked",
    "template": "first_after",
    "clause": "3.2.c",
    "trigger": {"name": "customer_says", "args": {"node": "ask"}},
    "what": {"name": "say", "tags": ["accurate"]},
}


def test_a_reply_answers_only_the_question_it_was_offered_for() -> None:
    # found: in peak_queue a reply to the landlord's greeting counted as the answer to another
    # customer's question, and the question left unanswered was never reported
    loaded = scenario({**ANSWERED, "template": "response"})
    trace = [
        ev(0, "session_start"),
        ev(5, "customer_says", customer="a", node="ask"),
        ev(6, "customer_says", customer="b", node="hello"),
        act(8, "say", ("accurate",), reply="hi"),
    ]
    assert score(loaded, trace, semantics=1).findings[0].verdict == "met"
    assert score(loaded, trace).findings[0].verdict == "missed"
    answered = [*trace, act(12, "say", ("accurate",), reply="ask_ok")]
    assert score(loaded, answered).findings[0].verdict == "met"


def test_a_duty_from_the_halls_own_plan_is_a_local_instruction() -> None:
    instructions = {
        "report_hazard": {"zh": "接到险情报修，立即报告值班长。", "en": "Tell the supervisor."}
    }
    rule = {
        "id": "told",
        "template": "response",
        "trigger": "hazard_reported",
        "what": "report_supervisor",
        "clause": None,
        "local": "report_hazard",
    }
    loaded = scenario(rule, instructions=instructions)
    report = score(loaded, HAZARD)
    f = report.findings[0]
    assert f.source == "local" and f.clause == "local:report_hazard" and f.verdict == "missed"
    assert report.critical_failures == ()
    zh = Narrator(loaded.scenario, "default", "zh", PROC)
    assert zh.citation(f.clause) == "本厅规定"
    assert zh.clause_texts(f) == "接到险情报修，立即报告值班长。"
    assert (
        Narrator(loaded.scenario, "default", "en", PROC).citation(f.clause) == "Local instruction"
    )


def test_a_local_instruction_cannot_be_critical_and_must_exist() -> None:
    import pytest

    from sim.errors import ScenarioError
    from sim.scenario import load_scenario_bytes

    base = (
        "scenario: {id: t, title: {zh: t}, briefing: {zh: t}, kind: system, difficulty: 1,"
        " time_limit: 600, pass_mark: 80}\n"
        "instructions:\n  report_hazard: {zh: 报告值班长}\n"
        "rules:\n  - {id: r, template: required, what: report_supervisor, weight: 1, %s}\n"
    )
    with pytest.raises(ScenarioError, match="不能定为一票否决"):
        load_scenario_bytes((base % "local: report_hazard, critical: true").encode(), "t.yaml")
    with pytest.raises(ScenarioError, match="report_hazzard"):
        load_scenario_bytes((base % "local: report_hazzard").encode(), "t.yaml")
    with pytest.raises(ScenarioError, match="有且只有一个"):
        load_scenario_bytes((base % "clause: '3.3.c', local: report_hazard").encode(), "t.yaml")

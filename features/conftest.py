"""Step definitions for the feature files: thin, over the same API the desk and tests use."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from scoring.procedure import Procedure, load_procedure
from scoring.session import Session, play_agent, score_actions
from scoring.words import tr
from sim.library import find_scenario
from sim.trace import TimedAction

VERDICTS = {tr(f"verdict.{v}", "zh"): v for v in ("met", "violated", "missed")}


@pytest.fixture(scope="session")
def procedure() -> Procedure:
    return load_procedure()


@pytest.fixture
def desk() -> dict[str, Any]:
    return {"seed": 0}


@given(parsers.parse('柜台场景为"{scenario_id}"'))
def given_scenario(desk: dict[str, Any], procedure: Procedure, scenario_id: str) -> None:
    desk["scenario"] = find_scenario(scenario_id, procedure.ids)


@given(parsers.parse("随机种子为 {seed:d}"))
def given_seed(desk: dict[str, Any], seed: int) -> None:
    desk["seed"] = seed


@when(parsers.parse('模拟学员"{agent}"完成本次受理'))
def when_agent_plays(desk: dict[str, Any], procedure: Procedure, agent: str) -> None:
    desk["session"] = play_agent(desk["scenario"], procedure, desk["seed"], agent)


@when("受理员依次操作:")
def when_clerk_acts(desk: dict[str, Any], procedure: Procedure, datatable: list[list[str]]) -> None:
    header, *rows = datatable
    assert header == ["时间", "动作", "参数"]
    actions = []
    for t, action, raw in rows:
        args = dict(part.split("=", 1) for part in raw.split() if part)
        actions.append(TimedAction(float(t), action, args))
    desk["session"] = score_actions(desk["scenario"], procedure, desk["seed"], actions)


def _session(desk: dict[str, Any]) -> Session:
    session: Session = desk["session"]
    return session


@then(parsers.parse("得分为 {score:d} 分"))
def then_score(desk: dict[str, Any], score: int) -> None:
    assert _session(desk).report.score == score


@then(parsers.parse('结论为"{verdict}"'))
def then_verdict(desk: dict[str, Any], verdict: str) -> None:
    assert _session(desk).report.passed is (verdict == "合格")


@then(parsers.parse('条款"{clause}"判为"{verdict}"'))
def then_clause(desk: dict[str, Any], clause: str, verdict: str) -> None:
    findings = [f for f in _session(desk).report.findings if f.clause == clause]
    assert findings, f"no rule of this scenario cites {clause}"
    wanted = VERDICTS[verdict]
    if wanted == "met":  # every rule of the clause that applied was met
        applied = [f for f in findings if f.verdict != "not_applicable"]
        assert applied and all(f.verdict == "met" for f in applied), findings
    else:
        assert any(f.verdict == wanted for f in findings), findings
    desk.setdefault("named", set()).add(clause)


@then(parsers.parse('其余条款全部判为"{verdict}"'))
def then_rest(desk: dict[str, Any], verdict: str) -> None:
    named = desk.get("named", set())
    rest = [f for f in _session(desk).report.findings if f.clause not in named]
    assert rest and all(f.verdict == VERDICTS[verdict] for f in rest), rest


@then(parsers.parse('扣分证据中引用了受理员的原话"{words}"'))
def then_quoted(desk: dict[str, Any], words: str) -> None:
    session = _session(desk)
    said = session.words().evidence
    assert any(words in said(f) for f in session.report.findings if f.points_lost)


@then(parsers.parse("第 {t:d} 秒的打印操作被记为无效操作"))
def then_invalid(desk: dict[str, Any], t: int) -> None:
    assert any(
        a.t == t and a.action == "print_form" for a in _session(desk).report.invalid_attempts
    )


def _load_step_modules() -> None:
    """Steps particular to one feature live in ``features/steps_<topic>.py``; pull them in."""
    for path in sorted(Path(__file__).parent.glob("steps_*.py")):
        spec = importlib.util.spec_from_file_location(f"_feature_steps_{path.stem}", path)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        globals().update({k: v for k, v in vars(module).items() if k.startswith("pytestbdd_")})


_load_step_modules()

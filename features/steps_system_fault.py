"""Steps for the system-fault feature: what the clerk does once the system is back."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then, when

from scoring.procedure import Procedure
from scoring.session import play_agent, score_actions


@then("系统恢复后受理员先重新登录，再核对、提交")
def then_log_in_first(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    back = next(i for i, e in enumerate(trace) if e.name == "system_restored")
    done = [e.name for e in trace[back:] if e.kind == "action" and e.valid and e.name != "say"]
    assert done[0] == "log_in", done
    assert done.index("verify_data") < done.index("submit_application"), done


@then("设备过热时受理员先停止操作，再断电散热，然后记入故障记录")
def then_hot_device(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    hot = next(i for i, e in enumerate(trace) if e.name == "device_overheating")
    done = [e.name for e in trace[hot:] if e.kind == "action" and e.valid]
    steps = [n for n in done if n in ("stop_operation", "cool_device", "log_fault")]
    assert steps == ["stop_operation", "cool_device", "log_fault"], done


@when("受理员按规程操作，唯独设备过热时不停机、不断电散热")
def when_hot_device_ignored(desk: dict[str, Any], procedure: Procedure) -> None:
    loaded, seed = desk["scenario"], desk["seed"]
    expert = play_agent(loaded, procedure, seed, "expert")
    hot = next(e.t for e in expert.engine.trace if e.name == "device_overheating")
    skipped = ("stop_operation", "cool_device")
    actions = [a for a in expert.actions if not (a.t >= hot and a.action in skipped)]
    desk["session"] = score_actions(loaded, procedure, seed, actions)

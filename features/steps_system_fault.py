"""Steps for the system-fault feature: what the clerk does once the system is back."""

from __future__ import annotations

from typing import Any

from pytest_bdd import then


@then("系统恢复后受理员先重新登录，再核对、提交")
def then_log_in_first(desk: dict[str, Any]) -> None:
    trace = desk["session"].engine.trace
    back = next(i for i, e in enumerate(trace) if e.name == "system_restored")
    done = [e.name for e in trace[back:] if e.kind == "action" and e.valid and e.name != "say"]
    assert done[0] == "log_in", done
    assert done.index("verify_data") < done.index("submit_application"), done

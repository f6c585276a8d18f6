"""Steps for the arrears feature: looking before explaining, asking the superior in time, and a
customer who walked out."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then


def _first(desk: dict[str, Any], name: str, **args: str) -> Any:
    for e in desk["session"].engine.trace:
        if e.name == name and e.valid and all(e.arg(k) == v for k, v in args.items()):
            return e
    return None


@then("受理员先查询了档案，再解释欠费原因")
def then_looked_first(desk: dict[str, Any]) -> None:
    looked = _first(desk, "query_account")
    explained = _first(desk, "say", reply="explain_true")
    assert looked is not None and explained is not None and looked.t < explained.t


@then(parsers.parse("困难户求缓停后 {seconds:d} 秒内受理员请示了上级"))
def then_asked_in_time(desk: dict[str, Any], seconds: int) -> None:
    plea = _first(desk, "customer_says", node="plea")
    asked = _first(desk, "ask_supervisor_help")
    assert plea is not None and asked is not None and 0 <= asked.t - plea.t <= seconds


@then("客户气得走了")
def then_walked_out(desk: dict[str, Any]) -> None:
    assert _first(desk, "customer_leaves", reason="angry") is not None

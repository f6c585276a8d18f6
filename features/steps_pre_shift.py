"""Steps for the pre-shift feature: what the station checks found and what is still wrong."""

from __future__ import annotations

from typing import Any

from pytest_bdd import parsers, then

from sim.vocabulary import vocabulary


def _item(label: str) -> str:
    """A station item by its Chinese label (软件版本 -> software)."""
    for item, text in vocabulary().station_items.items():
        if text.get("zh") == label:
            return item
    raise AssertionError(f"no station item is called {label}")


def _found_wrong(desk: dict[str, Any], item: str) -> bool:
    trace = desk["session"].engine.trace
    return any(
        e.name == "check_result" and e.arg("item") == item and e.arg("result") == "problem"
        for e in trace
    )


@then(parsers.parse('班前检查查出了工位项"{label}"的问题'))
def then_check_found(desk: dict[str, Any], label: str) -> None:
    assert _found_wrong(desk, _item(label))


@then(parsers.parse('受理员始终没有查出工位项"{label}"的问题'))
def then_never_found(desk: dict[str, Any], label: str) -> None:
    assert not _found_wrong(desk, _item(label))


@then(parsers.parse('开门时工位项"{label}"仍有问题'))
def then_still_wrong(desk: dict[str, Any], label: str) -> None:
    assert desk["session"].engine.desk.station[_item(label)] == "problem"


@then("开门前工位上查出的问题都已处理好")
def then_station_ready(desk: dict[str, Any]) -> None:
    station = desk["session"].engine.desk.station
    assert station and all(v == "ok" for v in station.values()), station

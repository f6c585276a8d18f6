"""A drill that draws from a bank: each attempt takes the fixed scenarios and, from each group,
``pick`` drawn afresh; the draw comes from the attempt's own random id, so no one knows it before
the attempt starts and ``verify`` draws it again. Playing a scenario the draw did not give counts
for nothing."""

from __future__ import annotations

import uuid
from collections import Counter
from pathlib import Path

import pytest

from records.db import Records
from records.drills import draw_seed, finish_attempt, start_attempt, verify_attempt
from scoring.session import play_agent
from sim.drill import load_drill
from sim.errors import ScenarioError
from sim.library import find_scenario

KEY = b"training-centre-key-0123456789"

BANKED = """\
drill:
  id: banked
  title: {zh: 抽题考核, en: A drill with a bank}
  briefing: {zh: 每次从题库抽题。, en: Each attempt draws from the bank.}
  attempts: 3
  overall: {no_critical: true, average_at_least: 80, each_must_pass: true}
scenarios:
  - id: printer_jam
    pass_mark: 80
bank:
  - title: {zh: 设备与网络, en: Devices and network}
    pick: 1
    pass_mark: 80
    scenarios: [network_outage, system_fault]
  - pick: 2
    pass_mark: 80
    scenarios: [pre_shift, peak_queue, beyond_authority]
"""


@pytest.fixture
def banked(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "banked.yaml"
    path.write_text(BANKED, encoding="utf-8")
    return load_drill(path)


@pytest.fixture
def records(db_target):  # type: ignore[no-untyped-def]
    with Records(db_target, key=KEY) as r:
        yield r


def test_each_attempt_draws_its_own_set_from_every_group(banked) -> None:  # type: ignore[no-untyped-def]
    draws = [banked.drill.drawn(str(uuid.uuid4())) for _ in range(300)]
    assert {len(d) for d in draws} == {banked.drill.size} == {4}
    for d in draws:
        ids = [s.id for s in d]
        assert ids[0] == "printer_jam" and len(set(ids)) == 4
        assert ids[1] in ("network_outage", "system_fault")
        assert set(ids[2:]) <= {"pre_shift", "peak_queue", "beyond_authority"}
    seen = Counter(s.id for d in draws for s in d)
    # every scenario of the bank comes up, none far more than its share
    assert set(seen) == set(banked.drill.every_id())
    assert 100 < seen["network_outage"] < 200 and 150 < seen["pre_shift"] < 250
    # and an attempt's draw is the same every time it is drawn again (verify relies on it)
    one = str(uuid.uuid4())
    assert banked.drill.drawn(one) == banked.drill.drawn(one)


def _play(records, drill, procedure, trainee, ids):  # type: ignore[no-untyped-def]
    attempt = start_attempt(records, drill, trainee)
    for sid in ids(attempt):
        loaded = find_scenario(sid, procedure.ids)
        seed = draw_seed(records, loaded, trainee, drill)
        played = play_agent(loaded, procedure, seed, "expert")
        rec = records.start(
            loaded, procedure, seed=seed, variant=played.engine.variant.id, trainee=trainee,
            mode="exam", drill=attempt.uuid,
        )  # fmt: skip
        rec.finish(played.engine.actions, played.engine.trace, played.report, procedure)
    return attempt, finish_attempt(records, attempt)


def test_the_drawn_set_passed_earns_a_certificate_that_verifies(records, procedure, banked) -> None:  # type: ignore[no-untyped-def]
    attempt, summary = _play(
        records, banked, procedure, "0427", lambda a: [s.id for s in banked.drill.drawn(a.uuid)]
    )
    assert summary["passed"] and summary["code"]
    assert [i["scenario"] for i in summary["items"]] == [
        s.id for s in banked.drill.drawn(attempt.uuid)
    ]
    assert verify_attempt(records, attempt.id, KEY) == []


def test_a_scenario_the_draw_did_not_give_counts_for_nothing(records, procedure, banked) -> None:  # type: ignore[no-untyped-def]
    # a candidate who swaps the drawn device fault for the other one (the one rehearsed)
    def swapped(attempt):  # type: ignore[no-untyped-def]
        ids = [s.id for s in banked.drill.drawn(attempt.uuid)]
        ids[1] = "system_fault" if ids[1] == "network_outage" else "network_outage"
        return ids

    attempt, summary = _play(records, banked, procedure, "0428", swapped)
    drawn = banked.drill.drawn(attempt.uuid)[1].id
    item = next(i for i in summary["items"] if i["scenario"] == drawn)
    assert item["score"] is None
    assert not summary["passed"] and summary["code"] is None


@pytest.mark.parametrize(
    ("change", "line", "words"),
    [
        (("pick: 2\n", "pick: 4\n"), 15, "pick"),
        (("scenarios: [pre_shift,", "scenarios: [printer_jam,"), 17, "printer_jam"),
    ],
)
def test_a_bank_that_cannot_be_drawn_is_located(tmp_path, change, line, words) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text(BANKED.replace(*change), encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_drill(path)
    assert f"{path}:{line}:" in str(err.value) and words in str(err.value)


def test_a_drill_with_no_scenarios_at_all_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "empty.yaml"
    path.write_text(BANKED.split("scenarios:\n  - id")[0], encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_drill(path)
    assert f"{path}:1:" in str(err.value)

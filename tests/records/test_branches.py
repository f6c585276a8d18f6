"""A practice branch kept in the records: a training session linked to its original and the
moment it branched at, whose head must be the original's actions before that moment; the link
is part of the signed header, and a branch never counts as an exam."""

from __future__ import annotations

import pytest

from records.branching import record_branch
from records.db import Records, RecordsError
from records.service import record_agent_run
from records.verify import verify_session
from scoring.branch import demo
from scoring.session import play_agent
from sim.library import find_scenario
from sim.trace import TimedAction
from tests.records.conftest import open_sql

KEY = b"training-centre-key-0123456789"


@pytest.fixture
def records(db_target):  # type: ignore[no-untyped-def]
    with Records(db_target, key=KEY) as r:
        yield r


def _original(records, procedure):  # type: ignore[no-untyped-def]
    loaded = find_scenario("printer_jam", procedure.ids)
    sid, engine, report = record_agent_run(records, loaded, procedure, 1, "careless", "王芳")
    return sid, loaded, engine


def _expert_from(loaded, procedure, engine, at):  # type: ignore[no-untyped-def]
    _, expert = demo(loaded, procedure, engine.seed, engine.actions, at, steps=None)
    return expert.engine.actions[len([a for a in engine.actions if a.t < at]) :]


def test_a_kept_branch_verifies_and_names_its_original(records, procedure) -> None:  # type: ignore[no-untyped-def]
    sid, loaded, engine = _original(records, procedure)
    at = 20.2
    kept, o, b, cmp = record_branch(
        records, sid, at, _expert_from(loaded, procedure, engine, at), "expert.jsonl"
    )
    row = records.session(kept)
    assert row.branch_of == records.session(sid).uuid and row.branch_at == at
    assert row.mode == "training" and row.drill is None
    assert records.current_result(kept).score == cmp.after.score > cmp.before.score
    assert verify_session(records, kept, KEY) == [] and verify_session(records, sid, KEY) == []


def test_a_branch_with_a_head_of_its_own_making_is_found(records, procedure) -> None:  # type: ignore[no-untyped-def]
    sid, loaded, engine = _original(records, procedure)
    original = records.session(sid)
    at = engine.now  # the careless clerk's whole session as the head
    # a program writing through the records API, not the branch path: an easier head
    played = play_agent(loaded, procedure, original.seed, "expert")
    rec = records.start(
        loaded, procedure, seed=original.seed, variant=original.variant, trainee="王芳",
        branch_of=original.uuid, branch_at=at,
    )  # fmt: skip
    rec.finish(played.engine.actions, played.engine.trace, played.report, procedure)
    codes = {f.code for f in verify_session(records, rec.session_id, KEY)}
    assert "branch_head" in codes


def test_a_branch_in_exam_mode_or_an_unlinked_branch_is_found(records, procedure) -> None:  # type: ignore[no-untyped-def]
    sid, loaded, engine = _original(records, procedure)
    original = records.session(sid)
    head = [a for a in engine.actions if a.t < 20.2]
    rec = records.start(
        loaded, procedure, seed=original.seed, variant=original.variant, trainee="王芳",
        mode="exam", branch_of=original.uuid, branch_at=20.2,
    )  # fmt: skip
    played = play_agent(loaded, procedure, original.seed, "expert")
    rec.finish([*head, TimedAction(30.0, "finish")], played.engine.trace, played.report, procedure)
    codes = {f.code for f in verify_session(records, rec.session_id, KEY)}
    assert "branch_not_practice" in codes
    # the link cleared behind the records' back: the signed header no longer matches
    kept, *_ = record_branch(records, sid, 20.2, _expert_from(loaded, procedure, engine, 20.2), "x")
    conn = open_sql(records.target)
    conn.execute("UPDATE sessions SET branch_of = NULL, branch_at = NULL WHERE id = ?", (kept,))
    conn.commit()
    conn.close()
    assert "header" in {f.code for f in verify_session(records, kept, KEY)}


def test_an_exam_session_is_not_branched(records, procedure) -> None:  # type: ignore[no-untyped-def]
    loaded = find_scenario("printer_jam", procedure.ids)
    sid, *_ = record_agent_run(records, loaded, procedure, 1, "careless", "王芳", mode="exam")
    with pytest.raises(RecordsError, match="考核"):
        record_branch(records, sid, 10.0, [], "x")


def test_the_original_lists_its_branches_and_history_counts_what_was_practised(
    records, procedure
) -> None:  # type: ignore[no-untyped-def]
    from records.service import history
    from reports.session import session_data

    sid, loaded, engine = _original(records, procedure)
    original = records.current_result(sid).report
    from scoring.branch import lost_points

    first = lost_points(original, engine.now, engine.trace)[0]
    kept, *_ = record_branch(
        records, sid, first.t, _expert_from(loaded, procedure, engine, first.t), "x"
    )
    data = session_data(records, records.session(sid), "zh")
    [b] = data["branches"]
    assert b["id"] == kept and first.clause in b["won"]
    assert session_data(records, records.session(kept), "zh")["origin"]["id"] == sid
    h = history(records, "王芳")
    assert (first.clause, 1) in h.practised
    assert any(s.get("branch_of") == records.session(sid).uuid for s in h.sessions)

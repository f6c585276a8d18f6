"""``branch``: a recorded practice session's lost points, the good clerk's moves from one of
them, and a trace played on from it beside the original; exams are never branched."""

from __future__ import annotations

import json
from pathlib import Path

from tests.trainer.test_cli import run


def _recorded(tmp_path: Path, *extra: str) -> str:
    db = str(tmp_path / "records.sqlite3")
    r = run("--db", db, "run", "emergency_outage", "--agent", "careless", "--trainee", "王芳",
            "--seed", "2", *extra)  # fmt: skip
    assert r.returncode == 0, r.stderr
    return db


def test_the_lost_points_the_demo_and_a_branch_from_the_first_of_them(tmp_path: Path) -> None:
    db = _recorded(tmp_path)
    lost = json.loads(run("--db", db, "branch", "1", "--json").stdout)["lost"]
    assert lost and lost == sorted(lost, key=lambda p: p["t"])
    first = lost[0]
    text = run("--db", db, "branch", "1").stdout
    assert (
        f"{int(first['t']) // 60:02d}:{int(first['t']) % 60:02d}" in text
        and first["clause"] in text
    )
    at = f"{int(first['t']) // 60:02d}:{first['t'] % 60:06.3f}"  # as the desk clock shows it
    demo = json.loads(run("--db", db, "branch", "1", "--at", at, "--demo", "--json").stdout)
    steps = demo["demo"]
    assert demo["at"] == first["t"] and steps and steps[0]["t"] == first["t"]
    assert first["clause"] in {c for s in steps for c in s["clauses"]}
    # the good clerk's steps, played from the moment, as the trainee's own second try
    trace = tmp_path / "again.jsonl"
    trace.write_text(
        "".join(json.dumps({"t": s["t"], "action": s["action"], "args": s["args"]}) + "\n"
                for s in steps),
        encoding="utf-8",
    )  # fmt: skip
    out = json.loads(run("--db", db, "branch", "1", "--at", str(first["t"]), "--trace",
                         str(trace), "--json").stdout)  # fmt: skip
    assert out["score_after"] > out["score_before"]
    recovered = {c["rule"] for c in out["changes"] if c["points_after"] < c["points_before"]}
    assert first["rule"] in recovered
    words = run("--db", db, "branch", "1", "--at", str(first["t"]), "--trace", str(trace)).stdout
    assert "原来" in words and "这次" in words and "得分" in words


def test_an_exam_is_never_branched_and_a_moment_outside_the_session_is_refused(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "records.sqlite3")
    r = run("--db", db, "drill", "emergency_rehearsal", "--trainee", "王芳", "--agent", "expert",
            "--headless")  # fmt: skip
    assert r.returncode == 0, r.stderr
    r = run("--db", db, "branch", "1", "--at", "10", "--demo")
    assert r.returncode != 0 and "考核" in r.stderr and "Traceback" not in r.stderr
    (tmp_path / "practice").mkdir()
    db = _recorded(tmp_path / "practice")
    r = run("--db", db, "branch", "1", "--at", "99:00", "--demo")
    assert r.returncode != 0 and "0 到" in r.stderr and "Traceback" not in r.stderr
    r = run("--db", db, "branch", "1", "--at", "1:75", "--demo")
    assert r.returncode != 0 and "02:07" in r.stderr

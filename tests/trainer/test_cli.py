"""The command line as a user meets it: python run_sim.py ..."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def test_no_arguments_opens_the_desk_or_says_in_one_line_there_is_no_display():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "SDL_VIDEODRIVER")
    }
    r = subprocess.run(
        [sys.executable, str(ROOT / "run_sim.py")],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    [line] = r.stderr.strip().splitlines()
    assert "显示器" in line and "run_sim.py run printer_jam --agent expert" in line


def test_list_shows_the_scenarios():
    r = run("list")
    assert r.returncode == 0
    assert "printer_jam" in r.stdout and "打印机卡纸" in r.stdout


def test_play_refuses_an_unknown_scenario_before_opening_a_window():
    r = run("play", "printer_jamm")
    assert r.returncode == 2
    assert "printer_jam" in r.stderr and "Traceback" not in r.stderr


def test_expert_scores_full_marks_as_json():
    r = run("run", "printer_jam", "--agent", "expert", "--json")
    assert r.returncode == 0, r.stderr
    report = json.loads(r.stdout)
    assert report["score"] == 100 and report["passed"] is True
    assert report["scenario"] == "printer_jam" and report["procedure"] == "clerk-2025-1"
    assert report["critical_failures"] == []
    # the result is data: each finding's evidence names trace entries, never a sentence
    keys = {"rule", "clause", "source", "template", "verdict", "critical", "points_lost", "at"}
    assert all(keys <= set(f) and isinstance(f["evidence"], dict) for f in report["findings"])
    assert all({"case", "entries", "patterns", "window"} <= set(f["evidence"]) for f in
               report["findings"])  # fmt: skip
    # then the words, in the reader's language, one entry per finding
    words = report["words"]
    assert words["lang"] == "zh" and len(words["findings"]) == len(report["findings"])
    assert all(w["evidence"] and w["clause_text"] for w in words["findings"])


def test_a_failed_session_still_exits_zero_with_its_findings():
    r = run("run", "printer_jam", "--agent", "careless", "--json", "--seed", "3")
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert report["passed"] is False
    broken = {f["clause"] for f in report["findings"] if f["verdict"] in ("violated", "missed")}
    assert broken == {"3.2.a", "3.1.d", "4.3.e", "3.1.e"}


def test_score_of_a_trace_file_equals_running_those_actions(tmp_path):
    trace = tmp_path / "panicky.jsonl"
    ran = run(
        "run",
        "printer_jam",
        "--agent",
        "panicky",
        "--seed",
        "5",
        "--json",
        "--trace-out",
        str(trace),
    )
    assert ran.returncode == 0 and trace.is_file()
    scored = run("score", "printer_jam", "--trace", str(trace), "--seed", "5", "--json")
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout == ran.stdout


def test_text_report_in_both_languages():
    zh = run("run", "printer_jam", "--agent", "panicky")
    assert "不合格" in zh.stdout and "规程原文" in zh.stdout and "5.3.b" in zh.stdout
    en = run("--lang", "en", "run", "printer_jam", "--agent", "panicky")
    assert "FAILED" in en.stdout and "Procedure:" in en.stdout
    en2 = run("run", "printer_jam", "--agent", "panicky", "--lang", "en")
    assert en2.stdout == en.stdout


def test_validate_reports_a_broken_file_with_its_line(tmp_path):
    text = (ROOT / "scenarios" / "printer_jam.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "printer_jam.yaml"
    bad.write_text(
        text.replace("    patience: 6\n", "    patience: 6\n    patiance: 2\n"), encoding="utf-8"
    )
    r = run("validate", str(bad))
    assert r.returncode == 2
    assert r.stdout == ""
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"{bad}:")
    assert "patiance" in lines[0]
    ok = run("validate")
    assert ok.returncode == 0, ok.stderr


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ('{"t": 1, "action": "log_in"}\nnot json\n', 2),
        ('{"t": 5, "action": "log_in"}\n{"t": 1, "action": "log_in"}\n', 2),
        ('{"t": -1, "action": "log_in"}\n', 1),
        ('{"t": 1, "action": "log_in", "extra": 1}\n', 1),
    ],
)
def test_a_malformed_trace_names_file_and_line(tmp_path, content, line):
    trace = tmp_path / "bad.jsonl"
    trace.write_text(content, encoding="utf-8")
    r = run("score", "printer_jam", "--trace", str(trace))
    assert r.returncode == 2 and r.stdout == ""
    assert r.stderr.startswith(f"{trace}:{line}:")
    assert "Traceback" not in r.stderr


def test_unknown_actions_in_a_trace_are_invalid_attempts(tmp_path):
    trace = tmp_path / "odd.jsonl"
    trace.write_text(
        '{"t": 1, "action": "dance"}\n{"t": 2, "action": "log_in"}\n', encoding="utf-8"
    )
    r = run("score", "printer_jam", "--trace", str(trace), "--json")
    assert r.returncode == 0
    report = json.loads(r.stdout)
    assert report["invalid_attempts"] == [{"t": 1.0, "action": "dance", "reason": "unknown_action"}]


def test_unknown_scenario_and_agent_are_bad_input():
    r = run("run", "printer_jm", "--agent", "expert")
    assert r.returncode == 2 and "printer_jam" in r.stderr and "Traceback" not in r.stderr
    r = run("run", "printer_jam", "--agent", "expret")
    assert r.returncode == 2 and "expert" in r.stderr


def test_list_actions_and_agents():
    listed = run("list")
    assert listed.returncode == 0 and "printer_jam" in listed.stdout
    actions = json.loads(run("actions", "--json").stdout)
    by_id = {a["id"]: a for a in actions}
    assert by_id["report_supervisor"]["zh"] == "向上级（值班长）报告"
    assert {e["clause"] for e in by_id["stop_operation"]["evidences"]} == {"3.3.a", "5.3.b"}
    agents = run("agents").stdout
    for name in ("expert", "careless", "panicky", "random"):
        assert name in agents


def test_another_procedure_edition_can_be_chosen(tmp_path):
    src = (ROOT / "scoring" / "procedures" / "clerk-2025-1.yaml").read_text(encoding="utf-8")
    edited = tmp_path / "clerk-2026-1.yaml"
    edited.write_text(
        src.replace("edition: clerk-2025-1", "edition: clerk-2026-1"), encoding="utf-8"
    )
    r = run("--procedure", str(edited), "run", "printer_jam", "--agent", "expert", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["procedure"] == "clerk-2026-1"
    broken = tmp_path / "broken.yaml"
    broken.write_text(src.replace('id: "3.3.a"', 'id: "3.3"'), encoding="utf-8")
    r = run("--procedure", str(broken), "list")
    assert r.returncode == 2 and str(broken) in r.stderr

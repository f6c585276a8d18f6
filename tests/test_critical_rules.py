"""docs/critical-rules.md lists exactly the critical rules of the scenarios, each with the
clause it cites and why it is a red line; and only the procedure's red lines are critical."""

from __future__ import annotations

import re
from pathlib import Path

from sim.library import scenario_files
from sim.scenario import load_scenario

DOC = Path(__file__).resolve().parents[1] / "docs" / "critical-rules.md"
RED_LINES = {"3.3.a", "3.3.b", "3.3.c", "3.3.d"}


def _critical() -> set[tuple[str, str, str]]:
    found = set()
    for path in scenario_files():
        s = load_scenario(path).scenario
        found |= {(s.id, r.id, r.cites) for r in s.rules if r.critical}
    return found


def test_the_table_lists_exactly_the_critical_rules() -> None:
    rows = re.findall(r"^\| ([a-z_]+) \| ([a-z_]+) \| (\d\.\d\.[a-z]) \| (.+?) \| (.+?) \|$",
                      DOC.read_text(encoding="utf-8"), re.M)  # fmt: skip
    listed = {(s, r, c) for s, r, c, _, _ in rows}
    assert listed == _critical()
    assert all(zh.strip() and en.strip() for *_, zh, en in rows)  # each says why, in both


def test_only_the_procedures_red_lines_are_critical() -> None:
    assert {cites for *_, cites in _critical()} <= RED_LINES

"""What the briefing tells the clerk agrees with the desk the session shows: the window they sit
at, and the time of day the desk's clock starts from."""

from __future__ import annotations

import re

import pytest

from sim.library import scenario_files
from sim.scenario import Scenario, load_scenario

NUMERALS = {n: i for i, n in enumerate("一二三四五六七八九十", start=1)}
# the hours a word of the day allows (the first such word in the briefing is the session's)
PERIODS = {
    "早上": (6, 10), "早晨": (6, 10), "早高峰": (7, 10), "上午": (8, 12), "中午": (11, 14),
    "下午": (12, 18), "傍晚": (17, 20), "晚上": (18, 24),
}  # fmt: skip
SCENARIOS = [load_scenario(p).scenario for p in scenario_files()]


def _number(text: str) -> int:
    return int(text) if text.isdigit() else NUMERALS[text]


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_the_window_in_the_briefing_is_the_desks(s: Scenario) -> None:
    zh = s.scenario.briefing.zh
    en = s.scenario.briefing.en or ""
    windows = re.findall(r"([一二三四五六七八九十]|\d+)号(?:受理|综合业务)?窗口", zh)
    said = [_number(n) for n in windows]
    said += [int(n) for n in re.findall(r"\bwindow (\d+)", en)]
    assert all(n == s.scenario.window for n in said), (said, s.scenario.window)


@pytest.mark.parametrize("s", SCENARIOS, ids=lambda s: s.id)
def test_the_time_of_day_in_the_briefing_is_the_desks_clock(s: Scenario) -> None:
    hour = s.scenario.opening // 3600
    first = re.search("|".join(PERIODS), s.scenario.briefing.zh)
    if first is not None:
        low, high = PERIODS[first.group()]
        assert low <= hour < high, (first.group(), s.scenario.clock)
    en = re.search(r"\b(\d{1,2}):(\d{2}) ?([ap])\.m\.", s.scenario.briefing.en or "")
    if en is not None:
        h = int(en.group(1)) % 12 + (12 if en.group(3) == "p" else 0)
        assert f"{h:02d}:{en.group(2)}" == s.scenario.clock

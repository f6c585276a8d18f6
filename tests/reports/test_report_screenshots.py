"""Each report rendered by headless Chromium to a PNG that shows something: the proof that the
page lays out, with its charts and Chinese text. Skips where Chromium is not installed."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from records.db import Records
from reports import certificate, drill_report, session_report, trainee_report
from reports.screenshot import find_chromium, screenshot

pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="chromium is not on PATH (apt-get install -y chromium)"
)


def _looks(png: Path) -> tuple[tuple[int, int], int, float]:
    """Size, distinct colours on a sampling grid, share of the grid that is not white."""
    os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")
    import pygame

    img = pygame.image.load(str(png))
    w, h = img.get_size()
    seen: set[tuple[int, int, int]] = set()
    inked = total = 0
    for y in range(0, h, 7):
        for x in range(0, w, 7):
            r, g, b, *_ = img.get_at((x, y))
            seen.add((r // 8, g // 8, b // 8))
            total += 1
            inked += min(r, g, b) < 245
    return (w, h), len(seen), inked / total


@pytest.mark.parametrize("which", ["session", "trainee", "drill", "certificate"])
def test_each_report_renders_in_headless_chromium(
    records: Records, filled: Any, tmp_path: Path, which: str
) -> None:
    html = {
        "session": lambda: session_report(records, filled.emergency_session),
        "trainee": lambda: trainee_report(records, "李文博"),
        "drill": lambda: drill_report(records, "annual_2026"),
        "certificate": lambda: certificate(records, filled.code),
    }[which]()
    page = tmp_path / f"{which}.html"
    page.write_text(html, encoding="utf-8")
    png = screenshot(page, tmp_path / f"{which}.png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 30_000
    size, colours, inked = _looks(png)
    assert size == (1240, 1754)
    assert colours > 20, "a page of one or two colours: nothing rendered"
    assert inked > 0.03

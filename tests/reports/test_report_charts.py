"""The chart functions on their own: bins, points, labels that do not collide, escaping."""

from __future__ import annotations

import re

from reports.charts import Line, Mark, Point, histogram, progress, text_width, timeline


def _counts(svg: str) -> list[int]:
    return [int(c) for c in re.findall(r'class="bar[^"]*" data-count="(\d+)"', svg)]


def test_histogram_bins_take_the_top_value_in_the_last_bin() -> None:
    svg = str(
        histogram(
            [0, 9.9, 10, 55, 100, 100],
            lo=0,
            hi=100,
            width=10,
            label="x",
            fmt=str,
            y_label="n",
            lines=[Line(80, "pass", "pass")],
        )  # fmt: skip
    )
    assert _counts(svg) == [2, 1, 0, 0, 0, 1, 0, 0, 0, 2]
    assert 'class="marker pass"' in svg


def test_histogram_with_a_bar_for_what_has_no_value() -> None:
    svg = str(
        histogram(
            [1, 2, 7],
            lo=0,
            hi=10,
            width=5,
            label="x",
            fmt=str,
            y_label="n",
            extra=("never", 4, "never"),
        )  # fmt: skip
    )
    assert _counts(svg) == [2, 1, 4]
    assert 'data-from="none"' in svg


def test_progress_draws_one_point_per_session_exams_as_diamonds() -> None:
    points = [
        Point("11-01", 60, 80, False, False, "a"),
        Point("", 85, 80, True, True, "b"),
        Point("11-02", 90, 85, False, True, "c"),
    ]
    svg = str(progress(points, label="scores", legend=[("circle ok", "passed")]))
    assert svg.count('class="point ') == 3
    assert svg.count('class="point exam ok"') == 1
    assert 'data-score="85"' in svg
    assert "pass-mark" in svg


def test_text_in_charts_is_escaped() -> None:
    evil = "<b>&'\""
    svg = str(timeline(60, [Mark(5, 0, "tri", "event", evil, evil)], ["<lane>"], label=evil))
    assert "<b>" not in svg and "<lane>" not in svg
    assert "&lt;b&gt;&amp;" in svg


def test_timeline_labels_do_not_overlap_in_a_row() -> None:
    marks = [Mark(float(t), 1, "dot", "act", f"动作{t}") for t in range(0, 300, 3)]
    svg = str(timeline(300, marks, ["a", "b", "c"], label="t"))
    spans: dict[str, list[tuple[float, float]]] = {}
    for x, y, anchor, text in re.findall(
        r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="(\w+)" class="mark-label[^"]*"'
        r' font-size="11">([^<]+)</text>',
        svg,
    ):
        w = text_width(text, 11)
        left = float(x) if anchor == "start" else float(x) - w
        spans.setdefault(y, []).append((left, left + w))
    assert spans, "no labels placed"
    for row in spans.values():
        row.sort()
        assert all(a[1] <= b[0] for a, b in zip(row, row[1:], strict=False))

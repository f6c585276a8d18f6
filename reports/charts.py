"""Charts as inline SVG, drawn here: no script, no external file, and they print.

Every function takes the words it shows from its caller (already in the report's language) and
returns escaped markup. Bars carry ``class="bar"`` and plotted scores ``class="point"`` with a
``data-`` attribute holding the number they stand for, so a test can count them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

__all__ = [
    "Mark",
    "Point",
    "Line",
    "timeline",
    "progress",
    "histogram",
    "text_width",
    "nice_step",
    "clock",
    "Bar",
    "hbars",
    "Series",
    "trend",
]

WIDTH = 800.0
FONT = 12.0


def _n(v: float) -> str:
    """A coordinate, short."""
    return f"{v:.1f}".rstrip("0").rstrip(".")


def text_width(text: str, size: float = FONT) -> float:
    """Roughly how wide ``text`` is drawn: a CJK character is about one em, Latin about half."""
    return sum(size if ord(ch) >= 0x2E80 else size * 0.58 for ch in text)


def clock(t: float) -> str:
    """Sim-seconds as the desk shows them (one function, ``sim.i18n.clock``, everywhere)."""
    from sim.i18n import clock as desk_clock

    return desk_clock(t)


def nice_step(span: float, most: int, steps: Sequence[float]) -> float:
    """The smallest of ``steps`` that cuts ``span`` into at most ``most`` pieces."""
    for s in steps:
        if span / s <= most:
            return s
    return steps[-1] * math.ceil(span / (steps[-1] * most))


class _Svg:
    def __init__(self, height: float, label: str) -> None:
        self.height = height
        self.label = label
        self.parts: list[str] = []

    def add(self, markup: str) -> None:
        self.parts.append(markup)

    def line(self, x1: float, y1: float, x2: float, y2: float, cls: str) -> None:
        self.add(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" class="{cls}"/>')

    def text(
        self,
        x: float,
        y: float,
        s: str,
        cls: str = "",
        anchor: str = "start",
        size: float | None = None,
    ) -> None:
        extra = f' font-size="{_n(size)}"' if size else ""
        klass = f' class="{cls}"' if cls else ""
        self.add(
            f'<text x="{_n(x)}" y="{_n(y)}" text-anchor="{anchor}"{klass}{extra}>{escape(s)}</text>'
        )

    def markup(self) -> Markup:
        body = "".join(self.parts)
        return Markup(
            f'<svg class="chart" viewBox="0 0 {_n(WIDTH)} {_n(self.height)}" role="img" '
            f'aria-label="{escape(self.label)}" preserveAspectRatio="xMidYMid meet">'
            f"<title>{escape(self.label)}</title>{body}</svg>"
        )


def _diamond(x: float, y: float, r: float) -> str:
    return f"M{_n(x)} {_n(y - r)} L{_n(x + r)} {_n(y)} L{_n(x)} {_n(y + r)} L{_n(x - r)} {_n(y)} Z"


# -- the session timeline ---------------------------------------------------------------------


@dataclass(frozen=True)
class Mark:
    """One thing on the timeline: when, in which lane, drawn how, and what it says."""

    t: float
    lane: int
    shape: str  # tri | dot | cross | diamond | tick
    cls: str
    label: str | None = None
    title: str = ""
    priority: int = 1  # lower is labelled first when labels compete for room


def _shape(svg: _Svg, shape: str, x: float, y: float, cls: str, title: str) -> None:
    tip = f"<title>{escape(title)}</title>" if title else ""
    if shape == "tri":
        d = f"M{_n(x)} {_n(y - 6)} L{_n(x + 5.5)} {_n(y + 4)} L{_n(x - 5.5)} {_n(y + 4)} Z"
        svg.add(f'<path d="{d}" class="mark {cls}">{tip}</path>')
    elif shape == "diamond":
        d = _diamond(x, y, 6.5)
        svg.add(f'<path d="{d}" class="mark {cls}">{tip}</path>')
    elif shape == "cross":
        d = (
            f"M{_n(x - 4.5)} {_n(y - 4.5)} L{_n(x + 4.5)} {_n(y + 4.5)} "
            f"M{_n(x + 4.5)} {_n(y - 4.5)} L{_n(x - 4.5)} {_n(y + 4.5)}"
        )
        svg.add(f'<path d="{d}" class="mark cross {cls}">{tip}</path>')
    elif shape == "tick":
        svg.add(
            f'<line x1="{_n(x)}" y1="{_n(y - 4)}" x2="{_n(x)}" y2="{_n(y + 4)}" '
            f'class="mark tick {cls}">{tip}</line>'
        )
    else:
        svg.add(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="4.2" class="mark {cls}">{tip}</circle>')


def timeline(
    duration: float,
    marks: Sequence[Mark],
    lanes: Sequence[str],
    *,
    label: str,
    rows: int = 3,
) -> Markup:
    """Marks in lanes over sim time, each lane with ``rows`` rows of labels above its line.

    A label goes in the first row where it does not run into the one before it; one that fits
    nowhere is left out (its mark keeps a tooltip, and the log under the chart says it all).
    """
    x0, x1 = 92.0, WIDTH - 14.0
    span = max(duration, 1.0)

    def x_of(t: float) -> float:
        return x0 + (x1 - x0) * min(max(t, 0.0), span) / span

    row_h, size = 14.0, 11.0
    lane_h = rows * row_h + 22.0
    top = 8.0
    height = top + lane_h * len(lanes) + 30.0
    svg = _Svg(height, label)
    base = [top + lane_h * (i + 1) - 10.0 for i in range(len(lanes))]
    for i, name in enumerate(lanes):
        y = base[i]
        svg.line(x0, y, x1, y, "lane")
        svg.text(x0 - 10, y + 4, name, "lane-name", "end")
    step = nice_step(span, 10, (5, 10, 15, 30, 60, 120, 180, 300, 600, 900, 1800))
    axis_y = base[-1] + 16.0
    k = 0.0
    while k <= span + 1e-9:
        x = x_of(k)
        svg.line(x, top, x, axis_y - 8, "grid")
        svg.text(x, axis_y + 6, clock(k), "axis", "middle", 10.5)
        k += step
    # labels first by priority, then in time, each in the first row of its lane with room
    taken: dict[tuple[int, int], list[tuple[float, float, bool]]] = {}
    placed: list[tuple[Mark, int, float, str]] = []
    for m in sorted(marks, key=lambda m: (m.priority, m.t)):
        if not m.label:
            continue
        x = x_of(m.t)
        w = text_width(m.label, size)
        left, right, anchor = x + 2.0, x + 3.0 + w, "start"
        if right > x1:
            left, right, anchor = x - 3.0 - w, x - 2.0, "end"
        for r in range(rows):
            # the label's own row must be free, and so must its leader's path through the rows
            # below it (so no leader runs through another label's text)
            want = [(r, left, right, False)] + [(q, x - 0.8, x + 0.8, True) for q in range(r)]
            if all(_free(taken.get((m.lane, q), []), a, b, lead) for q, a, b, lead in want):
                for q, a, b, lead in want:
                    taken.setdefault((m.lane, q), []).append((a, b, lead))
                placed.append((m, r, x, anchor))
                break
    # the most telling marks are drawn last, on top of any at the same moment
    for m in sorted(marks, key=lambda m: (-m.priority, m.t)):
        _shape(svg, m.shape, x_of(m.t), base[m.lane], m.cls, m.title)
    for m, r, x, anchor in placed:
        y = base[m.lane] - 11.0 - r * row_h
        svg.line(x, y + 2, x, base[m.lane] - 6, f"leader {m.cls}")
        dx = 3.0 if anchor == "start" else -3.0
        svg.text(x + dx, y, m.label or "", f"mark-label {m.cls}", anchor, size)
    return svg.markup()


def _free(row: Sequence[tuple[float, float, bool]], a: float, b: float, leader: bool) -> bool:
    """Is ``a``–``b`` clear of what the row holds? Labels keep a gap between them; a leader
    line only has to miss the text."""
    for lo, hi, other_leader in row:
        gap = 0.5 if leader or other_leader else 5.0
        if not (a > hi + gap or b < lo - gap):
            return False
    return True


# -- a trainee's scores over time --------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One scored session: where it goes on the x axis, its score and pass mark, how drawn."""

    tick: str  # under the axis (the date), or "" when it is the same as the one before
    score: float
    pass_mark: float
    exam: bool
    passed: bool
    title: str
    note: str = ""  # small, under the point (the session number)


def progress(points: Sequence[Point], *, label: str, legend: Sequence[tuple[str, str]]) -> Markup:
    """Scores in the order taken (evenly spaced, dated below), joined by a line, with the pass
    mark as a dashed step line (it differs by scenario). Training sessions are circles and exam
    sessions diamonds; green passed, red not."""
    x0, x1, y0, y1 = 60.0, WIDTH - 20.0, 34.0, 250.0
    height = y1 + 46.0
    svg = _Svg(height, label)
    n = len(points)
    gap = (x1 - x0) / n if n else x1 - x0

    def x_of(i: int) -> float:
        return x0 + gap * (i + 0.5)

    def y_of(v: float) -> float:
        return y1 - (y1 - y0) * min(max(v, 0.0), 100.0) / 100.0

    for v in range(0, 101, 20):
        svg.line(x0, y_of(v), x1, y_of(v), "grid")
        svg.text(x0 - 8, y_of(v) + 4, str(v), "axis", "end", 10.5)
    svg.line(x0, y1, x1, y1, "axis-line")
    if n:
        step = "".join(
            f"{'M' if i == 0 else 'L'}{_n(x_of(i) - gap / 2)} {_n(y_of(p.pass_mark))} "
            f"L{_n(x_of(i) + gap / 2)} {_n(y_of(p.pass_mark))} "
            for i, p in enumerate(points)
        )
        svg.add(f'<path d="{step.strip()}" class="pass-mark"/>')
        if n > 1:
            line = " ".join(f"{_n(x_of(i))},{_n(y_of(p.score))}" for i, p in enumerate(points))
            svg.add(f'<polyline points="{line}" class="trend"/>')
    last_tick = -1e9
    for i, p in enumerate(points):
        x, y = x_of(i), y_of(p.score)
        cls = "ok" if p.passed else "bad"
        tip = f"<title>{escape(p.title)}</title>"
        data = f'data-score="{_n(p.score)}" data-mode="{"exam" if p.exam else "training"}"'
        if p.exam:
            d = _diamond(x, y, 7.0)
            svg.add(f'<path d="{d}" class="point exam {cls}" {data}>{tip}</path>')
        else:
            svg.add(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="5.5" class="point training {cls}" '
                f"{data}>{tip}</circle>"
            )
        if p.note and gap >= 22:
            svg.text(x, y1 + 14, p.note, "axis small", "middle", 9.5)
        if p.tick and x - last_tick >= text_width(p.tick, 10.5) + 6:
            svg.line(x, y1, x, y1 + 4, "tick")
            svg.text(x, y1 + 30, p.tick, "axis", "middle", 10.5)
            last_tick = x
    _legend(svg, legend, x1, 16.0)
    return svg.markup()


def _legend(svg: _Svg, items: Sequence[tuple[str, str]], right: float, y: float) -> None:
    """Swatches (a css class naming the look) and their words, in a row ending at ``right``."""
    size = 11.0
    widths = [text_width(text, size) + 28.0 for _, text in items]
    x = right - sum(widths)
    for (look, text), w in zip(items, widths, strict=True):
        if look.startswith("line "):
            svg.line(x, y - 4, x + 16, y - 4, look[5:])
        elif look.startswith("diamond "):
            d = _diamond(x + 8, y - 4, 6.0)
            svg.add(f'<path d="{d}" class="swatch {look[8:]}"/>')
        elif look.startswith("circle "):
            svg.add(f'<circle cx="{_n(x + 8)}" cy="{_n(y - 4)}" r="5" class="swatch {look[7:]}"/>')
        else:
            svg.add(
                f'<rect x="{_n(x + 2)}" y="{_n(y - 10)}" width="12" height="12" class="{look}"/>'
            )
        svg.text(x + 20, y, text, "legend", "start", size)
        x += w


# -- distributions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A value marked across a histogram (the pass mark, the median, a time limit)."""

    value: float
    text: str
    cls: str


def histogram(
    values: Sequence[float],
    *,
    lo: float,
    hi: float,
    width: float,
    label: str,
    fmt: Callable[[float], str],
    y_label: str,
    lines: Sequence[Line] = (),
    extra: tuple[str, int, str] | None = None,
    bar_cls: Callable[[float, float], str] = lambda a, b: "",
    passed: Sequence[bool] | None = None,
    split_words: tuple[str, str] = ("passed", "failed"),
) -> Markup:
    """Counts of ``values`` in bins of ``width`` from ``lo`` to ``hi`` (the last bin takes
    ``hi`` itself), one ``rect.bar`` each, count above; ``extra`` is one more bar, apart, for
    what has no value (its words, its count, its class); ``lines`` mark values across.

    With ``passed`` (one verdict per value) each bar is split by verdict, not by where it
    stands: the passes from the bottom (``rect.part.pass``), the fails above them
    (``rect.bar.split``), so a bin above the pass mark that holds a fail shows it."""
    bins = max(1, math.ceil((hi - lo) / width - 1e-9))
    counts = [0] * bins
    passes = [0] * bins
    for i, v in enumerate(values):
        k = min(bins - 1, max(0, int((v - lo) // width)))
        counts[k] += 1
        if passed is not None and passed[i]:
            passes[k] += 1
    # marked values are named in a band of their own above the bars
    x0, y0 = 58.0, 34.0 + 15.0 * len(lines)
    y1 = y0 + 150.0
    x1 = WIDTH - (110.0 if extra else 20.0)
    height = y1 + 26.0
    svg = _Svg(height, label)
    most = max([*counts, extra[1] if extra else 0, 1])
    unit = nice_step(most, 5, (1, 2, 5, 10, 20, 50, 100, 200, 500))
    top = unit * math.ceil((most * 1.08 + 0.25) / unit)  # room for the count above a bar

    def y_of(c: float) -> float:
        return y1 - (y1 - y0) * c / top

    def x_of(v: float) -> float:
        return x0 + (x1 - x0) * (v - lo) / (bins * width)

    c = 0.0
    while c <= top + 1e-9:
        svg.line(x0, y_of(c), x1, y_of(c), "grid")
        svg.text(x0 - 8, y_of(c) + 4, f"{c:g}", "axis", "end", 10.5)
        c += unit
    svg.text(4, 14, y_label, "axis", "start", 10.5)
    bar_w = (x1 - x0) / bins
    label_every = max(1, math.ceil(text_width(fmt(hi), 10.5) * 1.3 / bar_w))
    on_top: list[tuple[float, float, str]] = []  # counts, written over the marker lines
    for k, count in enumerate(counts):
        a, b = lo + k * width, lo + (k + 1) * width
        x = x0 + k * bar_w
        cls = ("bar " + ("split" if passed is not None else bar_cls(a, b))).strip()
        tip = f"{fmt(a)}–{fmt(b)}: {count}"
        if passed is not None:
            tip += f" ({split_words[0]} {passes[k]}, {split_words[1]} {count - passes[k]})"
        svg.add(
            f'<rect x="{_n(x + 2)}" y="{_n(y_of(count))}" width="{_n(bar_w - 4)}" '
            f'height="{_n(y1 - y_of(count))}" class="{cls}" data-count="{count}" '
            f'data-from="{a:g}"><title>{escape(tip)}</title></rect>'
        )
        if passed is not None and passes[k]:
            svg.add(
                f'<rect x="{_n(x + 2)}" y="{_n(y_of(passes[k]))}" width="{_n(bar_w - 4)}" '
                f'height="{_n(y1 - y_of(passes[k]))}" class="part pass" '
                f'data-passed="{passes[k]}"><title>{escape(tip)}</title></rect>'
            )
        if count:
            on_top.append((x + bar_w / 2, y_of(count) - 4, str(count)))
        if k % label_every == 0:
            svg.text(x, y1 + 15, fmt(a), "axis", "middle", 10.5)
    svg.text(x1, y1 + 15, fmt(lo + bins * width), "axis", "middle", 10.5)
    svg.line(x0, y1, x1, y1, "axis-line")
    if extra is not None:
        words, count, cls = extra
        x = x1 + 30.0
        svg.add(
            f'<rect x="{_n(x)}" y="{_n(y_of(count))}" width="60" height="{_n(y1 - y_of(count))}" '
            f'class="bar {cls}" data-count="{count}" data-from="none">'
            f"<title>{escape(words)}: {count}</title></rect>"
        )
        on_top.append((x + 30, y_of(count) - 4, str(count)))
        svg.text(x + 30, y1 + 15, words, "axis", "middle", 10.5)
        svg.line(x - 6, y1, x + 66, y1, "axis-line")
    for i, ln in enumerate(lines):
        x = x_of(min(max(ln.value, lo), lo + bins * width))
        y = y0 - 10.0 - 15.0 * (len(lines) - 1 - i)
        svg.line(x, y + 3, x, y1, f"marker {ln.cls}")
        w = text_width(ln.text, 11)
        anchor, dx = ("start", 4.0) if x + w + 4 <= WIDTH - 4 else ("end", -4.0)
        svg.text(x + dx, y, ln.text, f"marker-label {ln.cls}", anchor, 11)
    for x, y, words in on_top:
        svg.text(x, y, words, "count", "middle", 11)
    return svg.markup()


# -- cohorts ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: its words, its value (0–1 as a share, or a count), its look."""

    text: str
    value: float
    shown: str  # the number written at the bar's end
    cls: str = ""
    title: str = ""


def hbars(bars: Sequence[Bar], *, label: str, top: float | None = None) -> Markup:
    """Horizontal bars, one ``rect.hbar`` a row with ``data-value``, longest first as given;
    the words on the left, the number at the bar's end."""
    left = min(300.0, max([text_width(b.text, 11.5) for b in bars] + [40.0]) + 16.0)
    x0, x1 = left, WIDTH - 60.0
    row = 22.0
    height = 12.0 + row * max(1, len(bars)) + 8.0
    svg = _Svg(height, label)
    most = top if top is not None else max([b.value for b in bars] + [1e-9])
    for i, b in enumerate(bars):
        y = 12.0 + row * i
        w = (x1 - x0) * (b.value / most if most else 0.0)
        words = b.text
        while text_width(words, 11.5) > left - 12 and len(words) > 2:
            words = words[:-2] + "…"
        svg.text(x0 - 8, y + 11, words, "axis", "end", 11.5)
        tip = f"<title>{escape(b.title or b.text)}</title>"
        cls = f"hbar {b.cls}".strip()
        svg.add(
            f'<rect x="{_n(x0)}" y="{_n(y)}" width="{_n(max(w, 1.0))}" height="{_n(row - 6)}" '
            f'class="{cls}" data-value="{b.value:g}">{tip}</rect>'
        )
        svg.text(x0 + w + 6, y + 11, b.shown, "count", "start", 11)
    svg.line(x0, 8, x0, height - 6, "axis-line")
    return svg.markup()


@dataclass(frozen=True)
class Series:
    """One line of a trend: its name, one value per period (None: nothing to show), its look."""

    name: str
    values: Sequence[float | None]
    cls: str


def trend(
    periods: Sequence[str],
    series: Sequence[Series],
    *,
    label: str,
    y_label: str,
    as_share: bool = True,
) -> Markup:
    """Lines over periods (months): each series a ``polyline.series`` with a dot per value
    (``circle.dot`` with ``data-value``); a legend of series names below."""
    x0, x1, y0, y1 = 58.0, WIDTH - 20.0, 24.0, 210.0
    rows = math.ceil(len(series) / 3) if series else 0
    height = y1 + 34.0 + 18.0 * rows
    svg = _Svg(height, label)
    values = [v for s in series for v in s.values if v is not None]
    hi = 1.0 if as_share else max(values + [1.0])
    if as_share and values:
        hi = min(1.0, max(0.2, math.ceil(max(values) * 5 + 0.5) / 5))
    steps = 4

    def y_of(v: float) -> float:
        return y1 - (y1 - y0) * v / hi

    n = len(periods)
    gap = (x1 - x0) / max(1, n)

    def x_of(i: int) -> float:
        return x0 + gap * (i + 0.5)

    for k in range(steps + 1):
        v = hi * k / steps
        svg.line(x0, y_of(v), x1, y_of(v), "grid")
        text = f"{v * 100:.0f}%" if as_share else f"{v:g}"
        svg.text(x0 - 8, y_of(v) + 4, text, "axis", "end", 10.5)
    svg.text(4, 12, y_label, "axis", "start", 10.5)
    svg.line(x0, y1, x1, y1, "axis-line")
    every = max(1, math.ceil(text_width("2026-11", 10.5) * 1.4 / gap))
    for i, p in enumerate(periods):
        if i % every == 0:
            svg.text(x_of(i), y1 + 15, p, "axis", "middle", 10.5)
    for s in series:
        pts = [(x_of(i), y_of(v), v) for i, v in enumerate(s.values) if v is not None]
        if len(pts) > 1:
            line = " ".join(f"{_n(x)},{_n(y)}" for x, y, _ in pts)
            svg.add(f'<polyline points="{line}" class="series {s.cls}"/>')
        for x, y, v in pts:
            shown = f"{v * 100:.0f}%" if as_share else f"{v:g}"
            svg.add(
                f'<circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" class="dot {s.cls}" '
                f'data-value="{v:.4g}"><title>{escape(s.name)}: {escape(shown)}</title></circle>'
            )
    for k, s in enumerate(series):
        lx = x0 + (k % 3) * ((x1 - x0) / 3)
        ly = y1 + 34.0 + 18.0 * (k // 3)
        svg.line(lx, ly - 4, lx + 18, ly - 4, f"series {s.cls}")
        words = s.name
        while text_width(words, 11) > (x1 - x0) / 3 - 30 and len(words) > 2:
            words = words[:-2] + "…"
        svg.text(lx + 24, ly, words, "", "start", 11)
    return svg.markup()

"""The trace indexed for judging: entries by name, the actions' positions, and evidence built
from them. Shared by every edition of the rules' meaning (``scoring.semantics_v1``,
``scoring.judges``)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from scoring.result import Evidence, Ref, Verdict, Window
from sim.scenario import Pattern
from sim.trace import TraceEntry

__all__ = ["IndexedTrace", "Judged", "ev"]

Judged = tuple[Verdict, float | None, Evidence]


# -- the trace, indexed --------------------------------------------------------------------


class IndexedTrace:
    """The trace with an index by name, so each rule looks only at the entries it names."""

    def __init__(self, entries: Sequence[TraceEntry]) -> None:
        self.entries = entries
        self.by_name: dict[str, list[int]] = {}
        self.actions: list[int] = []
        for i, e in enumerate(entries):
            self.by_name.setdefault(e.name, []).append(i)
            if e.kind == "action":
                self.actions.append(i)

    def __getitem__(self, i: int) -> TraceEntry:
        return self.entries[i]

    def ref(self, i: int) -> Ref:
        return Ref(i, self.entries[i])

    def where(self, *ms: Pattern | None) -> list[int]:
        """Indices of entries named by any of ``ms``, in order."""
        names = {m.name for m in ms if m is not None}
        if len(names) == 1:
            return self.by_name.get(names.pop(), [])
        return sorted(i for n in names for i in self.by_name.get(n, []))

    def first(self, m: Pattern, start: int = 0, attempts: bool = False) -> int | None:
        candidates = self.by_name.get(m.name, [])
        for k in range(bisect_left(candidates, start), len(candidates)):
            i = candidates[k]
            if m.matches(self.entries[i], attempts):
                return i
        return None


def ev(
    case: str,
    *,
    entries: dict[str, Ref] | None = None,
    patterns: dict[str, Pattern | None] | None = None,
    window: Window | None = None,
    elapsed: float | None = None,
) -> Evidence:
    return Evidence(
        case,
        tuple((entries or {}).items()),
        tuple((k, p) for k, p in (patterns or {}).items() if p is not None),
        window,
        None if elapsed is None else round(elapsed, 3),
    )

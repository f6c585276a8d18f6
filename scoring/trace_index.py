"""The trace indexed for judging: entries by name, the actions' positions, and evidence built
from them. Shared by every edition of the rules' meaning (``scoring.semantics_v1``,
``scoring.judges``)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Collection, Hashable, Sequence
from typing import Any

from scoring.result import Evidence, Ref, Verdict, Window
from sim.scenario import Pattern
from sim.trace import TraceEntry

__all__ = ["IndexedTrace", "Judged", "ev"]

Judged = tuple[Verdict, float | None, Evidence]


# -- the trace, indexed --------------------------------------------------------------------


class IndexedTrace:
    """The trace with an index by name, so each rule looks only at the entries it names, and
    the positions each pattern matches, found once per pattern and then looked up by bisection:
    no rule ever rescans the trace (n log n at worst, however the entries fall)."""

    __slots__ = (
        "entries", "by_name", "attempts", "refused", "memo", "_hits", "_tried", "_actions"
    )  # fmt: skip

    def __init__(self, entries: Sequence[TraceEntry]) -> None:
        self.entries = entries
        by_name: dict[str, list[int]] = {}
        attempts: list[int] = []
        for i, e in enumerate(entries):
            by_name.setdefault(e.name, []).append(i)
            if not e.valid and e.kind == "action":
                attempts.append(i)
        self.by_name = by_name
        self.attempts = attempts  # the actions refused (invalid attempts), in order
        self.refused = {entries[i].name for i in attempts}  # the names of those
        # what a rule's meaning derives from the trace once (keyed by that meaning's module)
        self.memo: dict[Hashable, Any] = {}
        self._hits: dict[int, list[int]] = {}  # by pattern id: what it matches
        self._tried: dict[int, list[int]] = {}  # the same, attempts included
        self._actions: list[int] | None = None

    def __getitem__(self, i: int) -> TraceEntry:
        return self.entries[i]

    def __len__(self) -> int:
        return len(self.entries)

    @property
    def actions(self) -> list[int]:
        """Positions of the clerk's actions, in order."""
        if self._actions is None:
            self._actions = [i for i, e in enumerate(self.entries) if e.kind == "action"]
        return self._actions

    def ref(self, i: int) -> Ref:
        return Ref(i, self.entries[i])

    def where(self, *ms: Pattern | None) -> list[int]:
        """Indices of entries named by any of ``ms``, in order."""
        return self.named({m.name for m in ms if m is not None})

    def named(self, names: Collection[str]) -> list[int]:
        """Indices of entries with any of ``names`` (each named once), in order."""
        if len(names) == 1:
            (name,) = names
            return self.by_name.get(name, _NONE)
        found: list[int] = []
        for name in names:
            found += self.by_name.get(name, _NONE)
        found.sort()
        return found

    def hits(
        self, m: Pattern, attempts: bool = False, made: tuple[Matcher, bool] | None = None
    ) -> list[int]:
        """Positions of the entries ``m`` matches, in order (worked out once per pattern; the
        patterns are the scenario's, alive while the trace is judged, so their ids are keys).
        A pattern that names only a name matches every entry of that name, refused attempts
        aside: when there are none (or they count), that is the index's own list."""
        cache = self._tried if attempts else self._hits
        found = cache.get(id(m))
        if found is None:
            matches, plain = made or matcher(m)
            if plain and (attempts or m.name not in self.refused):
                found = self.by_name.get(m.name, _NONE)
            else:
                entries = self.entries
                found = [i for i in self.by_name.get(m.name, ()) if matches(entries[i], attempts)]
            cache[id(m)] = found
        return found

    def first(self, m: Pattern, start: int = 0, attempts: bool = False) -> int | None:
        found = (self._tried if attempts else self._hits).get(id(m))
        if found is None:
            found = self.hits(m, attempts)
        if not start:
            return found[0] if found else None
        k = bisect_left(found, start)
        return found[k] if k < len(found) else None


_NONE: list[int] = []  # never changed: what no entry matches


Matcher = Callable[[TraceEntry, bool], bool]
_MATCHERS: dict[int, tuple[Pattern, tuple[Matcher, bool]]] = {}


def matcher(m: Pattern) -> tuple[Matcher, bool]:
    """``m.matches`` made into one function for an entry already known to have ``m``'s name
    (what the index hands out): the same answer for every entry, with the pattern's arguments
    and tags taken apart once; and whether ``m`` names a name and nothing else. The cache keeps
    the pattern alive, so its id is not reused."""
    hit = _MATCHERS.get(id(m))
    if hit is not None and hit[0] is m:
        return hit[1]
    args = tuple(m.args.items()) if m.args else ()
    tags = frozenset(m.tags) if m.tags else None
    plain = not args and tags is None  # a name and nothing else

    def matches(e: TraceEntry, attempts: bool = False) -> bool:
        if not e.valid and not attempts and e.kind == "action":
            return False
        for k, v in args:  # e.arg(k) == v: the first argument of that name
            for k2, v2 in e.args:
                if k2 == k:
                    if v2 != v:
                        return False
                    break
            else:
                return False
        return tags is None or not tags.isdisjoint(e.tags)

    if len(_MATCHERS) > 4096:
        _MATCHERS.clear()
    _MATCHERS[id(m)] = (m, (matches, plain))
    return matches, plain


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

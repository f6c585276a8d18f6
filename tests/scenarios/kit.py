"""What the scenario tests share: the rules a report broke (with clause and verdict), the score
a report should have without some rules, and an input with one reply swapped for another."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from scoring.result import Report
from scoring.session import Session
from sim.scenario import LoadedScenario
from sim.trace import TimedAction

__all__ = ["broken_rules", "broken", "score_without", "swap_reply"]


def broken_rules(report: Report) -> dict[str, tuple[str, str]]:
    """Each rule that lost: its clause and verdict (violated or missed)."""
    return {
        f.rule: (f.clause, f.verdict)
        for f in report.findings
        if f.verdict in ("violated", "missed")
    }


def broken(session: Session) -> dict[str, tuple[str, str]]:
    """The same, for a played session."""
    return broken_rules(session.report)


def score_without(loaded: LoadedScenario, report: Report, lost: Iterable[str]) -> float:
    """The score a report should have: 100 less the share of the broken rules' weights among
    the rules that applied."""
    weight = {r.id: r.weight for r in loaded.scenario.rules}
    applied = sum(weight[f.rule] for f in report.findings if f.verdict != "not_applicable")
    return round(100 - 100 * sum(weight[r] for r in lost) / applied, 1)


def swap_reply(actions: Sequence[TimedAction], old: str, new: str) -> list[TimedAction]:
    """The same input with the reply ``old`` given as ``new`` wherever it was chosen."""
    return [
        TimedAction(a.t, a.action, {"reply": new}) if a.args.get("reply") == old else a
        for a in actions
    ]

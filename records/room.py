"""The instructor's station over a shared store: every desk recording into it now, as live as
the records are (each action is committed as it happens), and the incidents the instructor
throws in — to one desk or to the whole room. No pygame: ``desk.screens.console`` shows it, the
tests drive it as they drive the desks.

A desk takes a request at its next look (``DeskSession.take_injections``) and records the
injection in its own input, so a replay brings it at the same moment and ``verify`` covers it.
An exam refuses ad-hoc injection here, before anything is asked, and again at the desk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from records.common import RecordsError
from records.rows import SessionRow
from records.store import Records
from records.words import tr
from scoring.narrate import Narrator
from scoring.procedure import Procedure
from scoring.result import Finding
from scoring.session import build, feed, judge
from sim.i18n import clock
from sim.scenario import LoadedScenario

__all__ = ["DeskLive", "Room", "Sent"]

# a desk that finished this long ago is still on the console (its last lines, its criticals)
RECENT = timedelta(minutes=10)
LAST = 5  # the last actions the console shows of a desk


@dataclass(frozen=True)
class DeskLive:
    """One desk as the console shows it."""

    session_id: int
    uuid: str
    trainee: str  # as the register names them
    trainee_id: str
    scenario: str  # the scenario's title in the console's language
    scenario_id: str
    mode: str  # training | exam
    status: str  # running | complete | incomplete
    sim_t: float
    clock: str  # the desk clock's reading, mm:ss
    last: tuple[str, ...]  # the last few actions, worded, oldest first
    doing: str  # the last action in a word or two (what the list shows)
    critical: tuple[str, ...]  # training: the red lines crossed so far (clause: the rule's note)
    offers: tuple[tuple[str, str], ...]  # the incidents it can take: (id, title)
    injected: tuple[tuple[str, str], ...]  # what was asked of it: (id, pending|taken|refused)

    @property
    def live(self) -> bool:
        return self.status == "running"


@dataclass(frozen=True)
class Sent:
    """What an injection for the room did: the desks asked, and those left out with why."""

    event: str
    asked: tuple[str, ...]  # session uuids
    skipped: tuple[tuple[str, str], ...]  # (session uuid, reason worded)


class Room:
    """The desks recording into ``records`` now, and injection into them."""

    def __init__(self, records: Records, procedure: Procedure, lang: str = "zh") -> None:
        self.records = records
        self.procedure = procedure
        self.lang = lang
        self._scenarios: dict[str, LoadedScenario] = {}  # by content hash: parsed once

    def _loaded(self, row: SessionRow) -> LoadedScenario:
        found = self._scenarios.get(row.scenario_sha256)
        if found is None:
            found = self._scenarios[row.scenario_sha256] = self.records.scenario(
                row, self.procedure.ids
            )
        return found

    def _rows(self) -> list[SessionRow]:
        """The sessions at the desks now and those that ended in the last minutes (a scripted
        trainee's run is nobody at a desk), oldest first."""
        since = (datetime.now(UTC) - RECENT).isoformat(timespec="milliseconds")
        rows = self.records.live_sessions(since=since.replace("+00:00", "Z"))
        return [row for row in rows if row.agent is None]

    def desks(self) -> list[DeskLive]:
        """Every desk recording now, and those that ended in the last minutes, oldest first."""
        out: list[DeskLive] = []
        for row in self._rows():
            loaded = self._loaded(row)
            s = loaded.scenario
            sim_t = self.records.sim_now(row.id)
            engine = feed(
                build(loaded, row.seed, time_limit=row.time_limit),
                self.records.actions(row.id),
                until=sim_t,
            )
            words = Narrator(s, engine.variant, self.lang, self.procedure, trace=engine.trace)
            done = [(i, e) for i, e in enumerate(engine.trace) if e.kind == "action"][-LAST:]
            last = tuple(f"{clock(e.t)} {words.describe(e, 12, 12, i)}" for i, e in done)
            doing = words.label(done[-1][1].name, done[-1][0]) if done else "—"
            critical: tuple[str, ...] = ()
            if row.mode != "exam":
                report = judge(engine, self.procedure)
                critical = tuple(
                    _red_line(words, f) for f in report.findings
                    if f.critical and f.verdict == "violated"
                )  # fmt: skip
            asked = tuple(
                (str(r["event"]), str(r["status"])) for r in self.records.injections(row.uuid)
            )
            out.append(
                DeskLive(
                    session_id=row.id,
                    uuid=row.uuid,
                    trainee=self._name(row),
                    trainee_id=row.trainee_id,
                    scenario=s.scenario.title.get(self.lang),
                    scenario_id=s.id,
                    mode=row.mode,
                    status=row.status,
                    sim_t=sim_t,
                    clock=clock(sim_t),
                    last=last,
                    doing=doing,
                    critical=critical,
                    offers=tuple((i.id, i.title.get(self.lang)) for i in s.injectable),
                    injected=asked,
                )
            )
        return out

    def _name(self, row: SessionRow) -> str:
        return self.records.trainee_name(row.trainee_id) or row.trainee_id

    @staticmethod
    def incidents(desks: list[DeskLive]) -> list[tuple[str, str]]:
        """Every incident some live training desk of ``desks`` can take, (id, title), in
        first-seen order."""
        seen: dict[str, str] = {}
        for d in desks:
            if d.live and d.mode != "exam":
                for iid, title in d.offers:
                    seen.setdefault(iid, title)
        return list(seen.items())

    def inject(self, uuid: str, event: str, by: str | None = None) -> None:
        """Ask one desk to inject ``event``; refused (``RecordsError``, worded) for an exam, a
        session that has ended, or a scenario that does not offer it."""
        row = next((r for r in self._rows() if r.uuid == uuid), None)
        reason = self._refusal(row, event)
        if reason is not None:
            raise RecordsError(reason)
        self.records.request_injection(uuid, event, by)

    def inject_all(self, event: str, by: str | None = None) -> Sent:
        """Ask every live training desk whose scenario offers ``event``; the rest are named
        with the reason they were left out."""
        asked: list[str] = []
        skipped: list[tuple[str, str]] = []
        for row in self._rows():
            if row.status != "running":
                continue
            reason = self._refusal(row, event)
            if reason is not None:
                skipped.append((row.uuid, reason))
                continue
            self.records.request_injection(row.uuid, event, by)
            asked.append(row.uuid)
        return Sent(event, tuple(asked), tuple(skipped))

    def _refusal(self, row: SessionRow | None, event: str) -> str | None:
        """Why the desk recording ``row`` cannot be asked for ``event`` (None: it can); worked
        out from the record, without playing the session again."""
        lang = self.lang
        if row is None or row.status != "running":
            return tr("room.not_live", lang)
        if row.mode == "exam":
            return tr("room.exam", lang, trainee=self._name(row))
        s = self._loaded(row).scenario
        if s.injection(event) is None:
            title = s.scenario.title.get(lang)
            return tr("room.not_offered", lang, trainee=self._name(row), scenario=title)
        return None


def _red_line(words: Narrator, f: Finding) -> str:
    """A red line crossed, in a line: when, the clause, and what the clerk did then."""
    done = dict(f.evidence.entries).get("what")
    what = words.describe(done.entry, 10, 10, done.i) if done is not None else ""
    head = f"{clock(f.at or 0.0)} {words.citation(f.clause)} {words.verdict(f.verdict)}"
    return f"{head}{words.w('words.colon')}{what}" if what else head

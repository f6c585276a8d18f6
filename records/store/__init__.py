"""The records store: the one place that speaks SQL to the records database.

Everything else asks it typed questions (methods named from the domain, returning the row
dataclasses of :mod:`records.rows` or plain values). ``Records`` is made of one part per concern:

- :mod:`records.store.schema`: the numbered migrations;
- :mod:`records.store.base`: the connection, the schema brought up to date, error translation,
  transactions;
- :mod:`records.store.sessions`: sessions, their actions and hash chain, their events;
- :mod:`records.store.results`: results, signed, and their findings;
- :mod:`records.store.drills`: certification drill attempts;
- :mod:`records.store.people`: trainees and staff;
- :mod:`records.store.audit`: the append-only audit log (``records.integrity`` says why);
- :mod:`records.store.queries`: read-only questions across tables (history, cohorts);
- :mod:`records.store.room`: the training room: live sessions and injection requests.

Nothing outside this package touches ``Records.conn`` (``tests/records/test_store_boundary.py``
checks); tests that tamper with a database on purpose use it directly.
"""

from __future__ import annotations

from records.recording import Recording
from records.store.audit import AuditStore
from records.store.drills import DrillsStore
from records.store.people import PeopleStore
from records.store.queries import QueriesStore
from records.store.results import ResultsStore
from records.store.room import RoomStore
from scoring.procedure import Procedure
from sim.scenario import LoadedScenario

__all__ = ["Records"]


class Records(ResultsStore, DrillsStore, PeopleStore, QueriesStore, AuditStore, RoomStore):
    """The records: a SQLite file, or a database on a PostgreSQL server named by its URL
    (``postgresql://USER@HOST:PORT/NAME``). Open it once per process; it is safe to open from
    several processes and desks, and a busy database is waited for up to ``timeout`` seconds
    before giving up."""

    def start(
        self,
        loaded: LoadedScenario,
        procedure: Procedure,
        *,
        seed: int,
        variant: str,
        trainee: str,
        mode: str = "training",
        agent: str | None = None,
        lang: str = "zh",
        drill: str | None = None,
        session_uuid: str | None = None,
        time_limit: float | None = None,
        branch_of: str | None = None,
        branch_at: float | None = None,
        started_at: str | None = None,
    ) -> Recording:
        """Open a new session record (status ``running``) and return its recorder. A trainee
        named as the register has them is recorded under their staff id."""
        trainee = self.resolve_trainee(trainee)
        session_id, uuid, head = self._open(
            loaded, procedure, seed=seed, variant=variant, trainee=trainee, mode=mode,
            agent=agent, lang=lang, drill=drill, session_uuid=session_uuid,
            time_limit=time_limit, branch_of=branch_of, branch_at=branch_at,
            started_at=started_at,
        )  # fmt: skip
        return Recording(self, session_id, uuid, chain=head, key=self.key)

    def reopen(self, session_id: int) -> Recording:
        """Carry on recording an incomplete session (resume): new actions follow the old."""
        uuid, n_actions, n_events, chain = self._carry_on(session_id)
        return Recording(
            self, session_id, uuid, n_actions, n_events, chain=chain,
            key=self.chain_key(session_id),
        )  # fmt: skip

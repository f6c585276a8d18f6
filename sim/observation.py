"""What the clerk can see at a moment: an immutable snapshot for the UI and scripted trainees.

Only what a clerk at a real counter could see or remember is here: how a reply is graded and
what it would do to the customer, what the world has still to come, are the engine's answer key
(``sim.oracle``), not part of the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from sim.model import Text

__all__ = ["Observation", "CustomerView", "ReplyView", "Snapshot"]

_new = object.__new__
_set = object.__setattr__


class Snapshot:
    """A frozen dataclass the engine makes at every decision: ``made`` makes the same object as
    the constructor from a dict of every field, without the constructor's keyword matching and
    per-field ``object.__setattr__``."""

    __slots__ = ()

    @classmethod
    def made(cls, values: dict[str, Any]) -> Self:
        obj = _new(cls)
        _set(obj, "__dict__", values)
        return obj


@dataclass(frozen=True)
class ReplyView:
    """A reply the clerk may give: its id (what the trace records) and its words."""

    id: str
    text: Text


@dataclass(frozen=True)
class CustomerView(Snapshot):
    id: str
    name: Text
    request: str
    mood: float
    level: str
    node: str | None
    says: Text | None
    replies: tuple[ReplyView, ...]
    by_phone: bool
    has_documents: bool
    finished: bool

    @property
    def awaiting_reply(self) -> bool:
        return bool(self.replies)


@dataclass(frozen=True)
class Observation(Snapshot):
    t: float
    time_limit: float
    done: bool
    computer: str
    system: str
    network: str
    printer: str
    queue: int  # people waiting: those modelled one by one and the rest
    phone: str  # who is ringing is known once the phone is answered
    waiting: tuple[str, ...]  # customers present but not being served, oldest first
    station_known: tuple[tuple[str, str], ...]  # what the clerk's checks have revealed
    hazards: tuple[str, ...]  # customers who reported a hazard
    extra_window: bool
    queue_alert: int
    pre_shift: bool
    system_checked: bool
    current: str | None
    customers: tuple[CustomerView, ...]
    # of ``customers``: those whose question waits for the clerk's answer (a reply on offer),
    # and the one at the counter (``current``, while there): a long queue is not searched
    asking: tuple[CustomerView, ...]
    serving: CustomerView | None
    module: str | None
    documents_received: bool
    papers: tuple[str, ...]  # the kinds of paper the customer being served has put down
    form_fields: tuple[str, ...]  # what their application asks for
    entered_fields: tuple[str, ...]  # the fields entered so far
    data_entered: bool
    verified: bool
    open_discrepancies: tuple[str, ...]
    submitted: bool
    printed: bool
    informed: bool
    recorded: bool
    complaint_recorded: bool
    on_paper: bool
    faults: tuple[str, ...]
    stopped: bool
    faults_seen: int
    fault_log: int
    printer_inspected: bool
    supervisor_reports: int
    help_requests: int
    contingency: bool
    overheating: str | None  # a device running hot (host, power_strip)
    soiled: bool  # something spilt on the counter
    emergency: str | None  # an emergency in the hall (smoke, fire, collapse)
    evacuated: bool  # the hall has been cleared
    notes: tuple[str, ...]  # what the business system has shown, by the scenario's note ids
    looked_up: tuple[str, ...]  # what the system was consulted for, for this case
    pledged: bool  # the customer signed the pledge for papers to come
    dispatched: bool  # the repair dispatch was rung about this case

    def customer(self, cid: str | None) -> CustomerView | None:
        if cid is not None and cid == self.current:
            return self.serving
        for c in self.customers:
            if c.id == cid:
                return c
        return None

"""The desk's state during a session, and the named preconditions actions require."""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mypy_extensions import mypyc_attr

from sim.devices import BusinessSystem, Computer, Network, Phone, Printer
from sim.scenario import Customer, Reply, Scenario

__all__ = ["Case", "CustomerState", "DeskState", "PRECONDITIONS", "mood_level"]

# Mood (0–100) bands; a change of band is an event the scorer and the UI can see.
CALM_FROM = 60.0
UNEASY_FROM = 30.0


def mood_level(mood: float) -> str:
    if mood >= CALM_FROM:
        return "calm"
    if mood >= UNEASY_FROM:
        return "uneasy"
    return "angry"


class Roster:
    """What changed among the customers since the engine last looked: the ids of those any of
    whose fields (or their case's) were assigned, and a version counting the changes to who is
    waiting (arrivals, departures, cases finished; who is being served is the desk's). What
    the clerk sees of the customers is made again from these, not from every customer at every
    look."""

    __slots__ = ("changed", "moved", "version")

    def __init__(self) -> None:
        self.changed: set[str] = set()
        self.moved: set[str] = set()  # customers whose place in the queue may have changed
        self.version = 0

    def touch(self, cid: str, name: str) -> None:
        self.changed.add(cid)
        if name in _WHO_WAITS:
            self.moved.add(cid)
            self.version += 1


# the fields who is waiting (and in what order) depends on
_WHO_WAITS = frozenset({"present", "arrived_at", "by_phone", "informed", "recorded"})


# The classes below that hold the desk's state stay plain Python classes where this module is
# compiled (sim.compiled, ``native_class=False``): their methods are compiled, their instances
# keep a __dict__, and a customer and their case can be switched to a watched twin.


@mypyc_attr(native_class=False)
@dataclass
class Case:
    """The business being done for one customer."""

    module: str | None = None
    documents_received: bool = False
    entered: dict[str, str] | None = None
    verified: bool = False
    open_discrepancies: list[str] = field(default_factory=list)
    submitted: bool = False
    printed: bool = False
    informed: bool = False
    recorded: bool = False
    complaint_recorded: bool = False
    on_paper: bool = False
    pledged: bool = False  # the customer signed the pledge for papers to come (一证受理)
    dispatched: bool = False  # the repair dispatch was rung about this case
    looked_up: tuple[str, ...] = ()  # what the system was consulted for (lookup actions)

    @property
    def finished(self) -> bool:
        return self.informed and self.recorded


@mypyc_attr(native_class=False)
@dataclass
class CustomerState:
    spec: Customer
    present: bool = False
    left: bool = False
    by_phone: bool = False
    arrived_at: float = 0.0
    node: str | None = None  # the line the customer is waiting for an answer to
    mood_anchor: float = 70.0
    anchor_t: float = 0.0
    level: str = "calm"
    version: int = 0  # bumps on every mood change, so stale mood checks are ignored
    case: Case = field(default_factory=Case)

    def __post_init__(self) -> None:
        # read from the customer's spec (the same all session) at every look: kept at hand
        self._asking_lines = frozenset(n for n, line in self.spec.dialogue.items() if line.replies)
        self._patience = self.spec.patience

    @property
    def awaiting(self) -> bool:
        """Whether the line the customer last said waits for an answer (has replies)."""
        return self.node in self._asking_lines

    def mood(self, t: float) -> float:
        """Mood at ``t``: it drains at ``patience`` points a minute while a question waits."""
        if self.node not in self._asking_lines:
            return self.mood_anchor
        return max(0.0, self.mood_anchor - self._patience * (t - self.anchor_t) / 60.0)


@mypyc_attr(native_class=False)
class _Watched:
    """Assignments to a watched object's fields are told to its roster. A desk's customers and
    their cases become watched once made (their class is switched to a watched twin), so making
    them costs no more than before."""

    def __setattr__(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)
        roster, cid = self.__dict__["_watch"]
        roster.touch(cid, name)


@mypyc_attr(native_class=False)
class _WatchedCase(_Watched, Case):
    pass


@mypyc_attr(native_class=False)
class _WatchedCustomer(_Watched, CustomerState):
    pass


@mypyc_attr(native_class=False)
@dataclass
class DeskState:
    computer: Computer
    system: BusinessSystem
    network: Network
    printer: Printer
    phone: Phone
    queue: int  # people waiting who are not modelled one by one
    queue_alert: int
    customers: dict[str, CustomerState]
    station: dict[str, str]
    scenario: Scenario = field(repr=False, compare=False)  # its replies by id, among the rest
    current: str | None = None
    ringing: str | None = None  # who is calling
    station_known: dict[str, str] = field(default_factory=dict)
    system_checked: bool = False
    stopped: bool = False
    faults_seen: int = 0
    fault_log: int = 0
    printer_inspected: bool = False
    supervisor_reports: int = 0
    help_requests: int = 0
    contingency: bool = False
    extra_window: bool = False
    paused: bool = False  # the trainee paused the session (the clock stands still)
    overheating: str | None = None  # a device running hot (host, power_strip) until cooled
    soiled: bool = False  # something spilt on the counter, until it is cleaned
    emergency: str | None = None  # an emergency in the hall (smoke, fire, collapse)
    evacuated: bool = False  # everyone was led out of the hall
    notes: tuple[str, ...] = ()  # what the system has shown (the scenario's notes, by id)
    queue_alerted: bool = False
    hazards: list[str] = field(default_factory=list)  # customers who reported a hazard
    next_job: int = 1

    roster: Roster = field(default_factory=Roster, repr=False, compare=False)

    @classmethod
    def from_scenario(cls, s: Scenario) -> DeskState:
        d = s.desk
        system = BusinessSystem(state="logged_in" if d.logged_in else "logged_out")
        customers = {
            c.id: CustomerState(spec=c, mood_anchor=float(c.mood), level=mood_level(c.mood))
            for c in s.customers
        }
        desk = cls(
            computer=Computer(state=d.computer),
            system=system,
            network=Network(state=d.network),
            printer=Printer(state=d.printer),
            phone=Phone(),
            queue=d.queue,
            queue_alert=d.queue_alert,
            customers=customers,
            station=dict(d.station),
            scenario=s,
        )
        for cs in customers.values():  # every change to a customer is noted from now on
            cs.__dict__["_watch"] = cs.case.__dict__["_watch"] = (desk.roster, cs.spec.id)
            cs.__class__ = _WatchedCustomer
            cs.case.__class__ = _WatchedCase
            desk.roster.changed.add(cs.spec.id)
        return desk

    @property
    def case(self) -> Case:
        """The case of the customer being served (an empty one when nobody is)."""
        if self.current is None:
            return Case()
        return self.customers[self.current].case

    def _queue_now(self) -> list[tuple[float, int, str]]:
        """Customers present and not finished, by (arrival, scenario order): kept in order as
        customers arrive, leave and are done with, so a long queue costs what moved."""
        roster = self.roster
        d = self.__dict__
        queue: list[tuple[float, int, str]] | None = d.get("_queue")
        if queue is None:
            queue = d["_queue"] = []
            d["_rank"] = {cid: k for k, cid in enumerate(self.customers)}
            d["_places"] = {}
            d["_walk_ins"] = 0  # how many in the queue came to the counter (not by phone)
            roster.moved.update(self.customers)
        if roster.moved:
            rank: dict[str, int] = d["_rank"]
            places: dict[str, tuple[tuple[float, int, str], bool]] = d["_places"]
            walk_ins: int = d["_walk_ins"]
            for cid in roster.moved:
                old = places.pop(cid, None)
                if old is not None:
                    del queue[bisect_left(queue, old[0])]
                    walk_ins -= not old[1]
                c = self.customers[cid]
                if c.present and not c.case.finished:
                    place = (c.arrived_at, rank[cid], cid)
                    places[cid] = (place, c.by_phone)
                    insort(queue, place)
                    walk_ins += not c.by_phone
            d["_walk_ins"] = walk_ins
            roster.moved.clear()
        return queue

    def first_waiting(self) -> str | None:
        """Who has waited longest (``waiting_ids()``'s first), without listing everyone."""
        current = self.current
        for _, _, cid in self._queue_now():
            if cid != current:
                return cid
        return None

    def waiting_ids(self) -> tuple[str, ...]:
        """Customers at the counter or on the line who are not being served, oldest first
        (those who arrived at the same moment in the scenario's order), by id."""
        current = self.current
        return tuple([cid for _, _, cid in self._queue_now() if cid != current])

    def queue_length(self) -> int:
        """Everyone waiting at the counter: those not modelled one by one, and the customers
        waiting who came in person (the one being served is not waiting)."""
        self._queue_now()
        walk_ins: int = self.__dict__["_walk_ins"]
        served = self.__dict__["_places"].get(self.current)
        if served is not None and not served[1]:
            walk_ins -= 1
        return self.queue + walk_ins

    def find_reply(self, reply: str) -> tuple[CustomerState, Reply] | None:
        """The customer whose open question offers ``reply``, and the reply."""
        at = self.scenario.locate_reply(reply)
        if at is None:
            return None
        cs = self.customers[at.customer.id]
        if cs.present and cs.node == at.node and cs.awaiting:
            return cs, at.reply
        return None


Precondition = Callable[[DeskState, Mapping[str, str]], bool]


def _current_present(d: DeskState, _: Mapping[str, str]) -> bool:
    return d.current is not None and d.customers[d.current].present


def _documents_received(d: DeskState, _: Mapping[str, str]) -> bool:
    if d.current is None:
        return False
    cs = d.customers[d.current]
    return cs.case.documents_received or not cs.spec.documents


PRECONDITIONS: dict[str, Precondition] = {
    "computer_on": lambda d, _: d.computer.state == "on",
    "network_up": lambda d, _: d.network.state != "down",
    "system_available": lambda d, _: d.system.state != "faulty",
    "logged_in": lambda d, _: d.system.state == "logged_in",
    "not_logged_in": lambda d, _: d.system.state != "logged_in",
    "customer_present": _current_present,
    "customer_present_arg": lambda d, a: (
        a.get("customer") in d.customers and d.customers[a["customer"]].present
    ),
    "has_documents": lambda d, _: (
        d.current is not None and bool(d.customers[d.current].spec.documents)
    ),
    "module_selected": lambda d, _: d.case.module is not None,
    "documents_received": _documents_received,
    "data_entered": lambda d, _: d.case.entered is not None,
    "discrepancy_open": lambda d, _: bool(d.case.open_discrepancies),
    "submitted": lambda d, _: d.case.submitted,
    "not_submitted": lambda d, _: not d.case.submitted,
    "printer_ready": lambda d, _: d.printer.state == "ok",
    "printer_jammed": lambda d, _: d.printer.state == "jammed",
    "printer_low_ink": lambda d, _: d.printer.state == "low_ink",
    "fault_seen": lambda d, _: d.faults_seen > 0,
    "anything_to_record": lambda d, _: d.current is not None or d.faults_seen > 0,
    "customer_awaiting_reply": lambda d, a: d.find_reply(a.get("reply", "")) is not None,
    "someone_waiting": lambda d, _: d.first_waiting() is not None,
    "phone_ringing": lambda d, _: d.phone.state == "ringing",
    "no_extra_window": lambda d, _: not d.extra_window,
    "contingency_on": lambda d, _: d.contingency,
    "field_asked": lambda d, a: (
        d.current is not None and a.get("field") in d.customers[d.current].spec.application
    ),
    "paper_on_counter": lambda d, a: (
        d.current is not None
        and (
            a.get("source") == "form"
            or (
                d.customers[d.current].case.documents_received
                and any(
                    doc.kind == a.get("source") for doc in d.customers[d.current].spec.documents
                )
            )
        )
    ),
    "overheating": lambda d, _: d.overheating is not None,
    "hall_emergency": lambda d, _: d.emergency is not None,
    "hall_open": lambda d, _: not d.evacuated,
    "hall_evacuated": lambda d, _: d.evacuated,
    "soiled": lambda d, _: d.soiled,
    "paused": lambda d, _: d.paused,
    "not_paused": lambda d, _: not d.paused,
}

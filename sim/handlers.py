"""What each action and world event does to the desk: one handler per name.

The vocabulary (``sim/vocabulary.yaml``) says which actions and events exist and when an action
is allowed; these handlers say what it changes. A test checks the two agree. Station checks and
fixes (actions with ``checks``/``fixes`` in the vocabulary) share one generic handler each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.desk import CustomerState

if TYPE_CHECKING:
    from sim.engine import Engine

__all__ = ["ACTIONS", "WORLD", "INTERNAL", "PRINT_SECONDS", "check_station", "fix_station"]

PRINT_SECONDS = 6.0  # how long one receipt takes to print

Handler = Callable[["Engine", float, dict[str, str]], None]


# -- the case of the customer being served ---------------------------------------------------


def _serving(e: Engine) -> CustomerState:
    assert e.desk.current is not None  # guaranteed by the actions' preconditions
    return e.desk.customers[e.desk.current]


def _documents(e: Engine, cs: CustomerState) -> dict[str, str]:
    """What the papers say for each field the application asks: from the paper a careful clerk
    takes it from (``Vocabulary.authority``); a field no such paper has falls back to the first
    paper that has it (what release 0.1 compared against)."""
    fields: dict[str, str] = {}
    kinds = [doc.kind for doc in cs.spec.documents]
    for key in cs.spec.application:
        source = e.vocab.authority(key, kinds)
        value = _from_source(e, cs, key, source)
        if value is not None:
            fields[key] = value
    for doc in cs.spec.documents:
        for k, v in doc.fields.items():
            fields.setdefault(k, e.render(v, "zh"))
    return fields


def _from_source(e: Engine, cs: CustomerState, key: str, source: str) -> str | None:
    """What ``source`` (a paper on the counter, or the customer's form) says for ``key``."""
    if source == "form":
        raw = cs.spec.application.get(key)
        return None if raw is None else e.render(raw, "zh")
    for doc in cs.spec.documents:
        if doc.kind == source and key in doc.fields:
            return e.render(doc.fields[key], "zh")
    return None


def _log_in(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.system.fire("log_in")


def _check_system(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.system_checked = True


def _select_module(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.module = a["module"]


def _receive_documents(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.documents_received = True


def _enter_data(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = _serving(e)
    cs.case.entered = {k: e.render(v, "zh") for k, v in cs.spec.application.items()}
    cs.case.verified = False


def _enter_field(e: Engine, t: float, a: dict[str, str]) -> None:
    """One field typed in from one paper (or as the customer wrote it): what that source says,
    or nothing when it says nothing about the field."""
    cs = _serving(e)
    value = _from_source(e, cs, a["field"], a["source"])
    entered = dict(cs.case.entered or {})
    entered[a["field"]] = value if value is not None else ""
    cs.case.entered = entered
    cs.case.verified = False


def _verify_data(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = _serving(e)
    case = cs.case
    docs = _documents(e, cs)
    assert case.entered is not None
    case.verified = True
    for key in sorted(case.entered):
        if key in docs and docs[key] != case.entered[key] and key not in case.open_discrepancies:
            case.open_discrepancies.append(key)
            e.emit(t, "discrepancy_found", {"field": key})
    for doc in cs.spec.documents:
        if doc.expired:
            e.emit(t, "document_expired", {"paper": doc.kind})


def _correct_data(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = _serving(e)
    docs = _documents(e, cs)
    assert cs.case.entered is not None
    for key in cs.case.open_discrepancies:
        cs.case.entered[key] = docs[key]
    cs.case.open_discrepancies.clear()


def _submit(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = _serving(e)
    cs.case.submitted = True
    if not cs.case.verified:
        e.emit(t, "unverified_submission", {})
    docs = _documents(e, cs)
    entered = cs.case.entered or {}
    for key, value in sorted(entered.items()):
        if key in docs and docs[key] != value:
            e.emit(t, "erroneous_submission", {"field": key})
    for key in sorted(set(cs.spec.application) - set(entered)):
        e.emit(t, "erroneous_submission", {"field": key})  # asked for and never entered
    kinds = {doc.kind for doc in cs.spec.documents} if cs.case.documents_received else set()
    for key in sorted(cs.spec.application):
        spec = e.vocab.fields.get(key)
        unproven = spec is not None and spec.pledge and not kinds & set(spec.from_)
        if unproven and not cs.case.pledged:  # 一证受理 needs the signed pledge
            e.emit(t, "unproven_submission", {"field": key})
    for kind in sorted(kinds):
        needs = e.vocab.papers[kind].needs if kind in e.vocab.papers else None
        if needs is not None and needs not in kinds:  # an agent without the holder's authority
            e.emit(t, "paper_missing", {"paper": needs})


def _print_form(e: Engine, t: float, a: dict[str, str]) -> None:
    p = e.desk.printer
    p.fire("print")
    p.job = e.desk.next_job
    e.desk.next_job += 1
    job = {"job": str(p.job), "customer": e.desk.current or ""}
    e.schedule(t + PRINT_SECONDS, "print_done", job, internal=True)


def _inform(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.informed = True


def _record(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.recorded = True


def _say(e: Engine, t: float, a: dict[str, str]) -> None:
    found = e.desk.find_reply(a["reply"])
    assert found is not None
    cs, reply = found
    mood = cs.mood(t) + reply.mood
    cs.node = None
    e.set_mood(cs, t, mood)
    if reply.next is not None:
        e.schedule(t, "customer_says", {"customer": cs.spec.id, "node": reply.next})


def _stop(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.stopped = True


def _report(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.supervisor_reports += 1


def _ask_help(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.help_requests += 1


def _inspect_printer(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.printer_inspected = True


def _printer_fixed(e: Engine, t: float, trigger: str) -> None:
    e.desk.printer.fire(trigger)
    e.desk.stopped = False
    e.emit(t, "printer_restored", {})


def _clear_jam(e: Engine, t: float, a: dict[str, str]) -> None:
    _printer_fixed(e, t, "clear")


def _replace_ink(e: Engine, t: float, a: dict[str, str]) -> None:
    _printer_fixed(e, t, "refill")


def _cool_device(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.overheating = None


def _clean_spill(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.soiled = False


def _evacuate(e: Engine, t: float, a: dict[str, str]) -> None:
    """Everyone in the hall is led out: the customers there leave, the queue with them."""
    d = e.desk
    d.evacuated = True
    d.queue = 0
    for cid, cs in d.customers.items():
        if cs.present and not cs.by_phone:
            e.emit(t, "customer_leaves", {"customer": cid, "reason": "evacuated"})
            _customer_leaves(e, t, {"customer": cid})


def _lock_screen(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.system.fire("log_out")


def _lookup(action: str) -> Handler:
    """The system consulted for the case in hand (what it shows is the scenario's to say)."""

    def looked_up(e: Engine, t: float, a: dict[str, str]) -> None:
        case = e.desk.case
        if e.desk.current is not None and action not in case.looked_up:
            case.looked_up = (*case.looked_up, action)

    return looked_up


def _pledge(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.pledged = True


def _dispatch(e: Engine, t: float, a: dict[str, str]) -> None:
    if e.desk.current is not None:
        e.desk.case.dispatched = True


def _pause(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.paused = True


def _resume(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.paused = False


def _nothing(e: Engine, t: float, a: dict[str, str]) -> None:
    """An action whose effect is only that it was done (the trace shows it; rules judge it)."""


def _log_fault(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.fault_log += 1


def _contingency(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.contingency = True


def _on_paper(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.on_paper = True


def _complaint(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.complaint_recorded = True


def _serve(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.current = a["customer"]
    e.check_queue(t)


def _call_next(e: Engine, t: float, a: dict[str, str]) -> None:
    nxt = e.desk.first_waiting()
    assert nxt is not None  # the action requires someone waiting
    e.desk.current = nxt
    e.emit(t, "customer_called", {"customer": nxt})
    e.check_queue(t)


def _answer_phone(e: Engine, t: float, a: dict[str, str]) -> None:
    d = e.desk
    d.phone.fire("answer")
    caller = d.customers[d.ringing or ""]
    d.ringing = None
    caller.present = True
    caller.by_phone = True
    caller.arrived_at = t
    caller.anchor_t = t
    d.current = caller.spec.id
    if caller.spec.greeting is not None:
        e.schedule(t, "customer_says", {"customer": caller.spec.id, "node": caller.spec.greeting})


def _extra_window(e: Engine, t: float, a: dict[str, str]) -> None:
    d = e.desk
    d.extra_window = True
    d.queue = d.queue // 2  # the new window takes half of those waiting
    e.emit(t, "extra_window_opened", {})
    e.check_queue(t)


def _finish(e: Engine, t: float, a: dict[str, str]) -> None:
    e.end(t)


def check_station(e: Engine, t: float, items: tuple[str, ...]) -> None:
    """A check reveals how each of its items stands (an event per item, in order); an optional
    item only where the scenario's station says how it stands."""
    for item in items:
        if e.vocab.station_items[item].optional and item not in e.desk.station:
            continue
        result = e.desk.station.get(item, "ok")
        e.desk.station_known[item] = result
        e.emit(t, "check_result", {"item": item, "result": result})


def fix_station(e: Engine, t: float, item: str) -> None:
    e.desk.station[item] = "ok"
    if item in e.desk.station_known:
        e.desk.station_known[item] = "ok"


ACTIONS: dict[str, Handler] = {
    "log_in": _log_in,
    "check_system_status": _check_system,
    "select_module": _select_module,
    "receive_documents": _receive_documents,
    "enter_customer_data": _enter_data,
    "enter_field": _enter_field,
    "verify_data": _verify_data,
    "correct_data": _correct_data,
    "submit_application": _submit,
    "print_form": _print_form,
    "inform_customer": _inform,
    "record_result": _record,
    "say": _say,
    "stop_operation": _stop,
    "report_supervisor": _report,
    "ask_supervisor_help": _ask_help,
    "inspect_printer": _inspect_printer,
    "clear_paper_jam": _clear_jam,
    "replace_ink_cartridge": _replace_ink,
    "test_print": _nothing,
    "log_fault": _log_fault,
    "start_contingency": _contingency,
    "register_on_paper": _on_paper,
    "record_complaint": _complaint,
    "serve": _serve,
    "call_next_customer": _call_next,
    "answer_phone": _answer_phone,
    "check_queue": _nothing,
    "request_extra_window": _extra_window,
    "wear_protection": _nothing,
    "disinfect_counter": _nothing,
    "check_device_log": _nothing,
    "fill_inspection_checklist": _nothing,
    "ask_hint": _nothing,  # a recorded request; the scorer charges for it
    "cool_device": _cool_device,
    "call_fire_service": _nothing,
    "call_ambulance": _nothing,
    "call_police": _nothing,
    "lock_screen": _lock_screen,
    "evacuate_hall": _evacuate,
    "count_people": _nothing,
    "clear_space": _nothing,
    "stay_with_customer": _nothing,
    "query_account": _lookup("query_account"),
    "check_readings": _lookup("check_readings"),
    "check_outage_plan": _lookup("check_outage_plan"),
    "take_pledge": _pledge,
    "call_dispatch": _dispatch,
    "clean_spill": _clean_spill,
    "pause": _pause,
    "resume": _resume,
    "finish": _finish,
}


# -- what world events do (return False to drop an event that no longer applies) ------------

WorldHandler = Callable[["Engine", float, dict[str, str]], bool]


def _customer_arrives(e: Engine, t: float, a: dict[str, str]) -> bool:
    cs = e.desk.customers[a["customer"]]
    if cs.present or cs.left:
        return False
    cs.present = True
    cs.arrived_at = t
    cs.anchor_t = t
    d = e.desk
    if d.current is None or not d.customers[d.current].present:
        d.current = cs.spec.id
    if cs.spec.greeting is not None:
        e.schedule(t, "customer_says", {"customer": cs.spec.id, "node": cs.spec.greeting})
    return True


def _customer_says(e: Engine, t: float, a: dict[str, str]) -> bool:
    cs = e.desk.customers[a["customer"]]
    if not cs.present:
        return False
    e.say_line(cs, t, a["node"])
    return True


def _customer_leaves(e: Engine, t: float, a: dict[str, str]) -> bool:
    cs = e.desk.customers[a["customer"]]
    if not cs.present:
        return False
    cs.present = False
    cs.left = True
    cs.node = None
    if cs.by_phone and e.desk.phone.state == "in_call":
        e.desk.phone.fire("hang_up")
    return True


def _printer_fault(e: Engine, t: float, a: dict[str, str]) -> bool:
    p = e.desk.printer
    trigger = {"jam": "jam", "low_ink": "low_ink", "offline": "offline"}[a["kind"]]
    if not p.can(trigger):
        return False
    p.fire(trigger)
    p.job = None
    e.desk.faults_seen += 1
    e.desk.printer_inspected = False
    return True


def _network_down(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.network.fire("drop")
    e.desk.faults_seen += 1
    return True


def _network_restored(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.network.fire("restore")
    e.desk.stopped = False
    return True


def _system_fault(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.system.fire("fault")
    e.desk.faults_seen += 1
    return True


def _system_restored(e: Engine, t: float, a: dict[str, str]) -> bool:
    if not e.desk.system.can("restore"):
        return False
    e.desk.system.fire("restore")
    e.desk.stopped = False
    return True


def _phone_rings(e: Engine, t: float, a: dict[str, str]) -> bool:
    d = e.desk
    if not d.phone.can("ring") or d.customers[a["customer"]].present:
        return False
    d.phone.fire("ring")
    d.ringing = a["customer"]
    return True


def _hazard(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.hazards.append(a["customer"])
    return True


def _overheating(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.overheating = a["kind"]
    e.desk.faults_seen += 1  # a fault like any other: stopped, dealt with, logged
    return True


def _soiled(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.soiled = True
    return True


def _hall_emergency(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.emergency = a["kind"]
    return True


def _system_shows(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.notes = (*e.desk.notes, a["note"])
    return True


def _customer_act(e: Engine, t: float, a: dict[str, str]) -> bool:
    """A customer threatens a complaint or asks for a superior: only while still there."""
    cs = e.desk.customers.get(a["customer"])
    return cs is not None and cs.present


def _queue_grows(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.queue += int(a["count"])
    return True


WORLD: dict[str, WorldHandler] = {
    "customer_arrives": _customer_arrives,
    "customer_says": _customer_says,
    "customer_leaves": _customer_leaves,
    "printer_fault": _printer_fault,
    "network_down": _network_down,
    "network_restored": _network_restored,
    "system_fault": _system_fault,
    "system_restored": _system_restored,
    "phone_rings": _phone_rings,
    "hazard_reported": _hazard,
    "queue_grows": _queue_grows,
    "device_overheating": _overheating,
    "counter_soiled": _soiled,
    "complaint_threatened": _customer_act,
    "supervisor_demanded": _customer_act,
    "hall_emergency": _hall_emergency,
    "system_shows": _system_shows,
}


def _print_done(e: Engine, t: float, a: dict[str, str]) -> None:
    p = e.desk.printer
    if p.state != "printing" or p.job != int(a["job"]):
        return  # the job was lost to a fault
    p.fire("done")
    p.job = None
    if a["customer"] in e.desk.customers:
        e.desk.customers[a["customer"]].case.printed = True
    e.emit(t, "form_printed", {})


def _mood_check(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = e.desk.customers[a["customer"]]
    if str(cs.version) != a["v"] or not cs.present:
        return
    e.check_level(cs, t)
    e.schedule_mood_check(cs, t)


INTERNAL: dict[str, Handler] = {
    "print_done": _print_done,
    "mood_check": _mood_check,
}

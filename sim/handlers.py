"""What each action and world event does to the desk: one handler per name.

The vocabulary (``sim/vocabulary.yaml``) says which actions and events exist and when an action
is allowed; these handlers say what it changes. A test checks the two agree.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sim.desk import Case

if TYPE_CHECKING:
    from sim.engine import Engine

__all__ = ["ACTIONS", "WORLD", "INTERNAL", "PRINT_SECONDS"]

PRINT_SECONDS = 6.0  # how long one receipt takes to print


# -- what actions do ------------------------------------------------------------------------

Handler = Callable[["Engine", float, dict[str, str]], None]


def _log_in(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.system.fire("log_in")


def _check_system(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.system_checked = True


def _select_module(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.module = a["module"]


def _receive_documents(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.documents_received = True


def _documents(e: Engine) -> dict[str, str]:
    cs = e.desk.customers[e.desk.case.customer or ""]
    fields: dict[str, str] = {}
    for doc in cs.spec.documents:
        for k, v in doc.fields.items():
            fields.setdefault(k, e.render(v, "zh"))
    return fields


def _enter_data(e: Engine, t: float, a: dict[str, str]) -> None:
    cid = e.desk.case.customer
    app = e.desk.customers[cid].spec.application if cid else {}
    e.desk.case.entered = {k: e.render(v, "zh") for k, v in app.items()}
    e.desk.case.verified = False


def _verify_data(e: Engine, t: float, a: dict[str, str]) -> None:
    case = e.desk.case
    docs = _documents(e)
    assert case.entered is not None
    case.verified = True
    for key in sorted(case.entered):
        if key in docs and docs[key] != case.entered[key] and key not in case.open_discrepancies:
            case.open_discrepancies.append(key)
            e.emit(t, "discrepancy_found", {"field": key})


def _correct_data(e: Engine, t: float, a: dict[str, str]) -> None:
    case = e.desk.case
    docs = _documents(e)
    assert case.entered is not None
    for key in case.open_discrepancies:
        case.entered[key] = docs[key]
    case.open_discrepancies.clear()


def _submit(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.submitted = True


def _print_form(e: Engine, t: float, a: dict[str, str]) -> None:
    p = e.desk.printer
    p.fire("print")
    p.job = e.desk.next_job
    e.desk.next_job += 1
    e.schedule(t + PRINT_SECONDS, "print_done", {"job": str(p.job)}, internal=True)


def _inform(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.informed = True


def _record(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.case.recorded = True


def _say(e: Engine, t: float, a: dict[str, str]) -> None:
    found = e.desk.find_reply(a["reply"])
    assert found is not None
    cs, node = found
    reply = next(r for r in cs.spec.dialogue[node].replies if r.id == a["reply"])
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
    entry = e.emit(t, "printer_restored", {})
    e.fire_triggers(entry)


def _clear_jam(e: Engine, t: float, a: dict[str, str]) -> None:
    _printer_fixed(e, t, "clear")


def _replace_ink(e: Engine, t: float, a: dict[str, str]) -> None:
    _printer_fixed(e, t, "refill")


def _test_print(e: Engine, t: float, a: dict[str, str]) -> None:
    pass  # the page comes out fine: the precondition already needs a working printer


def _log_fault(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.fault_log += 1


def _contingency(e: Engine, t: float, a: dict[str, str]) -> None:
    e.desk.contingency = True


def _finish(e: Engine, t: float, a: dict[str, str]) -> None:
    e.end(t)


ACTIONS: dict[str, Handler] = {
    "log_in": _log_in,
    "check_system_status": _check_system,
    "select_module": _select_module,
    "receive_documents": _receive_documents,
    "enter_customer_data": _enter_data,
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
    "test_print": _test_print,
    "log_fault": _log_fault,
    "start_contingency": _contingency,
    "finish": _finish,
}


# -- what world events do (return False to drop an event that no longer applies) ------------

WorldHandler = Callable[["Engine", float, dict[str, str]], bool]


def _customer_arrives(e: Engine, t: float, a: dict[str, str]) -> bool:
    cs = e.desk.customers[a["customer"]]
    if cs.present or cs.left:
        return False
    cs.present = True
    cs.anchor_t = t
    if e.desk.current is None or not e.desk.customers[e.desk.current].present:
        e.desk.current = cs.spec.id
        e.desk.case = Case(customer=cs.spec.id)
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
    return True


def _system_fault(e: Engine, t: float, a: dict[str, str]) -> bool:
    e.desk.system.fire("fault")
    e.desk.faults_seen += 1
    return True


def _system_restored(e: Engine, t: float, a: dict[str, str]) -> bool:
    if not e.desk.system.can("restore"):
        return False
    e.desk.system.fire("restore")
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
}


def _print_done(e: Engine, t: float, a: dict[str, str]) -> None:
    p = e.desk.printer
    if p.state != "printing" or p.job != int(a["job"]):
        return  # the job was lost to a fault
    p.fire("done")
    p.job = None
    e.desk.case.printed = True
    entry = e.emit(t, "form_printed", {})
    e.fire_triggers(entry)


def _mood_check(e: Engine, t: float, a: dict[str, str]) -> None:
    cs = e.desk.customers[a["customer"]]
    if str(cs.version) != a["v"] or not cs.present:
        return
    e.check_level(cs, t)
    e.schedule_mood_check(cs, t)


INTERNAL: dict[str, Handler] = {"print_done": _print_done, "mood_check": _mood_check}

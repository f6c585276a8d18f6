"""Where each action lives on the desk, and its keyboard shortcut.

Every action of ``sim/vocabulary.yaml`` is reachable: as a button of the business system, a
button at the counter, or an item of a device's menu (click the device, or press its key, then
the item's number). A test checks that nothing is left out and no key is used twice. Keys are
pygame key names (``pygame.key.key_code`` turns them into codes).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "SYSTEM_BUTTONS",
    "COUNTER_BUTTONS",
    "QUICK_BUTTONS",
    "MENUS",
    "Menu",
    "MODULE_KEYS",
    "MODULE_ALT",
    "UI_KEYS",
    "all_actions",
]

# The business system's toolbar, in the order of the procedure (3.1): action, key.
SYSTEM_BUTTONS: tuple[tuple[str, str], ...] = (
    ("check_system_status", "s"),
    ("enter_customer_data", "e"),
    ("verify_data", "v"),
    ("correct_data", "c"),
    ("submit_application", "u"),
    ("print_form", "r"),
    ("record_result", "g"),
)
LOGIN = ("log_in", "l")

# At the counter, under the customer.
COUNTER_BUTTONS: tuple[tuple[str, str], ...] = (
    ("receive_documents", "d"),
    ("inform_customer", "i"),
    ("call_next_customer", "n"),
)

# Always in reach at the right of the desk.
QUICK_BUTTONS: tuple[tuple[str, str], ...] = (
    ("stop_operation", "x"),
    ("report_supervisor", "b"),
)


@dataclass(frozen=True)
class Menu:
    id: str  # also the desk catalogue key: menu.<id>
    key: str
    actions: tuple[str, ...]


MENUS: tuple[Menu, ...] = (
    Menu(
        "printer",
        "y",
        (
            "inspect_printer",
            "clear_paper_jam",
            "wear_protection",
            "replace_ink_cartridge",
            "test_print",
            "check_printer",
        ),
    ),
    Menu("scanner", "a", ("check_scanner", "clean_scanner_glass")),
    Menu(
        "phone",
        "t",
        (
            "answer_phone",
            "call_dispatch",
            "call_ambulance",
            "call_fire_service",
            "call_police",
            "check_phone",
        ),
    ),
    # the business system's "more": its look-ups, the pledge, and looking after the computer
    Menu(
        "computer",
        "o",
        (
            "query_account",
            "check_readings",
            "check_outage_plan",
            "take_pledge",
            "check_computer",
            "check_device_log",
            "install_updates",
            "clear_vents",
            "cool_device",
        ),
    ),
    # an emergency in the hall itself (the hall's own plan)
    Menu(
        "hall",
        "f",
        ("evacuate_hall", "count_people", "lock_screen", "clear_space", "stay_with_customer"),
    ),
    Menu(
        "incident",
        "k",
        (
            "stop_operation",
            "log_fault",
            "start_contingency",
            "register_on_paper",
            "record_complaint",
        ),
    ),
    Menu(
        "supervisor",
        "j",
        ("report_supervisor", "ask_supervisor_help", "request_extra_window", "check_queue"),
    ),
    Menu(
        "appearance",
        "w",
        (
            "check_appearance",
            "put_on_uniform",
            "tie_up_hair",
            "remove_jewellery",
            "check_posture",
            "adjust_seat",
            "adjust_screen",
            "adjust_keyboard",
        ),
    ),
    Menu(
        "premises",
        "z",
        (
            "check_environment",
            "tidy_counter",
            "adjust_ventilation",
            "remove_fire_hazard",
            "check_fire_safety",
            "clear_evacuation_route",
            "disinfect_counter",
            "clean_spill",
            "fill_inspection_checklist",
        ),
    ),
)

# Business modules: F1… in the vocabulary's order, and Alt+1… for keyboards whose F-keys set
# the brightness or the volume unless Fn is held.
MODULE_KEYS = tuple(f"f{i}" for i in range(1, 10))
MODULE_ALT = "alt"

# Keys of the desk itself (not actions).
UI_KEYS = {
    "pause": "space",
    "hint": "h",
    "mute": "m",
    "faster": "=",
    "slower": "-",
    "finish": "q",
    "close": "escape",
    "briefing": "f10",
    "keys": "/",  # the key help ("?" on most keyboards is Shift+/; either opens it)
}


def all_actions() -> set[str]:
    """Every action some control of the desk offers (``say`` and ``serve`` take an argument
    chosen on the spot: a reply, a customer; ``select_module`` a module)."""
    found = {a for a, _ in (*SYSTEM_BUTTONS, LOGIN, *COUNTER_BUTTONS, *QUICK_BUTTONS)}
    for m in MENUS:
        found.update(m.actions)
    # enter_field: a field of the form, then the paper it is taken from
    found.update({"say", "serve", "select_module", "enter_field", "finish"})
    found.add("ask_hint")  # the hint button (H), offered in training mode only
    found.update({"pause", "resume"})  # the pause button (space) stops and starts the clock
    return found

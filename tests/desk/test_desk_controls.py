"""Every action of the vocabulary can be reached on the desk, and no key does two things."""

from __future__ import annotations

from desk.controls import (
    COUNTER_BUTTONS,
    LOGIN,
    MENUS,
    MODULE_KEYS,
    QUICK_BUTTONS,
    SYSTEM_BUTTONS,
    UI_KEYS,
    all_actions,
)
from desk.i18n import catalogue
from sim.vocabulary import vocabulary


def test_every_action_has_a_control() -> None:
    assert all_actions() == set(vocabulary().actions)


def test_keys_are_unique() -> None:
    direct = [k for _, k in (*SYSTEM_BUTTONS, LOGIN, *COUNTER_BUTTONS, *QUICK_BUTTONS)]
    menus = [m.key for m in MENUS]
    ui = [*UI_KEYS.values(), "p"]
    keys = direct + menus + ui + list(MODULE_KEYS)
    assert len(keys) == len(set(keys)), sorted(k for k in keys if keys.count(k) > 1)
    assert not any(k.isdigit() for k in keys)  # digits choose replies and menu items


def test_menus_fit_the_number_keys_and_the_modules_the_function_keys() -> None:
    assert all(len(m.actions) <= 9 for m in MENUS)
    assert len(vocabulary().modules) <= len(MODULE_KEYS)


def test_desk_catalogues_have_the_same_words() -> None:
    assert set(catalogue("zh")) == set(catalogue("en"))
    for m in MENUS:
        assert f"menu_names.{m.id}" in catalogue("zh")

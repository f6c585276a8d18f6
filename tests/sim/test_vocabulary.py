"""The facts the scripted trainees, the hints and the reports read from the vocabulary."""

from __future__ import annotations

import typing
from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.vocabulary import VOCABULARY_FILE, Tag, load_vocabulary, vocabulary

ORIGINAL = VOCABULARY_FILE.read_text(encoding="utf-8")


def edited(tmp_path: Path, old: str, new: str) -> Path:
    assert old in ORIGINAL, old
    p = tmp_path / "vocabulary.yaml"
    p.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    return p


def test_the_facts_read_from_the_vocabulary() -> None:
    v = vocabulary()
    assert v.bad_tags == {
        "misleading",
        "conceals",
        "impatient",
        "promise",
        "oversteps",
        "jargon",
        "discloses",
        "steers",
    }
    assert v.receipt_modules == {
        "new_connection",
        "capacity_change",
        "name_transfer",
        "solar_connection",
    }
    assert v.routine_actions == (
        "disinfect_counter",
        "check_device_log",
        "fill_inspection_checklist",
    )
    assert v.device_checks == {"check_phone", "check_computer", "check_printer", "check_scanner"}


def test_every_reply_tag_says_what_it_means() -> None:
    assert set(vocabulary().reply_tags) == set(typing.get_args(Tag))


def test_a_tag_without_a_meaning_is_refused(tmp_path: Path) -> None:
    p = edited(tmp_path, "  jargon: {bad: true}", "")
    with pytest.raises(ValueError, match="jargon"):
        load_vocabulary(p)


def test_a_tag_no_scenario_may_use_is_refused(tmp_path: Path) -> None:
    p = edited(tmp_path, "  jargon: {bad: true}", "  jargon: {bad: true}\n  rude: {bad: true}")
    with pytest.raises(ScenarioError, match="rude"):
        load_vocabulary(p)


def test_keys_are_closed(tmp_path: Path) -> None:
    p = edited(tmp_path, "Capacity change, receipt: true}", "Capacity change, reciept: true}")
    with pytest.raises(ScenarioError, match="reciept"):
        load_vocabulary(p)


def test_a_routine_task_neither_checks_nor_fixes(tmp_path: Path) -> None:
    p = edited(tmp_path, "    fixes: keyboard\n", "    fixes: keyboard\n    routine: true\n")
    with pytest.raises(ValueError, match="adjust_keyboard is routine"):
        load_vocabulary(p)

"""What `list` keeps: only what loading the same bytes with the same code gave."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from scoring.procedure import DEFAULT_PROCEDURE
from sim.listing import (
    SCENARIO_DIR,
    keep_listing,
    kept_listing,
    listing_key,
    scenario_files,
)
from trainer.options import _DEFAULT


def test_the_light_default_procedure_is_the_real_one() -> None:
    assert DEFAULT_PROCEDURE.resolve() == _DEFAULT


def test_the_key_follows_every_file_it_depends_on(tmp_path: Path) -> None:
    folder = tmp_path / "scenarios"
    folder.mkdir()
    shutil.copy(SCENARIO_DIR / "printer_jam.yaml", folder)
    files = scenario_files(folder)
    key = listing_key(files, DEFAULT_PROCEDURE)
    assert key is not None and key == listing_key(files, DEFAULT_PROCEDURE)
    (folder / "printer_jam.yaml").write_bytes((folder / "printer_jam.yaml").read_bytes() + b"\n")
    assert listing_key(files, DEFAULT_PROCEDURE) != key
    proc = tmp_path / "p.yaml"
    proc.write_bytes(DEFAULT_PROCEDURE.read_bytes() + b"\n")
    assert listing_key(files, proc) not in (key, listing_key(files, DEFAULT_PROCEDURE))
    assert listing_key([tmp_path / "missing.yaml"], DEFAULT_PROCEDURE) is None


def test_kept_rows_come_back_and_junk_is_ignored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_TRAINER_CACHE", str(tmp_path))
    rows = [{"id": "x", "zh": "甲", "en": None, "kind": "routine", "difficulty": 1,
             "time_limit": 60.0}]  # fmt: skip
    assert kept_listing("k") is None
    keep_listing("k", rows)
    assert kept_listing("k") == rows
    (tmp_path / "listing" / "k.json").write_text("{not json", "utf-8")
    assert kept_listing("k") is None
    keep_listing(None, rows)  # nothing to key it by: nothing kept
    assert kept_listing(None) is None


def test_list_shows_the_same_whether_kept_or_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from trainer.cli import main

    monkeypatch.setenv("DESK_TRAINER_CACHE", str(tmp_path))
    runner = CliRunner()
    cold = runner.invoke(main, ["--lang", "en", "list"])
    assert cold.exit_code == 0, cold.output
    assert list((tmp_path / "listing").glob("*.json"))
    warm = runner.invoke(main, ["--lang", "en", "list"])
    assert warm.output == cold.output and "printer_jam" in warm.output

"""``new SCENARIO_ID``: a commented scenario that already loads, lints clean and is scored.

The template is ``authoring/templates/scenario.yaml``; its first line points an editor (VS Code's
YAML extension) at the JSON Schema in ``docs/``, so keys complete and mistakes show as typed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from authoring.words import tr
from sim.errors import InputError, Problem
from sim.scenario import SCENARIO_DIR

__all__ = ["TEMPLATE", "SCHEMA_FILE", "scaffold_text", "write_scaffold"]

TEMPLATE = Path(__file__).with_name("templates") / "scenario.yaml"
ROOT = Path(__file__).resolve().parent.parent
SCHEMA_FILE = ROOT / "docs" / "scenario.schema.json"
ID = re.compile(r"^[a-z][a-z0-9_]*$")


def scaffold_text(scenario_id: str, target: Path) -> str:
    """The template for ``scenario_id``, written to ``target`` (the schema path is relative)."""
    here = target.resolve().parent
    if here.is_relative_to(ROOT):
        schema = Path(os.path.relpath(SCHEMA_FILE, here)).as_posix()
    else:  # outside the project: the editor needs the whole path
        schema = SCHEMA_FILE.as_uri()
    text = TEMPLATE.read_text(encoding="utf-8")
    return (
        text.replace("__SCENARIO_ID__", scenario_id)
        .replace("__SCHEMA__", schema)
        .replace("__FILE__", target.as_posix())
    )


def write_scaffold(scenario_id: str, folder: Path | None = None) -> Path:
    """Write ``folder/SCENARIO_ID.yaml`` (default: the scenarios folder); refuses a bad id, a
    missing folder and an existing file, each with one located line."""
    folder = SCENARIO_DIR if folder is None else folder
    if not ID.match(scenario_id):
        raise InputError([Problem(scenario_id, None, tr("authoring.new.bad_id", id=scenario_id))])
    if not folder.is_dir():
        raise InputError([Problem(str(folder), None, tr("authoring.new.no_dir", dir=folder))])
    target = folder / f"{scenario_id}.yaml"
    if target.exists():
        raise InputError([Problem(str(target), None, tr("authoring.new.exists", file=target))])
    text = scaffold_text(scenario_id, target)
    try:
        with target.open("x", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as exc:
        problem = Problem(str(target), None, tr("authoring.cannot_write", error=exc.strerror))
        raise InputError([problem]) from None
    return target

"""The scenario files, and what ``list`` shows of them kept by content, so that listing them
again reads neither the YAML nor the models (pydantic is not even imported) when nothing it
depends on has changed.

What is kept is only ever what loading and checking the same bytes with the same code gave: its
key is a digest of every scenario file, the company's figures, the vocabulary, the procedure
edition the rules are checked against, and the source of the code that loads and checks them.
A set with any problem is never kept (its messages come from loading it, each time).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

__all__ = ["SCENARIO_DIR", "scenario_files", "listing_key", "kept_listing", "keep_listing"]

ROOT = Path(__file__).resolve().parent.parent
SCENARIO_DIR = ROOT / "scenarios"

# what loading and checking a scenario depends on besides its own bytes
_DEPENDS = (
    SCENARIO_DIR / "_facts.yaml",
    ROOT / "sim" / "vocabulary.yaml",
    *(ROOT / "sim" / name for name in (
        "scenario.py", "yamlio.py", "validation.py", "vocabulary.py", "model.py", "errors.py",
        "listing.py",
    )),
    ROOT / "scoring" / "procedure.py",
)  # fmt: skip
_FORMAT = b"listing 1"


def scenario_files(folder: Path = SCENARIO_DIR) -> list[Path]:
    """Every scenario file in ``folder`` (drills and other YAML live in subfolders)."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("_"))


def listing_key(files: list[Path], procedure: Path) -> str | None:
    """The digest of everything the listing of ``files`` depends on (None: a file is
    unreadable, so nothing is kept or read)."""
    h = hashlib.sha256(_FORMAT)
    try:
        for p in (*_DEPENDS, procedure, *files):
            data = p.read_bytes()
            h.update(str(p.resolve()).encode() + b"\0" + str(len(data)).encode() + b"\0")
            h.update(data)
    except OSError:
        return None
    return h.hexdigest()


def _cache_dir() -> Path:
    override = os.environ.get("DESK_TRAINER_CACHE")
    if override:
        return Path(override)
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("desk-trainer"))


def kept_listing(key: str | None) -> list[dict[str, Any]] | None:
    """The listing kept under ``key`` (None: none, or unreadable)."""
    if key is None:
        return None
    try:
        rows = json.loads((_cache_dir() / "listing" / f"{key}.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return rows if isinstance(rows, list) else None


def keep_listing(key: str | None, rows: list[dict[str, Any]]) -> None:
    """Keep ``rows`` under ``key`` (written whole or not at all; a cache that cannot be written
    is simply not kept)."""
    if key is None:
        return
    folder = _cache_dir() / "listing"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f"{key}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(rows, ensure_ascii=False), "utf-8")
        tmp.replace(folder / f"{key}.json")
    except OSError:
        pass

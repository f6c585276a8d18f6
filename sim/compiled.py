"""Whether the engine, the scripted trainees and the scorer run compiled or from their sources.

``pip install`` compiles the modules in ``MODULES`` with mypyc (``setup.py``) where a C compiler
is at hand: the same code, type-checked and turned into C, about twice as fast on a complete run.
The build records a hash of the sources it compiled (every module of ``sim`` and ``scoring``,
since the compiled ones lean on the rest); when the sources on disk are not those — a module
edited since, another commit checked out — every compiled module is set aside and the sources
run instead, all of them or none (a compiled module calls the others of its build directly, so
half and half would mix two versions of one class). ``DESK_TRAINER_PURE=1`` asks for the sources.

A session's trace, input and report are the same either way (a test compares the two).

This module is never compiled and imports nothing of the project: ``setup.py`` loads it by path.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec
from importlib.util import spec_from_file_location
from pathlib import Path
from types import ModuleType

__all__ = [
    "MODULES",
    "RECORD",
    "STATE",
    "built",
    "is_compiled",
    "set_aside",
    "sources_hash",
    "state_of",
]

# compiled by setup.py, in one group (one shared library, sim/_native__mypyc)
MODULES = (
    "sim.engine",
    "sim.agents",
    "sim.handlers",
    "sim.desk",
    "scoring.judges",
    "scoring.scorer",
    "scoring.trace_index",
)
GROUP = "sim._native"
# the build's record of what it compiled, beside this module
RECORD = "_compiled.json"
# the packages whose sources the record's hash covers
PACKAGES = ("sim", "scoring")

ROOT = Path(__file__).resolve().parents[1]


def sources_hash(root: Path = ROOT) -> str:
    """One hash of every module of the packages the compiled ones belong to."""
    h = hashlib.sha256()
    for package in PACKAGES:
        for path in sorted((root / package).rglob("*.py")):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(b"\0")
            h.update(path.read_bytes())
            h.update(b"\0")
    return h.hexdigest()


def built(root: Path = ROOT) -> dict[str, Path]:
    """Every compiled module beside its source in the packages, by name (a module an older build
    compiled and this one does not included)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for suffix in EXTENSION_SUFFIXES:
            for path in sorted((root / package).glob(f"*{suffix}")):
                module = path.name[: -len(suffix)]
                if (root / package / f"{module}.py").exists():
                    found.setdefault(f"{package}.{module}", path)
    return found


def set_aside(state: str, found: Iterable[str]) -> frozenset[str]:
    """The compiled modules whose sources run instead: all of them unless the build runs, and
    any its list does not name (left by an older build) even when it does."""
    return frozenset(name for name in found if state != "compiled" or name not in MODULES)


def state_of(root: Path = ROOT, environ: Mapping[str, str] = os.environ) -> str:
    """``compiled``, or ``source`` with why (``source: out of date`` …)."""
    if environ.get("DESK_TRAINER_PURE") == "1":
        return "source: asked for (DESK_TRAINER_PURE=1)"
    if not any(name in MODULES for name in built(root)):
        return "source: not compiled"
    try:
        record = json.loads((root / "sim" / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "source: no record of the build"
    if record.get("python") != sys.implementation.cache_tag:
        return "source: built for another Python"
    if record.get("modules") != list(MODULES) or record.get("sources") != sources_hash(root):
        return "source: out of date (pip install -e . compiles it again)"
    return "compiled"


class _Sources(MetaPathFinder):
    """Finds the sources of the compiled modules set aside before the import system finds the
    compiled files."""

    def __init__(self, names: frozenset[str]) -> None:
        self.names = names

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname not in self.names:
            return None
        package, _, module = fullname.rpartition(".")
        return spec_from_file_location(fullname, ROOT / package / f"{module}.py")


def _settle() -> str:
    state = state_of()
    names = set_aside(state, built())
    if names and not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources(names))
    return state


STATE = _settle()


def is_compiled() -> bool:
    """Whether this process runs the compiled modules."""
    return STATE == "compiled"

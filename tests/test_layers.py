"""The layers hold: the engine and scorer never load pygame, the desk never reaches up into the
command line, and only the desk's drawing modules load pygame."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import desk

ROOT = Path(__file__).resolve().parents[1]


def _loads(modules: list[str]) -> set[str]:
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(' '.join(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return set(out.stdout.split())


def test_importing_any_desk_module_never_reaches_the_command_line() -> None:
    modules = [m.name for m in pkgutil.walk_packages(desk.__path__, "desk.")]
    assert len(modules) > 20
    assert "trainer" not in _loads(modules)


def test_the_engine_the_scorer_and_the_records_never_load_pygame() -> None:
    loaded = _loads(["sim.engine", "sim.agents", "scoring.session", "scoring.narrate",
                     "records.service", "records.verify", "reports", "authoring.lint",
                     "trainer.cli", "desk.app", "desk.session", "desk.launch"])  # fmt: skip
    assert "pygame" not in loaded

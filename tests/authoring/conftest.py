"""Shared pieces for the authoring tests: the procedure edition, and broken copies of a real
scenario written to a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from authoring.lint import Edition, LintResult, lint
from scoring.procedure import DEFAULT_PROCEDURE, load_procedure
from sim.scenario import SCENARIO_DIR

Broken = Callable[..., Path]


@pytest.fixture(scope="session")
def edition() -> Edition:
    return Edition(load_procedure(), str(DEFAULT_PROCEDURE))


@pytest.fixture
def broken(tmp_path: Path) -> Broken:
    """A copy of a real scenario with text replaced (each ``old`` must be there) or appended."""

    def make(
        replace: dict[str, str] | None = None, append: str = "", scenario: str = "printer_jam"
    ) -> Path:
        text = (SCENARIO_DIR / f"{scenario}.yaml").read_text(encoding="utf-8")
        for old, new in (replace or {}).items():
            assert old in text, old
            text = text.replace(old, new, 1)
        out = tmp_path / f"{scenario}.yaml"
        out.write_text(text + append, encoding="utf-8")
        return out

    return make


def run_lint(path: Path | str, edition: Edition, **kw: object) -> LintResult:
    return lint([str(path)], edition, lang="en", **kw)  # type: ignore[arg-type]


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """The line (1-based) of the ``nth`` line of ``path`` that contains ``needle``."""
    hits = [
        i for i, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in ln
    ]
    return hits[nth - 1]

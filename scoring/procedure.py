"""The written procedure as data: clause ids, the Chinese text (the authority) and English."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from pydantic import Field, StrictBool, StrictInt, StrictStr

from scoring.words import tr
from sim.errors import Problem, ScenarioError
from sim.model import Frozen, Text
from sim.validation import validate_located
from sim.yamlio import Located, load_checked, load_yaml_checked

__all__ = [
    "Clause",
    "Procedure",
    "load_procedure",
    "load_procedure_bytes",
    "procedure_source",
    "DEFAULT_PROCEDURE",
]

DEFAULT_PROCEDURE = Path(__file__).with_name("procedures") / "clerk-2025-1.yaml"

_CHAPTER = re.compile(r"^[1-9][0-9]*$")
_SECTION = re.compile(r"^[1-9][0-9]*\.[1-9][0-9]*$")
_CLAUSE = re.compile(r"^[1-9][0-9]*(\.[1-9][0-9]*\.[a-z])?$")


class Heading(Frozen):
    id: StrictStr
    zh: StrictStr
    en: StrictStr


class Clause(Frozen):
    id: StrictStr
    zh: StrictStr
    en: StrictStr
    truncated: StrictBool = False

    def text(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    @property
    def section_id(self) -> str | None:
        parts = self.id.split(".")
        return ".".join(parts[:2]) if len(parts) == 3 else None

    @property
    def chapter_id(self) -> str:
        return self.id.split(".")[0]


class Procedure(Frozen):
    edition: StrictStr = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: Text
    version: Text
    year: StrictInt
    issuer: Text
    category: Text
    chapters: tuple[Heading, ...] = Field(min_length=1)
    sections: tuple[Heading, ...] = ()
    clauses: tuple[Clause, ...] = Field(min_length=1)

    def clause(self, cid: str) -> Clause:
        for c in self.clauses:
            if c.id == cid:
                return c
        raise KeyError(cid)

    @property
    def ids(self) -> set[str]:
        return {c.id for c in self.clauses}

    def heading(self, hid: str) -> Heading | None:
        for h in (*self.chapters, *self.sections):
            if h.id == hid:
                return h
        return None


def load_procedure(path: str | Path = DEFAULT_PROCEDURE) -> Procedure:
    """Load and check a procedure edition; every problem is reported with its line."""
    return load_yaml_checked(path, _procedure_from)


def load_procedure_bytes(raw: bytes, file: str) -> Procedure:
    """A procedure edition from its bytes (the copy kept with a recorded result); what was read
    and checked is kept by content hash, so verifying a year reads each edition once."""
    key = hashlib.sha256(raw).hexdigest()
    found = _BY_HASH.get(key)
    if found is None:
        found = load_checked(raw, file, _procedure_from)
        if len(_BY_HASH) >= 16:
            _BY_HASH.pop(next(iter(_BY_HASH)))
        _BY_HASH[key] = found
    return found


_BY_HASH: dict[str, Procedure] = {}


def _procedure_from(doc: Located) -> Procedure:
    proc, problems = validate_located(Procedure, doc)
    if proc is not None:
        problems = []
        chapters = {h.id for h in proc.chapters}
        sections = {h.id for h in proc.sections}

        def add(path: tuple[str | int, ...], key: str, **kw: str) -> None:
            problems.append(Problem(doc.file, doc.line(path), tr(key, **kw)))

        seen: set[str] = set()
        groups: tuple[tuple[str, tuple[str, ...], re.Pattern[str]], ...] = (
            ("chapters", tuple(h.id for h in proc.chapters), _CHAPTER),
            ("sections", tuple(h.id for h in proc.sections), _SECTION),
            ("clauses", tuple(c.id for c in proc.clauses), _CLAUSE),
        )
        for kind, ids, rx in groups:
            for i, hid in enumerate(ids):
                if not rx.match(hid):
                    add((kind, i, "id"), "procedure.bad_id", id=hid)
                if hid in seen and kind != "clauses":
                    add((kind, i, "id"), "procedure.duplicate", id=hid)
                seen.add(hid)
        clause_ids: set[str] = set()
        for i, c in enumerate(proc.clauses):
            if c.id in clause_ids:
                add(("clauses", i, "id"), "procedure.duplicate", id=c.id)
            clause_ids.add(c.id)
            if c.chapter_id not in chapters:
                add(("clauses", i, "id"), "procedure.no_chapter", id=c.id, parent=c.chapter_id)
            if c.section_id is not None and c.section_id not in sections:
                add(("clauses", i, "id"), "procedure.no_section", id=c.id, parent=c.section_id)
        for i, s in enumerate(proc.sections):
            if s.id.split(".")[0] not in chapters:
                add(
                    ("sections", i, "id"),
                    "procedure.no_chapter",
                    id=s.id,
                    parent=s.id.split(".")[0],
                )
    if problems or proc is None:
        raise ScenarioError(problems)
    return proc


def procedure_source(proc: Procedure) -> bytes:
    """The edition as canonical JSON: what a record keeps so it can be re-scored exactly under
    the edition it was scored with, whatever happens to the files later."""
    return proc.model_dump_json().encode("utf-8")


def procedure_from_source(raw: bytes) -> Procedure:
    return Procedure.model_validate_json(raw)

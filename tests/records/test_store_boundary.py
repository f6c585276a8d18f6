"""The records store owns all SQL: no module outside ``records/store/`` speaks to the database.

Every other module asks the store typed questions (``records.attempt(id)``,
``records.session_history(trainee)``...). This reads the source of each of the program's
modules and fails on anything that goes around the store: a call of ``.execute``,
``.executemany``, ``.executescript``, ``.query`` or ``.cursor``; a read of the store's
connection (``.conn``, ``.db``) or of its private transaction and error helpers (``._tx``,
``._errors``); an import of ``sqlite3`` or ``sqlite_utils``. Tests may still use ``conn`` to
tamper with a database on purpose.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sim", "scoring", "records", "reports", "trainer", "desk", "authoring")
STORE = ROOT / "records" / "store"

SQL_CALLS = {"execute", "executemany", "executescript", "query", "cursor"}
STORE_INSIDES = {"conn", "db", "_tx", "_errors"}
DRIVERS = {"sqlite3", "sqlite_utils"}


def _modules() -> list[Path]:
    found = [p for pkg in PACKAGES for p in sorted((ROOT / pkg).rglob("*.py"))]
    return [p for p in [*found, ROOT / "run_sim.py"] if STORE not in p.parents]


def trespasses(source: str) -> list[str]:
    """Each place ``source`` goes around the store, as ``line: what``."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in SQL_CALLS:
                out.append(f"{node.lineno}: .{node.func.attr}(...)")
        elif isinstance(node, ast.Attribute) and node.attr in STORE_INSIDES:
            out.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.Import):
            out.extend(
                f"{node.lineno}: import {a.name}"
                for a in node.names
                if a.name.split(".")[0] in DRIVERS
            )
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in DRIVERS:
            out.append(f"{node.lineno}: from {node.module} import ...")
    return out


def test_the_check_sees_each_way_around_the_store():
    source = (
        "import sqlite3\n"
        "from sqlite_utils import Database\n"
        "records.conn.execute('SELECT 1')\n"
        "records.db.query('SELECT 1')\n"
        "c.executemany('x', [])\n"
        "with records._errors(), records._tx() as c:\n"
        "    pass\n"
        "records.session_history('0427')\n"
    )
    found = trespasses(source)
    assert {"1: import sqlite3", "2: from sqlite_utils import ...", "3: .conn", "3: .execute(...)",
            "4: .db", "4: .query(...)", "5: .executemany(...)", "6: ._errors",
            "6: ._tx"} <= set(found)  # fmt: skip
    assert not [f for f in found if f.startswith("8:")]


def test_the_modules_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in _modules()}
    assert {"records/verify.py", "reports/trainee.py", "trainer/cli.py", "desk/app.py"} <= names
    assert not [n for n in names if n.startswith("records/store/")]


def test_no_sql_outside_the_store():
    found = {
        path.relative_to(ROOT).as_posix(): places
        for path in _modules()
        if (places := trespasses(path.read_text(encoding="utf-8")))
    }
    assert found == {}, f"modules that go around the records store: {found}"

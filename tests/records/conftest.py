"""A real LRS for the xAPI tests: Ralph on loopback with a file backend, started once per run.

Ralph (ralph-malph) pins click<8.2.1 and the project pins click==8.4.0, so Ralph never enters
the project's environment. The fixture uses, first found:

1. the ``ralph`` executable named by ``DESK_TRAINER_RALPH`` (``.ci/run`` sets it; it must work);
2. a ``ralph`` on PATH of the pinned version;
3. a private virtual environment installed once from ``ralph-requirements.txt`` into
   ``~/.cache/desk-trainer/`` (about ten seconds, needs the package index).

When none can be had the tests that need the LRS skip, saying why.

And the two records stores every records test runs against: ``db_target`` (a fresh records
database per test, once as a SQLite file, once on a PostgreSQL server) and ``pg_server``, a
throwaway PostgreSQL cluster for the run (``DESK_TRAINER_PG_URL`` names a server to use
instead). Without PostgreSQL the server's runs skip, saying why, unless
``DESK_TRAINER_REQUIRE_PG=1`` (CI), where they fail. ``open_sql`` gives the tamper tests a
connection to either, taking the store's SQL text (``?`` placeholders).
"""

from __future__ import annotations

import fcntl
import glob
import hashlib
import itertools
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from records.common import is_server

RALPH_VERSION = "5.1.0"
REQUIREMENTS = Path(__file__).with_name("ralph-requirements.txt")

# Ralph's file backend writes every batch with operation CREATE, refusing an existing file, so
# the second POST to a running LRS fails with HTTP 500 ("already exists and overwrite is not
# allowed"). Appending is the one change made to Ralph here; its API (validation, duplicate ids,
# 409 on conflicts, queries, auth) runs as released. uvicorn is run directly because
# `ralph runserver` always starts a file-watching reloader.
_SERVE = """
import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND
from ralph.api import app

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
"""


@dataclass(frozen=True)
class LRS:
    url: str
    username: str
    password: str
    log: Path


@pytest.fixture(scope="session")
def lrs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LRS]:
    ralph = _find_ralph()
    home = tmp_path_factory.mktemp("ralph")
    env = {
        **os.environ,
        "RALPH_APP_DIR": str(home),
        "RALPH_RUNSERVER_BACKEND": "fs",
        "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(home / "fs"),
    }
    user, password = "desk", "counter-pass-1"
    made = subprocess.run(
        [
            ralph,
            "auth",
            "-u",
            user,
            "-p",
            password,
            "-s",
            "all",
            "-M",
            "mailto:lrs@example.com",
            "-w",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if made.returncode != 0:
        pytest.fail(f"{ralph} auth failed: {made.stderr.strip()[-500:]}")
    port = _free_port()
    log = home / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [_python_of(ralph), "-c", _SERVE, str(port)],
            cwd=home,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        _wait_until_up(server, f"http://127.0.0.1:{port}/__heartbeat__", log)
        yield LRS(f"http://127.0.0.1:{port}/xAPI", user, password, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _find_ralph() -> str:
    named = os.environ.get("DESK_TRAINER_RALPH")
    if named:
        path = shutil.which(named)
        if path is None:
            pytest.fail(f"DESK_TRAINER_RALPH={named}: no such executable")
        return path
    on_path = shutil.which("ralph")
    if on_path and _version(on_path) == RALPH_VERSION:
        return on_path
    return _private_ralph()


def _version(ralph: str) -> str | None:
    try:
        said = subprocess.run([ralph, "--version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = said.stdout.split()  # "ralph, version 5.1.0"
    return words[-1] if said.returncode == 0 and words[:1] == ["ralph,"] else None


def _private_ralph() -> str:
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()[:12]
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "desk-trainer"
    venv = cache / f"ralph-{RALPH_VERSION}-{digest}"
    ralph, ready = venv / "bin" / "ralph", venv / ".installed"
    if ready.exists():
        return str(ralph)
    cache.mkdir(parents=True, exist_ok=True)
    # built in place (a venv cannot be moved), one run at a time
    with (cache / f"{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if ready.exists():
            return str(ralph)
        shutil.rmtree(venv, ignore_errors=True)
        steps = [
            [sys.executable, "-m", "venv", str(venv)],
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--retries", "0",
             "--disable-pip-version-check", "-r", str(REQUIREMENTS)],
        ]  # fmt: skip
        for step in steps:
            try:
                done = subprocess.run(step, capture_output=True, text=True, timeout=600)
            except (OSError, subprocess.TimeoutExpired) as err:
                done = subprocess.CompletedProcess(step, 1, "", str(err))
            if done.returncode != 0:
                shutil.rmtree(venv, ignore_errors=True)
                last = (done.stderr.strip().splitlines() or ["failed"])[-1]
                pytest.skip(
                    f"no Ralph LRS: installing ralph-malph {RALPH_VERSION} failed ({last}); "
                    "set DESK_TRAINER_RALPH to a ralph executable"
                )
        ready.write_text(REQUIREMENTS.read_text())
    return str(ralph)


def _python_of(ralph: str) -> str:
    """The interpreter Ralph is installed in, from its script's #! line."""
    script = Path(ralph).resolve()
    try:
        first = script.read_bytes()[:512].split(b"\n", 1)[0].decode()
    except (OSError, UnicodeDecodeError):
        first = ""
    if first.startswith("#!") and Path(first[2:].strip()).is_file():
        return first[2:].strip()
    return str(script.parent / "python")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(server: subprocess.Popen[bytes], heartbeat: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"Ralph exited ({server.returncode}): {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(heartbeat, timeout=2):
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.05)
    pytest.fail(f"Ralph did not answer at {heartbeat} within 60 s: {log.read_text()[-2000:]}")


# -- the PostgreSQL store

STORES = ["sqlite", "postgresql"]


def _no_postgresql(reason: str) -> None:
    if os.environ.get("DESK_TRAINER_REQUIRE_PG") == "1":
        pytest.fail(f"PostgreSQL is required (DESK_TRAINER_REQUIRE_PG=1): {reason}")
    pytest.skip(f"no PostgreSQL for the server store: {reason}")


def _pg_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    return found[-1] if found else shutil.which(name)


def _version_key(path: str) -> tuple[int, ...]:
    part = Path(path).parts[-3]
    return tuple(int(p) for p in part.split(".") if p.isdigit())


class Cluster:
    """A throwaway PostgreSQL cluster on loopback, in a temporary folder (the ``postgres``
    user's when the tests run as root: initdb refuses root), that can be stopped and started
    again on its port; trust authentication, no durability (nothing outlives the run)."""

    def __init__(self) -> None:
        try:
            import psycopg  # noqa: F401
        except ImportError as err:
            _no_postgresql(f"psycopg is not installed ({err})")
        initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
        if initdb is None or pg_ctl is None:
            _no_postgresql("initdb / pg_ctl not found (apt-get install postgresql)")
        assert initdb is not None and pg_ctl is not None
        self.pg_ctl = pg_ctl
        self.as_user: list[str] = []
        self.home = Path(tempfile.mkdtemp(prefix="desk-trainer-pg-"))
        if os.geteuid() == 0:
            if shutil.which("runuser") is None:
                _no_postgresql("running as root and runuser is missing")
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.home, "postgres", "postgres")
        self.data, self.log, self.port = self.home / "data", self.home / "server.log", _free_port()
        made = self._run(initdb, "-D", str(self.data), "-A", "trust", "-U", "postgres",
                         "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
        if made.returncode != 0:
            shutil.rmtree(self.home, ignore_errors=True)
            _no_postgresql(f"initdb failed: {(made.stderr or made.stdout).strip()[-400:]}")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}"
        self.start()

    def _run(self, *cmd: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.as_user, *cmd], capture_output=True, text=True, timeout=120, cwd=self.home
        )

    def start(self) -> None:
        options = (
            f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.home} -c fsync=off"
            " -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        done = self._run(self.pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.log),
                         "-w", "start")  # fmt: skip
        if done.returncode != 0:
            said = self.log.read_text(errors="replace")[-800:] if self.log.exists() else ""
            _no_postgresql(f"the server did not start: {done.stderr.strip()} {said.strip()}")

    def stop(self, mode: str = "fast") -> None:
        self._run(self.pg_ctl, "-D", str(self.data), "-m", mode, "-w", "stop")

    def remove(self) -> None:
        self.stop("immediate")
        shutil.rmtree(self.home, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """A PostgreSQL server's URL without a database name (its superuser, trust on loopback):
    ``DESK_TRAINER_PG_URL``, else a cluster made for this run and removed after it."""
    named = os.environ.get("DESK_TRAINER_PG_URL")
    if named:
        yield named.rstrip("/")
        return
    made = Cluster()
    try:
        yield made.url
    finally:
        made.remove()


_NUMBERS = itertools.count(1)


def new_pg_database(server: str, template: str | None = None) -> str:
    """A new, empty database on ``server`` (or a copy of ``template``): its URL."""
    import psycopg

    name = f"t_{os.getpid()}_{next(_NUMBERS)}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        copy = f" TEMPLATE {template}" if template else ""
        admin.execute(f"CREATE DATABASE {name}{copy}")
    return f"{server}/{name}"


def drop_pg_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def make_target(store: str, folder: Path, request: pytest.FixtureRequest) -> Path | str:
    """A fresh records database: a file in ``folder``, or a new database on the server
    (dropped when ``request``'s scope ends)."""
    if store == "sqlite":
        return folder / "records.sqlite3"
    url = new_pg_database(request.getfixturevalue("pg_server"))
    request.addfinalizer(lambda: drop_pg_database(url))
    return url


@pytest.fixture(params=STORES)
def db_target(request: pytest.FixtureRequest, tmp_path: Path) -> Path | str:
    """Where a test's records go, once on each store: a SQLite file or a server URL."""
    return make_target(request.param, tmp_path, request)


def copy_target(source: Path | str, folder: Path, request: pytest.FixtureRequest) -> Path | str:
    """A copy of a records database (a file's bytes, or a server database as a template)."""
    if not is_server(source):
        copied = folder / "records.sqlite3"
        shutil.copy(source, copied)
        return copied
    server, name = str(source).rsplit("/", 1)
    url = new_pg_database(server, template=name)
    request.addfinalizer(lambda: drop_pg_database(url))
    return url


# what a tamperer writes in SQLite's words that the store never does, in PostgreSQL's
_SQLITE_ONLY = [
    (re.compile(r"replace\((\w+), ('[^']*'), ('[^']*')\)"),
     r"convert_to(replace(convert_from(\1, 'UTF8'), \2, \3), 'UTF8')"),
    (re.compile(r"lower\(hex\(randomblob\(32\)\)\)"),
     "md5(random()::text) || md5(random()::text)"),
    (re.compile(r"X'([0-9A-Fa-f]*)'"), r"'\\x\1'::bytea"),
    (re.compile(r"PRAGMA table_info\((\w+)\)"),
     r"SELECT ordinal_position, column_name FROM information_schema.columns"
     r" WHERE table_name = '\1' AND table_schema = current_schema() ORDER BY 1"),
]  # fmt: skip


class _PgSql:
    """A psycopg connection taking the store's SQL text (``?``), committed by ``commit``."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.raw = psycopg.connect(url)
        # a tamperer's sqlite3 connection has foreign keys off: so has this one
        self.raw.execute("SET session_replication_role = replica")

    def execute(self, sql: str, params: Any = ()) -> Any:
        from records.store.dialect import translate

        for pattern, words in _SQLITE_ONLY:
            sql = pattern.sub(words, sql)
        if sql.lstrip().upper().startswith("PRAGMA"):
            return self.raw.execute("SELECT 1")  # the file's settings: none on a server
        return self.raw.execute(translate(sql), tuple(params))

    def executemany(self, sql: str, rows: Any) -> None:
        from records.store.dialect import translate

        with self.raw.cursor() as cur:
            cur.executemany(translate(sql), [tuple(r) for r in rows])

    def commit(self) -> None:
        self.raw.commit()

    def close(self) -> None:
        self.raw.close()


def open_sql(target: Path | str) -> Any:
    """A connection to a records database of either store, for tampering with it on purpose
    (``execute``, ``executemany``, ``commit``, ``close``, as ``sqlite3`` has them)."""
    if is_server(target):
        return _PgSql(str(target))
    return sqlite3.connect(target)


@pytest.fixture(scope="module")
def quiet(procedure):  # type: ignore[no-untyped-def]
    """A quiet counter that offers incidents to inject (tests/sim/test_injection.py)."""
    from sim.scenario import load_scenario_bytes
    from tests.sim.test_injection import _SCENARIO

    return load_scenario_bytes(_SCENARIO.encode(), "quiet_counter.yaml", procedure.ids)

"""A real LRS for the xAPI tests: Ralph on loopback with a file backend, started once per run.

Ralph (ralph-malph) pins click<8.2.1 and the project pins click==8.4.0, so Ralph never enters
the project's environment. The fixture uses, first found:

1. the ``ralph`` executable named by ``DESK_TRAINER_RALPH`` (``.ci/run`` sets it; it must work);
2. a ``ralph`` on PATH of the pinned version;
3. a private virtual environment installed once from ``ralph-requirements.txt`` into
   ``~/.cache/desk-trainer/`` (about ten seconds, needs the package index).

When none can be had the tests that need the LRS skip, saying why.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

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

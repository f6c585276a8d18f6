"""The compiled engine, trainees and scorer (sim.compiled) are the sources' twins: the same
sessions, byte for byte, whichever runs; sources edited since the build run as they are."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from sim import compiled

ROOT = Path(__file__).resolve().parents[2]
# CI compiles (pip install -e .) and must run what it compiled: there a build that fell back to
# the sources is a failure, not a skip
REQUIRED = os.environ.get("DESK_TRAINER_REQUIRE_COMPILED") == "1"

# every scenario, every scripted trainee, two seeds; a trainee made outside the compiled modules
# (as the authoring probes and the tests make them) that changes a class-level habit; the
# desk's hint (a clone asked at every step): their traces, inputs and reports, hashed
_SESSIONS = """
import hashlib, json, sys
from pathlib import Path
import sim.engine
from scoring.procedure import load_procedure
from scoring.session import judge
from sim.agents import AGENTS, Trainee, make_agent, run_agent
from sim.engine import Engine
from sim.scenario import load_scenario

class Steadfast(Trainee):
    name = "steadfast"
    drops_for_alarms = False

    def __init__(self, seed):
        super().__init__(seed)
        self.seen = []

    def decide(self, obs, key):
        self.seen.append(obs.t)
        return super().decide(obs, key)

proc = load_procedure()
h = hashlib.sha256()
runs = 0
for path in sorted(Path("scenarios").glob("[!_]*.yaml")):
    loaded = load_scenario(path, proc.ids)
    trainees = [(name, lambda s, n=name: make_agent(n, s)) for name in sorted(AGENTS)]
    for name, make in trainees + [("steadfast", Steadfast)]:
        for seed in (0, 1):
            engine = run_agent(loaded, seed, make(seed))
            for part in (engine.trace, engine.actions, judge(engine, proc)):
                h.update(repr(part).encode())
            runs += 1
    hinted, shadow = Engine(loaded, 0), make_agent("expert", 0)
    for _ in range(60):
        obs, key = hinted.observe(), hinted.answer_key()
        twin = shadow.clone()
        d = twin.decide(obs, key)
        h.update(repr((d, twin.decide(obs, key))).encode())
        if d is None or d.action == "finish" or hinted.done:
            break
        shadow.took(d.action, dict(d.args), obs, key)
        hinted.apply(obs.t + 5.0, d.action, dict(d.args))
    h.update(repr(hinted.trace).encode())
print(json.dumps({"engine": sim.engine.__file__, "runs": runs, "hash": h.hexdigest()}))
"""


def _sessions(pure: bool) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "DESK_TRAINER_PURE"}
    if pure:
        env["DESK_TRAINER_PURE"] = "1"
    out = subprocess.run(
        [sys.executable, "-c", _SESSIONS], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def test_the_build_is_run_where_it_is_required() -> None:
    if not REQUIRED:
        pytest.skip(f"not required here (DESK_TRAINER_REQUIRE_COMPILED); {compiled.STATE}")
    assert compiled.STATE == "compiled"
    import scoring.judges
    import sim.agents
    import sim.engine

    for module in (sim.engine, sim.agents, scoring.judges):
        assert module.__file__ is not None
        assert module.__file__.endswith(tuple(EXTENSION_SUFFIXES)), module.__file__


def test_compiled_and_sources_play_and_score_every_session_alike() -> None:
    if not compiled.is_compiled():
        if REQUIRED:
            pytest.fail(f"the compiled modules are not running: {compiled.STATE}")
        pytest.skip(f"nothing compiled to compare: {compiled.STATE}")
    fast, plain = _sessions(pure=False), _sessions(pure=True)
    assert str(fast["engine"]).endswith(tuple(EXTENSION_SUFFIXES))
    assert str(plain["engine"]).endswith(".py")
    assert fast["runs"] == plain["runs"] and int(str(fast["runs"])) >= 100
    assert fast["hash"] == plain["hash"]


# -- which runs: a made-up tree with a "compiled" module beside its source ------------------------


def _tree(tmp_path: Path) -> Path:
    for package in compiled.PACKAGES:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "sim" / "engine.py").write_text("X = 1\n")
    (tmp_path / "scoring" / "judges.py").write_text("Y = 2\n")
    return tmp_path


def _build(root: Path, sources: str | None = None) -> None:
    (root / "sim" / f"engine{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    record = {
        "python": sys.implementation.cache_tag,
        "modules": list(compiled.MODULES),
        "sources": sources if sources is not None else compiled.sources_hash(root),
    }
    (root / "sim" / compiled.RECORD).write_text(json.dumps(record))


def test_nothing_built_runs_the_sources(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    assert compiled.state_of(root, {}) == "source: not compiled"


def test_a_build_of_these_very_sources_runs_compiled(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _build(root)
    assert compiled.state_of(root, {}) == "compiled"
    assert compiled.state_of(root, {"DESK_TRAINER_PURE": "1"}).startswith("source: asked for")


@pytest.mark.parametrize("package", ["sim", "scoring"])
def test_a_source_edited_after_the_build_runs_the_sources(tmp_path: Path, package: str) -> None:
    root = _tree(tmp_path)
    _build(root)
    # any module of either package: the compiled ones lean on the rest
    (root / package / "other.py").write_text("Z = 3\n")
    assert compiled.state_of(root, {}).startswith("source: out of date")


def test_a_build_without_its_record_or_of_other_modules_runs_the_sources(tmp_path: Path) -> None:
    root = _tree(tmp_path)
    _build(root)
    record = root / "sim" / compiled.RECORD
    changed = json.loads(record.read_text())
    changed["modules"] = changed["modules"][:2]
    record.write_text(json.dumps(changed))
    assert compiled.state_of(root, {}).startswith("source: out of date")
    changed["python"] = "cpython-20"
    record.write_text(json.dumps(changed))
    assert compiled.state_of(root, {}) == "source: built for another Python"
    record.unlink()
    assert compiled.state_of(root, {}) == "source: no record of the build"


def test_a_module_an_older_build_compiled_runs_from_its_source_even_beside_the_build(
    tmp_path: Path,
) -> None:
    root = _tree(tmp_path)
    _build(root)
    (root / "sim" / "gone.py").write_text("W = 4\n")
    (root / "sim" / f"gone{EXTENSION_SUFFIXES[0]}").write_bytes(b"")
    _build(root)  # this build's record, its list without sim.gone
    found = compiled.built(root)
    assert set(found) == {"sim.engine", "sim.gone"}
    state = compiled.state_of(root, {})
    assert state == "compiled"
    assert compiled.set_aside(state, found) == {"sim.gone"}
    assert compiled.set_aside("source: out of date", found) == {"sim.engine", "sim.gone"}

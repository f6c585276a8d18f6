"""``new``, ``lint`` and ``schema`` on the command line: what a training manager types."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result

from scoring.procedure import load_procedure
from scoring.session import play_agent
from sim.library import scenario_files
from sim.scenario import load_scenario
from sim.yamlio import load_yaml
from tests.authoring.conftest import Broken
from trainer.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_new_writes_a_scenario_that_validates_lints_clean_and_scores_100(tmp_path: Path) -> None:
    r = cli("new", "meter_check", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    path = tmp_path / "meter_check.yaml"
    assert str(path) in r.output and "lint" in r.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "id: meter_check" in text and "# " in text
    assert cli("validate", str(path)).exit_code == 0
    lint = cli("lint", str(path), "--json")
    assert lint.exit_code == 0 and json.loads(lint.output)["findings"] == []
    proc = load_procedure()
    loaded = load_scenario(path, proc.ids)
    s = loaded.scenario
    assert len(s.rules) >= 2 and s.variants and s.triggers and s.customers
    assert len(s.customers[0].dialogue) >= 3
    for seed in range(4):
        assert play_agent(loaded, proc, seed, "expert").report.score == 100
    assert play_agent(loaded, proc, 0, "brusque").report.score < 100
    run = cli("run", str(path), "--agent", "expert", "--json")
    assert run.exit_code == 0 and json.loads(run.output)["score"] == 100


def test_new_points_the_editor_at_the_schema_from_the_scenarios_folder(tmp_path: Path) -> None:
    from authoring.scaffold import ROOT, scaffold_text

    inside = scaffold_text("x", ROOT / "scenarios" / "x.yaml").splitlines()[0]
    assert inside == "# yaml-language-server: $schema=../docs/scenario.schema.json"
    outside = scaffold_text("x", tmp_path / "x.yaml").splitlines()[0]
    assert outside.endswith((DOCS / "scenario.schema.json").as_uri())


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["Meter-Check"], "Meter-Check"),
        (["9lives"], "9lives"),
        (["meter_check", "--out", "/nonexistent/folder"], "/nonexistent/folder"),
    ],
)
def test_new_refuses_a_bad_id_or_folder_in_one_line(args: list[str], says: str) -> None:
    r = CliRunner().invoke(main, ["new", *args, "--lang", "en"])
    assert r.exit_code == 2 and r.exception is not None and isinstance(r.exception, SystemExit)
    [line] = r.output.strip().splitlines()
    assert says in line and "Traceback" not in r.output


def test_new_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "meter_check.yaml").write_text("mine", encoding="utf-8")
    r = CliRunner().invoke(main, ["new", "meter_check", "--out", str(tmp_path)])
    assert r.exit_code == 2
    [line] = r.output.strip().splitlines()
    assert "meter_check.yaml" in line and "已存在" in line
    assert (tmp_path / "meter_check.yaml").read_text(encoding="utf-8") == "mine"


def test_lint_exit_status_errors_warnings_and_bad_input(broken: Broken, tmp_path: Path) -> None:
    error = broken({'clause: "3.1.a"': 'clause: "3.1.z"'})
    r = CliRunner().invoke(main, ["lint", str(error)])
    assert r.exit_code == 1
    assert f"{error}:" in r.output and "[unknown_clause]" in r.output and "修改：" in r.output
    assert "1 个错误" in r.output
    warning = broken(
        {"      farewell:\n": "      orphan:\n        says: {zh: 嗯}\n      farewell:\n"}
    )
    r = CliRunner().invoke(main, ["lint", str(warning), "--lang", "en"])
    assert r.exit_code == 0 and "warning [unreachable_node]" in r.output and "fix:" in r.output
    r = CliRunner().invoke(main, ["lint", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "missing.yaml" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["lint", "printer_jam", "--procedure", str(tmp_path / "no.yaml")])
    assert r.exit_code == 2 and "no.yaml" in r.output


def test_lint_json_lists_each_finding(broken: Broken) -> None:
    path = broken({"  - at: 0\n": "  - at: 1000\n"})
    r = CliRunner().invoke(main, ["--lang", "en", "lint", str(path), "--json"])
    assert r.exit_code == 1
    data = json.loads(r.output)
    assert data["errors"] == 1 and data["warnings"] == 0 and data["files"] == 1
    [f] = data["findings"]
    assert set(f) == {"severity", "check", "file", "line", "message", "fix"}
    assert f["check"] == "after_limit" and f["line"] > 1 and "time limit" in f["message"]


def test_lint_with_no_paths_checks_the_whole_set() -> None:
    r = cli("lint")
    assert r.exit_code == 0, r.output
    assert "没有发现问题" in r.output


@pytest.mark.parametrize("kind", ["scenario", "drill"])
def test_the_committed_schema_is_current(kind: str) -> None:
    r = cli("schema", "--kind", kind)
    assert r.exit_code == 0
    committed = (DOCS / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert r.output == committed, f"run: python run_sim.py schema --kind {kind} --out docs/..."


def test_schema_writes_a_file(tmp_path: Path) -> None:
    out = tmp_path / "s.json"
    r = cli("schema", "--out", str(out))
    assert r.exit_code == 0 and str(out) in r.output
    assert json.loads(out.read_text(encoding="utf-8"))["$schema"].endswith("2020-12/schema")


def _validator(kind: str) -> jsonschema.Draft202012Validator:
    schema = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_every_real_scenario_and_drill_validates_against_the_schema() -> None:
    from sim.drill import drill_files

    scenarios, drills = _validator("scenario"), _validator("drill")
    for path in scenario_files():
        assert list(scenarios.iter_errors(load_yaml(path).data)) == [], path
    for path in drill_files():
        assert list(drills.iter_errors(load_yaml(path).data)) == [], path


def test_the_schema_flags_mistakes_an_editor_should_underline() -> None:
    v = _validator("scenario")
    good = load_yaml(scenario_files()[0]).data
    assert v.is_valid(good)
    for path, value in [
        (("scenario", "dificulty"), 2),  # a misspelt key
        (("scenario", "kind"), "fault"),  # a value not allowed
        (("rules", 0, "clause"), "9.9.z"),  # a clause the procedure lacks
        (("rules", 0, "what"), "check_sytem_status"),  # an unknown action
    ]:
        bad = json.loads(json.dumps(good))
        node = bad
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        assert not v.is_valid(bad), path


def test_every_key_in_the_schema_is_described() -> None:
    def walk(node: object, where: str) -> list[str]:
        out: list[str] = []
        if isinstance(node, dict):
            for key, prop in node.get("properties", {}).items():
                if "description" not in prop:
                    out.append(f"{where}.{key}")
            for key, value in node.items():
                out += walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for value in node:
                out += walk(value, where)
        return out

    for kind in ("scenario", "drill"):
        schema = json.loads((DOCS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        assert walk(schema, kind) == []

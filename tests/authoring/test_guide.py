"""The authoring guides' examples, run: a guide whose examples stop working fails the suite.

Marked examples (an HTML comment just before a fenced block):

- ``<!-- example: full -->``: a complete scenario. It must load, validate against the JSON
  Schema, lint with no finding at all and be scored 100 by the expert on every variant — the
  scenario a new user writes only from the guide;
- ``<!-- example: rule -->``: one rule; spliced into the guide's full scenario it must validate;
- ``<!-- example: shell -->``: ``python run_sim.py ...`` lines, run in order (in a scratch folder
  holding the full example at ``scenarios/ID.yaml``); each must exit 0.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

import authoring.scaffold
from authoring.lint import Edition, lint
from scoring.procedure import Procedure
from scoring.session import play_agent
from sim.scenario import load_scenario, load_scenario_bytes
from sim.yamlio import load_yaml_text
from trainer.cli import main

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDES = [DOCS / "authoring.zh.md", DOCS / "authoring.en.md"]
MARK = re.compile(r"<!-- example: (\w+) -->\s*\n```(\w+)\n(.*?)```", re.S)


def examples(guide: Path, kind: str) -> list[str]:
    return [body for k, _, body in MARK.findall(guide.read_text(encoding="utf-8")) if k == kind]


def full_example(guide: Path) -> tuple[str, str]:
    [text] = examples(guide, "full")
    sid = load_yaml_text(text, "example").data["scenario"]["id"]
    return sid, text


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_guide_marks_its_examples(guide: Path) -> None:
    counts = {k: len(examples(guide, k)) for k in ("full", "rule", "shell")}
    assert counts["full"] == 1 and counts["rule"] == 5 and counts["shell"] >= 2
    templates = {yaml.safe_load(r)[0]["template"] for r in examples(guide, "rule")}
    assert templates == {"required", "forbidden", "before", "response", "first_after"}


def test_both_guides_show_the_same_examples() -> None:
    zh, en = (MARK.findall(g.read_text(encoding="utf-8")) for g in GUIDES)
    assert zh == en


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_a_scenario_written_from_the_guide_loads_lints_clean_and_is_scored(
    guide: Path, tmp_path: Path, procedure: Procedure
) -> None:
    sid, text = full_example(guide)
    path = tmp_path / f"{sid}.yaml"
    path.write_text(text, encoding="utf-8")
    loaded = load_scenario(path, procedure.ids)
    schema = json.loads((DOCS / "scenario.schema.json").read_text(encoding="utf-8"))
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(loaded_data(text))) == []
    result = lint([str(path)], Edition(procedure, "procedure"), lang="en")
    assert result.findings == []
    variants = set()
    for seed in range(8):
        report = play_agent(loaded, procedure, seed, "expert").report
        assert report.score == 100, (seed, report.findings)
        variants.add(report.variant)
    assert variants == {v.id for v in loaded.scenario.variants}
    flawed = play_agent(loaded, procedure, 0, "panicky").report
    assert flawed.score < 100 and not flawed.passed


def loaded_data(text: str) -> object:
    return load_yaml_text(text, "example").data


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_each_rule_example_validates_in_the_full_scenario(
    guide: Path, procedure: Procedure
) -> None:
    sid, text = full_example(guide)
    for snippet in examples(guide, "rule"):
        data = loaded_data(text)
        assert isinstance(data, dict)
        data["rules"] = [*data["rules"], *yaml.safe_load(snippet)]
        raw = yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")
        load_scenario_bytes(raw, f"{sid}.yaml", procedure.ids)


@pytest.mark.parametrize("guide", GUIDES, ids=lambda p: p.name)
def test_the_guide_commands_run(
    guide: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sid, text = full_example(guide)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / f"{sid}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(authoring.scaffold, "SCENARIO_DIR", folder)  # `new` without --out
    ran = 0
    for block in examples(guide, "shell"):
        for line in block.splitlines():
            words = shlex.split(line, comments=True)
            if not words:
                continue
            assert words[:2] == ["python", "run_sim.py"], line
            r = CliRunner().invoke(main, words[2:])
            assert r.exit_code == 0, (line, r.output)
            ran += 1
    assert ran >= 7
    assert (folder / "meter_check.yaml").is_file()

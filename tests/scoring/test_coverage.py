"""Every clause of chapters 2–6 is scored by a scenario, or the scope file says why not."""

from __future__ import annotations

import pytest

from scoring.coverage import coverage, load_scope
from scoring.procedure import DEFAULT_PROCEDURE, load_procedure
from sim.errors import ScenarioError
from sim.library import scenario_files
from sim.scenario import load_scenario


@pytest.fixture(scope="module")
def loaded(procedure):
    return [load_scenario(p, procedure.ids) for p in scenario_files()]


def test_no_in_scope_clause_is_left_unscored(procedure, loaded):
    cov = coverage(procedure, loaded, load_scope(procedure=procedure), "zh")
    assert cov.uncovered == []
    statuses = {r.clause: r.status for r in cov.rows}
    assert statuses["6.1.d"] == "truncated"
    assert "1" not in statuses  # the general provisions are principles, not a desk step


def test_the_scope_file_only_names_clauses_no_scenario_scores(procedure, loaded):
    cov = coverage(procedure, loaded, load_scope(procedure=procedure), "zh")
    scope = load_scope(procedure=procedure)
    covered = {r.clause for r in cov.rows if r.status == "covered"}
    assert not covered & set(scope), "a clause is both scored and declared unobservable"


def test_a_new_edition_shows_its_gaps_at_once(tmp_path, procedure, loaded):
    text = DEFAULT_PROCEDURE.read_text(encoding="utf-8")
    added = '  - id: "6.1.e"\n    zh: "新增条款。"\n    en: "A new clause."\n'
    text = text.replace('  - id: "6.1.d"', added + '  - id: "6.1.d"')
    edited = tmp_path / "clerk-2026-1.yaml"
    edited.write_text(text, encoding="utf-8")
    new = load_procedure(edited)
    cov = coverage(new, loaded, load_scope(procedure=new), "zh")
    assert cov.uncovered == ["6.1.e"]


def test_the_scope_file_must_name_real_clauses(tmp_path, procedure):
    bad = tmp_path / "_coverage.yaml"
    bad.write_text('not_observable:\n  "9.9.z": {zh: 无, en: none}\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"_coverage.yaml:2: .*9\.9\.z"):
        load_scope(bad, procedure)

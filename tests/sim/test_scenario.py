from __future__ import annotations

from pathlib import Path

import pytest

from sim.errors import ScenarioError
from sim.scenario import SCENARIO_DIR, load_scenario

ORIGINAL = (SCENARIO_DIR / "printer_jam.yaml").read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str) -> Path:
    assert old in ORIGINAL, old
    p = tmp_path / "printer_jam.yaml"
    p.write_text(ORIGINAL.replace(old, new, 1), encoding="utf-8")
    return p


def line_of(path: Path, needle: str) -> int:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return n
    raise AssertionError(needle)


def test_printer_jam_loads(procedure):
    loaded = load_scenario(SCENARIO_DIR / "printer_jam.yaml", procedure.ids)
    assert loaded.id == "printer_jam"
    assert len(loaded.sha256) == 64
    assert len(loaded.scenario.variants) >= 3


def test_unknown_key_names_the_allowed_ones_and_a_guess(tmp_path, procedure):
    p = broken(tmp_path, "    mood: 68\n", "    moood: 68\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(p, procedure.ids)
    text = str(err.value)
    assert f"printer_jam.yaml:{line_of(p, 'moood')}:" in text
    assert "moood" in text and "patience" in text and "'mood'" in text


def test_unknown_clause_suggests_the_nearest(tmp_path, procedure):
    p = broken(tmp_path, 'clause: "5.3.b"', 'clause: "5.3.bb"')
    with pytest.raises(ScenarioError, match=r"printer_jam.yaml:\d+: .*'5\.3\.bb'.*'5\.3\.b'"):
        load_scenario(p, procedure.ids)


def test_on_is_text_not_a_boolean(tmp_path, procedure):
    p = broken(tmp_path, "  logged_in: false\n", "  logged_in: no\n")
    with pytest.raises(ScenarioError, match=r"printer_jam.yaml:\d+: desk.logged_in: .*true"):
        load_scenario(p, procedure.ids)


def test_every_problem_is_reported_at_once(tmp_path, procedure):
    text = ORIGINAL.replace("what: check_system_status", "what: check_sytem_status")
    text = text.replace("node: ask_delay}\n", "node: ask_dely}\n", 1)
    p = tmp_path / "printer_jam.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as err:
        load_scenario(p, procedure.ids)
    problems = err.value.problems
    assert any("check_system_status" in x.message for x in problems)
    assert any("ask_delay" in x.message for x in problems)
    assert all(x.line for x in problems)


def test_derived_events_cannot_be_scheduled(tmp_path, procedure):
    p = broken(tmp_path, "event: customer_arrives", "event: printer_restored")
    with pytest.raises(ScenarioError, match="printer_restored"):
        load_scenario(p, procedure.ids)


def test_events_after_the_time_limit_are_refused(tmp_path, procedure):
    p = broken(tmp_path, "  - at: 0\n", "  - at: 5000\n")
    with pytest.raises(ScenarioError, match="5000"):
        load_scenario(p, procedure.ids)


def test_file_name_must_match_the_id(tmp_path, procedure):
    p = tmp_path / "other.yaml"
    p.write_text(ORIGINAL, encoding="utf-8")
    with pytest.raises(ScenarioError, match="other"):
        load_scenario(p, procedure.ids)


def test_placeholders_must_exist_in_every_variant_or_the_facts(tmp_path, procedure):
    p = broken(
        tmp_path, "怎么回事？打印机出毛病了？{hurry}", "怎么回事？{hury}，热线{facts.hotlin}"
    )
    with pytest.raises(ScenarioError) as err:
        load_scenario(p, procedure.ids)
    text = str(err.value)
    assert "{hury}" in text and "facts.hotlin" in text and "'hotline'" in text


def test_company_figures_fill_scenario_texts():
    from sim.scenario import Variant

    v = Variant(id="x", vars={"name": "王"})
    assert v.fill("{name}，请拨{facts.hotline}", "zh") == "王，请拨95598"
    assert v.fill("{facts.superior}", "en") == "shift supervisor"


def test_a_reply_id_is_unique_in_the_whole_scenario(tmp_path, procedure):
    # the trace names a reply by its id alone, so two lines may not offer the same id
    p = broken(tmp_path, "          - id: delay_curt\n", "          - id: greet_ok\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(p, procedure.ids)
    (problem,) = err.value.problems
    lines = p.read_text(encoding="utf-8").splitlines()
    second = [n for n, line in enumerate(lines, start=1) if "- id: greet_ok" in line][1]
    assert "greet_ok" in problem.message and problem.line == second


def test_replies_are_indexed_by_id_once_the_scenario_is_loaded(procedure):
    s = load_scenario(SCENARIO_DIR / "printer_jam.yaml", procedure.ids).scenario
    at = s.locate_reply("delay_honest")
    assert at is not None
    assert (at.customer.id, at.node, at.reply.id) == ("applicant", "ask_delay", "delay_honest")
    assert at.reply == s.reply("applicant", "ask_delay", "delay_honest")
    assert s.locate_reply("no_such_reply") is None
    assert s.reply_index is s.reply_index  # made once


def test_a_variants_value_may_name_the_companys_figures() -> None:
    # found: {facts.X} written in a variant's value reached the desk with its braces
    from sim.scenario import Variant, facts

    v = Variant(
        id="x",
        vars={
            "when": {
                "zh": "一般不超过{facts.repair_arrival_urban}，{unknown}",
                "en": "{facts.nope}",
            }
        },
    )
    arrival = facts()["repair_arrival_urban"]
    zh = arrival if isinstance(arrival, str) else arrival.get("zh")
    assert v.fill("师傅{when}到", "zh") == f"师傅一般不超过{zh}，{{unknown}}到"
    assert v.fill("{when}", "en") == "{facts.nope}"  # an unknown figure stays as written

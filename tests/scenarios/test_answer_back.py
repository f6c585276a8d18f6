"""Issue 15: customers who answer back in the scenarios where the 班长 found a wrong reply simply
accepted. As found, "到时候再说吧" about a second trip and a string of process words about when it
would be done were followed by the customer's thanks; now the customer asks again or says they do
not understand, the clerk has one chance to put it right, and the same evasion twice brings a
demand for a superior. Each is shown as found (``as_found/issue15``) and as fixed."""

from __future__ import annotations

from pathlib import Path

import pytest

from scoring.procedure import Procedure
from scoring.session import build, judge
from sim.agents import Trainee, run_agent
from sim.library import find_scenario
from sim.observation import CustomerView, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario, load_scenario

AS_FOUND = Path(__file__).with_name("as_found") / "issue15"
SCENARIOS = ["network_outage", "printer_jam", "system_fault"]


class Picks(Trainee):
    """The expert, except that it gives the replies named, whenever one is on offer."""

    def __init__(self, seed: int, *replies: str) -> None:
        super().__init__(seed)
        self.replies = replies

    def choose_reply(self, c: CustomerView, key: AnswerKey) -> ReplyView:
        for r in c.replies:
            if r.id in self.replies:
                return r
        return super().choose_reply(c, key)


def _play(loaded: LoadedScenario, procedure: Procedure, *replies: str):
    engine = build(loaded, 0)
    run_agent(loaded, 0, Picks(0, *replies), engine=engine)
    report = judge(engine, procedure)
    nodes = [e.arg("node") for e in engine.trace if e.name == "customer_says"]
    lost = {f.rule: (f.clause, f.verdict) for f in report.findings if f.lost}
    return engine, nodes, lost


@pytest.mark.parametrize("sid", SCENARIOS)
def test_we_ll_see_about_a_second_trip_is_asked_again(sid: str, procedure: Procedure) -> None:
    found = load_scenario(AS_FOUND / f"{sid}.yaml", procedure.ids)
    _, before, _ = _play(found, procedure, "come_back_vague")
    assert before[before.index("come_back") + 1] == "farewell"  # as found: thanks, and gone
    loaded = find_scenario(sid, procedure.ids)
    _, nodes, lost = _play(loaded, procedure, "come_back_vague")
    assert nodes[nodes.index("come_back") + 1] == "come_back_again"
    assert "asked_again_answered" not in lost  # put right the second time
    engine, _, lost = _play(loaded, procedure, "come_back_vague", "back_again_vague")
    assert any(e.name == "supervisor_demanded" for e in engine.trace)
    assert lost["asked_again_answered"] == ("3.2.c", "violated")
    assert lost["no_superior_demanded"] == ("3.2.c", "violated")


@pytest.mark.parametrize("sid", SCENARIOS)
def test_process_words_are_met_with_i_do_not_understand(sid: str, procedure: Procedure) -> None:
    found = load_scenario(AS_FOUND / f"{sid}.yaml", procedure.ids)
    _, before, _ = _play(found, procedure, "when_jargon")
    assert "jargon_back" not in before
    loaded = find_scenario(sid, procedure.ids)
    said = loaded.scenario.customer("applicant").dialogue["jargon_back"].says.zh
    assert "听不懂" in said
    _, nodes, lost = _play(loaded, procedure, "when_jargon")
    assert "jargon_back" in nodes and "plain_words" not in lost
    _, _, lost = _play(loaded, procedure, "when_jargon", "when_more_jargon")
    assert lost["plain_words"] == ("3.2.b", "violated")

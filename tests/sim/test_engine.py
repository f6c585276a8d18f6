from __future__ import annotations

import subprocess
import sys

import pytest

from scoring.session import replay
from sim.agents import make_agent, run_agent
from sim.devices import IllegalTransition, Printer
from sim.engine import Engine
from sim.trace import TimedAction
from sim.vocabulary import vocabulary


def test_every_action_has_a_handler_and_every_precondition_exists():
    from sim.desk import PRECONDITIONS
    from sim.handlers import ACTIONS, WORLD

    vocab = vocabulary()
    station = {a for a, spec in vocab.actions.items() if spec.checks or spec.fixes}
    assert set(ACTIONS) | station == set(vocab.actions)
    assert not set(ACTIONS) & station
    assert {e for e, s in vocab.events.items() if s.origin == "world"} == set(WORLD)
    for spec in vocab.actions.values():
        assert set(spec.requires) <= set(PRECONDITIONS)


def test_same_input_gives_the_same_trace(printer_jam):
    a = run_agent(printer_jam, 7, make_agent("expert", 7))
    b = replay(printer_jam, 7, a.actions)
    assert [e.to_dict() for e in a.trace] == [e.to_dict() for e in b.trace]


def test_seeds_draw_variants_and_timings(printer_jam):
    variants = {Engine(printer_jam, s).variant.id for s in range(30)}
    assert len(variants) == len(printer_jam.scenario.variants)


def test_an_impossible_action_is_an_invalid_attempt_not_a_crash(printer_jam):
    e = Engine(printer_jam, 0)
    entry = e.apply(1.0, "submit_application")
    assert not entry.valid and entry.reason == "data_entered"
    entry = e.apply(2.0, "fly_to_the_moon")
    assert not entry.valid and entry.reason == "unknown_action"
    entry = e.apply(3.0, "select_module", {"module": "teleport"})
    assert not entry.valid and entry.reason == "bad_args"
    entry = e.apply(4.0, "say", {"reply": "no_such_reply"})
    assert not entry.valid and entry.reason == "customer_awaiting_reply"


def test_printing_on_a_jammed_printer_is_refused(printer_jam):
    e = Engine(printer_jam, 0)
    for i, (action, args) in enumerate(
        [
            ("log_in", {}),
            ("select_module", {"module": "new_connection"}),
            ("receive_documents", {}),
            ("enter_customer_data", {}),
            ("submit_application", {}),
            ("print_form", {}),
        ]
    ):
        assert e.apply(float(i), action, args).valid
    e.advance(30.0)  # the printer jams at its set time, 10-28 s in
    assert e.observe().printer == "jammed"
    assert e.apply(31.0, "print_form").reason == "printer_ready"
    assert e.apply(32.0, "clear_paper_jam").valid
    assert e.observe().printer == "ok"
    assert any(x.name == "printer_restored" for x in e.trace)


def test_the_session_ends_at_the_time_limit(printer_jam):
    e = replay(printer_jam, 0, [TimedAction(5.0, "log_in")])
    assert e.done and e.trace[-1].name == "session_end"
    assert e.trace[-1].t == printer_jam.scenario.scenario.time_limit
    late = e.apply(2000.0, "log_in")
    assert late.reason == "session_over"


def test_a_waiting_customer_loses_patience_and_says_so(printer_jam):
    # Nobody answers the greeting: the mood drains until the customer leaves, angry.
    e = replay(printer_jam, 0, [])
    names = [(x.name, x.arg("level") or x.arg("reason")) for x in e.trace]
    assert ("customer_mood", "uneasy") in names
    assert ("customer_mood", "angry") in names
    assert ("customer_leaves", "angry") in names
    times = [x.t for x in e.trace]
    assert times == sorted(times)


def test_replies_move_the_mood(printer_jam):
    e = Engine(printer_jam, 0)
    before = e.observe().customers[0].mood
    e.apply(1.0, "say", {"reply": "greet_curt"})
    assert e.observe().customers[0].mood < before


def test_device_state_machines_refuse_impossible_transitions():
    p = Printer()
    p.fire("print")
    p.fire("jam")
    with pytest.raises(IllegalTransition):
        p.fire("done")
    assert p.fire("clear") == "ok"


def test_the_engine_and_scorer_do_not_import_pygame():
    code = (
        "import sys, sim, sim.engine, sim.agents, scoring, scoring.scorer, scoring.session, "
        "scoring.narrate, "
        "trainer.cli; assert 'pygame' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


_HALL = """
scenario:
  id: smoke_check
  title: {zh: 厅内冒烟, en: Smoke in the hall}
  briefing: {zh: 上午，你在一号窗口。, en: "Morning, window 1."}
  kind: emergency
  difficulty: 1
  time_limit: 300
  pass_mark: 80
  clock: "10:00"
  window: 1
desk: {computer: "on", logged_in: true}
customers:
  - id: late
    name: {zh: 客户, en: Customer}
    persona: {zh: 办业务的客户, en: A customer}
    request: consultation
    dialogue:
      ask:
        says: {zh: 我办完再走行吗？, en: "Can I finish first?"}
        replies:
          - {id: go_now, zh: 不行，先走。, en: "No, out now.", tags: [safety, accurate]}
          - {id: finish, zh: 行，您快点。, en: "All right, be quick.", tags: [misleading]}
timeline:
  - {at: 5, event: customer_arrives, args: {customer: late}}
  - {at: 6, event: hall_emergency, args: {kind: smoke}}
  - {at: 6, event: customer_says, args: {customer: late, node: ask}}
rules:
  - {id: out, template: required, what: evacuate_hall, clause: "3.3.c", weight: 10}
"""


def test_in_a_hall_emergency_the_expert_answers_back_safely_before_clearing_the_hall():
    from sim.scenario import load_scenario_bytes

    loaded = load_scenario_bytes(_HALL.encode(), "smoke_check.yaml")
    engine = run_agent(loaded, 0, make_agent("expert", 0))
    done = [(e.name, e.arg("reply")) for e in engine.trace if e.kind == "action" and e.valid]
    names = [n for n, _ in done]
    assert ("say", "go_now") in done
    assert done.index(("say", "go_now")) < names.index("evacuate_hall")
    assert names.index("stop_operation") < done.index(("say", "go_now"))


_COLLAPSE = """
scenario:
  id: collapse_check
  title: {zh: 客户晕倒, en: A customer collapses}
  briefing: {zh: 下午，你在一号窗口。, en: "Afternoon, window 1."}
  kind: emergency
  difficulty: 1
  time_limit: 600
  pass_mark: 80
  clock: "14:00"
  window: 1
desk: {computer: "on", logged_in: true}
customers:
  - id: faint
    name: {zh: 客户, en: Customer}
    persona: {zh: 办业务的客户, en: A customer}
    request: consultation
  - id: next
    name: {zh: 下一位, en: Next}
    persona: {zh: 等着办业务的客户, en: A customer waiting}
    request: consultation
timeline:
  - {at: 5, event: customer_arrives, args: {customer: faint}}
  - {at: 6, event: customer_arrives, args: {customer: next}}
  - {at: 7, event: hall_emergency, args: {kind: collapse}}
triggers:
  - on: call_ambulance
    delay: 200
    event: customer_leaves
    args: {customer: faint, reason: referred}
rules:
  - {id: ambulance, template: required, what: call_ambulance, clause: "3.3.c", weight: 10}
"""


def test_after_a_collapse_the_expert_stays_until_the_ambulance_takes_over_then_resumes():
    from sim.scenario import load_scenario_bytes

    loaded = load_scenario_bytes(_COLLAPSE.encode(), "collapse_check.yaml")
    engine = run_agent(loaded, 0, make_agent("expert", 0))
    done = [(e.t, e.name) for e in engine.trace if e.kind == "action" and e.valid]
    names = [n for _, n in done]
    assert names.index("call_ambulance") < names.index("stay_with_customer")
    gone = next(e.t for e in engine.trace if e.name == "customer_leaves")
    called = next(t for t, n in done if n == "call_next_customer")
    assert called >= gone  # nobody else is served while the casualty is in the clerk's care


@pytest.mark.parametrize("agent", ["expert", "random"])
def test_the_view_names_who_is_asking_and_who_is_at_the_counter_among_those_present(
    procedure, agent
):
    """``asking`` and ``serving`` are the engine's short cuts into ``customers`` (a long queue
    is not searched at every look): at every look of every scenario, those with a reply on
    offer in the scenario's order, and the view of the customer being served if present."""
    from sim.library import scenario_files
    from sim.scenario import load_scenario

    looks = asked = served = 0
    for path in scenario_files():
        loaded = load_scenario(path, procedure.ids)
        played = run_agent(loaded, 2, make_agent(agent, 2))
        engine = Engine(loaded, 2)
        for act in played.actions:
            obs = engine.observe()
            assert obs.asking == tuple(c for c in obs.customers if c.replies)
            assert obs.serving is next((c for c in obs.customers if c.id == obs.current), None)
            assert obs.customer(obs.current) is obs.serving
            looks, asked = looks + 1, asked + bool(obs.asking)
            served += obs.serving is not None
            engine.apply(act.t, act.action, dict(act.args))
    assert looks > 300 and asked > 20 and served > 100


def test_the_engine_shuffles_a_lines_replies_as_the_standard_library_does():
    """The engine keeps its own shuffle (a replay must show a line's replies in the order the
    session showed them, whatever Python's shuffle becomes): today it is random.shuffle's."""
    import random

    from sim.engine import _shuffled

    for size in range(13):
        for seed in range(200):
            ours = _shuffled(list(range(size)), random.Random(f"replies|{seed}|c|n"))
            theirs = list(range(size))
            random.Random(f"replies|{seed}|c|n").shuffle(theirs)
            assert ours == tuple(theirs)

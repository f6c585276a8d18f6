"""The clerk's view and the answer key are apart: the observation carries nothing a clerk at a
real counter could not see; the grading is in the engine's answer key, handed only to the
scripted trainees that model a clerk who knows the answers."""

from __future__ import annotations

import dataclasses
import typing
from typing import Any

import pytest

from sim.agents import AGENTS, Decision, Trainee, _busy_until, make_agent, run_agent
from sim.engine import Engine
from sim.library import find_scenario, scenario_files
from sim.observation import CustomerView, Observation, ReplyView
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario
from sim.vocabulary import Tag

TAGS = set(typing.get_args(Tag))


def _strings(value: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, dict):
        return [x for k, v in value.items() for x in _strings(v, (*path, str(k)))]
    if isinstance(value, list | tuple):
        return [x for v in value for x in _strings(v, path)]
    return []


def _mid_dialogue(loaded: LoadedScenario, seed: int = 0) -> tuple[Engine, Observation]:
    """The expert's session, stopped at the first moment a customer awaits a reply."""
    engine = Engine(loaded, seed)
    agent = make_agent("expert", seed)
    t = 0.0
    for _ in range(500):
        engine.advance(t)
        obs = engine.observe()
        if any(c.replies for c in obs.customers):
            return engine, obs
        d = agent.decide(obs, engine.answer_key())
        if d is None:
            nxt = engine.next_event_time()
            assert nxt is not None
            t = max(t, nxt)
            continue
        engine.apply(t, d.action, dict(d.args))
        t += engine.vocab.actions[d.action].duration
    raise AssertionError("no customer ever awaits a reply")


def test_a_reply_in_the_view_is_its_id_and_words_only() -> None:
    assert [f.name for f in dataclasses.fields(ReplyView)] == ["id", "text"]


def test_the_view_has_no_answer_key_fields() -> None:
    names = {f.name for f in dataclasses.fields(Observation)}
    names |= {f.name for f in dataclasses.fields(CustomerView)}
    assert not names & {"tags", "world_pending", "pending", "caller", "events"}


def test_an_observation_mid_dialogue_holds_no_grading() -> None:
    loaded = find_scenario("emergency_outage")
    engine, obs = _mid_dialogue(loaded)
    offered = [r for c in obs.customers for r in c.replies]
    assert offered
    # the scenario does grade these replies: the key knows how, the view does not say
    key = engine.answer_key()
    assert {r.id for r in offered} == set(key.replies)
    assert any(key.tags(r.id) for r in offered)
    data = dataclasses.asdict(obs)
    for c in data["customers"]:
        for r in c["replies"]:
            assert set(r) == {"id", "text"}
    # a mood level may be called "calm" like a tag; nothing else in the view is a tag's name
    shown = [(p, s) for p, s in _strings(data) if p[-1:] != ("level",)]
    assert not [s for _, s in shown if s in TAGS]
    assert "tags" not in repr(data) and "world_pending" not in repr(data)


def test_the_answer_key_grades_the_replies_on_offer_and_knows_what_is_to_come() -> None:
    loaded = find_scenario("emergency_outage")
    engine, obs = _mid_dialogue(loaded)
    key = engine.answer_key()
    for c in obs.customers:
        node = loaded.scenario.customer(c.id).dialogue[c.node] if c.node else None
        for r in node.replies if node else ():
            assert key.tags(r.id) == r.tags and key.mood(r.id) == r.mood
    assert key.world_pending == engine.world_pending()
    assert key.events == sum(e.kind != "action" for e in engine.trace)
    assert key.tags("no_such_reply") == () and key.mood("no_such_reply") == 0


class _Sealed(AnswerKey):
    """An answer key that may not be read."""

    def __getattribute__(self, name: str) -> Any:
        raise AssertionError(f"the answer key was read ({name})")


@pytest.mark.parametrize("path", scenario_files(), ids=lambda p: p.stem)
def test_the_random_clerk_never_reads_the_answer_key(path) -> None:  # type: ignore[no-untyped-def]
    loaded = find_scenario(path.stem)
    sealed = _Sealed(replies={}, world_pending=True, events=0)
    for seed in range(3):
        engine = run_agent(loaded, seed, make_agent("random", seed))
        again = Engine(loaded, seed)
        agent = AGENTS["random"](seed)
        durations = {k: v.duration for k, v in again.vocab.actions.items()}
        t = 0.0
        for _ in range(4000):
            if again.done:
                break
            again.advance(t)
            d = agent.decide(again.observe(), sealed)
            if d is None:
                nxt = again.next_event_time()
                if nxt is None:
                    break
                t = max(t, nxt)
                continue
            again.apply(t, d.action, dict(d.args))
            t = _busy_until(again, t, round(t + durations.get(d.action, 5.0), 3), [], None)
        again.finish()
        assert again.actions == engine.actions


def test_a_clone_is_asked_without_changing_the_trainee(printer_jam) -> None:  # type: ignore[no-untyped-def]
    engine = Engine(printer_jam, 3)
    expert = make_agent("expert", 3)
    obs, key = engine.observe(), engine.answer_key()
    asked = [expert.clone().decide(obs, key) for _ in range(3)]
    assert asked[0] == asked[1] == asked[2]
    twin = expert.clone()
    twin.rng.random()
    assert expert.rng.getstate() != twin.rng.getstate()
    assert expert.decide(obs, key) == asked[0]


def test_a_shadow_told_what_the_clerk_did_does_not_do_it_again() -> None:
    loaded = find_scenario("pre_shift")
    assert "disinfect_counter" in _actions_of(make_agent("expert", 0), Engine(loaded, 0))
    engine = Engine(loaded, 0)
    shadow = make_agent("expert", 0)
    shadow.took("disinfect_counter", {}, engine.observe(), engine.answer_key())
    assert "disinfect_counter" not in _actions_of(shadow, engine)


def test_a_shadow_told_the_clerk_referred_a_customer_asks_the_supervisor_next() -> None:
    loaded = find_scenario("beyond_authority")
    engine, obs = _mid_dialogue(loaded)
    key = engine.answer_key()
    refer = next(rid for rid, k in key.replies.items() if "escalate" in k.tags)
    shadow = make_agent("expert", 0)
    shadow.took("say", {"reply": refer}, obs, key)
    engine.apply(engine.now, "say", {"reply": refer})
    d = shadow.clone().decide(engine.observe(), engine.answer_key())
    assert d == Decision("ask_supervisor_help")


def _actions_of(agent: Trainee, engine: Engine) -> list[str]:
    done: list[str] = []
    t = engine.now
    for _ in range(200):
        if engine.done:
            break
        engine.advance(t)
        d: Decision | None = agent.decide(engine.observe(), engine.answer_key())
        if d is None:
            nxt = engine.next_event_time()
            if nxt is None:
                break
            t = max(t, nxt)
            continue
        engine.apply(t, d.action, dict(d.args))
        done.append(d.action)
        t += engine.vocab.actions[d.action].duration
    return done

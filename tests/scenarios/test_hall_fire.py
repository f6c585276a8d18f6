"""厅内冒烟起火: smoke or fire in the hall while a change of name is in hand. The customers' safety
comes before the paperwork (3.3.c, critical): the business stops, nobody signs first, goes back
for their things, tackles it themselves or takes the lift, and everyone is led out within 90 s;
the plan's own steps (stop, lock, 119, the supervisor, the head count, no needless 120/110) are
the hall's local instructions and cost points only; each scripted trainee loses exactly what its
flaw deserves, and doing everything just in case is not free."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from authoring.probes import PATTERNS, gaming_runs
from scoring.procedure import Procedure
from scoring.session import Session, play_agent, score_actions
from sim.agents import Decision, Trainee
from sim.engine import Engine
from sim.identity import age_on, read
from sim.library import find_scenario
from sim.observation import Observation
from sim.oracle import AnswerKey
from sim.scenario import LoadedScenario
from sim.trace import TimedAction
from tests.scenarios.kit import broken

DAY = date(2026, 7, 16)  # the scenario's date (its header says so)

# rule -> (citation, verdict) for every rule the flaw breaks; everything else must be met
EXPECTED: dict[str, dict[str, tuple[str, str]]] = {
    "expert": {},
    # the alarm comes while the details are being entered, before anything careless skips
    # (the check, the log): in a fire it works the plan like the expert
    "careless": {},
    # says what pleases: "ten minutes, guaranteed", "sign, it's a minute", "I'll fetch your bag",
    # "thank you, be careful", "take the lift then": every customer sent into danger
    "panicky": {
        "greet_answered": ("3.2.c", "violated"),
        "stay_firm": ("3.3.c", "violated"),
        "no_going_back": ("3.3.c", "violated"),
        "no_fighting_it_yourself": ("3.3.c", "violated"),
        "no_lift": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    },
    # "sit down and wait", "do you want to die?", and when the customer asks for its number,
    # "complain all you like": everyone safe, but a quarrel in the middle of a fire
    "brusque": {
        "greet_answered": ("3.2.c", "violated"),
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
    },
    # promises the transfer today and first in the queue when they are back, and keeps the fire
    # from the supervisor: safe, but it does not pass
    "solo": {
        "greet_answered": ("3.2.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
        "supervisor_told": ("local:fire_plan", "missed"),
    },
    # finishes the change of name, then answers, and never leads anyone out
    "paperwork_first": {
        "greet_answered": ("3.2.c", "missed"),
        "out_before_business": ("3.3.c", "violated"),
        "everyone_out": ("3.3.c", "missed"),
        "stay_firm": ("3.3.c", "violated"),
        "no_lift": ("3.3.c", "violated"),
        "business_stopped": ("local:fire_plan", "missed"),
        "fire_service_called": ("local:fire_plan", "missed"),
        "supervisor_told": ("local:fire_plan", "missed"),
    },
}
PASSED = {
    "expert": True,
    "careless": True,
    "panicky": False,
    "brusque": False,
    "solo": False,
    "paperwork_first": False,
}
CRITICAL = {"panicky": ("3.3.c",), "brusque": ("3.3.b",), "paperwork_first": ("3.3.c",)}

SEEDS = [0, 1, 5]  # between them, every variant


@pytest.fixture(scope="module")
def fire(procedure: Procedure) -> LoadedScenario:
    return find_scenario("hall_fire", procedure.ids)


def _finding(session: Session, rule: str):  # type: ignore[no-untyped-def]
    return next(f for f in session.report.findings if f.rule == rule)


def _seed_for(loaded: LoadedScenario, variant: str) -> int:
    return next(s for s in range(500) if Engine(loaded, s).variant.id == variant)


def _arrival(loaded: LoadedScenario, seed: int) -> float:
    engine = Engine(loaded, seed)
    engine.advance(60)
    return next(e.t for e in engine.trace if e.name == "customer_arrives")


def _alarm(loaded: LoadedScenario, seed: int, module_at: float) -> float:
    """When the alarm goes for a clerk who opens the change of name at ``module_at``."""
    engine = Engine(loaded, seed)
    engine.apply(module_at, "select_module", {"module": "name_transfer"})
    engine.advance(module_at + 60)
    return next(e.t for e in engine.trace if e.name == "hall_emergency")


RIGHT = ["ff_out", "bl_leave", "fight_no", "lift_no"]
PLAN = [
    ("lock_screen", 3),
    ("evacuate_hall", 60),
    ("call_fire_service", 30),
    ("report_supervisor", 20),
    ("count_people", 30),
]


def _clerk(
    loaded: LoadedScenario,
    seed: int,
    replies: list[str] = RIGHT,
    *,
    greet: str = "greet_ok",
    plan: list[tuple[str, float]] = PLAN,
    before: list[tuple[str, float]] | None = None,
) -> list[TimedAction]:
    """Greets the customer, opens the change of name and starts entering it; at the alarm stops
    (unless ``before`` says what is done first), answers with ``replies`` (in order, one line
    after the other), then works ``plan`` (each step for as long as it takes)."""
    t = _arrival(loaded, seed) + 1
    steps: list[tuple[float, str, dict[str, str]]] = [
        (t, "say", {"reply": greet}),
        (t + 8, "select_module", {"module": "name_transfer"}),
        (t + 13, "receive_documents", {}),
        (t + 23, "enter_customer_data", {}),
    ]
    t = _alarm(loaded, seed, t + 8) + 4  # looking up from the screen
    for action, took in before if before is not None else [("stop_operation", 2)]:
        steps.append((t, action, {}))
        t += took
    for reply in replies:
        steps.append((t, "say", {"reply": reply}))
        t += 8
    for action, took in plan:
        steps.append((t, action, {}))
        t += took
    steps.append((t, "finish", {}))
    return [TimedAction(float(at), action, args) for at, action, args in steps]


def _score(loaded: LoadedScenario, procedure: Procedure, variant: str, **kw) -> Session:  # type: ignore[no-untyped-def]
    seed = _seed_for(loaded, variant)
    return score_actions(loaded, procedure, seed, _clerk(loaded, seed, **kw))


# -- the expert and each flaw ---------------------------------------------------------------


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_scores_full_marks_on_any_seed(fire, procedure, seed):
    report = play_agent(fire, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("agent", sorted(EXPECTED))
def test_each_trainee_loses_exactly_its_flaw(fire, procedure, agent, seed):
    session = play_agent(fire, procedure, seed, agent)
    assert broken(session) == EXPECTED[agent]
    assert session.report.passed is PASSED[agent]
    assert session.report.critical_failures == CRITICAL.get(agent, ())


def test_the_seeds_cover_every_variant(fire):
    assert {Engine(fire, s).variant.id for s in SEEDS} == {v.id for v in fire.scenario.variants}


def test_the_alarm_comes_while_the_change_of_name_is_in_hand(fire, procedure):
    for seed in SEEDS:
        trace = play_agent(fire, procedure, seed, "expert").engine.trace
        names = [e.name for e in trace]
        alarm = names.index("hall_emergency")
        assert names.index("enter_customer_data") < alarm
        assert "submit_application" not in names
        kind = Engine(fire, seed).variant.vars["kind"]
        assert trace[alarm].arg("kind") == kind


def test_the_expert_stops_answers_everyone_then_leads_them_out_and_counts(fire, procedure):
    for seed in SEEDS:
        trace = play_agent(fire, procedure, seed, "expert").engine.trace
        alarm = next(i for i, e in enumerate(trace) if e.name == "hall_emergency")
        done = [e for e in trace[alarm:] if e.kind == "action" and e.valid]
        names = [e.name for e in done]
        assert names[0] == "stop_operation"
        said = [e.arg("reply") for e in done if e.name == "say"]
        assert said == ["ff_out", "bl_leave", "fight_no", "lift_no"]
        assert names.index("lock_screen") < names.index("evacuate_hall")
        assert names.index("evacuate_hall") < names.index("call_fire_service")
        assert names.index("evacuate_hall") < names.index("count_people")
        left = [e.arg("reason") for e in trace if e.name == "customer_leaves"]
        assert left == ["evacuated", "evacuated"]


def test_every_id_number_is_valid_and_fits_the_person(fire):
    # (sex, age range) as the persona says
    who = {
        "terminal_strip": ("male", 34),
        "ceiling_light": ("female", 61),
        "entrance_bin": ("male", 45),
    }
    for variant in fire.scenario.variants:
        number = str(variant.vars["id_number"])
        person = read(number)
        sex, age = who[variant.id]
        assert person.sex == sex and age_on(person.born, DAY) == age, variant.id
        assert number[:6] in {"320106", "320104", "320115"}


# -- by hand: each key decision -------------------------------------------------------------


def test_by_the_book_by_hand_scores_full_marks(fire, procedure):
    for variant in fire.scenario.variants:
        session = _score(fire, procedure, variant.id)
        assert session.report.score == 100 and not session.report.invalid_attempts, variant.id


def test_letting_the_customer_sign_first_is_critical(fire, procedure):
    session = _score(fire, procedure, "terminal_strip", replies=["ff_sign", *RIGHT[1:]])
    assert broken(session) == {
        "stay_firm": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",) and not session.report.passed
    assert "就差这一个签名" in session.words().evidence(_finding(session, "stay_firm"))


@pytest.mark.parametrize("answer", ["bl_fetch", "bl_self", "bl_for_you"])
def test_nobody_goes_back_for_their_things(fire, procedure, answer):
    session = _score(fire, procedure, "ceiling_light", replies=["ff_out", answer, *RIGHT[2:]])
    assert broken(session) == {
        "no_going_back": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)


@pytest.mark.parametrize("answer", ["fight_ok", "fight_thanks"])
def test_the_customer_does_not_tackle_it_themselves(fire, procedure, answer):
    session = _score(fire, procedure, "entrance_bin", replies=[*RIGHT[:2], answer, "lift_no"])
    assert broken(session) == {
        "no_fighting_it_yourself": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }
    assert session.report.critical_failures == ("3.3.c",)


@pytest.mark.parametrize("answer", ["lift_ok", "lift_wait"])
def test_consenting_to_the_lift_is_critical(fire, procedure, answer):
    session = _score(fire, procedure, "ceiling_light", replies=[*RIGHT[:3], answer])
    assert broken(session)["no_lift"] == ("3.3.c", "violated")
    assert session.report.critical_failures == ("3.3.c",)


def test_an_evasive_answer_about_the_lift_is_asked_again_and_fails_even_when_put_right(
    fire, procedure
):
    replies = [*RIGHT[:3], "lift_vague", "lift_no_again"]
    session = _score(fire, procedure, "terminal_strip", replies=replies)
    said = [e.arg("node") for e in session.engine.trace if e.name == "customer_says"]
    assert "lift_again" in said
    assert broken(session) == {
        "no_lift": ("3.3.c", "violated"),
        "never_mislead": ("3.2.c", "violated"),
    }


def test_shouting_draws_a_complaint_and_answering_it_back_is_a_quarrel(fire, procedure):
    sorry = _score(fire, procedure, "entrance_bin", replies=["ff_curt", "off_sorry", *RIGHT[1:]])
    events = [e.name for e in sorry.engine.trace]
    assert "complaint_threatened" in events
    assert broken(sorry) == {"stay_patient": ("3.2.c", "violated")}
    assert sorry.report.passed and sorry.report.critical_failures == ()
    back = _score(fire, procedure, "entrance_bin", replies=["ff_curt", "off_back", *RIGHT[1:]])
    assert broken(back) == {
        "stay_patient": ("3.2.c", "violated"),
        "no_quarrel": ("3.3.b", "violated"),
    }
    assert back.report.critical_failures == ("3.3.b",)


def test_a_promise_to_finish_first_thing_is_safe_but_costs_enough_to_fail(fire, procedure):
    session = _score(fire, procedure, "terminal_strip", replies=["ff_promise", *RIGHT[1:]])
    assert broken(session) == {"never_mislead": ("3.2.c", "violated")}
    assert session.report.critical_failures == ()
    # with the promise at the counter as well, it does not pass
    both = _score(
        fire, procedure, "terminal_strip", replies=["ff_promise", *RIGHT[1:]], greet="greet_promise"
    )
    assert not both.report.passed


def test_finishing_the_paperwork_before_leading_them_out_is_critical(fire, procedure):
    before = [("stop_operation", 2), ("verify_data", 20), ("submit_application", 5)]
    session = _score(fire, procedure, "ceiling_light", before=before)
    found = broken(session)
    assert found["out_before_business"] == ("3.3.c", "violated")
    assert found["stay_firm"] == ("3.3.c", "violated")
    assert session.report.critical_failures == ("3.3.c",)


def test_leading_them_out_late_is_critical(fire, procedure):
    # a minute and a half from the alarm: on the phone to 119 and the supervisor first (50 s),
    # then four answers: out at about 90 s and more
    before = [("stop_operation", 2), ("call_fire_service", 30), ("report_supervisor", 30)]
    plan = [("lock_screen", 3), ("evacuate_hall", 60), ("count_people", 30)]
    session = _score(fire, procedure, "ceiling_light", before=before, plan=plan)
    assert broken(session) == {"everyone_out": ("3.3.c", "violated")}
    assert session.report.critical_failures == ("3.3.c",)


def test_just_herding_without_answering_fails(fire, procedure):
    # the customer who wants to sign and the one heading for the lift are not answered: they
    # were led out, but nobody stopped them
    session = _score(fire, procedure, "terminal_strip", replies=[])
    found = broken(session)
    assert found["stay_firm"] == ("3.3.c", "missed")
    assert found["no_lift"] == ("3.3.c", "missed")
    assert not session.report.passed


def test_the_plans_own_steps_are_local_and_never_critical(fire, procedure):
    s = fire.scenario
    local = [r for r in s.rules if r.local is not None]
    assert {r.id for r in local} == {
        "business_stopped",
        "screen_locked",
        "fire_service_called",
        "supervisor_told",
        "headcount",
        "no_needless_ambulance",
        "no_needless_police",
    }
    assert all(r.local == "fire_plan" and not r.critical for r in local)
    plan = s.instructions["fire_plan"].zh
    assert plan in s.scenario.briefing.zh.replace(" ", "").replace("\n", "")
    # 119 and the supervisor left out: no veto, but it does not pass
    skipped = _score(
        fire,
        procedure,
        "entrance_bin",
        plan=[("lock_screen", 3), ("evacuate_hall", 60), ("count_people", 30)],
    )
    assert broken(skipped) == {
        "fire_service_called": ("local:fire_plan", "missed"),
        "supervisor_told": ("local:fire_plan", "missed"),
    }
    assert skipped.report.critical_failures == () and not skipped.report.passed
    assert skipped.words().citation("local:fire_plan") == "本厅规定"


def test_doing_a_step_badly_never_costs_more_than_leaving_it_out(fire, procedure):
    variant = "terminal_strip"
    never_locked = _score(fire, procedure, variant, plan=[p for p in PLAN if p[0] != "lock_screen"])
    # out first, then back in to lock the screen
    locked_late = _score(fire, procedure, variant, plan=[PLAN[1], PLAN[0], *PLAN[2:]])
    assert (
        broken(never_locked)
        == broken(locked_late)
        == {"screen_locked": ("local:fire_plan", "violated")}
    )
    assert locked_late.report.score >= never_locked.report.score
    # 119 rung late (after 3 minutes) costs what never ringing costs, no more
    late_call = _score(
        fire,
        procedure,
        variant,
        plan=[PLAN[0], PLAN[1], ("report_supervisor", 20), ("count_people", 100), PLAN[2]],
    )
    no_call = _score(
        fire, procedure, variant, plan=[p for p in PLAN if p[0] != "call_fire_service"]
    )
    assert broken(late_call) == {"fire_service_called": ("local:fire_plan", "violated")}
    assert broken(no_call) == {"fire_service_called": ("local:fire_plan", "missed")}
    assert late_call.report.score >= no_call.report.score


# -- gaming probes: a candidate who wants the certificate without the knowledge -------------


class JustInCase(Trainee):
    """The expert who also does every other emergency step on the desk: 120, 110, keeping a
    space, staying with someone; at the alarm (``first``), or once everyone is counted."""

    name = "just_in_case"

    def __init__(self, seed: int = 0, first: bool = True) -> None:
        super().__init__(seed)
        self.first = first
        self._extra = ["call_ambulance", "call_police", "clear_space", "stay_with_customer"]

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        due = self.first or "hall:count_people" in self._done
        if obs.emergency is not None and self._extra and due:
            return Decision(self._extra.pop(0))
        return super().decide(obs, key)


class EarlyEvacuator(Trainee):
    """Clears the hall before anything happens, in case something does."""

    name = "early_evacuator"

    def decide(self, obs: Observation, key: AnswerKey) -> Decision | None:
        if not obs.evacuated and obs.t < 1:
            return Decision("evacuate_hall")
        return super().decide(obs, key)


def test_doing_every_emergency_step_just_in_case_is_not_free(fire, procedure):
    for seed in SEEDS:
        # at the alarm: two needless calls and the rest hold up everything the plan asks
        first = play_agent(fire, procedure, seed, JustInCase(seed, first=True))
        assert broken(first) == {
            "everyone_out": ("3.3.c", "violated"),
            "business_stopped": ("local:fire_plan", "violated"),
            "fire_service_called": ("local:fire_plan", "violated"),
            # the superior is told at 232 s, just inside 240 (the alarm took the clerk off the
            # needless call in hand)
            "no_needless_ambulance": ("local:fire_plan", "violated"),
            "no_needless_police": ("local:fire_plan", "violated"),
        }
        assert first.report.critical_failures == ("3.3.c",)
        # afterwards, when nothing waits on them: the calls still cost their points
        after = play_agent(fire, procedure, seed, JustInCase(seed, first=False))
        assert broken(after) == {
            "no_needless_ambulance": ("local:fire_plan", "violated"),
            "no_needless_police": ("local:fire_plan", "violated"),
        }
        assert after.report.score < 100


def test_clearing_the_hall_before_anything_happens_fails_when_it_does(fire, procedure):
    for seed in SEEDS:
        session = play_agent(fire, procedure, seed, EarlyEvacuator(seed))
        found = broken(session)
        assert found["everyone_out"] == ("3.3.c", "missed")
        assert not session.report.passed


def test_guessing_fails_and_doing_less_earns_nothing(fire, procedure):
    runs = gaming_runs(fire, procedure, 20)
    for pattern in PATTERNS:
        assert sum(r.passed for r in runs[pattern]) <= 2, pattern
        assert all(r.score < 100 for r in runs[pattern]), pattern
    avoided = [r for r in runs["avoider"] if r.avoided]
    assert avoided and not any(r.passed for r in avoided)


def test_the_right_reply_is_not_given_away_by_its_length(fire):
    # signing first is the longest answer to "let me sign", and "be quick" the shortest answer
    # to "let me fetch my things", in every variant
    dialogue = fire.scenario.customer("signer").dialogue
    for variant in fire.scenario.variants:
        order = {
            node: [
                r.id
                for r in sorted(dialogue[node].replies, key=lambda r: len(variant.fill(r.zh, "zh")))
            ]
            for node in ("finish_first", "belongings")
        }
        assert order["finish_first"][-1] == "ff_sign", variant.id
        assert order["belongings"][0] == "bl_fetch", variant.id

"""Properties over many seeds and generated traces (Hypothesis)."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.narrate import Narrator, render_json, render_text
from scoring.result import report_bytes
from scoring.session import play_agent, score_actions
from sim.trace import TimedAction, dump_actions, parse_trace_lines
from sim.vocabulary import vocabulary

ACTIONS = sorted(vocabulary().actions)
FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

names = st.one_of(
    st.sampled_from(ACTIONS), st.text(string.ascii_lowercase + "_", min_size=1, max_size=12)
)
arg_values = st.one_of(
    st.sampled_from(["new_connection", "greet_ok", "delay_honest", "x"]), st.text(max_size=8)
)
timed = st.builds(
    TimedAction,
    t=st.floats(min_value=0, max_value=1200, allow_nan=False).map(lambda x: round(x, 3)),
    action=names,
    args=st.dictionaries(st.sampled_from(["module", "reply", "odd"]), arg_values, max_size=2),
)
traces = st.lists(timed, max_size=40).map(lambda xs: sorted(xs, key=lambda a: a.t))


@FAST
@given(seed=st.integers(min_value=0, max_value=2**32 - 1))
def test_the_expert_passes_with_full_marks_on_any_seed(printer_jam, procedure, seed):
    report = play_agent(printer_jam, procedure, seed, "expert").report
    assert report.score == 100 and report.passed


@FAST
@given(actions=traces)
def test_trace_files_round_trip(actions):
    parsed = parse_trace_lines(dump_actions(actions).split("\n"), "t.jsonl")
    assert parsed == [
        TimedAction(a.t, a.action, {k: str(v) for k, v in a.args.items()}) for a in actions
    ]


@FAST
@given(actions=traces, seed=st.integers(min_value=0, max_value=1000))
def test_no_trace_crashes_the_scorer_and_scoring_is_deterministic(
    printer_jam, procedure, actions, seed
):
    first = score_actions(printer_jam, procedure, seed, actions)
    second = score_actions(printer_jam, procedure, seed, actions)
    assert report_bytes(first.report) == report_bytes(second.report)
    assert 0 <= first.report.score <= 100
    assert len(first.report.findings) == len(printer_jam.scenario.rules)
    for lang in ("zh", "en"):
        words = Narrator(printer_jam.scenario, first.report.variant, lang, procedure)
        render_text(first.report, words)
        render_json(first.report, words)


@FAST
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_the_random_clerk_never_crashes_anything(printer_jam, procedure, seed):
    session = play_agent(printer_jam, procedure, seed, "random")
    replayed = score_actions(printer_jam, procedure, seed, session.actions)
    assert replayed.report == session.report

"""xAPI: a session as cmi5-pattern statements, checked, sent to a real LRS (Ralph) and read back."""

from __future__ import annotations

import copy
import json
import re
import socket
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from records.xapi import LRSError, fetch, iso_duration, send, statements, validate
from scoring.procedure import Procedure
from scoring.session import play_agent
from sim.library import find_scenario
from sim.scenario import LoadedScenario

HOME = "https://desk-trainer.local"
EXT = f"{HOME}/xapi/extensions/"
CMI5 = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"


def session_of(loaded: LoadedScenario, **changes: Any) -> dict[str, Any]:
    title = loaded.scenario.scenario.title
    session: dict[str, Any] = {
        "uuid": "3f6c1a52-8d1e-4b7a-9c2d-5e8f0a1b2c3d",
        "trainee": {"id": "0427", "name": "张晓梅"},
        "scenario": {
            "id": loaded.id,
            "title": {"zh": title.zh, "en": title.en or title.zh},
            "sha256": loaded.sha256,
        },
        "procedure": "clerk-2025-1",
        "seed": 3,
        "variant": "default",
        "mode": "exam",
        "agent": None,
        "started_at": "2026-11-28T09:00:00.123Z",
        "ended_at": "2026-11-28T09:06:02.500Z",
        "duration_s": 312.4,
        "status": "complete",
    }
    session.update(changes)
    return session


@pytest.fixture(scope="module")
def passed(printer_jam: LoadedScenario, procedure: Procedure) -> tuple[dict, dict]:
    report = play_agent(printer_jam, procedure, 3, "expert").report.to_dict()
    assert report["passed"]
    return session_of(printer_jam, variant=report["variant"], agent="expert"), report


@pytest.fixture(scope="module")
def failed(procedure: Procedure) -> tuple[dict, dict]:
    emergency = find_scenario("emergency_outage", procedure.ids)
    report = play_agent(emergency, procedure, 0, "panicky").report.to_dict()
    # soothing words instead of the safety advice, and compensation promised on its own say
    assert report["critical_failures"] == ["3.3.c", "3.3.d"]
    session = session_of(emergency, uuid="9b2e7c1d-4f3a-4e8b-a1c2-d3e4f5a6b7c8", mode="training")
    return session, report


def by_verb(stmts: list[dict]) -> dict[str, dict]:
    return {s["verb"]["display"]["en-US"]: s for s in stmts}


# -- the statements --------------------------------------------------------------------------


def test_a_passed_session_is_launched_initialized_passed_completed_terminated(passed):
    session, report = passed
    stmts = statements(session, report)
    assert [s["verb"]["display"]["en-US"] for s in stmts] == [
        "launched",
        "initialized",
        "passed",
        "completed",
        "terminated",
    ]
    assert [validate(s) for s in stmts] == [[]] * 5
    for s in stmts:
        assert s["verb"]["id"] == "http://adlnet.gov/expapi/verbs/" + s["verb"]["display"]["en-US"]
        assert s["actor"] == {
            "objectType": "Agent",
            "name": "张晓梅",
            "account": {"homePage": HOME, "name": "0427"},
        }
        assert s["object"]["id"] == f"{HOME}/scenarios/printer_jam"
        assert s["object"]["definition"]["name"]["zh-CN"] == "打印机卡纸"
        context = s["context"]
        assert context["registration"] == session["uuid"]
        assert context["extensions"][SESSION_ID] == session["uuid"]
        assert context["extensions"][EXT + "seed"] == 3
        assert context["extensions"][EXT + "agent"] == "expert"
        assert context["extensions"][EXT + "scenario-sha256"] == session["scenario"]["sha256"]
        assert "stored" not in s and "authority" not in s and "version" not in s
    v = by_verb(stmts)
    assert v["launched"]["timestamp"] == v["initialized"]["timestamp"] == session["started_at"]
    assert v["terminated"]["timestamp"] == session["ended_at"]
    assert v["passed"]["result"]["score"] == {"scaled": 1.0, "raw": 100.0, "min": 0, "max": 100}
    assert v["passed"]["result"]["success"] is True
    assert v["passed"]["result"]["duration"] == "PT5M12.4S"
    assert v["completed"]["result"] == {"completion": True, "duration": "PT5M12.4S"}
    assert v["terminated"]["result"] == {"duration": "PT5M12.4S"}
    # cmi5: the moveOn category only where the result carries success or completion
    categories = {
        k: [a["id"] for a in s["context"]["contextActivities"]["category"]] for k, s in v.items()
    }
    assert categories["passed"] == categories["completed"] == [CMI5, MOVEON]
    assert categories["launched"] == categories["initialized"] == categories["terminated"] == [CMI5]


def test_a_critical_failure_fails_the_session_and_names_its_clause(failed):
    session, report = failed
    stmts = statements(session, report)
    assert [validate(s) for s in stmts] == [[]] * 5
    v = by_verb(stmts)
    assert "passed" not in v
    verdict = v["failed"]
    assert verdict["result"]["success"] is False
    assert verdict["result"]["score"]["raw"] == report["score"]
    assert verdict["result"]["score"]["scaled"] == pytest.approx(report["score"] / 100)
    assert verdict["context"]["extensions"][EXT + "critical-failures"] == ["3.3.c", "3.3.d"]
    assert verdict["context"]["extensions"][EXT + "mode"] == "training"
    findings = verdict["result"]["extensions"][EXT + "findings"]
    assert len(findings) == len(report["findings"])
    broken = [f for f in findings if f["clause"] == "3.3.c" and f["verdict"] != "met"]
    assert broken and broken[0]["critical"] is True and broken[0]["points_lost"] > 0
    assert set(findings[0]) == {"rule", "clause", "verdict", "critical", "points_lost", "at"}


def test_a_critical_failure_fails_even_above_the_pass_mark(failed):
    session, report = failed
    high = {**report, "score": 95.0, "passed": False}
    verdict = by_verb(statements(session, high))["failed"]
    assert verdict["result"]["success"] is False and verdict["result"]["score"]["scaled"] == 0.95


@pytest.mark.parametrize("status", ["running", "incomplete"])
def test_an_unfinished_session_is_only_launched_and_initialized(printer_jam, status):
    session = session_of(printer_jam, status=status, ended_at=None, duration_s=None)
    stmts = statements(session, None)
    assert [s["verb"]["display"]["en-US"] for s in stmts] == ["launched", "initialized"]
    assert all(validate(s) == [] and "result" not in s for s in stmts)
    # the same two statements open the finished session, so sending them early costs nothing
    finished = statements(session_of(printer_jam), {**_report(), "passed": True})
    assert stmts == finished[:2]


def _report() -> dict[str, Any]:
    return {
        "score": 88.5,
        "pass_mark": 80.0,
        "passed": True,
        "critical_failures": [],
        "findings": [],
        "invalid_attempts": [],
        "hints": {"used": 1, "points_lost": 2.0},
    }


def test_ids_are_stable_across_calls_and_differ_across_sessions(passed, failed):
    ids = [s["id"] for s in statements(*passed)]
    assert ids == [s["id"] for s in statements(*passed)]
    assert len(set(ids)) == 5
    assert not set(ids) & {s["id"] for s in statements(*failed)}
    assert all(uuid.UUID(i).version == 5 for i in ids)


def test_durations_are_iso_8601_and_fall_back_to_wall_time(printer_jam):
    assert iso_duration(312.4) == "PT5M12.4S"
    assert iso_duration(0) == "PT0S"
    assert iso_duration(3600) == "PT1H"
    assert iso_duration(3725.05) == "PT1H2M5.05S"
    with pytest.raises(ValueError, match="finite number of seconds"):
        iso_duration(-1)
    wall = statements(session_of(printer_jam, duration_s=None), _report())
    # 09:00:00.123 to 09:06:02.500, kept to the 0.01 s an LRS keeps
    assert by_verb(wall)["terminated"]["result"]["duration"] == "PT6M2.38S"


def test_a_session_missing_keys_is_refused_with_their_names(printer_jam):
    session = session_of(printer_jam)
    del session["seed"], session["mode"]
    with pytest.raises(ValueError, match="session lacks seed, mode"):
        statements(session, None)


@pytest.fixture(scope="module")
def verdict(passed) -> dict[str, Any]:
    statement = by_verb(statements(*passed))["passed"]
    assert validate(statement) == []
    return statement


def broken(statement: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy with one thing changed (value None deletes it)."""
    statement = copy.deepcopy(statement)
    *parents, last = path.split(".")
    node = statement
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return statement


@pytest.mark.parametrize(
    ("path", "value", "problem"),
    [
        ("id", "not-a-uuid", r"^id: must be a UUID"),
        ("actor.mbox", "mailto:a@b.test", r"exactly one of .* \(found mbox, account\)"),
        ("actor.account", None, r"exactly one of .* \(found none\)"),
        ("actor.account", {"homePage": "desk", "name": "0427"}, r"homePage: must be an IRL"),
        ("verb.id", "passed", r"^verb.id: must be an IRI"),
        ("verb.display", None, r"^verb.display: must be a language map"),
        ("verb.display", {"中文": "通过"}, r"not a language tag"),
        ("object.id", "printer jam", r"^object.id: must be an IRI"),
        ("object.objectType", "Agent", r"must be 'Activity'"),
        ("result.score.scaled", 1.5, r"scaled: must be within -1..1"),
        ("result.score.raw", 120, r"raw: 120 is outside min..max"),
        ("result.score.min", 100, r"min \(100\) must be below max"),
        ("result.score.raw", "100", r"raw: must be a number"),
        ("result.success", "yes", r"success: must be true or false"),
        ("result.duration", "5 minutes", r"must be an ISO 8601 duration"),
        ("result.duration", "PT", r"must be an ISO 8601 duration"),
        ("timestamp", "28/11/2026 09:00", r"^timestamp: must be ISO 8601"),
        ("timestamp", "2026-11-28T09:00:00", r"^timestamp: must be ISO 8601 with a time zone"),
        ("timestamp", "2026-13-28T09:00:00Z", r"^timestamp: must be ISO 8601"),
        ("result.extensions", {"findings": []}, r"key 'findings' is not an IRI"),
        ("context.extensions", {"seed": 3}, r"key 'seed' is not an IRI"),
        ("context.registration", "session-1", r"registration: must be a UUID"),
        ("stored", "2026-11-28T09:00:00Z", r"^stored: set by the LRS"),
        ("score", 100, r"^score: not a statement property"),
    ],
)
def test_validate_names_what_is_broken(verdict, path, value, problem):
    problems = validate(broken(verdict, path, value))
    assert len(problems) == 1, problems
    assert re.search(problem, problems[0]), problems[0]


def test_validate_refuses_what_is_not_a_statement():
    assert validate([]) == ["a statement must be a JSON object"]  # type: ignore[arg-type]
    assert {p.split(":")[0] for p in validate({})} == {"id", "actor", "verb", "object"}


# -- a real LRS ------------------------------------------------------------------------------


def _fresh(stmts_of: tuple[dict, dict]) -> tuple[dict, dict]:
    """The same session under a new uuid, so each test has its own registration in the LRS."""
    session, report = stmts_of
    return {**session, "uuid": str(uuid.uuid4())}, report


def _read_back(lrs, registration: str, **kw: Any) -> dict[str, dict]:
    got = fetch(
        lrs.url, username=lrs.username, password=lrs.password, registration=registration, **kw
    )
    return {s["id"]: s for s in got}


def test_statements_arrive_and_read_back_as_sent(lrs, passed, failed):
    for session, report in (_fresh(passed), _fresh(failed)):
        stmts = statements(session, report)
        result = send(stmts, lrs.url, username=lrs.username, password=lrs.password)
        assert (result.sent, result.already, result.failed) == (5, 0, 0), str(result)
        stored = _read_back(lrs, session["uuid"])
        assert set(stored) == {s["id"] for s in stmts}
        for ours in stmts:
            theirs = stored[ours["id"]]
            assert {k: theirs[k] for k in ours} == ours
            assert theirs["stored"] and theirs["authority"]  # the LRS's own additions


def test_sending_again_stores_nothing_twice(lrs, passed):
    session, report = _fresh(passed)
    early = statements({**session, "status": "running", "ended_at": None, "duration_s": None}, None)
    first = send(early, lrs.url, username=lrs.username, password=lrs.password)
    assert (first.sent, first.already, first.failed) == (2, 0, 0)
    stmts = statements(session, report)
    # batch=2 puts old and new statements together in one request
    for expected in [(3, 2, 0), (0, 5, 0)]:
        again = send(stmts, lrs.url, username=lrs.username, password=lrs.password, batch=2)
        assert (again.sent, again.already, again.failed) == expected, str(again)
    assert len(_read_back(lrs, session["uuid"])) == 5
    assert len(_read_back(lrs, session["uuid"], limit=2)) == 5  # following the LRS's "more"


def test_a_statement_changed_after_sending_is_reported_not_hidden(lrs, passed):
    session, report = _fresh(passed)
    stmts = statements(session, report)
    send(stmts, lrs.url, username=lrs.username, password=lrs.password)
    # the same session with another duration: completed and terminated keep their ids
    changed = statements({**session, "duration_s": 400.0}, report)
    result = send(changed, lrs.url, username=lrs.username, password=lrs.password)
    assert (result.sent, result.already, result.failed) == (0, 2, 3), str(result)
    done = by_verb(changed)["completed"]["id"]
    assert f"statement {done} (completed): the LRS already holds a different statement" in str(
        result
    )
    assert _read_back(lrs, session["uuid"])[done]["result"]["duration"] == "PT5M12.4S"


def test_a_rescored_session_sends_the_new_verdict_and_voids_the_old(lrs, passed):
    session, report = _fresh(passed)
    first = statements(session, report)
    send(first, lrs.url, username=lrs.username, password=lrs.password)
    rescored = {**report, "score": 86.2, "passed": True}
    later = statements(session, rescored, earlier=[(report, "2026-11-29T08:00:00.000Z")])
    assert all(validate(s) == [] for s in later), [validate(s) for s in later]
    old_verdict = by_verb(first)["passed"]["id"]
    voids = [s for s in later if s["verb"]["display"]["en-US"] == "voided"]
    assert [v["object"] for v in voids] == [{"objectType": "StatementRef", "id": old_verdict}]
    new_verdict = [s for s in later if s["verb"]["display"]["en-US"] == "passed"][-1]
    assert new_verdict["id"] != old_verdict
    result = send(later, lrs.url, username=lrs.username, password=lrs.password)
    # the new verdict and the voiding go in; the rest was there already, nothing clashes
    assert (result.sent, result.failed) == (2, 0), str(result)
    stored = fetch(lrs.url, username=lrs.username, password=lrs.password,
                   registration=session["uuid"])  # fmt: skip
    ids = {s["id"] for s in stored}
    assert new_verdict["id"] in ids and voids[0]["id"] in ids
    # the voiding points at the old verdict (Ralph 5.1 still lists a voided statement; an LRS
    # that applies voiding leaves it out, and either way a reader sees which verdict stands)
    stored_void = {s["id"]: s for s in stored}[voids[0]["id"]]
    assert stored_void["object"] == {"objectType": "StatementRef", "id": old_verdict}
    raw = {s["id"]: s for s in stored}[new_verdict["id"]]["result"]["score"]["raw"]
    assert raw == 86.2
    # and sending the same again changes nothing
    again = send(later, lrs.url, username=lrs.username, password=lrs.password)
    assert (again.sent, again.failed) == (0, 0), str(again)


def test_a_wrong_password_says_to_check_the_credentials(lrs, passed):
    stmts = statements(*_fresh(passed))
    result = send(stmts, lrs.url, username=lrs.username, password="wrong", backoff=0)
    assert (result.sent, result.failed) == (0, 5)
    assert result.messages == (
        f"the LRS at {lrs.url} refused the credentials of user 'desk' (HTTP 401 Invalid "
        "authentication credentials): check the username and password",
    )
    with pytest.raises(LRSError, match="refused the credentials of user 'desk'"):
        fetch(lrs.url, username="desk", password="wrong", registration=str(uuid.uuid4()))


def test_a_wrong_address_on_the_lrs_says_where_the_endpoint_is(lrs, passed):
    stmts = statements(*_fresh(passed))
    result = send(stmts, lrs.url + "/v1", username=lrs.username, password=lrs.password)
    assert result.failed == 5
    assert result.messages[0].startswith(f"no xAPI statements resource at {lrs.url}/v1/statements")


def test_an_unreachable_lrs_is_tried_again_then_named():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/xAPI"  # nothing listens once the socket is closed
    stmts = [{"id": str(uuid.uuid4())}] * 3
    result = send(stmts, url, username="u", password="p", retries=2, backoff=0.01)
    assert (result.sent, result.already, result.failed) == (0, 0, 3)
    assert result.messages == (
        f"cannot reach the LRS at {url} (Connection refused) after 3 attempts: check the "
        "address and that the LRS is running",
    )
    assert str(result).startswith("sent 0, already in the LRS 0, failed 3\ncannot reach")


class _ScriptedLRS(BaseHTTPRequestHandler):
    """Answers from a script: what another LRS might say where Ralph says something else."""

    script: list[tuple[int, Any]] = []
    seen: list[str] = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.seen.append(self.command)
        status, body = self.script.pop(0)
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args: Any) -> None:
        pass


def test_a_server_error_is_tried_again_and_a_409_for_the_same_statement_counts_as_there(passed):
    stmts = statements(*_fresh(passed))[:2]
    stored_launch = {**stmts[0], "stored": "2026-11-28T10:00:00Z", "authority": {}}
    _ScriptedLRS.script = [
        (503, {"detail": "busy"}),  # tried again
        (409, {"detail": "conflict"}),  # the batch: sent again one by one
        (409, {"detail": "conflict"}),  # launched is there (an LRS may say 409 for an equal one)
        (200, stored_launch),  # ... and its copy says what ours says
        (200, [stmts[1]["id"]]),  # initialized is new
    ]
    _ScriptedLRS.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _ScriptedLRS)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/xAPI"
        result = send(stmts, url, username="u", password="p", backoff=0.01)
    finally:
        server.shutdown()
        server.server_close()
    assert (result.sent, result.already, result.failed) == (1, 1, 0), str(result)
    assert _ScriptedLRS.seen == ["POST", "POST", "POST", "GET", "POST"]


class _DrippingLRS(BaseHTTPRequestHandler):
    """Sends its headers, then one byte of the body at a time, slowly (issue 14)."""

    def do_POST(self) -> None:  # noqa: N802 (the http.server name)
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        try:
            for _ in range(1000):
                self.wfile.write(b" ")
                self.wfile.flush()
                threading.Event().wait(0.2)
        except OSError:
            pass

    def log_message(self, *args: Any) -> None:
        pass


def test_an_lrs_that_answers_a_byte_at_a_time_cannot_hold_the_export(passed):
    import time

    stmts = statements(*_fresh(passed))[:1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), _DrippingLRS)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/xAPI"
        began = time.monotonic()
        result = send(stmts, url, username="u", password="p", timeout=1, deadline=1.5)
        took = time.monotonic() - began
    finally:
        server.shutdown()
        server.server_close()
    assert result.failed == 1 and took < 5, (took, str(result))
    assert "did not finish answering within 1.5 s" in str(result)

"""Sessions as xAPI 1.0.3 statements in the cmi5 pattern, and a check of such statements.

A session becomes launched, initialized, passed or failed, completed, terminated; an unfinished
one only launched and initialized. Every statement id is a uuid5 of the session uuid and the
verb, so sending the same session again never makes a second copy in the LRS. The passed or
failed statement's id also carries a digest of the result it reports: when a session is
re-scored, the new result goes as a new statement and the earlier one is voided (xAPI's
``voided`` verb), so the LRS holds the current verdict and the history of how it changed.

Pure functions over plain dicts (what :mod:`records.export` hands over): no database, no
pygame. Sending and reading back is :mod:`records.lrs`, re-exported here.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import urllib.parse
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from records.lrs import LRSError, SendResult, fetch, send

__all__ = ["LRSError", "SendResult", "fetch", "iso_duration", "send", "statements", "validate"]

CMI5_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/cmi5"
MOVEON_CATEGORY = "https://w3id.org/xapi/cmi5/context/categories/moveon"
SESSION_ID = "https://w3id.org/xapi/cmi5/context/extensions/sessionid"
LAUNCH_MODE = "https://w3id.org/xapi/cmi5/context/extensions/launchmode"
MOVE_ON = "https://w3id.org/xapi/cmi5/context/extensions/moveon"
SIMULATION = "http://adlnet.gov/expapi/activities/simulation"

# verb -> (IRI, zh-CN display, en-US display)
VERBS: dict[str, tuple[str, str, str]] = {
    "launched": ("http://adlnet.gov/expapi/verbs/launched", "启动", "launched"),
    "initialized": ("http://adlnet.gov/expapi/verbs/initialized", "开始", "initialized"),
    "passed": ("http://adlnet.gov/expapi/verbs/passed", "通过", "passed"),
    "failed": ("http://adlnet.gov/expapi/verbs/failed", "未通过", "failed"),
    "completed": ("http://adlnet.gov/expapi/verbs/completed", "完成", "completed"),
    "terminated": ("http://adlnet.gov/expapi/verbs/terminated", "结束", "terminated"),
}
VOIDED = ("http://adlnet.gov/expapi/verbs/voided", "作废", "voided")

_SESSION_KEYS = (
    "uuid",
    "trainee",
    "scenario",
    "procedure",
    "seed",
    "variant",
    "mode",
    "agent",
    "started_at",
    "ended_at",
    "duration_s",
    "status",
)


# -- statements ------------------------------------------------------------------------------


def statements(
    session: dict[str, Any],
    report: dict[str, Any] | None,
    *,
    homepage: str = "https://desk-trainer.local",
    earlier: Sequence[tuple[dict[str, Any], str]] = (),
) -> list[dict[str, Any]]:
    """The session's statements, oldest first.

    ``earlier`` holds the session's superseded results, oldest first, each with the time it was
    superseded (a re-score): each gets its own verdict statement, voided at that time, so
    sending after a re-score adds the new verdict and voids the old instead of clashing with it.

    Without a report the session is unfinished: launched and initialized only. No terminated is
    sent for it even when it is marked incomplete, because the records can resume such a session,
    cmi5 allows nothing after terminated, and a terminated sent now would clash (same id, other
    content) with the real one sent when it ends. Leaving a session that never ends is for the
    LMS to call abandoned.
    """
    missing = [k for k in _SESSION_KEYS if k not in session]
    if missing:
        raise ValueError(f"session lacks {', '.join(missing)}")
    home = homepage.rstrip("/")
    started = str(session["started_at"])
    # what cmi5 has an LMS say when it launches (there is no launch URL: the desk is a program)
    launch = {LAUNCH_MODE: "Normal", MOVE_ON: "CompletedAndPassed"}
    out = [
        _statement(session, home, "launched", started, more_context=launch),
        _statement(session, home, "initialized", started),
    ]
    if report is None:
        return out
    ended = _ended_at(session)
    current = _verdict(session, home, report, ended)
    for old, superseded_at in earlier:
        stale = _verdict(session, home, old, ended)
        if stale["id"] != current["id"]:
            out.append(stale)
            out.append(_void(stale, superseded_at))
    out.append(current)
    duration = _duration_of(session)
    done: dict[str, Any] = {"completion": True}
    if duration is not None:
        done["duration"] = duration
    out.append(_statement(session, home, "completed", ended, done, moveon=True))
    out.append(
        _statement(session, home, "terminated", ended, {"duration": duration} if duration else None)
    )
    return out


def _verdict(
    session: dict[str, Any], home: str, report: dict[str, Any], ended: str
) -> dict[str, Any]:
    """The passed or failed statement for one result of the session."""
    duration = _duration_of(session)
    passed = bool(report["passed"])
    verdict = "passed" if passed else "failed"
    score = float(report["score"])
    result: dict[str, Any] = {
        "score": {"scaled": round(score / 100, 4), "raw": score, "min": 0, "max": 100},
        "success": passed,
    }
    if duration is not None:
        result["duration"] = duration
    result["extensions"] = {
        _ext(home, "findings"): [
            {
                "rule": f["rule"],
                "clause": f["clause"],
                "verdict": f["verdict"],
                "critical": f["critical"],
                "points_lost": f["points_lost"],
                "at": f["at"],
            }
            for f in report["findings"]
        ],
        _ext(home, "hints"): report.get("hints", {"used": 0, "points_lost": 0.0}),
        _ext(home, "invalid-attempts"): len(report.get("invalid_attempts", [])),
    }
    # The pass mark goes in our own extension, not cmi5's masteryScore: a critical violation
    # fails a session whatever its score, which cmi5's rule that the verb agree with the
    # masteryScore would forbid.
    context = {
        _ext(home, "pass-mark"): report["pass_mark"],
        _ext(home, "critical-failures"): list(report["critical_failures"]),
    }
    digest = hashlib.sha256(
        json.dumps(report, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    ).hexdigest()[:16]
    return _statement(
        session, home, verdict, ended, result, context, moveon=True, key=f"{verdict}:{digest}"
    )


def _void(target: dict[str, Any], when: str) -> dict[str, Any]:
    """The statement that voids ``target`` (same learner and registration)."""
    iri, zh, en = VOIDED
    return {
        "id": str(
            uuid.uuid5(uuid.UUID(target["context"]["registration"]), f"voided:{target['id']}")
        ),
        "actor": target["actor"],
        "verb": {"id": iri, "display": {"zh-CN": zh, "en-US": en}},
        "object": {"objectType": "StatementRef", "id": target["id"]},
        "context": {"registration": target["context"]["registration"]},
        "timestamp": when,
    }


def _statement(
    session: dict[str, Any],
    home: str,
    verb: str,
    timestamp: str,
    result: dict[str, Any] | None = None,
    more_context: dict[str, Any] | None = None,
    *,
    moveon: bool = False,
    key: str | None = None,
) -> dict[str, Any]:
    registration = str(session["uuid"])
    iri, zh, en = VERBS[verb]
    trainee = session["trainee"]
    scenario = session["scenario"]
    categories = [{"objectType": "Activity", "id": CMI5_CATEGORY}]
    if moveon:
        categories.append({"objectType": "Activity", "id": MOVEON_CATEGORY})
    extensions: dict[str, Any] = {
        SESSION_ID: registration,
        _ext(home, "procedure"): session["procedure"],
        _ext(home, "scenario-sha256"): scenario["sha256"],
        _ext(home, "variant"): session["variant"],
        _ext(home, "seed"): session["seed"],
        _ext(home, "mode"): session["mode"],
    }
    if session.get("agent"):
        extensions[_ext(home, "agent")] = session["agent"]
    extensions.update(more_context or {})
    statement: dict[str, Any] = {
        "id": str(uuid.uuid5(uuid.UUID(registration), key or verb)),
        "actor": {
            "objectType": "Agent",
            "name": str(trainee.get("name") or trainee["id"]),
            "account": {"homePage": home, "name": str(trainee["id"])},
        },
        "verb": {"id": iri, "display": {"zh-CN": zh, "en-US": en}},
        "object": {
            "objectType": "Activity",
            "id": f"{home}/scenarios/{urllib.parse.quote(str(scenario['id']), safe='')}",
            "definition": {
                "name": {"zh-CN": scenario["title"]["zh"], "en-US": scenario["title"]["en"]},
                "type": SIMULATION,
            },
        },
        "context": {
            "registration": registration,
            "contextActivities": {"category": categories},
            "extensions": extensions,
        },
        "timestamp": timestamp,
    }
    if result is not None:
        statement["result"] = result
    return statement


def _ext(home: str, name: str) -> str:
    return f"{home}/xapi/extensions/{name}"


def _ended_at(session: dict[str, Any]) -> str:
    if session["ended_at"]:
        return str(session["ended_at"])
    start = _parse_time(str(session["started_at"]))
    if start is None or session["duration_s"] is None:
        return str(session["started_at"])
    end = start + timedelta(seconds=float(session["duration_s"]))
    return end.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _duration_of(session: dict[str, Any]) -> str | None:
    """Sim-seconds when the records have them (what the trainee lived), else wall time."""
    if session["duration_s"] is not None:
        return iso_duration(float(session["duration_s"]))
    start = _parse_time(str(session["started_at"]))
    end = _parse_time(str(session["ended_at"])) if session["ended_at"] else None
    if start is None or end is None or end < start:
        return None
    return iso_duration((end - start).total_seconds())


def iso_duration(seconds: float) -> str:
    """ISO 8601 duration to the 0.01 s an LRS keeps: 312.4 -> 'PT5M12.4S'."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"a duration must be a finite number of seconds >= 0, not {seconds!r}")
    cs = round(seconds * 100)
    hours, cs = divmod(cs, 360_000)
    minutes, cs = divmod(cs, 6_000)
    whole, frac = divmod(cs, 100)
    text = "PT" + (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if whole or frac or not (hours or minutes):
        text += str(whole) + (f".{frac:02d}".rstrip("0") if frac else "") + "S"
    return text


# -- validate --------------------------------------------------------------------------------

_UUID = re.compile(
    r"^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", re.I
)
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")
_DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
_TOP = {"id", "actor", "verb", "object", "result", "context", "timestamp", "attachments"}
_LRS_SET = {"stored", "authority", "version"}
_RESULT = {"score", "success", "completion", "response", "duration", "extensions"}
_SCORE = {"scaled", "raw", "min", "max"}
_CONTEXT = {
    "registration",
    "instructor",
    "team",
    "contextActivities",
    "revision",
    "platform",
    "language",
    "statement",
    "extensions",
}
_IFIS = ("mbox", "mbox_sha1sum", "openid", "account")


def validate(statement: dict[str, Any]) -> list[str]:
    """The xAPI 1.0.3 rules these statements rely on that ``statement`` breaks; [] when none."""
    if not isinstance(statement, dict):
        return ["a statement must be a JSON object"]
    problems: list[str] = []
    for key in sorted(statement.keys() - _TOP):
        if key in _LRS_SET:
            problems.append(f"{key}: set by the LRS; leave it out")
        else:
            problems.append(f"{key}: not a statement property (allowed: {', '.join(sorted(_TOP))})")
    sid = statement.get("id")
    if not (isinstance(sid, str) and _UUID.match(sid)):
        problems.append(f"id: must be a UUID, not {sid!r}")
    problems += _check_actor(statement.get("actor"))
    problems += _check_verb(statement.get("verb"))
    problems += _check_object(statement.get("object"))
    if "result" in statement:
        problems += _check_result(statement["result"])
    if "context" in statement:
        problems += _check_context(statement["context"])
    ts = statement.get("timestamp")
    if "timestamp" in statement and not (isinstance(ts, str) and _parse_time(ts)):
        problems.append(f"timestamp: must be ISO 8601 with a time zone, not {ts!r}")
    return problems


def _check_actor(actor: Any) -> list[str]:
    if not isinstance(actor, dict):
        return ["actor: missing"]
    problems = []
    if actor.get("objectType", "Agent") != "Agent":
        problems.append(f"actor.objectType: must be 'Agent', not {actor.get('objectType')!r}")
    ifis = [k for k in _IFIS if k in actor]
    if len(ifis) != 1:
        found = ", ".join(ifis) or "none"
        problems.append(f"actor: needs exactly one of {', '.join(_IFIS)} (found {found})")
    if "mbox" in actor and not str(actor["mbox"]).startswith("mailto:"):
        problems.append(f"actor.mbox: must be a mailto: IRI, not {actor['mbox']!r}")
    account = actor.get("account")
    if account is not None:
        if not (isinstance(account, dict) and _is_iri(account.get("homePage"))):
            problems.append("actor.account.homePage: must be an IRL")
        if not (isinstance(account, dict) and isinstance(account.get("name"), str)):
            problems.append("actor.account.name: must be a string")
    if "name" in actor and not isinstance(actor["name"], str):
        problems.append("actor.name: must be a string")
    return problems


def _check_verb(verb: Any) -> list[str]:
    if not isinstance(verb, dict):
        return ["verb: missing"]
    problems = []
    if not _is_iri(verb.get("id")):
        problems.append(f"verb.id: must be an IRI, not {verb.get('id')!r}")
    problems += _check_language_map("verb.display", verb.get("display"))
    return problems


def _check_object(obj: Any) -> list[str]:
    if not isinstance(obj, dict):
        return ["object: missing"]
    problems = []
    if obj.get("objectType") == "StatementRef":  # what a voiding statement points at
        if not (isinstance(obj.get("id"), str) and _UUID.match(obj["id"])):
            problems.append(
                f"object.id: a StatementRef needs a statement UUID, not {obj.get('id')!r}"
            )
        return problems
    if obj.get("objectType", "Activity") != "Activity":
        problems.append(f"object.objectType: must be 'Activity', not {obj.get('objectType')!r}")
    if not _is_iri(obj.get("id")):
        problems.append(f"object.id: must be an IRI, not {obj.get('id')!r}")
    definition = obj.get("definition")
    if definition is not None:
        if not isinstance(definition, dict):
            problems.append("object.definition: must be an object")
        else:
            if "name" in definition:
                problems += _check_language_map("object.definition.name", definition["name"])
            if "type" in definition and not _is_iri(definition["type"]):
                problems.append("object.definition.type: must be an IRI")
    return problems


def _check_result(result: Any) -> list[str]:
    if not isinstance(result, dict):
        return ["result: must be an object"]
    problems = [f"result.{k}: not a result property" for k in sorted(result.keys() - _RESULT)]
    for flag in ("success", "completion"):
        if flag in result and not isinstance(result[flag], bool):
            problems.append(f"result.{flag}: must be true or false")
    if "duration" in result and not (
        isinstance(result["duration"], str) and _DURATION.match(result["duration"])
    ):
        problems.append(
            f"result.duration: must be an ISO 8601 duration, not {result['duration']!r}"
        )
    if "score" in result:
        problems += _check_score(result["score"])
    problems += _check_extensions("result.extensions", result.get("extensions"))
    return problems


def _check_score(score: Any) -> list[str]:
    if not isinstance(score, dict):
        return ["result.score: must be an object"]
    problems = [f"result.score.{k}: not a score property" for k in sorted(score.keys() - _SCORE)]
    nums = {}
    for k in _SCORE & score.keys():
        v = score[k]
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            problems.append(f"result.score.{k}: must be a number, not {v!r}")
        else:
            nums[k] = float(v)
    if "scaled" in nums and not -1 <= nums["scaled"] <= 1:
        problems.append(f"result.score.scaled: must be within -1..1, not {score['scaled']}")
    lo, hi = nums.get("min"), nums.get("max")
    if lo is not None and hi is not None and lo >= hi:
        problems.append(f"result.score: min ({score['min']}) must be below max ({score['max']})")
    raw = nums.get("raw")
    if raw is not None and ((lo is not None and raw < lo) or (hi is not None and raw > hi)):
        problems.append(f"result.score.raw: {score['raw']} is outside min..max")
    return problems


def _check_context(context: Any) -> list[str]:
    if not isinstance(context, dict):
        return ["context: must be an object"]
    problems = [f"context.{k}: not a context property" for k in sorted(context.keys() - _CONTEXT)]
    reg = context.get("registration")
    if "registration" in context and not (isinstance(reg, str) and _UUID.match(reg)):
        problems.append(f"context.registration: must be a UUID, not {reg!r}")
    activities = context.get("contextActivities", {})
    if not isinstance(activities, dict):
        problems.append("context.contextActivities: must be an object")
        activities = {}
    for kind, acts in activities.items():
        if kind not in ("parent", "grouping", "category", "other"):
            problems.append(f"context.contextActivities.{kind}: not a context activity list")
            continue
        for act in acts if isinstance(acts, list) else [acts]:
            if not (isinstance(act, dict) and _is_iri(act.get("id"))):
                problems.append(f"context.contextActivities.{kind}: an Activity needs an IRI id")
    problems += _check_extensions("context.extensions", context.get("extensions"))
    return problems


def _check_extensions(where: str, extensions: Any) -> list[str]:
    if extensions is None:
        return []
    if not isinstance(extensions, dict):
        return [f"{where}: must be an object"]
    return [f"{where}: key {k!r} is not an IRI" for k in extensions if not _is_iri(k)]


def _check_language_map(where: str, value: Any) -> list[str]:
    if not (isinstance(value, dict) and value):
        return [f"{where}: must be a language map such as {{'zh-CN': '…'}}"]
    return [
        f"{where}: {k!r} is not a language tag or its text is not a string"
        for k, v in value.items()
        if not (isinstance(k, str) and _LANG.match(k) and isinstance(v, str))
    ]


def _is_iri(value: Any) -> bool:
    return isinstance(value, str) and bool(_IRI.match(value))


def _parse_time(text: str) -> datetime | None:
    if not _TIMESTAMP.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None

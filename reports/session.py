"""The debrief of one recorded session: its result clause by clause, critical failures first,
and a timeline of what happened, what the clerk did and what the scorer found, in sim time."""

from __future__ import annotations

from typing import Any

from records.db import Records, SessionRow
from reports.charts import Mark, clock, timeline
from reports.page import ClauseBook, render, who
from sim.i18n import tr
from sim.scenario import LoadedScenario, Variant
from sim.trace import TraceEntry
from sim.vocabulary import vocabulary

__all__ = ["session_report", "describe", "finding_rows"]

# replies the scenarios tag as wrong whatever the moment
_BAD_TAGS = vocabulary().bad_tags
# derived events that are the clerk's mistakes made visible
_BAD_EVENTS = {"unverified_submission", "erroneous_submission", "queue_long"}
_QUIET = {"session_start", "session_end", "customer_mood"}


def _short(text: str, most: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= most else text[: most - 1] + "…"


class _Scene:
    """The recorded scenario and variant, to put trace entries into words."""

    def __init__(self, loaded: LoadedScenario, variant: str, lang: str) -> None:
        s = loaded.scenario
        self.scenario = s
        self.variant: Variant = next((v for v in s.variants if v.id == variant), s.variants[0])
        self.lang = lang
        self.replies = {
            r.id: (r.en if lang == "en" and r.en else r.zh)
            for c in s.customers
            for node in c.dialogue.values()
            for r in node.replies
        }

    def line(self, customer: str | None, node: str | None) -> str | None:
        for c in self.scenario.customers:
            if customer not in (None, c.id) or node not in c.dialogue:
                continue
            return self.variant.fill(c.dialogue[node].says.get(self.lang), self.lang)
        return None

    def reply(self, reply: str) -> str | None:
        raw = self.replies.get(reply)
        return self.variant.fill(raw, self.lang) if raw is not None else None


def describe(e: TraceEntry, scene: _Scene, most: int = 80) -> str:
    """One trace entry in words: the action or event, its module, the reply quoted (shortened),
    the reply's tags, the fault's kind, why an attempt failed."""
    lang = scene.lang
    vocab = vocabulary()
    if e.name == "customer_says":
        said = scene.line(e.arg("customer"), e.arg("node"))
        if said:
            return tr("words.customer_asks", lang, line=_short(said, most))
    spec = vocab.actions.get(e.name) or vocab.events.get(e.name)
    text = spec.label(lang) if spec else e.name
    module = e.arg("module")
    if module and module in vocab.modules:
        text += tr("words.colon", lang) + vocab.modules[module].get(lang)
    reply = e.arg("reply")
    if reply is not None:
        quoted = scene.reply(reply)
        if quoted:
            text += tr("words.colon", lang) + "“" + _short(quoted, most) + "”"
    if e.tags:
        text += "（" + "、".join(tr(f"tag.{t}", lang) for t in e.tags) + "）"
    kind = e.arg("kind")
    if kind and e.kind == "event":
        text += "（" + tr(f"fault.{kind}", lang) + "）"
    if e.kind == "action" and not e.valid:
        text += tr("words.invalid", lang, reason=tr(f"precondition.{e.reason}", lang))
    return text


def _short_label(e: TraceEntry, lang: str) -> str:
    """What a mark on the timeline says: the action or event name, a tag or fault kind."""
    vocab = vocabulary()
    spec = vocab.actions.get(e.name) or vocab.events.get(e.name)
    text = spec.label(lang) if spec else e.name
    if e.name == "say" and e.tags:
        text = tr(f"tag.{e.tags[0]}", lang)
    module = e.arg("module")
    if module and module in vocab.modules:
        text = vocab.modules[module].get(lang)
    kind = e.arg("kind")
    if kind and e.kind == "event":
        text += "（" + tr(f"fault.{kind}", lang) + "）"
    return text


def _marks(events: list[TraceEntry], findings: list[dict[str, Any]], scene: _Scene) -> list[Mark]:
    lang = scene.lang
    marks: list[Mark] = []
    for e in events:
        if e.name in _QUIET:
            continue
        tip = f"{clock(e.t)} {describe(e, scene, 60)}"
        if e.kind == "event":
            if e.name == "customer_says":
                marks.append(Mark(e.t, 0, "tick", "said", None, tip))
                continue
            cls = "hazard" if e.name == "hazard_reported" else (
                "bad" if e.name in _BAD_EVENTS else "event")  # fmt: skip
            prio = 0 if cls != "event" else 1
            marks.append(Mark(e.t, 0, "tri", cls, _short_label(e, lang), tip, prio))
            continue
        if not e.valid:
            marks.append(Mark(e.t, 1, "cross", "bad", _short_label(e, lang), tip, 1))
        elif e.name == "say":
            cls = "safety" if "safety" in e.tags else (
                "bad" if _BAD_TAGS & set(e.tags) else "say")  # fmt: skip
            marks.append(Mark(e.t, 1, "dot", cls, _short_label(e, lang), tip, 0 if cls else 2))
        else:
            marks.append(Mark(e.t, 1, "dot", "act", _short_label(e, lang), tip, 2))
    for f in findings:
        if f["at_s"] is None:
            continue
        tip = f"{f['at']} {f['clause']} {f['verdict_text']}：{f['evidence']}"
        if f["verdict"] == "met":
            marks.append(Mark(f["at_s"], 2, "dot", "ok", f["clause"], tip, 3))
        else:
            cls = "bad" if f["critical"] else "warn"
            marks.append(
                Mark(f["at_s"], 2, "diamond", cls, f["clause"], tip, 0 if f["critical"] else 1)
            )
    return marks


def _order(f: dict[str, Any]) -> int:
    if f["verdict"] != "met" and f["critical"]:
        return 0
    return 1 if f["verdict"] != "met" else 2


def finding_rows(report: dict[str, Any], book: ClauseBook, lang: str) -> list[dict[str, Any]]:
    """The report's findings for a table: critical failures first, then the other breaches,
    then what was met; each with the clause text it was judged by."""
    rows = []
    for f in report.get("findings", []):
        zh, en = book.text(f["clause"], lang)
        rows.append(
            {
                "clause": f["clause"],
                "rule": f["rule"],
                "verdict": f["verdict"],
                "verdict_text": tr(f"verdict.{f['verdict']}", lang),
                "critical": bool(f["critical"]),
                "points_lost": f["points_lost"],
                "at_s": f["at"],
                "at": "—" if f["at"] is None else clock(f["at"]),
                "evidence": f["evidence"],
                "clause_text": f.get("clause_text") or zh,
                "clause_text_en": (f.get("clause_text_en") or en) if lang == "en" else None,
            }
        )
    return sorted(rows, key=_order)


def session_data(records: Records, row: SessionRow, lang: str) -> dict[str, Any]:
    res = records.current_result(row.id)
    report = res.report if res else None
    loaded = records.scenario(row)
    scene = _Scene(loaded, row.variant, lang)
    meta = loaded.scenario.scenario
    book = ClauseBook(records, [res.procedure_sha256] if res else [row.procedure_sha256])
    findings = finding_rows(report, book, lang) if report else []
    events = records.events(row.id)
    limit = row.time_limit or meta.time_limit  # a drill may set its own
    duration = row.sim_end or (events[-1].t if events else 0.0) or float(limit)
    lanes = [tr(f"reports.session.lane_{k}", lang) for k in ("events", "actions", "findings")]
    chart = timeline(
        duration,
        _marks(events, findings, scene),
        lanes,
        label=tr("reports.session.timeline", lang),
    )
    log = [
        {
            "at": clock(e.t),
            "kind": e.kind,
            "valid": e.valid,
            "bad": bool(_BAD_TAGS & set(e.tags)) or e.name in _BAD_EVENTS or not e.valid,
            "safety": "safety" in e.tags,
            "text": describe(e, scene),
        }
        for e in events
        if e.name not in _QUIET
    ]
    signed = None
    if res is not None:
        found = records.conn.execute(
            "SELECT signature, key_id FROM results WHERE id = ?", (res.id,)
        ).fetchone()
        signed = found[1] if found and found[0] else None
    attempt = None
    if row.drill:
        attempt = records.conn.execute(
            "SELECT id, drill_id, attempt FROM drill_attempts WHERE uuid = ?", (row.drill,)
        ).fetchone()
    return {
        "row": row,
        "who": who(records, row.trainee_id),
        "title": meta.title.get(lang),
        "variant": scene.variant.name(lang),
        "kind": tr(f"kind.{meta.kind}", lang),
        "report": report,
        "result": res,
        "signed_by": signed,
        "attempt": attempt,
        "findings": findings,
        "critical": [f for f in findings if f["critical"] and f["verdict"] != "met"],
        "broken": [f for f in findings if f["verdict"] != "met"],
        "chart": chart,
        "log": log,
        "invalid": [
            {
                "at": clock(a["t"]),
                "action": describe(TraceEntry(a["t"], "action", a["action"]), scene),
                "reason": tr(f"precondition.{a['reason']}", lang),
            }
            for a in (report or {}).get("invalid_attempts", [])
        ],
    }


def session_report(records: Records, ref: int | str, lang: str = "zh") -> str:
    """The debrief of session ``ref`` (number or uuid) as one HTML page."""
    row = records.session(ref)
    return render("session.html.j2", lang, **session_data(records, row, lang))

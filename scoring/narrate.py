"""Words for a result: the one place a finding, a trace entry or a rule's pattern becomes a
sentence, in the reader's language.

The desk's debrief, the command line's text and ``--json`` words, the HTML reports and lint
all ask a ``Narrator``. A stored result holds none of these words (``scoring.result``), so a
sentence can be reworded, or read in English for a session played in Chinese, without
touching a signed record.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Sequence
from typing import Any

from scoring.procedure import Procedure
from scoring.result import Evidence, Finding, Report, ordered
from scoring.words import tr
from sim.i18n import clock
from sim.scenario import Pattern, Scenario, Variant
from sim.trace import TraceEntry
from sim.vocabulary import Vocabulary, vocabulary

__all__ = ["Narrator", "render_text", "render_json", "words"]


def _short(text: str, most: int | None) -> str:
    text = " ".join(text.split())
    if most is None or len(text) <= most:
        return text
    return text[: most - 1] + "…"


class Narrator:
    """Names of actions, events, replies and findings for one scenario, variant and language."""

    def __init__(
        self,
        scenario: Scenario,
        variant: str | Variant | None,
        lang: str,
        procedure: Procedure | None = None,
        vocab: Vocabulary | None = None,
        trace: Sequence[TraceEntry] | None = None,
    ) -> None:
        self.scenario = scenario
        # the session's trace, where known: an action is named as the module it was taken in
        # calls it (提交业务工单 is 派发抢修工单 in the repair module)
        self.trace = trace
        self._chosen_at: list[int] = []  # where in the trace a module was chosen, in order
        self._chosen: list[str | None] = []  # ... and which
        self._scanned = 0
        if isinstance(variant, Variant):
            self.variant = variant
        else:
            self.variant = next(
                (v for v in scenario.variants if v.id == variant), scenario.variants[0]
            )
        self.lang = lang
        self.procedure = procedure
        self.vocab = vocab or vocabulary()

    # -- small words -----------------------------------------------------------------------

    def w(self, key: str, **params: Any) -> str:
        return tr(key, self.lang, **params)

    def fill(self, text: str) -> str:
        return self.variant.fill(text, self.lang)

    def label(self, name: str, at: int | None = None) -> str:
        """An action's or event's name; ``at``: its place in the trace, for the module then."""
        action = self.vocab.actions.get(name)
        if action is not None:
            return action.label(self.lang, self.module_at(at) if action.in_module else None)
        event = self.vocab.events.get(name)
        return event.label(self.lang) if event else name

    def module_at(self, at: int | None) -> str | None:
        """The business module open at the trace's entry ``at`` (None: not known)."""
        if at is None or not self.trace:
            return None
        trace = self.trace
        # where the modules were chosen, found once (a live trace: only what is new is read)
        for i in range(self._scanned, len(trace)):
            e = trace[i]
            if e.kind == "action" and e.valid and e.name == "select_module":
                self._chosen_at.append(i)
                self._chosen.append(e.arg("module"))
        self._scanned = len(trace)
        k = bisect_right(self._chosen_at, at) - 1
        return self._chosen[k] if k >= 0 else None

    def module(self, module: str | None) -> str | None:
        if module and module in self.vocab.modules:
            return self.vocab.modules[module].get(self.lang)
        return None

    def field(self, name: str | None) -> str | None:
        """A field of an application, as the form labels it."""
        if not name:
            return None
        spec = self.vocab.fields.get(name)
        return spec.get(self.lang) if spec is not None else name

    def paper(self, kind: str) -> str:
        """A kind of paper on the counter, or the customer's form."""
        spec = self.vocab.papers.get(kind)
        return spec.get(self.lang) if spec is not None else kind

    def tags(self, tags: tuple[str, ...] | None, sep_key: str = "words.and") -> str:
        return self.w(sep_key).join(self.w(f"tag.{t}") for t in tags or ())

    def paren(self, text: str) -> str:
        return self.w("words.paren", text=text)

    def verdict(self, verdict: str) -> str:
        return self.w(f"verdict.{verdict}")

    def citation(self, cites: str) -> str:
        """What a finding cites, as shown: the clause id, or "本厅规定" for the hall's own
        plan (a local instruction)."""
        return self.w("words.local") if cites.startswith("local:") else cites

    def clause_text(self, clause: str, lang: str | None = None) -> str:
        """The clause's text (the Chinese is the authority; English is a reading aid), or the
        local instruction's, as the scenario's briefing gives it."""
        lang = lang or self.lang
        if clause.startswith("local:"):
            text = self.scenario.instructions.get(clause.removeprefix("local:"))
            return self.variant.fill(text.get(lang), lang) if text is not None else ""
        if self.procedure is None:
            return ""
        try:
            return self.procedure.clause(clause).text(lang)
        except KeyError:
            return ""

    def clause_texts(self, f: Finding, lang: str | None = None) -> str:
        """The text of every clause a finding rests on (its own, then any ``also``)."""
        texts = [self.clause_text(c, lang) for c in (f.clause, *f.also)]
        return self.w("words.list_sep").join(t for t in texts if t)

    def customer_name(self, cid: str | None) -> str:
        for c in self.scenario.customers:
            if c.id == cid:
                return self.fill(c.name.get(self.lang))
        return cid or ""

    def customer_line(self, customer: str | None, node: str | None, most: int | None) -> str | None:
        """What the customer said at ``node``."""
        for c in self.scenario.customers:
            if customer not in (None, c.id) or node not in c.dialogue:
                continue
            return _short(self.fill(c.dialogue[node].says.get(self.lang)), most)
        return None

    def reply_text(self, reply: str, most: int | None = None) -> str | None:
        """What the clerk said, choosing ``reply``."""
        found = self.scenario.locate_reply(reply)
        if found is None:
            return None
        return _short(self.fill(found.reply.text().get(self.lang)), most)

    # -- entries and patterns --------------------------------------------------------------

    def describe(
        self,
        e: TraceEntry,
        most: int | None = 80,
        reply_most: int | None = -1,
        at: int | None = None,
    ) -> str:
        """One trace entry in words: the action or event, its module, the reply quoted, the
        reply's tags, the fault's kind, why an attempt was refused. A customer's line is cut
        to ``most`` characters, the clerk's reply to ``reply_most`` (-1: the same)."""
        if reply_most == -1:
            reply_most = most
        if e.name == "customer_says":
            line = self.customer_line(e.arg("customer"), e.arg("node"), most)
            if line:
                return self.w("words.customer_asks", line=line)
        text = self.label(e.name, at)
        if e.name in ("injected", "inject"):  # which incident: its title at the console
            which = self.scenario.injection(e.arg("event") or "")
            shown = which.title.get(self.lang) if which is not None else e.arg("event")
            if e.name == "inject":
                text = self.w("words.inject")
            if shown:
                text += self.w("words.colon") + self.fill(shown)
        module = self.module(e.arg("module"))
        if module:
            text += self.w("words.colon") + module
        reply = e.arg("reply")
        if reply is not None:
            quoted = self.reply_text(reply, reply_most)
            if quoted:
                text += self.w("words.colon") + self.w("words.quote", text=quoted)
            if e.tags:
                text += self.paren(self.tags(e.tags))
        customer = e.arg("customer")
        if customer and e.kind == "action" and e.name != "say":
            text += self.w("words.colon") + self.customer_name(customer)
        if customer and e.kind == "event" and e.name != "customer_says":
            who = self.customer_name(customer)
            if who and who != customer:  # whose the event is: "王磊 (…)"
                text += self.w("words.colon") + who
        reason = e.arg("reason")
        if reason and e.kind == "event" and reason != "served":
            text += self.paren(self.w(f"leave.{reason}"))
        kind = e.arg("kind")
        if kind and e.kind == "event":
            text += self.paren(self.w(f"fault.{kind}"))
        field = self.field(e.arg("field"))
        source = e.arg("source")
        if field and source:  # one field entered from one paper
            taken = self.w("words.taken_from", paper=self.paper(source))
            text += self.w("words.colon") + field + self.paren(taken)
        elif field:
            text += self.paren(field)
        paper = e.arg("paper")
        if paper:
            text += self.paren(self.paper(paper))
        note = self.scenario.notes.get(e.arg("note") or "")
        if note is not None:  # what the system showed
            text += self.paren(self.fill(note.get(self.lang)))
        if e.kind == "action" and not e.valid:
            text += self.w("words.invalid", reason=self.w(f"precondition.{e.reason}"))
        return text

    def entry(self, e: TraceEntry, at: int | None = None) -> str:
        """A trace entry named inside a sentence (quoted, a customer's line shortened)."""
        return self.w("words.name", text=self.describe(e, 30, None, at))

    def pattern(self, m: Pattern) -> str:
        """How a rule's pattern reads: «选择业务模块：故障报修», «答复客户（误导）»."""
        if m.name == "customer_says" and m.args and "node" in m.args:
            line = self.customer_line(m.args.get("customer"), m.args["node"], 30)
            if line:
                return self.w("words.name", text=self.w("words.customer_asks", line=line))
        text = self.label(m.name)
        module = self.module((m.args or {}).get("module"))
        if module:
            text += self.w("words.colon") + module
        elif m.args:
            values = [self.customer_name(v) if k == "customer" else v for k, v in m.args.items()]
            text += self.paren(self.w("words.and").join(values))
        if m.tags:
            text += self.paren(self.tags(m.tags, "words.or"))
        return self.w("words.name", text=text)

    def mark_label(self, e: TraceEntry) -> str:
        """A few words for a mark on a timeline: the name, a reply's tag, a fault's kind."""
        text = self.label(e.name)
        if e.name == "say" and e.tags:
            text = self.w(f"tag.{e.tags[0]}")
        module = self.module(e.arg("module"))
        if module:
            text = module
        kind = e.arg("kind")
        if kind and e.kind == "event":
            text += self.paren(self.w(f"fault.{kind}"))
        return text

    # -- findings --------------------------------------------------------------------------

    def evidence(self, ev: Evidence | Finding) -> str:
        """The sentence for a finding's evidence."""
        if isinstance(ev, Finding):
            ev = ev.evidence
        if ev.text is not None:  # a result stored in format 1 kept its words
            return ev.text
        params: dict[str, str] = {}
        for role, ref in ev.entries:
            params[role] = self.entry(ref.entry, ref.i)
        for role, pat in ev.patterns:
            params.setdefault(role, self.pattern(pat))
        trig, what = ev.entry("trigger"), ev.entry("what")
        first, then = ev.entry("first"), ev.entry("then")
        if trig is not None:
            params["t0"] = clock(trig.t)
        if what is not None:
            params["t"] = clock(what.t)
        if then is not None:
            params["t"] = params["t2"] = clock(then.t)
        if first is not None:
            params["t1"] = clock(first.t)
        if ev.elapsed is not None:
            params["dt"] = f"{ev.elapsed:g}"
        if ev.window is not None and ev.window.within is not None:
            params["within"] = f"{ev.window.within:g}"
        expected = ev.pattern("what")
        if expected is not None:
            params["expected"] = self.pattern(expected)
        case = ev.case
        if case == "never_in_window":
            has_after, has_until = ev.pattern("trigger"), ev.pattern("until")
            case = (
                "never_between"
                if has_after and has_until
                else "never_after"
                if has_after
                else "never_until"
            )
        return self.w(f"evidence.{case}", **params)

    def finding_line(self, f: Finding) -> str:
        """One line of the text debrief: mark, clause, verdict, points, evidence."""
        mark = "✔" if not f.lost else ("✖" if f.critical else "✘")
        if f.verdict == "not_applicable":
            mark = "–"
        lost = self.w("report.lost", points=f"{f.points_lost:g}") if f.points_lost else ""
        crit = self.w("report.critical_tag") if f.critical and f.lost else ""
        cites = self.citation(f.clause)
        return f"{mark} {cites} {crit}{self.verdict(f.verdict)}{lost}  {self.evidence(f)}"


def words(report: Report, narrator: Narrator) -> dict[str, Any]:
    """The words of a report in the narrator's language, for ``--json`` readers."""
    n = narrator
    return {
        "lang": n.lang,
        "title": n.scenario.scenario.title.get(n.lang),
        "variant": n.variant.name(n.lang),
        "verdict": n.w("report.passed" if report.passed else "report.failed"),
        "findings": [
            {
                "rule": f.rule,
                "verdict": n.verdict(f.verdict),
                "evidence": n.evidence(f),
                "cites": n.citation(f.clause),
                "clause_text": n.clause_texts(f),
            }
            for f in report.findings
        ],
    }


def render_json(report: Report, narrator: Narrator) -> str:
    """The ``--json`` report: the result's data, then its words; stable key order, Chinese
    kept as text, one trailing newline."""
    body = report.to_dict()
    body["words"] = words(report, narrator)
    return json.dumps(body, ensure_ascii=False, indent=2) + "\n"


def render_text(report: Report, narrator: Narrator) -> str:
    """The debrief as text: critical failures first, each finding with its clause text."""
    n = narrator
    verdict = n.w("report.passed" if report.passed else "report.failed")
    lines = [
        n.w(
            "report.header",
            title=n.scenario.scenario.title.get(n.lang),
            id=report.scenario,
            variant=n.variant.name(n.lang),
            seed=report.seed,
            procedure=report.procedure,
        ),
        n.w(
            "report.score",
            score=f"{report.score:g}",
            pass_mark=f"{report.pass_mark:g}",
            verdict=verdict,
        ),
    ]
    if report.critical_failures:
        lines.append(
            n.w("report.critical", clauses=n.w("words.and").join(report.critical_failures))
        )
    if report.hints_used:
        lines.append(n.w("report.hints", n=report.hints_used, points=f"{report.hint_points:g}"))
    if report.pauses:
        lines.append(n.w("report.pauses", n=report.pauses, seconds=f"{report.paused_s:g}"))
    lines.append("")
    for f in ordered(report.findings):
        lines.append(n.finding_line(f))
        key = "report.local_text" if f.source == "local" else "report.clause_text"
        lines.append("    " + n.w(key, text=n.clause_texts(f)))
    if report.invalid_attempts:
        lines.append("")
        lines.append(n.w("report.invalid_header", n=len(report.invalid_attempts)))
        for a in report.invalid_attempts:
            lines.append(
                "    "
                + n.w(
                    "report.invalid_line",
                    t=clock(a.t),
                    action=n.label(a.action),
                    reason=n.w(f"precondition.{a.reason}"),
                )
            )
    return "\n".join(lines) + "\n"

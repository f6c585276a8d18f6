"""The scenario linter: what ``validate`` checks, and what only playing the scenario shows.

Each finding names its file and line, says what is wrong and how to fix it, in the chosen
language (the words are in ``sim/locale/*.yaml`` under ``authoring``). Errors make a scenario
unusable or unfair; warnings are worth a look. Checks:

- ``validate``: everything the loader refuses (the YAML, the fields, the cross-references);
- ``unknown_clause``, ``unknown_name``: rules citing clauses or actions/events that do not exist;
- ``unreachable_node``, ``unreachable_customer``: dialogue nobody can ever hear (what an
  injectable incident brings counts: an instructor can throw it in);
- ``injected_unscored``: an injectable incident none of whose events any rule is triggered by or
  matches (injected, nothing would score it);
- ``expert_fails``: a rule even the expert (who follows the procedure) cannot meet;
- ``never_broken``, ``never_triggered``: a rule no scripted trainee ever breaks (a rule only an
  injected incident brings into play is judged on runs with it thrown in);
- ``after_limit``, ``trigger_after_limit``: events scheduled after the time limit;
- ``drill_after_limit``, ``drill_expert``: a drill's own time limit cuts a scenario short;
- ``font_missing``, ``glyph_missing``: the desk's font, and characters it cannot draw;
- ``uncovered``, ``scope_stale``: clauses no scenario scores and no reason is given for
  (only when the whole set is linted);
- ``clause_removed``, ``clause_changed``: against a new procedure edition (``--procedure``).
"""

from __future__ import annotations

import difflib
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from authoring.glyphs import FONT_FILE, missing_glyphs
from authoring.probes import (
    PATTERNS,
    Run,
    expert_runs,
    gaming_runs,
    injected_runs,
    probe_runs,
)
from authoring.words import tr
from scoring.coverage import SCOPE_FILE, Scope, coverage
from scoring.narrate import Narrator
from scoring.procedure import Procedure
from sim.drill import DRILL_DIR, DrillScenario, drill_files, load_drill
from sim.errors import InputError, Problem, ScenarioError
from sim.library import resolve, scenario_files
from sim.path import PATH_DIR, load_path, path_files
from sim.scenario import (
    SCENARIO_DIR,
    Before,
    FirstAfter,
    LoadedScenario,
    Required,
    Response,
    Rule,
    Scenario,
    _cross_check,
    _MatchBody,
    load_scenario,
)
from sim.validation import validate_located
from sim.vocabulary import vocabulary
from sim.yamlio import Located, load_yaml, load_yaml_text

__all__ = ["Finding", "LintResult", "lint", "lint_scenario_bytes", "Edition"]

Severity = Literal["error", "warning"]
MATCH_FIELDS = ("what", "after", "until", "first", "then", "trigger")


@dataclass(frozen=True)
class Finding:
    severity: Severity
    check: str
    file: str
    line: int | None
    message: str
    fix: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "check": self.check,
            "file": self.file,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
        }

    def render(self, lang: str) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        label = tr(f"authoring.severity.{self.severity}", lang)
        fix = tr("authoring.fix", lang)
        return f"{where}: {label} [{self.check}] {self.message}\n    {fix}{self.fix}"


@dataclass
class LintResult:
    files: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.to_dict() for f in self.findings],
        }


@dataclass(frozen=True)
class Edition:
    """A procedure edition and the file it came from (for the lines of its clauses)."""

    procedure: Procedure
    file: str

    def clause_line(self, clause: str) -> int | None:
        try:
            doc = load_yaml(self.file)
        except ScenarioError:
            return None
        for i, c in enumerate(doc.data.get("clauses", []) if isinstance(doc.data, dict) else []):
            if isinstance(c, dict) and c.get("id") == clause:
                return doc.line(("clauses", i, "id"))
        return None


class _Ctx:
    def __init__(self, edition: Edition, new: Edition | None, lang: str, dynamic: bool) -> None:
        self.edition = edition
        self.proc = edition.procedure
        self.new = new
        self.lang = lang
        self.dynamic = dynamic
        self.findings: list[Finding] = []

    def add(
        self, severity: Severity, check: str, file: str, line: int | None, /, **kw: Any
    ) -> None:
        message = tr(f"authoring.lint.{check}", self.lang, **kw)
        fix = tr(f"authoring.lint.{check}_fix", self.lang, **kw)
        self.findings.append(Finding(severity, check, file, line, message, fix))

    def problems(self, problems: Iterable[Problem]) -> None:
        for p in problems:
            fix = tr("authoring.lint.validate_fix", self.lang, file=p.file)
            self.findings.append(Finding("error", "validate", p.file, p.line, p.message, fix))


def lint(
    paths: Sequence[str],
    edition: Edition,
    *,
    new: Edition | None = None,
    lang: str = "zh",
    dynamic: bool = True,
) -> LintResult:
    """Lint the scenario and drill files ``paths`` name (ids, files or folders); with none, the
    whole set: every scenario and drill, and the procedure's coverage.

    A path that does not exist or cannot be read raises InputError (the command exits 2).
    ``dynamic`` runs the scripted trainees (the expert and the probes).
    """
    scenarios, drills, learning = _collect(paths)
    ctx = _Ctx(edition, new, lang, dynamic)
    loaded: list[LoadedScenario] = []
    for path in scenarios:
        raw = _read(path)
        found = _lint_scenario(raw, str(path), ctx)
        if found is not None:
            loaded.append(found)
    for path in drills:
        _read(path)
        _lint_drill(path, ctx)
    for path in learning:
        _read(path)
        _lint_path(path, ctx)
    if not paths and len(loaded) == len(scenarios):
        _lint_coverage(loaded, ctx)
    return LintResult(files=len(scenarios) + len(drills) + len(learning), findings=ctx.findings)


def lint_scenario_bytes(
    raw: bytes, file: str, edition: Edition, *, lang: str = "zh", dynamic: bool = True
) -> LintResult:
    """Lint one scenario from its bytes (``file`` names it in the findings)."""
    ctx = _Ctx(edition, None, lang, dynamic)
    _lint_scenario(raw, file, ctx)
    return LintResult(files=1, findings=ctx.findings)


# -- which files --------------------------------------------------------------------------------


def _collect(paths: Sequence[str]) -> tuple[list[Path], list[Path], list[Path]]:
    """The scenario, drill and learning-path files ``paths`` name."""
    scenarios: list[Path] = []
    drills: list[Path] = []
    learning: list[Path] = []
    problems: list[Problem] = []
    if not paths:
        return scenario_files(SCENARIO_DIR), drill_files(DRILL_DIR), path_files(PATH_DIR)
    for name in paths:
        p = Path(name)
        if p.is_dir():
            scenarios.extend(scenario_files(p))
            drills.extend(drill_files(p / "drills") if (p / "drills").is_dir() else [])
            learning.extend(path_files(p / "paths") if (p / "paths").is_dir() else [])
            continue
        if p.suffix in (".yaml", ".yml") and p.is_file() and _is_path(p):
            learning.append(p)
            continue
        try:
            p = resolve(name)
        except InputError as err:
            problems.extend(err.problems)
            continue
        (drills if _is_drill(p) else scenarios).append(p)
    if problems:
        raise InputError(problems)
    return scenarios, drills, learning


def _is_path(p: Path) -> bool:
    """A learning path file: in a ``paths`` folder, or with ``path`` and ``steps`` at the top."""
    if p.parent.name == "paths":
        return True
    try:
        data = load_yaml(p).data
    except ScenarioError:
        return False
    return isinstance(data, dict) and "path" in data and "steps" in data


def _is_drill(p: Path) -> bool:
    if p.parent.name == "drills":
        return True
    try:
        data = load_yaml(p).data
    except ScenarioError:
        return False
    return isinstance(data, dict) and "drill" in data and "scenario" not in data


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        problem = Problem(str(path), None, tr("yaml.unreadable", error=exc.strerror))
        raise InputError([problem]) from None


# -- one scenario -------------------------------------------------------------------------------


def _lint_scenario(raw: bytes, file: str, ctx: _Ctx) -> LoadedScenario | None:
    try:
        doc = load_yaml_text(raw, file)
    except ScenarioError as err:
        ctx.problems(err.problems)
        return None
    model, problems = validate_located(Scenario, doc)
    if model is None:
        ctx.problems(problems)
        return None
    start = len(ctx.findings)
    _check_rules(model, doc, ctx)
    _check_dialogue(model, doc, ctx)
    _check_injectable(model, doc, ctx)
    _check_limits(model, doc, ctx)
    _check_assets(model, doc, ctx)
    _check_variants(model, doc, ctx)
    mine = {f.line for f in ctx.findings[start:] if f.severity == "error"}
    # the loader's own cross-checks, except where a check above already said it better
    cross = [p for p in _cross_check(model, doc, vocabulary(), None) if p.line not in mine]
    ctx.problems(cross)
    ctx.findings[start:] = sorted(ctx.findings[start:], key=lambda f: f.line or 0)
    if any(f.severity == "error" for f in ctx.findings[start:]):
        return None
    loaded = LoadedScenario(
        scenario=model, path=file, sha256=hashlib.sha256(raw).hexdigest(), source=raw
    )
    if ctx.dynamic:
        _check_play(loaded, doc, ctx)
        _check_gaming(loaded, doc, ctx)
    if ctx.new is not None:
        _check_edition(model, doc, ctx)
    ctx.findings[start:] = sorted(ctx.findings[start:], key=lambda f: f.line or 0)
    return loaded


def _hint(word: str, choices: Iterable[str], lang: str) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return tr("validation.did_you_mean", lang, choice=close[0]) if close else ""


def _rule_line(doc: Located, i: int, key: str | None = None) -> int | None:
    return doc.line(("rules", i) if key is None else ("rules", i, key))


def _check_rules(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    vocab = vocabulary()
    names = [*vocab.actions, *vocab.events]
    ids = sorted(ctx.proc.ids)
    for i, rule in enumerate(s.rules):
        for clause in (rule.clause, *rule.also):
            if clause is None or clause in ctx.proc.ids:
                continue
            ctx.add(
                "error",
                "unknown_clause",
                doc.file,
                _rule_line(doc, i, "clause"),
                rule=rule.id,
                clause=clause,
                edition=ctx.proc.edition,
                hint=_hint(clause, ids, ctx.lang),
            )
        for key in MATCH_FIELDS:
            m = getattr(rule, key, None)
            if isinstance(m, _MatchBody) and vocab.kind_of(m.name) is None:
                ctx.add(
                    "error",
                    "unknown_name",
                    doc.file,
                    _rule_line(doc, i, key),
                    rule=rule.id,
                    name=m.name,
                    hint=_hint(m.name, names, ctx.lang),
                )


def _filled(s: Scenario, value: str) -> set[str]:
    """What each variant makes of a value that may hold a ``{placeholder}``."""
    return {v.fill(value, "zh") for v in s.variants} if "{" in value else {value}


def _check_dialogue(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    events = [(e.event, e.args) for e in s.timeline] + [(t.event, t.args) for t in s.triggers]
    events += [(e.event, e.args) for i in s.injectable for e in i.brings]
    for ci, c in enumerate(s.customers):
        comes = any(
            name in ("customer_arrives", "phone_rings")
            and c.id in _filled(s, args.get("customer", ""))
            for name, args in events
        )
        if not comes:
            line = doc.line(("customers", ci, "id"))
            ctx.add("warning", "unreachable_customer", doc.file, line, customer=c.id)
            continue
        todo = [c.greeting] if c.greeting is not None else []
        for name, args in events:
            if name == "customer_says" and c.id in _filled(s, args.get("customer", "")):
                todo.extend(_filled(s, args.get("node", "")))
        reached: set[str] = set()
        while todo:
            nid = todo.pop()
            if nid in reached or nid not in c.dialogue:
                continue
            reached.add(nid)
            todo.extend(r.next for r in c.dialogue[nid].replies if r.next is not None)
        for nid in c.dialogue:
            if nid not in reached:
                line = doc.line(("customers", ci, "dialogue", nid))
                ctx.add("warning", "unreachable_node", doc.file, line, customer=c.id, node=nid)


def _check_variants(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    """A variant without a title shows as its id in the debrief, the replay and the reports."""
    for vi, v in enumerate(s.variants):
        if v.title is None:
            line = doc.line(("variants", vi, "id"))
            ctx.add("warning", "untitled_variant", doc.file, line, variant=v.id)


def _check_limits(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    limit = s.scenario.time_limit
    for i, entry in enumerate(s.timeline):
        latest = entry.at[1] if isinstance(entry.at, tuple) else entry.at
        if latest > limit:
            line = doc.line(("timeline", i, "at"))
            ctx.add(
                "error",
                "after_limit",
                doc.file,
                line,
                event=entry.event,
                at=f"{latest:g}",
                limit=f"{limit:g}",
            )
    for i, trig in enumerate(s.triggers):
        earliest = trig.delay[0] if isinstance(trig.delay, tuple) else trig.delay
        if earliest > limit:
            ctx.add(
                "error",
                "trigger_after_limit",
                doc.file,
                doc.line(("triggers", i, "delay")),
                on=_pattern(trig.on, ctx.lang),
                event=trig.event,
                delay=f"{earliest:g}",
                limit=f"{limit:g}",
            )


def _strings(data: Any, path: tuple[str | int, ...]) -> Iterable[tuple[tuple[str | int, ...], str]]:
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for k, v in data.items():
            yield from _strings(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _strings(v, (*path, i))


def _check_assets(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    """The scenario format names no files of its own: faces and devices are drawn, sounds are
    the desk's. What a scenario needs of ``assets/`` is the font, with a glyph for each of its
    characters."""
    if not FONT_FILE.is_file():
        ctx.add("error", "font_missing", doc.file, None, font=str(FONT_FILE))
        return
    by_line: dict[int | None, list[str]] = {}
    for path, text in _strings(doc.data, ()):
        for ch in missing_glyphs([text]):
            chars = by_line.setdefault(doc.line(path), [])
            if ch not in chars:
                chars.append(ch)
    for line, chars in sorted(by_line.items(), key=lambda kv: kv[0] or 0):
        ctx.add("warning", "glyph_missing", doc.file, line, chars=" ".join(chars))


def _rule_matches(rule: Rule) -> Iterable[_MatchBody]:
    for key in MATCH_FIELDS:
        m = getattr(rule, key, None)
        if isinstance(m, _MatchBody):
            yield m
    yield from getattr(rule, "instead", None) or ()


def _check_injectable(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    """Each incident an instructor may throw in brings at least one event a rule of the
    scenario is triggered by or matches; otherwise it is injected and nothing scores it."""
    patterns = [m for rule in s.rules for m in _rule_matches(rule)]
    for i, inj in enumerate(s.injectable):
        scored = any(
            m.name == entry.event
            and not m.tags
            and all(_filled(s, entry.args.get(k, "")) == {v} for k, v in (m.args or {}).items())
            for entry in inj.brings
            for m in patterns
        )
        if not scored:
            ctx.add(
                "warning",
                "injected_unscored",
                doc.file,
                doc.line(("injectable", i, "id")),
                incident=inj.id,
                events=", ".join(e.event for e in inj.brings),
            )


def _condition(rule: Rule) -> _MatchBody | None:
    if isinstance(rule, Required):
        return rule.after
    if isinstance(rule, Before):
        return rule.then
    if isinstance(rule, Response | FirstAfter):
        return rule.trigger
    return None


GAMING_SEEDS = 20
GAMING_PASSES = 2  # at most 1 in 10 runs of a pattern may pass


def decisions(s: Scenario) -> int:
    """The lines where the clerk has a real choice: two replies or more, one of them wrong."""
    bad = vocabulary().bad_tags
    return sum(
        1
        for c in s.customers
        for node in c.dialogue.values()
        if len(node.replies) >= 2 and any(set(r.tags) & bad for r in node.replies)
    )


def _check_gaming(loaded: LoadedScenario, doc: Located, ctx: _Ctx) -> None:
    """A candidate who wants the pass without the knowledge: replies picked by where they
    stand or how long they are, and a clerk who avoids whatever could go wrong. None may pass
    more than 1 run in 10 (a pattern) or at all (the avoider), and no pattern may score 100."""
    runs = gaming_runs(loaded, ctx.proc, GAMING_SEEDS, ctx.lang)
    if decisions(loaded.scenario) >= 2:
        for pattern in PATTERNS:
            mine = runs[pattern]
            passed = sum(r.passed for r in mine)
            full = sum(r.score >= 100 for r in mine)
            if passed > GAMING_PASSES or full:
                ctx.add(
                    "error",
                    "gaming_pattern",
                    doc.file,
                    None,
                    pattern=ctx_word(ctx, f"authoring.lint.pattern_{pattern}"),
                    passed=passed,
                    full=full,
                    runs=len(mine),
                )
    avoided = [r for r in runs["avoider"] if r.avoided]  # one with nothing to avoid is the expert
    passed = sum(r.passed for r in avoided)
    if passed:
        best = max(avoided, key=lambda r: r.score)
        ctx.add(
            "error",
            "gaming_avoider",
            doc.file,
            None,
            passed=passed,
            runs=len(avoided),
            score=f"{best.score:g}",
            seed=best.seed,
        )


def ctx_word(ctx: _Ctx, key: str) -> str:
    return tr(key, ctx.lang)


def _check_play(loaded: LoadedScenario, doc: Located, ctx: _Ctx) -> None:
    s = loaded.scenario
    experts = expert_runs(loaded, ctx.proc, ctx.lang)
    runs: list[Run] = experts + probe_runs(loaded, ctx.proc, ctx.lang, experts)
    # the rules only an injected incident brings into play (never applying without it) are
    # judged on runs with it thrown in as well: the expert's and the flawed trainees'
    plain = {f.rule for r in runs for f in r.findings if f.verdict != "not_applicable"}
    injected = [
        replace(r, findings=tuple(f for f in r.findings if f.rule not in plain))
        for r in injected_runs(loaded, ctx.proc, ctx.lang)
    ]
    experts += [r for r in injected if r.agent == "expert"]
    runs += injected
    for i, rule in enumerate(s.rules):
        failed = next(
            ((r, f) for r in experts for f in r.findings if f.rule == rule.id and f.lost),
            None,
        )
        if failed is not None:
            run, finding = failed
            ctx.add(
                "error",
                "expert_fails",
                doc.file,
                _rule_line(doc, i),
                rule=rule.id,
                clause=rule.cites,
                variant=run.variant,
                seed=run.seed,
                evidence=Narrator(s, run.variant, ctx.lang, ctx.proc).evidence(finding),
                file=doc.file,
            )
            continue
        mine = [f for r in runs for f in r.findings if f.rule == rule.id]
        if any(f.lost for f in mine):
            continue
        cond = _condition(rule)
        if cond is not None and all(f.evidence.case == "no_trigger" for f in mine):
            ctx.add(
                "warning",
                "never_triggered",
                doc.file,
                _rule_line(doc, i),
                rule=rule.id,
                clause=rule.cites,
                trigger=_pattern(cond, ctx.lang),
                runs=len(runs),
            )
        else:
            ctx.add(
                "warning",
                "never_broken",
                doc.file,
                _rule_line(doc, i),
                rule=rule.id,
                clause=rule.cites,
                runs=len(runs),
            )


def _pattern(m: _MatchBody, lang: str) -> str:
    vocab = vocabulary()
    spec = vocab.actions.get(m.name) or vocab.events.get(m.name)
    label = f"{m.name}（{spec.label(lang)}）" if spec is not None and lang == "zh" else m.name
    if spec is not None and lang != "zh":
        label = f"{m.name} ({spec.label(lang)})"
    extra = [f"{k}={v}" for k, v in sorted((m.args or {}).items())]
    extra += [f"tags={'/'.join(m.tags)}"] if m.tags else []
    return label + (f" [{', '.join(extra)}]" if extra else "")


def _check_edition(s: Scenario, doc: Located, ctx: _Ctx) -> None:
    assert ctx.new is not None
    new = ctx.new.procedure
    for i, rule in enumerate(s.rules):
        line = _rule_line(doc, i, "clause")
        if rule.clause is None:
            continue  # a local instruction: no edition of the procedure changes it
        if rule.clause not in new.ids:
            ctx.add(
                "error",
                "clause_removed",
                doc.file,
                line,
                rule=rule.id,
                clause=rule.clause,
                edition=new.edition,
            )
            continue
        if rule.clause not in ctx.proc.ids:
            continue
        old_text, new_text = ctx.proc.clause(rule.clause).zh, new.clause(rule.clause).zh
        if old_text != new_text:
            ctx.add(
                "warning",
                "clause_changed",
                doc.file,
                line,
                rule=rule.id,
                clause=rule.clause,
                edition=new.edition,
                old=_short(old_text),
                new=_short(new_text),
            )


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- drills, learning paths and the whole set ---------------------------------------------------


def _lint_path(path: Path, ctx: _Ctx) -> None:
    """A learning path: its form, and that every scenario and drill it names exists."""
    try:
        load_path(path, path.parent)
    except ScenarioError as err:
        ctx.problems(err.problems)


def _lint_drill(path: Path, ctx: _Ctx) -> None:
    try:
        loaded = load_drill(path)
    except ScenarioError as err:
        ctx.problems(err.problems)
        return
    doc = load_yaml(path)
    limited = [(item, ("scenarios", i)) for i, item in enumerate(loaded.drill.scenarios)]
    limited += [
        (DrillScenario(id=sid, pass_mark=pool.pass_mark, time_limit=pool.time_limit), ("bank", i))
        for i, pool in enumerate(loaded.drill.bank)
        for sid in pool.scenarios
    ]
    for item, where in limited:
        if item.time_limit is None:
            continue
        try:
            scen = load_scenario(SCENARIO_DIR / f"{item.id}.yaml", ctx.proc.ids)
        except InputError:
            continue  # the scenario's own problems are reported with the scenario
        limit = float(item.time_limit)
        line = doc.line((*where, "time_limit"))
        for entry in scen.scenario.timeline:
            earliest = entry.at[0] if isinstance(entry.at, tuple) else entry.at
            if earliest > limit:
                ctx.add(
                    "warning",
                    "drill_after_limit",
                    str(path),
                    line,
                    drill=loaded.id,
                    scenario=item.id,
                    limit=f"{limit:g}",
                    at=f"{earliest:g}",
                    event=entry.event,
                )
        if not ctx.dynamic:
            continue
        worst = min(expert_runs(scen, ctx.proc, ctx.lang, 0, limit), key=lambda r: r.score)
        if worst.score < 100:
            ctx.add(
                "warning",
                "drill_expert",
                str(path),
                line,
                drill=loaded.id,
                scenario=item.id,
                limit=f"{limit:g}",
                score=f"{worst.score:g}",
                variant=worst.variant,
            )


def _lint_coverage(loaded: list[LoadedScenario], ctx: _Ctx) -> None:
    edition = ctx.new or ctx.edition
    proc = edition.procedure
    try:
        doc = load_yaml(SCOPE_FILE)
    except ScenarioError as err:
        ctx.problems(err.problems)
        return
    scope_model, problems = validate_located(Scope, doc)
    if scope_model is None:
        ctx.problems(problems)
        return
    scope = dict(scope_model.not_observable)
    for cid in scope:
        if cid not in proc.ids:
            line = doc.line(("not_observable", cid))
            ctx.add(
                "warning", "scope_stale", str(SCOPE_FILE), line, clause=cid, edition=proc.edition
            )
    cov = coverage(proc, loaded, scope, ctx.lang)
    for row in cov.rows:
        if row.status == "uncovered":
            ctx.add(
                "warning",
                "uncovered",
                edition.file,
                edition.clause_line(row.clause),
                clause=row.clause,
                text=_short(row.text),
            )

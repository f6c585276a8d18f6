"""JSON Schema for scenario and drill files, generated from the pydantic models.

An editor that reads JSON Schema (VS Code's YAML extension, with a ``# yaml-language-server:
$schema=...`` line at the top of the file) then completes the keys, shows what each one means and
flags a mistake as it is typed. On top of what pydantic generates, the schema knows the names
the files may use: the actions and events of the vocabulary, the business modules, the station
items and the clause ids of the procedure edition; and that a pattern (``what:``, ``on:``) may
be written as just a name. The committed copies are ``docs/scenario.schema.json`` and
``docs/drill.schema.json``; a test checks they are current.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any, Literal

from scoring.procedure import Procedure
from sim.drill import Drill
from sim.scenario import Scenario
from sim.vocabulary import vocabulary

__all__ = ["Kind", "DOCS", "schema_file", "scenario_schema", "drill_schema", "schema_text"]

Kind = Literal["scenario", "drill"]
DOCS = Path(__file__).resolve().parent.parent / "docs"
DIALECT = "https://json-schema.org/draft/2020-12/schema"

# What each key means, for the editor to show: Chinese first, then English.
DESCRIPTIONS: dict[str, dict[str, str]] = {
    "Scenario": {
        "": "场景文件（docs/authoring.zh.md）/ A scenario file (docs/authoring.en.md)",
        "scenario": "场景的基本信息 / About the scenario",
        "desk": "开场时柜台的状态 / The desk at the start",
        "variants": "变体：每次实训抽一个，提供文字中 {占位符} 的值 / Variants: one is drawn "
        "per session and fills the {placeholders}",
        "customers": "客户及其对话 / The customers and their dialogue",
        "timeline": "到点发生的事 / What happens at set times",
        "triggers": "学员做了某事（或发生某事）之后安排的事 / What follows an action or event",
        "injectable": "教员可在实训中插入的突发情况（考试不可插入）/ Incidents an instructor may "
        "inject into a training session (never into an exam)",
        "rules": "评分规则，每条引用规程的一个条款 / Scoring rules, each citing a clause",
        "instructions": "本厅规定：简报里交代的本厅预案，规则可用 local 引用（不能定为一票否决）"
        " / The hall's own plan as the briefing gives it; rules cite it with local (never "
        "critical)",
        "notes": "业务系统查询时显示的内容（由 system_shows 事件显示，常由查询动作触发）"
        " / What the business system shows (by a system_shows event, usually triggered by a "
        "look-up)",
    },
    "Meta": {
        "": "场景的基本信息 / About the scenario",
        "id": "场景编号，与文件名相同：小写字母、数字、下划线 / The id, same as the file name",
        "title": "标题 / Title",
        "briefing": "开始前给学员看的说明 / What the trainee reads first",
        "kind": "类型 / Kind",
        "difficulty": "难度 1–5 / Difficulty 1–5",
        "time_limit": "时限，秒（模拟时间）/ Time limit in seconds of sim time",
        "pass_mark": "合格分 0–100 / Pass mark 0–100",
        "hint_cost": "培训模式每次提示扣的分 / Points each hint costs in training mode",
        "clock": '开始时的时刻，柜台时钟从这里走，如 "14:30"；简报要说同一时段 / The time of day '
        "the session starts; the briefing must agree",
        "window": "学员所在的窗口号；简报要说同一个 / The clerk's window; the briefing must agree",
    },
    "Desk": {
        "": "开场时柜台的状态 / The desk at the start",
        "computer": '电脑 "on" 或 "off"（要加引号）/ Computer "on" or "off" (quoted)',
        "logged_in": "是否已登录营销业务应用系统 / Logged in to the business system",
        "network": "网络 / Network",
        "printer": "打印机 / Printer",
        "queue": "开始时排队的人数 / People queuing at the start",
        "queue_alert": "排到多少人算排队过长 / Queue length that counts as long",
        "pre_shift": "班前准备场景（检查工位）/ A pre-shift scenario (the station is checked)",
        "station": "班前有问题的工位检查项 / Station items that are wrong before the shift",
    },
    "Variant": {
        "": "一个变体 / One variant",
        "id": "变体编号 / Variant id",
        "title": "变体的名称，讲评和回放里显示；不要透露考点 / Its name in debriefs and replays; "
        "do not give the point away",
        "vars": "占位符的值：纯文字或 {zh, en} / Placeholder values: text or {zh, en}",
    },
    "Customer": {
        "": "一位客户 / A customer",
        "id": "客户编号 / Customer id",
        "name": "姓名，常写 {name} / Name, often {name}",
        "persona": "人物描述 / Who they are",
        "request": "要办的业务模块 / The business module they need",
        "documents": "带来的证件 / The documents they bring",
        "application": "学员应录入的信息 / What the clerk should enter",
        "lookups": "细心的受理员为该客户的事项要在系统里查询的内容（lookup 动作，仅供标准答案使用）"
        " / What a careful clerk looks up in the system for this customer's matter (the lookup "
        "actions; the answer key only)",
        "mood": "开始时的情绪 0–100 / Mood at the start, 0–100",
        "patience": "耐心（越大越能等）/ Patience (higher waits longer)",
        "greeting": "到柜台后先说的对话节点 / The dialogue node said on arrival",
        "dialogue": "对话节点 / Dialogue nodes",
    },
    "Document": {
        "": "一份证件 / A document",
        "kind": "证件类型 / Kind of document",
        "title": "证件名称 / Title",
        "fields": "证件上的内容 / What it says",
        "expired": "已过有效期：录入前核对时会发现 / Out of date: the check before submitting "
        "finds it",
    },
    "Node": {
        "": "客户说的一句话和学员可选的答复 / A line and the replies on offer",
        "says": "客户说的话 / What the customer says",
        "replies": "学员可选的答复 / The replies the trainee may give",
    },
    "Reply": {
        "": "一条答复 / A reply",
        "id": "答复编号 / Reply id",
        "zh": "中文答复 / The reply in Chinese",
        "en": "英文答复 / The reply in English",
        "tags": "标签，规则按它判断答复 / Tags the rules judge the reply by",
        "mood": "对客户情绪的影响 -100–100 / Effect on the mood",
        "next": "客户接着说的节点 / The customer's next line",
    },
    "Text": {
        "": "中英文文字，中文必填 / Text in Chinese (required) and English",
        "zh": "中文 / Chinese",
        "en": "英文 / English",
    },
    "TimelineEntry": {
        "": "到点发生的事 / Something that happens at a set time",
        "at": "秒，或 [最早, 最晚] 随机 / Seconds, or [earliest, latest] drawn",
        "event": "事件 / Event",
        "args": "事件的参数 / The event's arguments",
        "variants": "只在这些变体中发生（不写：所有变体）/ Only in these variants (none: all)",
    },
    "Injectable": {
        "": "可插入的突发情况 / An incident the instructor may inject",
        "id": "编号：小写字母、数字、下划线，全教室同一突发情况用同一编号 / The id: the same "
        "incident has the same id in every scenario, so a room can get it at once",
        "title": "教员台上显示的名称 / What the instructor's console calls it",
        "brings": "插入后发生的事，时间从插入那一刻算起 / What it brings, timed from the moment "
        "it is injected",
    },
    "Trigger": {
        "": "触发器 / A trigger",
        "on": "在这个动作或事件之后 / After this action or event",
        "nth": "第几次发生时触发 / Which occurrence fires it",
        "delay": "延迟秒数，或 [最短, 最长] / Delay in seconds, or [shortest, longest]",
        "event": "安排的事件 / The event scheduled",
        "args": "事件的参数 / The event's arguments",
        "variants": "只在这些变体中触发（不写：所有变体）/ Only in these variants (none: all)",
        "serving": "只在正接待这位客户时计数和触发（如插入的来电客户办事时不算）/ Counted and "
        "fired only while this customer is the one being served (not, say, for a caller "
        "an instructor threw in)",
    },
    "Match": {
        "": "一个动作或事件，可只写名称 / An action or event; a name alone will do",
        "name": "动作或事件的名称 / Name of the action or event",
        "args": "参数须相同 / Arguments that must match",
        "tags": "答复（say）须带其中一个标签 / The reply (say) carries one of these tags",
    },
    "Rule": {
        "id": "规则编号 / Rule id",
        "clause": '引用的规程条款，加引号如 "3.2.c" / The clause cited, quoted',
        "local": "不引条款而引本厅规定（instructions 中的编号）/ Cite the hall's own plan "
        "instead of a clause (an id in instructions)",
        "also": "规则同样依据的其他条款 / Further clauses the rule also rests on",
        "instead": "算作“先做了别的”的动作（其余为中性）/ What counts as acting instead "
        "(anything else is neutral)",
        "weight": "权重，按比例折成分数 / Weight, shared out of 100 points",
        "critical": "关键条款：违反即不合格 / Critical: breaking it fails the session",
        "note": "讲评时给学员的说明 / What the debrief tells the trainee",
        "template": "规则模板 / Rule template",
        "what": "要求（或禁止）的动作或事件 / The action or event required (or forbidden)",
        "after": "从这件事之后开始算 / Counted from after this",
        "until": "到这件事为止 / Until this",
        "within": "限时，秒 / Within this many seconds",
        "first": "必须先做的事 / What must come first",
        "then": "后做的事 / What comes after",
        "trigger": "引发要求的事 / What calls for the response",
    },
    "Required": {"": "必须做到（可限时）/ Must happen (in time)"},
    "Forbidden": {"": "不许发生，尝试也算 / Must never happen; attempts count"},
    "Before": {"": "若做了 then，之前必须做过 first / If then happens, first came earlier"},
    "Response": {"": "每次 trigger 之后都要做 what / After each trigger, what follows"},
    "FirstAfter": {
        "": "trigger 之后，what 须先于 instead 中的任何动作（可限时）/ After trigger, what "
        "comes before anything listed in instead (in time)"
    },
    "Drill": {
        "": "考核方案文件（docs/authoring.zh.md）/ A drill file (docs/authoring.en.md)",
        "drill": "考核的基本信息 / About the drill",
        "scenarios": "每次都考的场景 / Scenarios every attempt takes",
        "bank": "题库：每次考核从各组抽取的场景 / The bank: groups each attempt draws from",
    },
    "DrillMeta": {
        "": "考核的基本信息 / About the drill",
        "id": "考核编号，与文件名相同 / The id, same as the file name",
        "title": "标题 / Title",
        "briefing": "考核说明 / Briefing",
        "attempts": "每人可考次数 / Attempts allowed",
        "draw": "fresh：每次抽没考过的变体；random：随机 / fresh: an unseen variant; random",
        "overall": "整体合格条件 / How the attempt as a whole passes",
        "pauses": "每个场景允许暂停几次（默认 0：不许暂停）/ Pauses allowed per scenario "
        "(default 0: none)",
        "valid_months": "证书有效期（月），不写则长期有效 / Months a certificate stays valid "
        "(none: it does not lapse)",
    },
    "Overall": {
        "": "整体合格条件 / How the attempt as a whole passes",
        "no_critical": "任何场景都不得有关键条款违规 / No critical failure anywhere",
        "average_at_least": "平均分不低于 / Average at least",
        "each_must_pass": "每个场景都要达到各自的合格分 / Each scenario at its own pass mark",
    },
    "DrillScenario": {
        "": "考核中的一个场景 / A scenario of the drill",
        "id": "场景编号 / Scenario id",
        "pass_mark": "该场景的合格分 / Its pass mark",
        "time_limit": "本考核给该场景的时限（秒），不写用场景自己的 / Its time limit here",
        "inject": "按时插入的突发情况（考试不接受临时插入）/ Incidents thrown in at set moments "
        "(an exam takes no ad-hoc injection)",
    },
    "DrillIncident": {
        "": "按时插入的突发情况 / An incident thrown in at a set moment",
        "at": "第几秒插入（模拟时间）/ When, in sim seconds",
        "event": "场景 injectable 里声明的突发情况编号 / The incident's id, as the scenario's "
        "injectable declares it",
    },
    "DrillPool": {
        "": "题库中的一组场景：每次考核从中抽 pick 个 / A group of the bank: each attempt "
        "draws pick of them",
        "title": "这一组的名称 / The group's name",
        "pick": "每次考核抽几个 / How many each attempt draws",
        "pass_mark": "抽到的场景的合格分 / The pass mark of each drawn scenario",
        "time_limit": "抽到的场景的时限（秒），不写用场景自己的 / Their time limit here",
        "inject": "抽到的场景按时插入的突发情况（每个场景都须声明）/ Incidents thrown into the "
        "drawn scenario at set moments (each scenario of the group must declare them)",
        "scenarios": "这一组的场景编号 / The group's scenario ids",
    },
}
RULES = ("Required", "Forbidden", "Before", "Response", "FirstAfter")
MATCH = "_MatchBody"


def schema_file(kind: Kind) -> Path:
    return DOCS / f"{kind}.schema.json"


def _describe(schema: dict[str, Any], name: str) -> None:
    table = DESCRIPTIONS.get(name, {})
    shared = DESCRIPTIONS["Rule"] if name in RULES else {}
    if "" in table:
        schema["description"] = table[""]
    for key, prop in schema.get("properties", {}).items():
        text = table.get(key) or shared.get(key)
        if text is not None:
            prop["description"] = text


def _refs(node: Any, old: str, new: str) -> None:
    if isinstance(node, dict):
        if node.get("$ref") == old:
            node["$ref"] = new
        for value in node.values():
            _refs(value, old, new)
    elif isinstance(node, list):
        for value in node:
            _refs(value, old, new)


def scenario_schema(procedure: Procedure) -> dict[str, Any]:
    vocab = vocabulary()
    schema = copy.deepcopy(Scenario.model_json_schema())
    defs = schema["$defs"]
    names = sorted([*vocab.actions, *vocab.events])
    world = sorted(k for k, v in vocab.events.items() if v.origin == "world")
    # a pattern is a name, or a name with args and tags
    body = defs.pop(MATCH)
    body["title"] = "Match"
    body["properties"]["name"]["enum"] = names
    _describe(body, "Match")
    defs["Match"] = {
        "title": "Match",
        "description": DESCRIPTIONS["Match"][""],
        "anyOf": [{"type": "string", "enum": names}, body],
    }
    _refs(schema, f"#/$defs/{MATCH}", "#/$defs/Match")
    clauses = sorted(c.id for c in procedure.clauses)
    for rule in RULES:
        defs[rule]["properties"]["clause"]["enum"] = clauses
    for name in ("TimelineEntry", "Trigger"):
        defs[name]["properties"]["event"]["enum"] = world
    defs["Customer"]["properties"]["request"]["enum"] = sorted(vocab.modules)
    defs["Desk"]["properties"]["station"]["propertyNames"] = {"enum": sorted(vocab.station_items)}
    for name, sub in defs.items():
        if name != "Match":
            _describe(sub, name)
    _describe(schema, "Scenario")
    return _top(schema, "scenario", procedure)


def drill_schema() -> dict[str, Any]:
    schema = copy.deepcopy(Drill.model_json_schema())
    for name, sub in schema["$defs"].items():
        _describe(sub, name)
    _describe(schema, "Drill")
    return _top(schema, "drill", None)


def _top(schema: dict[str, Any], kind: Kind, procedure: Procedure | None) -> dict[str, Any]:
    head: dict[str, Any] = {"$schema": DIALECT, "title": f"desk-trainer {kind}"}
    if procedure is not None:
        head["$comment"] = f"clause ids of procedure edition {procedure.edition}"
    else:
        head["$comment"] = "generated by python run_sim.py schema --kind drill"
    return {**head, **{k: v for k, v in schema.items() if k != "title"}}


def schema_text(kind: Kind, procedure: Procedure) -> str:
    """The schema as the committed file holds it (stable key order, UTF-8, a final newline)."""
    schema = scenario_schema(procedure) if kind == "scenario" else drill_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"

"""The scenario loader under malformed and adversarial documents (Hypothesis).

Whatever the bytes, ``load_scenario_bytes`` either returns a scenario or raises an
``InputError`` (``ScenarioError``) whose problems each name the file and, where one is known, a
line inside the document. Nothing else may escape: no ``RecursionError``, ``ValueError`` or
PyYAML exception, and no alias, merge-key or format-string expansion may run away.

Example counts are bounded so the module stays well under a minute on two cores; run the long
profile with ``DESK_TRAINER_FUZZ=long python -m pytest tests/authoring/test_loader_fuzz.py``.
"""

from __future__ import annotations

import os
import re
import tracemalloc
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.procedure import load_procedure
from sim.errors import InputError
from sim.scenario import SCENARIO_DIR, load_scenario_bytes
from sim.yamlio import load_yaml_text

settings.register_profile(
    "loader-fuzz",
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("loader-fuzz-long", parent=settings.get_profile("loader-fuzz"),
                          max_examples=5000)  # fmt: skip
LONG = os.environ.get("DESK_TRAINER_FUZZ") == "long"
FUZZ = settings.get_profile("loader-fuzz-long" if LONG else "loader-fuzz")
# bombs and deep nesting cost a second or so of parsing each: fewer of them by default
HEAVY = FUZZ if LONG else settings(FUZZ, max_examples=40)

CLAUSES = load_procedure().ids
FILE = "printer_jam.yaml"  # the name the id must match, so a mutated copy can still load
ORIGINAL = (SCENARIO_DIR / "printer_jam.yaml").read_bytes()
DATA = load_yaml_text(ORIGINAL, FILE).data  # `on:` is a key here, not True


def check(raw: bytes, file: str = FILE) -> None:
    """Load ``raw``: fine, or an InputError with located problems; nothing else."""
    try:
        load_scenario_bytes(raw, file, CLAUSES)
    except InputError as err:
        assert err.problems, "an InputError with no problem in it"
        # YAML counts \r, NEL and the Unicode separators as line breaks too
        text = raw.decode("utf-8-sig", errors="replace")
        last = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))
        for p in err.problems:
            assert p.file == file
            assert isinstance(p.message, str) and p.message.strip()
            assert p.line is None or 1 <= p.line <= last, (p, last)


def dump(data: Any) -> bytes:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode("utf-8")


# -- values of every wrong kind ------------------------------------------------------------

odd_text = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "{name}",
            "{name[0]}",
            "{name[x]}",
            "{name.upper}",
            "{name:>99999999}",
            "{name:{name}}",
            "{0}",
            "{}",
            "{!r}",
            "{name!z}",
            "{facts.hotline.x}",
            "{facts.}",
            "{facts.nothing}",
            "{{",
            "}",
            "{",
            "on",
            "no",
            "2026-13-45",
            "\t",
            "x" * 20_000,
        ]
    ),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    odd_text,
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)


def paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += paths(v, (*prefix, i))
    return out


ALL_PATHS = paths(DATA)[1:]


def _copy(data: Any) -> Any:
    return load_yaml_text(yaml.safe_dump(data), FILE).data


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    """printer_jam with a few values replaced, keys dropped, added or renamed."""
    data = _copy(DATA)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        path = draw(st.sampled_from(ALL_PATHS))
        parent: Any = data
        try:
            for part in path[:-1]:
                parent = parent[part]
            parent[path[-1]]
        except (KeyError, IndexError, TypeError):
            continue
        how = draw(st.sampled_from(["replace", "delete", "add", "rename"]))
        if how == "replace":
            parent[path[-1]] = draw(values)
        elif how == "delete":
            del parent[path[-1]]
        elif how == "add" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=10))] = draw(values)
        elif how == "rename" and isinstance(parent, dict):
            parent[f"{path[-1]}_"] = parent.pop(path[-1])
    return dump(data)


@st.composite
def text_edits(draw: st.DrawFn) -> bytes:
    """printer_jam's own text with lines duplicated, tabs, stray bytes and truncation."""
    lines = ORIGINAL.split(b"\n")
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        i = draw(st.integers(min_value=0, max_value=len(lines) - 1))
        how = draw(st.sampled_from(["duplicate", "tab", "bytes", "truncate", "indent"]))
        if how == "duplicate":
            lines.insert(i, lines[i])  # duplicate keys, mostly
        elif how == "tab":
            lines[i] = b"\t" + lines[i].lstrip(b" ")
        elif how == "bytes":
            junk = draw(st.binary(min_size=1, max_size=6))
            cut = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:cut] + junk + lines[i][cut:]
        elif how == "truncate":
            lines = lines[:i] + [lines[i][: len(lines[i]) // 2]]
        else:
            lines[i] = b" " + lines[i]
    return b"\n".join(lines)


TOKENS = [
    "a: ", "b:", " ", "  ", "\t", "\n", "- ", "? ", ": ", ",", "[", "]", "{", "}", "'", '"',
    "#", "|", ">", "&x ", "&y ", "*x", "*y", "<<: ", "!!int ", "!!float ", "!!timestamp ",
    "!!binary ", "!!set ", "!!omap ", "!!python/object:os.system ", "!foo ", "%YAML 1.1\n",
    "---\n", "...\n", "9" * 5000, "1e999", ".nan", "-.inf", "2026-13-45", "2001-12-14t99:99:99",
    "\x00", "\x07", "\u2028", "\ufeff", "on", "yes", "~", "null", "scenario", "rules",
]  # fmt: skip
token_soup = st.lists(st.sampled_from(TOKENS), max_size=40).map(
    lambda xs: "".join(xs).encode("utf-8")
)


@st.composite
def bombs(draw: st.DrawFn) -> bytes:
    """Anchors and aliases that expand hugely ("billion laughs"), in lists or merged maps."""
    levels = draw(st.integers(min_value=1, max_value=12))
    fan = draw(st.integers(min_value=2, max_value=12))
    kind = draw(st.sampled_from(["seq", "map", "merge"]))
    out = ['l0: &l0 ["lol", "lol", "lol", "lol"]'] if kind == "seq" else ["l0: &l0 {a: 1, b: 2}"]
    for n in range(1, levels + 1):
        refs = ", ".join(f"*l{n - 1}" for _ in range(fan))
        if kind == "seq":
            out.append(f"l{n}: &l{n} [{refs}]")
        elif kind == "map":
            out.append(f"l{n}: &l{n} {{{', '.join(f'k{i}: *l{n - 1}' for i in range(fan))}}}")
        else:
            out.append(f"l{n}: &l{n} {{<<: [{refs}], n{n}: {n}}}")
    where = draw(st.sampled_from(["top", "title", "rules"]))
    text = "\n".join(out) + "\n"
    if where == "title":
        text = ORIGINAL.decode("utf-8").replace("  title:\n", f"  title: *l{levels}\n  x_:\n", 1)
        text = "\n".join(out) + "\n" + text
    elif where == "rules":
        text = ORIGINAL.decode("utf-8") + f"  - *l{levels}\n"
        text = text.replace("rules:\n", "\n".join("  " + x for x in []) + "rules:\n", 1)
        text = "x_:\n" + "\n".join("  " + x for x in out) + "\n" + text
    return text.encode("utf-8")


@st.composite
def deep(draw: st.DrawFn) -> bytes:
    """Nesting thousands of levels deep, flow or block style, alone or inside a scenario."""
    depth = draw(st.integers(min_value=1, max_value=5000))
    style = draw(st.sampled_from(["flow_list", "flow_map", "block_list", "block_map"]))
    if style == "flow_list":
        body = "[" * depth + "]" * depth
    elif style == "flow_map":
        body = "{a: " * depth + "1" + "}" * depth
    elif style == "block_list":
        body = "\n" + "".join(" " * i + "-\n" for i in range(min(depth, 400))) + " " * 400 + "x"
    else:
        body = "\n" + "".join(" " * i + "a:\n" for i in range(min(depth, 400)))
    if draw(st.booleans()):
        return ("scenario: " + body + "\n").encode("utf-8")
    text = ORIGINAL.decode("utf-8").replace("  difficulty: 1\n", f"  difficulty: {body}\n", 1)
    return text.encode("utf-8")


# -- the properties ------------------------------------------------------------------------


@FUZZ
@given(raw=st.binary(max_size=3000))
def test_any_bytes_load_or_fail_with_located_problems(raw):
    check(raw)


@FUZZ
@given(raw=token_soup)
def test_yaml_token_soup(raw):
    check(raw)


@HEAVY
@given(raw=mutated())
def test_a_scenario_with_wrong_types_missing_or_unknown_keys(raw):
    check(raw)


@FUZZ
@given(raw=text_edits())
def test_a_scenario_with_duplicate_keys_tabs_stray_bytes_or_cut_short(raw):
    check(raw)


@HEAVY
@given(raw=bombs())
def test_alias_and_merge_bombs_are_refused_not_expanded(raw):
    check(raw)


@HEAVY
@given(raw=deep())
def test_deep_nesting_is_refused_not_a_recursion_error(raw):
    check(raw)


@FUZZ
@given(text=odd_text, where=st.sampled_from(["kind", "title", "persona", "says"]))
def test_placeholders_in_any_form_are_text_or_a_located_problem(text, where):
    data = _copy(DATA)
    if where == "kind":
        data["triggers"][0]["args"]["kind"] = text
    elif where == "title":
        data["scenario"]["title"]["zh"] = text
    elif where == "persona":
        data["variants"][0]["vars"]["persona"] = {"zh": text}
    else:
        data["customers"][0]["dialogue"]["greet"]["says"]["zh"] = text
    check(dump(data))


# -- the worst cases, with their memory measured ---------------------------------------------


def _peak_mib(raw: bytes) -> float:
    tracemalloc.start()
    try:
        check(raw)
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["seq", "map", "merge"])
def test_a_billion_laughs_stays_small(kind):
    out = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        refs = [f"*l{n - 1}"] * 10
        if kind == "seq":
            out.append(f"l{n}: &l{n} [{', '.join(refs)}]")
        elif kind == "map":
            out.append(f"l{n}: &l{n} {{{', '.join(f'k{i}: {r}' for i, r in enumerate(refs))}}}")
        else:
            out[0] = "l0: &l0 {a: 1, b: 2, c: 3, d: 4, e: 5, f: 6, g: 7, h: 8, i: 9, j: 10}"
            out.append(f"l{n}: &l{n} {{<<: [{', '.join(refs)}], z{n}: 0}}")
    raw = ("\n".join(out) + "\n").encode("utf-8")
    with pytest.raises(InputError):
        load_scenario_bytes(raw, FILE, CLAUSES)
    assert _peak_mib(raw) < 200


def test_a_recursive_alias_is_refused():
    for raw in (b"a: &a [*a]\n", b"a: &a {b: *a}\n", b"&a [1, *a]\n"):
        with pytest.raises(InputError) as err:
            load_scenario_bytes(raw, FILE, CLAUSES)
        assert err.value.problems[0].line == 1


def test_huge_strings_and_numbers_are_reported_briefly():
    raw = ORIGINAL.replace(b"  difficulty: 1\n", b"  difficulty: " + b"9" * 100_000 + b"\n")
    with pytest.raises(InputError) as err:
        load_scenario_bytes(raw, FILE, CLAUSES)
    assert all(len(p.message) < 2000 for p in err.value.problems)
    raw = ORIGINAL.replace(b"  kind: device_fault\n", b"  kind: " + b"x" * 1_000_000 + b"\n")
    with pytest.raises(InputError) as err:
        load_scenario_bytes(raw, FILE, CLAUSES)
    assert all(len(p.message) < 2000 for p in err.value.problems)

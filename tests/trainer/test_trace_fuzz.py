"""Every bad trace file is one line per problem, never a traceback (issue 14).

A seeded generator mutates a real trace (the expert's, of printer_jam) in the ways the probe
did: byte flips, cuts and splices; deep nesting; integers past 4,300 digits and past any float;
NaN and infinities; lone surrogates; non-UTF-8 bytes; huge lines; wrong types. Each mutated file
is scored through the command line (``score printer_jam --trace FILE``, text and ``--json``): it
must exit 0 (a report) or 2 (located problems), and nothing may escape as an exception.

CI runs a sample that takes seconds; the on-demand run is
``DESK_TRAINER_FUZZ=long python -m pytest tests/trainer/test_trace_fuzz.py`` (2,000 traces;
``DESK_TRAINER_FUZZ_N`` sets another count). It prints how many traces it tried and how many
tracebacks it saw.
"""

from __future__ import annotations

import json
import os
import random
from pathlib import Path

from click.testing import CliRunner

from scoring.session import play_agent
from trainer.cli import main

LONG = os.environ.get("DESK_TRAINER_FUZZ") == "long"
N = int(os.environ.get("DESK_TRAINER_FUZZ_N") or (2000 if LONG else 120))


def _valid(procedure, printer_jam) -> list[dict]:  # type: ignore[no-untyped-def]
    played = play_agent(printer_jam, procedure, 3, "expert")
    return [json.loads(a.to_json()) for a in played.engine.actions]


def _nest(depth: int) -> str:
    return "[" * depth + "]" * depth


SPECIAL_VALUES = [
    "1" * 5000,  # an integer past Python's 4,300-digit limit
    "1" * 400,  # an integer past any float
    "-" + "9" * 320,
    "1e400",
    "-1e400",
    "NaN",
    "Infinity",
    "-Infinity",
    '"\\ud800"',  # a lone surrogate
    '"\\udfff\\ud800"',
    '"x\\u0000y"',
    "null",
    "true",
    "[]",
    "{}",
    '{"a": {"b": {"c": 1}}}',
    "1e-400",
    "-0.0",
    "0.1",
    "4e15",
    "1.7976931348623157e308",
]


def mutate(rng: random.Random, lines: list[dict]) -> bytes:
    """One hostile trace from the valid ``lines``."""
    text = [json.dumps(x, ensure_ascii=rng.random() < 0.5) for x in lines]
    kind = rng.randrange(12)
    if kind == 0:  # deep nesting, somewhere
        i = rng.randrange(len(text))
        depth = rng.choice([100, 1000, 5000, 100_000, 1_000_000])
        where = rng.choice(["t", "action", "args", "line"])
        if where == "line":
            text[i] = _nest(depth)
        elif where == "args":
            text[i] = json.dumps({**lines[i], "args": {}}).replace(
                "{}", '{"k": ' + _nest(depth) + "}"
            )
        else:
            text[i] = text[i].replace(f'"{where}": ', f'"{where}": ' + _nest(depth) + ', "x": ', 1)
    elif kind == 1:  # a special value in place of t, the action, an arg, a key
        i = rng.randrange(len(text))
        value = rng.choice(SPECIAL_VALUES)
        field = rng.choice(["t", "action", "arg", "key"])
        if field == "t":
            text[i] = '{"t": ' + value + ', "action": "log_in"}'
        elif field == "action":
            text[i] = '{"t": 1.0, "action": ' + value + "}"
        elif field == "arg":
            text[i] = '{"t": 1.0, "action": "say", "args": {"reply": ' + value + "}}"
        else:
            text[i] = (
                '{"t": 1.0, "action": "say", "args": {'
                + (value if value.startswith('"') else '"\\ud800"')
                + ': "x"}}'
            )
    elif kind == 2:  # bytes flipped
        raw = bytearray("\n".join(text).encode("utf-8"))
        for _ in range(rng.randint(1, 20)):
            raw[rng.randrange(len(raw))] = rng.randrange(256)
        return bytes(raw)
    elif kind == 3:  # cut short, or spliced
        raw = "\n".join(text).encode("utf-8")
        a, b = sorted(rng.randrange(len(raw)) for _ in range(2))
        return raw[:a] + raw[b:] if rng.random() < 0.5 else raw[:a]
    elif kind == 4:  # non-UTF-8 (Latin-1, UTF-16, a BOM, a stray byte)
        raw = "\n".join(text).encode("utf-8")
        return rng.choice(
            [
                raw.decode().encode("utf-16"),
                b"\xef\xbb\xbf" + raw,
                raw + b"\xff\xfe",
                "\n".join(text).encode("latin-1", "replace"),
            ]
        )
    elif kind == 5:  # a huge line or a huge string
        i = rng.randrange(len(text))
        n = rng.choice([10_000, 1_000_000, 5_000_000])
        text[i] = json.dumps({"t": 1.0, "action": "say", "args": {"reply": "字" * n}})
    elif kind == 6:  # times out of order, negative, huge
        i = rng.randrange(len(text))
        t = rng.choice([-1, 1e18, 10**30, 1e308, 3.0e9, -0.0, 2**63, 0.5])
        text[i] = json.dumps({"t": t, "action": lines[i]["action"]})
    elif kind == 7:  # wrong types in every place
        i = rng.randrange(len(text))
        junk = rng.choice([[], {}, None, True, "x", 1, [1, 2], {"a": [1]}])
        key = rng.choice(["t", "action", "args", "extra"])
        text[i] = json.dumps({**lines[i], key: junk})
    elif kind == 8:  # many lines
        text = text * rng.choice([50, 500])
    elif kind == 9:  # line endings and separators
        sep = rng.choice(["\r\n", "\r", "\u2028", "\x85", "\n\n\n", "\x00"])
        return sep.join(text).encode("utf-8", "surrogatepass")
    elif kind == 10:  # surrogates written raw (not escaped): not UTF-8
        i = rng.randrange(len(text))
        return "\n".join(text).encode("utf-8")[:0] + "\n".join(
            text[:i] + ['{"t": 1, "action": "\ud800"}'] + text[i:]
        ).encode("utf-8", "surrogatepass")
    else:  # an unknown action, huge args
        i = rng.randrange(len(text))
        text[i] = json.dumps(
            {
                "t": lines[i]["t"],
                "action": "x" * rng.choice([1, 1000, 100_000]),
                "args": {str(k): k for k in range(rng.choice([1, 1000]))},
            }
        )
    return "\n".join(text).encode("utf-8", "surrogatepass")


def run_one(path: Path, as_json: bool) -> tuple[int, BaseException | None]:
    args = ["score", "printer_jam", "--trace", str(path), "--seed", "3"]
    result = CliRunner().invoke(main, [*args, "--json"] if as_json else args)
    exc = result.exception
    if isinstance(exc, SystemExit):
        exc = None
    try:  # a terminal could not print a lone surrogate: that would end in a traceback
        (result.stdout + result.stderr).encode("utf-8")
    except UnicodeEncodeError as err:
        exc = exc or err
    return result.exit_code, exc


def test_fuzzed_traces_never_end_in_a_traceback(procedure, printer_jam, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    lines = _valid(procedure, printer_jam)
    rng = random.Random(14)
    tracebacks: list[str] = []
    for n in range(N):
        raw = mutate(rng, lines)
        path = tmp_path / f"t{n % 8}.jsonl"
        path.write_bytes(raw)
        code, exc = run_one(path, as_json=n % 2 == 1)
        if exc is not None:
            tracebacks.append(f"#{n}: {type(exc).__name__}: {str(exc)[:120]}")
        elif code not in (0, 2):
            tracebacks.append(f"#{n}: exit {code}")
    print(f"\ntrace fuzz: {N} traces, {len(tracebacks)} tracebacks")
    assert tracebacks == [], "\n".join(tracebacks[:20])

from __future__ import annotations

import pytest

from sim.errors import ScenarioError
from sim.yamlio import load_yaml_text


def test_only_true_and_false_are_booleans():
    doc = load_yaml_text("a: on\nb: off\nc: yes\nd: no\ne: true\nf: False\n", "x.yaml")
    assert doc.data == {"a": "on", "b": "off", "c": "yes", "d": "no", "e": True, "f": False}


def test_line_marks_follow_keys_and_items():
    doc = load_yaml_text("top:\n  items:\n    - a: 1\n    - b: 2\n", "x.yaml")
    assert doc.line(("top",)) == 1
    assert doc.line(("top", "items", 1, "b")) == 4
    # an unknown deeper path falls back to its nearest known parent
    assert doc.line(("top", "items", 1, "b", "nothing")) == 4


def test_duplicate_keys_are_refused_with_their_line():
    with pytest.raises(ScenarioError, match=r"x.yaml:3: .*'a'"):
        load_yaml_text("a: 1\nb: 2\na: 3\n", "x.yaml")


def test_syntax_errors_are_located():
    with pytest.raises(ScenarioError, match=r"x.yaml:2: "):
        load_yaml_text("a: [1, 2\nb: 3\n", "x.yaml")


def test_non_utf8_bytes_are_reported_not_raised():
    with pytest.raises(ScenarioError, match=r"x.yaml:2: .*UTF-8"):
        load_yaml_text(b"a: 1\nb: \xff\xfe\n", "x.yaml")


def test_alias_expansion_is_bounded():
    bomb = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 8):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb.append(f"{cur}: &{cur} [{', '.join('*' + prev for _ in range(10))}]")
    with pytest.raises(ScenarioError, match="x.yaml:"):
        load_yaml_text("\n".join(bomb) + "\n", "x.yaml")

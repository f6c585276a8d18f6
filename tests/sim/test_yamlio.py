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


# -- libyaml where it is safe: the same data and lines, and Python's own messages -----------


def _both(raw: bytes, file: str):
    """What load_checked gives with libyaml, and what the pure-Python loader gives."""
    from sim import yamlio

    fast = yamlio.load_checked(raw, file, lambda doc: doc)
    return fast, yamlio.load_yaml_text(raw, file)


def test_libyaml_reads_every_file_of_the_project_as_python_does():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    files = [
        p
        for folder in ("scenarios", "sim", "scoring", "desk", "records", "reports", "authoring")
        for p in sorted((root / folder).rglob("*.yaml"))
    ]
    assert len(files) > 20
    for p in files:
        fast, slow = _both(p.read_bytes(), str(p))
        assert fast.data == slow.data and repr(fast.data) == repr(slow.data), p
        assert fast.lines == slow.lines, p


def test_what_libyaml_refuses_is_reported_as_python_reports_it():
    from sim import yamlio

    bad = b"a: 1\nb: [1, 2\nc: 3\n"
    with pytest.raises(ScenarioError) as fast:
        yamlio.load_checked(bad, "x.yaml", lambda doc: doc)
    with pytest.raises(ScenarioError) as slow:
        load_yaml_text(bad, "x.yaml")
    assert fast.value.problems == slow.value.problems


def test_a_refusal_of_libyaml_data_stands_when_python_reads_the_same():
    from sim import yamlio

    seen = []

    def check(doc):
        seen.append(doc)
        raise ScenarioError([])

    with pytest.raises(ScenarioError):
        yamlio.load_checked(b"a: 1\n", "x.yaml", check)
    assert len(seen) == 1  # checked once: Python read the same data and lines


def test_a_check_refusing_libyaml_data_is_made_again_when_python_reads_otherwise(monkeypatch):
    from sim import yamlio

    real = yamlio._located

    def shifted(node, loader, file):  # libyaml's marks one line off, as if it differed
        doc = real(node, loader, file)
        if isinstance(loader, yamlio._Loader):
            return doc
        return yamlio.Located(doc.data, doc.file, {k: v + 1 for k, v in doc.lines.items()})

    monkeypatch.setattr(yamlio, "_located", shifted)
    seen = []

    def check(doc):
        seen.append(doc.line(("a",)))
        raise ScenarioError([])

    with pytest.raises(ScenarioError):
        yamlio.load_checked(b"a: 1\n", "x.yaml", check)
    assert seen == ([2, 1] if yamlio._CBase is not None else [1])


def test_deep_documents_and_anchors_are_left_to_the_python_loader():
    from sim import yamlio

    assert not yamlio._shallow("[" * 500 + "]" * 500)
    assert not yamlio._shallow("a:\n" + " " * 500 + "b: 1\n")
    assert not yamlio._shallow("a: &x [1]\nb: *x\n")  # anchors: a bomb is measured once
    assert yamlio._shallow("a:\n  b: [1, {c: 2}]\n")

"""The one path for YAML: safe load that keeps line marks.

PyYAML's safe loader is used with two changes: only ``true``/``false`` are booleans (devices
here really are ``on`` and ``off``, and ``no`` is an answer), and duplicate keys are refused.
Each value's line is kept in a map from its path (a tuple of keys and indices) so that
validation errors can name the line.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

from sim.errors import Problem, ScenarioError
from sim.i18n import tr

__all__ = ["Located", "load_yaml", "load_yaml_text", "load_checked", "load_yaml_checked", "line_of"]

# A document may use anchors and aliases, but not to blow up: past this many nodes it is refused.
_MAX_NODES = 200_000
# Scenarios nest a handful of levels; far deeper is a mistake (or an attack), refused with a line.
_MAX_DEPTH = 64
_MERGE = "tag:yaml.org,2002:merge"
_STR = "tag:yaml.org,2002:str"


class _Loader(yaml.SafeLoader):
    """SafeLoader whose booleans are YAML 1.2's: only true/false (any case)."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)

# libyaml (shipped with PyYAML's wheels) composes the same nodes, with the same line marks, an
# order of magnitude faster. It is used for documents that cannot nest deeply (libyaml recurses
# in C, where no limit catches a runaway document); whatever it refuses is read again by the
# pure-Python loader, whose messages are the ones users see. Without libyaml: Python throughout.
_CBase: Any = getattr(yaml, "CSafeLoader", None)
if _CBase is not None:

    class _CLoader(_CBase):  # type: ignore[misc]
        """CSafeLoader with the same booleans as ``_Loader``."""

    _CLoader.yaml_implicit_resolvers = _Loader.yaml_implicit_resolvers
# deeper than this cannot be (brackets plus indentation): below it, libyaml is safe to use
_C_DEPTH = 400
_DEEP_INDENT = re.compile(rf"^\s{{{_C_DEPTH}}}", re.M)
_ANCHOR = re.compile(r"(?:^|[\s\[{,])[&*][^\s\[\]{},]")  # an &anchor or *alias, or alike

Path_ = tuple[str | int, ...]
T = TypeVar("T")


@dataclass
class Located:
    """Plain data from a YAML file plus the line (1-based) of every value in it."""

    data: Any
    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, path: Path_) -> int | None:
        return line_of(self.lines, path)


def line_of(lines: dict[Path_, int], path: Path_) -> int | None:
    """The line of the deepest known prefix of ``path``."""
    for n in range(len(path), -1, -1):
        found = lines.get(tuple(path[:n]))
        if found is not None:
            return found
    return None


def load_yaml(path: str | Path) -> Located:
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        problem = Problem(str(p), None, tr("yaml.unreadable", error=exc.strerror))
        raise ScenarioError([problem]) from None
    return load_yaml_text(raw, str(p))


def load_checked(raw: bytes, file: str, check: Callable[[Located], T]) -> T:
    """``check(load_yaml_text(raw, file))``, composed by libyaml where it can be. Whatever fails
    that way is read again by the pure-Python loader, so every message and line anyone sees is
    the one it gives: when libyaml refused the YAML, Python's own message; when ``check``
    refused what libyaml made, the same refusal if Python reads the very same data and lines,
    else ``check`` on what Python read. A document that loads is the same data either way."""
    fast: Located | None = None
    refused: Exception | None = None
    if _CBase is not None:
        try:
            text = raw.decode("utf-8-sig")
            if _shallow(text):
                loader = _CLoader(text)
                try:
                    fast = _located(loader.get_single_node(), loader, file)
                finally:
                    loader.dispose()
        except Exception:  # read again below, for the located message
            fast = None
        if fast is not None:
            try:
                return check(fast)
            except Exception as exc:
                refused = exc
    slow = load_yaml_text(raw, file)
    if (
        refused is not None
        and fast is not None
        and slow.lines == fast.lines
        and slow.data == fast.data
        and repr(slow.data) == repr(fast.data)
    ):
        raise refused  # the same data and lines, checked the same way: the same refusal
    return check(slow)


def load_yaml_checked(path: str | Path, check: Callable[[Located], T]) -> T:
    """``check(load_yaml(path))``, composed by libyaml where it can be (``load_checked``)."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError:
        return check(load_yaml(p))  # raises the located "cannot read" problem
    return load_checked(raw, str(p), check)


def load_yaml_text(raw: bytes | str, file: str) -> Located:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ScenarioError([Problem(file, line, tr("yaml.not_utf8"))]) from None
    else:
        text = raw
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # a control character: the reader refuses the text
        line = text[: exc.position].count("\n") + 1
        problem = Problem(file, line, tr("yaml.bad_character", code=f"U+{exc.character:04X}"))
        raise ScenarioError([problem]) from None
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else None
        msg = exc.problem or str(exc)
        raise ScenarioError([Problem(file, where, tr("yaml.syntax", problem=msg))]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, None, tr("yaml.syntax", problem=str(exc)))]) from None
    except RecursionError:  # PyYAML composes nested nodes recursively
        where = _current_line(loader)
        raise ScenarioError([Problem(file, where, tr("yaml.too_deep", limit=_MAX_DEPTH))]) from None
    finally:
        loader.dispose()
    return _located(node, loader, file)


def _shallow(text: str) -> bool:
    """Whether libyaml should compose ``text``: it cannot nest deeper than libyaml is safe to
    compose, and it has no anchors or aliases (what a bomb is made of: such a document is
    measured and refused by the Python loader alone, not built twice)."""
    if text.count("[") + text.count("{") >= _C_DEPTH:
        return False
    return _DEEP_INDENT.search(text) is None and _ANCHOR.search(text) is None


def _located(node: yaml.Node | None, loader: Any, file: str) -> Located:
    located = Located(data=None, file=file)
    if node is None:
        return located
    budget = [_MAX_NODES]
    located.data = _build(node, (), located, loader, budget, set())
    return located


def _current_line(loader: _Loader) -> int | None:
    try:
        return int(loader.get_mark().line) + 1
    except Exception:  # the reader's state after a failure is best effort only
        return None


def _fail(out: Located, node: yaml.Node, msg_id: str, **params: Any) -> ScenarioError:
    return ScenarioError([Problem(out.file, node.start_mark.line + 1, tr(msg_id, **params))])


def _merged_size(
    node: yaml.MappingNode, out: Located, open_: set[int], memo: dict[int, int]
) -> int:
    """How many entries ``node`` has once its merge keys (``<<``) are expanded, without
    expanding them: PyYAML's own flattening copies entries, so a merge bomb is measured first."""
    if id(node) in memo:
        return memo[id(node)]
    if id(node) in open_:
        raise _fail(out, node, "yaml.recursive")
    open_.add(id(node))
    size = 0
    for key_node, value_node in node.value:
        if key_node.tag != _MERGE:
            size += 1
            continue
        subs = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
        for sub in subs:
            if isinstance(sub, yaml.MappingNode):
                size += _merged_size(sub, out, open_, memo)
    open_.discard(id(node))
    memo[id(node)] = size
    return size


def _build(
    node: yaml.Node,
    path: Path_,
    out: Located,
    loader: Any,
    budget: list[int],
    open_: set[int],
) -> Any:
    """Plain data from ``node``; ``open_`` holds the nodes being built (an alias back to one of
    them is a cycle), ``budget`` the nodes still allowed."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _fail(out, node, "yaml.too_large")
    if len(path) > _MAX_DEPTH:
        raise _fail(out, node, "yaml.too_deep", limit=_MAX_DEPTH)
    if id(node) in open_:
        raise _fail(out, node, "yaml.recursive")
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        if any(k.tag == _MERGE for k, _ in node.value):
            if _merged_size(node, out, set(), {}) > budget[0]:
                raise _fail(out, node, "yaml.too_large")
            try:
                loader.flatten_mapping(node)
            except yaml.YAMLError as exc:
                raise _fail(out, node, "yaml.syntax", problem=_brief(exc)) from None
        result: dict[Any, Any] = {}
        open_.add(id(node))
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(out, key_node, "yaml.bad_key")
            key = _scalar(key_node, out, loader)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise _fail(out, key_node, "yaml.bad_key")
            if key in result:
                raise _fail(out, key_node, "yaml.duplicate_key", key=_brief(key))
            child = (*path, key if isinstance(key, str) else str(key))
            out.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, out, loader, budget, open_)
        open_.discard(id(node))
        return result
    if isinstance(node, yaml.SequenceNode):
        open_.add(id(node))
        items = [
            _build(item, (*path, i), out, loader, budget, open_)
            for i, item in enumerate(node.value)
        ]
        open_.discard(id(node))
        return items
    return _scalar(node, out, loader)


def _scalar(node: yaml.Node, out: Located, loader: Any) -> Any:
    """A scalar's value. Explicit tags and implicit types fail to construct in ways PyYAML does
    not wrap (``!!int abc`` and an empty ``!!float`` raise ValueError and IndexError, an empty
    ``!!timestamp`` AttributeError, a date of month 13 or an integer of 5,000 digits
    ValueError): whatever a scalar's constructor raises, the value cannot be read."""
    if node.tag == _STR:  # what SafeConstructor makes of a plain string: the node's value
        return node.value
    try:
        return loader.construct_object(node, deep=True)
    except Exception as exc:
        raise _fail(out, node, "yaml.bad_value", problem=_brief(exc)) from None


def _brief(value: Any, limit: int = 120) -> str:
    text = str(getattr(value, "problem", None) or value)
    return text if len(text) <= limit else text[: limit - 1] + "…"

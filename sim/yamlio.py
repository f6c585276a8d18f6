"""The one path for YAML: safe load that keeps line marks.

PyYAML's safe loader is used with two changes: only ``true``/``false`` are booleans (devices
here really are ``on`` and ``off``, and ``no`` is an answer), and duplicate keys are refused.
Each value's line is kept in a map from its path (a tuple of keys and indices) so that
validation errors can name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from sim.errors import Problem, ScenarioError
from sim.i18n import tr

__all__ = ["Located", "load_yaml", "load_yaml_text", "line_of"]

# A document may use anchors and aliases, but not to blow up: past this many nodes it is refused.
_MAX_NODES = 200_000


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

Path_ = tuple[str | int, ...]


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


def load_yaml_text(raw: bytes | str, file: str) -> Located:
    if isinstance(raw, bytes):
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ScenarioError([Problem(file, line, tr("yaml.not_utf8"))]) from None
    else:
        text = raw
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = mark.line + 1 if mark else None
        msg = exc.problem or str(exc)
        raise ScenarioError([Problem(file, where, tr("yaml.syntax", problem=msg))]) from None
    except yaml.YAMLError as exc:
        raise ScenarioError([Problem(file, None, tr("yaml.syntax", problem=str(exc)))]) from None
    finally:
        loader.dispose()
    located = Located(data=None, file=file)
    if node is None:
        return located
    budget = [_MAX_NODES]
    located.data = _build(node, (), located, loader, budget)
    return located


def _build(node: yaml.Node, path: Path_, out: Located, loader: _Loader, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise ScenarioError([Problem(out.file, node.start_mark.line + 1, tr("yaml.too_large"))])
    out.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        result: dict[Any, Any] = {}
        loader.flatten_mapping(node)
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if not isinstance(key, str | int | float | bool) or key is None:
                raise ScenarioError(
                    [Problem(out.file, key_node.start_mark.line + 1, tr("yaml.bad_key"))]
                )
            if key in result:
                raise ScenarioError(
                    [
                        Problem(
                            out.file,
                            key_node.start_mark.line + 1,
                            tr("yaml.duplicate_key", key=key),
                        )
                    ]
                )
            child = (*path, key if isinstance(key, str) else str(key))
            out.lines[child] = key_node.start_mark.line + 1
            result[key] = _build(value_node, child, out, loader, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, (*path, i), out, loader, budget) for i, item in enumerate(node.value)]
    try:
        return loader.construct_object(node, deep=True)
    except yaml.YAMLError as exc:
        raise ScenarioError(
            [Problem(out.file, node.start_mark.line + 1, tr("yaml.syntax", problem=str(exc)))]
        ) from None

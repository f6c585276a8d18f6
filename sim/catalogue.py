"""Message catalogues: the one loader for the words every package says.

Each package keeps its own words in ``<package>/locale/zh.yaml`` and ``en.yaml`` (Chinese is the
first language). A package reads its own catalogue and those of the packages below it, in
order: ``Words("records", "scoring", "sim")``. Keys are closed: a key YAML would read as a
boolean or a number (``yes:``, ``no:``, ``on:``, ``1:``) or a value that is not text is refused
when the file is read, naming the file and line, and no key may be defined by two catalogues
a package reads, so each message has one home.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import yaml

from sim.errors import DeskTrainerError

__all__ = ["LANGUAGES", "CatalogueError", "Words", "load_catalogue", "catalogue_file"]

LANGUAGES = ("zh", "en")
_STR = "tag:yaml.org,2002:str"

_current = ["zh"]


class CatalogueError(DeskTrainerError):
    """A message catalogue cannot be used: the message names the file, line and the fix."""


def catalogue_file(package: str, lang: str) -> Path:
    spec = find_spec(package)
    if spec is None or spec.origin is None:
        raise CatalogueError(f"{package}: no such package")
    return Path(spec.origin).parent / "locale" / f"{lang}.yaml"


@cache
def load_catalogue(package: str, lang: str) -> dict[str, str]:
    """One package's messages in one language, flattened to dotted keys."""
    path = catalogue_file(package, lang)
    try:
        text = path.read_text(encoding="utf-8")
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise CatalogueError(f"{path}: cannot be read as a message catalogue ({exc})") from None
    out: dict[str, str] = {}
    if root is not None:
        _walk(root, "", out, path)
    return out


def _walk(node: yaml.Node, prefix: str, out: dict[str, str], path: Path) -> None:
    if not isinstance(node, yaml.MappingNode):
        line = node.start_mark.line + 1
        raise CatalogueError(f"{path}:{line}: expected a mapping of message keys")
    for key, value in node.value:
        line = key.start_mark.line + 1
        if not isinstance(key, yaml.ScalarNode) or key.tag != _STR:
            raise CatalogueError(
                f"{path}:{line}: the key {key.value!r} would be read as "
                f"{key.tag.rsplit(':', 1)[-1]}, not text: rename it (e.g. answer_{key.value})"
            )
        name = f"{prefix}{key.value}"
        if isinstance(value, yaml.MappingNode):
            _walk(value, name + ".", out, path)
        elif isinstance(value, yaml.ScalarNode) and value.tag == _STR:
            out[name] = str(value.value)
        else:
            raise CatalogueError(
                f"{path}:{value.start_mark.line + 1}: the message {name!r} is not text: "
                "put it in quotes"
            )


def set_language(lang: str) -> None:
    """The language used when a caller names none (the command line sets it once)."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current[0] = lang


def language() -> str:
    return _current[0]


class Words:
    """The messages a package says: its own catalogue, then those of the packages it builds
    on. ``words(key, lang, **params)`` fills the message; English falls back to Chinese, and
    a key found nowhere is returned as itself (a test keeps every key the code uses defined in
    both languages)."""

    def __init__(self, *packages: str) -> None:
        self.packages = packages

    def table(self, lang: str) -> dict[str, str]:
        return _merged(self.packages, lang)

    def get(self, key: str, lang: str) -> str | None:
        return self.table(lang).get(key)

    def __call__(self, msg_id: str, lang: str | None = None, /, **params: Any) -> str:
        lang = lang or _current[0]
        template = self.table(lang).get(msg_id)
        if template is None:
            template = self.table("zh").get(msg_id, msg_id)
        return template.format(**params) if params else template

    def __iter__(self) -> Iterator[str]:
        return iter(self.table("zh"))


@cache
def _merged(packages: tuple[str, ...], lang: str) -> dict[str, str]:
    merged: dict[str, str] = {}
    owner: dict[str, str] = {}
    for package in packages:
        for key, value in load_catalogue(package, lang).items():
            if key in merged:
                raise CatalogueError(
                    f"{catalogue_file(package, lang)}: '{key}' is defined by both {package} and "
                    f"{owner[key]}: keep it in one of them"
                )
            merged[key] = value
            owner[key] = package
    return merged

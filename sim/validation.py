"""Turn pydantic validation errors into located, plain-language problems."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from sim.errors import Problem
from sim.i18n import tr
from sim.yamlio import Located

__all__ = ["problems_from", "did_you_mean", "validate_located"]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A ' (did you mean 'x'?)' suffix, or '' when nothing is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return tr("validation.did_you_mean", choice=close[0]) if close else ""


M = TypeVar("M", bound=BaseModel)


def validate_located(
    model: type[M], doc: Located, context: dict[str, Any] | None = None
) -> tuple[M | None, list[Problem]]:
    try:
        return model.model_validate(doc.data, context=context), []
    except ValidationError as exc:
        return None, problems_from(exc, doc, model)


def problems_from(exc: ValidationError, doc: Located, model: type[BaseModel]) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[int | None, str]] = set()
    for err in exc.errors(include_url=False):
        path = _data_path(doc.data, err["loc"])
        where = ".".join(str(p) for p in path) or tr("validation.top_level")
        message = _message(err, path, model, doc.data)
        line = doc.line(path)
        key = (line, message)
        if key in seen:
            continue
        seen.add(key)
        problems.append(Problem(doc.file, line, f"{where}: {message}"))
    return problems


def _data_path(data: Any, loc: Sequence[int | str]) -> tuple[str | int, ...]:
    """Keep only the parts of pydantic's loc that address the data (not union tags)."""
    path: list[str | int] = []
    cur = data
    for part in loc:
        in_dict = isinstance(cur, dict) and part in cur
        in_list = isinstance(cur, list) and isinstance(part, int) and 0 <= part < len(cur)
        if in_dict or in_list:
            path.append(part)
            cur = cur[part]
        elif isinstance(cur, dict) and part == cur.get("template"):
            continue  # the tag of a rule template (a discriminated union), not a key
        elif isinstance(cur, dict) and isinstance(part, str) and not _is_tag(part):
            # a missing or extra key: name it, it is the last part that matters
            path.append(part)
            cur = None
    return tuple(path)


def _is_tag(part: str) -> bool:
    return "[" in part or part in {"str", "int", "float", "bool", "list", "dict", "tuple"}


def _message(err: Any, path: tuple[str | int, ...], model: type[BaseModel], data: Any) -> str:
    kind = err["type"]
    ctx = err.get("ctx") or {}
    if kind == "extra_forbidden":
        allowed = _allowed_keys(model, path[:-1], data)
        key = str(path[-1]) if path else "?"
        hint = did_you_mean(key, allowed) if allowed else ""
        return tr("validation.unknown_key", key=key, allowed=", ".join(sorted(allowed))) + hint
    if kind == "missing":
        return tr("validation.missing")
    if kind in ("bool_type", "bool_parsing"):
        return tr("validation.bool", value=_show(err.get("input")))
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return tr("validation.int", value=_show(err.get("input")))
    if kind in ("float_type", "float_parsing"):
        return tr("validation.number", value=_show(err.get("input")))
    if kind == "string_type":
        return tr("validation.string", value=_show(err.get("input")))
    if kind in ("list_type", "tuple_type"):
        return tr("validation.list", value=_show(err.get("input")))
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return tr("validation.mapping", value=_show(err.get("input")))
    if kind in ("literal_error", "enum"):
        expected = ctx.get("expected", "")
        return tr("validation.choice", value=_show(err.get("input")), expected=expected)
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return tr("validation.range", value=_show(err.get("input")), bound=err["msg"])
    if kind == "union_tag_invalid":
        return tr(
            "validation.choice", value=_show(ctx.get("tag")), expected=ctx.get("expected_tags")
        )
    if kind == "union_tag_not_found":
        return tr("validation.missing_tag", tag=ctx.get("discriminator", "").strip("'"))
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    return str(err["msg"])


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _allowed_keys(model: type[BaseModel], path: tuple[str | int, ...], data: Any) -> list[str]:
    """The keys the model accepts at ``path`` (walking field annotations alongside the data)."""
    target: Any = model
    cur = data
    for part in path:
        if isinstance(cur, dict):
            cur = cur.get(part)
        elif isinstance(cur, list) and isinstance(part, int):
            cur = cur[part]
        else:
            cur = None
        target = _step(target, part, cur)
        if target is None:
            return []
    target = _pick_model(target, cur)
    if isinstance(target, type) and issubclass(target, BaseModel):
        return [f.alias or name for name, f in target.model_fields.items()]
    return []


def _step(target: Any, part: str | int, value: Any) -> Any:
    target = _pick_model(target, None if isinstance(part, str) else value)
    if isinstance(target, type) and issubclass(target, BaseModel):
        if isinstance(part, str):
            for name, f in target.model_fields.items():
                if (f.alias or name) == part:
                    return f.annotation
        return None
    origin = typing.get_origin(target)
    args = typing.get_args(target)
    if origin in (list, tuple) and args:
        return args[0]
    if origin is dict and len(args) == 2:
        return args[1]
    return None


def _pick_model(target: Any, value: Any) -> Any:
    """Unwrap Annotated/Optional; for a union of models pick the one whose tag matches."""
    while True:
        origin = typing.get_origin(target)
        if origin is typing.Annotated:
            target = typing.get_args(target)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            models = [a for a in typing.get_args(target) if a is not type(None)]
            if len(models) == 1:
                target = models[0]
                continue
            for m in models:
                if isinstance(m, type) and issubclass(m, BaseModel):
                    tag = m.model_fields.get("template")
                    if (
                        tag is not None
                        and isinstance(value, dict)
                        and value.get("template") in typing.get_args(tag.annotation)
                    ):
                        return m
            for m in models:
                if isinstance(m, type) and issubclass(m, BaseModel):
                    return m
            return models[0]
        return target

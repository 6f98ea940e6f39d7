"""Field tables of pydantic models, in a reader's words, for the generated references in docs/.

Input: a model class. Output: Markdown lines — a table of its fields (name, type, default,
description), the names of the models used inside it (for "parts" sections), and a field's type
as a reader says it (text, whole number, list of Panel, `bar` | `pie`…). Used by
``make_slide_kind_pictures.py`` (docs/slide-kinds.md) and ``make_material_types.py``
(docs/material-types.md).
"""
from __future__ import annotations

import types
import typing

from pydantic import BaseModel

__all__ = ["type_name", "field_table", "parts_of"]


def type_name(annotation: typing.Any, anchor: str = "") -> str:
    """A field's type in a reader's words; a model is a link to its section (``#{anchor}{name}``)."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0], anchor)
    if origin in (typing.Union, types.UnionType):
        named = [type_name(a, anchor) for a in args if a is not type(None)]
        return " or ".join(dict.fromkeys(named)) + (", may be null" if type(None) in args else "")
    if origin is list:
        return f"list of {type_name(args[0], anchor)}"
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return f"list of {type_name(args[0], anchor)}"
        return f"list of {len(args)}: " + ", ".join(type_name(a, anchor) for a in args)
    if origin is dict:
        return f"mapping of {type_name(args[0], anchor)} to {type_name(args[1], anchor)}"
    if origin is typing.Literal:
        return " \\| ".join(f"`{a}`" for a in args)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{anchor}{annotation.__name__.lower()})"
    named = {str: "text", int: "whole number", float: "number", bool: "true/false"}.get(annotation)
    if named is None:  # a type this table has no words for yet: say so instead of printing a repr
        raise TypeError(f"model_tables.type_name cannot name {annotation!r}")
    return named


def field_table(model: type[BaseModel], skip: tuple[str, ...] = (), anchor: str = "") -> list[str]:
    """The Markdown table of ``model``'s fields (those in ``skip`` left out)."""
    rows = ["| field | type | default | what |", "| --- | --- | --- | --- |"]
    for name, info in model.model_fields.items():
        if name in skip:
            continue
        default = "required" if info.is_required() else (
            "[]" if info.default_factory is list else repr(info.get_default(call_default_factory=True)))
        description = (info.description or "").replace("|", "\\|").replace("\n", " ")
        rows.append(f"| `{name}` | {type_name(info.annotation, anchor)} | {default} | {description} |")
    return rows


def parts_of(model: type[BaseModel], seen: dict[str, type[BaseModel]], stop: tuple[type, ...] = ()) -> None:
    """Models used inside ``model``'s fields, recursively, by name (those subclassing ``stop`` left out)."""
    def walk(annotation: typing.Any) -> None:
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            if annotation.__name__ not in seen and not issubclass(annotation, stop):
                seen[annotation.__name__] = annotation
                parts_of(annotation, seen, stop)
            return
        for arg in typing.get_args(annotation):
            walk(arg)
    for info in model.model_fields.values():
        walk(info.annotation)

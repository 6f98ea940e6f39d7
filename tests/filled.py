"""Content with every field filled, each text field with a text of its own, for the nothing-dropped tests.

``Filler(model).value()`` builds a mapping for a pydantic model from its fields alone: each text
field gets a distinctive token (``z0001x``, ``z0002x``…; ``tokens`` says which field each came
from), every optional field is set, every list has ``copies`` entries (one picture, one chart), a union of models or of text and
a model is filled once per member inside a list (so every page kind of a plugin, and plain and
nested bullets, all appear), numbers and flags take values that show something (labels on,
legends on). Only what the models themselves constrain is chosen by hand: pictures (a real PNG),
colours, and fields that must name another one (``overrides``).
"""
from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any, Callable

from annotated_types import Ge, MaxLen
from PIL import Image
from pydantic import BaseModel

PICTURE = "images/filled.png"


def write_picture(meeting_dir: Path) -> None:
    (meeting_dir / "images").mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (300, 200), (90, 140, 200)).save(meeting_dir / PICTURE)


class Filler:
    """Fills a model; ``tokens`` maps each token to the dotted field it was put in."""

    def __init__(self, overrides: dict[str, Callable[["Filler"], Any]] | None = None, copies: int = 2) -> None:
        self.tokens: dict[str, str] = {}
        self.overrides = overrides or {}
        self.copies = copies

    def find(self, suffix: str) -> str:
        """The token put in the field whose dotted name ends with ``suffix``."""
        return next(token for token, where in self.tokens.items() if where.endswith(suffix))

    def token(self, where: str) -> str:
        text = f"z{len(self.tokens) + 1:04d}x"
        self.tokens[text] = where
        return text

    def model(self, model: type[BaseModel], where: str, depth: int = 0) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, field in model.model_fields.items():
            key = f"{model.__name__}.{name}"
            if key in self.overrides:
                value = self.overrides[key](self)
            else:
                value = self.value(field.annotation, f"{where}.{name}", field.metadata, name, depth)
            if value is not _SKIP:
                out[name] = value
        return out

    def value(self, annotation: Any, where: str, metadata: list[Any], name: str, depth: int) -> Any:
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin is typing.Annotated:
            return self.value(args[0], where, [*metadata, *args[1:]], name, depth)
        if origin is typing.Literal:
            return args[0]
        if origin in (typing.Union, types.UnionType):
            members = [a for a in args if a is not type(None)]
            richest = [a for a in members if _is_model(a) or typing.get_origin(a) in (list, tuple)]
            return self.value((richest or members)[-1], where, metadata, name, depth)
        if origin in (list, tuple):
            if origin is tuple and args and args[-1] is not Ellipsis:
                return [self.value(a, f"{where}[{i}]", [], name, depth) for i, a in enumerate(args)]
            item = args[0]
            if name in ("colors", "widths") or (name == "children" and depth > 1):
                return []  # not text; or bullets nested deeper than one level
            members = [a for a in typing.get_args(_strip(item)) if a is not type(None)] \
                if typing.get_origin(_strip(item)) in (typing.Union, types.UnionType) else [item]
            values = []
            copies = self.copies if len(members) == 1 and name not in ("photos", "charts") else 1
            for index, member in enumerate(members * copies):
                values.append(self.value(member, f"{where}[{index}]", [], name, depth + 1))
            return values
        if _is_model(annotation):
            return self.model(annotation, where, depth)
        if annotation is bool:
            return True
        if annotation is int:
            low = next((m.ge for m in metadata if isinstance(m, Ge)), 1)
            return {"columns": 2, "decimals": 1, "header_rows": 1}.get(name, low)
        if annotation is float:
            return _SKIP if name.startswith("axis_") else 1.0
        if annotation is str:
            if name == "path":
                return PICTURE
            if any(getattr(m, "pattern", None) for m in metadata):
                return _SKIP  # an identifier or a colour, not text
            limit = next((m.max_length for m in metadata if isinstance(m, MaxLen)), None)
            text = self.token(where)
            assert limit is None or len(text) <= limit, where
            return text
        return _SKIP


def _strip(annotation: Any) -> Any:
    return typing.get_args(annotation)[0] if typing.get_origin(annotation) is typing.Annotated else annotation


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


class _Skip:
    pass


_SKIP = _Skip()

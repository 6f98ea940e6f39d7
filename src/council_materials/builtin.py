"""The core's own plugin: the built-in slide kinds and the ``slides`` material type.

A ``slides`` material needs no code: its content file lists slides of any
registered kind, validated by the core. This is how a bureau adds a simple
material (資料4, 資料5, 資料7 of the example) without writing a plugin.
"""
from __future__ import annotations

from typing import Any

from .hookspecs import BuildContext, MaterialType, SlideKind, hookimpl
from .layout.kinds import BUILTIN_KINDS
from .plugins import SlidesContentPlaceholder

__all__ = ["material_types", "slide_kinds"]


def _build_slides(content: Any, ctx: BuildContext) -> list[Any]:
    return list(content.slides)


@hookimpl
def slide_kinds() -> list[SlideKind]:
    return list(BUILTIN_KINDS)


@hookimpl
def material_types() -> list[MaterialType]:
    return [MaterialType("slides", SlidesContentPlaceholder, _build_slides,
                         "Slides written directly in the content file, in any registered kind")]

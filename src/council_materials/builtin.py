"""The core's own plugin: the built-in slide kinds, the ``slides`` material type and the output formats.

A ``slides`` material needs no code: its content file lists slides of any
registered kind, validated by the core. This is how a bureau adds a simple
material (資料4, 資料5, 資料7 of the example) without writing a plugin. The
output formats (PDF, PPTX, standalone HTML) are registered here and nowhere
else: a build, ``--format`` and ``council plugins`` take them from the
registry, so a new format is one more entry (or a plugin's ``output_formats``).
"""
from __future__ import annotations

from typing import Any

from .hookspecs import BuildContext, MaterialType, OutputFormat, SlideKind, hookimpl
from .layout.kinds import BUILTIN_KINDS
from .plugins import SlidesContentPlaceholder

__all__ = ["material_types", "slide_kinds", "output_formats"]


def _build_slides(content: Any, ctx: BuildContext) -> list[Any]:
    return list(content.slides)


@hookimpl
def slide_kinds() -> list[SlideKind]:
    return list(BUILTIN_KINDS)


@hookimpl
def material_types() -> list[MaterialType]:
    return [MaterialType("slides", SlidesContentPlaceholder, _build_slides,
                         "Slides written directly in the content file, in any registered kind", lists_slides=True)]


def _pdf(document: Any, path: Any) -> None:
    from .render.pdf import render_pdf  # each renderer is imported only by a build that writes its format
    render_pdf(document, path)


def _pptx(document: Any, path: Any) -> None:
    from .render.pptx import render_pptx
    render_pptx(document, path)


def _html(document: Any, path: Any) -> None:
    from .render.html_file import render_html
    render_html(document, path)


@hookimpl
def output_formats() -> list[OutputFormat]:
    return [OutputFormat("pdf", _pdf, "PDF, fonts embedded, with a combined PDF of every part (printed, published)"),
            OutputFormat("pptx", _pptx, "PowerPoint, editable: titles in placeholders, the frame on the layout"),
            OutputFormat("html", _html, "one self-contained HTML file per part, drawn as the preview draws it",
                         default=False)]

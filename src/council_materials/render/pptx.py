"""PPTX renderer: draws a laid-out ``Document`` as native, editable PowerPoint objects.

Takes a :class:`council_materials.layout.primitives.Document` (pages of positioned
primitives, in points, text already broken into lines) and writes one ``.pptx`` file:
one slide per page, text boxes with explicit line breaks, autoshapes, connectors,
pictures (cropped with ``a:srcRect``, alternative text in ``descr``), native tables and
native charts whose data opens in PowerPoint's sheet, each exactly at the rectangle the
layout gave it.

It decides nothing: it never measures or wraps text and never chooses a position.
Points are used inside and converted to EMU (1 pt = 12700 EMU) only at the edge.
The XML is written as text by the ``pptx_*`` modules beside this one (``pptx_xml``: shapes
and text, ``pptx_package``: the zip, its template parts and relationships, ``pptx_workbook``:
a chart's embedded sheet) and ``chartxml`` (a chart's look); python-pptx's default template
supplies the slide master, and python-pptx itself is not imported (it made a build several
times slower). The same ``Document`` always gives a byte-identical file (fixed zip times,
metadata from the document, never from the clock, in the presentation and in each chart's
embedded workbook).
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from council_materials.layout.primitives import (
    Arrow, Box, Chart, Document, FontFaces, Picture, Rule, Table, TextBlock,
)

from . import pptx_xml as xml
from .chartxml import chart_xml
from .pptx_package import Package
from .pptx_workbook import workbook

__all__ = ["render_pptx"]


class _Slide:
    """One slide being drawn: its shapes' XML in drawing order, the next shape id (ids are
    unique on the slide, from 2 up: 1 is the slide's shape tree), its part in the package."""

    def __init__(self, package: Package, document: Document) -> None:
        self.package = package
        self.document = document
        self.part = package.add_slide()
        self.shapes: list[str] = []

    def next_id(self) -> tuple[int, str]:
        """The next shape id and the number python-pptx put in default names (the id less one)."""
        shape_id = len(self.shapes) + 2
        return shape_id, str(shape_id - 1)


# ---- one function per primitive -----------------------------------------------------------

def _draw_text_block(slide: _Slide, block: TextBlock, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    slide.shapes.append(xml.text_box(shape_id, block.name or f"TextBox {number}", block, fonts.family))


def _draw_box(slide: _Slide, box: Box, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    if box.radius > 0:
        shortest = min(box.rect.w, box.rect.h)
        share = min(box.radius / shortest, 0.5) if shortest > 0 else 0.0
        shape = xml.autoshape(shape_id, box.name or f"Rounded Rectangle {number}", "roundRect", box.rect,
                              box.fill, box.stroke, box.stroke_width, (("adj", int(share * 100000.0)),))
    else:
        shape = xml.autoshape(shape_id, box.name or f"Rectangle {number}", "rect", box.rect,
                              box.fill, box.stroke, box.stroke_width)
    slide.shapes.append(shape)


_ARROWS = {"right": ("rightArrow", "Right Arrow"), "down": ("downArrow", "Down Arrow")}


def _draw_arrow(slide: _Slide, arrow: Arrow, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    prst, label = _ARROWS["right" if arrow.direction == "right" else "down"]
    slide.shapes.append(xml.autoshape(shape_id, arrow.name or f"{label} {number}", prst, arrow.rect,
                                      arrow.fill, None, 0.0))


def _draw_rule(slide: _Slide, rule: Rule, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    slide.shapes.append(xml.connector(shape_id, f"Connector {number}", xml.emu(rule.x1), xml.emu(rule.y1),
                                      xml.emu(rule.x2), xml.emu(rule.y2), rule.color, rule.width))


def _draw_picture(slide: _Slide, picture: Picture, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    rid = slide.package.add_picture(slide.part, picture.path)
    slide.shapes.append(xml.picture(shape_id, picture.name or f"Picture {number}", picture.alt or None,
                                    rid, picture.rect, picture.crop))


def _draw_table(slide: _Slide, table: Table, fonts: FontFaces) -> None:
    shape_id, number = slide.next_id()
    slide.shapes.append(xml.table(shape_id, table.name or f"Table {number}", table, fonts.family))


def _draw_chart(slide: _Slide, chart: Chart, fonts: FontFaces) -> None:
    """A native chart: its part (``chartxml``) and its data as the embedded workbook."""
    shape_id, number = slide.next_id()
    stamp = datetime.fromisoformat(slide.document.created).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = workbook(chart.categories, [(series.name, series.values) for series in chart.series],
                    chart.number_format, stamp)
    rid = slide.package.add_chart(slide.part, chart_xml(chart, fonts.family).encode(), data)
    slide.shapes.append(xml.chart_frame(shape_id, chart.name or f"Chart {number}", chart.alt or None,
                                        rid, chart.rect))


_DRAW: dict[type, Callable[[_Slide, Any, FontFaces], None]] = {
    TextBlock: _draw_text_block,
    Box: _draw_box,
    Arrow: _draw_arrow,
    Rule: _draw_rule,
    Picture: _draw_picture,
    Table: _draw_table,
    Chart: _draw_chart,
}


# ---- document -----------------------------------------------------------------------------

def render_pptx(document: Document, path: Path) -> None:
    """Write ``document`` to ``path`` as a PPTX, one slide per page, byte-reproducibly."""
    if not document.pages:
        raise ValueError(f"document {document.title!r} has no pages")
    width, height = xml.emu(document.pages[0].width), xml.emu(document.pages[0].height)
    for page in document.pages:
        if (xml.emu(page.width), xml.emu(page.height)) != (width, height):
            raise ValueError(
                f"document {document.title!r}: page {page.number} is {page.width}x{page.height} pt, "
                f"the first page is {document.pages[0].width}x{document.pages[0].height} pt; "
                "all pages of one PPTX must have one size")
    package = Package(width, height)
    for page in document.pages:
        slide = _Slide(package, document)
        for item in page.items:
            draw = _DRAW.get(type(item))
            if draw is None:
                raise TypeError(f"cannot draw {type(item).__name__} on page {page.number}")
            try:
                draw(slide, item, document.fonts)
            except xml.XmlCharError as error:
                raise xml.XmlCharError(f"document {document.title!r}, page {page.number}, "
                                       f"{getattr(item, 'name', '') or type(item).__name__}: {error}") from None
        slide.part.blob = xml.slide(slide.shapes).encode()
    try:
        data = package.save(document.title, document.author, document.subject, document.created)
    except xml.XmlCharError as error:
        raise xml.XmlCharError(f"document properties: {error}") from None
    Path(path).write_bytes(data)

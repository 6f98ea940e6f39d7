"""PDF renderer: draws a laid-out ``Document`` into one tagged PDF file with reportlab.

Takes a ``council_materials.layout.primitives.Document`` (pages of positioned
primitives, text already broken into lines and runs, font files, metadata,
bookmarks) and writes one PDF to the given path: fonts embedded as subsets (each
named by a tag made from its content), the same bytes for the same Document
(invariant mode; dates, metadata and the ``/ID`` from the Document, never the clock).

It decides nothing: no measuring, wrapping or positioning; it only converts the
layout's top-left, y-down points to PDF's bottom-left origin at the edge
(``y_pdf = page.height - y``). Text is written as text-object operators (reportlab's
font picks each character's 256-glyph subset), never through a markup parser, so
``R&D`` or ``<b>`` print literally. Charts are drawn from the marks and labels the
layout computed; a picture's crop is a clipping path. Python's cycle collector is paused while a
document is drawn and written (``_no_cycle_collection``: its passes over the heap were a quarter
of the renderer's time).

The PDF is tagged (PDF 1.7, PDF/UA-1): ``pdf_tags`` turns each item's role and group
into marked content and the structure tree (headings, paragraphs, lists, tables,
figures with alternative text; the frame and decoration as artifacts), and the file gets
the catalog's ``/Lang``, ``/MarkInfo``, ``/ViewerPreferences /DisplayDocTitle`` and
XMP ``/Metadata`` (``pdf_meta``), each page's ``/StructParents`` and ``/Tabs /S``, and
an outline entry per bookmark at the first heading of its page
(a Document without bookmarks gets one, its title, at its first heading: the joiner
points the combined PDF's bookmarks there). reportlab has no structure-tree API:
``pdf_catalog`` writes the tree's objects as bytes and registers them with reportlab's
document. Only this module and its helpers ``pdf_fonts`` (faces, cached), ``pdf_images``
(pictures from their own compressed data) and ``pdf_catalog`` import reportlab.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from string import hexdigits
from typing import Any, Callable, Iterator

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas  # type: ignore[attr-defined]  # a public constant its stub lacks

from council_materials.errors import FontError
from council_materials.render.dates import pdf_date
from council_materials.render.pdf_fonts import register_face
from council_materials.render.pdf_images import draw_image
from council_materials.render.pdf_catalog import finish_document, pdf_document, tag_page
from council_materials.render.pdf_meta import LANG, PDF_VERSION
from council_materials.render.pdf_tags import Tagger, chart_alt
from council_materials.layout.primitives import (
    DECORATION_ROLES, Arrow, Box, Chart, Document, Item, Mark, Picture, Polyline, Rect, Rule, Table, TextBlock, Wedge,
)

__all__ = ["render_pdf"]

CREATOR = "council-materials"
# Streams and images as compressed binary, not also ASCII85-encoded: smaller files, and the
# encoding was a third of the renderer's time.
rl_config.useA85 = 0


@dataclass(frozen=True, slots=True)
class _Context:
    """What every draw function needs besides the item: page height and the two fonts."""

    height: float
    page: int  # 1-based, for error messages
    regular: TTFont
    bold: TTFont
    subset_names: dict[tuple[TTFont, int], str]  # the document's PDF font names, e.g. /F1+2
    tags: Tagger


@lru_cache(maxsize=256)
def _rgb(hex_rgb: str) -> tuple[float, float, float]:
    """``"1F4E79"`` -> (red, green, blue), each 0 to 1 (a page uses a few colours, over and over)."""
    if len(hex_rgb) != 6 or not all(ch in hexdigits for ch in hex_rgb):
        raise ValueError(f"colour must be six hex digits like '1F4E79', got {hex_rgb!r}")
    value = int(hex_rgb, 16)
    return (value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255


@lru_cache(maxsize=256)
def _fill(hex_rgb: str) -> str:
    """The operator setting the fill colour to ``hex_rgb`` inside a text object."""
    return f"{fp_str(*_rgb(hex_rgb))} rg"


def _color(hex_rgb: str) -> Color:
    """``"1F4E79"`` -> reportlab colour."""
    return Color(*_rgb(hex_rgb))


def _pdf_rect(rect: Rect, height: float) -> tuple[float, float, float, float]:
    """Top-left rect -> reportlab (x, bottom y, width, height)."""
    return rect.x, height - rect.bottom, rect.w, rect.h


def _check_glyphs(font: TTFont, text: str, block: TextBlock, ctx: _Context) -> None:
    """Refuse to print tofu: reportlab silently draws .notdef for a missing glyph."""
    cmap = font.face.charToGlyph
    missing = sorted({ch for ch in text if ord(ch) not in cmap and ch != "\xa0"})
    if missing:
        chars = ", ".join(f"{ch!r} (U+{ord(ch):04X})" for ch in missing)
        raise FontError(f"page {ctx.page}, box {block.name!r}: font {font.fontName!r} has no glyph for {chars}")


Marks = dict[int, list[tuple[int, str]]]
"""Marked-content operators to write inside a text block: {paragraph index: [(character offset in the
paragraph, operators)]}, offsets in order (``Tagger.text_block``)."""


def _draw_text_block(canvas: Canvas, block: TextBlock, ctx: _Context, marks: Marks | None = None,
                     around: tuple[str, str] = ("", "")) -> None:
    """Every run at its own (x, baseline); one text object per block, no markup.

    The operators reportlab's text object writes for ``setFont``/``setTextOrigin``/``textOut``,
    without what this renderer never uses (leading, the cursor's advance, a font change that
    repeats the font in use): the same calls pick each character's 256-glyph subset and name.
    ``marks`` are written where their offsets fall, splitting a run there (the text position
    moves on with the glyphs shown, so the run looks the same); ``around`` goes around the text
    object.
    """
    doc, names = pdf_document(canvas), ctx.subset_names
    size = fp_str(block.size)
    code = [around[0], "BT", _fill(block.color)] if around[0] else ["BT", _fill(block.color)]
    current = None

    def show(font: TTFont, text: str) -> None:
        nonlocal current
        chunks = font.splitString(text, doc)
        if any(subset == 0 and 0 in chars for subset, chars in chunks):  # .notdef, or U+0000
            _check_glyphs(font, text, block, ctx)
        for subset, chars in chunks:
            if (font, subset) != current:
                current = (font, subset)
                if current not in names:
                    names[current] = font.getSubsetInternalName(subset, doc)
                code.append(f"{names[current]} {size} Tf")
            code.append(f"({escapePDF(chars)}) Tj")

    for index, para in enumerate(block.paragraphs):
        pending = marks.get(index, ()) if marks else ()
        next_mark, at = 0, 0
        for line in para.lines:
            y = ctx.height - line.baseline
            for run in line.runs:
                text = run.text
                if not text:
                    continue
                font = ctx.bold if run.bold else ctx.regular
                end = at + len(text)
                while next_mark < len(pending) and pending[next_mark][0] <= at:  # before the run's position
                    code.append(pending[next_mark][1])
                    next_mark += 1
                code.append(f"1 0 0 1 {fp_str(run.x, y)} Tm")
                cut = 0
                while next_mark < len(pending) and pending[next_mark][0] < end:  # inside the run
                    offset = pending[next_mark][0] - at
                    if offset > cut:
                        show(font, text[cut:offset])
                        cut = offset
                    code.append(pending[next_mark][1])
                    next_mark += 1
                show(font, text[cut:])
                at = end
        code.extend(operators for _, operators in pending[next_mark:])
    code.append("ET")
    if around[1]:
        code.append(around[1])
    canvas.addLiteral(" ".join(code))


def _draw_box(canvas: Canvas, box: Box, ctx: _Context) -> None:
    fill = box.fill is not None
    stroke = box.stroke is not None and box.stroke_width > 0
    if not (fill or stroke):
        return
    if box.fill is not None:
        canvas.setFillColor(_color(box.fill))
    if stroke:
        canvas.setStrokeColor(_color(box.stroke or ""))
        canvas.setLineWidth(box.stroke_width)
    x, y, w, h = _pdf_rect(box.rect, ctx.height)
    if box.radius > 0:
        canvas.roundRect(x, y, w, h, box.radius, stroke=int(stroke), fill=int(fill))
    else:
        canvas.rect(x, y, w, h, stroke=int(stroke), fill=int(fill))


def _draw_arrow(canvas: Canvas, arrow: Arrow, ctx: _Context) -> None:
    try:
        points = arrow.outline()  # PowerPoint's preset geometry, so both outputs match
    except ValueError as exc:
        raise ValueError(f"page {ctx.page}, {exc}") from None
    path = canvas.beginPath()
    path.moveTo(points[0][0], ctx.height - points[0][1])
    for x, y in points[1:]:
        path.lineTo(x, ctx.height - y)
    path.close()
    canvas.setFillColor(_color(arrow.fill))
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_rule(canvas: Canvas, rule: Rule, ctx: _Context) -> None:
    if rule.width <= 0:
        return
    canvas.setStrokeColor(_color(rule.color))
    canvas.setLineWidth(rule.width)
    canvas.line(rule.x1, ctx.height - rule.y1, rule.x2, ctx.height - rule.y2)


def _draw_picture(canvas: Canvas, picture: Picture, ctx: _Context) -> None:
    if not Path(picture.path).is_file():
        raise FileNotFoundError(f"page {ctx.page}, picture {picture.name!r}: no file {picture.path}")
    x, y, w, h = _pdf_rect(picture.rect, ctx.height)
    left, top, right, bottom = picture.crop
    canvas.saveState()
    if any(picture.crop):  # the whole picture, scaled so the uncropped part fills the rect, clipped to it
        clip = canvas.beginPath()
        clip.rect(x, y, w, h)
        canvas.clipPath(clip, stroke=0, fill=0)
        full_w, full_h = w / (1 - left - right), h / (1 - top - bottom)
        x, y, w, h = x - left * full_w, y - bottom * full_h, full_w, full_h
    draw_image(canvas, picture.path, x, y, w, h)
    canvas.restoreState()


def _draw_wedge(canvas: Canvas, wedge: Wedge, ctx: _Context) -> None:
    """A slice: angles go clockwise from 12 o'clock in the layout, anticlockwise from 3 o'clock in PDF."""
    cx, cy = wedge.cx, ctx.height - wedge.cy
    outer = (cx - wedge.radius, cy - wedge.radius, cx + wedge.radius, cy + wedge.radius)
    inner = (cx - wedge.inner, cy - wedge.inner, cx + wedge.inner, cy + wedge.inner)
    path = canvas.beginPath()
    if wedge.sweep >= 359.99:
        path.circle(cx, cy, wedge.radius)
        if wedge.inner:
            path.circle(cx, cy, wedge.inner)
    else:
        start = 90 - wedge.start
        # types-reportlab declares the angles int; reportlab takes any number of degrees
        if wedge.inner:
            path.arc(*outer, startAng=start, extent=-wedge.sweep)  # type: ignore[arg-type]
            path.arcTo(*inner, startAng=start - wedge.sweep, extent=wedge.sweep)  # type: ignore[arg-type]
        else:
            path.moveTo(cx, cy)
            path.arcTo(*outer, startAng=start, extent=-wedge.sweep)  # type: ignore[arg-type]
        path.close()
    canvas.setFillColor(_color(wedge.fill))
    outline = wedge.outline
    stroke = outline is not None and outline.width > 0
    if outline is not None and stroke:
        canvas.setStrokeColor(_color(outline.color))
        canvas.setLineWidth(outline.width)
    canvas.drawPath(path, stroke=int(stroke), fill=1, fillMode=FILL_EVEN_ODD)  # a doughnut's hole stays empty


def _draw_polyline(canvas: Canvas, line: Polyline, ctx: _Context) -> None:
    path = canvas.beginPath()
    path.moveTo(line.points[0][0], ctx.height - line.points[0][1])
    for x, y in line.points[1:]:
        path.lineTo(x, ctx.height - y)
    canvas.saveState()
    canvas.setStrokeColor(_color(line.color))
    canvas.setLineWidth(line.width)
    canvas.setLineJoin(1)
    canvas.setLineCap(1)
    canvas.drawPath(path, stroke=1, fill=0)
    canvas.restoreState()


def _draw_chart(canvas: Canvas, chart: Chart, ctx: _Context) -> None:
    """The marks (grid, bars, slices, lines, legend keys) in order, then every label: one ``Figure``
    whose alternative text gives the chart's title and values."""
    opened, closed = ctx.tags.figure(chart_alt(chart), chart.rect, ctx.height, chart.group)
    canvas.addLiteral(opened)
    for mark in chart.marks:
        _draw_item(canvas, mark, ctx)
    for label in chart.labels:
        _draw_text_block(canvas, label, ctx)
    canvas.addLiteral(closed)


def _draw_table(canvas: Canvas, table: Table, ctx: _Context) -> None:
    """Fills, then the grid around every (merged) cell (an artifact), then each cell's text, marked as its
    ``TH`` or ``TD``."""
    opened, closed = ctx.tags.artifact("decoration")
    canvas.addLiteral(opened)
    for cell in table.cells:
        if cell.fill is not None:
            canvas.setFillColor(_color(cell.fill))
            canvas.rect(*_pdf_rect(cell.rect, ctx.height), stroke=0, fill=1)
    if table.border_width > 0:
        canvas.setStrokeColor(_color(table.border))
        canvas.setLineWidth(table.border_width)
        for cell in table.cells:
            canvas.rect(*_pdf_rect(cell.rect, ctx.height), stroke=1, fill=0)
    canvas.addLiteral(closed)
    for cell, element in zip(table.cells, ctx.tags.table(table)):
        if cell.text is not None:
            _draw_text_block(canvas, cell.text, ctx, around=ctx.tags.mark(element))


_DRAW: dict[type, Callable[[Canvas, Any, _Context], None]] = {
    TextBlock: _draw_text_block,
    Box: _draw_box,
    Arrow: _draw_arrow,
    Rule: _draw_rule,
    Picture: _draw_picture,
    Table: _draw_table,
    Chart: _draw_chart,
    Wedge: _draw_wedge,
    Polyline: _draw_polyline,
}


def _draw_item(canvas: Canvas, item: Item | Mark, ctx: _Context) -> None:
    draw = _DRAW.get(type(item))
    if draw is None:
        raise TypeError(f"page {ctx.page}: the PDF renderer cannot draw {type(item).__name__}")
    draw(canvas, item, ctx)


def _draw_page_item(canvas: Canvas, item: Item, ctx: _Context) -> None:
    """An item of the page, tagged: text by its role (an artifact for the frame's parts and decoration),
    a picture with alternative text as a ``Figure``, tables and charts by their own parts; shapes, and a
    picture without alternative text, are artifacts."""
    if type(item) not in _DRAW:
        raise TypeError(f"page {ctx.page}: the PDF renderer cannot draw {type(item).__name__}")
    if isinstance(item, TextBlock):
        if item.role in DECORATION_ROLES:
            _draw_text_block(canvas, item, ctx, around=ctx.tags.artifact(item.role))
        else:
            _draw_text_block(canvas, item, ctx, marks=ctx.tags.text_block(item, ctx.height))
        return
    if isinstance(item, (Table, Chart)):
        _draw_item(canvas, item, ctx)
        return
    if isinstance(item, Picture) and item.alt and item.role not in DECORATION_ROLES:
        opened, closed = ctx.tags.figure(item.alt, item.rect, ctx.height, item.group)
    else:
        opened, closed = ctx.tags.artifact(item.role)
    canvas.addLiteral(opened)
    _draw_item(canvas, item, ctx)
    canvas.addLiteral(closed)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a PDF is drawn and written (reference counting still frees
    everything that is not in a cycle). Drawing makes hundreds of thousands of short-lived objects
    (operators, reportlab's objects, one per structure element), each batch of which starts a
    collection that walks the whole heap, the laid-out pages included: a quarter of the renderer's
    time, and the cycles it finds are the few the canvas leaves, which the next collection frees."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _registered(name: str) -> TTFont:
    """The TrueType font ``register_face`` registered as ``name`` (``pdfmetrics.getFont`` is typed to give any font)."""
    font = pdfmetrics.getFont(name)
    if not isinstance(font, TTFont):
        raise TypeError(f"the font {name!r} is registered as a {type(font).__name__}, not a TrueType font")
    return font


def render_pdf(document: Document, path: Path) -> None:
    """Draw ``document`` into a PDF at ``path``; nothing is written if drawing fails."""
    with _no_cycle_collection():
        _render_pdf(document, path)


def _render_pdf(document: Document, path: Path) -> None:
    if not document.pages:
        raise ValueError(f"document {document.title!r} has no pages")
    for title, index in document.bookmarks:
        if not 0 <= index < len(document.pages):
            raise ValueError(f"bookmark {title!r} points at page index {index}, "
                             f"but the document has {len(document.pages)} pages")
    created = pdf_date(document.created)
    fonts = document.fonts
    regular = register_face(fonts.family, "Regular", fonts.regular, fonts.regular_index)
    bold = register_face(fonts.family, "Bold", fonts.bold, fonts.bold_index)

    first = document.pages[0]
    canvas = Canvas(str(path), pagesize=(first.width, first.height), invariant=1,
                    initialFontName=regular,  # type: ignore[arg-type]  # a font name; its stub says float
                    pageCompression=1, pdfVersion=PDF_VERSION, lang=LANG)
    canvas.setTitle(document.title)
    canvas.setAuthor(document.author)
    canvas.setSubject(document.subject)
    canvas.setCreator(CREATOR)
    canvas.setDateFormatter(lambda *_: created)

    tags = Tagger(document.title)
    subset_names: dict[tuple[TTFont, int], str] = {}
    pages: list[int] = []  # each page's object number
    regular_font, bold_font = _registered(regular), _registered(bold)
    for index, page in enumerate(document.pages):
        canvas.setPageSize((page.width, page.height))
        ctx = _Context(height=page.height, page=index + 1, regular=regular_font, bold=bold_font,
                       subset_names=subset_names, tags=tags)
        tags.start_page()
        for item in page.items:
            _draw_page_item(canvas, item, ctx)
        tags.end_page()
        canvas.showPage()
        pages.append(tag_page(canvas, index))
    finish_document(canvas, document, tags, pages, CREATOR)
    canvas.save()

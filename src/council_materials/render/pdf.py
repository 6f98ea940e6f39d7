"""PDF renderer: draws a laid-out ``Document`` into one PDF file with reportlab.

Takes a ``council_materials.layout.primitives.Document`` (pages of positioned
primitives, text already broken into lines and runs, font files, metadata,
bookmarks) and writes one PDF to the given path: fonts embedded as subsets, an
outline entry per bookmark, the same bytes for the same Document (invariant
mode; dates and metadata from the Document, never the clock).

It decides nothing: no measuring, wrapping or positioning; it only converts the
layout's top-left, y-down points to PDF's bottom-left origin at the edge
(``y_pdf = page.height - y``). Text is written as text-object operators (reportlab's
font picks each character's 256-glyph subset), never through a markup parser, so
``R&D`` or ``<b>`` print literally. Charts are drawn from the
marks and labels the layout computed. A picture is drawn inside a marked-content
sequence ``/Figure <</Alt (…)>> BDC … EMC`` carrying its alternative text (PDF 1.7
§14.9.3; reportlab writes no structure tree, so the PDF is not tagged), and its
crop is a clipping path. Only this module and its helpers ``pdf_fonts`` (faces,
cached) and ``pdf_images`` (pictures from their own compressed data) import
reportlab.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from string import hexdigits
from typing import Any, Callable

from reportlab import rl_config
from reportlab.lib.colors import Color
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import FILL_EVEN_ODD, Canvas

from council_materials.errors import FontError
from council_materials.render.dates import pdf_date
from council_materials.render.pdf_fonts import register_face
from council_materials.render.pdf_images import draw_image
from council_materials.layout.primitives import (
    Arrow, Box, Chart, Document, Item, Picture, Polyline, Rect, Rule, Table, TextBlock, Wedge,
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


def _rgb(hex_rgb: str) -> tuple[float, float, float]:
    """``"1F4E79"`` -> (red, green, blue), each 0 to 1."""
    if len(hex_rgb) != 6 or not all(ch in hexdigits for ch in hex_rgb):
        raise ValueError(f"colour must be six hex digits like '1F4E79', got {hex_rgb!r}")
    value = int(hex_rgb, 16)
    return (value >> 16 & 255) / 255, (value >> 8 & 255) / 255, (value & 255) / 255


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


def _draw_text_block(canvas: Canvas, block: TextBlock, ctx: _Context) -> None:
    """Every run at its own (x, baseline); one text object per block, no markup.

    The operators reportlab's text object writes for ``setFont``/``setTextOrigin``/``textOut``,
    without what this renderer never uses (leading, the cursor's advance, a font change that
    repeats the font in use): the same calls pick each character's 256-glyph subset and name.
    """
    doc, names = canvas._doc, ctx.subset_names
    size = fp_str(block.size)
    red, green, blue = _rgb(block.color)
    code = ["BT", f"{fp_str(red, green, blue)} rg"]
    current = None
    for line in block.lines:
        y = ctx.height - line.baseline
        for run in line.runs:
            if not run.text:
                continue
            font = ctx.bold if run.bold else ctx.regular
            chunks = font.splitString(run.text, doc)
            if any(subset == 0 and 0 in chars for subset, chars in chunks):  # .notdef, or U+0000
                _check_glyphs(font, run.text, block, ctx)
            code.append(f"1 0 0 1 {fp_str(run.x, y)} Tm")
            for subset, chars in chunks:
                if (font, subset) != current:
                    current = (font, subset)
                    if current not in names:
                        names[current] = font.getSubsetInternalName(subset, doc)
                    code.append(f"{names[current]} {size} Tf")
                code.append(f"({escapePDF(chars)}) Tj")
    code.append("ET")
    canvas._code.append(" ".join(code))


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


def _pdf_text_string(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as hex (any character is safe)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _draw_picture(canvas: Canvas, picture: Picture, ctx: _Context) -> None:
    if not Path(picture.path).is_file():
        raise FileNotFoundError(f"page {ctx.page}, picture {picture.name!r}: no file {picture.path}")
    x, y, w, h = _pdf_rect(picture.rect, ctx.height)
    left, top, right, bottom = picture.crop
    if picture.alt:
        canvas.addLiteral(f"/Figure <</Alt {_pdf_text_string(picture.alt)}>> BDC")
    canvas.saveState()
    if any(picture.crop):  # the whole picture, scaled so the uncropped part fills the rect, clipped to it
        clip = canvas.beginPath()
        clip.rect(x, y, w, h)
        canvas.clipPath(clip, stroke=0, fill=0)
        full_w, full_h = w / (1 - left - right), h / (1 - top - bottom)
        x, y, w, h = x - left * full_w, y - bottom * full_h, full_w, full_h
    draw_image(canvas, picture.path, x, y, w, h)
    canvas.restoreState()
    if picture.alt:
        canvas.addLiteral("EMC")


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
        if wedge.inner:
            path.arc(*outer, startAng=start, extent=-wedge.sweep)
            path.arcTo(*inner, startAng=start - wedge.sweep, extent=wedge.sweep)
        else:
            path.moveTo(cx, cy)
            path.arcTo(*outer, startAng=start, extent=-wedge.sweep)
        path.close()
    canvas.setFillColor(_color(wedge.fill))
    stroke = wedge.stroke is not None and wedge.stroke_width > 0
    if stroke:
        canvas.setStrokeColor(_color(wedge.stroke or ""))
        canvas.setLineWidth(wedge.stroke_width)
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
    """The marks (grid, bars, slices, lines, legend keys) in order, then every label."""
    for mark in chart.marks:
        _draw_item(canvas, mark, ctx)
    for label in chart.labels:
        _draw_text_block(canvas, label, ctx)


def _draw_table(canvas: Canvas, table: Table, ctx: _Context) -> None:
    """Fills, then the grid around every (merged) cell, then the cells' text."""
    for cell in table.cells:
        if cell.fill is not None:
            canvas.setFillColor(_color(cell.fill))
            canvas.rect(*_pdf_rect(cell.rect, ctx.height), stroke=0, fill=1)
    if table.border_width > 0:
        canvas.setStrokeColor(_color(table.border))
        canvas.setLineWidth(table.border_width)
        for cell in table.cells:
            canvas.rect(*_pdf_rect(cell.rect, ctx.height), stroke=1, fill=0)
    for cell in table.cells:
        if cell.text is not None:
            _draw_text_block(canvas, cell.text, ctx)


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


def _draw_item(canvas: Canvas, item: Item, ctx: _Context) -> None:
    draw = _DRAW.get(type(item))
    if draw is None:
        raise TypeError(f"page {ctx.page}: the PDF renderer cannot draw {type(item).__name__}")
    draw(canvas, item, ctx)


def render_pdf(document: Document, path: Path) -> None:
    """Draw ``document`` into a PDF at ``path``; nothing is written if drawing fails."""
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
                    initialFontName=regular, pageCompression=1)
    canvas.setTitle(document.title)
    canvas.setAuthor(document.author)
    canvas.setSubject(document.subject)
    canvas.setCreator(CREATOR)
    canvas.setDateFormatter(lambda *_: created)

    subset_names: dict[tuple[TTFont, int], str] = {}
    keys: dict[int, list[str]] = {}
    for number, (_, index) in enumerate(document.bookmarks):
        keys.setdefault(index, []).append(f"bookmark{number}")
    for index, page in enumerate(document.pages):
        canvas.setPageSize((page.width, page.height))
        for key in keys.get(index, ()):
            canvas.bookmarkPage(key)
        ctx = _Context(height=page.height, page=index + 1, regular=pdfmetrics.getFont(regular),
                       bold=pdfmetrics.getFont(bold), subset_names=subset_names)
        for item in page.items:
            _draw_item(canvas, item, ctx)
        canvas.showPage()
    for number, (title, _) in enumerate(document.bookmarks):
        canvas.addOutlineEntry(title, f"bookmark{number}", level=0)
    if document.bookmarks:
        canvas.showOutline()
    canvas.save()

"""PPTX renderer: draws a laid-out ``Document`` as native, editable PowerPoint objects.

Takes a :class:`council_materials.layout.primitives.Document` (pages of positioned
primitives, in points, text already broken into lines) and writes one ``.pptx`` file:
one slide per page, text boxes with explicit line breaks, autoshapes, connectors,
pictures (cropped with ``a:srcRect``, alternative text in ``descr``), native tables and
native charts whose data opens in PowerPoint's sheet, each exactly at the rectangle the
layout gave it.

It decides nothing: it never measures or wraps text and never chooses a position.
Points are used inside and converted to EMU (1 pt = 12700 EMU) only at the edge.
This is the only module that imports python-pptx; it writes the DrawingML XML of
slides itself and leaves a chart's look to ``chartxml.py``. The same ``Document``
always gives a byte-identical file (fixed zip times, metadata from the document, never
from the clock, in the presentation and in each chart's embedded workbook).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any, Callable

from lxml import etree
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.enum.chart import XL_CHART_TYPE
from pptx.enum.shapes import MSO_CONNECTOR, MSO_SHAPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from council_materials.layout.primitives import (
    Arrow, Box, Chart, Document, FontFaces, Paragraph, Picture, Rect, Rule, Table, TextBlock,
)

from .chartxml import rebuild_chart

__all__ = ["render_pptx"]

EMU_PER_PT = 12700
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_BLANK_LAYOUT = 6


def _emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def _color(value: str) -> str:
    hex6 = value.lstrip("#").upper()
    if len(hex6) != 6 or any(ch not in "0123456789ABCDEF" for ch in hex6):
        raise ValueError(f"colour must be 6 hex digits (RRGGBB), got {value!r}")
    return hex6


def _sub(parent: Any, tag: str, **attrs: str) -> Any:
    return etree.SubElement(parent, qn(tag), attrs)


def _solid_fill(parent: Any, color: str) -> Any:
    fill = _sub(parent, "a:solidFill")
    _sub(fill, "a:srgbClr", val=_color(color))
    return fill


def _line(parent: Any, tag: str, color: str | None, width: float) -> None:
    """``a:ln`` (or ``a:lnL``…) of ``color``/``width``, or no line when ``color`` is None."""
    if color is None:
        _sub(_sub(parent, tag), "a:noFill")
    else:
        _solid_fill(_sub(parent, tag, w=str(_emu(width))), color)


def _name(shape: Any, name: str) -> None:
    if name:
        shape.name = name


# ---- text ---------------------------------------------------------------------------------

def _run_props(parent: Any, tag: str, block: TextBlock, bold: bool, family: str) -> Any:
    """``a:rPr``/``a:endParaRPr`` in schema child order: fill, latin, ea, cs."""
    rpr = _sub(parent, tag, lang="ja-JP", altLang="en-US", sz=str(int(round(block.size * 100))),
               b="1" if bold else "0")
    _solid_fill(rpr, block.color)
    for face in ("a:latin", "a:ea", "a:cs"):
        _sub(rpr, face, typeface=family)
    return rpr


def _run(p: Any, text: str, bold: bool, block: TextBlock, family: str) -> Any:
    """One ``a:r``: properties, then the text (lxml escapes it; no markup is parsed)."""
    r = _sub(p, "a:r")
    _run_props(r, "a:rPr", block, bold, family)
    _sub(r, "a:t").text = text
    return r


def _paragraph(tx_body: Any, para: Paragraph, block: TextBlock, family: str) -> None:
    p = _sub(tx_body, "a:p")
    attrs = {"algn": _ALIGN[block.align]}
    if block.align == "left":
        attrs["marL"] = str(_emu(para.indent_rest))
        attrs["indent"] = str(_emu(para.indent_first - para.indent_rest))
    ppr = _sub(p, "a:pPr", **attrs)
    _sub(_sub(ppr, "a:lnSpc"), "a:spcPts", val=str(int(round(block.leading * 100))))
    _sub(_sub(ppr, "a:spcBef"), "a:spcPts", val="0")
    _sub(_sub(ppr, "a:spcAft"), "a:spcPts", val="0")
    _sub(ppr, "a:buNone")
    for index, line in enumerate(para.lines):
        if index:
            _run_props(_sub(p, "a:br"), "a:rPr", block, False, family)
        for run in line.runs:
            _run(p, run.text, run.bold, block, family)
    _run_props(p, "a:endParaRPr", block, False, family)


def _fill_text_body(tx_body: Any, block: TextBlock | None, fonts: FontFaces,
                    body_attrs: dict[str, str]) -> None:
    """Replace a ``txBody``'s content with ``block``'s paragraphs (one ``a:p`` each)."""
    for child in list(tx_body):
        tx_body.remove(child)
    body_pr = _sub(tx_body, "a:bodyPr", **body_attrs)
    if body_attrs:
        _sub(body_pr, "a:noAutofit")
    _sub(tx_body, "a:lstStyle")
    if block is None or not block.paragraphs:
        # An empty paragraph still has the height of the default 18 pt font, which would make
        # a table row grow past its height: keep it at 1 pt.
        p = _sub(tx_body, "a:p")
        _sub(_sub(_sub(p, "a:pPr"), "a:lnSpc"), "a:spcPts", val="100")
        _sub(p, "a:endParaRPr", lang="ja-JP", altLang="en-US", sz="100")
        return
    for para in block.paragraphs:
        _paragraph(tx_body, para, block, fonts.family)


# ---- one function per primitive -----------------------------------------------------------

def _draw_text_block(slide: Any, block: TextBlock, fonts: FontFaces) -> None:
    r = block.rect
    shape = slide.shapes.add_textbox(Emu(_emu(r.x)), Emu(_emu(r.y)), Emu(_emu(r.w)), Emu(_emu(r.h)))
    _name(shape, block.name)
    _fill_text_body(shape._element.txBody, block, fonts, {
        "wrap": "none", "lIns": "0", "tIns": "0", "rIns": "0", "bIns": "0",
        "anchor": "t", "rtlCol": "0"})


def _autoshape(slide: Any, kind: MSO_SHAPE, rect: Rect, fill: str | None,
               stroke: str | None, stroke_width: float) -> Any:
    """An autoshape with explicit fill/line, no theme style (so no shadow) and no text."""
    shape = slide.shapes.add_shape(kind, Emu(_emu(rect.x)), Emu(_emu(rect.y)),
                                   Emu(_emu(rect.w)), Emu(_emu(rect.h)))
    element = shape._element
    for tag in ("p:style", "p:txBody"):
        for child in element.findall(qn(tag)):
            element.remove(child)
    sp_pr = element.spPr
    if fill is None:
        _sub(sp_pr, "a:noFill")
    else:
        _solid_fill(sp_pr, fill)
    _line(sp_pr, "a:ln", stroke, stroke_width)
    _sub(sp_pr, "a:effectLst")
    return shape


def _draw_box(slide: Any, box: Box, fonts: FontFaces) -> None:
    kind = MSO_SHAPE.ROUNDED_RECTANGLE if box.radius > 0 else MSO_SHAPE.RECTANGLE
    shape = _autoshape(slide, kind, box.rect, box.fill, box.stroke, box.stroke_width)
    if box.radius > 0:
        shortest = min(box.rect.w, box.rect.h)
        shape.adjustments[0] = min(box.radius / shortest, 0.5) if shortest > 0 else 0.0
    _name(shape, box.name)


def _draw_arrow(slide: Any, arrow: Arrow, fonts: FontFaces) -> None:
    kind = MSO_SHAPE.RIGHT_ARROW if arrow.direction == "right" else MSO_SHAPE.DOWN_ARROW
    _name(_autoshape(slide, kind, arrow.rect, arrow.fill, None, 0.0), arrow.name)


def _draw_rule(slide: Any, rule: Rule, fonts: FontFaces) -> None:
    connector = slide.shapes.add_connector(
        MSO_CONNECTOR.STRAIGHT, Emu(_emu(rule.x1)), Emu(_emu(rule.y1)),
        Emu(_emu(rule.x2)), Emu(_emu(rule.y2)))
    element = connector._element
    for child in element.findall(qn("p:style")):
        element.remove(child)
    _line(element.spPr, "a:ln", rule.color, rule.width)


def _draw_picture(slide: Any, picture: Picture, fonts: FontFaces) -> None:
    r = picture.rect
    shape = slide.shapes.add_picture(str(picture.path), Emu(_emu(r.x)), Emu(_emu(r.y)),
                                     Emu(_emu(r.w)), Emu(_emu(r.h)))
    _name(shape, picture.name)
    if any(picture.crop):
        left, top, right, bottom = picture.crop
        shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom = left, top, right, bottom
    _describe(shape._element.nvPicPr.cNvPr, picture.alt)


def _describe(c_nv_pr: Any, alt: str) -> None:
    """Alternative text in ``descr`` (python-pptx puts the file name there: drop it when there is none)."""
    if alt:
        c_nv_pr.set("descr", alt)
    elif "descr" in c_nv_pr.attrib:
        del c_nv_pr.attrib["descr"]


def _cell_props(tc: Any, table: Table, fill: str | None) -> None:
    """``a:tcPr``: margins = padding, top anchor, borders lnL/lnR/lnT/lnB, then the fill."""
    for old in tc.findall(qn("a:tcPr")):
        tc.remove(old)
    pad = str(_emu(table.padding))
    tc_pr = _sub(tc, "a:tcPr", marL=pad, marR=pad, marT=pad, marB=pad, anchor="t")
    for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
        _line(tc_pr, side, table.border, table.border_width)
    if fill is None:
        _sub(tc_pr, "a:noFill")
    else:
        _solid_fill(tc_pr, fill)


def _draw_table(slide: Any, table: Table, fonts: FontFaces) -> None:
    r = table.rect
    n_rows, n_cols = len(table.row_heights), len(table.col_widths)
    frame = slide.shapes.add_table(n_rows, n_cols, Emu(_emu(r.x)), Emu(_emu(r.y)),
                                   Emu(_emu(r.w)), Emu(_emu(r.h)))
    _name(frame, table.name)
    grid = frame.table
    grid.first_row = False
    grid.horz_banding = False
    for index, width in enumerate(table.col_widths):
        grid.columns[index].width = Emu(_emu(width))
    for index, height in enumerate(table.row_heights):
        grid.rows[index].height = Emu(_emu(height))
    frame.width, frame.height = Emu(_emu(r.w)), Emu(_emu(r.h))
    fills: dict[tuple[int, int], str | None] = {}
    for cell in table.cells:
        if cell.rowspan > 1 or cell.colspan > 1:
            grid.cell(cell.row, cell.col).merge(
                grid.cell(cell.row + cell.rowspan - 1, cell.col + cell.colspan - 1))
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                fills[row, col] = cell.fill
    for row in range(n_rows):
        for col in range(n_cols):
            _cell_props(grid.cell(row, col)._tc, table, fills.get((row, col)))
    for cell in table.cells:
        _fill_text_body(grid.cell(cell.row, cell.col)._tc.txBody, cell.text, fonts, {})


_CHART_TYPES = {
    ("bar", False): XL_CHART_TYPE.COLUMN_CLUSTERED, ("bar", True): XL_CHART_TYPE.BAR_CLUSTERED,
    ("stacked", False): XL_CHART_TYPE.COLUMN_STACKED, ("stacked", True): XL_CHART_TYPE.BAR_STACKED,
    ("stacked_100", False): XL_CHART_TYPE.COLUMN_STACKED_100, ("stacked_100", True): XL_CHART_TYPE.BAR_STACKED_100,
    ("pie", False): XL_CHART_TYPE.PIE, ("doughnut", False): XL_CHART_TYPE.DOUGHNUT,
    ("line", False): XL_CHART_TYPE.LINE_MARKERS,
}


def _draw_chart(slide: Any, chart: Chart, fonts: FontFaces) -> None:
    """A native chart: python-pptx writes the data and its workbook, ``chartxml`` the look."""
    data = CategoryChartData(number_format=chart.number_format)
    data.categories = list(chart.categories)
    for series in chart.series:
        data.add_series(series.name, list(series.values))
    r = chart.rect
    frame = slide.shapes.add_chart(_CHART_TYPES[chart.kind, chart.horizontal], Emu(_emu(r.x)), Emu(_emu(r.y)),
                                   Emu(_emu(r.w)), Emu(_emu(r.h)), data)
    _name(frame, chart.name)
    _describe(frame._element.nvGraphicFramePr.cNvPr, chart.alt)
    rebuild_chart(frame.chart._chartSpace, chart, fonts.family)


_DRAW: dict[type, Callable[[Any, Any, FontFaces], None]] = {
    TextBlock: _draw_text_block,
    Box: _draw_box,
    Arrow: _draw_arrow,
    Rule: _draw_rule,
    Picture: _draw_picture,
    Table: _draw_table,
    Chart: _draw_chart,
}


# ---- document -----------------------------------------------------------------------------

def _set_properties(prs: Any, document: Document) -> None:
    when = datetime.fromisoformat(document.created)
    props = prs.core_properties
    props.title = document.title
    props.author = document.author
    props.subject = document.subject
    props.last_modified_by = document.author
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.revision = 1
    props.created = props.modified = props.last_printed = when


def _fixed_zip(data: bytes, transform: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The same zip entries, in order, with a fixed time stamp and fixed attributes
    (contents passed through ``transform(name, content)`` when given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 0
            entry.external_attr = 0
            content = source.read(info.filename)
            target.writestr(entry, transform(info.filename, content) if transform else content)
    return out.getvalue()


def _dated_workbooks(created: str) -> Callable[[str, bytes], bytes]:
    """A transform giving each chart's embedded workbook the document's date, not the clock's."""
    stamp = datetime.fromisoformat(created).strftime("%Y-%m-%dT%H:%M:%SZ").encode()

    def core(name: str, content: bytes) -> bytes:
        if name != "docProps/core.xml":
            return content
        return re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)

    def workbook(name: str, content: bytes) -> bytes:
        if name.startswith("ppt/embeddings/") and name.endswith(".xlsx"):
            return _fixed_zip(content, core)
        return content
    return workbook


def render_pptx(document: Document, path: Path) -> None:
    """Write ``document`` to ``path`` as a PPTX, one slide per page, byte-reproducibly."""
    if not document.pages:
        raise ValueError(f"document {document.title!r} has no pages")
    width, height = _emu(document.pages[0].width), _emu(document.pages[0].height)
    for page in document.pages:
        if (_emu(page.width), _emu(page.height)) != (width, height):
            raise ValueError(
                f"document {document.title!r}: page {page.number} is {page.width}x{page.height} pt, "
                f"the first page is {document.pages[0].width}x{document.pages[0].height} pt; "
                "all pages of one PPTX must have one size")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Emu(width), Emu(height)
    layout = prs.slide_layouts[_BLANK_LAYOUT]
    for page in document.pages:
        slide = prs.slides.add_slide(layout)
        for item in page.items:
            draw = _DRAW.get(type(item))
            if draw is None:
                raise TypeError(f"cannot draw {type(item).__name__} on page {page.number}")
            draw(slide, item, document.fonts)
    _set_properties(prs, document)
    buffer = io.BytesIO()
    prs.save(buffer)
    Path(path).write_bytes(_fixed_zip(buffer.getvalue(), _dated_workbooks(document.created)))

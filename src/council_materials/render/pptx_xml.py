"""PresentationML/DrawingML of one slide, written as text.

Takes positioned primitives (points, text already broken into lines and runs) and gives
the XML of the shapes that draw them: text boxes, autoshapes, connectors, pictures, native
tables and chart frames, and the slide part around them. Points become EMU here
(1 pt = 12700 EMU). Every piece of text passes through :func:`esc` or :func:`esc_attr`, so
it prints literally (``R&D <b>``), and a character XML cannot hold is refused (XmlCharError).

The markup is what python-pptx writes for the same shapes, child elements in the schema's
order, so PowerPoint accepts it and files stay byte-identical to earlier builds; building
it as text instead of element by element is what makes the PPTX renderer fast.
Shape ids and default names (``TextBox 3``: the id less one) are assigned by the caller.
"""
from __future__ import annotations

import re

from council_materials.layout.primitives import Paragraph, Rect, Table, TextBlock

__all__ = [
    "EMU_PER_PT", "emu", "color", "esc", "esc_attr", "XmlCharError", "text_box", "autoshape",
    "connector", "picture", "table", "chart_frame", "slide", "DECLARATION",
]

EMU_PER_PT = 12700
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # python-pptx's default (Medium Style 2)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLORS: dict[str, str] = {}


def emu(points: float) -> int:
    return int(round(points * EMU_PER_PT))


def color(value: str) -> str:
    """``RRGGBB`` upper case, or ValueError for anything else."""
    hex6 = _COLORS.get(value)
    if hex6 is None:
        hex6 = value.lstrip("#").upper()
        if len(hex6) != 6 or any(ch not in "0123456789ABCDEF" for ch in hex6):
            raise ValueError(f"colour must be 6 hex digits (RRGGBB), got {value!r}")
        _COLORS[value] = hex6
    return hex6


class XmlCharError(ValueError):
    """Text holding a character XML 1.0 cannot (control characters, lone surrogates, U+FFFE/U+FFFF);
    lxml refused these too."""


def esc(value: str) -> str:
    """Element text, escaped as lxml does (``&``, ``<``, ``>``, carriage return); XmlCharError
    for a character XML cannot hold. Every text of a part passes through here or :func:`esc_attr`."""
    bad = _NOT_XML.search(value)
    if bad is not None:
        raise XmlCharError(f"text {value!r} contains U+{ord(bad.group()):04X}, which XML cannot hold")
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def esc_attr(value: str) -> str:
    """An attribute value in double quotes, escaped as lxml does (also quote, tab, newline)."""
    return (esc(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;"))


def _fill(value: str | None) -> str:
    if value is None:
        return "<a:noFill/>"
    return f'<a:solidFill><a:srgbClr val="{color(value)}"/></a:solidFill>'


def _line(tag: str, value: str | None, width: float) -> str:
    """``a:ln`` (or ``a:lnL``…) of ``value``/``width``, or no line when ``value`` is None."""
    if value is None:
        return f"<{tag}><a:noFill/></{tag}>"
    return f'<{tag} w="{emu(width)}">{_fill(value)}</{tag}>'


def _xfrm(rect: Rect, tag: str = "a:xfrm", flips: str = "") -> str:
    return (f'<{tag}{flips}><a:off x="{emu(rect.x)}" y="{emu(rect.y)}"/>'
            f'<a:ext cx="{emu(rect.w)}" cy="{emu(rect.h)}"/></{tag}>')


def _c_nv_pr(shape_id: int, name: str, descr: str | None = None) -> str:
    described = "" if descr is None else f' descr="{esc_attr(descr)}"'
    return f'<p:cNvPr id="{shape_id}" name="{esc_attr(name)}"{described}/>'


# ---- text ---------------------------------------------------------------------------------

class _Props:
    """The run properties of one text block, written once: ``a:rPr`` for regular and bold
    runs and line breaks, ``a:endParaRPr``. Child order as the schema wants: fill, latin, ea, cs."""

    def __init__(self, block: TextBlock, family: str) -> None:
        face = esc_attr(family)
        head = f' lang="ja-JP" altLang="en-US" sz="{int(round(block.size * 100))}" b="'
        body = (f'">{_fill(block.color)}<a:latin typeface="{face}"/><a:ea typeface="{face}"/>'
                f'<a:cs typeface="{face}"/></a:')
        self.run = ("<a:r><a:rPr" + head + "0" + body + "rPr><a:t>",
                    "<a:r><a:rPr" + head + "1" + body + "rPr><a:t>")
        self.br = "<a:br><a:rPr" + head + "0" + body + "rPr></a:br>"
        self.end = "<a:endParaRPr" + head + "0" + body + "endParaRPr></a:p>"
        self.spacing = (f'<a:lnSpc><a:spcPts val="{int(round(block.leading * 100))}"/></a:lnSpc>'
                        '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>'
                        "<a:buNone/></a:pPr>")


_PROPS: dict[tuple[float, float, str, str], _Props] = {}


def _props(block: TextBlock, family: str) -> _Props:
    """The run properties of ``block``, shared by all blocks of the same style."""
    key = (block.size, block.leading, block.color, family)
    props = _PROPS.get(key)
    if props is None:
        props = _PROPS[key] = _Props(block, family)
    return props


def _paragraph(out: list[str], para: Paragraph, block: TextBlock, props: _Props) -> None:
    if block.align == "left":
        out.append(f'<a:p><a:pPr algn="l" marL="{emu(para.indent_rest)}" '
                   f'indent="{emu(para.indent_first - para.indent_rest)}">')
    else:
        out.append(f'<a:p><a:pPr algn="{_ALIGN[block.align]}">')
    out.append(props.spacing)
    for index, line in enumerate(para.lines):
        if index:
            out.append(props.br)
        for run in line.runs:
            out.append(props.run[run.bold])
            out.append(esc(run.text))
            out.append("</a:t></a:r>")
    out.append(props.end)


_EMPTY_PARAGRAPH = ('<a:p><a:pPr><a:lnSpc><a:spcPts val="100"/></a:lnSpc></a:pPr>'
                    '<a:endParaRPr lang="ja-JP" altLang="en-US" sz="100"/></a:p>')
"""An empty paragraph still has the height of the default 18 pt font, which would make a
table row grow past its height: keep it at 1 pt."""


def _text_body(out: list[str], tag: str, body_pr: str, block: TextBlock | None, family: str) -> None:
    """``p:txBody``/``a:txBody`` with ``block``'s paragraphs (one ``a:p`` each)."""
    out.append(f"<{tag}>{body_pr}<a:lstStyle/>")
    if block is None or not block.paragraphs:
        out.append(_EMPTY_PARAGRAPH)
    else:
        props = _props(block, family)
        for para in block.paragraphs:
            _paragraph(out, para, block, props)
    out.append(f"</{tag}>")


_BOX_BODY = ('<a:bodyPr wrap="none" lIns="0" tIns="0" rIns="0" bIns="0" anchor="t" rtlCol="0">'
             "<a:noAutofit/></a:bodyPr>")


# ---- shapes -------------------------------------------------------------------------------

def text_box(shape_id: int, name: str, block: TextBlock, family: str) -> str:
    """A text box exactly at ``block.rect``: no insets, no wrapping, no autofit."""
    out = [f"<p:sp><p:nvSpPr>{_c_nv_pr(shape_id, name)}"
           f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(block.rect)}'
           '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>']
    _text_body(out, "p:txBody", _BOX_BODY, block, family)
    out.append("</p:sp>")
    return "".join(out)


def autoshape(shape_id: int, name: str, prst: str, rect: Rect, fill: str | None, stroke: str | None,
              stroke_width: float, guides: tuple[tuple[str, int], ...] = ()) -> str:
    """A preset shape with explicit fill and line, no theme style (so no shadow) and no text.
    ``guides`` are its adjustments (``a:gd``), e.g. ``(("adj", 16667),)``."""
    if guides:
        av = "<a:avLst>" + "".join(f'<a:gd name="{n}" fmla="val {v}"/>' for n, v in guides) + "</a:avLst>"
    else:
        av = "<a:avLst/>"
    return (f"<p:sp><p:nvSpPr>{_c_nv_pr(shape_id, name)}<p:cNvSpPr/><p:nvPr/></p:nvSpPr>"
            f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="{prst}">{av}</a:prstGeom>'
            f'{_fill(fill)}{_line("a:ln", stroke, stroke_width)}<a:effectLst/></p:spPr></p:sp>')


def connector(shape_id: int, name: str, x1: int, y1: int, x2: int, y2: int, value: str, width: float) -> str:
    """A straight line from (``x1``, ``y1``) to (``x2``, ``y2``), in EMU, flipped as needed."""
    flips = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    return (f"<p:cxnSp><p:nvCxnSpPr>{_c_nv_pr(shape_id, name)}<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>"
            f'<p:spPr><a:xfrm{flips}><a:off x="{min(x1, x2)}" y="{min(y1, y2)}"/>'
            f'<a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>{_line("a:ln", value, width)}</p:spPr></p:cxnSp>')


def picture(shape_id: int, name: str, descr: str | None, rid: str, rect: Rect,
            crop: tuple[float, float, float, float]) -> str:
    """A picture of the image related as ``rid``, stretched into ``rect`` after cutting off the
    ``crop`` shares (left, top, right, bottom) in ``a:srcRect``; zero shares are left out."""
    src = ""
    if any(crop):
        sides = "".join(f' {side}="{int(round(share * 100000.0))}"'
                        for side, share in zip("ltrb", crop) if share != 0.0)
        src = f"<a:srcRect{sides}/>"
    return (f"<p:pic><p:nvPicPr>{_c_nv_pr(shape_id, name, descr)}"
            '<p:cNvPicPr><a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr/></p:nvPicPr>'
            f'<p:blipFill><a:blip r:embed="{rid}"/>{src}<a:stretch><a:fillRect/></a:stretch></p:blipFill>'
            f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


def _frame(shape_id: int, name: str, descr: str | None, rect: Rect, uri: str) -> str:
    return (f"<p:graphicFrame><p:nvGraphicFramePr>{_c_nv_pr(shape_id, name, descr)}"
            '<p:cNvGraphicFramePr><a:graphicFrameLocks noGrp="1"/></p:cNvGraphicFramePr><p:nvPr/>'
            f'</p:nvGraphicFramePr>{_xfrm(rect, "p:xfrm")}<a:graphic><a:graphicData uri="{uri}">')


def chart_frame(shape_id: int, name: str, descr: str | None, rid: str, rect: Rect) -> str:
    """The frame showing the chart part related as ``rid``."""
    return (_frame(shape_id, name, descr, rect, _NS_C)
            + f'<c:chart xmlns:c="{_NS_C}" r:id="{rid}"/></a:graphicData></a:graphic></p:graphicFrame>')


def _merge_attrs(table: Table) -> dict[tuple[int, int], str]:
    """``a:tc`` attributes of merged cells, as PowerPoint (and python-pptx) write them: the top
    row of a merge carries ``rowSpan``, its left column ``gridSpan``, the other columns
    ``hMerge`` and the other rows ``vMerge``."""
    attrs: dict[tuple[int, int], str] = {}
    for cell in table.cells:
        if cell.rowspan == 1 and cell.colspan == 1:
            continue
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                attrs[row, col] = "".join((
                    f' rowSpan="{cell.rowspan}"' if row == cell.row and cell.rowspan > 1 else "",
                    f' gridSpan="{cell.colspan}"' if col == cell.col and cell.colspan > 1 else "",
                    ' hMerge="1"' if col > cell.col else "",
                    ' vMerge="1"' if row > cell.row else ""))
    return attrs


def table(shape_id: int, name: str, spec: Table, family: str) -> str:
    """A native table: columns and rows of the layout's sizes, merged cells, each cell with
    padding as margins, top anchor, its borders and fill, and its text."""
    n_rows, n_cols = len(spec.row_heights), len(spec.col_widths)
    fills: dict[tuple[int, int], str | None] = {}
    texts = {}
    for cell in spec.cells:
        texts[cell.row, cell.col] = cell
        for row in range(cell.row, cell.row + cell.rowspan):
            for col in range(cell.col, cell.col + cell.colspan):
                fills[row, col] = cell.fill
    merged = _merge_attrs(spec)
    pad = emu(spec.padding)
    borders = "".join(_line(side, spec.border, spec.border_width)
                      for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"))
    cell_pr = f'<a:tcPr marL="{pad}" marR="{pad}" marT="{pad}" marB="{pad}" anchor="t">{borders}'
    out = [_frame(shape_id, name, None, spec.rect, "http://schemas.openxmlformats.org/drawingml/2006/table"),
           f"<a:tbl><a:tblPr><a:tableStyleId>{_TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>"]
    out.extend(f'<a:gridCol w="{emu(width)}"/>' for width in spec.col_widths)
    out.append("</a:tblGrid>")
    for row in range(n_rows):
        out.append(f'<a:tr h="{emu(spec.row_heights[row])}">')
        for col in range(n_cols):
            out.append(f"<a:tc{merged.get((row, col), '')}>")
            cell = texts.get((row, col))
            if cell is None:
                out.append("<a:txBody><a:bodyPr/><a:lstStyle/><a:p/></a:txBody>")
            else:
                _text_body(out, "a:txBody", "<a:bodyPr/>", cell.text, family)
            out.append(f"{cell_pr}{_fill(fills.get((row, col)))}</a:tcPr></a:tc>")
        out.append("</a:tr>")
    out.append("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    return "".join(out)


def slide(shapes: list[str]) -> str:
    """A slide part holding ``shapes`` in drawing order (the layout and master add nothing)."""
    return "".join((
        DECLARATION, f'<p:sld xmlns:a="{_NS_A}" xmlns:p="{_NS_P}" xmlns:r="{_NS_R}"><p:cSld><p:spTree>',
        '<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/>',
        *shapes, "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"))

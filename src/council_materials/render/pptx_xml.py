"""PresentationML/DrawingML of shapes and text, written as text.

Takes positioned primitives (points, text already broken into lines and runs) and gives the XML
of the shapes that draw them: text boxes, the title placeholder, preset shapes (with the text of
a box inside them, at insets), connectors, pictures, native tables, chart frames, group shapes,
and the slide part around them. Points become EMU here (1 pt = 12700 EMU). Every piece of text
passes through :func:`esc` or :func:`esc_attr`, so it prints literally (``R&D <b>``), and a
character XML cannot hold is refused (XmlCharError).

Text stays editable and keeps the layout's lines: a text frame wraps (``wrap="square"``) and
shrinks what a user lengthens (``normAutofit``), each line after a paragraph's first follows a
soft break (``a:br``), the frame is ``SLACK`` wider than the layout's lines need (towards the side
its alignment leaves free) and ``SLACK`` taller, so no application re-breaks a line on open. A
paragraph the layout made from a bullet gets a real bullet (``a:buChar``, also for circled numbers,
which PowerPoint and LibreOffice would each count their own way) hanging at the layout's indents, and
``lvl`` for its level; the marker is then not part of the text. Colours equal to the meeting theme's are written as theme colours
(``a:schemeClr``), so restyling the theme restyles the deck. Shape ids and names are the caller's.
"""
from __future__ import annotations

import re
from typing import Iterable

from council_materials.layout.primitives import Palette, Paragraph, Rect, Table, TextBlock

__all__ = [
    "EMU_PER_PT", "SLACK", "emu", "color", "esc", "esc_attr", "XmlCharError", "Ink", "text_frame_rect",
    "text_box", "title_placeholder", "autoshape", "connector", "picture", "table", "chart_frame", "group",
    "slide", "DECLARATION", "NS",
]

EMU_PER_PT = 12700
SLACK = 1.0
"""Points a text frame has beyond the layout's lines, across and down: rounding and an application's
own measuring cannot make a line re-break or autofit shrink text that the layout fitted."""
DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
_NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_NS_P = "http://schemas.openxmlformats.org/presentationml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
NS = f'xmlns:a="{_NS_A}" xmlns:r="{_NS_R}" xmlns:p="{_NS_P}"'
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_TABLE_STYLE = "{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"  # PowerPoint's Medium Style 2 - Accent 1
_FIELD_ID = "{5B7F6E1A-3C2D-4E8F-9A0B-1C2D3E4F5A6B}"  # fixed: files stay reproducible
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_COLORS: dict[str, str] = {}
_ROUND_TEXT = 0.29289321881
"""Share of a rounded rectangle's corner radius by which its text rectangle is inset (the preset's
``il``): a box's text is placed inside that rectangle, so insets subtract it."""


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
    """Text holding a character XML 1.0 cannot (control characters, lone surrogates, U+FFFE/U+FFFF)."""


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


def _xfrm(rect: Rect, tag: str = "a:xfrm") -> str:
    return (f'<{tag}><a:off x="{emu(rect.x)}" y="{emu(rect.y)}"/>'
            f'<a:ext cx="{emu(rect.w)}" cy="{emu(rect.h)}"/></{tag}>')


def _c_nv_pr(shape_id: int, name: str, descr: str | None = None) -> str:
    described = "" if not descr else f' descr="{esc_attr(descr)}"'
    return f'<p:cNvPr id="{shape_id}" name="{esc_attr(name)}"{described}/>'


# ---- the deck's ink: font family and theme colours ------------------------------------------

class _Props:
    """The run properties of one text style, written once: ``a:rPr`` for regular and bold runs
    and line breaks, ``a:endParaRPr``, the paragraph spacing. Child order as the schema wants:
    fill, latin, ea, cs."""

    def __init__(self, size: float, leading: float, fill: str, family: str) -> None:
        face = esc_attr(family)
        head = f' lang="ja-JP" altLang="en-US" sz="{int(round(size * 100))}" b="'
        body = (f'">{fill}<a:latin typeface="{face}"/><a:ea typeface="{face}"/>'
                f'<a:cs typeface="{face}"/></a:')
        self.rpr = ("<a:rPr" + head + "0" + body + "rPr>", "<a:rPr" + head + "1" + body + "rPr>")
        self.run = ("<a:r>" + self.rpr[0] + "<a:t>", "<a:r>" + self.rpr[1] + "<a:t>")
        self.br = "<a:br>" + self.rpr[0] + "</a:br>"
        self.end = "<a:endParaRPr" + head + "0" + body + "endParaRPr></a:p>"
        self.spacing = (f'<a:lnSpc><a:spcPts val="{int(round(leading * 100))}"/></a:lnSpc>'
                        '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>')
        self.bullet_font = f'<a:buFont typeface="{face}"/>'


class Ink:
    """How one deck writes fonts and colours: the family in every run, and the theme's colours
    (accent, light accent, text) as ``a:schemeClr`` so that PowerPoint's theme restyles them. In a deck
    built on a template (``tint``: the lumMod/lumOff of the light accent, when it is that tint of the
    accent), the light accent is the accent's tint, as PowerPoint's colour picker writes it."""

    def __init__(self, family: str, palette: Palette | None = None, tint: tuple[int, int] | None = None) -> None:
        self.family = family
        palette = palette or Palette()
        light = (f'<a:schemeClr val="accent1"><a:lumMod val="{tint[0]}"/><a:lumOff val="{tint[1]}"/>'
                 '</a:schemeClr>') if tint else '<a:schemeClr val="accent2"/>'
        self.scheme = {color(palette.accent): '<a:schemeClr val="accent1"/>', color(palette.accent_light): light,
                       color(palette.text): '<a:schemeClr val="tx1"/>'}
        self._props: dict[tuple[float, float, str], _Props] = {}

    def clr(self, value: str) -> str:
        """A colour element: the theme's, or ``a:srgbClr``."""
        hex6 = color(value)
        return self.scheme.get(hex6) or f'<a:srgbClr val="{hex6}"/>'

    def fill(self, value: str | None) -> str:
        return "<a:noFill/>" if value is None else f"<a:solidFill>{self.clr(value)}</a:solidFill>"

    def line(self, tag: str, value: str | None, width: float) -> str:
        """``a:ln`` (or ``a:lnL``…) of ``value``/``width``, or no line when ``value`` is None."""
        if value is None:
            return f"<{tag}><a:noFill/></{tag}>"
        return f'<{tag} w="{emu(width)}">{self.fill(value)}</{tag}>'

    def props(self, block: TextBlock) -> _Props:
        key = (block.size, block.leading, block.color)
        found = self._props.get(key)
        if found is None:
            found = self._props[key] = _Props(block.size, block.leading, self.fill(block.color), self.family)
        return found


# ---- text ---------------------------------------------------------------------------------

def _marker(para: Paragraph) -> str:
    """The bullet element of a bullet paragraph: its marker's character (trailing spaces dropped; the
    hanging indent keeps the text where the layout set it)."""
    return f'<a:buChar char="{esc_attr(para.bullet.rstrip())}"/>'


def _runs(out: list[str], props: _Props, runs: Iterable[tuple[str, bool]], start: int,
          fields: tuple[tuple[int, int, str], ...], values: dict[str, str]) -> int:
    """Write ``runs`` whose text begins at offset ``start`` of the block's text; a field's span is
    written as ``a:fld`` showing ``values[kind]``. Returns the offset after them."""
    for text, bold in runs:
        end = start + len(text)
        cut = [(max(a, start), min(b, end), kind) for a, b, kind in fields if a < end and b > start]
        pos = start
        for a, b, kind in cut:
            if a > pos:
                out += (props.run[bold], esc(text[pos - start:a - start]), "</a:t></a:r>")
            out += (f'<a:fld id="{_FIELD_ID}" type="slidenum">', props.rpr[bold], "<a:t>",
                    esc(values.get(kind, text[a - start:b - start])), "</a:t></a:fld>")
            pos = b
        if pos < end:
            out += (props.run[bold], esc(text[pos - start:]), "</a:t></a:r>")
        start = end
    return start


def _paragraph(out: list[str], para: Paragraph, block: TextBlock, props: _Props, offset: int,
               values: dict[str, str]) -> int:
    """One ``a:p``: alignment, indents, level, spacing, bullet, then its lines with soft breaks."""
    bullet, marker = ("<a:buNone/>", "")
    if para.bullet and para.lines and para.lines[0].text.startswith(para.bullet):
        bullet, marker = props.bullet_font + _marker(para), para.bullet
    level = f' lvl="{para.level}"' if para.level > 0 and marker else ""
    if block.align == "left":
        out.append(f'<a:p><a:pPr marL="{emu(para.indent_rest)}"{level} '
                   f'indent="{emu(para.indent_first - para.indent_rest)}" algn="l">')
    else:
        out.append(f'<a:p><a:pPr{level} algn="{_ALIGN[block.align]}">')
    out += (props.spacing, bullet, "</a:pPr>")
    for index, line in enumerate(para.lines):
        if index:
            out.append(props.br)
        runs = [(run.text, run.bold) for run in line.runs]
        if index == 0 and marker:
            skip = len(marker)
            offset += skip
            while runs and skip:
                text, bold = runs[0]
                runs[0] = (text[skip:], bold)
                skip -= min(skip, len(text))
                if not runs[0][0]:
                    runs.pop(0)
        offset = _runs(out, props, ((t, b) for t, b in runs), offset, block.fields, values)
    out.append(props.end)
    return offset


_EMPTY_PARAGRAPH = ('<a:p><a:pPr><a:lnSpc><a:spcPts val="100"/></a:lnSpc></a:pPr>'
                    '<a:endParaRPr lang="ja-JP" altLang="en-US" sz="100"/></a:p>')
"""An empty paragraph still has the height of the default 18 pt font, which would make a
table row grow past its height: keep it at 1 pt."""


def _paragraphs(out: list[str], block: TextBlock | None, ink: Ink, values: dict[str, str]) -> None:
    if block is None or not block.paragraphs:
        out.append(_EMPTY_PARAGRAPH)
        return
    props = ink.props(block)
    offset = 0
    for para in block.paragraphs:
        offset = _paragraph(out, para, block, props, offset, values)


def _body_pr(left: float, top: float, right: float, bottom: float) -> str:
    return (f'<a:bodyPr wrap="square" lIns="{emu(left)}" tIns="{emu(top)}" rIns="{emu(right)}" '
            f'bIns="{emu(bottom)}" anchor="t" rtlCol="0"><a:normAutofit/></a:bodyPr>')


def _text_body(block: TextBlock, ink: Ink, body_pr: str, values: dict[str, str]) -> str:
    out = ["<p:txBody>", body_pr, "<a:lstStyle/>"]
    _paragraphs(out, block, ink, values)
    out.append("</p:txBody>")
    return "".join(out)


def text_frame_rect(block: TextBlock) -> Rect:
    """Where a text box of ``block`` is drawn: the layout's rectangle with ``SLACK`` to the side
    its alignment leaves free (right of left-aligned text, both sides of centred text) and below."""
    rect = block.rect
    x, w = rect.x, rect.w + SLACK
    if block.align == "right":
        x -= SLACK
    elif block.align == "center":
        x, w = x - SLACK, w + SLACK
    return Rect(x, rect.y, w, rect.h + SLACK)


_NO_INSETS = _body_pr(0, 0, 0, 0)


# ---- shapes -------------------------------------------------------------------------------

def text_box(shape_id: int, name: str, block: TextBlock, ink: Ink, values: dict[str, str] | None = None,
             frame: Rect | None = None) -> str:
    """A text box at :func:`text_frame_rect` (or ``frame``, which starts where it does), no insets;
    ``values`` fill its fields."""
    return (f"<p:sp><p:nvSpPr>{_c_nv_pr(shape_id, name)}"
            f'<p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr>{_xfrm(frame or text_frame_rect(block))}'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            + _text_body(block, ink, _NO_INSETS, values or {}) + "</p:sp>")


def title_placeholder(shape_id: int, name: str, block: TextBlock | None, ink: Ink, rect: Rect | None = None,
                      prompt: str = "", kind: str = "title", plain: bool = False) -> str:
    """The slide's (or a layout's) title placeholder holding ``block`` at :func:`text_frame_rect`
    (``rect`` when given); an empty ``block`` shows ``prompt`` (a layout's "click to add title").
    ``kind`` is the placeholder's type (``ctrTitle`` on a template's title slide layout); ``plain``
    draws it without the fill and outline it may inherit from a template's layout."""
    if rect is not None:
        where = rect
    elif block is not None:
        where = text_frame_rect(block)
    else:
        raise ValueError(f"title placeholder {name!r}: neither a text nor a rectangle to place it at")
    bare = '<a:noFill/><a:ln><a:noFill/></a:ln>' if plain else ""
    if block is not None:
        text = _text_body(block, ink, _NO_INSETS, {})
    else:
        text = (f"<p:txBody>{_NO_INSETS}<a:lstStyle/><a:p><a:r><a:rPr lang=\"ja-JP\" altLang=\"en-US\"/>"
                f"<a:t>{esc(prompt)}</a:t></a:r><a:endParaRPr lang=\"ja-JP\" altLang=\"en-US\"/></a:p></p:txBody>")
    return (f"<p:sp><p:nvSpPr>{_c_nv_pr(shape_id, name)}<p:cNvSpPr><a:spLocks noGrp=\"1\"/></p:cNvSpPr>"
            f'<p:nvPr><p:ph type="{kind}"/></p:nvPr></p:nvSpPr><p:spPr>{_xfrm(where)}{bare}</p:spPr>{text}</p:sp>')


def _insets(rect: Rect, prst: str, radius: float, block: TextBlock) -> tuple[float, float, float, float] | None:
    """Insets that put ``block``'s lines where the layout set them inside a shape at ``rect``
    (with ``SLACK`` where there is room), or None when the text is not inside the shape."""
    inner = radius * _ROUND_TEXT if prst == "roundRect" else 0.0
    t = block.rect
    left, top = t.x - rect.x - inner, t.y - rect.y - inner
    right, bottom = rect.right - t.right - inner, rect.bottom - t.bottom - inner
    if min(left, top, right, bottom) < -0.01:
        return None
    left, top, right, bottom = (max(v, 0.0) for v in (left, top, right, bottom))
    if block.align == "left":
        right -= min(SLACK, right)
    elif block.align == "right":
        left -= min(SLACK, left)
    else:
        share = min(SLACK, left, right)
        left, right = left - share, right - share
    return left, top, right, bottom - min(SLACK, bottom)


def box_text_fits(rect: Rect, prst: str, radius: float, block: TextBlock) -> bool:
    """Whether ``block`` can be the text of a shape at ``rect`` (its lines lie inside it)."""
    return _insets(rect, prst, radius, block) is not None


def autoshape(shape_id: int, name: str, prst: str, rect: Rect, fill: str | None, stroke: str | None,
              stroke_width: float, ink: Ink, guides: tuple[tuple[str, int], ...] = (),
              text: TextBlock | None = None, radius: float = 0.0) -> str:
    """A preset shape with explicit fill and line, no theme style (so no shadow); with ``text``
    inside at the insets that keep its lines where the layout set them (see ``box_text_fits``).
    ``guides`` are its adjustments (``a:gd``), e.g. ``(("adj", 16667),)``."""
    if guides:
        av = "<a:avLst>" + "".join(f'<a:gd name="{n}" fmla="val {v}"/>' for n, v in guides) + "</a:avLst>"
    else:
        av = "<a:avLst/>"
    body = ""
    if text is not None:
        insets = _insets(rect, prst, radius, text)
        if insets is None:
            raise ValueError(f"text {text.name!r} is not inside shape {name!r}")
        body = _text_body(text, ink, _body_pr(*insets), {})
    return (f"<p:sp><p:nvSpPr>{_c_nv_pr(shape_id, name)}<p:cNvSpPr/><p:nvPr/></p:nvSpPr>"
            f'<p:spPr>{_xfrm(rect)}<a:prstGeom prst="{prst}">{av}</a:prstGeom>'
            f'{ink.fill(fill)}{ink.line("a:ln", stroke, stroke_width)}<a:effectLst/></p:spPr>{body}</p:sp>')


def connector(shape_id: int, name: str, x1: int, y1: int, x2: int, y2: int, value: str, width: float,
              ink: Ink) -> str:
    """A straight line from (``x1``, ``y1``) to (``x2``, ``y2``), in EMU, flipped as needed."""
    flips = (' flipH="1"' if x1 > x2 else "") + (' flipV="1"' if y1 > y2 else "")
    return (f"<p:cxnSp><p:nvCxnSpPr>{_c_nv_pr(shape_id, name)}<p:cNvCxnSpPr/><p:nvPr/></p:nvCxnSpPr>"
            f'<p:spPr><a:xfrm{flips}><a:off x="{min(x1, x2)}" y="{min(y1, y2)}"/>'
            f'<a:ext cx="{abs(x2 - x1)}" cy="{abs(y2 - y1)}"/></a:xfrm>'
            f'<a:prstGeom prst="line"><a:avLst/></a:prstGeom>{ink.line("a:ln", value, width)}</p:spPr></p:cxnSp>')


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
    """The frame showing the chart part related as ``rid``, with its alternative text."""
    return (_frame(shape_id, name, descr, rect, _NS_C)
            + f'<c:chart xmlns:c="{_NS_C}" r:id="{rid}"/></a:graphicData></a:graphic></p:graphicFrame>')


def _merge_attrs(table: Table) -> dict[tuple[int, int], str]:
    """``a:tc`` attributes of merged cells, as PowerPoint writes them: the top row of a merge
    carries ``rowSpan``, its left column ``gridSpan``, the other columns ``hMerge`` and the other
    rows ``vMerge``."""
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


def table(shape_id: int, name: str, spec: Table, ink: Ink) -> str:
    """A native table with its alternative text: columns and rows of the layout's sizes, merged
    cells, each cell with padding as margins, top anchor, its borders and fill, and its text."""
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
    borders = "".join(ink.line(side, spec.border, spec.border_width)
                      for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"))
    cell_pr = f'<a:tcPr marL="{pad}" marR="{pad}" marT="{pad}" marB="{pad}" anchor="t">{borders}'
    out = [_frame(shape_id, name, spec.alt or None, spec.rect, "http://schemas.openxmlformats.org/drawingml/2006/table"),
           f"<a:tbl><a:tblPr><a:tableStyleId>{_TABLE_STYLE}</a:tableStyleId></a:tblPr><a:tblGrid>"]
    out.extend(f'<a:gridCol w="{emu(width)}"/>' for width in spec.col_widths)
    out.append("</a:tblGrid>")
    for row in range(n_rows):
        out.append(f'<a:tr h="{emu(spec.row_heights[row])}">')
        for col in range(n_cols):
            out.append(f"<a:tc{merged.get((row, col), '')}>")
            found = texts.get((row, col))
            out.append("<a:txBody><a:bodyPr/><a:lstStyle/>")
            _paragraphs(out, None if found is None else found.text, ink, {})
            out.append(f"</a:txBody>{cell_pr}{ink.fill(fills.get((row, col)))}</a:tcPr></a:tc>")
        out.append("</a:tr>")
    out.append("</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    return "".join(out)


def group(shape_id: int, name: str, rect: Rect, shapes: list[str]) -> str:
    """A group shape of ``shapes`` (drawn in slide coordinates: the group maps them 1:1)."""
    off = f'<a:off x="{emu(rect.x)}" y="{emu(rect.y)}"/><a:ext cx="{emu(rect.w)}" cy="{emu(rect.h)}"/>'
    child = f'<a:chOff x="{emu(rect.x)}" y="{emu(rect.y)}"/><a:chExt cx="{emu(rect.w)}" cy="{emu(rect.h)}"/>'
    return (f"<p:grpSp><p:nvGrpSpPr>{_c_nv_pr(shape_id, name)}<p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>"
            f"<p:grpSpPr><a:xfrm>{off}{child}</a:xfrm></p:grpSpPr>" + "".join(shapes) + "</p:grpSp>")


SHAPE_TREE = ('<p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>'
              '<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/>'
              '<a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')


def slide(shapes: list[str]) -> str:
    """A slide part holding ``shapes`` in drawing (and reading) order over its layout."""
    return "".join((
        DECLARATION, f"<p:sld {NS}><p:cSld>", SHAPE_TREE, *shapes,
        "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>"))

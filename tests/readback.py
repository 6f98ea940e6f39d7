"""Read built files back: text lines with positions from PDFs (pdfminer) and PPTX (python-pptx, with
the frame its master and layouts draw on each slide).

Used by the end-to-end tests to compare what each output shows with what the
layout decided. Positions are in points, origin top-left, y down.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTTextContainer
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Emu

__all__ = ["PdfChar", "pdf_chars", "PptxBox", "pptx_boxes", "pptx_shapes", "pptx_text", "squash"]


def squash(text: str) -> str:
    """Text with all white space removed (LibreOffice adds spaces between kana and Latin)."""
    return re.sub(r"\s+", "", text)


@dataclass(frozen=True)
class PdfChar:
    text: str
    x0: float
    x1: float
    baseline: float  # from the top of the page
    size: float


def _walk(obj):  # type: ignore[no-untyped-def]
    if isinstance(obj, LTChar):
        yield obj
    elif hasattr(obj, "__iter__"):
        for child in obj:
            yield from _walk(child)


def pdf_chars(path: Path) -> list[list[PdfChar]]:
    """Every character of every page, with its baseline (from the top) and x extent."""
    pages = []
    for page in extract_pages(str(path), laparams=LAParams(char_margin=0.5, line_margin=0.1)):
        height = page.height
        chars = []
        for char in _walk(page):
            # matrix[5] is the baseline's y from the bottom.
            chars.append(PdfChar(char.get_text(), char.x0, char.x1, height - char.matrix[5], char.size))
        pages.append(chars)
    return pages


@dataclass(frozen=True)
class PptxBox:
    """A text frame as PowerPoint lays it out: where its text area is (the shape less its insets),
    its lines (a bullet's character first, a page number field as the slide's number) and the style
    of its first paragraph."""

    name: str
    left: float
    top: float
    width: float
    height: float
    lines: tuple[str, ...]
    size: float
    leading: float
    align: str
    margin_left: float
    indent: float
    where: str = "slide"  # slide, layout or master
    autofit: bool = False  # the frame shrinks text on overflow (a:normAutofit)


_NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
       "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


def _pt(emu: int | None) -> float:
    return Emu(emu or 0).pt


def pptx_shapes(shapes):  # type: ignore[no-untyped-def]
    """Every shape of a slide's shape tree, group shapes opened (a panel or card is a group)."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from pptx_shapes(shape.shapes)
        else:
            yield shape


def _text_shapes(shapes, placeholders: bool):  # type: ignore[no-untyped-def]
    """Shapes with text, groups opened (their children are in slide coordinates), placeholders only
    when they are drawn (on a slide, not on its layout or master)."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _text_shapes(shape.shapes, placeholders)
        elif shape.has_text_frame and (placeholders or not shape.is_placeholder):
            yield shape


def _box(shape, number: int, where: str) -> PptxBox | None:  # type: ignore[no-untyped-def]
    body = shape.text_frame._txBody
    body_pr = body.find("a:bodyPr", _NS)
    lines: list[str] = []
    for p in body.findall("a:p", _NS):
        ppr = p.find("a:pPr", _NS)
        bullet = None if ppr is None else ppr.find("a:buChar", _NS)
        current = "" if bullet is None else bullet.get("char")
        for child in p:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag == "r":
                current += child.findtext("a:t", default="", namespaces=_NS)
            elif tag == "fld":
                current += str(number) if child.get("type") == "slidenum" else child.findtext("a:t", default="",
                                                                                                namespaces=_NS)
            elif tag == "br":
                lines.append(current)
                current = ""
        lines.append(current)
    if not "".join(lines).strip():
        return None
    first_p = body.find("a:p", _NS)
    ppr = first_p.find("a:pPr", _NS)
    spc = ppr.find("a:lnSpc/a:spcPts", _NS) if ppr is not None else None
    if spc is None:  # a frame this tool did not write (a template's own text): no fixed line pitch to compare
        return None
    run = body.find(".//a:rPr", _NS)
    insets = [_pt(int(body_pr.get(side, 91440 if side in ("lIns", "rIns") else 45720)))
              for side in ("lIns", "tIns", "rIns", "bIns")]
    geometry = shape._element.find("p:spPr/a:prstGeom", _NS)
    if geometry is not None and geometry.get("prst") == "roundRect":  # its text rectangle is inset by il
        guide = geometry.find("a:avLst/a:gd", _NS)
        share = int(guide.get("fmla").split()[1]) / 100000 if guide is not None else 0.16667
        inner = share * min(_pt(shape.width), _pt(shape.height)) * 0.29289321881
        insets = [value + inner for value in insets]
    left, top = _pt(shape.left) + insets[0], _pt(shape.top) + insets[1]
    width, height = _pt(shape.width) - insets[0] - insets[2], _pt(shape.height) - insets[1] - insets[3]
    return PptxBox(shape.name, left, top, width, height, tuple(lines), int(run.get("sz")) / 100,
                   int(spc.get("val")) / 100, ppr.get("algn", "l"), _pt(int(ppr.get("marL", 0))),
                   _pt(int(ppr.get("indent", 0))), where, body_pr.find("a:normAutofit", _NS) is not None)


def pptx_boxes(path: Path) -> list[list[PptxBox]]:
    """Every text frame each slide shows (not table cells): its master's and layout's frame first,
    then its own shapes; with position, lines, size and leading. Frames above the page (a title
    placeholder holding a title the page does not show) are left out."""
    slides = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        layout = slide.slide_layout
        sources = ((layout.slide_master.shapes, False, "master"), (layout.shapes, False, "layout"),
                   (slide.shapes, True, "slide"))
        boxes = []
        for shapes, placeholders, where in sources:
            for shape in _text_shapes(shapes, placeholders):
                box = _box(shape, number, where)
                if box is not None and box.top + box.height > 0:
                    boxes.append(box)
        slides.append(boxes)
    return slides


def pptx_text(path: Path) -> str:
    """The text of every part of a PPTX (slides, layouts, master, charts), paragraph by paragraph, each
    bullet's character before its paragraph's text, as PowerPoint shows it."""
    import zipfile
    from xml.etree import ElementTree

    parts = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if not name.endswith(".xml") or not name.startswith("ppt/"):
                continue
            for element in ElementTree.fromstring(z.read(name)).iter():
                tag = element.tag.rsplit("}", 1)[-1]
                if tag == "buChar":
                    parts.append(element.get("char", ""))
                elif tag in ("t", "v") and element.text:
                    parts.append(element.text)
                elif tag == "p":
                    parts.append("\n")
    return "".join(parts)


def pdf_text_lines(path: Path) -> list[str]:
    """Lines of text as pdfminer groups them, white space removed."""
    out = []
    for page in extract_pages(str(path), laparams=LAParams(char_margin=0.5, line_margin=0.1)):
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element:
                    text = squash(line.get_text())
                    if text:
                        out.append(text)
    return out

"""Read built files back: text lines with positions from PDFs (pdfminer) and PPTX (python-pptx).

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
from pptx.util import Emu

__all__ = ["PdfChar", "pdf_chars", "PptxBox", "pptx_boxes", "squash"]


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


def _pt(emu: int | None) -> float:
    return Emu(emu or 0).pt


def pptx_boxes(path: Path) -> list[list[PptxBox]]:
    """Every text box (not table cells) of every slide: position, lines, size, leading."""
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    slides = []
    for slide in Presentation(str(path)).slides:
        boxes = []
        for shape in slide.shapes:
            if not shape.has_text_frame or not shape.text_frame.text.strip():
                continue
            body = shape.text_frame._txBody
            first_p = body.find("a:p", ns)
            ppr = first_p.find("a:pPr", ns)
            spc = ppr.find("a:lnSpc/a:spcPts", ns)
            run = body.find(".//a:r/a:rPr", ns)
            lines: list[str] = []
            for p in body.findall("a:p", ns):
                current = ""
                for child in p:
                    tag = child.tag.rsplit("}", 1)[-1]
                    if tag == "r":
                        current += child.findtext("a:t", default="", namespaces=ns)
                    elif tag == "br":
                        lines.append(current)
                        current = ""
                lines.append(current)
            boxes.append(PptxBox(shape.name, _pt(shape.left), _pt(shape.top), _pt(shape.width), _pt(shape.height),
                                 tuple(lines), int(run.get("sz")) / 100, int(spc.get("val")) / 100,
                                 ppr.get("algn", "l"), _pt(int(ppr.get("marL", 0))), _pt(int(ppr.get("indent", 0)))))
        slides.append(boxes)
    return slides


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

"""PDF, HTML and PPTX draw every chart with the same layout values.

Every chart of both example meetings (and a page of each chart type, bar and line included, which the
meetings do not use) is laid out, drawn by the three renderers and read back: the PDF's marks and
labels (pdfminer), the HTML page's SVG, the PPTX's chart XML. Each is held to the ``Chart`` primitive's
style, axis, number formats, colours and label colours (``chart_readback``), so a colour, a width, a
gap, a label or legend position or a number format that one renderer takes from anywhere but the
layout fails here.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from lxml import etree
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.charts import chart
from council_materials.layout.context import LayoutContext
from council_materials.layout.document import layout_bundle
from council_materials.layout.primitives import Chart, Document, Page, Rect, Stroke
from council_materials.models import ChartData, Theme
from council_materials.plugins import get_plugin_manager
from council_materials.render.html import render_page
from council_materials.render.pdf import render_pdf
from council_materials.render.pptx import render_pptx
from council_materials.typography.linebreak import LineBreaker

from chart_readback import check_drawn, check_pptx, pdf_chart, pdf_pages, svg_charts
from conftest import ROOT

A4 = (841.89, 595.28)
CELLS = [Rect(30, 30, 380, 260), Rect(430, 30, 380, 260), Rect(30, 310, 380, 260), Rect(430, 310, 380, 260)]
EVERY_TYPE = [
    [{"type": "bar", "unit": "回", "categories": ["大学", "工業高校", "合計"],
      "series": [{"name": "R6実績", "values": [46, 5, 56]}, {"name": "R5実績", "values": [59, 3, 62]}]},
     {"type": "bar", "horizontal": True, "decimals": 1, "unit": "倍", "categories": ["土木", "建築"],
      "series": [{"name": "倍率", "values": [2.25, -0.35]}]},
     {"type": "stacked", "unit": "名", "categories": ["R4", "R5", "R6"], "legend": False,
      "series": [{"name": "新卒", "values": [120, 135, 128]}, {"name": "経験者", "values": [40, None, 61]}]},
     {"type": "stacked_100", "horizontal": True, "unit": "%", "categories": ["やりがい", "転職"],
      "series": [{"name": "そう思う", "values": [60, 10]}, {"name": "思わない", "values": [40, 90]}]}],
    [{"type": "line", "unit": "倍", "decimals": 1, "categories": ["R3", "R4", "R5", "R6"],
      "series": [{"name": "土木", "values": [2.5, 2.2, None, 2.0]}, {"name": "建築", "values": [1.5, 1.8, 1.9, 1.2]}]},
     {"type": "pie", "unit": "件", "categories": ["A", "B", "C"], "series": [{"name": "件数", "values": [5, 0, 3]}]},
     {"type": "doughnut", "unit": "名", "categories": ["土木", "建築", "機械", "電気"],
      "series": [{"name": "職種", "values": [800, 400, 235, 200]}], "value_labels": False},
     {"type": "line", "categories": ["1月", "2月"], "axis_min": 10, "axis_max": 30,
      "series": [{"name": "件", "values": [12, 27]}]}],
]


@dataclass
class Drawn:
    """A document's charts (page index, chart) with what each output drew for them."""

    name: str
    charts: list[tuple[int, Chart]]
    pdf: Path
    pptx: Path
    svgs: list[str]


def _charts(document: Document) -> list[tuple[int, Chart]]:
    return [(index, item) for index, page in enumerate(document.pages) for item in page.items
            if isinstance(item, Chart)]


def _render(name: str, document: Document, folder: Path) -> Drawn:
    """``document``'s pages with charts, drawn by the three renderers."""
    pages = tuple(page for page in document.pages if any(isinstance(item, Chart) for item in page.items))
    document = replace(document, pages=pages, bookmarks=())
    pdf, pptx = folder / f"{name}.pdf", folder / f"{name}.pptx"
    render_pdf(document, pdf)
    render_pptx(document, pptx)
    svgs = [render_page(page, lambda path: "picture.png") for page in pages]
    return Drawn(name, _charts(document), pdf, pptx, svgs)


def _meeting(folder: str, out: Path) -> list[Drawn]:
    meeting = ROOT / "examples" / folder
    bundle, registry = load_bundle(meeting, get_plugin_manager())
    laid = layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, meeting),
                         meeting_dir=meeting.resolve())
    return [_render(f"{folder} {material.label}", document, out) for material, document in laid.materials
            if _charts(document)]


def _every_type(fonts, out: Path) -> list[Drawn]:  # type: ignore[no-untyped-def]
    ctx = LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=out, material="test")
    pages = tuple(Page(*A4, items=tuple(chart(ctx, ChartData.model_validate(spec), rect, f"chart {n}")
                                        for n, (spec, rect) in enumerate(zip(specs, CELLS), 1)), number=number)
                  for number, specs in enumerate(EVERY_TYPE, 1))
    return [_render("every type", Document("charts", pages, fonts.faces(), created="2025-02-20T16:00:00"), out)]


@pytest.fixture(scope="module", params=["council-120", "council-121", "every type"])
def drawn(request, fonts, tmp_path_factory) -> list[Drawn]:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("charts")
    found = _every_type(fonts, out) if request.param == "every type" else _meeting(request.param, out)
    assert found, f"{request.param} has no chart"
    return found


def _frames(shapes):  # type: ignore[no-untyped-def]
    """The chart frames among ``shapes``, groups opened, in drawing order."""
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from _frames(shape.shapes)
        elif getattr(shape, "has_chart", False) and shape.has_chart:
            yield shape


def test_the_pdf_draws_each_chart_with_its_layout_values(drawn: list[Drawn]) -> None:
    for document in drawn:
        pages = pdf_pages(document.pdf)
        for index, item in document.charts:
            check_drawn(item, pdf_chart(pages[index], item), f"PDF, {document.name}, {item.name}")


def test_the_html_page_draws_each_chart_with_its_layout_values(drawn: list[Drawn]) -> None:
    for document in drawn:
        for index, svg in enumerate(document.svgs):
            on_page = [item for page, item in document.charts if page == index]
            found = svg_charts(svg)
            assert len(found) == len(on_page), document.name
            for item, shown in zip(on_page, found):
                check_drawn(item, shown, f"HTML, {document.name}, {item.name}")


def test_the_pptx_writes_each_chart_with_its_layout_values(drawn: list[Drawn]) -> None:
    kinds = set()
    for document in drawn:
        slides = Presentation(str(document.pptx)).slides
        for index, slide in enumerate(slides):
            on_page = [item for page, item in document.charts if page == index]
            frames = list(_frames(slide.shapes))
            assert [f.name for f in frames] == [item.name for item in on_page], document.name
            for frame, item in zip(frames, on_page):
                check_pptx(item, etree.fromstring(frame.chart_part.blob), f"PPTX, {document.name}, {item.name}")
                kinds.add(item.kind)
    assert kinds, "no chart was checked"


def test_the_checks_fail_when_an_output_leaves_the_layout_values(fonts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A chart whose style says one thing and whose marks another: the PDF (drawn from the marks) and
    the PPTX (written from the style) each fail their check."""
    [document] = _every_type(fonts, tmp_path)
    _, laid = document.charts[0]
    moved = replace(laid, style=replace(laid.style, grid=Stroke("FF0000", 0.5), label_position="centre"))
    page = Page(*A4, items=(moved,))
    pdf, pptx = tmp_path / "moved.pdf", tmp_path / "moved.pptx"
    one = Document("moved", (page,), fonts.faces(), created="2025-02-20T16:00:00")
    render_pdf(one, pdf)
    render_pptx(one, pptx)
    with pytest.raises(AssertionError):
        check_drawn(moved, pdf_chart(pdf_pages(pdf)[0], moved), "PDF")
    [frame] = _frames(Presentation(str(pptx)).slides[0].shapes)
    space = etree.fromstring(frame.chart_part.blob)
    check_pptx(moved, space, "PPTX")  # the native chart follows the style it was given…
    with pytest.raises(AssertionError):
        check_pptx(laid, space, "PPTX")  # …so it is not the chart the layout drew

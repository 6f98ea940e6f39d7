"""Charts from data: laid out once, a native chart in PPTX, the same chart drawn in PDF.

Layout tests check the geometry and labels the layout decides; renderer tests reopen
the PPTX (chart parts, series, values, colours, fonts, axis, plot area) and the PDF
(every label at its place, bars where the layout put them), and LibreOffice converts
the PPTX with its charts.
"""
from __future__ import annotations

import csv
import io
import math
import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTRect
from pptx import Presentation
from pydantic import ValidationError
from pypdf import PdfReader

from council_materials.errors import OverflowError_
from council_materials.layout.charts import chart, chart_block, chart_grid, nice_axis, number_text
from council_materials.layout.context import LayoutContext
from council_materials.layout.primitives import Box, Chart, Document, NumberFormat, Page, Polyline, Rect, TextBlock, Wedge
from council_materials.models import ChartData, Theme
from council_materials.render.pptx_chart import number_code
from council_materials.typography.linebreak import LineBreaker

from conftest import render_both, require_client, soffice_to_pdf
from readback import pdf_chars, squash

NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
A4 = (841.89, 595.28)
VISITS = {"type": "bar", "title": "訪問回数", "unit": "回", "categories": ["大学", "工業高校", "合計"],
          "series": [{"name": "R6実績", "values": [46, 5, 56]}, {"name": "R5実績", "values": [59, 3, 62]}]}
SURVEY = {"type": "stacked_100", "horizontal": True, "unit": "%", "categories": ["やりがい", "転職"],
          "series": [{"name": "そう思う", "values": [60, 10]}, {"name": "思わない", "values": [40, 90]}]}
SHARE = {"type": "doughnut", "unit": "名", "categories": ["土木", "建築", "機械", "電気"],
         "series": [{"name": "職種", "values": [800, 400, 235, 200]}]}
TREND = {"type": "line", "unit": "倍", "decimals": 1, "categories": ["R4", "R5", "R6"],
         "series": [{"name": "土木", "values": [2.5, None, 2.0]}]}


@pytest.fixture
def ctx(fonts, tmp_path) -> LayoutContext:
    return LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path,
                         material="資料3 (talent)", page=2)


def lay(ctx: LayoutContext, spec: dict, rect: Rect = Rect(40, 60, 360, 240)) -> Chart:
    return chart(ctx, ChartData.model_validate(spec), rect, "chart 1")


def label(result: Chart, box: str) -> TextBlock:
    return next(block for block in result.labels if block.name == f"chart 1 {box}")


def bars(result: Chart) -> list[Box]:
    return [m for m in result.marks if isinstance(m, Box) and " bar " in m.name]


# -- model ----------------------------------------------------------------------------------
@pytest.mark.parametrize("change, words", [
    ({"series": [{"name": "R6", "values": [1, 2]}]}, "has 2 values, expected one per category (3)"),
    ({"type": "pie"}, "exactly one series"),
    ({"type": "stacked", "series": [{"name": "R6", "values": [1, -2, 3]}]}, "zero or more"),
    ({"type": "line", "horizontal": True}, "'horizontal' applies to bar charts"),
    ({"unit": '回"'}, 'cannot contain "'),
    ({"series": [{"name": "R6", "values": [None, None, None]}]}, "no values"),
    ({"series": [{"name": "R6", "values": [1, float("inf"), 3]}]}, "finite"),
])
def test_chart_model_refuses_inconsistent_data(change: dict, words: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(words)):
        ChartData.model_validate({**VISITS, **change})


def test_legend_defaults() -> None:
    assert ChartData.model_validate(VISITS).shows_legend
    assert not ChartData.model_validate({**VISITS, "series": VISITS["series"][:1]}).shows_legend
    assert ChartData.model_validate(SHARE).shows_legend


@pytest.mark.parametrize("low, high, axis", [(0, 62, (0, 75, 25)), (0, 59, (0, 60, 20)), (-4, 59, (-20, 60, 20)),
                                             (0, 4, (0, 4, 1)), (0, 1635, (0, 2000, 500)), (0, 0.3, (0, 0.3, 0.1))])
def test_nice_axis(low: float, high: float, axis: tuple) -> None:
    assert nice_axis(low, high) == pytest.approx(axis)


# -- layout ---------------------------------------------------------------------------------
def test_bars_stand_on_zero_in_category_order_with_values_above(ctx: LayoutContext) -> None:
    result = lay(ctx, VISITS)
    plot, axis = result.plot, result.axis
    assert (axis.minimum, axis.maximum, axis.step, axis.number_format) == (0, 75, 25, NumberFormat(0, "回", False))
    assert result.number_format == NumberFormat(0, "回", False)
    assert result.style.label_position == "outside end" and result.style.legend_position == "bottom"
    drawn = bars(result)
    assert [b.name for b in drawn] == [f"chart 1 bar {j}.{i}" for j in (1, 2) for i in (1, 2, 3)]
    for box, value in zip(drawn, [46, 5, 56, 59, 3, 62]):
        assert box.rect.bottom == pytest.approx(plot.bottom)
        assert box.rect.h == pytest.approx(value / 75 * plot.h)
    r6, r5 = drawn[:3], drawn[3:]
    assert [b.fill for b in r6] == [Theme().accent] * 3 and len({b.fill for b in r5}) == 1 != {r6[0].fill}
    assert all(a.rect.right == pytest.approx(b.rect.x) for a, b in zip(r6, r5))  # side by side
    assert r6[0].rect.x < r6[1].rect.x < r6[2].rect.x  # categories left to right
    for (j, i), box in zip([(j, i) for j in (1, 2) for i in (1, 2, 3)], drawn):
        value = label(result, f"value {j}.{i}")
        assert value.lines[0].text == f"{[46, 5, 56, 59, 3, 62][(j - 1) * 3 + i - 1]}回"
        assert value.rect.bottom <= box.rect.y + 0.01 and value.rect.bottom > box.rect.y - 3
        line = value.lines[0]
        assert line.x + line.width / 2 == pytest.approx(box.rect.x + box.rect.w / 2, abs=0.01)
    assert [label(result, f"category {i}").lines[0].text for i in (1, 2, 3)] == ["大学", "工業高校", "合計"]
    assert all(label(result, f"category {i}").rect.y > plot.bottom for i in (1, 2, 3))
    ticks = [b for b in result.labels if " axis " in b.name]
    assert [t.lines[0].text for t in ticks] == ["0回", "25回", "50回", "75回"]
    assert all(t.rect.right <= plot.x for t in ticks)
    assert label(result, "legend 1").lines[0].text == "R6実績" and result.legend is not None
    assert result.label_colors == ((Theme().text_color,) * 3,) * 2
    for block in result.labels:  # everything inside the chart's rectangle
        assert result.rect.x - 0.01 <= block.rect.x and block.rect.right <= result.rect.right + 0.01
        assert result.rect.y - 0.01 <= block.rect.y and block.rect.bottom <= result.rect.bottom + 0.01


def test_hundred_percent_bars_fill_the_plot_and_hide_labels_that_do_not_fit(ctx: LayoutContext) -> None:
    result = lay(ctx, SURVEY, Rect(40, 60, 300, 160))
    plot = result.plot
    assert result.axis.number_format == NumberFormat(0, "", True) and (result.axis.maximum, result.axis.step) == (1.0, 0.2)
    assert result.style.label_position == "centre"
    drawn = bars(result)
    first = [b for b in drawn if b.name.endswith(".1")]
    assert first[0].rect.x == pytest.approx(plot.x) and first[-1].rect.right == pytest.approx(plot.right)
    assert first[0].rect.w == pytest.approx(0.6 * plot.w)
    assert drawn[0].rect.y < drawn[1].rect.y  # horizontal: the first category on top
    assert label(result, "value 1.1").lines[0].text == "60%"  # the value as given, not the share
    assert label(result, "category 1").rect.right <= plot.x
    assert [t.lines[0].text for t in result.labels if " axis " in t.name] == ["0%", "20%", "40%", "60%", "80%", "100%"]
    assert result.label_colors[0][0] == "FFFFFF"  # light text on the dark accent
    narrow = lay(ctx, {**SURVEY, "series": [{"name": "そう思う", "values": [99, 10]},
                                            {"name": "思わない", "values": [1, 90]}]}, Rect(40, 60, 300, 160))
    assert narrow.label_colors[1][0] is None and not any(b.name == "chart 1 value 2.1" for b in narrow.labels)


def test_doughnut_slices_go_clockwise_from_twelve(ctx: LayoutContext) -> None:
    result = lay(ctx, SHARE)
    wedges = [m for m in result.marks if isinstance(m, Wedge)]
    assert [w.fill for w in wedges] == list(result.point_colors) and len(set(result.point_colors)) == 4
    assert wedges[0].start == 0 and sum(w.sweep for w in wedges) == pytest.approx(360)
    assert wedges[0].sweep == pytest.approx(800 / 1635 * 360)
    assert all(b.start == pytest.approx(a.start + a.sweep) for a, b in zip(wedges, wedges[1:]))
    assert all(w.inner == pytest.approx(w.radius / 2) for w in wedges)
    assert result.plot.w == pytest.approx(result.plot.h) == pytest.approx(2 * wedges[0].radius)
    assert [label(result, f"legend {i}").lines[0].text for i in (1, 2, 3, 4)] == ["土木", "建築", "機械", "電気"]
    value = label(result, "value 1.1")
    middle = math.radians(wedges[0].sweep / 2)
    at = (wedges[0].radius + wedges[0].inner) / 2
    line = value.lines[0]
    assert line.x + line.width / 2 == pytest.approx(wedges[0].cx + at * math.sin(middle), abs=0.01)
    assert result.style.legend_position == "right" and result.legend.x > result.plot.right


def test_line_breaks_where_a_value_is_missing(ctx: LayoutContext) -> None:
    result = lay(ctx, {**TREND, "series": [{"name": "土木", "values": [2.5, 2.2, None, 2.0]}],
                       "categories": ["R3", "R4", "R5", "R6"]})
    lines = [m for m in result.marks if isinstance(m, Polyline)]
    assert len(lines) == 1 and len(lines[0].points) == 2
    slot = result.plot.w / 4
    assert [p[0] for p in lines[0].points] == pytest.approx([result.plot.x + slot / 2, result.plot.x + 1.5 * slot])
    assert label(result, "value 1.1").lines[0].text == "2.5倍"
    assert result.label_colors[0][2] is None


def test_title_and_note_are_text_around_the_chart(ctx: LayoutContext) -> None:
    items = chart_block(ctx, ChartData.model_validate({**SURVEY, "title": "やりがい・転職",
                                                       "note": "※グラフは表示例（数値は仮）"}),
                        Rect(40, 60, 300, 220), "chart 1")
    title, laid, note = items
    assert isinstance(laid, Chart) and title.lines[0].text == "やりがい・転職"
    assert title.rect.bottom <= laid.rect.y and laid.rect.bottom <= note.rect.y
    assert note.lines[0].text == "※グラフは表示例（数値は仮）"


def test_a_chart_too_small_names_its_box(ctx: LayoutContext) -> None:
    with pytest.raises(OverflowError_, match=r"box 'chart 1', field chart 1\.categories"):
        lay(ctx, VISITS, Rect(40, 60, 360, 50))


# -- renderers ------------------------------------------------------------------------------
@pytest.fixture
def rendered(ctx: LayoutContext, fonts, tmp_path: Path) -> tuple[Document, Path, Path]:
    charts = [chart(ctx, ChartData.model_validate(spec), rect, f"chart {n}") for n, (spec, rect) in enumerate([
        (VISITS, Rect(30, 30, 380, 260)), (SURVEY, Rect(430, 30, 380, 260)),
        (SHARE, Rect(30, 310, 380, 260)), (TREND, Rect(430, 310, 380, 260))], 1)]
    document = Document("charts", (Page(*A4, items=tuple(charts)),), fonts.faces(), created="2025-02-20T16:00:00")
    pdf, pptx = render_both(document, tmp_path, "charts")
    return document, pdf, pptx


def test_pptx_has_native_charts_with_our_data_colours_and_fonts(rendered) -> None:  # type: ignore[no-untyped-def]
    document, _, pptx = rendered
    laid = [item for item in document.pages[0].items if isinstance(item, Chart)]
    frames = [shape for shape in Presentation(str(pptx)).slides[0].shapes if shape.has_chart]
    assert [f.name for f in frames] == ["chart 1", "chart 2", "chart 3", "chart 4"]
    for frame, spec in zip(frames, laid):
        plot = frame.chart.plots[0]
        assert list(plot.categories) == list(spec.categories)
        assert [(s.name, tuple(s.values)) for s in plot.series] == [(s.name, s.values) for s in spec.series]
        assert (frame.left.pt, frame.top.pt, frame.width.pt, frame.height.pt) == pytest.approx(
            (spec.rect.x, spec.rect.y, spec.rect.w, spec.rect.h), abs=0.01)
        space = frame.chart._chartSpace
        for face in ("latin", "ea", "cs"):
            assert {e.get("typeface") for e in space.iterfind(f".//a:{face}", NS)} == {"BIZ UDPGothic"}
        layout = space.find("c:chart/c:plotArea/c:layout/c:manualLayout", NS)
        assert layout.find("c:layoutTarget", NS).get("val") == "inner"
        x, y, w, h = (float(layout.find(f"c:{k}", NS).get("val")) for k in "xywh")
        assert spec.rect.x + x * spec.rect.w == pytest.approx(spec.plot.x, abs=0.01)
        assert spec.rect.y + y * spec.rect.h == pytest.approx(spec.plot.y, abs=0.01)
        assert (w * spec.rect.w, h * spec.rect.h) == pytest.approx((spec.plot.w, spec.plot.h), abs=0.01)
        for ser, colours in zip(space.iterfind(".//c:ser", NS), spec.label_colors):
            deleted = [lbl.find("c:delete", NS) is not None for lbl in ser.iterfind("c:dLbls/c:dLbl", NS)]
            assert deleted == [c is None for c in colours]
            assert ser.find("c:dLbls/c:numFmt", NS).get("formatCode") == number_code(spec.number_format)
    bar, survey, share, trend = (f.chart for f in frames)
    assert bar._chartSpace.find(".//c:barChart/c:grouping", NS).get("val") == "clustered"
    assert [s._element.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for s in bar.plots[0].series] == \
        [s.color for s in laid[0].series]
    scaling = bar._chartSpace.find(".//c:valAx/c:scaling", NS)
    assert (scaling.find("c:min", NS).get("val"), scaling.find("c:max", NS).get("val")) == ("0.0", "75.0")
    assert bar._chartSpace.find(".//c:valAx/c:majorUnit", NS).get("val") == "25.0"
    assert survey._chartSpace.find(".//c:barChart/c:grouping", NS).get("val") == "percentStacked"
    assert survey._chartSpace.find(".//c:barChart/c:barDir", NS).get("val") == "bar"
    assert survey._chartSpace.find(".//c:catAx/c:scaling/c:orientation", NS).get("val") == "maxMin"
    points = share._chartSpace.findall(".//c:doughnutChart/c:ser/c:dPt/c:spPr/a:solidFill/a:srgbClr", NS)
    assert [p.get("val") for p in points] == list(laid[2].point_colors)
    assert share._chartSpace.find(".//c:holeSize", NS).get("val") == "50"
    assert trend._chartSpace.find(".//c:lineChart/c:ser/c:marker/c:symbol", NS).get("val") == "circle"


def test_pptx_chart_data_opens_as_a_workbook_dated_from_the_meeting(rendered) -> None:  # type: ignore[no-untyped-def]
    _, _, pptx = rendered
    with zipfile.ZipFile(pptx) as package:
        books = sorted(n for n in package.namelist() if n.startswith("ppt/embeddings/") and n.endswith(".xlsx"))
        assert len(books) == 4
        with zipfile.ZipFile(io.BytesIO(package.read(books[0]))) as book:
            assert {info.date_time for info in book.infolist()} == {(1980, 1, 1, 0, 0, 0)}
            core = book.read("docProps/core.xml").decode()
            strings = book.read("xl/sharedStrings.xml").decode()
    assert core.count("2025-02-20T16:00:00Z") == 2
    assert all(word in strings for word in ("大学", "工業高校", "R6実績", "R5実績"))


def test_libreoffice_calc_opens_each_charts_workbook_with_its_data(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The sheet PowerPoint opens to edit a chart's data, opened by LibreOffice Calc: categories down
    column A, each series' name over its values, a missing value an empty cell."""
    document, _, pptx = rendered
    laid = [item for item in document.pages[0].items if isinstance(item, Chart)]
    books = []
    with zipfile.ZipFile(pptx) as package:
        for n in range(1, len(laid) + 1):
            book = tmp_path / f"chart{n}.xlsx"
            book.write_bytes(package.read(f"ppt/embeddings/Microsoft_Excel_Sheet{n}.xlsx"))
            books.append(book)
    soffice = require_client("soffice")
    # comma-separated UTF-8, each cell's value (not as shown): 44,34,76,1,,0,false,true,false
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false", "--outdir", str(tmp_path),
                    *map(str, books)], check=True, capture_output=True, timeout=300)
    for book, laid_chart in zip(books, laid):
        csv_path = book.with_suffix(".csv")
        assert csv_path.is_file(), f"LibreOffice Calc could not open {book.name}"
        rows = list(csv.reader(csv_path.read_text(encoding="utf-8").splitlines()))
        assert rows[0] == ["", *(series.name for series in laid_chart.series)]
        assert [row[0] for row in rows[1:]] == list(laid_chart.categories)
        for col, series in enumerate(laid_chart.series, start=1):
            assert [float(row[col]) if row[col] else None for row in rows[1:]] == list(series.values), series.name


def test_pdf_shows_every_label_where_the_layout_put_it(rendered) -> None:  # type: ignore[no-untyped-def]
    document, pdf, _ = rendered
    chars = pdf_chars(pdf)[0]
    checked = 0
    for block in document.pages[0].text_blocks():
        for line in block.lines:
            found = sorted((c for c in chars if abs(c.baseline - line.baseline) < 0.6
                            and line.x - 0.6 <= c.x0 and c.x1 <= line.x + line.width + 0.6), key=lambda c: c.x0)
            assert squash("".join(c.text for c in found)) == squash(line.text), block.name
            assert found[0].x0 == pytest.approx(line.x, abs=0.6)
            checked += 1
    assert checked > 40


def test_pdf_draws_bars_in_the_layout_rectangles(rendered) -> None:  # type: ignore[no-untyped-def]
    document, pdf, _ = rendered
    page = next(iter(extract_pages(str(pdf))))
    boxes = [o.bbox for o in page if isinstance(o, LTRect) and o.fill]
    height = A4[1]
    laid = [item for item in document.pages[0].items if isinstance(item, Chart)]
    for bar in bars(laid[0]) + bars(laid[1]):
        want = (bar.rect.x, height - bar.rect.bottom, bar.rect.right, height - bar.rect.y)
        assert any(all(abs(p - q) < 0.05 for p, q in zip(box, want)) for box in boxes), bar.name


def test_markup_characters_in_names_make_valid_files(ctx: LayoutContext, fonts, tmp_path: Path) -> None:
    spec = {**VISITS, "categories": ["R&D <研究>", "A<B", "合計 & 計"],
            "series": [{"name": "R6 & R5 <速報>", "values": [1, 2, 3]}, {"name": "]]>", "values": [3, 2, 1]}]}
    laid = chart(ctx, ChartData.model_validate(spec), Rect(40, 60, 500, 300), "chart 1")
    document = Document("markup", (Page(*A4, items=(laid,)),), fonts.faces())
    pdf, pptx = render_both(document, tmp_path, "markup")
    frame = next(s for s in Presentation(str(pptx)).slides[0].shapes if s.has_chart)
    assert list(frame.chart.plots[0].categories) == spec["categories"]
    assert [s.name for s in frame.chart.plots[0].series] == ["R6 & R5 <速報>", "]]>"]
    with zipfile.ZipFile(pptx) as package:
        etree.fromstring(package.read("ppt/charts/chart1.xml"))  # well-formed
    assert "R&D<研究>" in squash(PdfReader(pdf).pages[0].extract_text())
    converted = soffice_to_pdf(pptx, tmp_path)
    text = squash(PdfReader(converted).pages[0].extract_text())
    assert all(squash(word) in text for word in ("R&D<研究>", "A<B", "合計&計", "R6&R5<速報>"))


def test_libreoffice_converts_charts_and_shows_their_values(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, _, pptx = rendered
    converted = soffice_to_pdf(pptx, tmp_path)
    reader = PdfReader(converted)
    assert len(reader.pages) == 1
    text = squash(reader.pages[0].extract_text())
    for word in ("46回", "62回", "やりがい", "そう思う", "60%", "800名", "土木", "2.5倍", "R6実績", "75回", "100%"):
        assert word in text, word


def test_chart_output_is_reproducible(rendered, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    document, pdf, pptx = rendered
    again_pdf, again_pptx = render_both(document, tmp_path, "again")
    assert again_pptx.read_bytes() == pptx.read_bytes()
    assert again_pdf.read_bytes() == pdf.read_bytes()


# -- rounding, fixed axis ends, charts side by side -----------------------------------------
@pytest.mark.parametrize("value, decimals, text", [
    (-3.25, 1, "-3.3"), (2.5, 0, "3"), (0.125, 2, "0.13"), (1.005, 2, "1.01"), (-2.5, 0, "-3"),
    (1234.5, 0, "1,235"), (0.35, 1, "0.4"), (-0.04, 1, "-0.0"), (12.0, 0, "12")])
def test_value_labels_round_half_away_from_zero_as_number_formats_do(value: float, decimals: int, text: str) -> None:
    """Excel and PowerPoint round a number format on the decimal digits, half away from zero (and show
    −0.0 for a small negative number); Python's own rounding gives −3.2, 2, 0.12, 1.00."""
    assert number_text(value, decimals) == text


def test_the_printed_label_rounds_as_the_pptx_number_format(ctx: LayoutContext) -> None:
    result = lay(ctx, {**TREND, "decimals": 1, "series": [{"name": "差", "values": [-3.25, 2.25, 0.35]}]})
    assert [label(result, f"value 1.{i}").lines[0].text for i in (1, 2, 3)] == ["-3.3倍", "2.3倍", "0.4倍"]
    assert result.number_format == NumberFormat(1, "倍", False) and number_code(result.number_format) == '#,##0.0"倍"'


@pytest.mark.parametrize("horizontal", [True, False])
def test_a_negative_bars_value_label_keeps_clear_of_the_category_labels(ctx: LayoutContext, horizontal: bool) -> None:
    """The label past the end of a negative bar that reaches the plot's edge (the axis starts at the value)
    sits between the plot and the category labels, not over them."""
    result = lay(ctx, {"type": "bar", "horizontal": horizontal, "decimals": 1, "unit": "倍", "axis_min": -0.35,
                       "categories": ["土木", "建築"], "series": [{"name": "倍率", "values": [2.25, -0.35]}]})
    value, category = label(result, "value 1.2"), label(result, "category 2")
    bar = bars(result)[1]
    if horizontal:
        assert bar.rect.x == pytest.approx(result.plot.x)
        assert category.rect.right <= value.lines[0].x - 0.5 and value.lines[0].x + value.lines[0].width <= bar.rect.x
    else:
        assert bar.rect.bottom == pytest.approx(result.plot.bottom)
        assert bar.rect.bottom <= value.rect.y and value.rect.bottom <= category.rect.y


def test_fixed_axis_ends(ctx: LayoutContext) -> None:
    assert nice_axis(0, 62, maximum=100) == pytest.approx((0, 100, 25))
    assert nice_axis(40, 62, minimum=40, maximum=70) == pytest.approx((40, 70, 10))
    assert nice_axis(0, 7, maximum=7) == pytest.approx((0, 7, 1))
    rates = lay(ctx, {**VISITS, "unit": "%", "axis_max": 100, "series": [{"name": "回答率", "values": [42, 81, 65]}]})
    assert (rates.axis.minimum, rates.axis.maximum) == (0, 100)
    assert label(rates, "axis 100%").lines[0].text == "100%"


@pytest.mark.parametrize("change, words", [
    ({"axis_max": 50}, "above axis_max"), ({"axis_min": 10}, "below axis_min"),
    ({"axis_min": 80, "axis_max": 70}, "must be below axis_max"), ({"type": "pie", "series": [{"name": "a", "values": [1, 2, 3]}],
                                                                     "axis_max": 10}, "apply to bar"),
    ({"type": "stacked", "axis_max": 100}, "above axis_max")])
def test_the_model_refuses_an_axis_that_leaves_values_off(change: dict, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        ChartData.model_validate({**VISITS, **change})


def test_charts_side_by_side_share_their_axis_line(ctx: LayoutContext) -> None:
    """A title on two lines, a note, a legend or categories on two lines in one chart of a row do not
    move its plot area: the row's plots share their top and bottom."""
    plain = {"type": "bar", "categories": ["R6", "R7"], "series": [{"name": "件数", "values": [3, 5]}], "title": "件数"}
    busy = {**plain, "title": "件数（令和6年度の実績と令和7年度の計画、各局の報告による）", "note": "※ 速報値",
            "categories": ["令和6年度の実績値", "令和7年度の計画値"]}
    items = chart_grid(ctx, [ChartData.model_validate(plain), ChartData.model_validate(busy)],
                       Rect(40, 60, 760, 300), "", columns=2)
    first, second = [item for item in items if isinstance(item, Chart)]
    assert first.plot.y == pytest.approx(second.plot.y) and first.plot.bottom == pytest.approx(second.plot.bottom)
    assert first.plot.h > 100

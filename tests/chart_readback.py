"""Read the charts of built files back, and hold each to the layout's values.

``pdf_chart`` (pdfminer) and ``svg_charts`` (lxml) turn what the PDF and the HTML page draw into one
form (``Drawn``: straight lines, filled shapes, open lines and text runs, in points, top-left origin),
and ``check_drawn`` holds a chart's drawing to its ``Chart`` primitive: gridlines at every tick of its
value axis and the axis line at zero in the style's colours and widths, bars as wide as the style's gap
leaves them, lines and markers of the style's sizes, slices outlined as the style says and starting at
its angle, a doughnut's hole, every label where the layout put it in its colour and size, value and
axis labels printed with the chart's number formats, the legend on the style's side. ``check_pptx``
holds a native chart's XML (``c:chartSpace``) to the same values, reading DrawingML's codes with a
table of its own (not the renderer's), so a renderer that translates wrongly fails here.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTContainer, LTCurve, LTLine, LTPage, LTRect

from council_materials.layout.primitives import Chart, NumberFormat, Rect, Stroke, TextBlock

__all__ = ["Drawn", "PdfPage", "pdf_pages", "pdf_chart", "svg_charts", "check_drawn", "check_pptx"]

C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS = {"c": C, "a": A}
SVG = "{http://www.w3.org/2000/svg}"
EMU = 12700
LABEL_POSITIONS = {"outEnd": "outside end", "ctr": "centre", "t": "above"}  # ECMA-376 ST_DLblPos
LEGEND_POSITIONS = {"r": "right", "b": "bottom"}  # ST_LegendPos


@dataclass(frozen=True)
class Straight:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float


@dataclass(frozen=True)
class Filled:
    """A filled shape: its bounding box, the points on its outline, its fill and outline."""

    bbox: Rect
    points: tuple[tuple[float, float], ...]
    fill: str
    outline: Stroke | None
    rounded: bool  # a rounded rectangle or a slice (drawn with curves), not a plain rectangle


@dataclass(frozen=True)
class Open:
    points: tuple[tuple[float, float], ...]
    color: str
    width: float


@dataclass(frozen=True)
class TextRun:
    text: str
    x: float
    x1: float
    baseline: float
    size: float
    color: str


@dataclass
class Drawn:
    """What one chart's area shows, as read back from a file."""

    lines: list[Straight] = field(default_factory=list)
    fills: list[Filled] = field(default_factory=list)
    opens: list[Open] = field(default_factory=list)
    texts: list[TextRun] = field(default_factory=list)


def _hex(color: object) -> str:
    values = color if isinstance(color, (tuple, list)) else (color,) * 3
    return "".join(f"{round(float(v) * 255):02X}" for v in values)


def _inside(box: Rect, rect: Rect, slack: float = 0.5) -> bool:
    return rect.x - slack <= box.x and box.right <= rect.right + slack and \
        rect.y - slack <= box.y and box.bottom <= rect.bottom + slack


def _bbox(points: list[tuple[float, float]] | tuple[tuple[float, float], ...]) -> Rect:
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return Rect(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


@dataclass(frozen=True)
class PdfPage:
    """A PDF page's characters and paths (pdfminer's) and its height."""

    objects: tuple[object, ...]
    height: float


def _leaves(obj: object) -> Iterator[object]:
    if isinstance(obj, (LTChar, LTCurve)):
        yield obj
    elif isinstance(obj, LTContainer):
        for child in obj:
            yield from _leaves(child)


def pdf_pages(path: Path) -> list[PdfPage]:
    """Every page's characters and paths (out of the text boxes pdfminer groups them in)."""
    return [PdfPage(tuple(_leaves(page)), page.height) for page in extract_pages(str(path)) if isinstance(page, LTPage)]


def pdf_chart(page: PdfPage, chart: Chart) -> Drawn:
    """What the PDF page shows inside ``chart``'s rectangle, in points from the top."""
    rect, height = chart.rect, page.height
    drawn = Drawn()
    for item in page.objects:
        if isinstance(item, LTChar):
            baseline = height - item.matrix[5]
            box = Rect(item.x0, baseline - item.size, item.x1 - item.x0, item.size)
            if _inside(box, rect, 1.0):
                drawn.texts.append(TextRun(item.get_text(), item.x0, item.x1, baseline, item.size,
                                           _hex(item.graphicstate.ncolor)))
            continue
        if not isinstance(item, LTCurve):
            continue
        points = tuple((x, height - y) for x, y in item.pts)
        if not _inside(_bbox(points), rect):
            continue
        if isinstance(item, LTLine) and item.stroke and not item.fill:
            (x1, y1), (x2, y2) = points[:2]
            drawn.lines.append(Straight(x1, y1, x2, y2, _hex(item.stroking_color), item.linewidth))
        elif item.fill:
            outline = Stroke(_hex(item.stroking_color), item.linewidth) if item.stroke else None
            drawn.fills.append(Filled(_bbox(points), points, _hex(item.non_stroking_color), outline,
                                      not isinstance(item, LTRect)))
        elif item.stroke:
            drawn.opens.append(Open(points, _hex(item.stroking_color), item.linewidth))
    return drawn


def _color(value: str | None) -> str:
    assert value is not None and value.startswith("#"), value
    return value[1:].upper()


def _path_points(d: str) -> tuple[tuple[float, float], ...]:
    """The points on an SVG path's outline (its moves, lines and each arc's end)."""
    tokens = re.findall(r"[MLAZ]|-?\d+(?:\.\d+)?", d)
    points, i = [], 0
    while i < len(tokens):
        command = tokens[i]
        if command in ("M", "L"):
            points.append((float(tokens[i + 1]), float(tokens[i + 2])))
            i += 3
        elif command == "A":
            points.append((float(tokens[i + 6]), float(tokens[i + 7])))
            i += 8
        else:
            i += 1
    return tuple(points)


def svg_charts(svg: str) -> list[Drawn]:
    """Each chart of an SVG page (``render.html``: one ``g`` per chart), in the page's order."""
    root = etree.fromstring(svg.encode())
    charts = []
    for group in root.iterfind(f"{SVG}g"):
        if group.get("fill") is not None:  # a table's grid
            continue
        drawn = Drawn()
        for el in group:
            tag = el.tag[len(SVG):]
            if tag == "line":
                drawn.lines.append(Straight(*(float(el.get(k)) for k in ("x1", "y1", "x2", "y2")),
                                            _color(el.get("stroke")), float(el.get("stroke-width"))))
            elif tag in ("rect", "path"):
                if tag == "rect":
                    x, y, w, h = (float(el.get(k)) for k in ("x", "y", "width", "height"))
                    points: tuple[tuple[float, float], ...] = ((x, y), (x + w, y), (x + w, y + h), (x, y + h))
                else:
                    points = _path_points(el.get("d"))
                outline = Stroke(_color(el.get("stroke")), float(el.get("stroke-width"))) \
                    if el.get("stroke") is not None else None
                drawn.fills.append(Filled(_bbox(points), points, _color(el.get("fill")), outline,
                                          tag == "path" or el.get("rx") is not None))
            elif tag == "polyline":
                points = tuple(tuple(map(float, pair.split(","))) for pair in el.get("points").split())
                drawn.opens.append(Open(points, _color(el.get("stroke")), float(el.get("stroke-width"))))
            elif tag == "text":
                size, color = float(el.get("font-size")), _color(el.get("fill"))
                for span in el.iterfind(f"{SVG}tspan"):
                    drawn.texts.append(TextRun(span.text or "", float(span.get("x")), math.nan, float(span.get("y")),
                                               size, color))
            else:
                raise AssertionError(f"a chart drew an unexpected <{tag}>")
        charts.append(drawn)
    return charts


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _label_texts(drawn: Drawn, block: TextBlock) -> list[tuple[str, set[str], set[float]]]:
    """Per line of ``block``: the text drawn on its baseline within its extent, with its colours and sizes."""
    out = []
    for line in block.lines:
        found = sorted((t for t in drawn.texts if abs(t.baseline - line.baseline) < 0.6
                        and line.x - 0.6 <= t.x <= line.x + line.width + 0.6), key=lambda t: t.x)
        out.append(("".join(t.text for t in found), {t.color for t in found}, {round(t.size, 2) for t in found}))
    return out


def check_drawn(chart: Chart, drawn: Drawn, where: str) -> None:
    """Hold what a file draws for ``chart`` to the chart's layout values (see the module's docstring)."""
    style, plot = chart.style, chart.plot
    # Every label, where the layout put it, in its colour and the style's size; what each says.
    for block in chart.labels:
        assert block.size == style.label_size, (where, block.name)
        for (text, colors, sizes), line in zip(_label_texts(drawn, block), block.lines):
            assert _squash(text) == _squash(line.text), (where, block.name, text)
            assert colors == {block.color} and sizes == {round(block.size, 2)}, (where, block.name, colors, sizes)
    boxes = {block.name[len(chart.name) + 1:]: block for block in chart.labels}
    text = {box: "".join(line.text for line in block.lines) for box, block in boxes.items()}
    for j, (series, colors) in enumerate(zip(chart.series, chart.label_colors), 1):
        for i, (value, color) in enumerate(zip(series.values, colors), 1):
            box = f"value {j}.{i}"
            assert (box in boxes) == (color is not None), (where, box)
            if color is not None and value is not None:
                assert text[box] == chart.number_format.text(value) and boxes[box].color == color, (where, box)
    for box, block in boxes.items():
        if not box.startswith("value "):
            assert block.color == style.text_color, (where, box)
    legend = [box for box in boxes if box.startswith("legend ")]
    names = [s.name for s in chart.series] if chart.kind not in ("pie", "doughnut") else list(chart.categories)
    if chart.legend is not None:
        assert [_squash(text[f"legend {n}"]) for n in range(1, len(names) + 1)] == [_squash(n) for n in names]
        assert all(_inside(boxes[box].rect, chart.legend, 1.0) for box in legend), where
        if style.legend_position == "right":
            assert chart.legend.x >= plot.right, where
        else:
            assert chart.legend.y >= plot.bottom, where
    else:
        assert not legend, where
    if chart.kind in ("pie", "doughnut"):
        _check_slices(chart, drawn, where)
    else:
        _check_category(chart, drawn, where, text)


def _check_category(chart: Chart, drawn: Drawn, where: str, text: dict[str, str]) -> None:
    style, plot, axis = chart.style, chart.plot, chart.axis
    assert axis is not None, where
    span = axis.maximum - axis.minimum

    def at(value: float) -> float:
        share = (value - axis.minimum) / span
        return plot.x + share * plot.w if chart.horizontal else plot.bottom - share * plot.h

    def position(line: Straight) -> float:
        return line.x1 if chart.horizontal else line.y1

    grid = [line for line in drawn.lines if (line.color, line.width) == (style.grid.color, style.grid.width)]
    assert sorted(position(line) for line in grid) == pytest.approx(sorted(at(t) for t in axis.ticks), abs=0.01), where
    across = (plot.y, plot.bottom) if chart.horizontal else (plot.x, plot.right)
    for line in grid:
        ends = sorted((line.y1, line.y2) if chart.horizontal else (line.x1, line.x2))
        assert ends == pytest.approx(across, abs=0.01), where
    axis_lines = [line for line in drawn.lines if (line.color, line.width) == (style.axis.color, style.axis.width)]
    assert [position(line) for line in axis_lines] == pytest.approx([at(max(axis.minimum, 0.0))], abs=0.01), where
    ticks = sorted(text[box] for box in text if box.startswith("axis "))
    assert ticks == sorted(axis.number_format.text(t) for t in axis.ticks), where
    colors = [s.color for s in chart.series]
    others = [(line.color, line.width) for line in drawn.lines if line not in grid and line not in axis_lines]
    if chart.kind == "line":  # each series' line (a two-point one reads back as a straight line) and legend keys
        series_lines = others + [(o.color, o.width) for o in drawn.opens]
        assert series_lines and all(c in colors and w == style.line_width for c, w in series_lines), where
        markers = [f for f in drawn.fills if f.rounded]
        assert len(markers) == sum(v is not None for s in chart.series for v in s.values) + \
            (len(chart.series) if chart.legend is not None else 0), where
        assert all(f.bbox.w == pytest.approx(style.marker, abs=0.01) == f.bbox.h for f in markers), where
        return
    assert not drawn.opens and not others, where
    bars = [f for f in drawn.fills if _inside(f.bbox, plot, 0.01) and not f.rounded]
    expected = sorted(s.color for s in chart.series for v in s.values if v is not None)
    assert sorted(f.fill for f in bars) == expected and all(f.outline is None for f in bars), where
    per_slot = 1 if chart.kind in ("stacked", "stacked_100") else len(chart.series)
    slot = (plot.h if chart.horizontal else plot.w) / len(chart.categories)
    thickness = slot / (per_slot + style.gap / 100)
    for bar in bars:
        assert (bar.bbox.h if chart.horizontal else bar.bbox.w) == pytest.approx(thickness, abs=0.01), where


def _check_slices(chart: Chart, drawn: Drawn, where: str) -> None:
    style, plot = chart.style, chart.plot
    values = chart.series[0].values
    slices = [f for f in drawn.fills if _inside(f.bbox, plot, 0.5)]
    shown = [color for color, value in zip(chart.point_colors, values) if value]
    assert [f.fill for f in slices] == shown and all(f.outline == style.slice_outline for f in slices), where
    cx, cy, radius = plot.x + plot.w / 2, plot.y + plot.h / 2, plot.w / 2
    distances = sorted({round(math.dist((cx, cy), p), 2) for f in slices for p in f.points})
    inner = radius * style.hole / 100 if chart.kind == "doughnut" else 0.0
    assert distances[0] == pytest.approx(inner, abs=0.02) and distances[-1] == pytest.approx(radius, abs=0.02), where
    angle = math.radians(style.start_angle)
    start = (cx + radius * math.sin(angle), cy - radius * math.cos(angle))
    assert any(math.dist(start, p) < 0.02 for p in slices[0].points), where  # the first slice starts there


# -- PPTX ------------------------------------------------------------------------------------
def _stroke(sp_pr: etree._Element | None) -> Stroke | None:
    line = None if sp_pr is None else sp_pr.find("a:ln", NS)
    color = None if line is None else line.find("a:solidFill/a:srgbClr", NS)
    if color is None:
        return None
    return Stroke(color.get("val"), int(line.get("w")) / EMU)


def _number_format(code: str) -> NumberFormat:
    """An Excel number format code read back as the layout's ``NumberFormat``."""
    found = re.fullmatch(r'(#,##0|0)(?:\.(0+))?(%)?(?:"([^"]*)")?', code)
    assert found, code
    return NumberFormat(len(found.group(2) or ""), found.group(4) or "", bool(found.group(3)))


def _val(space: etree._Element, path: str) -> str | None:
    el = space.find(path, NS)
    return None if el is None else el.get("val")


def _manual(space: etree._Element, path: str, rect: Rect) -> Rect:
    layout = space.find(path + "/c:layout/c:manualLayout", NS)
    x, y, w, h = (float(layout.find(f"c:{k}", NS).get("val")) for k in "xywh")
    return Rect(rect.x + x * rect.w, rect.y + y * rect.h, w * rect.w, h * rect.h)


def check_pptx(chart: Chart, space: etree._Element, where: str) -> None:
    """Hold a native chart's XML to ``chart``'s layout values."""
    style = chart.style
    sizes = {int(el.get("sz")) for el in space.iterfind(".//c:txPr//a:defRPr", NS)}
    assert sizes == {round(style.label_size * 100)}, where
    for path in ("c:chart/c:legend", "c:chart/c:plotArea/c:catAx", "c:chart/c:plotArea/c:valAx", "."):
        for el in space.findall(f"{path}/c:txPr//a:defRPr/a:solidFill/a:srgbClr", NS):
            assert el.get("val") == style.text_color, (where, path)
    codes = [el.get("formatCode") for el in space.iterfind(".//c:ser/c:dLbls/c:numFmt", NS)]
    codes += [el.text for el in space.iterfind(".//c:ser/c:val//c:formatCode", NS)]
    assert codes and {_number_format(code) for code in codes} == {chart.number_format}, where
    positions = {el.get("val") for el in space.iterfind(".//c:dLbls/c:dLblPos", NS)}
    if chart.kind == "doughnut":
        assert not positions and style.label_position == "centre", where  # DrawingML centres them, no position
    elif any(c is not None for row in chart.label_colors for c in row):
        assert {LABEL_POSITIONS[p] for p in positions} == {style.label_position}, where
    for ser, colors in zip(space.iterfind(".//c:ser", NS), chart.label_colors):
        labels = ser.findall("c:dLbls/c:dLbl", NS)
        shown = any(c is not None for c in colors)  # a series without a label shown has no c:dLbls
        assert [lbl.find("c:delete", NS) is not None for lbl in labels] == ([c is None for c in colors]
                                                                             if shown else []), where
        for lbl, color in zip(labels, colors):
            if color is not None:
                assert lbl.find("c:txPr//a:defRPr/a:solidFill/a:srgbClr", NS).get("val") == color, where
    if chart.legend is None:
        assert space.find("c:chart/c:legend", NS) is None, where
    else:
        assert LEGEND_POSITIONS[_val(space, "c:chart/c:legend/c:legendPos")] == style.legend_position, where
        got = _manual(space, "c:chart/c:legend", chart.rect)
        assert (got.x, got.y, got.w, got.h) == pytest.approx(
            (chart.legend.x, chart.legend.y, chart.legend.w, chart.legend.h), abs=0.01), where
    plot = _manual(space, "c:chart/c:plotArea", chart.rect)
    assert (plot.x, plot.y, plot.w, plot.h) == pytest.approx((chart.plot.x, chart.plot.y, chart.plot.w,
                                                              chart.plot.h), abs=0.01), where
    series = space.findall(".//c:ser", NS)
    if chart.kind in ("pie", "doughnut"):
        assert float(_val(space, ".//c:firstSliceAng")) == style.start_angle % 360, where
        if chart.kind == "doughnut":
            assert int(_val(space, ".//c:holeSize")) == style.hole, where
        points = series[0].findall("c:dPt", NS)
        assert [p.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for p in points] == list(chart.point_colors)
        assert all(_stroke(p.find("c:spPr", NS)) == style.slice_outline for p in points), where
        return
    axis = chart.axis
    assert axis is not None
    assert _stroke(space.find(".//c:catAx/c:spPr", NS)) == style.axis, where
    assert _stroke(space.find(".//c:valAx/c:majorGridlines/c:spPr", NS)) == style.grid, where
    assert space.find(".//c:valAx/c:spPr/a:ln/a:noFill", NS) is not None, where  # no value axis line is drawn
    assert _number_format(space.find(".//c:valAx/c:numFmt", NS).get("formatCode")) == axis.number_format, where
    assert (float(_val(space, ".//c:valAx/c:scaling/c:min")), float(_val(space, ".//c:valAx/c:scaling/c:max")),
            float(_val(space, ".//c:valAx/c:majorUnit"))) == (axis.minimum, axis.maximum, axis.step), where
    if chart.kind == "line":
        for ser, s in zip(series, chart.series):
            assert _stroke(ser.find("c:spPr", NS)) == Stroke(s.color, style.line_width), where
            assert int(ser.find("c:marker/c:size", NS).get("val")) == style.marker, where
            assert _stroke(ser.find("c:marker/c:spPr", NS)) is None, where  # markers, as drawn: not outlined
        return
    assert int(_val(space, ".//c:barChart/c:gapWidth")) == style.gap, where
    assert [ser.find("c:spPr/a:solidFill/a:srgbClr", NS).get("val") for ser in series] == \
        [s.color for s in chart.series], where

"""A native chart's XML (DrawingML charts) rebuilt to match a laid-out ``Chart``.

Input: the ``c:chartSpace`` element python-pptx made from the chart's data (series names,
categories and values, linked to the embedded workbook that PowerPoint opens as the chart's
sheet) and the ``Chart`` primitive. Output: the same element with everything else written
from the layout: chart type and grouping, colours and order, bar gap and overlap, the value
axis range and step, the plot area and legend at the layout's rectangles (manual layout),
value labels shown or hidden where the layout decided, in its colours, and every text in the
theme's family (``a:latin``, ``a:ea``, ``a:cs``). It decides nothing; it only writes what the
layout chose. lxml only: ``render/pptx.py`` (the one module importing python-pptx) calls it.
"""
from __future__ import annotations

from typing import Any

from lxml import etree

from council_materials.layout.primitives import Chart, Rect

__all__ = ["rebuild_chart"]

_NS = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
       "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
_AXES = ("500000001", "500000002")  # category axis, value axis: fixed ids keep files reproducible
_GROUPING = {"bar": "clustered", "stacked": "stacked", "stacked_100": "percentStacked"}


def _tag(name: str) -> str:
    prefix, local = name.split(":")
    return f"{{{_NS[prefix]}}}{local}"


def _el(parent: Any, name: str, **attrs: object) -> Any:
    return etree.SubElement(parent, _tag(name), {k: str(v) for k, v in attrs.items()})


def _emu(points: float) -> int:
    return int(round(points * 12700))


def _fill(parent: Any, color: str | None) -> None:
    if color is None:
        _el(parent, "a:noFill")
    else:
        _el(_el(parent, "a:solidFill"), "a:srgbClr", val=color)


def _shape(parent: Any, fill: str | None, line: str | None = None, width: float = 0.75) -> None:
    """``c:spPr`` with a fill and an outline (``None``: none)."""
    sp = _el(parent, "c:spPr")
    _fill(sp, fill)
    ln = _el(sp, "a:ln", w=_emu(width)) if line else _el(sp, "a:ln")
    _fill(ln, line)


def _text(parent: Any, chart: Chart, family: str, color: str, *, bold: bool = False) -> None:
    """``c:txPr``: size, colour and the family for Latin, East Asian and complex scripts, unrotated."""
    tx = _el(parent, "c:txPr")
    _el(tx, "a:bodyPr", rot="0", vert="horz")
    _el(tx, "a:lstStyle")
    p = _el(tx, "a:p")
    rpr = _el(_el(p, "a:pPr"), "a:defRPr", sz=int(round(chart.label_size * 100)), b=int(bold))
    _fill(rpr, color)
    for face in ("a:latin", "a:ea", "a:cs"):
        _el(rpr, face, typeface=family)
    _el(p, "a:endParaRPr", lang="ja-JP")


def _manual(parent: Any, rect: Rect, frame: Rect, *, inner: bool) -> None:
    """``c:layout`` placing ``rect`` inside the chart ``frame`` (fractions of its size)."""
    ml = _el(_el(parent, "c:layout"), "c:manualLayout")
    if inner:
        _el(ml, "c:layoutTarget", val="inner")
    _el(ml, "c:xMode", val="edge")
    _el(ml, "c:yMode", val="edge")
    for name, value in (("x", (rect.x - frame.x) / frame.w), ("y", (rect.y - frame.y) / frame.h),
                        ("w", rect.w / frame.w), ("h", rect.h / frame.h)):
        _el(ml, f"c:{name}", val=f"{value:.6f}")


def _label_props(parent: Any, chart: Chart, family: str, color: str, *, group: bool) -> None:
    _el(parent, "c:numFmt", formatCode=chart.number_format, sourceLinked=0)
    _shape(parent, None)
    _text(parent, chart, family, color)
    if chart.kind != "doughnut":
        _el(parent, "c:dLblPos", val=chart.label_position)
    for flag, on in (("showLegendKey", 0), ("showVal", 1), ("showCatName", 0), ("showSerName", 0),
                     ("showPercent", 0), ("showBubbleSize", 0)):
        _el(parent, f"c:{flag}", val=on)
    if group and chart.kind in ("pie", "doughnut"):
        _el(parent, "c:showLeaderLines", val=0)


def _labels(ser: Any, chart: Chart, colors: tuple[str | None, ...], family: str) -> None:
    """``c:dLbls``: one ``c:dLbl`` per category, deleted where the layout shows no label."""
    shown = [c for c in colors if c is not None]
    if not shown:
        return
    group = _el(ser, "c:dLbls")
    for index, color in enumerate(colors):
        label = _el(group, "c:dLbl")
        _el(label, "c:idx", val=index)
        if color is None:
            _el(label, "c:delete", val=1)
        else:
            _label_props(label, chart, family, color, group=False)
    _label_props(group, chart, family, shown[0], group=True)


def _series(group: Any, chart: Chart, data: list[tuple[Any, Any, Any]], family: str) -> None:
    for index, (series, (tx, cat, val)) in enumerate(zip(chart.series, data)):
        ser = _el(group, "c:ser")
        _el(ser, "c:idx", val=index)
        _el(ser, "c:order", val=index)
        ser.append(tx)
        if chart.kind == "line":
            sp = _el(ser, "c:spPr")
            ln = _el(sp, "a:ln", w=_emu(2.0), cap="rnd")
            _fill(ln, series.color)
            _el(ln, "a:round")
            marker = _el(ser, "c:marker")
            _el(marker, "c:symbol", val="circle")
            _el(marker, "c:size", val=6)
            _shape(marker, series.color, series.color)
        elif chart.kind in ("pie", "doughnut"):
            _shape(ser, None, "FFFFFF")
            for point, color in enumerate(chart.point_colors):
                dpt = _el(ser, "c:dPt")
                _el(dpt, "c:idx", val=point)
                _el(dpt, "c:bubble3D", val=0)
                _shape(dpt, color, "FFFFFF")
        else:
            _shape(ser, series.color)
            _el(ser, "c:invertIfNegative", val=0)
        _labels(ser, chart, chart.label_colors[index], family)
        ser.append(cat)
        ser.append(val)
        if chart.kind == "line":
            _el(ser, "c:smooth", val=0)


def _axes(plot: Any, chart: Chart, family: str) -> None:
    assert chart.axis is not None
    horizontal = chart.horizontal
    cat = _el(plot, "c:catAx")
    _el(cat, "c:axId", val=_AXES[0])
    _el(_el(cat, "c:scaling"), "c:orientation", val="maxMin" if horizontal else "minMax")
    _el(cat, "c:delete", val=0)
    _el(cat, "c:axPos", val="l" if horizontal else "b")
    _el(cat, "c:majorTickMark", val="none")
    _el(cat, "c:minorTickMark", val="none")
    _el(cat, "c:tickLblPos", val="low")
    _shape(cat, None, chart.axis_color, 0.75)
    _text(cat, chart, family, chart.text_color)
    _el(cat, "c:crossAx", val=_AXES[1])
    _el(cat, "c:crosses", val="autoZero")
    _el(cat, "c:auto", val=1)
    _el(cat, "c:lblAlgn", val="ctr")
    _el(cat, "c:lblOffset", val=100)
    _el(cat, "c:tickLblSkip", val=1)
    _el(cat, "c:noMultiLvlLbl", val=0)
    axis = chart.axis
    val = _el(plot, "c:valAx")
    _el(val, "c:axId", val=_AXES[1])
    scaling = _el(val, "c:scaling")
    _el(scaling, "c:orientation", val="minMax")
    _el(scaling, "c:max", val=repr(axis.maximum))
    _el(scaling, "c:min", val=repr(axis.minimum))
    _el(val, "c:delete", val=0)
    _el(val, "c:axPos", val="b" if horizontal else "l")
    grid = _el(val, "c:majorGridlines")
    _shape(grid, None, chart.grid_color, 0.5)
    _el(val, "c:numFmt", formatCode=axis.number_format, sourceLinked=0)
    _el(val, "c:majorTickMark", val="none")
    _el(val, "c:minorTickMark", val="none")
    _el(val, "c:tickLblPos", val="nextTo")
    _shape(val, None)
    _text(val, chart, family, chart.text_color)
    _el(val, "c:crossAx", val=_AXES[0])
    _el(val, "c:crosses", val="max" if horizontal else "autoZero")
    _el(val, "c:crossBetween", val="between")
    _el(val, "c:majorUnit", val=repr(axis.step))


def rebuild_chart(space: Any, chart: Chart, family: str) -> None:
    """Rewrite ``space`` (a ``c:chartSpace``) around its series data to match ``chart``."""
    old = space.find("c:chart", _NS)
    data = [(ser.find("c:tx", _NS), ser.find("c:cat", _NS), ser.find("c:val", _NS))
            for ser in old.iterfind(".//c:ser", _NS)]
    external = space.find("c:externalData", _NS)
    for child in list(space):
        space.remove(child)
    _el(space, "c:date1904", val=0)
    _el(space, "c:lang", val="ja-JP")
    _el(space, "c:roundedCorners", val=0)
    root = _el(space, "c:chart")
    _el(root, "c:autoTitleDeleted", val=1)
    plot = _el(root, "c:plotArea")
    _manual(plot, chart.plot, chart.rect, inner=True)
    if chart.kind in ("pie", "doughnut"):
        group = _el(plot, f"c:{chart.kind}Chart")
        _el(group, "c:varyColors", val=1)
        _series(group, chart, data, family)
        _el(group, "c:firstSliceAng", val=0)
        if chart.kind == "doughnut":
            _el(group, "c:holeSize", val=chart.hole)
    else:
        if chart.kind == "line":
            group = _el(plot, "c:lineChart")
            _el(group, "c:grouping", val="standard")
        else:
            group = _el(plot, "c:barChart")
            _el(group, "c:barDir", val="bar" if chart.horizontal else "col")
            _el(group, "c:grouping", val=_GROUPING[chart.kind])
        _el(group, "c:varyColors", val=0)
        _series(group, chart, data, family)
        if chart.kind == "line":
            _el(group, "c:marker", val=1)
        else:
            _el(group, "c:gapWidth", val=chart.gap)
            _el(group, "c:overlap", val=0 if chart.kind == "bar" else 100)
        for axis in _AXES:
            _el(group, "c:axId", val=axis)
        _axes(plot, chart, family)
    _shape(plot, None)
    if chart.legend is not None:
        legend = _el(root, "c:legend")
        _el(legend, "c:legendPos", val=chart.legend_position)
        _manual(legend, chart.legend, chart.rect, inner=False)
        _el(legend, "c:overlay", val=0)
        _shape(legend, None)
        _text(legend, chart, family, chart.text_color)
    _el(root, "c:plotVisOnly", val=1)
    _el(root, "c:dispBlanksAs", val="gap")
    _shape(space, None)
    _text(space, chart, family, chart.text_color)
    if external is not None:
        space.append(external)

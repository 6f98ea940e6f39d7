"""A native chart's XML (DrawingML charts) written from a laid-out ``Chart``.

Input: the ``Chart`` primitive and the theme's font family. Output: the chart part's XML
(``c:chartSpace``): each series' name, categories and values with their references into the
embedded workbook (``Sheet1``, laid out by ``pptx_workbook.py``) that PowerPoint opens as the
chart's sheet, and everything else from the layout: chart type and grouping, colours and
order, the chart's style (gridline and axis line colours and widths, line width and marker size,
slice outlines, bar gap, doughnut hole, the first slice's angle, where value labels and the legend
sit), the value axis range and step, the number formats, the plot area and legend at the layout's
rectangles (manual layout), value labels shown or hidden where the layout decided, in its colours,
and every text in the theme's family (``a:latin``, ``a:ea``, ``a:cs``). It decides nothing and has
no style of its own: it translates the layout's values into DrawingML's codes ("outside end" →
``outEnd``, points → EMU, a ``NumberFormat`` → an Excel format code). Written as text (no lxml),
every label escaped.
"""
from __future__ import annotations

from council_materials.layout.primitives import Chart, NumberFormat, Rect, Stroke

from .pptx_workbook import column_letter
from .pptx_xml import DECLARATION, esc, esc_attr

__all__ = ["chart_xml", "number_code"]

_NS = ('xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
_AXES = ("500000001", "500000002")  # category axis, value axis: fixed ids keep files reproducible
_GROUPING = {"bar": "clustered", "stacked": "stacked", "stacked_100": "percentStacked"}
_NO_SHAPE = "<c:spPr><a:noFill/><a:ln><a:noFill/></a:ln></c:spPr>"
_LABEL_POSITIONS = {"outside end": "outEnd", "centre": "ctr", "above": "t"}
_LEGEND_POSITIONS = {"right": "r", "bottom": "b"}


def number_code(number_format: NumberFormat) -> str:
    """The Excel number format that prints numbers as ``number_format`` does: ``#,##0.0"回"``, ``0%``
    (the model refuses a unit with a double quote or a backslash, which would end the quoted text)."""
    decimals = "." + "0" * number_format.decimals if number_format.decimals else ""
    unit = f'"{number_format.unit}"' if number_format.unit else ""
    return f"0{decimals}%{unit}" if number_format.percent else f"#,##0{decimals}{unit}"


def _emu(points: float) -> int:
    return int(round(points * 12700))


def _fill(color: str | None) -> str:
    if color is None:
        return "<a:noFill/>"
    return f'<a:solidFill><a:srgbClr val="{esc_attr(color)}"/></a:solidFill>'


def _shape(fill: str | None, line: Stroke | None = None) -> str:
    """``c:spPr``: a fill and an outline (``None``: none)."""
    if line is None:
        return f"<c:spPr>{_fill(fill)}<a:ln>{_fill(None)}</a:ln></c:spPr>"
    return f'<c:spPr>{_fill(fill)}<a:ln w="{_emu(line.width)}">{_fill(line.color)}</a:ln></c:spPr>'


def _val(name: str, value: object) -> str:
    return f'<c:{name} val="{value}"/>'


def _text(chart: Chart, family: str, color: str, *, bold: bool = False) -> str:
    """``c:txPr``: size, colour and the family for Latin, East Asian and complex scripts, unrotated."""
    face = esc_attr(family)
    return ('<c:txPr><a:bodyPr rot="0" vert="horz"/><a:lstStyle/><a:p><a:pPr>'
            f'<a:defRPr sz="{int(round(chart.style.label_size * 100))}" b="{int(bold)}">{_fill(color)}'
            f'<a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs typeface="{face}"/></a:defRPr>'
            '</a:pPr><a:endParaRPr lang="ja-JP"/></a:p></c:txPr>')


def _manual(rect: Rect, frame: Rect, *, inner: bool) -> str:
    """``c:layout`` placing ``rect`` inside the chart ``frame`` (fractions of its size)."""
    parts = ['<c:layout><c:manualLayout>', _val("layoutTarget", "inner") if inner else "",
             _val("xMode", "edge"), _val("yMode", "edge")]
    for name, value in (("x", (rect.x - frame.x) / frame.w), ("y", (rect.y - frame.y) / frame.h),
                        ("w", rect.w / frame.w), ("h", rect.h / frame.h)):
        parts.append(_val(name, f"{value:.6f}"))
    parts.append("</c:manualLayout></c:layout>")
    return "".join(parts)


def _label_props(chart: Chart, family: str, color: str, *, group: bool) -> str:
    parts = [f'<c:numFmt formatCode="{esc_attr(number_code(chart.number_format))}" sourceLinked="0"/>', _NO_SHAPE,
             _text(chart, family, color)]
    if chart.kind != "doughnut":  # a doughnut's labels sit in their segment: DrawingML has no position for them
        parts.append(_val("dLblPos", _LABEL_POSITIONS[chart.style.label_position]))
    for flag, on in (("showLegendKey", 0), ("showVal", 1), ("showCatName", 0), ("showSerName", 0),
                     ("showPercent", 0), ("showBubbleSize", 0)):
        parts.append(_val(flag, on))
    if group and chart.kind in ("pie", "doughnut"):
        parts.append(_val("showLeaderLines", 0))
    return "".join(parts)


def _labels(chart: Chart, colors: tuple[str | None, ...], family: str) -> str:
    """``c:dLbls``: one ``c:dLbl`` per category, deleted where the layout shows no label."""
    shown = [c for c in colors if c is not None]
    if not shown:
        return ""
    parts = ["<c:dLbls>"]
    for index, color in enumerate(colors):
        body = _val("delete", 1) if color is None else _label_props(chart, family, color, group=False)
        parts.append(f"<c:dLbl>{_val('idx', index)}{body}</c:dLbl>")
    parts.append(_label_props(chart, family, shown[0], group=True))
    parts.append("</c:dLbls>")
    return "".join(parts)


def _v(text: str) -> str:
    return f"<c:v>{esc(text)}</c:v>" if text else "<c:v/>"


def _data(chart: Chart, index: int) -> tuple[str, str, str]:
    """A series' ``c:tx``, ``c:cat`` and ``c:val``: cached name, labels and values and their
    cells in the workbook (names in row 1, categories in column A, values below the name)."""
    series = chart.series[index]
    col = column_letter(index + 2)
    count = len(chart.categories)
    tx = (f"<c:tx><c:strRef><c:f>Sheet1!${col}$1</c:f><c:strCache><c:ptCount val=\"1\"/>"
          f'<c:pt idx="0">{_v(series.name)}</c:pt></c:strCache></c:strRef></c:tx>')
    cat = (f'<c:cat><c:strRef><c:f>Sheet1!$A$2:$A${count + 1}</c:f><c:strCache><c:ptCount val="{count}"/>'
           + "".join(f'<c:pt idx="{i}">{_v(label)}</c:pt>' for i, label in enumerate(chart.categories))
           + "</c:strCache></c:strRef></c:cat>")
    values = series.values
    val = (f"<c:val><c:numRef><c:f>Sheet1!${col}$2:${col}${len(values) + 1}</c:f><c:numCache>"
           f'<c:formatCode>{esc(number_code(chart.number_format))}</c:formatCode><c:ptCount val="{len(values)}"/>'
           + "".join(f'<c:pt idx="{i}"><c:v>{value}</c:v></c:pt>' for i, value in enumerate(values)
                     if value is not None)
           + "</c:numCache></c:numRef></c:val>")
    return tx, cat, val


def _series(chart: Chart, family: str) -> str:
    style = chart.style
    parts = []
    for index, series in enumerate(chart.series):
        tx, cat, val = _data(chart, index)
        parts += ["<c:ser>", _val("idx", index), _val("order", index), tx]
        if chart.kind == "line":  # round joins and ends, as the layout's Polyline; round markers, not outlined
            parts += [f'<c:spPr><a:ln w="{_emu(style.line_width)}" cap="rnd">{_fill(series.color)}<a:round/>'
                      "</a:ln></c:spPr>", "<c:marker>", _val("symbol", "circle"), _val("size", round(style.marker)),
                      _shape(series.color), "</c:marker>"]
        elif chart.kind in ("pie", "doughnut"):
            parts.append(_shape(None, style.slice_outline))
            for point, color in enumerate(chart.point_colors):
                parts.append(f"<c:dPt>{_val('idx', point)}{_val('bubble3D', 0)}"
                             f"{_shape(color, style.slice_outline)}</c:dPt>")
        else:
            parts += [_shape(series.color), _val("invertIfNegative", 0)]
        parts += [_labels(chart, chart.label_colors[index], family), cat, val]
        if chart.kind == "line":
            parts.append(_val("smooth", 0))
        parts.append("</c:ser>")
    return "".join(parts)


def _axes(chart: Chart, family: str) -> str:
    assert chart.axis is not None
    horizontal, axis = chart.horizontal, chart.axis
    return "".join((
        "<c:catAx>", _val("axId", _AXES[0]),
        f'<c:scaling>{_val("orientation", "maxMin" if horizontal else "minMax")}</c:scaling>',
        _val("delete", 0), _val("axPos", "l" if horizontal else "b"), _val("majorTickMark", "none"),
        _val("minorTickMark", "none"), _val("tickLblPos", "low"), _shape(None, chart.style.axis),
        _text(chart, family, chart.style.text_color), _val("crossAx", _AXES[1]), _val("crosses", "autoZero"),
        _val("auto", 1), _val("lblAlgn", "ctr"), _val("lblOffset", 100), _val("tickLblSkip", 1),
        _val("noMultiLvlLbl", 0), "</c:catAx>",
        "<c:valAx>", _val("axId", _AXES[1]),
        f'<c:scaling>{_val("orientation", "minMax")}{_val("max", repr(axis.maximum))}'
        f'{_val("min", repr(axis.minimum))}</c:scaling>',
        _val("delete", 0), _val("axPos", "b" if horizontal else "l"),
        f"<c:majorGridlines>{_shape(None, chart.style.grid)}</c:majorGridlines>",
        f'<c:numFmt formatCode="{esc_attr(number_code(axis.number_format))}" sourceLinked="0"/>',
        _val("majorTickMark", "none"), _val("minorTickMark", "none"), _val("tickLblPos", "nextTo"), _NO_SHAPE,
        _text(chart, family, chart.style.text_color), _val("crossAx", _AXES[0]),
        _val("crosses", "max" if horizontal else "autoZero"), _val("crossBetween", "between"),
        _val("majorUnit", repr(axis.step)), "</c:valAx>"))


def _plot(chart: Chart, family: str) -> str:
    parts = ["<c:plotArea>", _manual(chart.plot, chart.rect, inner=True)]
    if chart.kind in ("pie", "doughnut"):
        parts += [f"<c:{chart.kind}Chart>", _val("varyColors", 1), _series(chart, family),
                  _val("firstSliceAng", round(chart.style.start_angle) % 360)]
        if chart.kind == "doughnut":
            parts.append(_val("holeSize", chart.style.hole))
        parts.append(f"</c:{chart.kind}Chart>")
    else:
        if chart.kind == "line":
            group = "lineChart"
            parts += ["<c:lineChart>", _val("grouping", "standard")]
        else:
            group = "barChart"
            parts += ["<c:barChart>", _val("barDir", "bar" if chart.horizontal else "col"),
                      _val("grouping", _GROUPING[chart.kind])]
        parts += [_val("varyColors", 0), _series(chart, family)]
        if chart.kind == "line":
            parts.append(_val("marker", 1))
        else:
            parts += [_val("gapWidth", chart.style.gap), _val("overlap", 0 if chart.kind == "bar" else 100)]
        parts += [_val("axId", axis) for axis in _AXES]
        parts += [f"</c:{group}>", _axes(chart, family)]
    parts += [_NO_SHAPE, "</c:plotArea>"]
    return "".join(parts)


def chart_xml(chart: Chart, family: str) -> str:
    """The chart part of ``chart``; its workbook is the part's relationship ``rId1``."""
    legend = ""
    if chart.legend is not None:
        legend = (f"<c:legend>{_val('legendPos', _LEGEND_POSITIONS[chart.style.legend_position])}"
                  f"{_manual(chart.legend, chart.rect, inner=False)}{_val('overlay', 0)}{_NO_SHAPE}"
                  f"{_text(chart, family, chart.style.text_color)}</c:legend>")
    return "".join((
        DECLARATION, f"<c:chartSpace {_NS}>", _val("date1904", 0), _val("lang", "ja-JP"),
        _val("roundedCorners", 0), "<c:chart>", _val("autoTitleDeleted", 1), _plot(chart, family), legend,
        _val("plotVisOnly", 1), _val("dispBlanksAs", "gap"), "</c:chart>", _NO_SHAPE,
        _text(chart, family, chart.style.text_color),
        '<c:externalData r:id="rId1"><c:autoUpdate val="0"/></c:externalData></c:chartSpace>'))

"""Charts from data, laid out once: axes, bars, slices, lines, every label and the legend.

Input: a ``ChartData`` (type, categories, series, unit) and a rectangle. Output: the chart's
title and note as ``TextBlock``s and a ``Chart`` primitive in between, which carries the data
for PPTX's native chart together with everything PDF and HTML draw: the plot area, the value axis
the layout chose, bars / slices / lines as marks, and category labels, axis labels, value labels
and legend entries as positioned text. Every colour, width, gap, label position, legend position
and number format is decided here, in the layout's words (``ChartStyle``, ``NumberFormat``: "outside
end", "bottom", points), and the marks are made with those same values; each renderer only
translates them (``render/pptx_chart.py`` into DrawingML codes), so the native chart and the drawn one
agree.
"""
from __future__ import annotations

import math
from dataclasses import replace
from typing import Callable, Sequence

from ..errors import OverflowError_
from ..models import ChartData
from .context import LayoutContext
from .primitives import (Align, Box, Chart, ChartStyle, Item, LabelPosition, Mark, NumberFormat, Polyline, Rect, Rule, Series,
                         Stroke, TextBlock, ValueAxis, Wedge, grouped, number_text)

__all__ = ["PALETTE", "chart", "chart_block", "chart_grid", "nice_axis", "number_text"]

PALETTE = ("5B9BD5", "ED7D31", "A5A5A5", "FFC000", "70AD47", "264478", "9E480E", "636363", "997300", "43682B")
"""Colours after the theme's accent, for series (or slices) without a colour of their own."""
GAP = 80
"""Space between categories, in % of a bar's width (PowerPoint's gap width)."""
HOLE = 50
"""A doughnut's hole, in % of its diameter."""
GRID = Stroke("D9D9D9", 0.5)
"""The lines across the plot at each tick of the value axis."""
AXIS = Stroke("808080", 0.75)
"""The category axis line, at zero."""
LINE_WIDTH = 2.0
"""A line chart's lines (and their legend keys)."""
MARKER = 6.0
"""The diameter of a line chart's round markers."""
SLICE_OUTLINE = Stroke("FFFFFF", 0.75)
"""Between the slices of a pie or doughnut."""
START_ANGLE = 0.0
"""Where a pie's first slice starts: 12 o'clock."""
LABEL_POSITIONS: dict[str, LabelPosition] = {"bar": "outside end", "line": "above"}
"""Where each chart type's value labels sit (the others': ``centre``)."""
CHART_ASPECT = 1.6
LEGEND_GAP = 8.0


def nice_axis(low: float, high: float, minimum: float | None = None,
              maximum: float | None = None) -> tuple[float, float, float]:
    """(minimum, maximum, step) of a value axis: 3 to 6 round steps (1, 2, 2.5, 5 × 10ⁿ) spanning the
    values as tightly as possible, the fewer steps the better. Without a fixed ``minimum`` or
    ``maximum`` the axis runs through zero; a fixed end is kept, with a step that divides the axis
    (any number of steps from 2 to 10, else five equal ones)."""
    low = min(low, 0.0) if minimum is None else minimum
    high = max(high, 0.0) if maximum is None else maximum
    if high - low <= 0:
        high = low + 1
    magnitude = 10 ** math.floor(math.log10((high - low) / 6))
    candidates = []
    for step in (round(m * magnitude * scale, 12) for scale in (0.1, 1, 10) for m in (1, 2, 2.5, 5)):
        lo = minimum if minimum is not None else round(math.floor(low / step + 1e-9) * step, 12)
        hi = maximum if maximum is not None else round(math.ceil(high / step - 1e-9) * step, 12)
        count = (hi - lo) / step
        if abs(count - round(count)) > 1e-6 or not 2 <= round(count) <= 10:
            continue
        intervals = round(count)
        candidates.append((not 3 <= intervals <= 6, hi - lo, intervals, lo, hi, step))
    if not candidates:  # fixed ends that no round step divides
        return low, high, (high - low) / 5
    *_, lo, hi, step = min(candidates)
    return lo, hi, step


def _decimals(step: float) -> int:
    for digits in range(4):
        if abs(step * 10 ** digits - round(step * 10 ** digits)) < 1e-9:
            return digits
    return 3


def _contrast(fill: str, text: str) -> str:
    r, g, b = (int(fill[i:i + 2], 16) for i in (0, 2, 4))
    return text if 0.299 * r + 0.587 * g + 0.114 * b > 150 else "FFFFFF"


class _Chart:
    """One chart being laid out: its context, data, text size and the items collected."""

    def __init__(self, ctx: LayoutContext, data: ChartData, rect: Rect, name: str) -> None:
        self.ctx, self.data, self.rect, self.name = ctx, data, rect, name
        self.size = _label_size(ctx)
        self.lh = ctx.line(self.size)
        palette = [ctx.theme.accent, *(c for c in PALETTE if c != ctx.theme.accent)]
        wanted = len(data.categories) if data.type in ("pie", "doughnut") else len(data.series)
        colors = [c.upper() for c in data.colors] + palette * (1 + wanted // len(palette))
        self.colors = colors[:wanted]
        self.marks: list[Mark] = []
        self.labels: list[TextBlock] = []
        self.key = self.size * (2.0 if data.type == "line" else 0.8)  # a line chart's key: a line with its marker
        self.number_format = NumberFormat(data.decimals, data.unit or "", False)
        self.style = ChartStyle(text_color=ctx.theme.text_color, label_size=self.size, grid=GRID, axis=AXIS,
                                line_width=LINE_WIDTH, marker=MARKER, slice_outline=SLICE_OUTLINE, gap=GAP, hole=HOLE,
                                start_angle=START_ANGLE, label_position=LABEL_POSITIONS.get(data.type, "centre"),
                                legend_position="bottom")

    def fmt(self, value: float) -> str:
        return self.number_format.text(value)

    def marker(self, x: float, y: float, color: str, name: str) -> Box:
        """A line chart's round marker centred on (``x``, ``y``)."""
        size = self.style.marker
        return Box(Rect(x - size / 2, y - size / 2, size, size), fill=color, radius=size / 2, name=name)

    def text(self, text: str, rect: Rect, box: str, *, align: Align = "center", valign: str = "top",
             color: str | None = None, bold: bool = False) -> TextBlock:
        block = self.ctx.set_text(self.ctx.paras(text, bold=bold), rect, size=self.size, align=align,
                                  valign=valign, color=color, name=f"{self.name} {box}", source=f"{self.name}.{box}")
        self.labels.append(block)
        return block

    def too_small(self, needed: float, available: float) -> OverflowError_:
        return OverflowError_(material=self.ctx.material, page=self.ctx.page, box=self.name,
                              source=f"{self.name}.categories", needed=needed, available=available)

    # -- legend ------------------------------------------------------------------------------
    def legend_entries(self) -> list[tuple[str, str]]:
        names = self.data.categories if self.data.type in ("pie", "doughnut") else [s.name for s in self.data.series]
        return list(zip(names, self.colors))

    def legend_rows(self, width: float) -> list[list[tuple[str, str, float]]]:
        """Legend entries (name, colour, name's width) in rows across ``width``, 10 pt apart."""
        rows: list[list[tuple[str, str, float]]] = [[]]
        used = 0.0
        for text, color in self.legend_entries():
            w = min(self.ctx.width(text, self.size), width - self.key - 3)
            if rows[-1] and used + self.key + 3 + w > width:
                rows.append([])
                used = 0.0
            rows[-1].append((text, color, w))
            used += self.key + 3 + w + 10
        return rows

    def legend(self, area: Rect, *, vertical: bool) -> Rect:
        """Legend entries (key and name) centred in ``area``; returns the box they cover."""
        key = self.key
        entries = self.legend_entries()
        if vertical:
            y = top = area.y + (area.h - len(entries) * self.lh) / 2
            for number, (text, color) in enumerate(entries, 1):
                self._entry(text, color, area.x, y, area.w - key - 3, number, key)
                y += self.lh
            return Rect(area.x, top, area.w, y - top)
        rows = self.legend_rows(area.w)
        number = 0
        widest = max(sum(key + 3 + w for _, _, w in row) + 10 * (len(row) - 1) for row in rows)
        for index, row in enumerate(rows):
            span = sum(key + 3 + w for _, _, w in row) + 10 * (len(row) - 1)
            x = area.x + (area.w - span) / 2
            for text, color, w in row:
                number += 1
                self._entry(text, color, x, area.y + index * self.lh, w, number, key)
                x += key + 3 + w + 10
        # The native legend gets some room to spare: applications draw wider keys (a line chart's
        # is a line with its marker) and spread the entries over the box.
        spare = min(key * len(entries), area.w - widest)
        return Rect(area.x + (area.w - widest - spare) / 2, area.y, widest + spare, len(rows) * self.lh)

    def _entry(self, text: str, color: str, x: float, y: float, width: float, number: int, key: float) -> None:
        middle = y + self.lh / 2
        if self.data.type == "line":
            self.marks.append(Rule(x, middle, x + key, middle, color=color, width=self.style.line_width))
            self.marks.append(self.marker(x + key / 2, middle, color, f"{self.name} key {number}"))
        else:
            self.marks.append(Box(Rect(x, middle - key / 2, key, key), fill=color, name=f"{self.name} key {number}"))
        self.text(text, Rect(x + key + 3, y, width, self.lh), f"legend {number}", align="left")

    # -- category charts ---------------------------------------------------------------------
    def shares(self) -> list[list[float | None]]:
        """The values as drawn: for ``stacked_100`` each category's share of its total."""
        values = [list(s.values) for s in self.data.series]
        if self.data.type != "stacked_100":
            return values
        totals = [math.fsum(v or 0.0 for v in column) for column in zip(*values)]
        return [[None if v is None or not t else v / t for v, t in zip(row, totals)] for row in values]

    def axis(self, drawn: list[list[float | None]]) -> ValueAxis:
        if self.data.type == "stacked_100":
            return ValueAxis(0.0, 1.0, 0.2, NumberFormat(0, "", True))
        if self.data.type == "stacked":
            sums = [math.fsum(v or 0.0 for v in column) for column in zip(*drawn)]
            low, high = 0.0, max(sums)
        else:
            present = [v for row in drawn for v in row if v is not None]
            low, high = min(present), max(present)
        minimum, maximum, step = nice_axis(low, high, self.data.axis_min, self.data.axis_max)
        return ValueAxis(minimum, maximum, step, NumberFormat(_decimals(step), self.data.unit or "", False))

    def ticks(self, axis: ValueAxis) -> tuple[tuple[float, ...], list[str]]:
        ticks = axis.ticks
        return ticks, [axis.number_format.text(t) for t in ticks]

    def legend_height(self) -> float:
        return len(self.legend_rows(self.rect.w)) * self.lh + LEGEND_GAP if self.data.shows_legend else 0.0

    def past_zero(self) -> float:
        """Room between the plot and the category labels for the value labels of negative bars, which sit
        past their bar's end (left of it, or under it), where a bar reaching the plot's edge would put
        them over the category labels."""
        data = self.data
        negative = [v for s in data.series for v in s.values if v is not None and v < 0]
        if not (data.value_labels and data.type == "bar" and negative):
            return 0.0
        if data.horizontal:
            return max(self.ctx.width(self.fmt(v), self.size) for v in negative) + 3
        return self.lh + 1

    def insets(self, axis: ValueAxis) -> tuple[float, float, float]:
        """Room left of, above and below the plot area inside the chart's rectangle (a category chart)."""
        data, legend_h = self.data, self.legend_height()
        _, tick_texts = self.ticks(axis)
        if data.horizontal:
            label_w = min(max(self.ctx.width(c, self.size) for c in data.categories), self.rect.w * 0.35)
            return label_w + 4 + self.past_zero(), 2.0, self.lh + 3 + legend_h
        axis_w = max(self.ctx.width(t, self.size) for t in tick_texts)
        slot_w = (self.rect.w - axis_w - 4 - self.lh / 2) / len(data.categories)
        cat_h = max(self.ctx.measure(self.ctx.paras(c), max(slot_w - 4, 1), self.size) for c in data.categories)
        outside = data.value_labels and data.type in ("bar", "line")
        return axis_w + 4, self.lh + 2 if outside else self.lh / 2, cat_h + 3 + legend_h + self.past_zero()

    def category_chart(self) -> Chart:
        data, rect = self.data, self.rect
        drawn = self.shares()
        axis = self.axis(drawn)
        ticks, tick_texts = self.ticks(axis)
        legend_h = self.legend_height()
        outside = data.value_labels and data.type in ("bar", "line")
        stacked = data.type in ("stacked", "stacked_100")
        n, k = len(data.categories), 1 if stacked or data.type == "line" else len(data.series)
        left, top, bottom = self.insets(axis)
        past_zero = self.past_zero()
        if data.horizontal:
            widest_value = max((self.ctx.width(self.fmt(v), self.size) for s in data.series for v in s.values
                                if v is not None), default=0.0)
            right = max(self.ctx.width(tick_texts[-1], self.size) / 2, widest_value + 4 if outside else 0.0)
            plot = Rect(rect.x + left, rect.y + top, rect.w - left - right, rect.h - top - bottom)
        else:
            plot = Rect(rect.x + left, rect.y + top, rect.w - left - self.lh / 2, rect.h - top - bottom)
            cat_h = bottom - 3 - legend_h - past_zero
        if plot.w < 40 or plot.h < 30:
            raise self.too_small(rect.h - plot.h + 30, rect.h)
        span = axis.maximum - axis.minimum

        def at(value: float) -> float:  # position along the value axis
            share = (value - axis.minimum) / span
            return plot.x + share * plot.w if data.horizontal else plot.bottom - share * plot.h

        for tick, text in zip(ticks, tick_texts):
            pos = at(tick)
            if data.horizontal:
                self.marks.append(Rule(pos, plot.y, pos, plot.bottom, color=self.style.grid.color,
                                       width=self.style.grid.width))
                w = self.ctx.width(text, self.size)
                self.text(text, Rect(pos - w / 2, plot.bottom + 3, w, self.lh), f"axis {text}")
            else:
                self.marks.append(Rule(plot.x, pos, plot.right, pos, color=self.style.grid.color,
                                       width=self.style.grid.width))
                self.text(text, Rect(rect.x, pos - self.lh / 2, plot.x - 4 - rect.x, self.lh), f"axis {text}",
                          align="right")
        slot = (plot.h if data.horizontal else plot.w) / n
        for i, category in enumerate(data.categories):
            start = (plot.y if data.horizontal else plot.x) + i * slot
            if data.horizontal:
                self.text(category, Rect(rect.x, start, plot.x - 4 - past_zero - rect.x, slot), f"category {i + 1}",
                          align="right", valign="middle")
            else:
                self.text(category, Rect(start + 2, plot.bottom + 3 + past_zero, slot - 4, cat_h),
                          f"category {i + 1}")
        zero = at(max(axis.minimum, 0.0))
        axis_line = self.style.axis
        if data.horizontal:
            self.marks.append(Rule(zero, plot.y, zero, plot.bottom, color=axis_line.color, width=axis_line.width))
        else:
            self.marks.append(Rule(plot.x, zero, plot.right, zero, color=axis_line.color, width=axis_line.width))
        colors: list[list[str | None]] = [[None] * n for _ in data.series]
        if data.type == "line":
            self.lines(drawn, at, plot, slot, colors)
        else:
            self.bars(drawn, at, plot, slot, k, colors)
        return self.finish("category", plot, colors, axis=axis, legend_h=legend_h)

    def bars(self, drawn: list[list[float | None]], at: Callable[[float], float], plot: Rect, slot: float, k: int,
             colors: list[list[str | None]]) -> None:
        data = self.data
        stacked = data.type in ("stacked", "stacked_100")
        gap = self.style.gap
        bar = slot / (k + gap / 100)
        base = [0.0] * len(data.categories)
        for j, (series, values) in enumerate(zip(data.series, drawn)):
            color = self.colors[j]
            for i, value in enumerate(values):
                if value is None:
                    continue
                offset = i * slot + bar * gap / 200 + (0 if stacked else j * bar)
                start, end = (base[i], base[i] + value) if stacked else (0.0, value)
                if stacked:
                    base[i] += value
                a, b = sorted((at(start), at(end)))
                if data.horizontal:
                    seg = Rect(a, plot.y + offset, b - a, bar)
                else:
                    seg = Rect(plot.x + offset, a, bar, b - a)
                self.marks.append(Box(seg, fill=color, name=f"{self.name} bar {j + 1}.{i + 1}"))
                original = series.values[i]
                if not data.value_labels or original is None:
                    continue
                text = self.fmt(original)
                w = self.ctx.width(text, self.size)
                box = f"value {j + 1}.{i + 1}"
                if stacked:
                    if w + 2 <= seg.w and self.lh <= seg.h + 0.01:
                        colors[j][i] = _contrast(color, self.ctx.theme.text_color)
                        self.text(text, Rect(seg.x + (seg.w - w) / 2, seg.y + (seg.h - self.lh) / 2, w, self.lh),
                                  box, color=colors[j][i])
                    continue
                colors[j][i] = self.ctx.theme.text_color
                if data.horizontal:
                    x = seg.right + 3 if original >= 0 else seg.x - 3 - w
                    self.text(text, Rect(x, seg.y + (seg.h - self.lh) / 2, w, self.lh), box)
                else:
                    y = seg.y - self.lh - 1 if original >= 0 else seg.bottom + 1
                    self.text(text, Rect(seg.x + (seg.w - w) / 2, y, w, self.lh), box)

    def lines(self, drawn: list[list[float | None]], at: Callable[[float], float], plot: Rect, slot: float,
              colors: list[list[str | None]]) -> None:
        for j, values in enumerate(drawn):
            color = self.colors[j]
            points = [(plot.x + (i + 0.5) * slot, at(v)) if v is not None else None for i, v in enumerate(values)]
            run: list[tuple[float, float]] = []
            for point in [*points, None]:
                if point is None:
                    if len(run) > 1:
                        self.marks.append(Polyline(tuple(run), color, self.style.line_width))
                    run = []
                else:
                    run.append(point)
            for i, (value, point) in enumerate(zip(self.data.series[j].values, points)):
                if value is None or point is None:
                    continue
                x, y = point
                self.marks.append(self.marker(x, y, color, f"{self.name} point"))
                if self.data.value_labels:
                    text = self.fmt(value)
                    w = self.ctx.width(text, self.size)
                    colors[j][i] = self.ctx.theme.text_color
                    self.text(text, Rect(x - w / 2, y - 4 - self.lh, w, self.lh), f"value {j + 1}.{i + 1}")

    # -- pie and doughnut --------------------------------------------------------------------
    def pie_chart(self) -> Chart:
        data, rect = self.data, self.rect
        key = self.key
        widest = max(self.ctx.width(c, self.size) for c in data.categories) + key + 3
        beside = widest <= rect.w * 0.4
        if beside:
            legend = Rect(rect.right - widest, rect.y, widest, rect.h)
            area = Rect(rect.x, rect.y, rect.w - widest - 8, rect.h)
        else:
            legend_h = len(self.legend_rows(rect.w)) * self.lh
            legend = Rect(rect.x, rect.bottom - legend_h, rect.w, legend_h)
            area = Rect(rect.x, rect.y, rect.w, rect.h - legend_h - 6)
        diameter = min(area.w, area.h) - 4
        if diameter < 40:
            raise self.too_small(rect.h - area.h + 44, rect.h)
        plot = Rect(area.x + (area.w - diameter) / 2, area.y + (area.h - diameter) / 2, diameter, diameter)
        cx, cy, radius = plot.x + diameter / 2, plot.y + diameter / 2, diameter / 2
        inner = radius * self.style.hole / 100 if data.type == "doughnut" else 0.0
        values = data.series[0].values
        total = math.fsum(v or 0.0 for v in values)
        colors: list[str | None] = [None] * len(values)
        angle = self.style.start_angle
        for i, value in enumerate(values):
            if not value:
                continue
            sweep = value / total * 360
            self.marks.append(Wedge(cx, cy, radius, inner, angle, sweep, self.colors[i], self.style.slice_outline))
            mid = math.radians(angle + sweep / 2)
            at = (radius + inner) / 2 if inner else radius * 0.6
            text = self.fmt(value)
            w = self.ctx.width(text, self.size)
            if data.value_labels and at * math.radians(sweep) >= w + 2 and radius - inner >= self.lh:
                colors[i] = _contrast(self.colors[i], self.ctx.theme.text_color)
                x, y = cx + at * math.sin(mid), cy - at * math.cos(mid)
                self.text(text, Rect(x - w / 2, y - self.lh / 2, w, self.lh), f"value 1.{i + 1}", color=colors[i])
            angle += sweep
        box = self.legend(legend, vertical=beside) if data.shows_legend else None
        return self.finish("pie", plot, [colors], legend=box, beside=beside)

    def finish(self, family: str, plot: Rect, colors: list[list[str | None]], *, axis: ValueAxis | None = None,
               legend_h: float = 0.0, legend: Rect | None = None, beside: bool = False) -> Chart:
        data, rect = self.data, self.rect
        if family == "category" and data.shows_legend:
            legend = self.legend(Rect(rect.x, rect.bottom - legend_h + LEGEND_GAP, rect.w, legend_h - LEGEND_GAP),
                                 vertical=False)
        pie = family == "pie"
        series = tuple(Series(s.name, tuple(s.values), self.colors[0] if pie else self.colors[j])
                       for j, s in enumerate(data.series))
        style = replace(self.style, legend_position="right") if beside else self.style
        return Chart(rect=rect, kind=data.type, horizontal=data.horizontal, categories=tuple(data.categories),
                     series=series, plot=plot, number_format=self.number_format, style=style,
                     marks=tuple(self.marks), labels=tuple(self.labels),
                     label_colors=tuple(tuple(row) for row in colors), axis=axis,
                     point_colors=tuple(self.colors) if pie else (), legend=legend,
                     alt=data.alt or data.title or "", name=self.name)


def chart(ctx: LayoutContext, data: ChartData, rect: Rect, name: str) -> Chart:
    """The ``Chart`` primitive of ``data`` filling ``rect`` (title and note not included)."""
    laid = _Chart(ctx, data, rect, name)
    return laid.pie_chart() if data.type in ("pie", "doughnut") else laid.category_chart()


def plot_insets(ctx: LayoutContext, data: ChartData, rect: Rect) -> tuple[float, float] | None:
    """Room above and below the plot area of ``data`` laid out in ``rect`` (its title and note
    included); ``None`` for a pie or doughnut, which has no axis to align."""
    if data.type in ("pie", "doughnut"):
        return None
    laid = _Chart(ctx, data, rect, "")
    _, top, bottom = laid.insets(laid.axis(laid.shares()))
    head, tail = _title_note_heights(ctx, data, rect.w)
    return head + top, tail + bottom


def _title_note_heights(ctx: LayoutContext, data: ChartData, width: float) -> tuple[float, float]:
    size = _label_size(ctx)
    head = ctx.measure(ctx.paras(data.title, bold=True), width, size + 1) + 3 if data.title else 0.0
    tail = ctx.measure(ctx.paras(data.note), width, size) + 3 if data.note else 0.0
    return head, tail


def chart_block(ctx: LayoutContext, data: ChartData, rect: Rect, name: str, *,
                plot: tuple[float, float] | None = None, insets: tuple[float, float] | None = None) -> list[Item]:
    """The chart in ``rect`` with its title above it and its note under it, as real text. ``plot``:
    where the plot area's top and bottom must be (``y``), so charts side by side share their axis line
    (``insets``: this chart's own ``plot_insets``, when known)."""
    size = _label_size(ctx)
    head: list[Item] = []
    tail: list[Item] = []
    top, bottom = rect.y, rect.bottom
    if data.title:
        paras = ctx.paras(data.title, bold=True)
        block = ctx.set_text(paras, Rect(rect.x, top, rect.w, ctx.measure(paras, rect.w, size + 1)), size=size + 1,
                             align="center", name=f"{name} title", source=f"{name}.title", role="caption")
        head.append(block)
        top = block.rect.bottom + 3
    if data.note:
        paras = ctx.paras(data.note)
        need = ctx.measure(paras, rect.w, size)
        tail.append(ctx.set_text(paras, Rect(rect.x, bottom - need, rect.w, need), size=size, color="404040",
                                 name=f"{name} note", source=f"{name}.note", role="note"))
        bottom -= need + 3
    if plot is not None:
        own = insets or plot_insets(ctx, data, rect)
        if own is not None:  # move the chart's own edges so that its plot area spans the row's
            top += max(plot[0] - (rect.y + own[0]), 0.0)
            bottom -= max((rect.bottom - own[1]) - plot[1], 0.0)
    return grouped([*head, chart(ctx, data, Rect(rect.x, top, rect.w, bottom - top), name), *tail], name)


def _label_size(ctx: LayoutContext) -> float:
    """Labels, titles and notes of charts: the page's small text."""
    return ctx.small


def chart_grid(ctx: LayoutContext, charts: Sequence[ChartData], rect: Rect, name: str,
               columns: int | None = None) -> list[Item]:
    """Charts in the grid (columns × rows) that gives each the most room inside ``rect``, a last row
    with fewer charts centred; the charts of a row share the top and bottom of their plot areas
    (titles or notes of different lengths, categories on more lines, a legend in one of them do not
    shift the axis)."""
    count = len(charts)
    if not count:
        return []
    gap = 12.0

    def room(cols: int) -> float:
        rows = -(-count // cols)
        w, h = (rect.w - gap * (cols - 1)) / cols, (rect.h - gap * (rows - 1)) / rows
        return min(w, h * CHART_ASPECT) * min(h, w / CHART_ASPECT)

    cols = columns or max(range(1, count + 1), key=lambda c: (round(room(c), 1), -c))
    rows = -(-count // cols)
    w, h = (rect.w - gap * (cols - 1)) / cols, (rect.h - gap * (rows - 1)) / rows
    items: list[Item] = []
    for r in range(rows):
        row = range(r * cols, min((r + 1) * cols, count))
        left = rect.x + (cols - len(row)) * (w + gap) / 2  # a last row with fewer charts is centred
        cells = [(index, Rect(left + c * (w + gap), rect.y + r * (h + gap), w, h)) for c, index in enumerate(row)]
        insets = [plot_insets(ctx, charts[index], cell) for index, cell in cells]
        known = [inset for inset in insets if inset is not None]
        plot = (cells[0][1].y + max(i[0] for i in known), cells[0][1].bottom - max(i[1] for i in known)) \
            if len(known) > 1 else None
        for (index, cell), inset in zip(cells, insets):
            label = f"{name} chart {index + 1}" if name else f"chart {index + 1}"
            items += chart_block(ctx, charts[index], cell, label, plot=plot, insets=inset)
    return items

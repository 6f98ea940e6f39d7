"""Building blocks the slide kinds share: pictures, charts, headed panels, tables, bands.

Input: parts of slide models and a rectangle. Output: lists of positioned
primitives inside that rectangle (or an error naming the box that does not
fit). Kind layout functions in ``kinds.py`` compose these; plugin layout
functions may too. Pictures, charts and tables have modules of their own
(``pictures.py``, ``charts.py``, ``tables.py``); their blocks are offered here
too, so a plugin imports every block from one place.
"""
from __future__ import annotations

import math
from typing import Sequence

from ..models import Panel
from .charts import chart_block, chart_grid
from .context import LayoutContext, ParaSpec
from .pictures import CAPTION_SIZE, grid_height, photo, photo_grid
from .primitives import Box, Item, Rect, Role, grouped
from .tables import table

__all__ = ["CAPTION_SIZE", "GAP", "FIGURE_MIN", "photo", "photo_grid", "chart_block", "chart_grid", "panel", "panel_height",
           "band", "table", "label_band", "label_band_height", "row_heights", "centred_row", "panel_room"]

GAP = 8.0
FIGURE_MIN = 72.0
"""The least height pictures or charts get under a panel's or card's text (one row of them)."""


def row_heights(ctx: LayoutContext, needs: Sequence[float], room: float, *, caps: Sequence[float] | None = None,
                stretch: bool = False) -> tuple[list[float], float]:
    """Heights of rows stacked in ``room`` points (gaps already taken off), and how far below the
    top of the room the first row starts. Each row is as high as its text needs; what is left goes
    to the rows whose pictures or charts can use it, each up to its ``caps`` entry (pictures at
    their full width; ``math.inf`` for charts; default: no row takes more than it needs). The room
    still left is reported (``ctx.leave``: the text may grow into it) and balanced: shared by all
    rows with ``stretch`` (a grid such as a roadmap), else above and below the rows (they are
    centred). Rows that need more than the room all shrink in proportion: their text then shrinks
    to the theme's ``min_size`` or overflows, naming its box."""
    total = sum(needs)
    spare = room - total
    if spare < 0:
        return [need * room / total for need in needs], 0.0
    heights = list(needs)
    caps = list(caps) if caps is not None else heights
    growing = [i for i, (need, cap) in enumerate(zip(needs, caps)) if cap > need + 0.01]
    while spare > 0.01 and growing:  # share what is left, none beyond what it can use
        share = spare / len(growing)
        for i in list(growing):
            add = min(share, caps[i] - heights[i])
            heights[i] += add
            spare -= add
            if caps[i] - heights[i] <= 0.01:
                growing.remove(i)
    if spare <= 0.01:
        return heights, 0.0
    ctx.leave(spare)
    if stretch:
        return [h + spare / len(heights) for h in heights], 0.0
    return heights, spare / 2


def centred_row(x: float, width: float, count: int, columns: int, gap: float = GAP) -> list[float]:
    """Left edges of ``count`` cells of a grid row of ``columns`` cells across ``width`` from ``x``:
    a last row with fewer cells is centred instead of leaving empty cells at its end."""
    cell = (width - gap * (columns - 1)) / columns
    start = x + (width - (count * cell + (count - 1) * gap)) / 2
    return [start + i * (cell + gap) for i in range(count)]


def band(ctx: LayoutContext, text: str, rect: Rect, *, name: str, size: float | None = None,
         fill: str | None = None, color: str = "FFFFFF", role: Role = "heading") -> list[Item]:
    """A filled heading band with bold text, vertically centred (the text's ``role``: a heading)."""
    size = size or ctx.size
    return grouped([Box(rect, fill=fill or ctx.theme.accent, name=name),
                    ctx.set_text(ctx.paras(text, bold=True), rect.inset(6, 2), size=size, color=color,
                                 valign="middle", name=name, source=name, role=role)], name)


def label_band(ctx: LayoutContext, label: str, text: str, rect: Rect, *, name: str) -> list[Item]:
    """A label box on the left (e.g. 次年度に向けて) and text on the right, in one frame."""
    size = ctx.size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    items: list[Item] = [Box(rect, fill="FFFFFF", stroke=ctx.theme.accent, stroke_width=1.0, name=name)]
    items += band(ctx, label, Rect(rect.x, rect.y, label_w, rect.h), name=f"{name} label", size=size)
    items.append(ctx.set_text(text, Rect(rect.x + label_w + 8, rect.y + 3, rect.w - label_w - 14, rect.h - 6),
                              size=size, valign="middle", name=name, source=name))
    return grouped(items, name)


def label_band_height(ctx: LayoutContext, label: str, text: str, width: float) -> float:
    size = ctx.size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    need = ctx.measure(ctx.paras(text), width - label_w - 14, size) + 8
    label_need = ctx.measure(ctx.paras(label, bold=True), label_w - 12, size) + 6
    return max(need, label_need, ctx.line(size) + 10)


def panel_body(ctx: LayoutContext, panel: Panel, size: float) -> list[ParaSpec]:
    return ctx.paras(panel.text) + ctx.bullets(panel.items, size)


def panel(ctx: LayoutContext, item: Panel, rect: Rect, name: str, *, size: float | None = None,
          photo_columns: int | None = None) -> list[Item]:
    """A framed panel: heading band, text and bullets, then charts and pictures in what is left."""
    size = size or ctx.size
    items: list[Item] = [Box(rect, stroke=ctx.theme.accent, stroke_width=0.75, name=name)]
    inner = rect.inset(6)
    top = rect.y
    if item.heading:
        head_h = ctx.measure(ctx.paras(item.heading, bold=True), rect.w - 12, size) + 6
        items += band(ctx, item.heading, Rect(rect.x, rect.y, rect.w, head_h), name=f"{name} heading", size=size)
        top = rect.y + head_h
    body = Rect(inner.x, top + 5, inner.w, rect.bottom - top - 10)
    paras = panel_body(ctx, item, size)
    if item.photos or item.charts:
        text_h = ctx.measure(paras, body.w, size) if paras else 0.0
        if paras:
            items.append(ctx.set_text(paras, Rect(body.x, body.y, body.w, min(text_h, body.h)), size=size,
                                      name=name, source=f"{name}.items"))
        grid = Rect(body.x, body.y + text_h + (GAP if paras else 0), body.w,
                    body.h - text_h - (GAP if paras else 0))
        if item.charts and item.photos:  # charts on the left, pictures on the right, by count
            share = len(item.charts) / (len(item.charts) + len(item.photos))
            left_w = (grid.w - GAP) * max(share, 0.5)
            items += chart_grid(ctx, item.charts, Rect(grid.x, grid.y, left_w, grid.h), name)
            items += photo_grid(ctx, item.photos, Rect(grid.x + left_w + GAP, grid.y, grid.w - left_w - GAP, grid.h),
                                name, photo_columns)
        elif item.charts:
            items += chart_grid(ctx, item.charts, grid, name)
        else:
            items += photo_grid(ctx, item.photos, grid, name, photo_columns)
    elif paras:
        items.append(ctx.set_text(paras, body, size=size, name=name, source=f"{name}.items"))
    return grouped(items, name)


def panel_room(ctx: LayoutContext, item: Panel, width: float, height: float) -> float:
    """The most height a panel can use at ``width`` when offered ``height``: its text, and its
    pictures at their full width (charts take any height: ``math.inf``)."""
    if item.charts:
        return math.inf
    need = panel_height(ctx, item, width)
    if not item.photos:
        return need
    text = need - FIGURE_MIN
    return text + grid_height(ctx, item.photos, Rect(0, 0, width - 12, max(height - text, 1.0)))


def panel_height(ctx: LayoutContext, item: Panel, width: float, size: float | None = None) -> float:
    """Height a panel needs: its text, and ``FIGURE_MIN`` for its pictures and charts (which take
    whatever room their row has beyond that)."""
    size = size or ctx.size
    head = ctx.measure(ctx.paras(item.heading, bold=True), width - 12, size) + 6 if item.heading else 0.0
    figures = FIGURE_MIN + GAP if item.photos or item.charts else 0.0
    return head + ctx.measure(panel_body(ctx, item, size), width - 12, size) + 12 + figures

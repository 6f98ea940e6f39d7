"""Building blocks the slide kinds share: pictures, charts, headed panels, tables, bands.

Input: parts of slide models and a rectangle. Output: lists of positioned
primitives inside that rectangle (or an error naming the box that does not
fit). Kind layout functions in ``kinds.py`` compose these; plugin layout
functions may too. Pictures, charts and tables have modules of their own
(``pictures.py``, ``charts.py``, ``tables.py``); their blocks are offered here
too, so a plugin imports every block from one place.
"""
from __future__ import annotations

from ..models import Panel
from .charts import chart_block, chart_grid
from .context import LEADING, LayoutContext, ParaSpec
from .pictures import CAPTION_SIZE, photo, photo_grid
from .primitives import Box, Item, Rect, Role, grouped
from .tables import table

__all__ = ["CAPTION_SIZE", "GAP", "photo", "photo_grid", "chart_block", "chart_grid", "panel", "panel_height",
           "band", "table", "label_band", "label_band_height"]

GAP = 8.0


def band(ctx: LayoutContext, text: str, rect: Rect, *, name: str, size: float | None = None,
         fill: str | None = None, color: str = "FFFFFF", role: Role = "heading") -> list[Item]:
    """A filled heading band with bold text, vertically centred (the text's ``role``: a heading)."""
    size = size or ctx.theme.base_size
    return grouped([Box(rect, fill=fill or ctx.theme.accent, name=name),
                    ctx.set_text(ctx.paras(text, bold=True), rect.inset(6, 2), size=size, color=color,
                                 valign="middle", name=name, source=name, role=role)], name)


def label_band(ctx: LayoutContext, label: str, text: str, rect: Rect, *, name: str) -> list[Item]:
    """A label box on the left (e.g. 次年度に向けて) and text on the right, in one frame."""
    size = ctx.theme.base_size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    items: list[Item] = [Box(rect, fill="FFFFFF", stroke=ctx.theme.accent, stroke_width=1.0, name=name)]
    items += band(ctx, label, Rect(rect.x, rect.y, label_w, rect.h), name=f"{name} label", size=size)
    items.append(ctx.set_text(text, Rect(rect.x + label_w + 8, rect.y + 3, rect.w - label_w - 14, rect.h - 6),
                              size=size, valign="middle", name=name, source=name))
    return grouped(items, name)


def label_band_height(ctx: LayoutContext, label: str, text: str, width: float) -> float:
    size = ctx.theme.base_size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    need = ctx.measure(ctx.paras(text), width - label_w - 14, size) + 8
    label_need = ctx.measure(ctx.paras(label, bold=True), label_w - 12, size) + 6
    return max(need, label_need, size * LEADING + 10)


def panel_body(ctx: LayoutContext, panel: Panel, size: float) -> list[ParaSpec]:
    return ctx.paras(panel.text) + ctx.bullets(panel.items, size)


def panel(ctx: LayoutContext, item: Panel, rect: Rect, name: str, *, size: float | None = None,
          photo_columns: int | None = None) -> list[Item]:
    """A framed panel: heading band, text and bullets, then charts and pictures in what is left."""
    size = size or ctx.theme.base_size
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


def panel_height(ctx: LayoutContext, item: Panel, width: float, size: float | None = None) -> float:
    """Height a panel's text needs (pictures and charts excluded)."""
    size = size or ctx.theme.base_size
    head = ctx.measure(ctx.paras(item.heading, bold=True), width - 12, size) + 6 if item.heading else 0.0
    return head + ctx.measure(panel_body(ctx, item, size), width - 12, size) + 12

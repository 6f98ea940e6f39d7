"""Layout functions of the built-in slide kinds.

Each function takes a validated slide, the ``LayoutContext`` and the body
rectangle the page frame left, and returns positioned primitives inside it:
boxes as high as their text needs, the room left reported (``ctx.leave``) so
that ``sizing`` may set the text larger. ``paginate_table`` splits a table
slide too long for its page into several. Cards, key figures and the roadmap
are in ``grids.py``. ``BUILTIN_KINDS`` pairs each with its model for the
plugin registry.
"""
from __future__ import annotations

import math
from typing import Callable

from ..hookspecs import SlideKind
from ..models import (BulletsSlide, CardsSlide, ChartSlide, ComparisonSlide, EventReportSlide, FiguresSlide,
                      ImageSlide, Panel, PanelsSlide, RoadmapSlide, SectionSlide, TableSlide, plain)
from ..models.slides import Event
from .blocks import (FIGURE_MIN, GAP, chart_block, chart_grid, label_band, label_band_height, panel, panel_height,
                     panel_room, photo_grid, row_heights, table)
from .context import LayoutContext, ParaSpec
from .grids import layout_cards, layout_figures, layout_roadmap
from .primitives import Arrow, Box, Item, Rect, grouped
from .tables import measure_table, split_table

CONTINUED = "（続き）"
"""Appended to the title of a table's continuation pages."""

__all__ = ["BUILTIN_KINDS"]


def layout_section(slide: SectionSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    size = 28.0
    title = ctx.paras(slide.title, bold=True)
    lines = ctx.paras("\n".join(slide.lines))
    sub = ctx.paras(slide.subtitle or "", bold=True)
    h_title = ctx.measure(title, body.w - 80, size)
    h_sub = ctx.measure(sub, body.w - 80, 18) if sub else 0
    h_lines = ctx.measure(lines, body.w - 80, 16) if lines else 0
    total = h_sub + h_title + h_lines + 24
    top = body.y + max((body.h - total) / 2, 0)
    items: list[Item] = []
    if sub:
        items.append(ctx.set_text(sub, Rect(body.x + 40, top, body.w - 80, h_sub), size=18, align="center",
                                  color=ctx.theme.accent, name="subtitle", source="subtitle", role="subtitle"))
        top += h_sub + 12
    items.append(ctx.set_text(title, Rect(body.x + 40, top, body.w - 80, h_title), size=size, align="center",
                              color=ctx.theme.accent, name="title", source="title", role="title"))
    top += h_title + 12
    if lines:
        items.append(ctx.set_text(lines, Rect(body.x + 40, top, body.w - 80, h_lines), size=16, align="center",
                                  name="lines", source="lines"))
    return items


def layout_bullets(slide: BulletsSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    cols = slide.columns
    per = -(-len(slide.items) // cols)
    width = (body.w - GAP * 2 * (cols - 1)) / cols
    items: list[Item] = []
    needs = []
    for c in range(cols):
        paras = ctx.bullets(slide.items[c * per:(c + 1) * per])
        need = ctx.measure(paras, width)
        needs.append(need)
        rect = Rect(body.x + c * (width + 2 * GAP), body.y, width, min(need, body.h))
        items.append(ctx.set_text(paras, rect, name=f"column {c + 1}", source="items"))
    ctx.leave(body.h - max(needs))
    return items


def _bullets_above(ctx: LayoutContext, bullets: list, body: Rect) -> tuple[list[Item], float]:
    """Bullets across the top of ``body``; returns them and where what follows starts."""
    if not bullets:
        return [], body.y
    paras = ctx.bullets(bullets)
    need = ctx.measure(paras, body.w)
    block = ctx.set_text(paras, Rect(body.x, body.y, body.w, min(need, body.h)), name="items", source="items")
    return [block], body.y + need + GAP


def _table_parts(slide: TableSlide, ctx: LayoutContext, body: Rect) -> tuple[list[Item], Rect, Rect | None]:
    """Bullets and caption above the table, the table's rectangle, the chart's to its right."""
    items, top = _bullets_above(ctx, slide.items, body)
    width, chart = body.w, None
    if slide.chart:
        width = (body.w - 2 * GAP) * 0.58
        chart = Rect(body.x + width + 2 * GAP, top, body.w - width - 2 * GAP, body.bottom - top)
    if slide.caption:
        cap = ctx.set_text(ctx.paras(slide.caption, bold=True), Rect(body.x, top, width, body.bottom - top),
                           name="caption", source="caption", role="caption")
        items.append(cap)
        top = cap.rect.bottom + 4
    return items, Rect(body.x, top, width, body.bottom - top), chart


SPREAD_LINES = 2.0
"""A short table alone on its page gets up to this many lines of room more in each row."""


def layout_table(slide: TableSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Bullets and caption, then the table (a chart beside it). A table that leaves room on its page
    (none of a long table's pages) has its rows opened up, up to ``SPREAD_LINES`` lines each."""
    items, area, chart = _table_parts(slide, ctx, body)
    alt = slide.caption or slide.title or ""
    plan = measure_table(ctx, slide.table, area.w)
    spread = 0.0
    if not (slide.chart and chart):
        free = area.h - sum(plan.heights)
        ctx.leave(free)
        rows = len(slide.table.rows) - slide.table.header_rows
        if free > 0 and rows and not (slide.title or "").endswith(CONTINUED):
            spread = min(free / rows, SPREAD_LINES * ctx.line())
    items.append(table(ctx, slide.table, area, "table", alt=alt, spread=spread, plan=plan))
    if slide.chart and chart:
        items += chart_block(ctx, slide.chart, chart, "chart")
    return items


def paginate_table(slide: TableSlide, ctx: LayoutContext, body_of: Callable[[TableSlide], Rect]) -> list[TableSlide]:
    """The slide, or one slide per page when its table is too long: rows split between pages
    (never inside a ``rowspan``), header rows repeated, 「（続き）」 after the title of the
    following pages; bullets and chart stay on the first."""
    _, area, _ = _table_parts(slide, ctx, body_of(slide))
    plan = measure_table(ctx, slide.table, area.w)
    if sum(plan.heights) <= area.h + 0.01:
        return [slide]
    title = slide.title or ""
    rest = slide.model_copy(update={"title": title if title.endswith(CONTINUED) else title + CONTINUED,
                                    "items": [], "chart": None})
    _, rest_area, _ = _table_parts(rest, ctx, body_of(rest))
    first, *others = split_table(slide.table, plan, area.h, rest_area.h)
    return [slide.model_copy(update={"table": first}), *(rest.model_copy(update={"table": t}) for t in others)]


def layout_chart(slide: ChartSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    items, top = _bullets_above(ctx, slide.items, body)
    return items + chart_grid(ctx, slide.charts, Rect(body.x, top, body.w, body.bottom - top), "", slide.columns)


def layout_comparison(slide: ComparisonSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Two panels as high as the fuller one's text (or the page, with pictures or charts), and the
    arrow between them with its text above it."""
    label = ctx.paras(slide.arrow, bold=True) if slide.arrow else []
    arrow_w, column = 36.0, 36.0
    if label:  # the column as wide as the text's longest line, up to six characters
        widest = max(ctx.width(line, ctx.size, bold=True) for line in plain(slide.arrow or "").split("\n"))
        column = min(max(column, widest + 2), 6 * ctx.size + 2)
    total = slide.left.weight + slide.right.weight
    left_w = (body.w - column - 2 * GAP) * slide.left.weight / total
    right_w = body.w - column - 2 * GAP - left_w
    need = max(panel_height(ctx, slide.left, left_w), panel_height(ctx, slide.right, right_w))
    cap = max(panel_room(ctx, slide.left, left_w, body.h), panel_room(ctx, slide.right, right_w, body.h))
    [height], offset = row_heights(ctx, [need], body.h, caps=[cap])
    left = Rect(body.x, body.y + offset, left_w, height)
    right = Rect(left.right + column + 2 * GAP, left.y, right_w, height)
    items = panel(ctx, slide.left, left, "left") + panel(ctx, slide.right, right, "right")
    label_h = ctx.measure(label, column, ctx.size) + 4 if label else 0.0
    top = max(body.y, left.y + (height - label_h - 2 * arrow_w) / 2)  # text and arrow centred on the panels
    shaft = Rect(left.right + GAP + (column - arrow_w) / 2, top + label_h, arrow_w, 2 * arrow_w)
    arrow: list[Item] = [Arrow(shaft, "right", ctx.theme.accent, name="arrow")]
    if label:
        arrow.append(ctx.set_text(label, Rect(left.right + GAP, top, column, label_h - 4), size=ctx.size,
                                  color=ctx.theme.accent, align="center", name="arrow", source="arrow"))
        arrow = grouped(arrow, "arrow")
    return items + arrow


def _event_paras(ctx: LayoutContext, event: Event) -> list[ParaSpec]:
    lines = []
    if event.period:
        lines.append(f"<{event.period_label}> {event.period}")
    if event.place:
        lines.append(f"<場所> {event.place}")
    paras = ctx.paras("\n".join(lines))
    if event.activities:
        paras += ctx.paras("<取組>") + ctx.bullets(event.activities)
    if event.results:
        paras += ctx.paras("<成果>") + ctx.bullets(event.results)
    return paras


def _event_heading(event: Event) -> str:
    return f"▶ {event.name}" + (f"【{event.owner}】" if event.owner else "")


def _event_height(ctx: LayoutContext, event: Event, width: float) -> float:
    """Height an event's heading and text need (pictures excluded)."""
    head = ctx.measure(ctx.paras(_event_heading(event), bold=True), width - 12) + 6
    return head + 4 + ctx.measure(_event_paras(ctx, event), width - 12) + 6 + (FIGURE_MIN + GAP if event.photos else 0.0)


def layout_event_report(slide: EventReportSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """概要 across the top, the events side by side (as high as the fullest, or the rest of the page
    with pictures), 次年度に向けて under them."""
    overview = Panel(heading="概要", items=slide.overview) if slide.overview else None
    cols = len(slide.events)
    w = (body.w - GAP * (cols - 1)) / cols
    needs = [panel_height(ctx, overview, body.w) if overview else None,
             max(_event_height(ctx, event, w) for event in slide.events),
             label_band_height(ctx, slide.next_year_label, slide.next_year, body.w) if slide.next_year else None]
    present = [(i, need) for i, need in enumerate(needs) if need is not None]
    parts = [i for i, _ in present]
    photos = any(event.photos for event in slide.events)  # pictures take what the text leaves
    heights, offset = row_heights(ctx, [need for _, need in present], body.h - GAP * (len(parts) - 1),
                                  caps=[math.inf if i == 1 and photos else need for i, need in present])
    tops, top = {}, body.y + offset
    for i, h in zip(parts, heights):
        tops[i] = Rect(body.x, top, body.w, h)
        top += h + GAP
    items: list[Item] = []
    if overview:
        items += panel(ctx, overview, tops[0], "overview")
    for index, event in enumerate(slide.events):
        rect = Rect(body.x + index * (w + GAP), tops[1].y, w, tops[1].h)
        items += _event(ctx, _event_heading(event), _event_paras(ctx, event), event.photos, rect, f"event {index + 1}")
    if slide.next_year:
        items += label_band(ctx, slide.next_year_label, slide.next_year, tops[2], name="next_year")
    return items


def _event(ctx: LayoutContext, heading: str, paras: list, photos: list, rect: Rect, name: str) -> list[Item]:
    size = ctx.size
    items: list[Item] = [Box(rect, stroke=ctx.theme.accent, stroke_width=0.75, name=name)]
    head_paras = ctx.paras(heading, bold=True)
    head_h = ctx.measure(head_paras, rect.w - 12, size) + 6
    items.append(Box(Rect(rect.x, rect.y, rect.w, head_h), fill=ctx.theme.accent_light, name=f"{name} heading"))
    items.append(ctx.set_text(head_paras, Rect(rect.x + 6, rect.y + 3, rect.w - 12, head_h - 6), size=size,
                              color=ctx.theme.accent, name=f"{name} heading", source=f"{name}.name", role="heading"))
    inner = Rect(rect.x + 6, rect.y + head_h + 4, rect.w - 12, rect.h - head_h - 10)
    if photos and inner.w > 420:  # wide event: text left, pictures right
        text_w = inner.w * 0.5
        items.append(ctx.set_text(paras, Rect(inner.x, inner.y, text_w, inner.h), size=size, name=name,
                                  source=f"{name}.activities"))
        items += photo_grid(ctx, photos, Rect(inner.x + text_w + GAP, inner.y, inner.w - text_w - GAP, inner.h), name)
        return grouped(items, name)
    text_h = ctx.measure(paras, inner.w, size)
    items.append(ctx.set_text(paras, Rect(inner.x, inner.y, inner.w, min(text_h, inner.h)), size=size, name=name,
                              source=f"{name}.activities"))
    if photos:
        items += photo_grid(ctx, photos, Rect(inner.x, inner.y + text_h + GAP, inner.w, inner.h - text_h - GAP), name)
    return grouped(items, name)


def layout_image(slide: ImageSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    if not slide.items:
        return photo_grid(ctx, slide.photos, body, "image")
    text_w = body.w * 0.4
    items: list[Item] = [ctx.set_text(ctx.bullets(slide.items), Rect(body.x, body.y, text_w, body.h),
                                      name="items", source="items")]
    items += photo_grid(ctx, slide.photos, Rect(body.x + text_w + GAP, body.y, body.w - text_w - GAP, body.h), "image")
    return items


def layout_panels(slide: PanelsSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Panels in rows, each row as high as its fullest panel's text; rows with pictures or charts
    share what is left; the footer panel right under them (at the page's foot when pictures fill it)."""
    cols = ctx.columns(slide.columns, len(slide.panels))
    rows = [slide.panels[i:i + cols] for i in range(0, len(slide.panels), cols)]
    footer = slide.footer_panel
    band: tuple[str, str] | None = None  # the footer panel drawn as a label band: (heading, text)
    footer_h = 0.0
    if footer is not None:
        if footer.heading and not footer.items and not footer.photos and footer.text:
            band = (footer.heading, footer.text)
        footer_h = label_band_height(ctx, *band, body.w) if band else panel_height(ctx, footer, body.w)
    widths = [_weighted(body.w, [p.weight for p in row]) for row in rows]
    needs = [max(panel_height(ctx, p, w) for p, w in zip(row, ws)) for row, ws in zip(rows, widths)]
    room = body.h - GAP * (len(rows) - 1 + (1 if footer is not None else 0)) - footer_h
    caps = [max(panel_room(ctx, p, w, room - sum(needs) + need) for p, w in zip(row, ws))
            for row, ws, need in zip(rows, widths, needs)]
    if footer is not None:
        needs.append(footer_h)
        caps.append(footer_h if band else panel_room(ctx, footer, body.w, room - sum(needs) + 2 * footer_h))
        room += footer_h
    heights, offset = row_heights(ctx, needs, room, caps=caps)
    items: list[Item] = []
    top = body.y + offset
    for r, row in enumerate(rows):
        x = body.x
        for c, (p, w) in enumerate(zip(row, _weighted(body.w, [p.weight for p in row]))):
            items += panel(ctx, p, Rect(x, top, w, heights[r]), f"panel {r * cols + c + 1}")
            x += w + GAP
        top += heights[r] + GAP
    if footer is not None:
        rect = Rect(body.x, top, body.w, heights[-1])
        items += label_band(ctx, *band, rect, name="footer panel") if band else panel(ctx, footer, rect, "footer panel")
    return items


def _weighted(total: float, weights: list[float]) -> list[float]:
    room = total - GAP * (len(weights) - 1)
    return [room * w / sum(weights) for w in weights]


BUILTIN_KINDS: tuple[SlideKind, ...] = (
    SlideKind("section", SectionSlide, layout_section, "Section title page", draws_title=True, page_role="section",
              page_name="セクション"),
    SlideKind("bullets", BulletsSlide, layout_bullets, "Nested bullet list"),
    SlideKind("cards", CardsSlide, layout_cards, "Grid of cards with labelled fields"),
    SlideKind("table", TableSlide, layout_table, "Table with header rows and merged cells, continued over pages",
              paginate=paginate_table),
    SlideKind("comparison", ComparisonSlide, layout_comparison, "Two columns with an arrow"),
    SlideKind("figures", FiguresSlide, layout_figures, "Key figures with labels"),
    SlideKind("roadmap", RoadmapSlide, layout_roadmap, "Rows × steps → goal"),
    SlideKind("event_report", EventReportSlide, layout_event_report, "Events with dates, place, photos"),
    SlideKind("image", ImageSlide, layout_image, "Pictures with captions"),
    SlideKind("panels", PanelsSlide, layout_panels, "Headed panels in a grid"),
    SlideKind("chart", ChartSlide, layout_chart, "Charts from data (bar, stacked, pie, doughnut, line)"),
)

"""Layout functions of the built-in slide kinds.

Each function takes a validated slide, the ``LayoutContext`` and the body
rectangle the page frame left, and returns positioned primitives inside it.
``paginate_table`` splits a table slide too long for its page into several.
``BUILTIN_KINDS`` pairs each with its model for the plugin registry.
"""
from __future__ import annotations

from typing import Callable

from ..hookspecs import SlideKind
from ..models import (BulletsSlide, CardsSlide, ChartSlide, ComparisonSlide, EventReportSlide, FiguresSlide,
                      ImageSlide, Panel, PanelsSlide, RoadmapSlide, SectionSlide, TableSlide)
from ..models.slides import Card
from .blocks import (GAP, band, chart_block, chart_grid, label_band, label_band_height, panel, panel_height,
                     photo_grid, table)
from .context import LEADING, LayoutContext
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
    for c in range(cols):
        chunk = slide.items[c * per:(c + 1) * per]
        rect = Rect(body.x + c * (width + 2 * GAP), body.y, width, body.h)
        items.append(ctx.set_text(ctx.bullets(chunk), rect, name=f"column {c + 1}", source="items"))
    return items


def _card(ctx: LayoutContext, card: Card, rect: Rect, name: str) -> list[Item]:
    size = ctx.theme.base_size - 1
    items: list[Item] = [Box(rect, fill="FFFFFF", stroke=ctx.theme.accent, stroke_width=1.0, radius=6, name=name)]
    inner = rect.inset(8, 6)
    top = inner.y
    if card.tag:
        tag_w = ctx.width(card.tag, size, bold=True) + 14
        tag = Rect(inner.x, top, min(tag_w, inner.w), size * LEADING + 4)
        items += band(ctx, card.tag, tag, name=f"{name} tag", size=size, role="text")
        head = Rect(tag.right + 6, top, inner.right - tag.right - 6, 0)
    else:
        head = Rect(inner.x, top, inner.w, 0)
    head_paras = ctx.paras(card.heading, bold=True)
    head_h = ctx.measure(head_paras, head.w, size + 2)
    items.append(ctx.set_text(head_paras, Rect(head.x, top, head.w, head_h), size=size + 2,
                              color=ctx.theme.accent, name=f"{name} heading", source=f"{name}.heading",
                              role="heading"))
    top += max(head_h, size * LEADING + 4) + 4
    texts = []
    for field in card.fields:
        paras = ctx.paras(f"**{field.label}**" + (f" {field.text}" if field.text else "")) + ctx.bullets(field.items, size)
        texts.append((field, paras, ctx.measure(paras, inner.w, size)))
    with_photos = [f for f, _, _ in texts if f.photos]
    spare = inner.bottom - top - sum(h for _, _, h in texts) - 4 * len(texts)
    photo_h = spare / len(with_photos) if with_photos else 0.0
    for index, (field, paras, height) in enumerate(texts, 1):
        fname = f"{name} field {index}"
        items.append(ctx.set_text(paras, Rect(inner.x, top, inner.w, max(min(height, inner.bottom - top), 0)),
                                  size=size, name=fname, source=f"{fname}.text"))
        top += height + 4
        if field.photos:
            items += photo_grid(ctx, field.photos, Rect(inner.x, top, inner.w, photo_h - 4), fname)
            top += photo_h
    return grouped(items, name)


def layout_cards(slide: CardsSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    cols = min(slide.columns, len(slide.cards))
    rows = -(-len(slide.cards) // cols)
    w = (body.w - GAP * (cols - 1)) / cols
    h = (body.h - GAP * (rows - 1)) / rows
    items: list[Item] = []
    for index, card in enumerate(slide.cards):
        r, c = divmod(index, cols)
        items += _card(ctx, card, Rect(body.x + c * (w + GAP), body.y + r * (h + GAP), w, h), f"card {index + 1}")
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


def layout_table(slide: TableSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    items, area, chart = _table_parts(slide, ctx, body)
    items.append(table(ctx, slide.table, area, "table", alt=slide.caption or slide.title or ""))
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
    arrow_w = 36.0
    total = slide.left.weight + slide.right.weight
    left_w = (body.w - arrow_w - 2 * GAP) * slide.left.weight / total
    right_w = body.w - arrow_w - 2 * GAP - left_w
    left = Rect(body.x, body.y, left_w, body.h)
    right = Rect(left.right + arrow_w + 2 * GAP, body.y, right_w, body.h)
    items = panel(ctx, slide.left, left, "left") + panel(ctx, slide.right, right, "right")
    arrow = Rect(left.right + GAP, body.y + body.h / 2 - arrow_w, arrow_w, 2 * arrow_w)
    items.append(Arrow(arrow, "right", ctx.theme.accent, name="arrow"))
    return items


def layout_figures(slide: FiguresSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    items: list[Item] = []
    top = body.y
    fig_h = 96.0
    if slide.items:
        paras = ctx.bullets(slide.items)
        items.append(ctx.set_text(paras, Rect(body.x, top, body.w, body.h - fig_h - GAP), name="items", source="items"))
        top = items[-1].rect.bottom + GAP * 2  # type: ignore[union-attr]
    count = len(slide.figures)
    w = (body.w - GAP * (count - 1)) / count
    for index, figure in enumerate(slide.figures):
        name = f"figure {index + 1}"
        rect = Rect(body.x + index * (w + GAP), top, w, fig_h)
        card: list[Item] = [Box(rect, fill=ctx.theme.accent_light, radius=6, name=name)]
        card.append(ctx.set_text(ctx.paras(f"{figure.label}：", bold=True), Rect(rect.x + 8, rect.y + 8, rect.w - 16, 20),
                                  name=f"{name} label", source=f"{name}.label"))
        value_size, unit_size = 32.0, 14.0
        value_w = ctx.width(figure.value, value_size, bold=True)
        unit_w = ctx.width(figure.unit or "", unit_size, bold=True)
        left = rect.x + (rect.w - value_w - unit_w - 2) / 2
        base = rect.y + 30
        card.append(ctx.set_text(ctx.paras(figure.value, bold=True), Rect(left, base, value_w + 1, value_size * LEADING),
                                  size=value_size, color=ctx.theme.accent, name=f"{name} value", source=f"{name}.value"))
        if figure.unit:
            shift = (value_size - unit_size) * LEADING * 0.85
            card.append(ctx.set_text(ctx.paras(figure.unit, bold=True),
                                      Rect(left + value_w + 2, base + shift, unit_w + 1, unit_size * LEADING),
                                      size=unit_size, name=f"{name} unit", source=f"{name}.unit"))
        if figure.note:
            card.append(ctx.set_text(figure.note, Rect(rect.x + 6, rect.bottom - 20, rect.w - 12, 18), size=9,
                                      align="center", name=f"{name} note", source=f"{name}.note"))
        items += grouped(card, name)
    return items


def layout_roadmap(slide: RoadmapSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    size = ctx.theme.base_size - 1
    items: list[Item] = []
    top = body.y
    if slide.phase:
        items += band(ctx, slide.phase, Rect(body.x, top, min(body.w, ctx.width(slide.phase, 14, bold=True) + 24),
                                             14 * LEADING + 6), name="phase", size=14)
        top += 14 * LEADING + 6 + GAP
    nsteps = len(slide.steps)
    label_w = body.w * 0.16
    goal_w = body.w * 0.2
    step_w = (body.w - label_w - goal_w - GAP * (nsteps + 1)) / nsteps
    head_h = size * LEADING + 8
    xs = [body.x + label_w + GAP + i * (step_w + GAP) for i in range(nsteps)]
    goal_x = xs[-1] + step_w + GAP
    for i, step in enumerate(slide.steps):
        items += band(ctx, step, Rect(xs[i], top, step_w, head_h), name=f"step {i + 1}", size=size)
    items += band(ctx, slide.goal_heading, Rect(goal_x, top, goal_w, head_h), name="goal heading", size=size,
                  fill="C00000")
    top += head_h + GAP
    row_h = (body.bottom - top - GAP * (len(slide.rows) - 1)) / len(slide.rows)
    goal_start = 0
    for r, row in enumerate(slide.rows):
        y = top + r * (row_h + GAP)
        name = f"row {r + 1}"
        if row.label.strip():
            items += band(ctx, row.label, Rect(body.x, y, label_w, row_h), name=f"{name} label", size=size,
                          fill=ctx.theme.accent_light, color=ctx.theme.accent)
        for i, step in enumerate(row.steps):
            if step:
                cell = Rect(xs[i], y + 4, step_w, row_h - 8)
                items += grouped([
                    Box(cell, fill="FFFFFF", stroke=ctx.theme.accent, radius=4, name=f"{name} step {i + 1}"),
                    ctx.set_text(step, cell.inset(4, 2), size=size, align="center", valign="middle",
                                 name=f"{name} step {i + 1}", source=f"rows[{r}].steps[{i}]")], f"{name} step {i + 1}")
        last = r + 1 == len(slide.rows) or slide.rows[r + 1].goal is not None
        if last:
            goal = slide.rows[goal_start].goal
            if goal:
                rect = Rect(goal_x, top + goal_start * (row_h + GAP) + 4, goal_w, y + row_h - 4 - (top + goal_start * (row_h + GAP) + 4))
                items += grouped([
                    Box(rect, fill="FBE5D6", stroke="C00000", radius=4, name=f"goal {goal_start + 1}"),
                    ctx.set_text(ctx.paras(goal, bold=True), rect.inset(4, 2), size=size, align="center",
                                 valign="middle", name=f"goal {goal_start + 1}", source=f"rows[{goal_start}].goal")],
                    f"goal {goal_start + 1}")
            goal_start = r + 1
    return items


def layout_event_report(slide: EventReportSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    items: list[Item] = []
    top = body.y
    size = ctx.theme.base_size - 1
    if slide.overview:
        ov = Panel(heading="概要", items=slide.overview)
        h = panel_height(ctx, ov, body.w, size)
        items += panel(ctx, ov, Rect(body.x, top, body.w, h), "overview", size=size)
        top += h + GAP
    bottom = body.bottom
    if slide.next_year:
        h = label_band_height(ctx, slide.next_year_label, slide.next_year, body.w)
        items += label_band(ctx, slide.next_year_label, slide.next_year, Rect(body.x, bottom - h, body.w, h),
                            name="next_year")
        bottom -= h + GAP
    cols = len(slide.events)
    w = (body.w - GAP * (cols - 1)) / cols
    for index, event in enumerate(slide.events):
        name = f"event {index + 1}"
        heading = f"▶ {event.name}" + (f"【{event.owner}】" if event.owner else "")
        lines = []
        if event.period:
            lines.append(f"<{event.period_label}> {event.period}")
        if event.place:
            lines.append(f"<場所> {event.place}")
        bullets = ctx.paras("\n".join(lines))
        if event.activities:
            bullets += ctx.paras("<取組>") + ctx.bullets(event.activities, size)
        if event.results:
            bullets += ctx.paras("<成果>") + ctx.bullets(event.results, size)
        rect = Rect(body.x + index * (w + GAP), top, w, bottom - top)
        items += _event(ctx, heading, bullets, event.photos, rect, name, size)
    return items


def _event(ctx: LayoutContext, heading: str, paras: list, photos: list, rect: Rect, name: str,
           size: float) -> list[Item]:
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
    items: list[Item] = []
    bottom = body.bottom
    if slide.footer_panel:
        fp = slide.footer_panel
        if fp.heading and not fp.items and not fp.photos and fp.text:
            h = label_band_height(ctx, fp.heading, fp.text, body.w)
            items += label_band(ctx, fp.heading, fp.text, Rect(body.x, bottom - h, body.w, h), name="footer panel")
        else:
            h = panel_height(ctx, fp, body.w)
            items += panel(ctx, fp, Rect(body.x, bottom - h, body.w, h), "footer panel")
        bottom -= h + GAP
    cols = min(slide.columns, len(slide.panels))
    rows = [slide.panels[i:i + cols] for i in range(0, len(slide.panels), cols)]
    avail = bottom - body.y - GAP * (len(rows) - 1)
    # Rows share the height by what their text needs; rows with pictures take the rest.
    needs = []
    for row in rows:
        widths = _weighted(body.w, [p.weight for p in row])
        needs.append(max(panel_height(ctx, p, w) for p, w in zip(row, widths)))
    flexible = [i for i, row in enumerate(rows) if any(p.photos or p.charts for p in row)]
    spare = avail - sum(needs)
    heights = [n + (spare / len(flexible) if i in flexible else 0) for i, n in enumerate(needs)]
    if not flexible:
        heights = [n + spare / len(rows) for n in needs]
    top = body.y
    for r, row in enumerate(rows):
        x = body.x
        for c, (p, w) in enumerate(zip(row, _weighted(body.w, [p.weight for p in row]))):
            items += panel(ctx, p, Rect(x, top, w, heights[r]), f"panel {r * cols + c + 1}")
            x += w + GAP
        top += heights[r] + GAP
    return items


def _weighted(total: float, weights: list[float]) -> list[float]:
    room = total - GAP * (len(weights) - 1)
    return [room * w / sum(weights) for w in weights]


BUILTIN_KINDS: tuple[SlideKind, ...] = (
    SlideKind("section", SectionSlide, layout_section, "Section title page"),
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

"""Layout of the boxes-in-a-grid kinds: cards, key figures and the roadmap.

Each function takes a validated slide, the ``LayoutContext`` and the body rectangle, and returns
positioned primitives: boxes as high as their text needs, rows sharing one height (pictures take
what they can use), a last row with fewer boxes centred, the room left reported (``ctx.leave``)
so the text may grow (``sizing``). ``kinds.BUILTIN_KINDS`` registers them.
"""
from __future__ import annotations

from ..errors import OverflowError_
from ..models import CardsSlide, FiguresSlide, RoadmapSlide
from ..models.slides import Card, Figure
from .blocks import FIGURE_MIN, GAP, band, centred_row, photo_grid, row_heights
from .context import BASELINE_DESCENT, LayoutContext, half_points
from .pictures import grid_height
from .primitives import Box, Item, Rect, grouped

__all__ = ["layout_cards", "layout_figures", "layout_roadmap", "FIGURE_VALUE"]


def _card_texts(ctx: LayoutContext, card: Card, width: float) -> tuple[float, list[tuple[list, float]]]:
    """A card's heading height (with its tag) and each field's paragraphs and height, at ``width``."""
    head_w = width
    if card.tag:
        head_w -= min(ctx.width(card.tag, ctx.size, bold=True) + 14, width) + 6
    head_h = max(ctx.measure(ctx.paras(card.heading, bold=True), head_w, ctx.heading), ctx.line() + 4)
    texts = []
    for field in card.fields:
        paras = ctx.paras(f"**{field.label}**" + (f" {field.text}" if field.text else "")) + \
            ctx.bullets(field.items, ctx.size)
        texts.append((paras, ctx.measure(paras, width, ctx.size)))
    return head_h, texts


def _card_height(ctx: LayoutContext, card: Card, width: float) -> float:
    """Height a card's text needs (pictures excluded)."""
    head_h, texts = _card_texts(ctx, card, width - 16)
    return 12 + head_h + 4 + sum(h + 4 for _, h in texts) + FIGURE_MIN * sum(1 for f in card.fields if f.photos)


def _card_room(ctx: LayoutContext, card: Card, width: float, height: float) -> float:
    """The most height a card can use when offered ``height``: its text, and its pictures at their
    full width (the fields with pictures share what the text leaves)."""
    need = _card_height(ctx, card, width)
    fields = [f for f in card.fields if f.photos]
    if not fields:
        return need
    text = need - FIGURE_MIN * len(fields)
    share = max((height - text) / len(fields), 1.0)
    return text + sum(grid_height(ctx, f.photos, Rect(0, 0, width - 16, share - 4)) + 4 for f in fields)


def _card(ctx: LayoutContext, card: Card, rect: Rect, name: str) -> list[Item]:
    size = ctx.size
    items: list[Item] = [Box(rect, fill="FFFFFF", stroke=ctx.theme.accent, stroke_width=1.0, radius=6, name=name)]
    inner = rect.inset(8, 6)
    top = inner.y
    head_h, texts = _card_texts(ctx, card, inner.w)
    if card.tag:
        tag_w = ctx.width(card.tag, size, bold=True) + 14
        tag = Rect(inner.x, top, min(tag_w, inner.w), ctx.line(size) + 4)
        items += band(ctx, card.tag, tag, name=f"{name} tag", size=size, role="text")
        head = Rect(tag.right + 6, top, inner.right - tag.right - 6, 0)
    else:
        head = Rect(inner.x, top, inner.w, 0)
    head_paras = ctx.paras(card.heading, bold=True)
    items.append(ctx.set_text(head_paras, Rect(head.x, top, head.w, ctx.measure(head_paras, head.w, ctx.heading)),
                              size=ctx.heading, color=ctx.theme.accent, name=f"{name} heading",
                              source=f"{name}.heading", role="heading"))
    top += head_h + 4
    with_photos = [f for f in card.fields if f.photos]
    spare = inner.bottom - top - sum(h for _, h in texts) - 4 * len(texts)
    photo_h = spare / len(with_photos) if with_photos else 0.0
    for index, (field, (paras, height)) in enumerate(zip(card.fields, texts), 1):
        fname = f"{name} field {index}"
        items.append(ctx.set_text(paras, Rect(inner.x, top, inner.w, max(min(height, inner.bottom - top), 0)),
                                  size=size, name=fname, source=f"{fname}.text"))
        top += height + 4
        if field.photos:
            items += photo_grid(ctx, field.photos, Rect(inner.x, top, inner.w, photo_h - 4), fname)
            top += photo_h
    return grouped(items, name)


def layout_cards(slide: CardsSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Cards in a grid, each row as high as its fullest card (rows with pictures share what is left);
    a last row with fewer cards is centred."""
    cols = ctx.columns(slide.columns, len(slide.cards))
    rows = [slide.cards[i:i + cols] for i in range(0, len(slide.cards), cols)]
    w = (body.w - GAP * (cols - 1)) / cols
    room = body.h - GAP * (len(rows) - 1)
    needs = [max(_card_height(ctx, card, w) for card in row) for row in rows]
    caps = [max(_card_room(ctx, card, w, room - sum(needs) + need) for card in row) for row, need in zip(rows, needs)]
    heights, offset = row_heights(ctx, needs, room, caps=caps)
    items: list[Item] = []
    top = body.y + offset
    for r, row in enumerate(rows):
        for c, (card, x) in enumerate(zip(row, centred_row(body.x, body.w, len(row), cols))):
            items += _card(ctx, card, Rect(x, top, w, heights[r]), f"card {r * cols + c + 1}")
        top += heights[r] + GAP
    return items


FIGURE_VALUE = 32.0 / 12
"""A key figure's value, in body text sizes (32 pt at 12 pt); its unit is a third of that."""


def _figure_heights(ctx: LayoutContext, figure: Figure, width: float) -> tuple[float, float, float]:
    """Heights of a figure card's label, value line and note at ``width``."""
    label = ctx.measure(ctx.paras(f"{figure.label}：", bold=True), width, ctx.size)
    note = ctx.measure(ctx.paras(figure.note), width, ctx.small) if figure.note else 0.0
    return label, ctx.line(ctx.size * FIGURE_VALUE), note


def _figure(ctx: LayoutContext, figure: Figure, rect: Rect, name: str) -> list[Item]:
    inner = rect.inset(8)
    label_h, value_h, note_h = _figure_heights(ctx, figure, inner.w)
    card: list[Item] = [Box(rect, fill=ctx.theme.accent_light, radius=6, name=name),
                        ctx.set_text(ctx.paras(f"{figure.label}：", bold=True), Rect(inner.x, inner.y, inner.w, label_h),
                                     name=f"{name} label", source=f"{name}.label")]
    value_size = ctx.size * FIGURE_VALUE
    unit_size = half_points(value_size * 0.45)
    value_w = ctx.width(figure.value, value_size, bold=True)
    unit_w = ctx.width(figure.unit or "", unit_size, bold=True)
    if value_w + unit_w + 2 > inner.w:
        raise OverflowError_(material=ctx.material, page=ctx.page, box=f"{name} value", source=f"{name}.value",
                             needed=value_w + unit_w + 2, available=inner.w, text=figure.value)
    left = inner.x + (inner.w - value_w - unit_w - 2) / 2
    top = inner.y + label_h + (inner.h - label_h - value_h - note_h) / 2  # the value centred in what is left
    card.append(ctx.set_text(ctx.paras(figure.value, bold=True), Rect(left, top, value_w + 1, value_h),
                             size=value_size, color=ctx.theme.accent, name=f"{name} value", source=f"{name}.value"))
    if figure.unit:  # on the value's baseline
        shift = (value_size - unit_size) * (ctx.leading - BASELINE_DESCENT)  # the same baseline
        card.append(ctx.set_text(ctx.paras(figure.unit, bold=True),
                                 Rect(left + value_w + 2, top + shift, unit_w + 1, ctx.line(unit_size)),
                                 size=unit_size, name=f"{name} unit", source=f"{name}.unit"))
    if figure.note:
        card.append(ctx.set_text(figure.note, Rect(inner.x, inner.bottom - note_h, inner.w, note_h), size=ctx.small,
                                 align="center", name=f"{name} note", source=f"{name}.note", role="caption"))
    return grouped(card, name)


def layout_figures(slide: FiguresSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Bullets, then the key figures as cards: up to four a row, the rows as even as can be (five
    figures: three and two, the two centred), as high as their fullest card."""
    items: list[Item] = []
    top = body.y
    if slide.items:
        paras = ctx.bullets(slide.items)
        block = ctx.set_text(paras, Rect(body.x, top, body.w, min(ctx.measure(paras, body.w), body.h)),
                             name="items", source="items")
        items.append(block)
        top = block.rect.bottom + GAP * 2
    count = len(slide.figures)
    rows = -(-count // 4)
    cols = -(-count // rows)
    w = (body.w - GAP * (cols - 1)) / cols
    grid = [slide.figures[i:i + cols] for i in range(0, count, cols)]
    needs = [max(sum(_figure_heights(ctx, f, w - 16)) + 16 + GAP for f in row) for row in grid]
    heights, offset = row_heights(ctx, needs, body.bottom - top - GAP * (rows - 1))
    top += offset
    for r, row in enumerate(grid):
        for c, (figure, x) in enumerate(zip(row, centred_row(body.x, body.w, len(row), cols))):
            items += _figure(ctx, figure, Rect(x, top, w, heights[r]), f"figure {r * cols + c + 1}")
        top += heights[r] + GAP
    return items


def _roadmap_columns(slide: RoadmapSlide, ctx: LayoutContext, body: Rect) -> tuple[float, list[float], list[float], float]:
    """Widths: the row labels' column (none when every label is blank), each step's left edge and
    width (a step no row uses shrinks to its heading), the goal column's left edge and width (it
    takes what empty steps gave up)."""
    size = ctx.size
    labels = [row.label for row in slide.rows if row.label.strip()]
    # as wide as the longest label on one line, from 16 % up to 22 % of the page
    label_w = max(body.w * 0.16, min(max(ctx.width(label, size, bold=True) + 12 for label in labels),
                                     body.w * 0.22)) if labels else 0.0
    used = [any(row.steps[i] for row in slide.rows) for i in range(len(slide.steps))]
    narrow = [ctx.width(step, size, bold=True) + 16 for step in slide.steps]
    room = body.w - label_w - GAP * (len(slide.steps) + (1 if label_w else 0))
    goal_w = body.w * 0.2 if any(used) else room - sum(narrow)
    share = (room - goal_w - sum(n for n, u in zip(narrow, used) if not u)) / max(sum(used), 1)
    widths = [share if u else n for n, u in zip(narrow, used)]
    x = body.x + label_w + (GAP if label_w else 0.0)
    xs = []
    for w in widths:
        xs.append(x)
        x += w + GAP
    return label_w, xs, widths, x


def _roadmap_rows(slide: RoadmapSlide, ctx: LayoutContext, label_w: float, widths: list[float],
                  goal_w: float) -> list[float]:
    """Height each row's text needs; a goal joined over several rows may add to the last of them."""
    size = ctx.size

    def need(text: str | None, width: float, bold: bool = False) -> float:
        return ctx.measure(ctx.paras(text, bold=bold), width - 12, size) + 12 if text and text.strip() else 0.0

    needs = [max(ctx.line(size) + 12, need(row.label, label_w, True) if label_w else 0.0,
                 *(need(step, w) for step, w in zip(row.steps, widths))) for row in slide.rows]
    start = 0
    for r, row in enumerate(slide.rows):
        if r + 1 == len(slide.rows) or slide.rows[r + 1].goal is not None:
            goal = need(slide.rows[start].goal, goal_w, True)
            have = sum(needs[start:r + 1]) + GAP * (r - start)
            needs[r] += max(goal - have, 0.0)
            start = r + 1
    return needs


def layout_roadmap(slide: RoadmapSlide, ctx: LayoutContext, body: Rect) -> list[Item]:
    """Rows × steps → goal, each row as high as its text needs."""
    size = ctx.size
    items: list[Item] = []
    top = body.y
    if slide.phase:
        phase_h = ctx.line(ctx.heading) + 6
        items += band(ctx, slide.phase, Rect(body.x, top, min(body.w, ctx.width(slide.phase, ctx.heading, bold=True) + 24),
                                             phase_h), name="phase", size=ctx.heading)
        top += phase_h + GAP
    label_w, xs, widths, goal_x = _roadmap_columns(slide, ctx, body)
    goal_w = body.right - goal_x
    head_h = max(ctx.measure(ctx.paras(step, bold=True), w - 12, size) for step, w in
                 [*zip(slide.steps, widths), (slide.goal_heading, goal_w)]) + 8
    for i, step in enumerate(slide.steps):
        items += band(ctx, step, Rect(xs[i], top, widths[i], head_h), name=f"step {i + 1}", size=size)
    items += band(ctx, slide.goal_heading, Rect(goal_x, top, goal_w, head_h), name="goal heading", size=size,
                  fill="C00000")
    top += head_h + GAP
    heights, _ = row_heights(ctx, _roadmap_rows(slide, ctx, label_w, widths, goal_w),
                             body.bottom - top - GAP * (len(slide.rows) - 1), stretch=True)
    ys = [top + sum(heights[:r]) + GAP * r for r in range(len(slide.rows))]
    goal_start = 0
    for r, row in enumerate(slide.rows):
        y, row_h = ys[r], heights[r]
        name = f"row {r + 1}"
        if label_w and row.label.strip():
            items += band(ctx, row.label, Rect(body.x, y, label_w, row_h), name=f"{name} label", size=size,
                          fill=ctx.theme.accent_light, color=ctx.theme.accent)
        for i, entry in enumerate(row.steps):
            if entry:
                cell = Rect(xs[i], y + 4, widths[i], row_h - 8)
                items += grouped([
                    Box(cell, fill="FFFFFF", stroke=ctx.theme.accent, radius=4, name=f"{name} step {i + 1}"),
                    ctx.set_text(entry, cell.inset(4, 2), size=size, align="center", valign="middle",
                                 name=f"{name} step {i + 1}", source=f"rows[{r}].steps[{i}]")], f"{name} step {i + 1}")
        if r + 1 == len(slide.rows) or slide.rows[r + 1].goal is not None:
            goal = slide.rows[goal_start].goal
            if goal:
                rect = Rect(goal_x, ys[goal_start] + 4, goal_w, y + row_h - 8 - ys[goal_start])
                items += grouped([
                    Box(rect, fill="FBE5D6", stroke="C00000", radius=4, name=f"goal {goal_start + 1}"),
                    ctx.set_text(ctx.paras(goal, bold=True), rect.inset(4, 2), size=size, align="center",
                                 valign="middle", name=f"goal {goal_start + 1}", source=f"rows[{goal_start}].goal")],
                    f"goal {goal_start + 1}")
            goal_start = r + 1
    return items

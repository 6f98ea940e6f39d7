"""The page frame of a material page built on the secretariat's PowerPoint template.

Input: a slide's common fields (header, title, subtitle, notes), its kind, the material's label, the page
number, the meeting title and the meeting's ``Loaded`` template (``council_materials.template``).
Output: a ``frame.Frame``: first the template's artwork for the page's layout (its background, the
master's artwork unless the layout hides it, the layout's own), as items of role ``artwork`` (the
PDF draws them as artifacts; the PPTX has them on its master and layouts already); then the
「資料N」 stamp and the running header, which a template cannot express, in the strip above the
title, the stamp's right edge and the header's left edge on the master title's text edges; the
title in the layout's title placeholder (its place, insets and anchor; the template's size, colour,
weight and alignment, the size stepping down by half points to ``TITLE_MIN`` until the title fits) —
on a page without a title, its running header, there and so, instead of in the strip;
the footer (the meeting's name) and the page number in the template's footer and slide-number
placeholders, in their size (never under ``SMALL_SIZE``), colour and alignment. The body is the
layout's body placeholder's box (on a page whose kind ``draws_title``: its title and text
placeholders' together) below the title and above the footers, less the subtitle and the notes; the boxes in it have their own
padding, as the placeholder's text has its insets. ``Frame.layout`` names the template's
layout, which the PPTX slide uses. Every position is decided here; renderers decide nothing.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from ..cache import write_atomically
from ..errors import LayoutError
from ..incremental import picture_cache_dir
from ..hookspecs import SlideKind
from ..models import SlideBase
from ..template import Loaded, layout_for
from ..template.artwork import ArtBox, ArtLine, ArtPicture, Art
from ..template.reading import Placeholder, TemplateLayout
from .context import LEADING, SMALL_SIZE, LayoutContext, ParaSpec
from .frame import Frame
from .primitives import Align, Box, Item, Picture, Rect, Role, Rule, TextBlock

__all__ = ["template_frame", "TITLE_MIN"]

TITLE_MIN = 14.0
"""The smallest size a title steps down to in a template's title placeholder before it is an overflow."""
STAMP_SIZE = 12.0
HEADER_SIZE = SMALL_SIZE
SUBTITLE_SIZE = 12.0
NOTE_SIZE = SMALL_SIZE
TOP = 14.0  # the stamp's top, from the page's top edge (as the theme's own frame)
_WRITTEN: dict[str, Path] = {}


def _picture_file(ctx: LayoutContext, art: ArtPicture) -> Path:
    """The picture's file in the picture cache, named by its content (written once)."""
    digest = hashlib.sha256(art.data).hexdigest()
    folder = ctx.cache_dir or picture_cache_dir()
    target = folder / f"template-{digest[:40]}{art.suffix}"
    known = _WRITTEN.get(str(target))
    if known is not None and known.is_file() and known.stat().st_size == len(art.data):
        return known
    try:
        if not (target.is_file() and target.read_bytes() == art.data):
            write_atomically(target, art.data)
    except OSError as exc:
        raise LayoutError(f"the template's picture {art.name!r} ({art.part}) cannot be kept in {folder}: "
                          f"{exc.strerror}") from None
    _WRITTEN[str(target)] = target
    return target


def _artwork(ctx: LayoutContext, arts: tuple[Art, ...]) -> list[Item]:
    items: list[Item] = []
    for art in arts:
        if isinstance(art, ArtBox):
            items.append(Box(art.rect, fill=art.fill, stroke=art.stroke, stroke_width=art.stroke_width,
                             radius=art.radius, name=art.name, role="artwork"))
        elif isinstance(art, ArtLine):
            items.append(Rule(art.x1, art.y1, art.x2, art.y2, color=art.color, width=art.width, role="artwork"))
        elif isinstance(art, ArtPicture):
            items.append(Picture(_picture_file(ctx, art), art.rect, name=art.name, crop=art.crop, role="artwork"))
        else:
            paras = [ParaSpec(runs) for runs, _ in art.paragraphs if runs] or [ParaSpec((("", False),))]
            align = art.paragraphs[0][1] if art.paragraphs else "left"
            items.append(ctx.set_text(paras, art.rect, size=art.size, color=art.color, align=align,
                                      valign=art.anchor, name=f"template text {art.name!r}", role="artwork"))
    return items


def _background(loaded: Loaded, layout: TemplateLayout, width: float, height: float) -> list[Item]:
    colour = layout.background if layout.background_given else loaded.template.background
    if colour is None or colour.upper() == "FFFFFF":
        return []
    return [Box(Rect(0, 0, width, height), fill=colour, name="background", role="artwork")]


def _placeholder(layout: TemplateLayout, loaded: Loaded, *types: str) -> Placeholder | None:
    """The layout's placeholder of one of ``types``, else the master's."""
    found = layout.placeholder(*types)
    if found is not None:
        return found
    return next((p for kind in types for p in loaded.template.placeholders if p.type == kind), None)


def _fitted_size(ctx: LayoutContext, paras: list[ParaSpec], area: Rect, size: float) -> float:
    """The largest size from ``size`` down to ``TITLE_MIN``, in half points, at which ``paras`` fit ``area``."""
    while size > TITLE_MIN and ctx.measure(paras, area.w, size) > area.h + 0.01:
        size = max(TITLE_MIN, size - 0.5)
    return size


def _field_text(ctx: LayoutContext, text: str, placeholder: Placeholder | None, fallback: Rect, *, name: str,
                role: Role, align: Align, color: str) -> TextBlock:
    """Footer or page number text in its placeholder's box (widened to the free side when the text is
    wider), at the placeholder's size (at least ``SMALL_SIZE``), colour, alignment and anchor."""
    if placeholder is None:
        rect, size, valign = fallback, SMALL_SIZE, "top"
    else:
        style = placeholder.style
        rect, size = placeholder.text_rect, max(style.size or SMALL_SIZE, SMALL_SIZE)
        align, color = style.align or align, style.color or color
        valign = placeholder.anchor
    need = ctx.width(text, size) + 1
    height = max(rect.h, size * LEADING)
    if need > rect.w:
        if align == "right":
            rect = Rect(rect.right - need, rect.y, need, height)
        elif align == "center":
            rect = Rect(rect.x - (need - rect.w) / 2, rect.y, need, height)
        else:
            rect = Rect(rect.x, rect.y, need, height)
    else:
        rect = Rect(rect.x, rect.y, rect.w, height)
    return ctx.set_text(text, rect, size=size, color=color, align=align, valign=valign, name=name, role=role)


def _heading(ctx: LayoutContext, slide: SlideBase, title: Placeholder, strip: float) -> tuple[list[Item], float]:
    """The page's title (or, without one, its running header) in the layout's title placeholder ``title``,
    below the strip of the stamp; and where what follows it may start."""
    area = title.text_rect
    if area.y < strip:
        area = Rect(area.x, strip, area.w, max(area.bottom - strip, 0.0))
    role: Role
    if slide.title:
        role, text = "title", slide.title
    elif slide.header:
        role, text = "header", slide.header
    else:
        return [], max(strip, area.y)
    style = title.style
    paras = ctx.paras(text, bold=bool(style.bold))
    size = _fitted_size(ctx, paras, area, style.size or 18.0)
    block = ctx.set_text(paras, area, size=size, color=style.color or ctx.theme.accent, align=style.align or "left",
                         valign=title.anchor, name=role, source=role, role=role)
    return [block], area.bottom + 4


def _body(loaded: Loaded, layout: TemplateLayout, title: Placeholder, own_title: bool, top: float, edge: Rect,
          height: float) -> Rect:
    """The body: the layout's body placeholder's box below ``top`` (when the kind draws its own title: its
    title placeholder's (``title``) and text placeholder's together), above the footer and slide-number
    placeholders."""
    if own_title:
        extra = layout.placeholder("body", "obj", "subTitle")
        rects = [title.rect] + ([extra.rect] if extra is not None else [])
        x0, y0 = min(r.x for r in rects), max(min(r.y for r in rects), top)
        body = Rect(x0, y0, max(r.right for r in rects) - x0, max(r.bottom for r in rects) - y0)
    else:
        found = _placeholder(layout, loaded, "obj", "body")
        base = found.rect if found is not None else Rect(edge.x, top, edge.w, height - top - 40)
        y0 = max(base.y, top)
        body = Rect(base.x, y0, base.w, max(base.bottom - y0, 0.0))
    below = [p.rect.y for p in (_placeholder(layout, loaded, "ftr"), _placeholder(layout, loaded, "sldNum"))
             if p is not None and p.rect.y > body.y + body.h / 2]
    if below and min(below) - 4 < body.bottom:
        body = Rect(body.x, body.y, body.w, max(min(below) - 4 - body.y, 0.0))
    return body


def template_frame(ctx: LayoutContext, slide: SlideBase, loaded: Loaded, *, kind: SlideKind, label: str, page: int,
                   pages: int, meeting_title: str, width: float, height: float) -> Frame:
    """The frame of one material page (``slide``, of ``kind``) on ``loaded``'s template (see the module's
    docstring)."""
    template = loaded.template
    layout = layout_for(template, kind, ctx.theme.layouts)
    title = layout.title if layout is not None else None
    if layout is None or title is None:
        raise LayoutError(f"{ctx.where('frame')}: the template {loaded.relative} has no layout with a title "
                          f"placeholder for a {slide.kind!r} slide")
    items: list[Item] = _background(loaded, layout, width, height)
    items += _artwork(ctx, (template.artwork if layout.show_master else ()) + layout.artwork)
    master_title = next((p for p in template.placeholders if p.type in ("title", "ctrTitle")), title)
    edge = master_title.text_rect
    stamp_w = ctx.width(label, STAMP_SIZE, bold=True) + 16
    stamp_h = STAMP_SIZE * LEADING + 6
    stamp = Rect(min(edge.right, width - 8) - stamp_w, TOP, stamp_w, stamp_h)
    items.append(Box(stamp, fill="FFFFFF", stroke="000000", stroke_width=1.0, name="stamp", role="stamp",
                     group="stamp"))
    items.append(ctx.set_text(ctx.paras(label, bold=True), stamp.inset(8, 3), size=STAMP_SIZE, align="center",
                              name="stamp", role="stamp", group="stamp"))
    own_title = kind.draws_title  # the kind sets its own title, in the body
    if slide.header and (slide.title or own_title):
        left = max(edge.x, 8.0)
        items.append(ctx.set_text(slide.header, Rect(left, TOP, stamp.x - 12 - left, stamp_h), size=HEADER_SIZE,
                                  color="404040", valign="middle", name="header", source="header", role="header"))
    strip = stamp.bottom + 4
    heading, top = ([], strip) if own_title else _heading(ctx, slide, title, strip)
    items += heading
    body = _body(loaded, layout, title, own_title, top, edge, height)
    if slide.subtitle and not own_title:
        block = ctx.set_text(ctx.paras(slide.subtitle, bold=True), Rect(body.x, body.y, body.w, 2 * SUBTITLE_SIZE
                                                                          * LEADING),
                             size=SUBTITLE_SIZE, name="subtitle", source="subtitle", role="subtitle")
        items.append(block)
        body = Rect(body.x, block.rect.bottom + 4, body.w, max(body.bottom - block.rect.bottom - 4, 0.0))
    line = SMALL_SIZE * LEADING
    low = height - 8 - line
    items.append(_field_text(ctx, meeting_title, _placeholder(layout, loaded, "ftr"), Rect(edge.x, low, edge.w / 2,
                                                                                           line),
                             name="footer", role="footer", align="left", color="595959"))
    number = _field_text(ctx, f"{label}  {page} / {pages}", _placeholder(layout, loaded, "sldNum"),
                         Rect(edge.x + edge.w / 2, low, edge.w / 2, line), name="page number", role="page_number",
                         align="right", color="595959")
    start = len(f"{label}  ")
    items.append(replace(number, fields=((start, start + len(str(page)), "page"),)))
    after: list[Item] = []
    if slide.notes:
        paras = ctx.paras("\n".join(slide.notes))
        need = ctx.measure(paras, body.w, NOTE_SIZE)
        note_rect = Rect(body.x, body.bottom - need, body.w, need)
        after.append(ctx.set_text(paras, note_rect, size=NOTE_SIZE, color="404040", name="notes", source="notes",
                                  role="note"))
        body = Rect(body.x, body.y, body.w, max(note_rect.y - 4 - body.y, 0.0))
    return Frame(items, body, after, layout.name)

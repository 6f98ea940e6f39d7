"""The page frame around every material page, and page sizes.

Input: a slide's common fields (header, title, subtitle, notes), its kind (a kind
that ``draws_title`` gets no title, subtitle or title rule from the frame), the
material's label (資料N), the page number and the meeting title. Output: the
frame's items (running header, title with rule, 「資料N」 stamp top right,
footer with the meeting name and page number), the body rectangle left for the
slide kind's layout function, and the notes, to be drawn (and read) after the body. A draft page with a placeholder
gets the 「ドラフト」 mark (``draft_mark``) beside the stamp, where no text is;
the frame itself is the same in draft and final builds. A page built on the secretariat's
PowerPoint template (``theme.template``) gets its frame from ``template_frame`` instead, at the
template's page size (``page_size``).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Sequence

from ..hookspecs import SlideKind
from ..models import SlideBase, Theme
from .context import LEADING, SMALL_SIZE, LayoutContext
from .primitives import Box, Item, Rect, Rule, TextBlock

if TYPE_CHECKING:
    from ..template import Loaded

__all__ = ["PAGE_SIZES", "A4_PORTRAIT", "Frame", "frame_page", "draft_mark", "page_size", "MARGIN", "DRAFT"]

PAGE_SIZES: dict[str, tuple[float, float]] = {
    "a4-landscape": (841.89, 595.28),
    "16:9": (960.0, 540.0),
}
A4_PORTRAIT = (595.28, 841.89)
MARGIN = 28.0
HEADER_SIZE = SMALL_SIZE
TITLE_SIZE = 18.0
SUBTITLE_SIZE = 12.0
NOTE_SIZE = SMALL_SIZE
FOOTER_SIZE = SMALL_SIZE
STAMP_SIZE = 12.0
DRAFT = "ドラフト"
DRAFT_COLOR = "C00000"


@dataclass(frozen=True)
class Frame:
    items: list[Item]
    body: Rect
    after: list[Item]  # drawn after the body, as they are read: the page's notes at its foot
    layout: str = ""  # on a template: the name of its layout the page uses


def page_size(theme: Theme, template: "Loaded | None" = None) -> tuple[float, float]:
    """The size of a material's pages: the template's, else the theme's ``page``."""
    return template.template.size if template is not None else PAGE_SIZES[theme.page]


def _inks(items: Sequence[Item]) -> list[Rect]:
    """Where the lines of the page's text blocks are drawn."""
    out = []
    for block in items:
        if isinstance(block, TextBlock):
            for line in block.lines:
                out.append(Rect(line.x, line.baseline - block.size, line.width, 1.2 * block.size))
    return out


def draft_mark(ctx: LayoutContext, items: Sequence[Item]) -> list[Item]:
    """The red 「ドラフト」 mark (this page is not final: a picture is a placeholder): left of the
    stamp, or under it when the header's text reaches the stamp."""
    stamp = next(item.rect for item in items if isinstance(item, Box) and item.role == "stamp")
    width = ctx.width(DRAFT, STAMP_SIZE, bold=True) + 16
    spots = [Rect(stamp.x - 8 - width, stamp.y, width, stamp.h),
             Rect(stamp.right - width, stamp.bottom + 4, width, stamp.h)]
    inks = _inks(items)

    def free(spot: Rect) -> bool:
        return not any(min(spot.right, i.right) > max(spot.x, i.x) and min(spot.bottom, i.bottom) > max(spot.y, i.y)
                       for i in inks)
    rect = next((spot for spot in spots if free(spot)), spots[0])
    return [Box(rect, fill="FFFFFF", stroke=DRAFT_COLOR, stroke_width=1.5, name="draft", role="draft", group="draft"),
            ctx.set_text(ctx.paras(DRAFT, bold=True), rect.inset(8, 3), size=STAMP_SIZE, color=DRAFT_COLOR,
                         align="center", name="draft", role="draft", group="draft")]


def frame_page(ctx: LayoutContext, slide: SlideBase, *, kind: SlideKind, label: str, page: int, pages: int,
               meeting_title: str, width: float, height: float, template: "Loaded | None" = None) -> Frame:
    """Draw the frame of one material page (``slide``, of ``kind``) and return what is left for the body."""
    if template is not None:
        from .template_frame import template_frame
        return template_frame(ctx, slide, template, kind=kind, label=label, page=page, pages=pages,
                              meeting_title=meeting_title, width=width, height=height)
    theme = ctx.theme
    items: list[Item] = []
    stamp_text = label
    stamp_w = ctx.width(stamp_text, STAMP_SIZE, bold=True) + 16
    stamp_h = STAMP_SIZE * LEADING + 6
    stamp = Rect(width - MARGIN - stamp_w, MARGIN - 14, stamp_w, stamp_h)
    items.append(Box(stamp, fill="FFFFFF", stroke="000000", stroke_width=1.0, name="stamp", role="stamp",
                     group="stamp"))
    items.append(ctx.set_text(ctx.paras(stamp_text, bold=True), stamp.inset(8, 3), size=STAMP_SIZE,
                              align="center", name="stamp", role="stamp", group="stamp"))
    left, right = MARGIN, width - MARGIN
    top = MARGIN - 14
    if slide.header:
        hdr = Rect(left, top, stamp.x - 12 - left, stamp_h)
        items.append(ctx.set_text(slide.header, hdr, size=HEADER_SIZE, color="404040", valign="middle",
                                  name="header", source="header", role="header"))
    top = stamp.bottom + 6
    if slide.title and not kind.draws_title:
        block = ctx.set_text(ctx.paras(slide.title, bold=True), Rect(left, top, right - left, 3 * TITLE_SIZE * LEADING),
                             size=TITLE_SIZE, color=theme.accent, name="title", source="title", role="title")
        items.append(block)
        top = block.rect.bottom + 3
        items.append(Rule(left, top, right, top, color=theme.accent, width=1.5, role="title_rule"))
        top += 6
    if slide.subtitle and not kind.draws_title:
        block = ctx.set_text(ctx.paras(slide.subtitle, bold=True), Rect(left, top, right - left, 2 * SUBTITLE_SIZE * LEADING),
                             size=SUBTITLE_SIZE, name="subtitle", source="subtitle", role="subtitle")
        items.append(block)
        top = block.rect.bottom + 4
    footer_top = height - MARGIN + 4
    items.append(Rule(left, footer_top - 4, right, footer_top - 4, color="A6A6A6", width=0.5, role="footer_rule"))
    half = (right - left) / 2
    items.append(ctx.set_text(meeting_title, Rect(left, footer_top, half, FOOTER_SIZE * LEADING),
                              size=FOOTER_SIZE, color="595959", name="footer", role="footer"))
    number = ctx.set_text(f"{label}  {page} / {pages}", Rect(left + half, footer_top, half, FOOTER_SIZE * LEADING),
                          size=FOOTER_SIZE, color="595959", align="right", name="page number", role="page_number")
    start = len(f"{label}  ")
    items.append(replace(number, fields=((start, start + len(str(page)), "page"),)))
    bottom = footer_top - 10
    after: list[Item] = []
    if slide.notes:
        paras = ctx.paras("\n".join(slide.notes))
        need = ctx.measure(paras, right - left, NOTE_SIZE)
        note_rect = Rect(left, bottom - need, right - left, need)
        after.append(ctx.set_text(paras, note_rect, size=NOTE_SIZE, color="404040", name="notes", source="notes",
                                  role="note"))
        bottom = note_rect.y - 4
    return Frame(items, Rect(left, top + 4, right - left, bottom - top - 4), after)

"""Lay out a whole bundle: the cover sheet and each numbered material.

Input: a ``Bundle``, the ``Registry`` (slide kinds), fonts and the meeting
folder. Output: one ``Document`` per output file (cover, each material) with
positioned pages, and a combined document with a bookmark per material.

A material's slides are paginated first (a kind's ``paginate`` may turn one
slide into several, e.g. a long table), so that 「p / n」 counts every page;
then each page gets its frame and its body, laid out at the body text size
that uses the page (``sizing.grown``). In a draft build (``draft=True``)
a bad picture becomes a placeholder instead of an error: the page gets the
「ドラフト」 mark and ``LaidOut.placeholders`` lists what was replaced. Given an
``overflows`` list (the preview), text that does not fit is set anyway and
noted there (``context.Overflow``) instead of stopping the part. Given
``reads``, every file the layout opens is recorded there with its stamp; given
``choices`` (``incremental.SizeChoices``), a slide's text size chosen before is
tried first and every choice made is handed back to it. The layout keeps
nothing between builds itself.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, get_args

from ..errors import PLUGIN_FAILURES, CouncilError, LayoutError, PluginError, Problem, raised
from ..incremental import Reads
from ..models import Meeting, SlideBase
from ..numbering import Bundle, NumberedMaterial
from ..plugins import Registry
from ..template import Loaded, load as load_template, themed
from ..typography.fonts import FontPair
from ..typography.linebreak import LineBreaker
from .context import LayoutContext, Overflow
from .cover import layout_cover
from .frame import Frame, draft_mark, frame_page, page_size
from .pictures import embedded
from .primitives import DeckTemplate, Document, Item, Page, Palette, Rect
from .sizing import Choices, choice_of, sized

__all__ = ["LaidOut", "layout_bundle", "layout_material", "layout_part", "combined_document", "document_date",
           "COVER_BOOKMARK"]


@dataclass(frozen=True)
class LaidOut:
    cover: Document
    materials: tuple[tuple[NumberedMaterial, Document], ...]
    combined: Document
    placeholders: tuple[Problem, ...] = ()  # draft builds: the pictures shown as placeholders, and why


def _plugin_call(registry: Registry, material: NumberedMaterial, slide: SlideBase, number: int, what: str,
                 call: Callable[[], Any]) -> Any:
    """Run a kind's function; anything but our own errors (``sys.exit`` included) is the plugin's failure,
    named."""
    try:
        return call()
    except CouncilError:
        raise
    except PLUGIN_FAILURES as exc:
        owner = registry.owners.get(f"kind:{slide.kind}", "?")
        raise PluginError.of(owner, exc, registry.slide_kinds[slide.kind].layout, material.label,
                             f"{what} a {slide.kind!r} slide (page {number})") from exc


_ITEMS = get_args(Item)  # the primitives a page may hold


def _page_items(body: Any, registry: Registry, material: NumberedMaterial, slide: SlideBase, number: int) -> tuple:
    """A layout function's result, checked to be page items: anything else is its plugin's error, named
    here rather than when a renderer meets it."""
    if isinstance(body, (list, tuple)):
        wrong = [item for item in body if not isinstance(item, _ITEMS)]
        if not wrong:
            return tuple(body)
        found = f"a list holding {type(wrong[0]).__name__}"
    else:
        found = type(body).__name__
    raise PluginError(registry.owners.get(f"kind:{slide.kind}", "?"),
                      f"laying out a {slide.kind!r} slide (page {number}) returned {found}, not a list of page "
                      f"items ({', '.join(t.__name__ for t in _ITEMS)})", material=material.label)


def layout_material(material: NumberedMaterial, *, bundle: Bundle, registry: Registry, fonts: FontPair,
                    breaker: LineBreaker, meeting_dir: Path, draft: bool = False, cache_dir: Path | None = None,
                    placeholders: list[Problem] | None = None, overflows: list[Overflow] | None = None,
                    reads: Reads | None = None, choices: Choices | None = None) -> list[Page]:
    """The material's pages; in a draft build the placeholders made are appended to ``placeholders``; given
    ``overflows``, text that does not fit is noted there instead of raised; the files read are recorded in
    ``reads``; ``choices`` remembers the text size chosen for each slide."""
    meeting = bundle.meeting
    reads = Reads() if reads is None else reads
    frame_reads = reads.child()  # what every page's frame reads: the template, if any
    template = load_template(meeting.theme, meeting_dir, frame_reads)
    reads.add(frame_reads)
    width, height = page_size(meeting.theme, template)
    theme = themed(meeting.theme, template).model_copy(deep=True)  # what a layout changes reaches no other material

    def context(number: int, slide_reads: Reads, size: float | None = None, shrink: bool = True,
                leading: float | None = None, fewer: int = 0) -> LayoutContext:
        # Overflows are noted (the preview) only where a slide is laid out as it is; a larger size or
        # fewer columns tried for it must raise, or a try that does not fit would be taken.
        noted = overflows if shrink and not fewer else None
        return LayoutContext(theme=theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                             material=f"{material.label} ({material.id})", page=number, draft=draft,
                             cache_dir=cache_dir, overflows=noted, size=size, shrink=shrink, leading=leading,
                             fewer=fewer, place_files=False, reads=slide_reads)

    def frame(ctx: LayoutContext, slide: SlideBase, number: int, total: int) -> Frame:
        return frame_page(ctx, slide, kind=registry.slide_kinds[slide.kind], label=material.label, page=number,
                          pages=total, meeting_title=meeting.title, width=width, height=height, template=template)

    slides: list[SlideBase] = []
    for slide in material.slides:
        kind = registry.slide_kinds[slide.kind]
        paginate = kind.paginate
        if paginate is None:
            slides.append(slide)
            continue
        ctx = context(len(slides) + 1, reads)

        def body_of(s: SlideBase, ctx: LayoutContext = ctx) -> Rect:
            return frame(ctx, s, ctx.page, ctx.page).body
        parts = _plugin_call(registry, material, slide, ctx.page, "paginating",
                             lambda: list(paginate(slide, ctx, body_of)))
        if not parts or not all(isinstance(p, kind.model) for p in parts):
            raise PluginError(registry.owners.get(f"kind:{slide.kind}", "?"),
                              f"paginating a {slide.kind!r} slide (page {ctx.page}) must return a non-empty list "
                              f"of {kind.model.__name__}", material=material.label)
        slides.extend(parts)
    pages: list[Page] = []
    for number, slide in enumerate(slides, 1):
        slide_reads = reads.child()  # what this slide reads: its size choice holds while those are unchanged
        slide_reads.add(frame_reads)
        ctx = context(number, slide_reads)
        framed = frame(ctx, slide, number, len(slides))
        kind = registry.slide_kinds[slide.kind]
        chosen = choices.get(slide, framed.body) if choices is not None else None
        body, ctx = _plugin_call(registry, material, slide, number, "laying out",
                                 lambda: sized(lambda c, rect: _page_items(kind.layout(slide, c, rect), registry,
                                                                           material, slide, number),
                                               lambda *args: context(number, slide_reads, *args), framed.body,
                                               chosen))
        items = tuple(framed.items) + tuple(embedded(ctx, body)) + tuple(framed.after)  # drawing order is reading order
        reads.add(slide_reads)
        if choices is not None:
            choices.keep(slide, framed.body, choice_of(ctx), slide_reads)
        if ctx.placeholders:
            items += tuple(draft_mark(ctx, items))
            if placeholders is not None:
                placeholders.extend(ctx.placeholders)
        pages.append(Page(width, height, items, number=number, material_id=material.id, kind=slide.kind,
                          role=kind.page_role, name=kind.page_name, body=framed.body, layout=framed.layout))
    return pages


def _palette(meeting: Meeting, template: Loaded | None) -> Palette:
    """The theme's colours (the template's where meeting.yaml writes none), as each document carries them."""
    theme = themed(meeting.theme, template)
    return Palette(accent=theme.accent.upper(), accent_light=theme.accent_light.upper(), text=theme.text_color.upper())


MEETING_ZONE = "+09:00"
"""The council meets in Tokyo: its dates and times are Japan Standard Time (no daylight saving)."""


def document_date(meeting: Meeting) -> str:
    """The date stamped into every file, with its offset: ``$SOURCE_DATE_EPOCH`` (UTC) when set, else
    the meeting's start in Tokyo time (``2025-02-20T16:00:00+09:00``).

    Never the clock, so the same inputs give the same bytes; the offset lets each format state the
    moment truly (a PPTX states it in UTC, a PDF with its offset).
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return f"{meeting.date.isoformat()}T{meeting.start:%H:%M:%S}{MEETING_ZONE}"
    try:
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise LayoutError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}") from None
    return when.isoformat()




def layout_part(material: NumberedMaterial | None, *, bundle: Bundle, registry: Registry, fonts: FontPair,
                breaker: LineBreaker, meeting_dir: Path, draft: bool = False, cache_dir: Path | None = None,
                overflows: list[Overflow] | None = None, placeholders: list[Problem] | None = None,
                reads: Reads | None = None, choices: Choices | None = None) -> Document:
    """The document of one output file: the cover sheet (``material`` is ``None``) or one material. In a
    draft build, the pictures shown as placeholders are appended to ``placeholders`` (as they are met, so
    also when a later page fails); given ``overflows``, text that does not fit is set anyway and noted
    there; the files read are recorded in ``reads``; ``choices``: see ``layout_material``."""
    meeting = bundle.meeting
    template = load_template(meeting.theme, meeting_dir, reads)

    def document(title: str, pages: tuple[Page, ...], subject: str, deck: DeckTemplate | None = None) -> Document:
        return Document(title=title, pages=pages, subject=subject, template=deck, fonts=fonts.faces(),
                        author=meeting.council, created=document_date(meeting), palette=_palette(meeting, template))
    if material is None:  # the cover sheet is A4 portrait, a size the template's master is not made for
        ctx = LayoutContext(theme=themed(meeting.theme, template), fonts=fonts, breaker=breaker,
                            meeting_dir=meeting_dir, material="会議次第 (cover)", page=1, overflows=overflows,
                            reads=reads)
        pages = tuple(layout_cover(bundle, ctx))
        return document(f"{meeting.title} 会議次第", pages, "会議次第")
    pages = tuple(layout_material(material, bundle=bundle, registry=registry, fonts=fonts, breaker=breaker,
                                  meeting_dir=meeting_dir, draft=draft, cache_dir=cache_dir, placeholders=placeholders,
                                  overflows=overflows, reads=reads, choices=choices))
    deck = None if template is None else DeckTemplate(template.path, template.digest, tuple(
        (omission.part, omission.shape_id) for omission in template.template.omissions))
    return document(f"{material.label} {material.title}", pages, meeting.title, deck)


def combined_document(bundle: Bundle, fonts: FontPair, parts: list[tuple[str, int]],
                      pages: tuple[Page, ...] = ()) -> Document:
    """The combined PDF's document: its metadata and a bookmark per part (title, page count);
    ``pages`` only when they are wanted (the build joins the parts' files instead)."""
    meeting = bundle.meeting
    marks, first = [], 0
    for title, count in parts:
        marks.append((title, first))
        first += count
    return Document(title=f"{meeting.title} 資料一式", pages=pages, subject=meeting.title, bookmarks=tuple(marks),
                    fonts=fonts.faces(), author=meeting.council, created=document_date(meeting),
                    palette=_palette(meeting, None))


COVER_BOOKMARK = "会議次第・名簿"


def layout_bundle(bundle: Bundle, *, registry: Registry, fonts: FontPair, meeting_dir: Path, draft: bool = False,
                  cache_dir: Path | None = None,
                  choices: Callable[[NumberedMaterial], Choices | None] | None = None) -> LaidOut:
    """Every document of the build, in this process. ``draft``: bad pictures become placeholders on pages
    marked 「ドラフト」 instead of errors. ``cache_dir``: downscaled pictures (default: the user's cache).
    ``choices``: each material's remembered text sizes (``layout_material``)."""
    breaker = LineBreaker(fonts)
    part = partial(layout_part, bundle=bundle, registry=registry, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                   draft=draft, cache_dir=cache_dir)
    cover = part(None)
    docs: list[tuple[NumberedMaterial, Document]] = []
    placeholders: list[Problem] = []
    for material in bundle.built():
        remembered = choices(material) if choices is not None else None
        document = part(material, placeholders=placeholders, choices=remembered)
        if remembered is not None:
            remembered.save()
        docs.append((material, document))
    parts = [(COVER_BOOKMARK, cover)] + [(doc.title, doc) for _, doc in docs]
    combined = combined_document(bundle, fonts, [(title, len(doc.pages)) for title, doc in parts],
                                 tuple(page for _, doc in parts for page in doc.pages))
    return LaidOut(cover, tuple(docs), combined, tuple(placeholders))

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
noted there (``context.Overflow``) instead of stopping the part.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, get_args

from pydantic import BaseModel

from ..assembly import PICTURE_SUFFIXES, Bundle, NumberedMaterial
from ..cache import canonical, file_stamp, read_cached, source_stamp, write_cached
from ..errors import PLUGIN_FAILURES, CouncilError, LayoutError, PluginError, Problem, raised
from ..models import Meeting, SlideBase
from ..plugins import Registry
from ..template import Loaded, load as load_template, template_stamp, themed
from ..typography.fonts import FontPair
from ..typography.linebreak import LineBreaker
from .context import LayoutContext, Overflow
from .cover import layout_cover
from .frame import draft_mark, frame_page, page_size
from .pictures import default_cache_dir, embedded
from .primitives import DeckTemplate, Document, Item, Page, Palette, Rect
from .sizing import sized

__all__ = ["LaidOut", "layout_bundle", "layout_material", "layout_part", "part_key", "combined_document",
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
        raise PluginError(owner, f"{what} a {slide.kind!r} slide (page {number}) {raised(exc)}",
                          material=material.label) from exc


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
                    placeholders: list[Problem] | None = None, overflows: list[Overflow] | None = None) -> list[Page]:
    """The material's pages; in a draft build the placeholders made are appended to ``placeholders``; given
    ``overflows``, text that does not fit is noted there instead of raised."""
    meeting = bundle.meeting
    template = load_template(meeting.theme, meeting_dir)
    width, height = page_size(meeting.theme, template)
    theme = themed(meeting.theme, template).model_copy(deep=True)  # what a layout changes reaches no other material

    sources: dict[Any, Any] = {}  # pictures checked once for the material, however often a slide is laid out

    def context(number: int, size: float | None = None, shrink: bool = True, leading: float | None = None,
                fewer: int = 0) -> LayoutContext:
        # Overflows are noted (the preview) only where a slide is laid out as it is; a larger size or
        # fewer columns tried for it must raise, or a try that does not fit would be taken.
        noted = overflows if shrink and not fewer else None
        return LayoutContext(theme=theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                             material=f"{material.label} ({material.id})", page=number, draft=draft,
                             cache_dir=cache_dir, overflows=noted, size=size, shrink=shrink, leading=leading,
                             fewer=fewer, place_files=False, sources=sources)

    def frame(ctx: LayoutContext, slide: SlideBase, number: int, total: int):  # type: ignore[no-untyped-def]
        return frame_page(ctx, slide, kind=registry.slide_kinds[slide.kind], label=material.label, page=number,
                          pages=total, meeting_title=meeting.title, width=width, height=height, template=template)

    slides: list[SlideBase] = []
    for slide in material.slides:
        kind = registry.slide_kinds[slide.kind]
        if kind.paginate is None:
            slides.append(slide)
            continue
        ctx = context(len(slides) + 1)

        def body_of(s: SlideBase, ctx: LayoutContext = ctx) -> Rect:
            return frame(ctx, s, ctx.page, ctx.page).body
        parts = _plugin_call(registry, material, slide, ctx.page, "paginating",
                             lambda: list(kind.paginate(slide, ctx, body_of)))  # type: ignore[misc]
        if not parts or not all(isinstance(p, kind.model) for p in parts):
            raise PluginError(registry.owners.get(f"kind:{slide.kind}", "?"),
                              f"paginating a {slide.kind!r} slide (page {ctx.page}) must return a non-empty list "
                              f"of {kind.model.__name__}", material=material.label)
        slides.extend(parts)
    pages: list[Page] = []
    known = _size_key_base(meeting, fonts, meeting_dir, draft, registry)
    store = hashlib.sha256(repr((str(meeting_dir), material.id, known)).encode("utf-8", "surrogatepass")).hexdigest()
    kept = read_cached("sizes", store)
    kept = kept if isinstance(kept, dict) else {}
    decisions: dict[str, Any] = {}
    for number, slide in enumerate(slides, 1):
        ctx = context(number)
        framed = frame(ctx, slide, number, len(slides))
        kind = registry.slide_kinds[slide.kind]
        key = _size_key(known, slide, framed.body, meeting_dir)
        if key is not None and key in kept:
            decisions[key] = kept[key]
        body, ctx = _plugin_call(registry, material, slide, number, "laying out",
                                 lambda: sized(lambda c, rect: _page_items(kind.layout(slide, c, rect), registry,
                                                                           material, slide, number),
                                               lambda *args: context(number, *args), framed.body, key, decisions))
        items = tuple(framed.items) + tuple(embedded(ctx, body)) + tuple(framed.after)  # drawing order is reading order
        if ctx.placeholders:
            items += tuple(draft_mark(ctx, items))
            if placeholders is not None:
                placeholders.extend(ctx.placeholders)
        pages.append(Page(width, height, items, number=number, material_id=material.id, kind=slide.kind,
                          role=kind.page_role, name=kind.page_name, body=framed.body, layout=framed.layout))
    if decisions != kept:  # the sizes chosen for this material's slides, for its next layout
        write_cached("sizes", store, decisions)
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




def _size_key_base(meeting: Meeting, fonts: FontPair, meeting_dir: Path, draft: bool, registry: Registry) -> str:
    """What every slide's text size of a material depends on besides the slide: theme, fonts, code."""
    font_files = tuple((str(face.path), face.index, _file_stamp(face.path)) for face in (fonts.regular, fonts.bold))
    return repr((canonical(meeting.theme), font_files, str(meeting_dir), draft, _code_stamp(registry))) \
        + template_stamp(meeting.theme, meeting_dir)


def _size_key(base: str, slide: SlideBase, body: Rect, meeting_dir: Path) -> str | None:
    """The key under which the text size chosen for ``slide`` in ``body`` is kept (``sizing.sized``):
    the slide (its JSON, with its kind's model), its body and its pictures (as files), with ``base``;
    ``None`` for a slide that cannot be written as JSON."""
    try:
        data = slide.model_dump_json()
    except ValueError:
        return None
    pictures = [f"{name}:{_file_stamp(meeting_dir / name)}" for name in _PICTURE_NAME.findall(data)]
    text = repr((base, type(slide).__module__, type(slide).__qualname__, data, (body.x, body.y, body.w, body.h),
                 pictures))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


_PICTURE_NAME = re.compile(r'"((?:[^"\\]|\\.)*\.(?:' + "|".join(s.lstrip(".") for s in PICTURE_SUFFIXES) + r'))"',
                           re.IGNORECASE)
"""A JSON string naming a picture file (as ``_named_pictures`` finds them in a slide tree)."""


def _named_pictures(value: Any, meeting_dir: Path) -> Iterator[str]:
    """Every string in a slide tree that names a picture file, with the file's size and time (or absence)."""
    if isinstance(value, str):
        if value.lower().endswith(PICTURE_SUFFIXES):
            yield f"{value}:{_file_stamp(meeting_dir / value)}"
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _named_pictures(getattr(value, name), meeting_dir)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _named_pictures(item, meeting_dir)


def _file_stamp(path: Path) -> str:
    return file_stamp(path) or "missing"


def _code_stamp(registry: Registry) -> str:
    """The source files of the core and of the packages that define slide kinds or material types:
    upgrading or editing the code that lays out or draws pages invalidates old layouts."""
    modules = {__name__.split(".")[0]}
    for kind in registry.slide_kinds.values():
        modules.update(str(getattr(f, "__module__", "") or "").split(".")[0] for f in (kind.layout, kind.paginate))
    for material_type in registry.material_types.values():
        modules.add(type(material_type).__module__.split(".")[0])
        modules.add(str(getattr(getattr(material_type, "build", None), "__module__", "") or "").split(".")[0])
    return source_stamp(tuple(sorted(m for m in modules if m)))


def part_key(material: NumberedMaterial | None, bundle: Bundle, registry: Registry, fonts: FontPair,
             meeting_dir: Path, draft: bool, cache_dir: Path) -> str | None:
    """A hash of everything the layout of a part reads, ``None`` when it cannot be computed.

    For a material: its slides, label and title, the meeting's title and theme, the fonts (as files),
    the pictures its slides name (as files), the code and the options. For the cover (``material`` is
    ``None``): the meeting, the roster and every entry's number and title, the fonts and the code.
    """
    meeting = bundle.meeting
    if material is None:
        what: Any = ("cover", meeting, bundle.roster,
                     tuple((m.label, m.position, m.entry, m.title) for m in bundle.materials))
    else:  # the slides themselves, or the key of what they were made from (check.py), when known
        what = (material.label, material.id, material.title, material.key or material.slides, meeting.title,
                meeting.theme)
    font_files = tuple((str(face.path), face.index, _file_stamp(face.path)) for face in (fonts.regular, fonts.bold))
    # repr, not pickle: a pickle depends on which equal strings are the same object
    text = repr((canonical(what), font_files, str(meeting_dir), str(cache_dir), draft, _code_stamp(registry),
                 sorted(registry.slide_kinds), document_date(meeting)))
    if " object at 0x" in text:
        return None  # a value without a stable repr: lay the part out every time
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass"))
    digest.update(template_stamp(meeting.theme, meeting_dir).encode("utf-8", "surrogatepass"))
    if material is not None:
        named = (f"{name}:{_file_stamp(meeting_dir / name)}" for name in material.pictures) if material.key \
            else _named_pictures(material.slides, meeting_dir)
        for entry in named:
            digest.update(entry.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def layout_part(material: NumberedMaterial | None, *, bundle: Bundle, registry: Registry, fonts: FontPair,
                breaker: LineBreaker, meeting_dir: Path, draft: bool = False, cache_dir: Path | None = None,
                overflows: list[Overflow] | None = None) -> tuple[Document, tuple[Problem, ...]]:
    """The document of one output file: the cover sheet (``material`` is ``None``) or one material;
    and, in a draft build, the pictures shown as placeholders. Given ``overflows``, text that does not fit
    is set anyway and noted there."""
    meeting = bundle.meeting
    template = load_template(meeting.theme, meeting_dir)
    common = dict(fonts=fonts.faces(), author=meeting.council, created=document_date(meeting),
                  palette=_palette(meeting, template))
    if material is None:  # the cover sheet is A4 portrait, a size the template's master is not made for
        ctx = LayoutContext(theme=themed(meeting.theme, template), fonts=fonts, breaker=breaker,
                            meeting_dir=meeting_dir, material="会議次第 (cover)", page=1, overflows=overflows)
        pages = tuple(layout_cover(bundle, ctx))
        return Document(title=f"{meeting.title} 会議次第", pages=pages, subject="会議次第", **common), ()
    found: list[Problem] = []
    pages = tuple(layout_material(material, bundle=bundle, registry=registry, fonts=fonts, breaker=breaker,
                                  meeting_dir=meeting_dir, draft=draft, cache_dir=cache_dir or default_cache_dir(),
                                  placeholders=found, overflows=overflows))
    deck = None if template is None else DeckTemplate(template.path, template.digest, tuple(
        (omission.part, omission.shape_id) for omission in template.template.omissions))
    return Document(title=f"{material.label} {material.title}", pages=pages, subject=meeting.title,
                    template=deck, **common), tuple(found)


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
                  cache_dir: Path | None = None) -> LaidOut:
    """Every document of the build, in this process. ``draft``: bad pictures become placeholders on pages
    marked 「ドラフト」 instead of errors. ``cache_dir``: downscaled pictures (default: the user's cache)."""
    breaker = LineBreaker(fonts)
    options = dict(bundle=bundle, registry=registry, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                   draft=draft, cache_dir=cache_dir)
    cover, _ = layout_part(None, **options)  # type: ignore[arg-type]
    docs, placeholders = [], []
    for material in bundle.built():
        document, found = layout_part(material, **options)  # type: ignore[arg-type]
        docs.append((material, document))
        placeholders.extend(found)
    parts = [(COVER_BOOKMARK, cover)] + [(doc.title, doc) for _, doc in docs]
    combined = combined_document(bundle, fonts, [(title, len(doc.pages)) for title, doc in parts],
                                 tuple(page for _, doc in parts for page in doc.pages))
    return LaidOut(cover, tuple(docs), combined, tuple(placeholders))

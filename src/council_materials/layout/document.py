"""Lay out a whole bundle: the cover sheet and each numbered material.

Input: a ``Bundle``, the ``Registry`` (slide kinds), fonts and the meeting
folder. Output: one ``Document`` per output file (cover, each material) with
positioned pages, and a combined document with a bookmark per material.

A material's slides are paginated first (a kind's ``paginate`` may turn one
slide into several, e.g. a long table), so that 「p / n」 counts every page;
then each page gets its frame and its body. In a draft build (``draft=True``)
a bad picture becomes a placeholder instead of an error: the page gets the
「ドラフト」 mark and ``LaidOut.placeholders`` lists what was replaced.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel

from ..assembly import Bundle, NumberedMaterial
from ..errors import CouncilError, LayoutError, PluginError, Problem
from ..models import Meeting, SlideBase
from ..plugins import Registry
from ..typography.fonts import FontPair
from ..typography.linebreak import LineBreaker
from .context import LayoutContext
from .cover import layout_cover
from .frame import PAGE_SIZES, draft_mark, frame_page
from .pictures import default_cache_dir
from .primitives import Document, Page, Picture, Rect

__all__ = ["LaidOut", "layout_bundle", "layout_material"]


@dataclass(frozen=True)
class LaidOut:
    cover: Document
    materials: tuple[tuple[NumberedMaterial, Document], ...]
    combined: Document
    placeholders: tuple[Problem, ...] = ()  # draft builds: the pictures shown as placeholders, and why


def _plugin_call(registry: Registry, material: NumberedMaterial, slide: SlideBase, number: int, what: str,
                 call: Callable[[], Any]) -> Any:
    """Run a kind's function; anything but our own errors is the plugin's failure, named."""
    try:
        return call()
    except CouncilError:
        raise
    except Exception as exc:
        owner = registry.owners.get(f"kind:{slide.kind}", "?")
        raise PluginError(owner, f"{what} a {slide.kind!r} slide (page {number}) raised "
                                 f"{type(exc).__name__}: {exc}", material=material.label) from exc


def layout_material(material: NumberedMaterial, *, bundle: Bundle, registry: Registry, fonts: FontPair,
                    breaker: LineBreaker, meeting_dir: Path, draft: bool = False, cache_dir: Path | None = None,
                    placeholders: list[Problem] | None = None) -> list[Page]:
    """The material's pages; in a draft build the placeholders made are appended to ``placeholders``."""
    meeting = bundle.meeting
    width, height = PAGE_SIZES[meeting.theme.page]

    def context(number: int) -> LayoutContext:
        return LayoutContext(theme=meeting.theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                             material=f"{material.label} ({material.id})", page=number, draft=draft,
                             cache_dir=cache_dir)

    def frame(ctx: LayoutContext, slide: SlideBase, number: int, total: int):  # type: ignore[no-untyped-def]
        return frame_page(ctx, slide, label=material.label, page=number, pages=total,
                          meeting_title=meeting.title, width=width, height=height)

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
    for number, slide in enumerate(slides, 1):
        ctx = context(number)
        framed = frame(ctx, slide, number, len(slides))
        kind = registry.slide_kinds[slide.kind]
        body = _plugin_call(registry, material, slide, number, "laying out",
                            lambda: kind.layout(slide, ctx, framed.body))
        items = tuple(framed.items) + tuple(body)
        if ctx.placeholders:
            items += tuple(draft_mark(ctx, items))
            if placeholders is not None:
                placeholders.extend(ctx.placeholders)
        pages.append(Page(width, height, items, number=number, material_id=material.id))
    return pages


def document_date(meeting: Meeting) -> str:
    """The date stamped into every file: ``$SOURCE_DATE_EPOCH`` (UTC) when set, else the meeting's start.

    Never the clock, so the same inputs give the same bytes.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None or not epoch.strip():
        return f"{meeting.date.isoformat()}T{meeting.start:%H:%M:%S}"
    try:
        when = dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise LayoutError(f"SOURCE_DATE_EPOCH must be a whole number of seconds since 1970, not {epoch!r}") from None
    return when.isoformat()


_MEMO: OrderedDict[str, tuple[tuple[Page, ...], tuple[Problem, ...]]] = OrderedDict()
_PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")


def _named_pictures(value: Any, meeting_dir: Path) -> Iterator[str]:
    """Every string in a slide tree that names a picture file, with the file's size and time (or absence)."""
    if isinstance(value, str):
        if value.lower().endswith(_PICTURE_SUFFIXES):
            try:
                stat = (meeting_dir / value).stat()
                yield f"{value}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ino}"
            except OSError:
                yield f"{value}:missing"
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _named_pictures(getattr(value, name), meeting_dir)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _named_pictures(item, meeting_dir)


def _memo_key(material: NumberedMaterial, bundle: Bundle, registry: Registry, fonts: FontPair, meeting_dir: Path,
              draft: bool, cache_dir: Path) -> str | None:
    """Everything a material's layout reads: its slides, label and title, the meeting's title and theme,
    the fonts, the pictures its slides name (as files), the layout functions and the options."""
    kinds = sorted((name, getattr(kind.layout, "__qualname__", ""), getattr(kind.layout, "__module__", ""))
                   for name, kind in registry.slide_kinds.items())
    try:
        digest = hashlib.sha256(pickle.dumps(
            (material.label, material.id, material.title, material.slides, bundle.meeting.title,
             bundle.meeting.theme, str(fonts.regular.path), fonts.regular.index, str(fonts.bold.path),
             fonts.bold.index, str(meeting_dir), str(cache_dir), draft, kinds, document_date(bundle.meeting)),
            protocol=5))
    except (pickle.PicklingError, TypeError, AttributeError):
        return None  # e.g. a slide model defined inside a function: lay it out every time
    for entry in _named_pictures(material.slides, meeting_dir):
        digest.update(entry.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _files_still_there(pages: tuple[Page, ...]) -> bool:
    """The (downscaled, cached) picture files remembered pages point at still exist."""
    return all(item.path.is_file() for page in pages for item in page.items if isinstance(item, Picture))


def layout_bundle(bundle: Bundle, *, registry: Registry, fonts: FontPair, meeting_dir: Path, draft: bool = False,
                  cache_dir: Path | None = None) -> LaidOut:
    """Every document of the build. ``draft``: bad pictures become placeholders on pages marked
    「ドラフト」 instead of errors. ``cache_dir``: downscaled pictures (default: the user's cache)."""
    meeting = bundle.meeting
    breaker = LineBreaker(fonts)
    faces = fonts.faces()
    cache_dir = cache_dir or default_cache_dir()
    common = dict(fonts=faces, author=meeting.council, created=document_date(meeting))
    ctx = LayoutContext(theme=meeting.theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                        material="会議次第 (cover)", page=1)
    cover_pages = tuple(layout_cover(bundle, ctx))
    cover = Document(title=f"{meeting.title} 会議次第", pages=cover_pages, subject="会議次第", **common)
    docs = []
    all_pages: list[Page] = list(cover_pages)
    marks: list[tuple[str, int]] = [("会議次第・名簿", 0)]
    placeholders: list[Problem] = []
    for material in bundle.built():
        key = _memo_key(material, bundle, registry, fonts, meeting_dir, draft, cache_dir)
        if key in _MEMO and _files_still_there(_MEMO[key][0]):  # laid out before in this process (council watch)
            _MEMO.move_to_end(key)
            pages, found = _MEMO[key]
        else:
            found_here: list[Problem] = []
            pages = tuple(layout_material(material, bundle=bundle, registry=registry, fonts=fonts, breaker=breaker,
                                          meeting_dir=meeting_dir, draft=draft, cache_dir=cache_dir,
                                          placeholders=found_here))
            found = tuple(found_here)
            if key is not None:
                _MEMO[key] = (pages, found)
                if len(_MEMO) > 64:
                    _MEMO.popitem(last=False)
        placeholders.extend(found)
        title = f"{material.label} {material.title}"
        docs.append((material, Document(title=title, pages=pages, subject=meeting.title, **common)))
        marks.append((title, len(all_pages)))
        all_pages.extend(pages)
    combined = Document(title=f"{meeting.title} 資料一式", pages=tuple(all_pages), subject=meeting.title,
                        bookmarks=tuple(marks), **common)
    return LaidOut(cover, tuple(docs), combined, tuple(placeholders))

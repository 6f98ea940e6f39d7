"""Lay out a whole bundle: the cover sheet and each numbered material.

Input: a ``Bundle``, the ``Registry`` (slide kinds), fonts and the meeting
folder. Output: one ``Document`` per output file (cover, each material) with
positioned pages, and a combined document with a bookmark per material.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..assembly import Bundle, NumberedMaterial
from ..errors import CouncilError, PluginError
from ..plugins import Registry
from ..typography.fonts import FontPair
from ..typography.linebreak import LineBreaker
from .context import LayoutContext
from .cover import layout_cover
from .frame import PAGE_SIZES, frame_page
from .primitives import Document, Page

__all__ = ["LaidOut", "layout_bundle", "layout_material"]


@dataclass(frozen=True)
class LaidOut:
    cover: Document
    materials: tuple[tuple[NumberedMaterial, Document], ...]
    combined: Document


def layout_material(material: NumberedMaterial, *, bundle: Bundle, registry: Registry, fonts: FontPair,
                    breaker: LineBreaker, meeting_dir: Path) -> list[Page]:
    meeting = bundle.meeting
    width, height = PAGE_SIZES[meeting.theme.page]
    pages: list[Page] = []
    total = len(material.slides)
    for number, slide in enumerate(material.slides, 1):
        ctx = LayoutContext(theme=meeting.theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                            material=f"{material.label} ({material.id})", page=number)
        frame = frame_page(ctx, slide, label=material.label, page=number, pages=total,
                           meeting_title=meeting.title, width=width, height=height)
        kind = registry.slide_kinds[slide.kind]
        try:
            body = kind.layout(slide, ctx, frame.body)
        except CouncilError:
            raise
        except Exception as exc:
            owner = registry.owners.get(f"kind:{slide.kind}", "?")
            raise PluginError(owner, f"laying out a {slide.kind!r} slide (page {number}) raised "
                                     f"{type(exc).__name__}: {exc}", material=material.label) from exc
        pages.append(Page(width, height, tuple(frame.items) + tuple(body), number=number, material_id=material.id))
    return pages


def layout_bundle(bundle: Bundle, *, registry: Registry, fonts: FontPair, meeting_dir: Path) -> LaidOut:
    meeting = bundle.meeting
    breaker = LineBreaker(fonts)
    faces = fonts.faces()
    created = f"{meeting.date.isoformat()}T{meeting.start:%H:%M:%S}"
    common = dict(fonts=faces, author=meeting.council, created=created)
    ctx = LayoutContext(theme=meeting.theme, fonts=fonts, breaker=breaker, meeting_dir=meeting_dir,
                        material="会議次第 (cover)", page=1)
    cover_pages = tuple(layout_cover(bundle, ctx))
    cover = Document(title=f"{meeting.title} 会議次第", pages=cover_pages, subject="会議次第", **common)
    docs = []
    all_pages: list[Page] = list(cover_pages)
    marks: list[tuple[str, int]] = [("会議次第・名簿", 0)]
    for material in bundle.built():
        pages = tuple(layout_material(material, bundle=bundle, registry=registry, fonts=fonts, breaker=breaker,
                                      meeting_dir=meeting_dir))
        title = f"{material.label} {material.title}"
        docs.append((material, Document(title=title, pages=pages, subject=meeting.title, **common)))
        marks.append((title, len(all_pages)))
        all_pages.extend(pages)
    combined = Document(title=f"{meeting.title} 資料一式", pages=tuple(all_pages), subject=meeting.title,
                        bookmarks=tuple(marks), **common)
    return LaidOut(cover, tuple(docs), combined)

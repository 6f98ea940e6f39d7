"""The secretariat's PowerPoint template (``theme.template``): read once, used by the layout and the PPTX deck.

Input: a meeting's ``Theme`` and its folder. Output: the ``Loaded`` template (``load``: its file read
like every other input — a regular file inside the meeting folder, at most ``MAX_TEMPLATE_BYTES`` —
and read into a ``reading.Template``, once per process for the same file and colours), the meeting's
theme with the template's colours where meeting.yaml writes none (``themed``), the layout a slide
kind uses (``layout_for``). Loaded for a part's layout, the template is recorded as a file that part
read (``incremental.Reads``), so a changed template lays every part out again. The checks a
build runs on a template (font, page size, layouts, artwork, each problem located) are in
``template.checks``; the page frame built on it in ``layout.template_frame``; the deck built on it in
``render.pptx_template``.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import TemplateError
from ..incremental import file_stamp
from ..loading import read_file
from .colors import lighter

if TYPE_CHECKING:
    from ..hookspecs import SlideKind
    from ..incremental import Reads
    from ..models import Theme
    from .reading import Template, TemplateLayout

__all__ = ["Loaded", "load", "themed", "layout_for", "TemplateError", "MAX_TEMPLATE_BYTES"]

MAX_TEMPLATE_BYTES = 64 * 1024 * 1024
"""The largest template file read (a template with a few logos and background pictures is a few MB)."""
_ROLE_TYPES = {"section": "secHead", "cover": "title"}
"""The template layout type a page role (``SlideKind.page_role``) takes when the theme names no layout."""
_BODY_TYPES = ("obj", "titleOnly", "tx", "twoObj", "objOnly")


@dataclass(frozen=True)
class Loaded:
    """A meeting's template: the file (resolved), as meeting.yaml names it, the SHA-256 of its bytes, and
    what was read from it."""

    path: Path
    relative: str
    digest: str
    template: "Template"


def overrides(theme: "Theme") -> dict[str, str]:
    """The colours meeting.yaml writes, which win over the template's: ``accent`` (the scheme's accent1) and
    ``text_color`` (the scheme's text colour, tx1)."""
    written = theme.model_fields_set
    out = {}
    if "accent" in written:
        out["accent1"] = theme.accent.upper()
    if "text_color" in written:
        out["tx1"] = theme.text_color.upper()
    return out


_LOADED: dict[tuple[str, str, tuple[tuple[str, str], ...]], Loaded] = {}


def load(theme: "Theme", meeting_dir: Path, reads: "Reads | None" = None) -> Loaded | None:
    """The theme's template (``None`` without one), read once per process while its file is unchanged; an
    ``InputError`` (the file: missing, a link out of the folder, too large…) or ``TemplateError`` (what is in
    it) when it cannot be used. Given ``reads`` (a layout's), the file is recorded there as read."""
    if theme.template is None:
        return None
    path = meeting_dir / theme.template
    colours = tuple(sorted(overrides(theme).items()))
    stamp = reads.record(path) if reads is not None else file_stamp(path)
    key = (str(path), stamp or "missing", colours)
    found = _LOADED.get(key)
    if found is None:
        from .reading import read_template  # lxml: imported only by a build that has a template

        data = read_file(path, MAX_TEMPLATE_BYTES, inside=meeting_dir)
        template = read_template(data, dict(colours))
        found = Loaded(path.resolve(), theme.template, hashlib.sha256(data).hexdigest(), template)
        if len(_LOADED) > 8:
            _LOADED.clear()
        _LOADED[key] = found
    return found


def themed(theme: "Theme", loaded: Loaded | None) -> "Theme":
    """``theme`` with the template's colours where meeting.yaml writes none: the accent is the scheme's
    accent1, the text colour what tx1 stands for, the light accent PowerPoint's "lighter 80 %" of the accent
    (the first tint its colour picker offers)."""
    if loaded is None:
        return theme
    scheme = loaded.template.scheme
    written = theme.model_fields_set
    accent = theme.accent.upper() if "accent" in written else scheme.value("accent1")
    update = {"accent": accent, "text_color": theme.text_color.upper() if "text_color" in written
              else scheme.value("tx1"),
              "accent_light": theme.accent_light.upper() if "accent_light" in written else lighter(accent)}
    return theme.model_copy(update=update)


def layout_for(template: "Template", kind: "SlideKind", mapping: dict[str, str]) -> "TemplateLayout | None":
    """The layout slides of ``kind`` use: the one ``mapping`` names (``theme.layouts``, by kind name); else,
    for a kind whose pages are section pages (``page_role``), the template's section header (a cover's: its
    title slide), and for any other kind (or a template without such a layout) its "title and content"
    layout, else "title only", else the first other layout with a title placeholder. ``None`` when no
    layout has a title placeholder (or the named one does not exist)."""
    if kind.name in mapping:
        return template.layout(mapping[kind.name])
    titled = [layout for layout in template.layouts if layout.title is not None]
    own_type = _ROLE_TYPES.get(kind.page_role)
    if own_type is not None:
        own = next((layout for layout in titled if layout.type == own_type), None)
        if own is not None:
            return own
    for kind_type in _BODY_TYPES:
        found = next((layout for layout in titled if layout.type == kind_type), None)
        if found is not None:
            return found
    return next((layout for layout in titled if layout.type not in ("title", "secHead")), titled[0] if titled else None)

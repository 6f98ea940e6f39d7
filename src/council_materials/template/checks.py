"""A meeting's template checked as a build would use it, every problem located in meeting.yaml.

Input: the meeting (its theme names the template, its font files, layouts and fallbacks), where each
value of meeting.yaml is (``LineIndex``), the fonts the build measures with, the registered slide kinds
and the kinds the meeting's materials use. Output: the ``Loaded`` template (or ``None``), the problems
(``Problem``: meeting.yaml's line of ``theme.template``, ``theme.page``, ``theme.fonts`` or
``theme.layouts.KIND``, and the template's part at fault) and the warnings (what a fallback stands in
for, what the decks do not take from the template).

A template's font must be the font the build measures with (``theme.fonts``, else the bundled BIZ
UDPGothic): the PDF embeds that file and every line is broken with its widths, so a font the template
names without a file is an error, or with ``fallbacks: [font]`` a warning. The template decides the
page size: ``theme.page``, when written, must agree with it. Artwork the PDF cannot draw is an error,
or with ``fallbacks: [artwork]`` a warning (it is then left out of both outputs).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Iterable, Mapping

from ..errors import InputError, Problem
from ..hookspecs import SlideKind
from ..loading import LineIndex, dotted
from ..models import Meeting
from ..typography.fonts import FontPair
from . import Loaded, TemplateError, layout_for, load

__all__ = ["check_template", "family_names"]

_SIZES = {"a4-landscape": (841.89, 595.28), "16:9": (960.0, 540.0)}  # as layout.frame.PAGE_SIZES


@functools.lru_cache(maxsize=16)
def family_names(path: Path, index: int = 0) -> frozenset[str]:
    """Every family name a font file gives itself (name IDs 1 and 16, every language), compared loosely."""
    from fontTools.ttLib import TTCollection, TTFont

    try:
        font = TTCollection(str(path), lazy=True).fonts[index] if path.suffix.lower() == ".ttc" else \
            TTFont(str(path), lazy=True)
        names = {record.toUnicode() for record in font["name"].names if record.nameID in (1, 16)}
    except Exception:  # the font was read already (typography.fonts); a name table fontTools cannot read
        return frozenset()
    return frozenset(_loose(name) for name in names)


def _loose(name: str) -> str:
    return "".join(name.split()).casefold()


class _Located:
    """Problems and warnings of meeting.yaml, each at a field of the theme."""

    def __init__(self, meeting_dir: Path, index: LineIndex | None) -> None:
        self.file = meeting_dir / "meeting.yaml"
        self.index = index
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []

    def at(self, path: tuple[Any, ...], message: str, warning: bool = False) -> None:
        mark = self.index.mark(path) if self.index else None
        problem = Problem(self.file, message, mark[0] if mark else None, mark[1] if mark else None, dotted(path))
        (self.warnings if warning else self.problems).append(problem)


def check_template(meeting: Meeting, meeting_dir: Path, index: LineIndex | None, fonts: FontPair | None,
                   kinds: Mapping[str, SlideKind], used: Iterable[str]) -> tuple[Loaded | None, list[Problem],
                                                                                 list[Problem]]:
    """The template of ``meeting`` (``None`` without one, or when it cannot be read), its problems and warnings.
    ``kinds`` are the registered slide kinds, ``used`` those the meeting's materials use."""
    theme = meeting.theme
    if theme.template is None:
        return None, [], []
    found = _Located(meeting_dir, index)
    where = ("theme", "template")
    try:
        loaded = load(theme, meeting_dir)
    except InputError as exc:  # the file itself: missing, a folder, a link out of the meeting folder, too large
        for problem in exc.problems:
            found.at(where, f"{theme.template}: {problem.message}")
        return None, found.problems, found.warnings
    except TemplateError as exc:
        found.at(where, f"{theme.template}: {exc}")
        return None, found.problems, found.warnings
    assert loaded is not None
    template, name = loaded.template, theme.template
    width, height = template.size
    if "page" in theme.model_fields_set:
        wanted = _SIZES[theme.page]
        if abs(wanted[0] - width) > 0.5 or abs(wanted[1] - height) > 0.5:
            found.at(("theme", "page"), f"the template {name} is {width:g} x {height:g} pt, not {theme.page} "
                                        f"({wanted[0]:g} x {wanted[1]:g} pt): remove 'page' (the template decides "
                                        "the page size) or use a template of that size")
    if fonts is not None:
        _check_font(found, meeting, loaded, fonts)
    known = set(kinds)
    for kind, layout_name in theme.layouts.items():
        field = ("theme", "layouts", kind)
        if kind not in known:
            found.at(field, f"no slide kind {kind!r}; kinds are: {', '.join(sorted(known))}")
            continue
        layout = template.layout(layout_name)
        if layout is None:
            found.at(field, f"the template {name} has no layout {layout_name!r}; its layouts are: "
                            f"{', '.join(repr(item.name) for item in template.layouts)}")
        elif layout.title is None:
            found.at(field, f"{name}: {layout.part} ({layout.name}) has no title placeholder; slides of kind "
                            f"{kind!r} need one (their title goes there): choose a layout with a title")
    for kind in sorted(set(used) - set(theme.layouts)):
        if kind in kinds and layout_for(template, kinds[kind], {}) is None:
            found.at(where, f"{name}: {template.master}: no layout has a title placeholder, so slides of kind "
                            f"{kind!r} have no layout to use; add a title placeholder to a layout (View ▸ Slide "
                            "Master ▸ Master Layout)")
    artwork = "artwork" in theme.fallbacks
    for omission in template.omissions:
        if artwork:
            found.at(where, f"{name}: {omission}: the PDF cannot draw it, so it is left out of both outputs "
                            "(theme.fallbacks: artwork)", warning=True)
        else:
            found.at(where, f"{name}: {omission}: the PDF cannot draw it; change it in the template (a solid "
                            "colour, a PNG or JPEG picture, an unrotated rectangle or line) or write "
                            "'fallbacks: [artwork]' in the theme to leave it out of both outputs")
    for note in template.notes:
        found.at(where, f"{name}: {note}", warning=True)
    return loaded, found.problems, found.warnings


def _check_font(found: _Located, meeting: Meeting, loaded: Loaded, fonts: FontPair) -> None:
    """The template's font must be the one measured and embedded (``theme.fonts``, else the bundled one)."""
    theme, name = meeting.theme, meeting.theme.template
    scheme = loaded.template.fonts
    family = scheme.family
    ours = family_names(fonts.regular.path, fonts.regular.index) | {_loose(fonts.regular.family)}
    where = ("theme", "fonts") if theme.fonts is not None else ("theme", "template")
    if _loose(family) not in ours:
        if "font" in theme.fallbacks:
            found.at(where, f"{name}: {loaded.template.theme_part}: the template's font {family!r} has no file in "
                            f"theme.fonts; {fonts.regular.family} is used in its place in both outputs "
                            "(theme.fallbacks: font)", warning=True)
        else:
            found.at(where, f"{name}: {loaded.template.theme_part}: the template's font is {family!r}, and "
                            f"theme.fonts gives no file of it (the layout measures with {fonts.regular.family}, "
                            "and the PDF embeds it): give its TrueType files, e.g. 'fonts: {regular: {path: "
                            "fonts/font.ttf}, bold: {path: fonts/font-bold.ttf}}', or write 'fallbacks: [font]' "
                            f"to use {fonts.regular.family} in its place")
        return
    heading = scheme.heading_family
    if heading and _loose(heading) not in ours:
        found.at(where, f"{name}: {loaded.template.theme_part}: the template sets headings in {heading!r}; "
                        f"titles are set in {family!r}, the font of the rest, in both outputs", warning=True)

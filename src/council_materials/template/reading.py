"""A PowerPoint template read for the layout: its size, colours, font, layouts, placeholders, artwork.

Input: the bytes of a ``.pptx``/``.potx`` (``package.read_package`` checks what they are) and the
meeting's colour overrides (``accent`` → ``accent1``, ``text_color`` → the slot ``tx1`` maps to).
Output: a :class:`Template`: the slide size in points; the colour scheme (with the overrides) and
the master's colour map; the font scheme; the first slide master's placeholders and artwork
(``artwork.read_artwork``) and background; and each of its layouts, in the master's order, with
its name, type, whether it shows the master's artwork, its placeholders (each with the place and
text style it inherits from the master: ``a:xfrm``, ``a:bodyPr`` insets and anchor, and the first
level's size, colour, weight and alignment through the placeholder's list style, the master's and
the master's title, body or other style), its own artwork and background. What the PDF cannot draw
is listed in ``omissions``; what the decks do not take from the template (a second master, a fill
on a title placeholder) in ``notes``. Nothing is measured or positioned here.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from ..layout.primitives import Align, Rect
from .artwork import (ALIGNMENTS, ANCHORS, EMU_PER_PT, Art, Omission, Theme as ArtTheme, insets_of, read_artwork)
from .colors import SCHEME_SLOTS, Scheme, Undrawable, rgb_of
from ..errors import TemplateError
from .package import NS, Package, read_package

__all__ = ["TextStyle", "Placeholder", "TemplateLayout", "Template", "FontScheme", "read_template", "first_master",
           "TITLE_TYPES", "BODY_TYPES"]

TITLE_TYPES = ("title", "ctrTitle")
BODY_TYPES = ("body", "obj", "subTitle")
_A = "{%s}" % NS["a"]
_RID = "{%s}id" % NS["r"]


@dataclass(frozen=True)
class TextStyle:
    """The first level's look of a placeholder's text; ``None`` where nothing says."""

    size: float | None = None
    color: str | None = None
    bold: bool | None = None
    align: Align | None = None


@dataclass(frozen=True)
class Placeholder:
    """A placeholder as a slide of its layout inherits it: ``rect`` (points), text ``insets``
    (left, top, right, bottom), ``anchor`` (top, middle, bottom) and text ``style``."""

    type: str
    idx: int
    name: str
    rect: Rect
    insets: tuple[float, float, float, float]
    anchor: str
    style: TextStyle
    filled: bool = False

    @property
    def text_rect(self) -> Rect:
        left, top, right, bottom = self.insets
        r = self.rect
        return Rect(r.x + left, r.y + top, max(r.w - left - right, 0.0), max(r.h - top - bottom, 0.0))


@dataclass(frozen=True)
class TemplateLayout:
    name: str
    part: str
    type: str
    show_master: bool
    placeholders: tuple[Placeholder, ...]
    artwork: tuple[Art, ...]
    background: str | None
    background_given: bool

    def placeholder(self, *types: str) -> Placeholder | None:
        """The first placeholder of one of ``types`` (in that order of preference)."""
        for kind in types:
            found = [p for p in self.placeholders if p.type == kind]
            if found:
                return min(found, key=lambda p: p.idx)
        return None

    @property
    def title(self) -> Placeholder | None:
        return self.placeholder(*TITLE_TYPES)


@dataclass(frozen=True)
class FontScheme:
    major_latin: str
    major_ea: str
    minor_latin: str
    minor_ea: str

    @property
    def family(self) -> str:
        """The family the template sets Japanese body text in: the minor East Asian font, else the minor Latin."""
        return self.minor_ea or self.minor_latin

    @property
    def heading_family(self) -> str:
        return self.major_ea or self.major_latin


@dataclass(frozen=True)
class Template:
    size: tuple[float, float]
    master: str
    theme_part: str
    theme_name: str
    scheme: Scheme
    fonts: FontScheme
    background: str | None
    artwork: tuple[Art, ...]
    placeholders: tuple[Placeholder, ...]
    layouts: tuple[TemplateLayout, ...]
    omissions: tuple[Omission, ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    def layout(self, name: str) -> TemplateLayout | None:
        return next((layout for layout in self.layouts if layout.name == name), None)


def _emu(value: str | None, default: float = 0.0) -> float:
    try:
        return int(value) / EMU_PER_PT if value is not None else default
    except ValueError:
        return default


def _style_of(level: Any, scheme: Scheme) -> TextStyle:
    if level is None:
        return TextStyle()
    props = level.find("a:defRPr", NS)
    size = color = bold = None
    if props is not None:
        if props.get("sz", "").isdigit():
            size = int(props.get("sz")) / 100
        if props.get("b") is not None:
            bold = props.get("b") in ("1", "true")
        fill = props.find("a:solidFill", NS)
        if fill is not None and len(fill):
            try:
                color = rgb_of(fill[0], scheme)
            except Undrawable:
                color = None
    return TextStyle(size, color, bold, ALIGNMENTS.get(level.get("algn", ""), None))


def _merged(*styles: TextStyle) -> TextStyle:
    """The first style that says each property, in order."""
    out: dict[str, Any] = {}
    for name in ("size", "color", "bold", "align"):
        out[name] = next((getattr(s, name) for s in styles if getattr(s, name) is not None), None)
    return TextStyle(**out)


def _placeholders(tree: Any, scheme: Scheme, inherited: Mapping[str, Placeholder], defaults: Mapping[str, TextStyle],
                  part: str, notes: list[str]) -> tuple[Placeholder, ...]:
    """The placeholders of a shape tree, each completed from ``inherited`` (the master's, by type)."""
    out = []
    for shape in tree.findall("p:sp", NS):
        ph = shape.find("p:nvSpPr/p:nvPr/p:ph", NS)
        if ph is None:
            continue
        kind = ph.get("type", "obj")
        idx = int(ph.get("idx", "0")) if (ph.get("idx") or "0").isdigit() else 0
        props = shape.find("p:nvSpPr/p:cNvPr", NS)
        name = props.get("name", "") if props is not None else ""
        base = inherited.get(_family(kind))
        xfrm = shape.find("p:spPr/a:xfrm", NS)
        if xfrm is not None:
            off, ext = xfrm.find("a:off", NS), xfrm.find("a:ext", NS)
            rect = Rect(_emu(off.get("x")), _emu(off.get("y")), _emu(ext.get("cx")), _emu(ext.get("cy"))) \
                if off is not None and ext is not None else None
        else:
            rect = base.rect if base is not None else None
        if rect is None:
            continue  # a placeholder with no place of its own or inherited: nothing to take from it
        body_pr = shape.find("p:txBody/a:bodyPr", NS)
        insets = insets_of(body_pr, base.insets if base is not None else None)
        anchor_code = body_pr.get("anchor") if body_pr is not None else None
        anchor = ANCHORS.get(anchor_code, "top") if anchor_code else (base.anchor if base is not None else "top")
        own = _style_of(shape.find("p:txBody/a:lstStyle/a:lvl1pPr", NS), scheme)
        style = _merged(own, base.style if base is not None else defaults.get(_family(kind), TextStyle()))
        sp_pr = shape.find("p:spPr", NS)
        filled = sp_pr is not None and any(
            child.tag in (f"{_A}solidFill", f"{_A}gradFill", f"{_A}blipFill", f"{_A}pattFill") or (
                child.tag == f"{_A}ln" and child.find("a:noFill", NS) is None) for child in sp_pr)
        if filled and _family(kind) == "title":
            notes.append(f"{part}: the {kind} placeholder {name!r} has a fill or outline of its own, which the decks "
                         "do not show (slides' titles are drawn without it, in both outputs)")
        out.append(Placeholder(kind, idx, name, rect, insets, anchor, style, filled))
    return tuple(out)


def _family(kind: str) -> str:
    """The master placeholder a layout's placeholder of ``kind`` inherits from."""
    if kind in TITLE_TYPES:
        return "title"
    if kind in ("dt", "ftr", "sldNum"):
        return kind
    return "body"


def _background(root: Any, scheme: Scheme, fills: tuple[Any, ...], part: str) -> tuple[str | None, bool, list[Omission]]:
    """The background colour of a master or layout (None: white or none given), whether one is given, and what
    cannot be drawn of it."""
    bg = root.find("p:cSld/p:bg", NS)
    if bg is None:
        return None, False, []
    try:
        pr = bg.find("p:bgPr", NS)
        if pr is not None:
            solid = pr.find("a:solidFill", NS)
            if solid is not None and len(solid):
                return rgb_of(solid[0], scheme), True, []
            if pr.find("a:noFill", NS) is not None:
                return None, True, []
            raise Undrawable("a gradient, picture or pattern background")
        ref = bg.find("p:bgRef", NS)
        index = int(ref.get("idx", "0") or 0) if ref is not None else 0
        if ref is None or not 1001 <= index < 1001 + len(fills):
            raise Undrawable("a background that refers to no background style of the theme")
        chosen = fills[index - 1001]
        colour = rgb_of(ref[0], scheme) if len(ref) else None
        if chosen.tag == f"{_A}solidFill" and len(chosen):
            return rgb_of(chosen[0], scheme, colour), True, []
        if chosen.tag == f"{_A}noFill":
            return None, True, []
        raise Undrawable("a background style that is not a solid colour (a gradient or picture)")
    except Undrawable as exc:
        return None, True, [Omission(part, 0, "background", str(exc))]


def _theme(package: Package, master: str, overrides: Mapping[str, str], mapping: Mapping[str, str]
           ) -> tuple[str, str, Scheme, FontScheme, Any]:
    target = next((r.target for r in package.rels(master).values() if r.type == "theme" and r.target), None)
    if target is None:
        raise TemplateError(master, "has no theme (its colours and fonts)")
    root = package.xml(target)
    elements = root.find("a:themeElements", NS)
    if elements is None:
        raise TemplateError(target, "is not a theme (no a:themeElements)")
    colours: dict[str, str] = {}
    for slot in SCHEME_SLOTS:
        holder = elements.find(f"a:clrScheme/a:{slot}", NS)
        if holder is None or not len(holder):
            raise TemplateError(target, f"its colour scheme has no {slot}")
        try:
            colours[slot] = rgb_of(holder[0], Scheme({}, {}))
        except Undrawable as exc:
            raise TemplateError(target, f"its colour scheme's {slot} is {exc}") from None
    colours.update(overrides)
    scheme = Scheme(colours, mapping)

    def face(group: str, script: str) -> str:
        node = elements.find(f"a:fontScheme/a:{group}/a:{script}", NS)
        found = node.get("typeface", "") if node is not None else ""
        if not found and script == "ea":  # a Japanese template may name its font per script only
            jpan = elements.find(f"a:fontScheme/a:{group}/a:font[@script='Jpan']", NS)
            found = jpan.get("typeface", "") if jpan is not None else ""
        return found
    fonts = FontScheme(face("majorFont", "latin"), face("majorFont", "ea"), face("minorFont", "latin"),
                       face("minorFont", "ea"))
    if not fonts.family:
        raise TemplateError(target, "its font scheme names no font for body text")
    return target, root.get("name", ""), scheme, fonts, elements


def _size(package: Package) -> tuple[float, float]:
    size = package.xml(package.main).find("p:sldSz", NS)
    try:
        width, height = int(size.get("cx")), int(size.get("cy"))
    except (AttributeError, TypeError, ValueError):
        raise TemplateError(package.main, "states no slide size (p:sldSz)") from None
    if not (914400 <= width <= 51206400 and 914400 <= height <= 51206400):
        raise TemplateError(package.main, f"its slide size ({width} x {height} EMU) is outside what PowerPoint allows "
                                          "(1 to 56 inches a side)")
    return width / EMU_PER_PT, height / EMU_PER_PT


def first_master(package: Package) -> tuple[str, int]:
    """The part name of the presentation's first slide master, and how many it has."""
    masters = [r for r in package.rels(package.main).values() if r.type == "slideMaster" and r.target]
    ordered = package.xml(package.main).findall("p:sldMasterIdLst/p:sldMasterId", NS)
    by_id = {r.id: r for r in masters}
    listed = [by_id[m.get(_RID)] for m in ordered if m.get(_RID) in by_id] or masters
    if not listed or listed[0].target is None:
        raise TemplateError(package.main, "has no slide master")
    return listed[0].target, len(listed)


def read_template(data: bytes, overrides: Mapping[str, str] | None = None) -> Template:
    """The template in ``data``; ``overrides`` are colours of the meeting's theme by scheme name (``accent1``,
    ``tx1``), which win over the template's."""
    package = read_package(data)
    size = _size(package)
    master, count = first_master(package)
    notes: list[str] = []
    if count > 1:
        notes.append(f"{package.main}: the template has {count} slide masters; the decks are built on the "
                     f"first ({master}) and its layouts")
    root = package.xml(master)
    clr_map = root.find("p:clrMap", NS)
    mapping = dict(clr_map.attrib) if clr_map is not None else {}
    named = {"accent1": "accent1", "tx1": mapping.get("tx1", "dk1")}
    theme_part, theme_name, scheme, fonts, elements = _theme(
        package, master, {named[key]: value for key, value in (overrides or {}).items()}, mapping)
    style_lists = [tuple(elements.find(f"a:fmtScheme/a:{name}", NS) if elements.find(f"a:fmtScheme/a:{name}", NS)
                         is not None else ()) for name in ("fillStyleLst", "lnStyleLst", "effectStyleLst",
                                                          "bgFillStyleLst")]
    other = _style_of(root.find("p:txStyles/p:otherStyle/a:lvl1pPr", NS), scheme)
    art_theme = ArtTheme(scheme, style_lists[0], style_lists[1], style_lists[2],
                         frozenset(f for f in (fonts.family, fonts.minor_latin, fonts.heading_family) if f),
                         other.size or 18.0, other.color or scheme.value("tx1"))
    defaults = {"title": _style_of(root.find("p:txStyles/p:titleStyle/a:lvl1pPr", NS), scheme),
                "body": _style_of(root.find("p:txStyles/p:bodyStyle/a:lvl1pPr", NS), scheme)}
    for kind in ("dt", "ftr", "sldNum"):
        defaults[kind] = other
    tree = root.find("p:cSld/p:spTree", NS)
    if tree is None:
        raise TemplateError(master, "has no shape tree (p:spTree)")
    master_placeholders = _placeholders(tree, scheme, {}, defaults, master, notes)
    inherited: dict[str, Placeholder] = {}
    for placeholder in master_placeholders:
        inherited.setdefault(_family(placeholder.type), placeholder)
    art, omissions = read_artwork(tree, package, master, art_theme)
    background, _, dropped = _background(root, scheme, style_lists[3], master)
    omissions += dropped
    layouts = []
    rels = package.rels(master)
    for entry in root.findall("p:sldLayoutIdLst/p:sldLayoutId", NS):
        rel = rels.get(entry.get(_RID, ""))
        if rel is None or rel.target is None:
            raise TemplateError(master, f"lists a layout {entry.get(_RID)!r} it has no relationship to")
        layout = package.xml(rel.target)
        c_sld = layout.find("p:cSld", NS)
        layout_tree = c_sld.find("p:spTree", NS) if c_sld is not None else None
        if layout_tree is None:
            raise TemplateError(rel.target, "is not a slide layout (no shape tree)")
        own_art, own_omissions = read_artwork(layout_tree, package, rel.target, art_theme)
        bg, given, dropped = _background(layout, scheme, style_lists[3], rel.target)
        omissions += own_omissions + dropped
        layouts.append(TemplateLayout(
            name=c_sld.get("name", "") or rel.target.rsplit("/", 1)[-1], part=rel.target,
            type=layout.get("type", "cust"), show_master=layout.get("showMasterSp", "1") not in ("0", "false"),
            placeholders=_placeholders(layout_tree, scheme, inherited, defaults, rel.target, notes),
            artwork=tuple(own_art), background=bg, background_given=given))
    if not layouts:
        raise TemplateError(master, "has no slide layouts")
    return Template(size, master, theme_part, theme_name, scheme, fonts, background, tuple(art), master_placeholders,
                    tuple(layouts), tuple(omissions), tuple(notes))

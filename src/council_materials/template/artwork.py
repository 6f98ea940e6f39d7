"""What a template's slide master or layout draws besides its placeholders: its artwork.

Input: the shape tree of a master or layout part (lxml), the package (for pictures), the template's
colours (``colors.Scheme``), its theme's style lists and font family. Output: the artwork in drawing
order as plain descriptions, in points from the page's top left: filled or outlined rectangles
(``ArtBox``), straight lines (``ArtLine``), pictures (``ArtPicture``: PNG or JPEG bytes, crop),
text (``ArtText``: paragraphs of runs, size, colour, alignment, anchor); groups are opened and
their children placed through the group's transform. What a PDF cannot draw as PowerPoint does
(a gradient or picture fill, a shadow, a rotated or custom shape, an ellipse, a table, chart or
diagram, a picture in another format, text in another font or set vertically, a transparent
colour…) becomes an :class:`Omission` naming the part, the shape and what it is. The layout turns
the descriptions into page items (``layout.template_frame``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Union

from ..layout.primitives import Align, Rect
from .colors import Scheme, Undrawable, rgb_of
from .package import NS, Package

__all__ = ["ArtBox", "ArtLine", "ArtPicture", "ArtText", "Art", "Omission", "read_artwork", "Theme",
           "EMU_PER_PT", "insets_of", "ANCHORS"]

EMU_PER_PT = 12700
_A = "{%s}" % NS["a"]
_P = "{%s}" % NS["p"]
_R = "{%s}" % NS["r"]
ANCHORS = {"t": "top", "ctr": "middle", "b": "bottom", "just": "top", "dist": "top"}
ALIGNMENTS: dict[str, Align] = {"l": "left", "ctr": "center", "r": "right", "just": "left", "dist": "left"}
"""DrawingML paragraph alignments (``algn``) as the layout's."""
_DEFAULT_INSETS = (91440, 45720, 91440, 45720)
_PICTURES = ((b"\x89PNG\r\n\x1a\n", ".png"), (b"\xff\xd8", ".jpg"))


@dataclass(frozen=True)
class ArtBox:
    rect: Rect
    fill: str | None
    stroke: str | None
    stroke_width: float
    radius: float
    name: str


@dataclass(frozen=True)
class ArtLine:
    x1: float
    y1: float
    x2: float
    y2: float
    color: str
    width: float
    name: str


@dataclass(frozen=True)
class ArtPicture:
    rect: Rect
    data: bytes
    suffix: str
    crop: tuple[float, float, float, float]
    name: str
    part: str


@dataclass(frozen=True)
class ArtText:
    """Text of a shape: ``rect`` is inside its insets; ``paragraphs`` are (runs of (text, bold), alignment)."""

    rect: Rect
    paragraphs: tuple[tuple[tuple[tuple[str, bool], ...], Align], ...]
    size: float
    color: str
    anchor: str
    name: str


Art = Union[ArtBox, ArtLine, ArtPicture, ArtText]


@dataclass(frozen=True)
class Omission:
    """Artwork the PDF cannot draw: its part, shape id (0: the background) and name, and what it is."""

    part: str
    shape_id: int
    name: str
    what: str

    def __str__(self) -> str:
        shape = "the background" if self.shape_id == 0 else f"shape {self.name!r} (id {self.shape_id})"
        return f"{self.part}: {shape}: {self.what}"


@dataclass(frozen=True)
class Theme:
    """What artwork takes from the theme: colours, the style lists its shapes refer to, the one font
    family, and the text style of shapes (the master's ``p:otherStyle`` first level)."""

    scheme: Scheme
    fills: tuple[Any, ...]
    lines: tuple[Any, ...]
    effects: tuple[Any, ...]
    families: frozenset[str]
    text_size: float
    text_color: str


class _Transform:
    """A group's mapping of child coordinates (EMU) to the page's (points)."""

    def __init__(self, scale_x: float = 1 / EMU_PER_PT, scale_y: float = 1 / EMU_PER_PT, dx: float = 0.0,
                 dy: float = 0.0) -> None:
        self.sx, self.sy, self.dx, self.dy = scale_x, scale_y, dx, dy

    def rect(self, x: int, y: int, w: int, h: int) -> Rect:
        return Rect(self.dx + x * self.sx, self.dy + y * self.sy, w * self.sx, h * self.sy)

    def inner(self, xfrm: Any) -> "_Transform":
        off, ext = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
        ch_off, ch_ext = _pair(xfrm, "a:chOff", "x", "y"), _pair(xfrm, "a:chExt", "cx", "cy")
        kx = ext[0] / ch_ext[0] if ch_ext[0] else 1.0
        ky = ext[1] / ch_ext[1] if ch_ext[1] else 1.0
        sx, sy = self.sx * kx, self.sy * ky
        return _Transform(sx, sy, self.dx + off[0] * self.sx - ch_off[0] * sx, self.dy + off[1] * self.sy - ch_off[1] * sy)


def _pair(xfrm: Any, tag: str, a: str, b: str) -> tuple[int, int]:
    node = xfrm.find(tag, NS) if xfrm is not None else None
    if node is None:
        return 0, 0
    try:
        return int(node.get(a, "0")), int(node.get(b, "0"))
    except ValueError:
        raise Undrawable(f"a position {node.get(a)!r}, {node.get(b)!r} that is not a number") from None


def insets_of(body_pr: Any, base: tuple[float, float, float, float] | None = None) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) insets of a ``a:bodyPr`` in points, each from ``base`` when not given."""
    if base is None:
        left, top, right, bottom = (v / EMU_PER_PT for v in _DEFAULT_INSETS)
        base = (left, top, right, bottom)
    out = []
    for name, default in zip(("lIns", "tIns", "rIns", "bIns"), base):
        value = body_pr.get(name) if body_pr is not None else None
        out.append(int(value) / EMU_PER_PT if value is not None and value.lstrip("-").isdigit() else default)
    left, top, right, bottom = out
    return left, top, right, bottom


def _geometry(sp_pr: Any, transform: _Transform, allow_flip: bool) -> Rect:
    xfrm = sp_pr.find("a:xfrm", NS) if sp_pr is not None else None
    if xfrm is None:
        raise Undrawable("a shape without a position")
    if int(xfrm.get("rot", "0") or 0) % 21600000:
        raise Undrawable("a rotated shape")
    if not allow_flip and (xfrm.get("flipH") in ("1", "true") or xfrm.get("flipV") in ("1", "true")):
        raise Undrawable("a flipped picture")
    (x, y), (w, h) = _pair(xfrm, "a:off", "x", "y"), _pair(xfrm, "a:ext", "cx", "cy")
    return transform.rect(x, y, w, h)


def _fill(sp_pr: Any, style: Any, theme: Theme) -> str | None:
    """The shape's fill colour (None: none); a gradient, picture or pattern fill cannot be drawn."""
    for child in (sp_pr if sp_pr is not None else ()):
        tag = child.tag.replace(_A, "")
        if tag == "noFill":
            return None
        if tag == "solidFill":
            return rgb_of(child[0], theme.scheme) if len(child) else None
        if tag in ("gradFill", "blipFill", "pattFill", "grpFill"):
            raise Undrawable({"gradFill": "a gradient fill", "blipFill": "a picture fill",
                              "pattFill": "a pattern fill", "grpFill": "a group's fill"}[tag])
    ref = style.find("a:fillRef", NS) if style is not None else None
    if ref is None:
        return None
    return _from_style(ref, theme.fills, theme, "fill")


def _from_style(ref: Any, styles: tuple[Any, ...], theme: Theme, what: str) -> str | None:
    index = int(ref.get("idx", "0") or 0)
    if index == 0 or index >= 1000:
        return None
    if index > len(styles):
        raise Undrawable(f"a {what} from theme style {index}, which the theme does not have")
    chosen = styles[index - 1]
    colour = rgb_of(ref[0], theme.scheme) if len(ref) else None
    solid = chosen if chosen.tag == f"{_A}solidFill" else chosen.find("a:solidFill", NS)
    if chosen.tag == f"{_A}noFill" or (solid is None and chosen.find("a:noFill", NS) is not None):
        return None
    if solid is None or not len(solid):
        raise Undrawable(f"a {what} from theme style {index} that is not a solid colour")
    return rgb_of(solid[0], theme.scheme, colour)


def _line(sp_pr: Any, style: Any, theme: Theme) -> tuple[str | None, float]:
    """The outline's colour (None: none) and width in points."""
    line = sp_pr.find("a:ln", NS) if sp_pr is not None else None
    ref = style.find("a:lnRef", NS) if style is not None else None
    width = None
    if line is not None:
        if line.find("a:noFill", NS) is not None:
            return None, 0.0
        for unsupported, what in (("a:prstDash", "a dashed line"), ("a:custDash", "a dashed line"),
                                  ("a:gradFill", "a gradient line")):
            node = line.find(unsupported, NS)
            if node is not None and node.get("val", "") != "solid":
                raise Undrawable(what)
        for end in ("a:headEnd", "a:tailEnd"):
            node = line.find(end, NS)
            if node is not None and node.get("type", "none") != "none":
                raise Undrawable("a line with an arrowhead")
        width = int(line.get("w", "12700") or 12700) / EMU_PER_PT
        solid = line.find("a:solidFill", NS)
        if solid is not None and len(solid):
            return rgb_of(solid[0], theme.scheme), width
    if ref is None:
        return None, 0.0
    index = int(ref.get("idx", "0") or 0)
    if index == 0:
        return None, 0.0
    if index > len(theme.lines):
        raise Undrawable(f"an outline from theme style {index}, which the theme does not have")
    chosen = theme.lines[index - 1]
    if width is None:
        width = int(chosen.get("w", "12700") or 12700) / EMU_PER_PT
    holder = chosen.find("a:solidFill", NS)
    if holder is None or not len(holder):
        return (None, 0.0) if chosen.find("a:noFill", NS) is not None else _raise("an outline that is not solid")
    return rgb_of(holder[0], theme.scheme, rgb_of(ref[0], theme.scheme) if len(ref) else None), width


def _raise(what: str) -> Any:
    raise Undrawable(what)


def _effects(sp_pr: Any, style: Any, theme: Theme) -> None:
    own = sp_pr.find("a:effectLst", NS) if sp_pr is not None else None
    if own is not None and len(own):
        raise Undrawable("a shadow, glow or other effect")
    if (sp_pr is not None and (sp_pr.find("a:scene3d", NS) is not None or sp_pr.find("a:sp3d", NS) is not None)):
        raise Undrawable("a 3-D effect")
    ref = style.find("a:effectRef", NS) if style is not None and own is None else None
    index = int(ref.get("idx", "0") or 0) if ref is not None else 0
    if 0 < index <= len(theme.effects):
        listed = theme.effects[index - 1].find("a:effectLst", NS)
        if listed is not None and len(listed):
            raise Undrawable("a shadow or other effect from the theme's effect style")


def _text(shape: Any, rect: Rect, theme: Theme, name: str) -> ArtText | None:
    body = shape.find("p:txBody", NS)
    if body is None or not "".join(body.itertext()).strip():
        return None
    body_pr = body.find("a:bodyPr", NS)
    if body_pr is not None and body_pr.get("vert", "horz") not in ("horz", ""):
        raise Undrawable("vertical text")
    if body_pr is not None and int(body_pr.get("rot", "0") or 0):
        raise Undrawable("rotated text")
    left, top, right, bottom = insets_of(body_pr)
    sizes, colours = set(), set()
    paragraphs = []
    for para in body.findall("a:p", NS):
        ppr = para.find("a:pPr", NS)
        align = ALIGNMENTS.get(ppr.get("algn", "l") if ppr is not None else "l", "left")
        runs: list[tuple[str, bool]] = []
        for node in para:
            tag = node.tag.replace(_A, "")
            if tag == "fld":
                raise Undrawable("a field (date, slide number…) in artwork text")
            if tag == "br":
                paragraphs.append((tuple(runs), align))
                runs = []
            if tag != "r":
                continue
            rpr = node.find("a:rPr", NS)
            size = int(rpr.get("sz")) / 100 if rpr is not None and rpr.get("sz", "").isdigit() else theme.text_size
            sizes.add(size)
            fill = rpr.find("a:solidFill", NS) if rpr is not None else None
            colours.add(rgb_of(fill[0], theme.scheme) if fill is not None and len(fill) else theme.text_color)
            for face in ("a:latin", "a:ea"):
                typeface = rpr.find(face, NS) if rpr is not None else None
                given = typeface.get("typeface", "") if typeface is not None else ""
                if given and not given.startswith("+") and given not in theme.families:
                    raise Undrawable(f"text in another font ({given!r}) than the template's")
            bold = rpr is not None and rpr.get("b") in ("1", "true")
            runs.append(("".join(node.findtext("a:t", "", NS)), bold))
        paragraphs.append((tuple(runs), align))
    if len(sizes) > 1 or len(colours) > 1:
        raise Undrawable("text in several sizes or colours")
    anchor = ANCHORS.get(body_pr.get("anchor", "t") if body_pr is not None else "t", "top")
    inner = Rect(rect.x + left, rect.y + top, max(rect.w - left - right, 0.0), max(rect.h - top - bottom, 0.0))
    return ArtText(inner, tuple(paragraphs), sizes.pop() if sizes else theme.text_size,
                   colours.pop() if colours else theme.text_color, anchor, name)


def _picture(shape: Any, rect: Rect, package: Package, part: str, name: str) -> ArtPicture:
    blip = shape.find("p:blipFill/a:blip", NS)
    rid = blip.get(f"{_R}embed") if blip is not None else None
    rel = package.rels(part).get(rid or "")
    if rel is None or rel.target is None:
        raise Undrawable("a picture whose image is linked, not in the file")
    data = package.blob(rel.target)
    suffix = next((suffix for magic, suffix in _PICTURES if data.startswith(magic)), None)
    if suffix is None:
        raise Undrawable(f"a picture in a format other than PNG or JPEG ({rel.target})")
    source = shape.find("p:blipFill/a:srcRect", NS)
    crop = (0.0, 0.0, 0.0, 0.0)
    if source is not None:
        left, top, right, bottom = (int(source.get(side, "0") or 0) / 100000 for side in "ltrb")
        crop = (left, top, right, bottom)
        if min(crop) < 0 or crop[0] + crop[2] >= 1 or crop[1] + crop[3] >= 1:
            raise Undrawable("a picture cropped outside itself")
    return ArtPicture(rect, data, suffix, crop, name, rel.target)


def _shape(shape: Any, tag: str, transform: _Transform, package: Package, part: str, theme: Theme) -> list[Art]:
    sp_pr = shape.find("p:spPr", NS)
    style = shape.find("p:style", NS)
    name = (shape.find(".//p:cNvPr", NS).get("name", "") if shape.find(".//p:cNvPr", NS) is not None else "")
    if tag == "pic":
        _effects(sp_pr, style, theme)
        return [_picture(shape, _geometry(sp_pr, transform, False), package, part, name)]
    geometry = sp_pr.find("a:prstGeom", NS) if sp_pr is not None else None
    if geometry is None:
        raise Undrawable("a free-form shape" if sp_pr is not None and sp_pr.find("a:custGeom", NS) is not None
                         else "a shape without a preset geometry")
    preset = geometry.get("prst", "")
    _effects(sp_pr, style, theme)
    if preset in ("line", "straightConnector1"):
        xfrm = sp_pr.find("a:xfrm", NS)
        rect = _geometry(sp_pr, transform, True)
        colour, width = _line(sp_pr, style, theme)
        flip_h, flip_v = xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true")
        x1, x2 = (rect.right, rect.x) if flip_h else (rect.x, rect.right)
        y1, y2 = (rect.bottom, rect.y) if flip_v else (rect.y, rect.bottom)
        return [ArtLine(x1, y1, x2, y2, colour, width, name)] if colour and width > 0 else []
    if tag == "cxnSp":
        raise Undrawable(f"a connector of shape {preset!r}")
    if preset not in ("rect", "roundRect"):
        raise Undrawable(f"a shape of preset {preset!r} (only rectangles, rounded rectangles and lines are drawn)")
    rect = _geometry(sp_pr, transform, True)
    fill = _fill(sp_pr, style, theme)
    stroke, width = _line(sp_pr, style, theme)
    radius = 0.0
    if preset == "roundRect":
        guide = geometry.find("a:avLst/a:gd", NS)
        share = 16667
        if guide is not None and (guide.get("fmla", "").startswith("val ")):
            share = int(guide.get("fmla", "val 16667").split()[1])
        radius = min(rect.w, rect.h) * min(share, 50000) / 100000
    out: list[Art] = []
    if fill is not None or (stroke is not None and width > 0):
        out.append(ArtBox(rect, fill, stroke, width, radius, name))
    text = _text(shape, rect, theme, name)
    if text is not None:
        out.append(text)
    return out


def read_artwork(tree: Any, package: Package, part: str, theme: Theme, transform: _Transform | None = None
                 ) -> tuple[list[Art], list[Omission]]:
    """The artwork of a shape tree (``p:spTree`` or a group), in drawing order, and what cannot be drawn."""
    transform = transform or _Transform()
    art: list[Art] = []
    left_out: list[Omission] = []
    for shape in tree:
        tag = shape.tag.rsplit("}", 1)[-1]
        if tag in ("nvGrpSpPr", "grpSpPr", "extLst"):
            continue
        props = shape.find(".//p:cNvPr", NS)
        shape_id = int(props.get("id", "0") or 0) if props is not None and (props.get("id") or "").isdigit() else -1
        name = props.get("name", "") if props is not None else tag
        if props is not None and props.get("hidden") in ("1", "true"):
            continue
        if tag == "sp" and shape.find("p:nvSpPr/p:nvPr/p:ph", NS) is not None:
            continue  # a placeholder: what slides fill in, not shown on them
        try:
            if tag == "grpSp":
                xfrm = shape.find("p:grpSpPr/a:xfrm", NS)
                if xfrm is not None and int(xfrm.get("rot", "0") or 0) % 21600000:
                    raise Undrawable("a rotated group")
                inner, omitted = read_artwork(shape, package, part, theme, transform.inner(xfrm))
                if omitted:  # a group is one object: it is drawn whole or left out whole
                    raise Undrawable("a group holding " + "; ".join(o.what for o in omitted))
                art.extend(inner)
            elif tag in ("sp", "pic", "cxnSp"):
                art.extend(_shape(shape, tag, transform, package, part, theme))
            elif tag == "graphicFrame":
                raise Undrawable("a table, chart, diagram or embedded object")
            elif tag == "AlternateContent":
                raise Undrawable("content for newer PowerPoint versions (mc:AlternateContent)")
            else:
                raise Undrawable(f"a {tag} element")
        except Undrawable as exc:
            left_out.append(Omission(part, shape_id, name, str(exc)))
    return art, left_out

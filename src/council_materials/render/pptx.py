"""PPTX renderer: draws a laid-out ``Document`` as a deck a PowerPoint user edits as their own.

Takes a :class:`council_materials.layout.primitives.Document` (pages of positioned primitives, in
points, text already broken into lines, each item with its role and group) and writes one ``.pptx``:
a theme with the meeting's colours and font, one slide master with the layouts the pages need
(``pptx_frame`` plans them: the page frame — stamp, running header, title rule, footer, page number
as a field — is drawn there, not on each slide), and one slide per page whose title is in its
layout's title placeholder. Text boxes wrap with the layout's lines kept (soft breaks) and shrink
what a user lengthens; bullets are PowerPoint bullets; items of one group (a panel, a card) are one
group shape, and a text lying inside a box drawn just before it is that box's own text, so a panel
moves and resizes as one. Pictures (cropped with ``a:srcRect``) and native tables and charts carry
their alternative text. A document laid out on the secretariat's PowerPoint template
(``Document.template``) is drawn on that template's own master and layouts (``pptx_template``), each
slide on the layout its page names, the shared frame added to the template's master. Shapes follow the layout's drawing order, which is its reading order (the
title first), except that what is drawn early along the bottom (notes, a closing panel) is read last.

It decides nothing: it never measures or wraps text and never chooses a position; every line, size
and position on a slide is the layout's. Points are used inside and converted to EMU only at the
edge (``pptx_xml``). The XML is written as text by the ``pptx_*`` modules beside this one
(``pptx_xml``: shapes and text, ``pptx_master``: theme, master and layouts, ``pptx_package``: the
zip, its parts and properties, ``pptx_chart``: a native chart's part, ``pptx_workbook``: its sheet);
python-pptx is not imported. The same ``Document`` always gives a byte-identical file.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Sequence, Union

from council_materials.layout.primitives import (
    Arrow, Box, Chart, Document, Item, Page, Paragraph, Picture, Rect, Rule, Table, TextBlock,
)

from council_materials.template.colors import LIGHTER, lighter

from . import pptx_xml as xml
from .pptx_chart import chart_xml, number_code
from .pptx_frame import FIELD_MARK, Deck, bounds, plan_deck, plan_on_template
from .pptx_master import default_text_style, layout_xml, master_xml, theme_xml
from .pptx_package import APPLICATION, Package, Part
from .pptx_workbook import workbook

__all__ = ["render_pptx"]

Node = Union[Item, tuple[Box, TextBlock], "_Group", "_Text"]


class _Group:
    """Items of one layout group, drawn as one group shape."""

    def __init__(self, name: str, nodes: Sequence[Node]) -> None:
        self.name, self.nodes = name, nodes


class _Text:
    """A text of a group drawn in a frame reaching down to what is below it in its box (``_room``)."""

    def __init__(self, block: TextBlock, frame: Rect) -> None:
        self.block, self.frame = block, frame


class _Shapes:
    """The shapes of one part being drawn (a slide, a layout, the master): their XML in order, the
    next shape id (unique in the part; 1 is its shape tree), the part for relationships, the title
    item (drawn as the title placeholder) and what its fields show."""

    def __init__(self, package: Package, part: Part, document: Document, ink: xml.Ink, *, first_id: int = 2,
                 title: TextBlock | None = None, values: dict[str, str] | None = None, title_type: str = "title",
                 plain_title: bool = False) -> None:
        self.package, self.part, self.document, self.ink = package, part, document, ink
        self.next = first_id
        self.title = title
        self.values = values or {}
        self.title_type, self.plain_title = title_type, plain_title
        self.out: list[str] = []

    def take(self) -> tuple[int, str]:
        """The next shape id and the number of a default name (the id less one)."""
        shape_id = self.next
        self.next += 1
        return shape_id, str(shape_id - 1)


# ---- one function per primitive -----------------------------------------------------------

def _draw_text_block(shapes: _Shapes, block: TextBlock, frame: Rect | None = None) -> str:
    shape_id, number = shapes.take()
    if block is shapes.title:
        return xml.title_placeholder(shape_id, block.name or f"Title {number}", block, shapes.ink,
                                     kind=shapes.title_type, plain=shapes.plain_title)
    return xml.text_box(shape_id, block.name or f"TextBox {number}", block, shapes.ink, shapes.values, frame)


def _prst(box: Box) -> tuple[str, tuple[tuple[str, int], ...]]:
    if box.radius <= 0:
        return "rect", ()
    shortest = min(box.rect.w, box.rect.h)
    share = min(box.radius / shortest, 0.5) if shortest > 0 else 0.0
    return "roundRect", (("adj", int(share * 100000.0)),)


def _draw_box(shapes: _Shapes, box: Box, text: TextBlock | None = None) -> str:
    shape_id, number = shapes.take()
    prst, guides = _prst(box)
    label = "Rounded Rectangle" if prst == "roundRect" else "Rectangle"
    return xml.autoshape(shape_id, box.name or f"{label} {number}", prst, box.rect, box.fill, box.stroke,
                         box.stroke_width, shapes.ink, guides, text, box.radius)


_ARROWS = {"right": ("rightArrow", "Right Arrow"), "down": ("downArrow", "Down Arrow")}


def _draw_arrow(shapes: _Shapes, arrow: Arrow) -> str:
    shape_id, number = shapes.take()
    prst, label = _ARROWS["right" if arrow.direction == "right" else "down"]
    return xml.autoshape(shape_id, arrow.name or f"{label} {number}", prst, arrow.rect, arrow.fill, None, 0.0,
                         shapes.ink)


def _draw_rule(shapes: _Shapes, rule: Rule) -> str:
    shape_id, number = shapes.take()
    return xml.connector(shape_id, f"Connector {number}", xml.emu(rule.x1), xml.emu(rule.y1), xml.emu(rule.x2),
                         xml.emu(rule.y2), rule.color, rule.width, shapes.ink)


def _draw_picture(shapes: _Shapes, picture: Picture) -> str:
    shape_id, number = shapes.take()
    rid = shapes.package.add_picture(shapes.part, picture.path)
    return xml.picture(shape_id, picture.name or f"Picture {number}", picture.alt or None, rid, picture.rect,
                       picture.crop)


def _draw_table(shapes: _Shapes, table: Table) -> str:
    shape_id, number = shapes.take()
    return xml.table(shape_id, table.name or f"Table {number}", table, shapes.ink)


def _draw_chart(shapes: _Shapes, chart: Chart) -> str:
    """A native chart: its part (``pptx_chart``) and its data as the embedded workbook."""
    shape_id, number = shapes.take()
    when = datetime.fromisoformat(shapes.document.created)
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    data = workbook(chart.categories, [(series.name, series.values) for series in chart.series],
                    number_code(chart.number_format), when)
    rid = shapes.package.add_chart(shapes.part, chart_xml(chart, shapes.ink.family).encode(), data)
    return xml.chart_frame(shape_id, chart.name or f"Chart {number}", chart.alt or None, rid, chart.rect)


_DRAW: dict[type, Callable[[_Shapes, Any], str]] = {
    TextBlock: _draw_text_block,
    Box: _draw_box,
    Arrow: _draw_arrow,
    Rule: _draw_rule,
    Picture: _draw_picture,
    Table: _draw_table,
    Chart: _draw_chart,
}


# ---- groups: a panel or a card is one object ----------------------------------------------

def _overlap(a: Rect, b: Rect) -> bool:
    return min(a.right, b.right) > max(a.x, b.x) and min(a.bottom, b.bottom) > max(a.y, b.y)


def _host(nodes: list[Node], text: TextBlock) -> tuple[int, Box] | None:
    """The box among ``nodes`` whose own text ``text`` becomes, and its index: the last box drawn before it
    that holds it, with only bare decoration drawn between them and none of it over the text."""
    for at in range(len(nodes) - 1, -1, -1):
        node = nodes[at]
        if isinstance(node, Box) and xml.box_text_fits(node.rect, _prst(node)[0], node.radius, text):
            return at, node
        if not isinstance(node, (Box, Arrow, Rule)) or _overlap(bounds(node), text.rect):
            return None
    return None


def _merged(run: list[Item], title: TextBlock | None) -> list[Node]:
    """``run`` (items of one group) with each text made the own text of the box it lies in (``_host``):
    the order of what is read stays the layout's, and what is drawn over what does not change."""
    nodes: list[Node] = []
    for item in run:
        if isinstance(item, TextBlock) and item is not title:
            host = _host(nodes, item)
            if host is not None:
                at, box = host
                nodes[at] = (box, item)
                continue
        nodes.append(item)
    return nodes


def _contains(outer: Rect, inner: Rect) -> bool:
    return (outer.x <= inner.x + 0.01 and outer.y <= inner.y + 0.01 and inner.right <= outer.right + 0.01
            and inner.bottom <= outer.bottom + 0.01)


def _room(nodes: list[Node]) -> list[Node]:
    """Each text of a group that lies in one of its boxes gets a frame down to what is drawn below it in
    that box, or to the box's bottom less the text's own left margin: a line a user adds flows into the
    box's free space, and only a box that is full shrinks its text. Its lines stay where they are."""
    out: list[Node] = []
    for node in nodes:
        if not isinstance(node, TextBlock):
            out.append(node)
            continue
        text = node.rect
        boxes = [n if isinstance(n, Box) else n[0] for n in nodes
                 if isinstance(n, (Box, tuple)) and _contains((n if isinstance(n, Box) else n[0]).rect, text)]
        frame = xml.text_frame_rect(node)
        if boxes:
            box = min(boxes, key=lambda b: b.rect.w * b.rect.h).rect
            bottom = box.bottom - max(text.x - box.x, 0.0)
            for other in nodes:
                if other is node:
                    continue
                rect = _extent(other)
                if rect.y >= text.bottom - 0.01 and _contains(box, rect) and min(rect.right, frame.right) > max(
                        rect.x, frame.x):
                    bottom = min(bottom, rect.y - 1.0)
            if bottom > frame.bottom:
                frame = Rect(frame.x, frame.y, frame.w, bottom - frame.y)
        out.append(_Text(node, frame))
    return out


def _nodes(items: list[Item], title: TextBlock | None) -> list[Node]:
    """Items as drawn: runs of one group become a group (of its merged shapes), the rest stay items."""
    out: list[Node] = []
    at = 0
    while at < len(items):
        item = items[at]
        end = at + 1
        if item.group and item is not title:
            while end < len(items) and items[end].group == item.group and items[end] is not title:
                end += 1
        run = items[at:end]
        merged: Sequence[Node] = _room(_merged(run, title)) if item.group else run
        out.append(_Group(item.group, merged) if len(merged) > 1 else merged[0])
        at = end
    return out


def _extent(node: Node) -> Rect:
    if isinstance(node, _Group):
        rects = [_extent(child) for child in node.nodes]
        x, y = min(r.x for r in rects), min(r.y for r in rects)
        return Rect(x, y, max(r.right for r in rects) - x, max(r.bottom for r in rects) - y)
    if isinstance(node, tuple):
        return node[0].rect
    if isinstance(node, _Text):
        return node.frame
    if isinstance(node, TextBlock):
        return xml.text_frame_rect(node)
    return bounds(node)


def _emit(shapes: _Shapes, node: Node) -> str:
    if isinstance(node, _Group):
        shape_id, _ = shapes.take()
        children = [_emit(shapes, child) for child in node.nodes]
        return xml.group(shape_id, node.name, _extent(node), children)
    if isinstance(node, tuple):
        return _draw_box(shapes, node[0], node[1])
    if isinstance(node, _Text):
        return _draw_text_block(shapes, node.block, node.frame)
    draw = _DRAW.get(type(node))
    if draw is None:
        raise TypeError(f"cannot draw {type(node).__name__}")
    return draw(shapes, node)


def _role(node: Node) -> str:
    if isinstance(node, _Group):
        return _role(node.nodes[0])
    if isinstance(node, _Text):
        return node.block.role
    return node[1].role if isinstance(node, tuple) else node.role


def _reading_order(nodes: list[Node], title: TextBlock | None) -> list[Node]:
    """``nodes`` in reading order: the title first (unless something drawn before it lies under it); one
    drawn before others that all lie above it and none over it (notes, a panel along the bottom) is read
    after them. Only what overlaps nothing it passes moves, so the page looks the same. A draft mark
    stays last."""
    out = list(nodes)
    if title is not None and title in out:
        at = out.index(title)
        if not any(_overlap(_extent(other), title.rect) for other in out[:at]):
            out.insert(0, out.pop(at))
    for node in reversed(nodes):
        at = out.index(node)
        later = [other for other in out[at + 1:] if _role(other) != "draft"]
        if not later or _role(node) == "draft" or node is title:
            continue
        mine = _extent(node)
        if all(_extent(other).bottom <= mine.y + 0.01 for other in later):
            out.pop(at)
            out.insert(at + len(later), node)
    return out


def _draw(shapes: _Shapes, items: list[Item], where: str) -> list[str]:
    out = []
    for node in _reading_order(_nodes(items, shapes.title), shapes.title):
        try:
            out.append(_emit(shapes, node))
        except xml.XmlCharError as error:
            name = getattr(node, "name", "") or type(node).__name__
            raise xml.XmlCharError(f"document {shapes.document.title!r}, {where}, {name}: {error}") from None
        except TypeError as error:
            raise TypeError(f"{error} on {where}") from None
    return out


# ---- document -----------------------------------------------------------------------------

def _title_text(block: TextBlock) -> str:
    return "".join(line.text for line in block.lines)


def _body_sample(document: Document) -> tuple[TextBlock, dict[int, tuple[str, float, float, TextBlock]]]:
    """The deck's body text (the first text block) and its bullets per level, for the master's styles."""
    body: TextBlock | None = None
    bullets: dict[int, tuple[str, float, float, TextBlock]] = {}
    for page in document.pages[:20]:
        for item in page.items:
            if not isinstance(item, TextBlock) or item.role not in ("text", "caption", "note"):
                continue
            body = body or item
            for para in item.paragraphs:
                if para.bullet and para.level not in bullets and para.bullet.strip():
                    bullets[para.level] = (para.bullet.strip()[0], para.indent_first, para.indent_rest, item)
    if body is None:
        body = TextBlock(Rect(0, 0, 0, 0), (Paragraph(()),), 12.0, 15.6, document.palette.text)
    return body, bullets


def _layouts(package: Package, document: Document, deck: Deck, ink: xml.Ink) -> list[Part]:
    parts = []
    marks = {"page": FIELD_MARK}
    for layout in deck.layouts:
        part, _ = package.add_layout()
        shapes = _Shapes(package, part, document, ink, first_id=3, values=marks)
        drawn = _draw(shapes, layout.frame, f"layout {layout.name!r}")
        part.blob = layout_xml(layout.name, layout.type, layout.title, xml.text_frame_rect(layout.title), drawn,
                               ink).encode()
        parts.append(part)
    shapes = _Shapes(package, package.master, document, ink, first_id=3, values=marks)
    drawn = _draw(shapes, deck.master, "the slide master")
    body, bullets = _body_sample(document)
    first = deck.layouts[0].title
    rids = [rid for rid, (kind, _, _) in package.master.rels.items() if kind.endswith("/slideLayout")]
    package.master.blob = master_xml(drawn, first, xml.text_frame_rect(first), body, bullets, rids, ink).encode()
    return parts


def _check_sizes(document: Document) -> None:
    if not document.pages:
        raise ValueError(f"document {document.title!r} has no pages")
    first = document.pages[0]
    for page in document.pages:
        if (xml.emu(page.width), xml.emu(page.height)) != (xml.emu(first.width), xml.emu(first.height)):
            raise ValueError(
                f"document {document.title!r}: page {page.number} is {page.width}x{page.height} pt, "
                f"the first page is {first.width}x{first.height} pt; all pages of one PPTX must have one size")


def _own_deck(document: Document) -> bytes:
    """The deck of ``document`` with a theme, master and layouts of its own (``pptx_frame.plan_deck``)."""
    first: Page = document.pages[0]
    ink = xml.Ink(document.fonts.family, document.palette)
    deck = plan_deck(document)
    package = Package(xml.emu(first.width), xml.emu(first.height))
    theme = document.author or APPLICATION
    package.theme.blob = theme_xml(theme, document.palette, ink.family).encode()
    layouts = _layouts(package, document, deck, ink)
    for plan in deck.slides:
        part = package.add_slide(layouts[plan.layout])
        shapes = _Shapes(package, part, document, ink, title=plan.title)
        part.blob = xml.slide(_draw(shapes, plan.items, f"page {plan.page.number}")).encode()
    return _saved(package, document, deck, ink, theme)


def _saved(package: Package, document: Document, deck: Deck, ink: xml.Ink, theme: str) -> bytes:
    body, _ = _body_sample(document)
    return package.save(title=document.title, author=document.author, subject=document.subject,
                        created=document.created, default_style=default_text_style(body, ink),
                        fonts=[ink.family], theme_name=theme, titles=[_title_text(plan.title) for plan in deck.slides])


def _on_template(document: Document) -> bytes:
    """The deck of ``document`` built on its template: the template's master (with the frame every page
    shows added), layouts and theme; each slide on the layout its page names."""
    from .pptx_template import adopt_template  # lxml: imported only for a deck built on a template

    assert document.template is not None
    first = document.pages[0]
    palette = document.palette
    tint = LIGHTER if palette.accent_light.upper() == lighter(palette.accent.upper()) else None
    ink = xml.Ink(document.fonts.family, palette, tint)
    deck = plan_on_template(document)
    package = Package(xml.emu(first.width), xml.emu(first.height))
    adopted = adopt_template(package, document.template, palette)
    hiding = [layout.name for layout in deck.layouts if layout.name in adopted.hide_master]
    for part, where in [(package.master, "the slide master")] + [(adopted.layouts[name], f"layout {name!r}")
                                                                 for name in hiding]:
        shapes = _Shapes(package, part, document, ink, first_id=adopted.next_id(part), values={"page": FIELD_MARK})
        part.blob = adopted.with_shapes(part, _draw(shapes, deck.master, where))
    for plan in deck.slides:
        name = deck.layouts[plan.layout].name
        if name not in adopted.layouts:
            raise ValueError(f"document {document.title!r}, page {plan.page.number}: the template has no layout "
                             f"{name!r}")
        part = package.add_slide(adopted.layouts[name])
        shapes = _Shapes(package, part, document, ink, title=plan.title, title_type=adopted.title_types[name],
                         plain_title=True)
        part.blob = xml.slide(_draw(shapes, plan.items, f"page {plan.page.number}")).encode()
    return _saved(package, document, deck, ink, adopted.theme_name)


def render_pptx(document: Document, path: Path) -> None:
    """Write ``document`` to ``path`` as a PPTX, one slide per page, byte-reproducibly."""
    _check_sizes(document)
    try:
        data = _own_deck(document) if document.template is None else _on_template(document)
    except xml.XmlCharError as error:
        if str(error).startswith("document "):
            raise
        raise xml.XmlCharError(f"document {document.title!r}, properties: {error}") from None
    Path(path).write_bytes(data)

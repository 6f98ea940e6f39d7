"""How a deck is structured in PowerPoint: what goes on its master, on each layout, on each slide.

Takes a ``Document`` and gives a :class:`Deck` plan, without any XML: the page frame (items whose
role is in ``FRAME_ROLES``) leaves the slides. What every page shows alike goes on the slide master;
what a group of pages shares goes on their slide layout; pages are grouped by the frame they show
(the stamp, running header, title rule, footer, page number and where the title sits) and by what the
layout says each page is (``Page.name``: pages named 「セクション」, 「表紙」, 「名簿」 share a layout of
that name; ``Page.role``: a cover gets a title slide layout, a section page a section header one),
so a deck has a handful of layouts with meaningful names. The page
number is one item for all pages: its number is a field (``TextBlock.fields``), so its text is the
same on every page but for that field.

The running header goes on the layout when every page that has one shows the same one; otherwise
it stays on each slide. Each slide's title is the item PowerPoint keeps in its title placeholder: the
layout's ``title`` item; on a page without one, its running header (what a reader sees as its heading,
there); on a page with neither, its first heading; failing all, the document's title, placed above the
page (outline, navigation and screen readers see it, the page shows nothing new). The 「ドラフト」
mark stays on its slide. Nothing here moves or measures anything.

A deck built on the secretariat's template (``plan_on_template``) uses the template's layouts (each
page names its own: ``Page.layout``) and master: the frame items every page shows alike go on that
master, the others stay on their slides, and the template's artwork (role ``artwork``), which its
master and layouts hold already, is drawn nowhere.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Hashable

from council_materials.layout.primitives import (
    FRAME_ROLES, Document, Item, Line, Page, Paragraph, Rect, Rule, Run, TextBlock,
)

__all__ = ["Deck", "LayoutPlan", "SlidePlan", "plan_deck", "plan_on_template", "FIELD_MARK", "bounds"]

FIELD_MARK = "‹#›"
"""What a layout shows where a slide shows its number (PowerPoint's own placeholder text)."""
_ON_LAYOUTS = FRAME_ROLES - {"draft", "artwork"}
_TYPES = {"section": "secHead", "cover": "title"}  # PowerPoint's layout type of a page role; any other: titleOnly


@dataclass
class SlidePlan:
    """One slide: its page, its layout (index into ``Deck.layouts``), the title placeholder's text
    (``title_above``: the document title above the page, when the page has nothing to offer), and
    the items the slide draws itself in drawing order (the title among them at its place)."""

    page: Page
    layout: int
    title: TextBlock
    items: list[Item]
    title_above: bool = False


@dataclass
class LayoutPlan:
    """A slide layout: its name, PowerPoint type, the frame items drawn on it (the master's aside)
    and the title placeholder's look and place (from the first page that uses it)."""

    name: str
    type: str
    frame: list[Item]
    title: TextBlock
    keys: tuple[Hashable, ...] = ()


@dataclass
class Deck:
    master: list[Item]
    layouts: list[LayoutPlan]
    slides: list[SlidePlan] = field(default_factory=list)


def _key(item: Item) -> Hashable:
    """What makes two frame items the same drawing: a text block's place, style and text (a field's
    digits aside, and not where each line starts, which depends on those digits); anything else as is."""
    if not isinstance(item, TextBlock):
        return item
    text = "".join(line.text for line in item.lines)
    for start, end, kind in sorted(item.fields, reverse=True):
        text = text[:start] + f"\0{kind}\0" + text[end:]
    shape = tuple((p.indent_first, p.indent_rest, p.bullet, p.level, tuple(tuple(r.bold for r in line.runs)
                                                                                for line in p.lines))
                  for p in item.paragraphs)
    return ("text", item.rect, item.size, item.leading, item.color, item.align, item.role, item.group, text, shape)


def bounds(item: Item) -> Rect:
    """The rectangle an item covers (a rule's bounding box)."""
    if isinstance(item, Rule):
        return Rect(min(item.x1, item.x2), min(item.y1, item.y2), abs(item.x2 - item.x1), abs(item.y2 - item.y1))
    return item.rect


def _fallback_title(document: Document, page: Page) -> TextBlock:
    """The document's title, one line set above the page (outside what is shown or printed)."""
    size = 18.0
    run = Run(document.title, True, 0.0, 0.0)
    line = Line((run,), 0.0, -size * 0.4, 0.0)
    return TextBlock(Rect(0.0, -size * 1.3 - 4, page.width, size * 1.3), (Paragraph((line,)),), size, size * 1.3,
                     "000000", name="title", role="title")


def _title_of(page: Page) -> tuple[TextBlock | None, str]:
    """The item a page's title placeholder holds and what it is: title, header or heading."""
    blocks = [item for item in page.items if isinstance(item, TextBlock)]
    for role in ("title", "header"):
        found = next((block for block in blocks if block.role == role), None)
        if found is not None:
            return found, role
    heading = next((block for block in blocks if block.role in ("heading", "subtitle") and not block.group), None)
    return heading, "heading"


def _name(page: Page, title: TextBlock | None, what: str) -> str:
    if page.name:
        return page.name
    if what == "header":
        return "ヘッダーと本文"
    if title is None or what == "heading":
        return "本文"
    lines = len(title.lines)
    return "タイトルと本文" if lines <= 1 else f"タイトル{lines}行と本文"


def plan_deck(document: Document) -> Deck:
    """Master, layouts and slides of ``document`` (see the module's docstring)."""
    headers = {_key(item) for page in document.pages for item in page.items
               if isinstance(item, TextBlock) and item.role == "header"}
    header_on_layout = len(headers) <= 1
    groups: dict[Hashable, int] = {}
    layouts: list[LayoutPlan] = []
    slides: list[SlidePlan] = []
    for page in document.pages:
        title, what = _title_of(page)
        frame = [item for item in page.items if item.role in _ON_LAYOUTS and item is not title
                 and (item.role != "header" or header_on_layout)]
        keys = tuple(_key(item) for item in frame)
        style = None if title is None else (what, title.size, title.color, title.align,
                                            title.lines[0].runs[0].bold if title.lines and title.lines[0].runs else False)
        signature = (page.name, page.role, style, keys)
        index = groups.get(signature)
        if index is None:
            index = groups[signature] = len(layouts)
            layouts.append(LayoutPlan(_name(page, title, what), _TYPES.get(page.role, "titleOnly"), frame,
                                      title or _fallback_title(document, page), keys))
        framed = {id(item) for item in frame}
        items = [item for item in page.items if id(item) not in framed]
        title_above = title is None
        if title is None:
            title = _fallback_title(document, page)
            items.insert(0, title)
        slides.append(SlidePlan(page, index, title, items, title_above))
    _unique_names(layouts)
    common = set(layouts[0].keys).intersection(*(layout.keys for layout in layouts[1:])) if layouts else set()
    master = [item for item, key in zip(layouts[0].frame, layouts[0].keys) if key in common] if layouts else []
    for layout in layouts:
        layout.frame = [item for item, key in zip(layout.frame, layout.keys) if key not in common]
    return Deck(master, layouts, slides)


def plan_on_template(document: Document) -> Deck:
    """Master and slides of ``document`` on its template's layouts (see the module's docstring): one
    ``LayoutPlan`` per template layout the pages use, named as in the template, with no frame of its own."""
    layouts: list[LayoutPlan] = []
    index: dict[str, int] = {}
    framed: list[list[tuple[Item, Hashable]]] = []
    for page in document.pages:
        title, _ = _title_of(page)
        framed.append([(item, _key(item)) for item in page.items if item.role in _ON_LAYOUTS and item is not title])
    common = set.intersection(*({key for _, key in frame} for frame in framed)) if framed else set()
    master = [item for item, key in framed[0] if key in common] if framed else []
    slides: list[SlidePlan] = []
    for page, frame in zip(document.pages, framed):
        title, _ = _title_of(page)
        if page.layout not in index:
            index[page.layout] = len(layouts)
            layouts.append(LayoutPlan(page.layout, "", [], title or _fallback_title(document, page)))
        shared = {id(item) for item, key in frame if key in common}
        items = [item for item in page.items if item.role != "artwork" and id(item) not in shared]
        title_above = title is None
        if title is None:
            title = _fallback_title(document, page)
            items.insert(0, title)
        slides.append(SlidePlan(page, index[page.layout], title, items, title_above))
    return Deck(master, layouts, slides)


def _unique_names(layouts: list[LayoutPlan]) -> None:
    seen: dict[str, int] = {}
    for layout in layouts:
        count = seen[layout.name] = seen.get(layout.name, 0) + 1
        if count > 1:
            layout.name = f"{layout.name} {count}"

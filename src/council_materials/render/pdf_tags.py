"""Tagged PDF: marked content in the page streams and the structure tree, from the layout's roles.

Input: what the PDF renderer draws, page by page and item by item in drawing order: each item's
``role`` and ``group``, a text block's paragraphs (with their bullet marker and level), a table's
cells, a figure's alternative text and place. Output: the marked-content operators the renderer
writes around what it draws — ``/P <</MCID n>> BDC … EMC`` around each piece of real content,
``/Artifact … BDC … EMC`` around the frame and decoration — and, once every page is drawn, the
structure tree as PDF objects (PDF 1.7 §14.7-14.8, PDF/UA-1):

- ``StructTreeRoot`` → ``Document`` → one ``Sect`` for the whole file (``/T`` its title; the
  joiner puts each part's ``Sect`` under one ``Document``) → the page's elements in reading order,
  which is the layout's drawing order: a group (a card, a panel, a figure card) is read whole,
  as one ``Div``, before what follows it.
- ``title`` → ``H1``; ``subtitle``, ``heading`` → ``H2``; ``caption`` → ``Caption``; ``text`` and
  ``note`` → a ``P`` per paragraph, bullet paragraphs → ``L``/``LI``/``Lbl``/``LBody`` (the marker
  in ``Lbl``, a deeper level as an ``L`` inside the ``LBody`` above it).
- A table → ``Table`` (its ``alt`` as ``Summary``) → a ``TR`` per row → ``TH`` (``Scope``) or
  ``TD``, with ``RowSpan``/``ColSpan``; its fills and grid are artifacts.
- A picture or chart → ``Figure`` with ``Alt`` and ``BBox``; a chart's ``Alt`` gives its title and
  every value. A picture without alternative text (nor caption) is decoration: an artifact.
- The frame's header and stamp are ``Pagination``/``Header`` artifacts, footer and page number
  ``Pagination``/``Footer``, the draft mark a ``Pagination``/``Watermark``; rules, boxes, bands and
  arrows ``Layout`` artifacts.

Every structure element is an indirect object; a page's ``/StructParents`` is its index, the key of
its array (element per MCID) in the ``ParentTree``. Each page's first heading is noted, so an
outline entry can point at it (``/SE`` and a ``/XYZ`` destination).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from council_materials.layout.primitives import Chart, Paragraph, Rect, Table, TextBlock
from council_materials.render.pdf_meta import pdf_hex_text as _text

__all__ = ["Element", "Tagger", "Heading", "chart_alt", "HEADINGS"]

HEADINGS = {"title": "H1", "subtitle": "H2", "heading": "H2"}
"""Structure types of the roles read as one heading."""
_ONE_ELEMENT = {**HEADINGS, "caption": "Caption"}
"""Roles whose whole block is one element (else each paragraph is one)."""
_ARTIFACTS = {
    "header": "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "stamp": "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
    "footer": "/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    "page_number": "/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    "draft": "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC",
}
_LAYOUT_ARTIFACT = "/Artifact <</Type /Layout>> BDC"


def _number(value: float) -> str:
    """A PDF number, as short as it is exact to a hundredth of a point."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@dataclass(eq=False, slots=True)
class Element:
    """A structure element: its type, its kids (elements, or MCIDs on ``page``) and more entries."""

    kind: str
    kids: list["Element | int"] = field(default_factory=list)
    page: int = -1  # the index of the page whose marked content its integer kids are
    entries: str = ""  # more dictionary entries in PDF syntax, e.g. "/Alt <FEFF…>"
    number: int = 0  # its object number, once the tree is written

    def walk(self) -> "list[Element]":
        """This element and every element below it, depth first, in reading order."""
        found, pending = [], [self]
        while pending:
            element = pending.pop()
            found.append(element)
            pending.extend(kid for kid in reversed(element.kids) if isinstance(kid, Element))
        return found


@dataclass(frozen=True, slots=True)
class Heading:
    """A page's first heading: where an outline entry points (PDF coordinates, top-left of its box)."""

    element: Element
    left: float
    top: float


def _table_attributes(**values: str | int) -> str:
    parts = [f"/{key} {value}" for key, value in values.items() if value not in ("", 1)]
    return f"/A <</O /Table {' '.join(parts)}>>" if parts else ""


def chart_alt(chart: Chart) -> str:
    """A chart's alternative text: its ``alt`` (the title, or what the author wrote), then every
    series with each category's value, as the chart's own labels print them (its number format)."""
    parts = []
    for series in chart.series:
        values = "、".join(f"{category} {'値なし' if value is None else chart.number_format.text(value)}"
                          for category, value in zip(chart.categories, series.values))
        parts.append(f"{series.name}：{values}" if series.name else values)
    head = chart.alt.strip()
    body = "。".join(parts)
    return f"{head}。{body}" if head and body else head or body


class Tagger:
    """The marked content and structure tree of one document, built while its pages are drawn.

    The renderer calls ``start_page`` before a page's items, and for each item either ``artifact``
    (what to write around it) or ``mark`` (an MCID for one element's content) with ``add`` (put the
    element in reading order, in the item's group), then ``end_page``.
    """

    def __init__(self, title: str) -> None:
        self.sect = Element("Sect", entries=f"/T {_text(title)}" if title else "")
        self.parent_tree: list[list[Element]] = []  # per page: MCID -> its element
        self.headings: list[Heading | None] = []  # per page: its first heading
        self._group = ""
        self._grouped: list[Element] = []

    def start_page(self) -> None:
        self.parent_tree.append([])
        self.headings.append(None)

    def end_page(self) -> None:
        self._flush()

    def artifact(self, role: str) -> tuple[str, str]:
        """The operators around an artifact of ``role`` (the frame's parts, or decoration)."""
        return _ARTIFACTS.get(role, _LAYOUT_ARTIFACT), "EMC"

    def mark(self, element: Element) -> tuple[str, str]:
        """The operators around a piece of ``element``'s content, on the current page."""
        mcids = self.parent_tree[-1]
        number = len(mcids)
        mcids.append(element)
        element.kids.append(number)
        element.page = len(self.parent_tree) - 1
        return f"/{element.kind} <</MCID {number}>> BDC", "EMC"

    def add(self, element: Element, group: str) -> None:
        """``element`` next in reading order; the elements of one group become one ``Div``."""
        if group != self._group:
            self._flush()
            self._group = group
        if group:
            self._grouped.append(element)
        else:
            self.sect.kids.append(element)

    def _flush(self) -> None:
        grouped, self._grouped, self._group = self._grouped, [], ""
        if len(grouped) > 1:
            self.sect.kids.append(Element("Div", list(grouped)))
        elif grouped:
            self.sect.kids.append(grouped[0])

    def heading(self, element: Element, left: float, top: float) -> None:
        if self.headings[-1] is None:
            self.headings[-1] = Heading(element, left, top)

    # What each kind of item becomes.

    def text_block(self, block: TextBlock, height: float) -> dict[int, list[tuple[int, str]]]:
        """Elements for ``block`` (role ``title`` … ``note``), added in reading order; returns the
        operators to write in each paragraph, as {paragraph index: [(character offset, operators)]}."""
        kind = _ONE_ELEMENT.get(block.role)
        if kind is not None:  # one element for the whole block
            if not any(_length(para) for para in block.paragraphs):
                return {}
            element = Element(kind)
            opened, closed = self.mark(element)
            self.add(element, block.group)
            if block.role in HEADINGS:
                self.heading(element, block.rect.x, height - block.rect.y)
            last = len(block.paragraphs) - 1
            ends: dict[int, list[tuple[int, str]]] = {0: [(0, opened)]}
            ends.setdefault(last, []).append((_length(block.paragraphs[last]), closed))
            return ends
        marks: dict[int, list[tuple[int, str]]] = {}
        lists: list[list] = []  # open lists, outermost first: [level, L, the LBody of its last item]
        for index, para in enumerate(block.paragraphs):
            length = _length(para)
            if not length:
                continue
            if not para.bullet:
                lists.clear()
                element = Element("P")
                opened, closed = self.mark(element)
                self.add(element, block.group)
                marks[index] = [(0, opened), (length, closed)]
                continue
            while lists and lists[-1][0] > para.level:
                lists.pop()
            if not lists or lists[-1][0] < para.level:
                new = Element("L")
                if lists and lists[-1][2] is not None:
                    lists[-1][2].kids.append(new)
                else:
                    self.add(new, block.group)
                lists.append([para.level, new, None])
            item, body = Element("LI"), Element("LBody")
            lists[-1][1].kids.append(item)
            lists[-1][2] = body
            ops: list[tuple[int, str]] = []
            marker = len(para.bullet) if para.lines[0].text.startswith(para.bullet) else 0
            if marker:
                label = Element("Lbl")
                item.kids.append(label)
                opened, closed = self.mark(label)
                ops += [(0, opened), (marker, closed)]
            item.kids.append(body)
            if length > marker:
                opened, closed = self.mark(body)
                ops += [(marker, opened), (length, closed)]
            marks[index] = ops
        return marks

    def figure(self, alt: str, rect: Rect, height: float, group: str) -> tuple[str, str]:
        """A ``Figure`` with ``alt`` and its bounding box; the operators around what draws it."""
        box = " ".join(_number(v) for v in (rect.x, height - rect.bottom, rect.right, height - rect.y))
        element = Element("Figure", entries=f"/Alt {_text(alt)} /A <</O /Layout /Placement /Block /BBox [{box}]>>")
        marks = self.mark(element)
        self.add(element, group)
        return marks

    def table(self, table: Table) -> list[Element]:
        """A ``Table`` of ``TR`` rows of ``TH``/``TD`` cells; returns each cell's element (in the order
        of ``table.cells``) for its text to be marked with."""
        rows: list[list[tuple[int, Element]]] = [[] for _ in table.row_heights]
        header_rows = {cell.row for cell in table.cells if cell.header} - {
            cell.row for cell in table.cells if not cell.header}
        cells: list[Element] = []
        for cell in table.cells:
            if not 0 <= cell.row < len(rows):
                raise ValueError(f"table {table.name!r}: a cell in row {cell.row + 1} of {len(rows)}")
            scope = ("/Column" if cell.row in header_rows else "/Row") if cell.header else ""
            element = Element("TH" if cell.header else "TD",
                              entries=_table_attributes(Scope=scope, RowSpan=cell.rowspan, ColSpan=cell.colspan))
            rows[cell.row].append((cell.col, element))
            cells.append(element)
        kids: list[Element | int] = [Element("TR", [element for _, element in sorted(row, key=lambda pair: pair[0])])
                                     for row in rows]
        summary = f"/A <</O /Table /Summary {_text(table.alt)}>>" if table.alt else ""
        self.add(Element("Table", kids, entries=summary), table.group)
        return cells

    # Writing the tree.

    def objects(self, pages: Sequence[int], first: int) -> list[bytes]:
        """The structure tree as the bodies of objects numbered from ``first``, the ``StructTreeRoot``
        first (``pages``: each page's object number)."""
        self._flush()
        root, document = first, first + 1
        elements = [Element("Document", [self.sect])]
        elements += self.sect.walk()
        for number, element in enumerate(elements, first + 1):
            element.number = number
        parents: dict[int, int] = {elements[0].number: root}
        for element in elements:
            for kid in element.kids:
                if isinstance(kid, Element):
                    parents[kid.number] = element.number
        bodies = [b""]  # the root, once the parent tree's number is known
        for element in elements:
            kids = [f"{kid.number} 0 R" if isinstance(kid, Element) else str(kid) for kid in element.kids]
            k = "" if not kids else f" /K {kids[0]}" if len(kids) == 1 else f" /K [{' '.join(kids)}]"
            page = f" /Pg {pages[element.page]} 0 R" if element.page >= 0 else ""
            extra = f" {element.entries}" if element.entries else ""
            bodies.append(f"<< /Type /StructElem /S /{element.kind} /P {parents[element.number]} 0 R{page}{k}{extra} >>"
                          .encode("ascii"))
        arrays = first + len(bodies)
        for mcids in self.parent_tree:
            bodies.append(("[" + " ".join(f"{element.number} 0 R" for element in mcids) + "]").encode("ascii"))
        tree = first + len(bodies)
        bodies.append(("<< /Nums [" + " ".join(f"{key} {arrays + key} 0 R" for key in range(len(self.parent_tree)))
                       + "] >>").encode("ascii"))
        bodies[0] = (f"<< /Type /StructTreeRoot /K {document} 0 R /ParentTree {tree} 0 R "
                     f"/ParentTreeNextKey {len(self.parent_tree)} >>").encode("ascii")
        return bodies


def _length(para: Paragraph) -> int:
    return sum(len(run.text) for line in para.lines for run in line.runs)

"""Positioned primitives: the only thing the renderers see.

The layout stage produces ``Document``s made of ``Page``s of items. All
coordinates are in points, origin at the top-left of the page, y growing
downwards; renderers convert at the edge (EMU for PPTX, bottom-left origin
for PDF). Text arrives already broken into lines with the position of every
line and run, so a renderer never measures text or chooses a position.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Iterable, Literal, Union

__all__ = [
    "Rect", "Run", "Line", "Paragraph", "TextBlock", "Box", "Arrow", "Rule", "Picture", "picture_type",
    "TableCell", "Table", "Stroke", "Wedge", "Polyline", "Mark", "Series", "NumberFormat", "number_text", "ValueAxis",
    "LabelPosition", "LegendPosition", "ChartStyle", "Chart", "Item", "Page", "PageRole",
    "FontFaces", "Palette", "DeckTemplate", "Document", "Role", "FRAME_ROLES", "DECORATION_ROLES", "grouped",
]

Align = Literal["left", "center", "right"]

Role = Literal[
    # what a reader reads
    "title", "subtitle", "heading", "text", "caption", "note", "figure", "table",
    # the page frame, repeated on every page of a material
    "header", "stamp", "footer", "page_number", "title_rule", "footer_rule", "draft",
    # the secretariat's template's artwork (its master's and layout's pictures, shapes and text)
    "artwork",
    # drawn for the eye only: boxes, bands, arrows, rules, chart marks
    "decoration",
]
"""What an item is, as the layout knows it; each renderer uses it its own way.

- ``title``: the page's title (at most one per page): PowerPoint's title placeholder, a tagged
  PDF's ``H1``. ``subtitle`` and ``heading`` (a panel's, card's or band's heading): ``H2``.
- ``text``, ``caption``, ``note``: paragraphs (a paragraph with a ``bullet`` is a list item).
- ``figure``: a picture or chart, with its alternative text; ``table``: a table.
- The frame roles (``FRAME_ROLES``): the running header, the 「資料N」 stamp, the footer, the page
  number, the rules under the title and above the footer, the 「ドラフト」 mark. PowerPoint puts them
  on the layout; a tagged PDF marks them as artifacts.
- ``artwork``: what the secretariat's PowerPoint template draws on its master or layout (its
  background, logo, bands, text): in a deck built on the template it is there already, so the PPTX
  renderer skips it; the PDF draws it as an artifact.
- ``decoration``: boxes, bands, arrows and rules that only draw the eye.
"""

FRAME_ROLES: frozenset[str] = frozenset({"header", "stamp", "footer", "page_number", "title_rule", "footer_rule",
                                         "draft", "artwork"})
DECORATION_ROLES: frozenset[str] = FRAME_ROLES | {"decoration"}
"""Roles of what a screen reader skips (a tagged PDF's artifacts)."""


@dataclass(frozen=True, slots=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def inset(self, dx: float, dy: float | None = None) -> "Rect":
        dy = dx if dy is None else dy
        return Rect(self.x + dx, self.y + dy, max(self.w - 2 * dx, 0.0), max(self.h - 2 * dy, 0.0))


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a line in one face; ``x`` is absolute, ``width`` measured by the layout."""

    text: str
    bold: bool
    x: float
    width: float


@dataclass(frozen=True, slots=True)
class Line:
    """One line of text: absolute left ``x``, absolute ``baseline``, total ``width``."""

    runs: tuple[Run, ...]
    x: float
    baseline: float
    width: float

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


@dataclass(frozen=True, slots=True)
class Paragraph:
    """Lines of one source paragraph; indents are relative to the block's left edge.

    A list item has its ``bullet``: the marker (「・」, 「‐」, 「①　」…) with which its first line's
    text begins (it is drawn as part of that line; the continuation lines hang at ``indent_rest``),
    and its nesting ``level`` (0 for a top-level bullet). A plain paragraph has no bullet.
    """

    lines: tuple[Line, ...]
    indent_first: float = 0.0
    indent_rest: float = 0.0
    bullet: str = ""
    level: int = 0


@dataclass(frozen=True, slots=True)
class TextBlock:
    """Text in a box. The first line's top is ``rect.y``; every line is ``leading`` apart.

    ``name`` identifies the box (for errors and tests); ``source`` is the content
    field the text came from; ``role`` says what the text is (``Role``); items that belong
    together (a card, a panel: its box, band and text) share a ``group``. ``fields`` marks text a
    renderer may show as a live field: ``(start, end, kind)``, character offsets into the block's
    text (its lines' texts joined without separators); kind ``"page"`` is the page number, which
    PowerPoint numbers itself (``a:fld type="slidenum"``), so it stays right when slides move.
    """

    rect: Rect
    paragraphs: tuple[Paragraph, ...]
    size: float
    leading: float
    color: str
    align: Align = "left"
    name: str = ""
    source: str | None = None
    role: Role = "text"
    group: str = ""
    fields: tuple[tuple[int, int, str], ...] = ()

    @property
    def lines(self) -> tuple[Line, ...]:
        return tuple(line for para in self.paragraphs for line in para.lines)


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle (rounded when ``radius`` > 0), filled and/or stroked."""

    rect: Rect
    fill: str | None = None
    stroke: str | None = None
    stroke_width: float = 0.75
    radius: float = 0.0
    name: str = ""
    role: Role = "decoration"
    group: str = ""


@dataclass(frozen=True, slots=True)
class Arrow:
    """A block arrow filling ``rect``, pointing ``direction``."""

    rect: Rect
    direction: Literal["right", "down"] = "right"
    fill: str = "1F4E79"
    name: str = ""
    role: Role = "decoration"
    group: str = ""

    def outline(self) -> list[tuple[float, float]]:
        """The corners of the arrow (top-left origin): the geometry of PowerPoint's rightArrow/downArrow
        presets at their default adjustments (shaft 50 % of the thickness, head 50 % of the shorter side),
        which the renderers that draw it themselves follow, so every output matches."""
        r = self.rect
        head = min(r.w, r.h) * 0.5
        if self.direction == "right":
            return [(r.x, r.y + r.h * 0.25), (r.right - head, r.y + r.h * 0.25), (r.right - head, r.y),
                    (r.right, r.y + r.h / 2), (r.right - head, r.bottom), (r.right - head, r.y + r.h * 0.75),
                    (r.x, r.y + r.h * 0.75)]
        if self.direction == "down":
            return [(r.x + r.w * 0.25, r.y), (r.x + r.w * 0.25, r.bottom - head), (r.x, r.bottom - head),
                    (r.x + r.w / 2, r.bottom), (r.right, r.bottom - head), (r.x + r.w * 0.75, r.bottom - head),
                    (r.x + r.w * 0.75, r.y)]
        raise ValueError(f"arrow {self.name!r}: unknown direction {self.direction!r}")


@dataclass(frozen=True, slots=True)
class Rule:
    """A straight line."""

    x1: float
    y1: float
    x2: float
    y2: float
    color: str = "000000"
    width: float = 0.75
    role: Role = "decoration"
    group: str = ""


@dataclass(frozen=True, slots=True)
class Picture:
    """A raster picture drawn exactly into ``rect`` (letterboxed or cropped by the layout).

    ``crop`` is the share of the picture cut off at the left, top, right and bottom
    (fractions of its width and height, as PowerPoint's ``a:srcRect``): what remains fills
    ``rect``. ``path`` is the file both renderers embed (already downscaled by the layout).
    Pictures are the only items that name a file, and they sit directly in ``Page.items``:
    ``incremental.fingerprint`` relies on both.
    """

    path: Path
    rect: Rect
    alt: str = ""
    name: str = ""
    crop: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    role: Role = "figure"
    group: str = ""


_PICTURE_SIGNATURES = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def picture_type(head: bytes) -> str | None:
    """The media type of the file a ``Picture`` names, from its first bytes (``image/png`` or ``image/jpeg``;
    ``None`` for anything else): the layout accepts a PNG or JPEG whatever its name, so no renderer goes by
    the name either (``path: pic`` is a picture like ``pic.png``)."""
    return next((kind for signature, kind in _PICTURE_SIGNATURES if head.startswith(signature)), None)


@dataclass(frozen=True, slots=True)
class TableCell:
    """A cell of a table; ``rect`` covers merged cells; ``text`` is positioned absolutely."""

    row: int
    col: int
    rowspan: int
    colspan: int
    rect: Rect
    fill: str | None
    text: TextBlock | None
    header: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A grid with merged cells. ``cells`` lists only the top-left cell of each merge."""

    rect: Rect
    col_widths: tuple[float, ...]
    row_heights: tuple[float, ...]
    cells: tuple[TableCell, ...]
    border: str = "7F7F7F"
    border_width: float = 0.5
    padding: float = 3.0
    name: str = ""
    alt: str = ""  # what the table is about (its caption or the slide's title)
    role: Role = "table"
    group: str = ""


@dataclass(frozen=True, slots=True)
class Stroke:
    """A line as a chart draws it: its colour (``RRGGBB``) and width in points."""

    color: str
    width: float


@dataclass(frozen=True, slots=True)
class Wedge:
    """A pie slice (``inner`` = 0) or a doughnut segment around the centre (``cx``, ``cy``), outlined
    with ``outline`` (``None``: not outlined).

    Angles are in degrees, clockwise from 12 o'clock, as PowerPoint draws pie charts.
    """

    cx: float
    cy: float
    radius: float
    inner: float
    start: float
    sweep: float
    fill: str
    outline: Stroke | None


@dataclass(frozen=True, slots=True)
class Polyline:
    """An open line through ``points`` (a line chart's series), with round joins and ends."""

    points: tuple[tuple[float, float], ...]
    color: str
    width: float


Mark = Union[Box, Rule, Wedge, Polyline]
"""What a chart is drawn with in PDF: bars, markers and legend keys (Box), grid and axis
lines (Rule), slices (Wedge) and lines (Polyline)."""


@dataclass(frozen=True, slots=True)
class Series:
    """A chart's series as both renderers see it: name, values (``None``: no value), colour."""

    name: str
    values: tuple[float | None, ...]
    color: str


def number_text(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` digits and thousands separators, rounded as Excel and PowerPoint
    round a number format: on the decimal digits written (``repr``), half away from zero, so
    −3.25 → −3.3, 2.5 → 3, 0.125 → 0.13, 1.005 → 1.01 (Python's own rounding gives −3.2, 2, 0.12, 1.00)."""
    exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{exact:,.{decimals}f}"


@dataclass(frozen=True, slots=True)
class NumberFormat:
    """How a chart prints its numbers: thousands separated, ``decimals`` digits after the point, then
    ``unit``; a ``percent`` format prints a share (0.25) as a percentage (``25%``). The layout sets every
    label with ``text``; PPTX writes the same format as an Excel number format, so what PowerPoint
    prints (and prints again after an edit in its sheet) is what the PDF shows."""

    decimals: int
    unit: str
    percent: bool

    def text(self, value: float) -> str:
        """``value`` as this format prints it."""
        if self.percent:
            return number_text(value * 100, self.decimals) + "%" + self.unit
        return number_text(value, self.decimals) + self.unit


@dataclass(frozen=True, slots=True)
class ValueAxis:
    """The value axis the layout chose: range, tick step and the number format of its labels."""

    minimum: float
    maximum: float
    step: float
    number_format: NumberFormat

    @property
    def ticks(self) -> tuple[float, ...]:
        """The values at which the axis has a label and a gridline, from ``minimum`` to ``maximum``."""
        return tuple(self.minimum + i * self.step for i in range(round((self.maximum - self.minimum) / self.step) + 1))


LabelPosition = Literal["outside end", "centre", "above"]
"""Where a chart's value labels sit: past the end of their bar (``outside end``), in the middle of their
bar segment or slice (``centre``), above their point (``above``)."""

LegendPosition = Literal["right", "bottom"]
"""Where a chart's legend sits: beside the plot, on its right, or under it."""


@dataclass(frozen=True, slots=True)
class ChartStyle:
    """How a chart is drawn, as the layout chose it; nothing here has a default, and no renderer has one.

    PDF and HTML draw the marks the layout made with these values; PPTX writes them into the native
    chart. ``text_color`` and ``label_size``: the axis and category labels and the legend (value labels
    take ``Chart.label_colors``); ``grid``: the lines across the plot at each tick of the value axis;
    ``axis``: the category axis line, at zero; ``line_width`` and ``marker``: a line chart's lines and the
    diameter of its round markers; ``slice_outline``: around each slice of a pie or doughnut; ``gap``: the
    space between categories, in % of a bar's width (PowerPoint's gap width); ``hole``: a doughnut's hole,
    in % of its diameter; ``start_angle``: where a pie's first slice starts, degrees clockwise from
    12 o'clock; ``label_position`` and ``legend_position``: where value labels and the legend sit.
    """

    text_color: str
    label_size: float
    grid: Stroke
    axis: Stroke
    line_width: float
    marker: float
    slice_outline: Stroke
    gap: int
    hole: int
    start_angle: float
    label_position: LabelPosition
    legend_position: LegendPosition


@dataclass(frozen=True, slots=True)
class Chart:
    """A chart from data, laid out once.

    PDF and HTML draw ``marks`` and ``labels`` (category labels, axis labels, value labels, legend
    entries, each a positioned ``TextBlock``). PPTX writes a native chart of ``kind`` (``bar``,
    ``stacked``, ``stacked_100``, ``line``, ``pie``, ``doughnut``) into ``rect`` with the same data,
    colours, order, axis (``axis``), plot area ``plot``, ``legend`` box, ``style`` and value labels:
    ``label_colors`` has, per series and category, the colour of the value label or ``None`` where none
    is shown. ``point_colors`` are the slice colours of a pie or doughnut (empty for other kinds).
    ``number_format`` is how the values print (``axis.number_format``: the axis labels).
    """

    rect: Rect
    kind: str
    horizontal: bool
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    plot: Rect
    number_format: NumberFormat
    style: ChartStyle
    marks: tuple[Mark, ...]
    labels: tuple[TextBlock, ...]
    label_colors: tuple[tuple[str | None, ...], ...]
    axis: ValueAxis | None
    point_colors: tuple[str, ...]
    legend: Rect | None
    alt: str = ""
    name: str = ""
    role: Role = "figure"
    group: str = ""


Item = Union[TextBlock, Box, Arrow, Rule, Picture, Table, Chart]


def grouped(items: Iterable[Item], group: str) -> list[Item]:
    """``items`` marked as one group (a card, a panel, a figure card): a renderer keeps them together
    (PowerPoint: one group shape; a tagged PDF: one element, read whole before the next)."""
    out = []
    for item in items:  # a copy with its group set: what dataclasses.replace does, without calling __init__
        cls = type(item)
        names = _FIELDS.get(cls) or _FIELDS.setdefault(cls, tuple(f.name for f in fields(cls) if f.name != "group"))
        marked = object.__new__(cls)
        for name in names:
            object.__setattr__(marked, name, getattr(item, name))
        object.__setattr__(marked, "group", group)
        out.append(marked)
    return out


_FIELDS: dict[type, tuple[str, ...]] = {}


PageRole = Literal["body", "section", "cover"]
"""What a page is in its document, as the layout knows it: ``cover``: a document's title page (the cover
sheet's first page); ``section``: a page that opens a part of a material (the core's ``section`` kind);
``body``: any other page. PowerPoint gives a cover a title slide layout and a section page a section
header layout; a kind says which its pages are (``SlideKind.page_role``)."""


@dataclass(frozen=True, slots=True)
class Page:
    """One page: size in points and the items in drawing order; ``kind`` is the slide kind it was
    laid out from (``bullets``, ``section``…; ``cover`` and ``roster`` on the cover sheet), ``role``
    what the page is (``PageRole``) and ``name`` what a page of its kind is called in the deck
    (「セクション」, 「表紙」, 「名簿」: PowerPoint lists the slide layout such pages share under that name;
    empty: the page shares a layout with the pages that show the same frame).

    ``body`` is the rectangle the frame left for the page's content (between the title rule and
    the footer; on the cover sheet, inside the margins): what ``layout.page_fill`` measures
    against. Renderers do not need it. ``layout`` is, for a page of a document built on a
    PowerPoint template (``Document.template``), the name of the template's layout the page uses.
    """

    width: float
    height: float
    items: tuple[Item, ...]
    number: int = 1
    material_id: str = ""
    kind: str = ""
    body: Rect | None = None
    role: PageRole = "body"
    name: str = ""
    layout: str = ""

    def text_blocks(self) -> list[TextBlock]:
        """Every text block, table cell text and chart labels included, in drawing order."""
        blocks: list[TextBlock] = []
        for item in self.items:
            if isinstance(item, TextBlock):
                blocks.append(item)
            elif isinstance(item, Table):
                blocks.extend(cell.text for cell in item.cells if cell.text is not None)
            elif isinstance(item, Chart):
                blocks.extend(item.labels)
        return blocks


@dataclass(frozen=True, slots=True)
class FontFaces:
    """The font family both renderers use: files for PDF embedding, name for PPTX."""

    family: str
    regular: Path
    bold: Path
    regular_index: int = 0
    bold_index: int = 0


@dataclass(frozen=True, slots=True)
class Palette:
    """The meeting theme's colours (``RRGGBB``), for what a renderer offers beyond the pages: a
    PowerPoint theme whose colour picker and fonts match the deck."""

    accent: str = "1F4E79"
    accent_light: str = "DEEAF6"
    text: str = "1A1A1A"


@dataclass(frozen=True, slots=True)
class DeckTemplate:
    """The secretariat's PowerPoint template a document's deck is built on: its file (the PPTX renderer
    copies its slide master, layouts, theme and pictures, and refuses a file whose SHA-256 is no longer
    ``digest``, the one laid out), and the artwork the layout left out (``left_out``: part name and shape
    id, 0 for a background), which the deck leaves out too."""

    path: Path
    digest: str
    left_out: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Document:
    """One output file's worth of pages, with its metadata and bookmarks; ``template``: the PowerPoint
    template its deck is built on (each page names its layout), ``None`` for a deck of its own."""

    title: str
    pages: tuple[Page, ...]
    fonts: FontFaces
    author: str = ""
    subject: str = ""
    created: str = "2000-01-01T00:00:00"  # ISO 8601, from the meeting, never the clock
    bookmarks: tuple[tuple[str, int], ...] = field(default_factory=tuple)  # (title, page index)
    palette: Palette = field(default_factory=Palette)
    template: DeckTemplate | None = None

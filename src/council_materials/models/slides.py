"""The built-in slide kinds: one pydantic model per kind, keyed on ``kind``.

Plugins build these from their own content; the ``slides`` material type
reads them straight from YAML. A plugin may register further kinds (model +
layout function) through the ``slide_kinds`` hook. Every text field is
``Text``: cleaned, with ``**bold**`` emphasis.
"""
from __future__ import annotations

from typing import Literal, Union

from pydantic import Field, model_validator

from .base import StrictModel
from .charts import ChartData
from .meeting import RelPath
from .text import Text

__all__ = [
    "BulletItem", "Bullet", "Photo", "SlideBase", "SectionSlide", "BulletsSlide",
    "CardField", "Card", "CardsSlide", "Cell", "TableData", "TableSlide", "Panel",
    "ComparisonSlide", "Figure", "FiguresSlide", "RoadmapRow", "RoadmapSlide",
    "Event", "EventReportSlide", "ImageSlide", "PanelsSlide", "ChartSlide", "BUILTIN_SLIDES",
]


class BulletItem(StrictModel):
    """A bullet with optional nested bullets."""

    text: Text
    children: list["Bullet"] = Field(default_factory=list)


Bullet = Union[Text, BulletItem]
"""A bullet: plain text, or text with children."""


class Photo(StrictModel):
    """A picture in a box, with a caption printed under it as real text."""

    path: RelPath = Field(description="PNG or JPEG, relative to the meeting folder")
    caption: Text | None = None
    alt: Text | None = Field(None, description="Alternative text; defaults to the caption")
    fit: Literal["fit", "fill"] = Field(
        "fit", description="fit: the whole picture, letterboxed in its box; fill: the box filled, "
        "the picture cropped evenly on the sides that stick out")


class SlideBase(StrictModel):
    """Fields every slide kind has."""

    kind: str
    header: Text | None = Field(None, description="Small running line above the title")
    title: Text | None = None
    subtitle: Text | None = None
    notes: list[Text] = Field(default_factory=list, description="Footnotes (※ …) at the bottom")


class SectionSlide(SlideBase):
    """A section title page: large centred title, optional lines under it."""

    kind: Literal["section"] = "section"
    title: Text
    lines: list[Text] = Field(default_factory=list)


class BulletsSlide(SlideBase):
    """Nested bullet list, in one or more columns."""

    kind: Literal["bullets"] = "bullets"
    items: list[Bullet]
    columns: int = Field(1, ge=1, le=3, strict=True)


class CardField(StrictModel):
    """A labelled field of a card, e.g. ①目的, with text, bullets or a picture."""

    label: Text
    text: Text | None = None
    items: list[Bullet] = Field(default_factory=list)
    photos: list[Photo] = Field(default_factory=list)


class Card(StrictModel):
    """A card with a heading, an optional tag (e.g. 計画Phase) and labelled fields."""

    heading: Text
    tag: Text | None = None
    fields: list[CardField] = Field(default_factory=list)


class CardsSlide(SlideBase):
    """A grid of cards."""

    kind: Literal["cards"] = "cards"
    cards: list[Card] = Field(min_length=1)
    columns: int = Field(2, ge=1, le=4, strict=True)


MAX_COLUMNS = 40
"""The most columns a table may have (a page at 6 pt shows fewer)."""


class Cell(StrictModel):
    """A table cell; ``colspan``/``rowspan`` merge cells."""

    text: Text = ""
    colspan: int = Field(1, ge=1, le=MAX_COLUMNS, strict=True)
    rowspan: int = Field(1, ge=1, strict=True)
    align: Literal["left", "center", "right"] | None = None


class TableData(StrictModel):
    """Rows of cells; the first ``header_rows`` rows are headers."""

    rows: list[list[Union[Cell, Text, None]]] = Field(min_length=1)
    header_rows: int = Field(1, ge=0, strict=True)
    widths: list[float] | None = Field(None, description="Relative column widths; default: from content")
    striped: bool = False

    @model_validator(mode="after")
    def _spans_inside(self) -> "TableData":
        for r, row in enumerate(self.rows):
            for c, cell in enumerate(row):
                if isinstance(cell, Cell) and r + cell.rowspan > len(self.rows):
                    raise ValueError(f"row {r + 1}, cell {c + 1}: rowspan {cell.rowspan} reaches past the "
                                     f"last row ({len(self.rows)} rows)")
        if self.header_rows > len(self.rows):
            raise ValueError(f"header_rows is {self.header_rows} but the table has {len(self.rows)} rows")
        widths = self._row_widths()
        for number, width in enumerate(widths[1:], 2):
            if width != widths[0]:
                raise ValueError(f"row {number} covers {width} columns but row 1 covers {widths[0]}: every row must "
                                 "cover the same columns (each cell counts its colspan, and a cell above with a "
                                 "rowspan covers its columns in the rows below)")
        return self

    def _row_widths(self) -> list[int]:
        """How many columns each row covers: its cells' colspans and the slots rowspans from above cover
        (``_spans_inside`` has checked that no rowspan reaches past the last row)."""
        covered: set[tuple[int, int]] = set()  # slots covered by a rowspan from a row above
        widths = [0] * len(self.rows)
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while (r, c) in covered:
                    c += 1
                span, down = (cell.colspan, cell.rowspan) if isinstance(cell, Cell) else (1, 1)
                covered.update((r + dr, c + dc) for dr in range(1, down) for dc in range(span))
                c += span
                if c > MAX_COLUMNS:
                    raise ValueError(f"row {r + 1} covers more than {MAX_COLUMNS} columns, more than a page can "
                                     "show")
                for dr in range(down):
                    widths[r + dr] = max(widths[r + dr], c)
        return widths

    def cells(self) -> list[list[Cell]]:
        """Rows with plain strings and ``None`` (an empty cell) turned into cells.

        A slot covered by another cell's ``colspan``/``rowspan`` is simply left out of its row.
        """
        return [[Cell(text=c or "") if c is None or isinstance(c, str) else c for c in row] for row in self.rows]


class TableSlide(SlideBase):
    """A table, optionally with a caption and bullets above it and a chart beside it.

    A table too long for the page continues on the next pages, its header rows repeated and
    「（続き）」 after the title; bullets and chart stay on the first page.
    """

    kind: Literal["table"] = "table"
    items: list[Bullet] = Field(default_factory=list, description="Bullets above the table")
    table: TableData
    caption: Text | None = None
    chart: ChartData | None = Field(None, description="A chart to the right of the table (first page)")


class Panel(StrictModel):
    """A headed box of bullets, text and pictures."""

    heading: Text | None = None
    text: Text | None = None
    items: list[Bullet] = Field(default_factory=list)
    photos: list[Photo] = Field(default_factory=list)
    charts: list[ChartData] = Field(default_factory=list, description="Charts under the text, beside the pictures")
    weight: float = Field(1.0, gt=0, description="Share of the available width or height")


class ComparisonSlide(SlideBase):
    """Two columns with an arrow between them: 現状・課題 → 将来像."""

    kind: Literal["comparison"] = "comparison"
    left: Panel
    right: Panel
    arrow: Text | None = None


class Figure(StrictModel):
    """A key figure: label, big value, unit, e.g. 渡航 99 都市."""

    label: Text
    value: Text
    unit: Text | None = None
    note: Text | None = None


class FiguresSlide(SlideBase):
    """Key figures (big numbers with labels), with optional bullets."""

    kind: Literal["figures"] = "figures"
    items: list[Bullet] = Field(default_factory=list)
    figures: list[Figure] = Field(min_length=1)


class RoadmapRow(StrictModel):
    """One row of a roadmap: a label and one cell per step; ``goal`` None joins the goal above."""

    label: Text
    steps: list[Text | None]
    goal: Text | None = None


class RoadmapSlide(SlideBase):
    """Rows × STEP 1, STEP 2, STEP 3 → 実現."""

    kind: Literal["roadmap"] = "roadmap"
    phase: Text | None = Field(None, description="Label of the phase, e.g. 施工Phase")
    steps: list[Text] = Field(default_factory=lambda: ["STEP 1", "STEP 2", "STEP 3"])
    goal_heading: Text = "実現"
    rows: list[RoadmapRow] = Field(min_length=1)

    @model_validator(mode="after")
    def _row_widths(self) -> "RoadmapSlide":
        for number, row in enumerate(self.rows, 1):
            if len(row.steps) != len(self.steps):
                raise ValueError(
                    f"row {number} ({row.label!r}) has {len(row.steps)} steps, expected {len(self.steps)}")
        return self


class Event(StrictModel):
    """One event or visit of an event report."""

    name: Text
    owner: Text | None = Field(None, description="Bureau(s), printed as 【…】")
    period: Text | None = Field(None, description="会期 / 日程")
    period_label: Text = "会期"
    place: Text | None = None
    activities: list[Bullet] = Field(default_factory=list, description="取組")
    results: list[Bullet] = Field(default_factory=list, description="成果")
    photos: list[Photo] = Field(default_factory=list)


class EventReportSlide(SlideBase):
    """概要, events (会期, 場所, 取組, photos), 次年度に向けて."""

    kind: Literal["event_report"] = "event_report"
    overview: list[Bullet] = Field(default_factory=list)
    events: list[Event] = Field(min_length=1)
    next_year: Text | None = None
    next_year_label: Text = "次年度に向けて"


class ImageSlide(SlideBase):
    """One or more pictures with captions, optionally with bullets beside them."""

    kind: Literal["image"] = "image"
    photos: list[Photo] = Field(min_length=1)
    items: list[Bullet] = Field(default_factory=list)


class PanelsSlide(SlideBase):
    """Headed panels arranged in a grid; the workhorse for mixed pages."""

    kind: Literal["panels"] = "panels"
    panels: list[Panel] = Field(min_length=1)
    columns: int = Field(1, ge=1, le=4, strict=True)
    footer_panel: Panel | None = Field(None, description="A full-width panel at the bottom, e.g. 次年度に向けて")


class ChartSlide(SlideBase):
    """Charts from data in a grid, optionally with bullets above them."""

    kind: Literal["chart"] = "chart"
    items: list[Bullet] = Field(default_factory=list, description="Bullets above the charts")
    charts: list[ChartData] = Field(min_length=1, max_length=6)
    columns: int | None = Field(None, ge=1, le=3, strict=True, description="Charts per row; default: the grid that "
                                                              "gives each chart the most room")


BulletItem.model_rebuild()

BUILTIN_SLIDES: tuple[type[SlideBase], ...] = (
    SectionSlide, BulletsSlide, CardsSlide, TableSlide, ComparisonSlide, FiguresSlide,
    RoadmapSlide, EventReportSlide, ImageSlide, PanelsSlide, ChartSlide,
)

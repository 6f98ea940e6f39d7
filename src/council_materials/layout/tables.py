"""Tables: measured once, placed with merged cells, and split over pages by rows.

Input: a ``TableData`` (rows of cells, header rows, relative widths, striping) and a width
or a rectangle. Output: a ``Table`` primitive (column widths from content unless given,
numbers with their units right-aligned, header rows filled, optional striping), or, for a
table too long for its page, the ``TableData`` of each page: the header rows repeated on
every page, the body cut only between rows that no ``rowspan`` joins.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import OverflowError_
from ..models import Cell, TableData, plain
from .context import LayoutContext
from .primitives import Align, Rect, Table, TableCell, TextBlock

__all__ = ["TablePlan", "measure_table", "table", "split_table"]

PAD = 4.0
STRIPE = "F2F2F2"
_NUMERIC = re.compile(r"^[\s約]*[-+]?[\d０-９][\d０-９,，.．\s]*(%|％|名|回|人|件|円|万円|億円|都市|時間|日|年|か所)?(\s*\(.*\))?$")


@dataclass(frozen=True)
class TablePlan:
    """Where each cell sits, the column widths and row heights at one width and size."""

    grid: dict[tuple[int, int], Cell]
    widths: list[float]
    heights: list[float]
    size: float


def measure_table(ctx: LayoutContext, data: TableData, width: float, size: float | None = None) -> TablePlan:
    """Column widths filling ``width`` and the height every row needs."""
    size = size or ctx.size
    grid = _place(data.cells())
    ncols = max(c + s.colspan for (r, c), s in grid.items())
    widths = _column_widths(ctx, data, grid, ncols, width, size)
    heights = [ctx.line(size) + 2 * PAD] * len(data.rows)
    for (r, c), cell in grid.items():
        if cell.rowspan == 1:
            w = sum(widths[c:c + cell.colspan]) - 2 * PAD
            bold = r < data.header_rows
            heights[r] = max(heights[r], ctx.measure(ctx.paras(cell.text, bold=bold), w, size) + 2 * PAD)
    for (r, c), cell in grid.items():
        if cell.rowspan > 1:
            w = sum(widths[c:c + cell.colspan]) - 2 * PAD
            need = ctx.measure(ctx.paras(cell.text), w, size) + 2 * PAD
            have = sum(heights[r:r + cell.rowspan])
            if need > have:
                heights[r + cell.rowspan - 1] += need - have
    return TablePlan(grid, widths, heights, size)


def _cell_align(cell: Cell, header: bool) -> Align:
    if cell.align:
        return cell.align
    if header:
        return "center"
    return "right" if _NUMERIC.match(plain(cell.text)) else "left"


def table(ctx: LayoutContext, data: TableData, rect: Rect, name: str, *, size: float | None = None,
          fit_height: bool = True, alt: str = "", spread: float = 0.0, plan: TablePlan | None = None) -> Table:
    """A table with merged cells, widths from content, numbers right-aligned, header filled; ``alt``
    says what it is about (its caption or the slide's title). ``spread``: points added to each row
    below the header (a short table on a page of its own). ``plan``: the table measured already at
    ``rect``'s width (``measure_table``)."""
    plan = plan or measure_table(ctx, data, rect.w, size)
    widths, size = plan.widths, plan.size
    heights = [h + (spread if r >= data.header_rows else 0.0) for r, h in enumerate(plan.heights)]
    total = sum(heights)
    if fit_height and total > rect.h + 0.01:
        shown = "\n".join(cell if isinstance(cell, str) else cell.text for row in data.rows for cell in row if cell)
        ctx.overflowed(OverflowError_(material=ctx.material, page=ctx.page, box=name, source=f"{name}.rows",
                                      needed=total, available=rect.h, text=shown), rect)
    xs = [rect.x + sum(widths[:i]) for i in range(len(widths) + 1)]
    ys = [rect.y + sum(heights[:i]) for i in range(len(heights) + 1)]
    cells = []
    for (r, c), cell in sorted(plan.grid.items()):
        header = r < data.header_rows
        box = Rect(xs[c], ys[r], xs[c + cell.colspan] - xs[c], ys[r + cell.rowspan] - ys[r])
        striped = data.striped and (r - data.header_rows) % 2 == 1
        fill = ctx.theme.accent if header else (STRIPE if striped else None)
        text: TextBlock | None = None
        if cell.text:
            text = ctx.set_text(ctx.paras(cell.text, bold=header), box.inset(PAD), size=size,
                                color="FFFFFF" if header else None, align=_cell_align(cell, header),
                                valign="middle", name=f"{name} r{r + 1}c{c + 1}",
                                source=f"{name}.rows[{r}][{c}]")
        cells.append(TableCell(r, c, cell.rowspan, cell.colspan, box, fill, text, header))
    return Table(Rect(rect.x, rect.y, sum(widths), total), tuple(widths), tuple(heights), tuple(cells),
                 padding=PAD, name=name, alt=alt)


def split_table(data: TableData, plan: TablePlan, first: float, rest: float) -> list[TableData]:
    """The table cut into pages: ``first`` points high on the first page, ``rest`` on the others.

    Each page repeats the header rows and keeps the whole table's column widths. A page takes at
    least one group of rows joined by ``rowspan``, even one too tall for it (laying it out then
    names the overflow). One part when everything fits, or when the header cannot be cut off.
    """
    head = data.header_rows
    heights = plan.heights
    if sum(heights) <= first + 0.01:
        return [data]
    reach = [0] * (len(heights) + 1)  # reach[r]: the row after the last one a cell starting at r joins
    for (r, _), cell in plan.grid.items():
        reach[r] = max(reach[r], r + cell.rowspan)
    cuts, furthest = [], 0
    for row in range(len(heights)):
        furthest = max(furthest, reach[row])
        if furthest <= row + 1:
            cuts.append(row + 1)  # a page may end after this row
    if head and head not in cuts:
        return [data]
    head_h = sum(heights[:head])
    parts, start, room = [], head, first
    while start < len(heights):
        end, used = start, head_h
        for cut in cuts:
            if cut <= start:
                continue
            grown = used + sum(heights[end:cut])
            if grown > room + 0.01 and end > start:
                break
            end, used = cut, grown
            if used > room + 0.01:
                break
        parts.append((start, end))
        start, room = end, rest
    widths = [round(w, 3) for w in plan.widths]
    return [TableData(rows=data.rows[:head] + data.rows[a:b], header_rows=head, widths=widths, striped=data.striped)
            for a, b in parts]


def _place(rows: list[list[Cell]]) -> dict[tuple[int, int], Cell]:
    """Map each cell to its (row, column), skipping slots covered by spans."""
    taken: set[tuple[int, int]] = set()
    grid: dict[tuple[int, int], Cell] = {}
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            grid[(r, c)] = cell
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, c + dc))
            c += cell.colspan
    if len(rows) and max(r + cell.rowspan for (r, _), cell in grid.items()) > len(rows):
        raise ValueError("a rowspan reaches past the last row")
    return grid


def _column_widths(ctx: LayoutContext, data: TableData, grid: dict[tuple[int, int], Cell], ncols: int,
                   total: float, size: float) -> list[float]:
    if data.widths:
        weights = list(data.widths) + [1.0] * (ncols - len(data.widths))
        return [total * w / sum(weights[:ncols]) for w in weights[:ncols]]
    natural = [size * 2 + 2 * PAD] * ncols
    for (r, c), cell in grid.items():
        if cell.colspan == 1:
            longest = max((ctx.width(plain(line), size, bold=r < data.header_rows)
                           for line in cell.text.split("\n")), default=0.0)
            natural[c] = max(natural[c], longest + 2 * PAD + 1)
    floor = [min(n, max(total / ncols * 0.5, size * 3)) for n in natural]
    if sum(natural) <= total:
        return [n * total / sum(natural) for n in natural]
    spare = total - sum(floor)
    extra = [n - f for n, f in zip(natural, floor)]
    return [f + spare * e / sum(extra) if sum(extra) else total / ncols for f, e in zip(floor, extra)]

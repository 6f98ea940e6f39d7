"""Building blocks the slide kinds share: pictures, headed panels, tables, bands.

Input: parts of slide models and a rectangle. Output: lists of positioned
primitives inside that rectangle (or an error naming the box that does not
fit). Kind layout functions in ``kinds.py`` compose these; plugin layout
functions may too.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Sequence

from ..errors import InputError, OverflowError_, Problem
from ..models import Cell, Panel, Photo, TableData, plain
from .context import LEADING, LayoutContext, ParaSpec
from .primitives import Box, Item, Picture, Rect, Table, TableCell, TextBlock

__all__ = ["CAPTION_SIZE", "GAP", "picture_size", "photo", "photo_grid", "panel", "band", "table",
           "label_band"]

CAPTION_SIZE = 9.0
GAP = 8.0
_NUMERIC = re.compile(r"^[\s約]*[-+]?[\d０-９][\d０-９,，.．\s]*(%|％|名|回|人|件|円|万円|億円|都市|時間|日|年|か所)?(\s*\(.*\))?$")


def picture_size(path: Path, source: str) -> tuple[int, int]:
    """Pixel size of a PNG or JPEG, or an ``InputError`` naming the file."""
    from PIL import Image, UnidentifiedImageError

    if not path.is_file():
        raise InputError([Problem(path, "picture not found", field=source)])
    try:
        with Image.open(path) as image:
            if image.format not in ("PNG", "JPEG"):
                raise InputError([Problem(path, f"unsupported picture format {image.format}; use PNG or JPEG",
                                          field=source)])
            return image.size
    except (UnidentifiedImageError, OSError) as exc:
        raise InputError([Problem(path, f"cannot read picture ({exc})", field=source)]) from exc


def photo(ctx: LayoutContext, item: Photo, rect: Rect, name: str) -> list[Item]:
    """A picture letterboxed into ``rect`` with its caption right under it, centred as a group."""
    path = ctx.meeting_dir / item.path
    width_px, height_px = picture_size(path, f"{name}.path")
    paras = ctx.paras(item.caption) if item.caption else []
    cap_h = ctx.measure(paras, rect.w, CAPTION_SIZE) if paras else 0.0
    room = rect.h - cap_h - (2 if paras else 0)
    if room < 24:
        raise OverflowError_(material=ctx.material, page=ctx.page, box=name, source=f"{name}.path",
                             needed=24 + rect.h - room, available=rect.h)
    scale = min(rect.w / width_px, room / height_px)
    w, h = width_px * scale, height_px * scale
    top = rect.y + (room - h) / 2
    placed = Rect(rect.x + (rect.w - w) / 2, top, w, h)
    items: list[Item] = [Picture(path=path, rect=placed, alt=item.alt or plain(item.caption or ""), name=name)]
    if paras:
        items.append(ctx.set_text(paras, Rect(rect.x, placed.bottom + 2, rect.w, cap_h), size=CAPTION_SIZE,
                                  align="center", name=f"{name} caption", source=f"{name}.caption"))
    return items


PHOTO_ASPECT = 1.5
"""Width/height the grid plans for when choosing rows and columns (pictures keep their own)."""


def photo_grid(ctx: LayoutContext, photos: Sequence[Photo], rect: Rect, name: str,
               columns: int | None = None) -> list[Item]:
    """Pictures in the grid (columns × rows) that shows them largest inside ``rect``."""
    if not photos:
        return []
    count = len(photos)

    def picture_area(cols: int) -> float:
        rows = -(-count // cols)
        cell_w = (rect.w - GAP * (cols - 1)) / cols
        cell_h = (rect.h - GAP * (rows - 1)) / rows - CAPTION_SIZE * LEADING * 2
        if cell_h <= 0:
            return 0.0
        width = min(cell_w, cell_h * PHOTO_ASPECT)
        return width * width / PHOTO_ASPECT

    cols = columns or max(range(1, count + 1), key=lambda c: (round(picture_area(c), 1), -c))
    rows = -(-count // cols)
    cell_w = (rect.w - GAP * (cols - 1)) / cols
    cell_h = (rect.h - GAP * (rows - 1)) / rows
    items: list[Item] = []
    for index, item in enumerate(photos):
        r, c = divmod(index, cols)
        cell = Rect(rect.x + c * (cell_w + GAP), rect.y + r * (cell_h + GAP), cell_w, cell_h)
        items.extend(photo(ctx, item, cell, f"{name} photo {index + 1}"))
    return items


def band(ctx: LayoutContext, text: str, rect: Rect, *, name: str, size: float | None = None,
         fill: str | None = None, color: str = "FFFFFF") -> list[Item]:
    """A filled heading band with bold text, vertically centred."""
    size = size or ctx.theme.base_size
    return [Box(rect, fill=fill or ctx.theme.accent, name=name),
            ctx.set_text(ctx.paras(text, bold=True), rect.inset(6, 2), size=size, color=color,
                         valign="middle", name=name, source=name)]


def label_band(ctx: LayoutContext, label: str, text: str, rect: Rect, *, name: str) -> list[Item]:
    """A label box on the left (e.g. 次年度に向けて) and text on the right, in one frame."""
    size = ctx.theme.base_size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    items: list[Item] = [Box(rect, fill="FFFFFF", stroke=ctx.theme.accent, stroke_width=1.0, name=name)]
    items += band(ctx, label, Rect(rect.x, rect.y, label_w, rect.h), name=f"{name} label", size=size)
    items.append(ctx.set_text(text, Rect(rect.x + label_w + 8, rect.y + 3, rect.w - label_w - 14, rect.h - 6),
                              size=size, valign="middle", name=name, source=name))
    return items


def label_band_height(ctx: LayoutContext, label: str, text: str, width: float) -> float:
    size = ctx.theme.base_size
    label_w = min(max(ctx.width(label, size, bold=True) + 16, 70), 130)
    need = ctx.measure(ctx.paras(text), width - label_w - 14, size) + 8
    label_need = ctx.measure(ctx.paras(label, bold=True), label_w - 12, size) + 6
    return max(need, label_need, size * LEADING + 10)


def panel_body(ctx: LayoutContext, panel: Panel, size: float) -> list[ParaSpec]:
    return ctx.paras(panel.text) + ctx.bullets(panel.items, size)


def panel(ctx: LayoutContext, item: Panel, rect: Rect, name: str, *, size: float | None = None,
          photo_columns: int | None = None) -> list[Item]:
    """A framed panel: heading band, text and bullets, then pictures in what is left."""
    size = size or ctx.theme.base_size
    items: list[Item] = [Box(rect, stroke=ctx.theme.accent, stroke_width=0.75, name=name)]
    inner = rect.inset(6)
    top = rect.y
    if item.heading:
        head_h = ctx.measure(ctx.paras(item.heading, bold=True), rect.w - 12, size) + 6
        items += band(ctx, item.heading, Rect(rect.x, rect.y, rect.w, head_h), name=f"{name} heading", size=size)
        top = rect.y + head_h
    body = Rect(inner.x, top + 5, inner.w, rect.bottom - top - 10)
    paras = panel_body(ctx, item, size)
    if item.photos:
        text_h = ctx.measure(paras, body.w, size) if paras else 0.0
        if paras:
            items.append(ctx.set_text(paras, Rect(body.x, body.y, body.w, min(text_h, body.h)), size=size,
                                      name=name, source=f"{name}.items"))
        grid = Rect(body.x, body.y + text_h + (GAP if paras else 0), body.w,
                    body.h - text_h - (GAP if paras else 0))
        items += photo_grid(ctx, item.photos, grid, name, photo_columns)
    elif paras:
        items.append(ctx.set_text(paras, body, size=size, name=name, source=f"{name}.items"))
    return items


def panel_height(ctx: LayoutContext, item: Panel, width: float, size: float | None = None) -> float:
    """Height a panel's text needs (pictures excluded)."""
    size = size or ctx.theme.base_size
    head = ctx.measure(ctx.paras(item.heading, bold=True), width - 12, size) + 6 if item.heading else 0.0
    return head + ctx.measure(panel_body(ctx, item, size), width - 12, size) + 12


# -- tables --------------------------------------------------------------------------------
def _cell_align(cell: Cell, header: bool) -> str:
    if cell.align:
        return cell.align
    if header:
        return "center"
    return "right" if _NUMERIC.match(plain(cell.text)) else "left"


def table(ctx: LayoutContext, data: TableData, rect: Rect, name: str, *, size: float | None = None,
          fit_height: bool = True) -> Table:
    """A table with merged cells, widths from content, numbers right-aligned, header filled."""
    size = size or ctx.theme.base_size - 1
    pad = 4.0
    grid = _place(data.cells())
    ncols = max(c + s.colspan for (r, c), s in grid.items())
    nrows = len(data.rows)
    widths = _column_widths(ctx, data, grid, ncols, rect.w, size, pad)
    heights = [size * LEADING + 2 * pad] * nrows
    for (r, c), cell in grid.items():
        if cell.rowspan == 1:
            w = sum(widths[c:c + cell.colspan]) - 2 * pad
            bold = r < data.header_rows
            heights[r] = max(heights[r], ctx.measure(ctx.paras(cell.text, bold=bold), w, size) + 2 * pad)
    for (r, c), cell in grid.items():
        if cell.rowspan > 1:
            w = sum(widths[c:c + cell.colspan]) - 2 * pad
            need = ctx.measure(ctx.paras(cell.text), w, size) + 2 * pad
            have = sum(heights[r:r + cell.rowspan])
            if need > have:
                heights[r + cell.rowspan - 1] += need - have
    total = sum(heights)
    if fit_height and total > rect.h + 0.01:
        raise OverflowError_(material=ctx.material, page=ctx.page, box=name, source=f"{name}.rows",
                             needed=total, available=rect.h)
    xs = [rect.x + sum(widths[:i]) for i in range(ncols + 1)]
    ys = [rect.y + sum(heights[:i]) for i in range(nrows + 1)]
    cells = []
    for (r, c), cell in sorted(grid.items()):
        header = r < data.header_rows
        box = Rect(xs[c], ys[r], xs[c + cell.colspan] - xs[c], ys[r + cell.rowspan] - ys[r])
        fill = ctx.theme.accent if header else ("F2F2F2" if data.striped and r % 2 == 0 else None)
        text: TextBlock | None = None
        if cell.text:
            text = ctx.set_text(ctx.paras(cell.text, bold=header), box.inset(pad), size=size,
                                color="FFFFFF" if header else None, align=_cell_align(cell, header),
                                valign="middle", name=f"{name} r{r + 1}c{c + 1}",
                                source=f"{name}.rows[{r}][{c}]")
        cells.append(TableCell(r, c, cell.rowspan, cell.colspan, box, fill, text, header))
    return Table(Rect(rect.x, rect.y, sum(widths), total), tuple(widths), tuple(heights), tuple(cells),
                 padding=pad, name=name)


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
                   total: float, size: float, pad: float) -> list[float]:
    if data.widths:
        weights = list(data.widths) + [1.0] * (ncols - len(data.widths))
        return [total * w / sum(weights[:ncols]) for w in weights[:ncols]]
    natural = [size * 2 + 2 * pad] * ncols
    for (r, c), cell in grid.items():
        if cell.colspan == 1:
            longest = max((ctx.width(plain(line), size, bold=r < data.header_rows)
                           for line in cell.text.split("\n")), default=0.0)
            natural[c] = max(natural[c], longest + 2 * pad + 1)
    floor = [min(n, max(total / ncols * 0.5, size * 3)) for n in natural]
    if sum(natural) <= total:
        return [n * total / sum(natural) for n in natural]
    spare = total - sum(floor)
    extra = [n - f for n, f in zip(natural, floor)]
    return [f + spare * e / sum(extra) if sum(extra) else total / ncols for f, e in zip(floor, extra)]

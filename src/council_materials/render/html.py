"""HTML/SVG renderer: draws a laid-out page as an SVG element for the browser.

Takes a ``council_materials.layout.primitives.Page`` (positioned primitives, text
already broken into lines and runs) and a function giving the address of each
picture file, and returns the markup of one ``<svg>`` element at the page's size
in points (``width="841.89pt"``: the PDF's size at 100 % zoom), whose user units
are the layout's points. ``font_faces_css`` declares the family it draws with
(the build's regular and bold faces, served as web fonts).

It decides nothing, like the PDF renderer it mirrors (``render/pdf.py``): the
layout's top-left, y-down points are SVG's own, so not even a conversion is
needed. Every run is placed at its own (x, baseline) in the build's font, with
kerning, ligatures and contextual forms off, so each glyph advances by the
font's own width as in the PDF; boxes, rules, arrows, tables, pictures (the
files the layout chose, downscaled ones from the cache) and charts (the marks
and labels the layout computed) are drawn in the layout's order. Text is
escaped, never parsed as markup; colours must be six hex digits.
"""
from __future__ import annotations

import math
from html import escape
from string import hexdigits
from typing import Any, Callable

from council_materials.layout.primitives import (
    Arrow, Box, Chart, Item, Mark, Page, Picture, Polyline, Rule, Table, TextBlock, Wedge,
)

__all__ = ["render_page", "font_faces_css", "FAMILY", "TEXT_CSS"]

FAMILY = "council-face"
"""The CSS family name the pages draw text with (see ``font_faces_css``)."""

TEXT_CSS = ("white-space:pre;font-kerning:none;font-variant-ligatures:none;"
            "font-feature-settings:'kern' 0,'liga' 0,'calt' 0,'palt' 0;text-rendering:geometricPrecision")
"""How text is shaped: spaces kept (the browser's own style for SVG text would collapse them), and each
glyph advancing by its own width, as in the PDF."""

PictureUrl = Callable[[Any], str]


def font_faces_css(regular_url: str, bold_url: str, family: str = FAMILY) -> str:
    """``@font-face`` rules for the build's two faces (weight 400 and 700) under ``family``."""
    return "".join(f"@font-face{{font-family:'{family}';src:url('{escape(url)}') format('truetype');"
                   f"font-weight:{weight};font-style:normal;font-display:block}}"
                   for url, weight in ((regular_url, 400), (bold_url, 700)))


def _n(value: float) -> str:
    """A coordinate in points, to the thousandth (the layout's own precision)."""
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _color(hex_rgb: str | None) -> str:
    """``"1F4E79"`` -> ``#1F4E79``; ``None`` -> ``none``."""
    if hex_rgb is None:
        return "none"
    if len(hex_rgb) != 6 or not all(ch in hexdigits for ch in hex_rgb):
        raise ValueError(f"colour must be six hex digits like '1F4E79', got {hex_rgb!r}")
    return f"#{hex_rgb}"


_BOLD = ' font-weight="700"'


def _draw_text_block(out: list[str], block: TextBlock, url: PictureUrl) -> None:
    """One ``<text>`` per line, one ``<tspan>`` per run at the run's own x and the line's baseline."""
    head = f'<text fill="{_color(block.color)}" font-size="{_n(block.size)}">'
    for line in block.lines:
        runs = [f'<tspan x="{_n(run.x)}" y="{_n(line.baseline)}"{_BOLD if run.bold else ""}>'
                f"{escape(run.text, quote=False)}</tspan>" for run in line.runs if run.text]
        if runs:
            out.append(head + "".join(runs) + "</text>")


def _draw_box(out: list[str], box: Box, url: PictureUrl) -> None:
    stroke = box.stroke is not None and box.stroke_width > 0
    if box.fill is None and not stroke:
        return
    r = box.rect
    radius = f' rx="{_n(box.radius)}"' if box.radius > 0 else ""
    line = f' stroke="{_color(box.stroke)}" stroke-width="{_n(box.stroke_width)}"' if stroke else ""
    out.append(f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}"{radius} '
               f'fill="{_color(box.fill)}"{line}/>')


def _draw_arrow(out: list[str], arrow: Arrow, url: PictureUrl) -> None:
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow.outline())  # PowerPoint's preset, as in the PDF
    out.append(f'<polygon points="{points}" fill="{_color(arrow.fill)}"/>')


def _draw_rule(out: list[str], rule: Rule, url: PictureUrl) -> None:
    if rule.width > 0:
        out.append(f'<line x1="{_n(rule.x1)}" y1="{_n(rule.y1)}" x2="{_n(rule.x2)}" y2="{_n(rule.y2)}" '
                   f'stroke="{_color(rule.color)}" stroke-width="{_n(rule.width)}"/>')


def _draw_picture(out: list[str], picture: Picture, url: PictureUrl) -> None:
    """The file the layout chose, stretched into its rect; a crop shows the whole picture, scaled so the
    kept part fills the rect, inside a nested viewport that clips it (the PDF's clipping path)."""
    r = picture.rect
    href = escape(url(picture.path))
    label = f' role="img" aria-label="{escape(picture.alt)}"' if picture.alt else ""
    left, top, right, bottom = picture.crop
    if not any(picture.crop):
        out.append(f'<image x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" '
                   f'preserveAspectRatio="none" href="{href}"{label}/>')
        return
    full_w, full_h = r.w / (1 - left - right), r.h / (1 - top - bottom)
    out.append(f'<svg x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" overflow="hidden">'
               f'<image x="{_n(-left * full_w)}" y="{_n(-top * full_h)}" width="{_n(full_w)}" height="{_n(full_h)}" '
               f'preserveAspectRatio="none" href="{href}"{label}/></svg>')


def _point(cx: float, cy: float, radius: float, angle: float) -> str:
    """The point at ``angle`` degrees clockwise from 12 o'clock (y grows downwards)."""
    rad = math.radians(angle)
    return f"{_n(cx + radius * math.sin(rad))},{_n(cy - radius * math.cos(rad))}"


def _draw_wedge(out: list[str], wedge: Wedge, url: PictureUrl) -> None:
    """A slice or a doughnut segment; angles clockwise from 12 o'clock, as the layout gives them."""
    cx, cy, r, inner = wedge.cx, wedge.cy, wedge.radius, wedge.inner
    if wedge.sweep >= 359.99:
        def circle(radius: float) -> str:
            return (f"M{_point(cx, cy, radius, 0)}A{_n(radius)},{_n(radius)} 0 1 1 {_point(cx, cy, radius, 180)}"
                    f"A{_n(radius)},{_n(radius)} 0 1 1 {_point(cx, cy, radius, 0)}Z")
        path = circle(r) + (circle(inner) if inner else "")
    else:
        start, end = wedge.start, wedge.start + wedge.sweep
        large = 1 if wedge.sweep > 180 else 0
        if inner:
            path = (f"M{_point(cx, cy, r, start)}A{_n(r)},{_n(r)} 0 {large} 1 {_point(cx, cy, r, end)}"
                    f"L{_point(cx, cy, inner, end)}A{_n(inner)},{_n(inner)} 0 {large} 0 {_point(cx, cy, inner, start)}Z")
        else:
            path = f"M{_n(cx)},{_n(cy)}L{_point(cx, cy, r, start)}A{_n(r)},{_n(r)} 0 {large} 1 {_point(cx, cy, r, end)}Z"
    outline = wedge.outline
    line = f' stroke="{_color(outline.color)}" stroke-width="{_n(outline.width)}"' \
        if outline is not None and outline.width > 0 else ""
    out.append(f'<path d="{path}" fill="{_color(wedge.fill)}" fill-rule="evenodd"{line}/>')


def _draw_polyline(out: list[str], line: Polyline, url: PictureUrl) -> None:
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in line.points)
    out.append(f'<polyline points="{points}" fill="none" stroke="{_color(line.color)}" stroke-width="{_n(line.width)}" '
               'stroke-linejoin="round" stroke-linecap="round"/>')


def _draw_chart(out: list[str], chart: Chart, url: PictureUrl) -> None:
    """The marks (grid, bars, slices, lines, legend keys) in order, then every label."""
    label = f' role="img" aria-label="{escape(chart.alt)}"' if chart.alt else ""
    out.append(f"<g{label}>")
    for mark in chart.marks:
        _draw_item(out, mark, url)
    for text in chart.labels:
        _draw_text_block(out, text, url)
    out.append("</g>")


def _draw_table(out: list[str], table: Table, url: PictureUrl) -> None:
    """Fills, then the grid around every (merged) cell, then the cells' text."""
    for cell in table.cells:
        if cell.fill is not None:
            r = cell.rect
            out.append(f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" '
                       f'fill="{_color(cell.fill)}"/>')
    if table.border_width > 0:
        out.append(f'<g fill="none" stroke="{_color(table.border)}" stroke-width="{_n(table.border_width)}">')
        for cell in table.cells:
            r = cell.rect
            out.append(f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}"/>')
        out.append("</g>")
    for cell in table.cells:
        if cell.text is not None:
            _draw_text_block(out, cell.text, url)


_DRAW: dict[type, Callable[[list[str], Any, PictureUrl], None]] = {
    TextBlock: _draw_text_block,
    Box: _draw_box,
    Arrow: _draw_arrow,
    Rule: _draw_rule,
    Picture: _draw_picture,
    Table: _draw_table,
    Chart: _draw_chart,
    Wedge: _draw_wedge,
    Polyline: _draw_polyline,
}


def _draw_item(out: list[str], item: Item | Mark, url: PictureUrl) -> None:
    draw = _DRAW.get(type(item))
    if draw is None:
        raise TypeError(f"the HTML renderer cannot draw {type(item).__name__}")
    draw(out, item, url)


def render_page(page: Page, picture_url: PictureUrl, *, family: str = FAMILY) -> str:
    """The page as one ``<svg>`` element, ``picture_url(path)`` giving each picture's address."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="sheet" width="{_n(page.width)}pt" '
           f'height="{_n(page.height)}pt" viewBox="0 0 {_n(page.width)} {_n(page.height)}" '
           f"style=\"font-family:'{family}'\"><style>text{{{TEXT_CSS}}}</style>",
           f'<rect width="{_n(page.width)}" height="{_n(page.height)}" fill="#FFFFFF"/>']
    for item in page.items:
        try:
            _draw_item(out, item, picture_url)
        except (TypeError, ValueError) as exc:
            raise type(exc)(f"page {page.number}: {exc}") from None
    out.append("</svg>")
    return "".join(out)

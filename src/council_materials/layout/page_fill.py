"""How well a laid-out page uses its room, in figures.

Input: a ``Page`` (with the ``body`` rectangle its frame left). Output: a ``PageFill``: the
share of the body's height that holds something a reader reads (lines of text, pictures,
charts, tables; boxes, bands and arrows are decoration and do not count, so a box stretched
to the bottom around two lines counts as two lines), the body text size the layout chose,
the smallest text size on the page, and every paragraph of two or more lines whose last
line has only one or two characters. ``bench/page_fill.py`` prints these per page of a
meeting; the layout tests hold both example meetings to them.
"""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from .primitives import FRAME_ROLES, Chart, Page, Picture, Rect, Table, TextBlock

__all__ = ["PageFill", "page_fill", "short_last_lines", "SHORT", "fill_summary"]

SHORT = 2
"""A paragraph's last line with this many characters or fewer (white space aside) is too short."""


@dataclass(frozen=True)
class PageFill:
    """Figures of one page: ``used`` (0–1) of the body's height, the body text size (the size of
    most lines of body text, ``None`` without any), the smallest text size anywhere on the page,
    and the short last lines found (``(box name, last line)``)."""

    used: float
    body_size: float | None
    smallest: float | None
    short: tuple[tuple[str, str], ...]
    title: str = ""


def _spans(page: Page) -> Iterable[tuple[float, float]]:
    """Vertical extents of what a reader reads in the page's body."""
    for item in page.items:
        if isinstance(item, (Picture, Chart, Table)):
            yield item.rect.y, item.rect.bottom
        elif isinstance(item, TextBlock) and item.role not in FRAME_ROLES:
            for line in item.lines:
                if line.runs:
                    yield line.baseline - item.leading + 0.2 * item.size, line.baseline + 0.2 * item.size


def _covered(spans: Iterable[tuple[float, float]], body: Rect) -> float:
    """Length of the union of ``spans`` inside the body's height."""
    total, reach = 0.0, body.y
    for top, bottom in sorted((max(a, body.y), min(b, body.bottom)) for a, b in spans):
        if bottom <= reach:
            continue
        total += bottom - max(top, reach)
        reach = bottom
    return total


def short_last_lines(blocks: Iterable[TextBlock]) -> list[tuple[str, str]]:
    """``(box name, last line)`` of each paragraph of two or more lines ending in a line of at most
    ``SHORT`` characters."""
    found = []
    for block in blocks:
        for para in block.paragraphs:
            if len(para.lines) < 2:
                continue
            last = "".join(para.lines[-1].text.split())
            if 0 < len(last) <= SHORT:
                found.append((block.name, para.lines[-1].text))
    return found


def page_fill(page: Page) -> PageFill:
    """The figures of ``page`` (``used`` is 0 for a page laid out without a ``body``)."""
    blocks = page.text_blocks()
    sizes = [block.size for block in blocks if any(line.runs for line in block.lines)]
    body_lines: Counter[float] = Counter()
    for block in blocks:
        if block.role == "text":
            body_lines[block.size] += sum(1 for line in block.lines if line.runs)
    body_size = max(body_lines, key=lambda s: (body_lines[s], -s)) if body_lines else None
    used = _covered(_spans(page), page.body) / page.body.h if page.body and page.body.h > 0 else 0.0
    title = next((b.lines[0].text for b in blocks if b.role == "title" and b.lines), "")
    return PageFill(used=used, body_size=body_size, smallest=min(sizes, default=None),
                    short=tuple(short_last_lines(blocks)), title=title)


def fill_summary(fills: Sequence[PageFill], low: float = 0.3) -> dict[str, float | int | None]:
    """Pages, pages using under ``low`` of their body, the median share used, the smallest text size
    and the number of short last lines, over ``fills``."""
    smallest = [f.smallest for f in fills if f.smallest is not None]
    return {"pages": len(fills), "under": sum(1 for f in fills if f.used < low),
            "median": statistics.median(f.used for f in fills) if fills else 0.0,
            "smallest": min(smallest, default=None), "short": sum(len(f.short) for f in fills)}

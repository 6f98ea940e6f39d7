"""Setting text into boxes: the layout functions' one way to place text.

Input: paragraphs (runs of text with indents), a box, a size. Output: a
``TextBlock`` whose lines are broken with the build's fonts and positioned
line by line, or an ``OverflowError_`` naming the material, page, box and
content field. When the theme sets ``min_size``, text shrinks in 0.5 pt steps
down to that size before it counts as overflowing; the shrunk size is what
both renderers write. A context made with an ``overflows`` list (the preview's)
sets text that does not fit anyway, from the box's top, and notes the overflow
there instead of raising, so the material is laid out to its end.

Every file a layout reads goes through its context (``read_file``, ``open_picture``), which records
it with its stamp (``reads``): an incremental build lays a part out again when one of them changes.
"""
from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Iterator, Sequence

from ..errors import OverflowError_, Problem
from ..incremental import Reads
from ..loading import read_file
from ..models import BulletItem, Theme, parse_runs
from ..models.slides import Bullet
from ..typography.fonts import FontPair
from ..typography.linebreak import BULLET_MARKS, LineBreaker, SetLine, SetLines
from .primitives import Align, Line, Paragraph, Rect, Role, Run, TextBlock

__all__ = ["ParaSpec", "Overflow", "LayoutContext", "LEADING", "MARKS", "SMALL_SIZE", "READ_LIMIT", "half_points"]

LEADING = 1.3
"""Line pitch as a multiple of the font size."""

SMALL_SIZE = 10.5
"""The smallest text a page prints (captions, notes, chart labels, the frame's header and footer)."""


def half_points(size: float) -> float:
    """``size`` rounded down to a half point (text sizes are whole or half points)."""
    return math.floor(size * 2 + 1e-9) / 2

MARKS = BULLET_MARKS
"""Characters that, at the start of a bullet's text, serve as its own marker."""

SUB_MARK = "◦"
"""The marker of a nested bullet: a small white bullet, which no reader takes for a minus sign."""

_EPS = 0.01

READ_LIMIT = 64 * 1024 * 1024
"""The largest file ``LayoutContext.read_file`` reads by default."""

BASELINE_DESCENT = 0.2
"""Room below the baseline in a line of fixed pitch, as a fraction of the size.

Calibrated against LibreOffice 7.4 (fixed line spacing in a text box puts the
baseline 0.2 × size above the line's bottom, at every size and pitch tried),
so PDF and the converted PPTX agree to a few hundredths of a point.
"""


@dataclass(frozen=True)
class ParaSpec:
    """A paragraph to set: runs, first-line and continuation indents (points); for a list item, its
    ``bullet`` (the marker its runs begin with) and nesting ``level``."""

    runs: tuple[tuple[str, bool], ...]
    indent_first: float = 0.0
    indent_rest: float = 0.0
    bullet: str = ""
    level: int = 0


@dataclass(frozen=True)
class Overflow:
    """Text set although it does not fit: the box it was given (``rect``), the block as set (its lines
    run past the box) and the error a build raises for it (material, page, box, field, by how much)."""

    rect: Rect
    block: TextBlock | None
    error: OverflowError_


class LayoutContext:
    """What a layout function needs: theme, fonts, where errors point, helpers to set text.

    ``draft``: a bad picture becomes a visible placeholder (recorded in ``placeholders``)
    instead of an error. ``cache_dir``: where downscaled pictures are kept between builds
    (default: the user's cache folder). ``overflows``: when a list is given, an overflow is
    appended to it (``overflowed``) and the text is set anyway, instead of raising: several
    contexts (a material's pages) may share one list. ``reads``: where the files the layout reads are
    recorded (``read_file``, ``open_picture``); contexts of one slide share one.
    """

    def __init__(self, *, theme: Theme, fonts: FontPair, breaker: LineBreaker, meeting_dir: Path,
                 material: str, page: int = 1, draft: bool = False, cache_dir: Path | None = None,
                 overflows: list[Overflow] | None = None, size: float | None = None, shrink: bool = True,
                 leading: float | None = None, fewer: int = 0, place_files: bool = True,
                 reads: Reads | None = None) -> None:
        self.theme = theme
        self.fonts = fonts
        self.breaker = breaker
        self.meeting_dir = meeting_dir
        self.material = material
        self.page = page
        self.draft = draft
        self.cache_dir = cache_dir
        self.placeholders: list[Problem] = []
        self.overflows = overflows
        self.size = size or theme.base_size
        """The body text size of the slide being laid out (``document.grown`` chooses it)."""
        self.shrink = shrink
        """Whether text may shrink to the theme's ``min_size`` (not while a larger size is being tried)."""
        self.free: float | None = None
        """The vertical room the layout left unused (``leave``); ``None``: nothing to grow into."""
        self.leading = leading or LEADING
        """Line pitch as a multiple of the size (``document.grown`` may open it up on a sparse slide)."""

        self.fewer = fewer
        """Columns a grid of panels or cards gives up (``columns``): a sparse slide set in wider ones."""
        self.worst_break = 0
        """The worst line break set so far (``typography.linebreak``'s classes): a larger size that
        splits what the base size kept whole is not taken (``sizing.grown``)."""
        self.reads = Reads() if reads is None else reads
        """The files this layout read, each with its stamp (``read_file``, ``open_picture``)."""
        self.place_files = place_files
        """Whether pictures get their downscaled files now (off while a slide's text size is chosen:
        ``pictures.embedded`` makes them for the layout kept)."""
        self.reflowable = False
        """Whether the layout set a grid that could take fewer columns (``document.grown`` may try it)."""

    def read_file(self, relative: str, limit: int = READ_LIMIT) -> bytes:
        """The bytes of the file ``relative`` (to the meeting folder), recorded as read: a regular file inside
        the meeting folder (links resolved) of at most ``limit`` bytes, else an ``InputError`` naming it.
        A plugin kind that reads a file of the meeting folder reads it here, so that a build notices when
        it changes."""
        path = self.meeting_dir / relative
        self.reads.record(path)
        return read_file(path, limit, inside=self.meeting_dir)

    def open_picture(self, relative: str, field: str = "path") -> Any:
        """The picture ``relative`` (to the meeting folder) checked (``pictures.Source``: format, size in
        pixels, as shown), recorded as read; else an ``InputError`` naming it and the box's ``field``."""
        from .pictures import open_picture

        return open_picture(self, relative, field)

    def columns(self, wanted: int, count: int) -> int:
        """Columns of a grid of ``count`` items that asks for ``wanted``: ``fewer`` less, at least one."""
        columns = max(1, min(wanted, count) - self.fewer)
        self.reflowable = self.reflowable or columns > 1
        return columns

    def line(self, size: float | None = None) -> float:
        """Height of one line of text at ``size`` (default: the body text size)."""
        return (size or self.size) * self.leading

    @property
    def small(self) -> float:
        """Captions, notes and chart labels: a step below the body text, never under ``SMALL_SIZE``."""
        return max(SMALL_SIZE, half_points(self.size * 0.875))

    @property
    def heading(self) -> float:
        """Headings of cards and panels, in proportion to the body text."""
        return half_points(self.size * 7 / 6)

    def leave(self, free: float) -> None:
        """Record that the layout left ``free`` points of the body's height unused because its text
        is short (space given to pictures or charts is not free). The smallest figure reported
        counts: the core then tries a larger body text size (``document.grown``)."""
        self.free = free if self.free is None else min(self.free, free)


    def overflowed(self, error: OverflowError_, rect: Rect, block: TextBlock | None = None) -> None:
        """Raise ``error``; or, when overflows are recorded, note it (with the box and the block as set)."""
        if self.overflows is None:
            raise error
        self.overflows.append(Overflow(rect, block, error))

    @contextmanager
    def raising(self) -> Iterator[None]:
        """Overflows raise inside, even where they are recorded: for a caller that tries texts in turn."""
        recorded, self.overflows = self.overflows, None
        try:
            yield
        finally:
            self.overflows = recorded

    def where(self, box: str) -> str:
        """How errors name a box: material, page and box."""
        return f"{self.material}, page {self.page}, {box}"

    # -- paragraphs -----------------------------------------------------------------------
    def paras(self, text: str | None, *, bold: bool = False) -> list[ParaSpec]:
        """One paragraph per line of ``text``, with ``**bold**`` honoured."""
        return list(_paras(text, bold)) if text else []

    def bullets(self, items: Sequence[Bullet], size: float | None = None, *, level: int = 0,
                marker: str = "・") -> list[ParaSpec]:
        """Nested bullets as hanging-indented paragraphs; a text's own leading mark is kept."""
        size = size or self.size
        out: list[ParaSpec] = []
        base = level * size
        for item in items:
            text = item.text if isinstance(item, BulletItem) else item
            runs = parse_runs(text)
            if text[:1] in MARKS:
                mark_len = 1 + len(text[1:]) - len(text[1:].lstrip(" 　"))
                lead = text[:mark_len]
            else:
                lead = marker
                runs = [(lead, False), *runs]
            hang = self.fonts.regular.width(lead, size)
            out.append(ParaSpec(tuple(runs), base, base + hang, bullet=lead, level=level))
            if isinstance(item, BulletItem) and item.children:
                out.extend(self.bullets(item.children, size, level=level + 1, marker=SUB_MARK if level == 0 else "・"))
        return out

    def width(self, text: str, size: float | None = None, *, bold: bool = False) -> float:
        """Width a box needs to hold ``text`` on one line (all renderers included)."""
        return self.breaker.fit_width(text, size or self.size, bold)

    # -- measuring and setting ------------------------------------------------------------
    def _lines(self, paras: Sequence[ParaSpec], width: float, size: float) -> list[SetLines]:
        return [self.breaker.break_runs(para.runs, width - para.indent_first, size, width - para.indent_rest)
                for para in paras]

    def measure(self, paras: Sequence[ParaSpec], width: float, size: float | None = None) -> float:
        """Height the paragraphs need at ``width`` and ``size``."""
        size = size or self.size
        return sum(len(p) for p in self._lines(paras, width, size)) * size * self.leading

    def set_text(self, paras: Sequence[ParaSpec] | str | None, rect: Rect, *, size: float | None = None,
                 bold: bool = False, color: str | None = None, align: Align = "left",
                 valign: str = "top", name: str = "", source: str | None = None, role: Role = "text",
                 group: str = "") -> TextBlock:
        """Break and position ``paras`` inside ``rect``; raise ``OverflowError_`` if they cannot fit
        (unless overflows are recorded: then the block is set from the box's top and runs past it).
        ``role`` says what the text is (``primitives.Role``), ``group`` what it belongs with."""
        if isinstance(paras, str) or paras is None:
            paras = self.paras(paras, bold=bold)
        size = size or self.size
        error = None
        while True:
            lines = self._lines(paras, rect.w, size)
            height = sum(len(p) for p in lines) * size * self.leading
            widest = max((ln.width + (p.indent_first if i == 0 else p.indent_rest)
                          for p, pl in zip(paras, lines) for i, ln in enumerate(pl)), default=0.0)
            if height <= rect.h + _EPS and widest <= rect.w + _EPS:
                self.worst_break = max(self.worst_break, *map(_WORST, lines)) if lines else self.worst_break
                break
            minimum = self.theme.min_size
            if self.shrink and minimum is not None and size - 0.5 >= minimum - _EPS:
                size -= 0.5
                continue
            needed, available = (widest, rect.w) if widest > rect.w + _EPS else (height, rect.h)
            error = OverflowError_(material=self.material, page=self.page, box=name or "text", source=source,
                                   needed=needed, available=available,
                                   text="\n".join("".join(run[0] for run in para.runs) for para in paras))
            if self.overflows is None:
                raise error
            break
        top = rect.y
        if error is None and valign == "middle":
            top += (rect.h - height) / 2
        elif error is None and valign == "bottom":
            top += rect.h - height
        block = self._position(paras, lines, Rect(rect.x, top, rect.w, height), size,
                               color or self.theme.text_color, align, name, source, role, group)
        if error is not None:
            self.overflowed(error, rect, block)
        return block

    def _position(self, paras: Sequence[ParaSpec], lines: Sequence[Sequence[SetLine]], rect: Rect, size: float,
                  color: str, align: Align, name: str, source: str | None, role: Role = "text",
                  group: str = "") -> TextBlock:
        leading = size * self.leading
        offset = baseline_offset(size, leading)
        out_paras = []
        row = 0
        for para, set_lines in zip(paras, lines):
            out_lines = []
            for i, set_line in enumerate(set_lines):
                if align == "center":
                    x = rect.x + (rect.w - set_line.width) / 2
                elif align == "right":
                    x = rect.right - set_line.width
                else:
                    x = rect.x + (para.indent_first if i == 0 else para.indent_rest)
                baseline = rect.y + row * leading + offset
                runs, cursor = [], x
                for text, bold, width in set_line.runs:
                    runs.append(Run(text, bold, round(cursor, 3), round(width, 3)))
                    cursor += width
                out_lines.append(Line(tuple(runs), round(x, 3), round(baseline, 3), round(set_line.width, 3)))
                row += 1
            out_paras.append(Paragraph(tuple(out_lines), para.indent_first, para.indent_rest, para.bullet, para.level))
        return TextBlock(rect=rect, paragraphs=tuple(out_paras), size=size, leading=leading,
                         color=color, align=align, name=name, source=source, role=role,
                         group=group)


_WORST = attrgetter("worst")


@lru_cache(maxsize=4096)
def _paras(text: str, bold: bool) -> tuple[ParaSpec, ...]:
    return tuple(ParaSpec(tuple((chunk, bold or b) for chunk, b in parse_runs(line))) for line in text.split("\n"))


def baseline_offset(size: float, leading: float) -> float:
    """Distance from a line's top to its baseline (not the face's own descent: see ``BASELINE_DESCENT``)."""
    return leading - BASELINE_DESCENT * size

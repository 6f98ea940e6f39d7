"""Choosing a slide's body text size: text grows until the page is used.

Input: a slide kind's layout function, the slide, a way to make a ``LayoutContext`` at a given
body size, and the body rectangle. Output: the slide's items laid out at the largest body
text size, between the theme's ``base_size`` and its ``largest`` (``max_size``, by default
1.75 × ``base_size``), at which everything still fits, and the context they were laid out with.

A layout function says how much of the body's height its text left unused (``ctx.leave``);
room it gave to pictures or charts, which grow, is not unused. Only when that room is worth
it (``GROW_FROM`` of the body) is the slide laid out again, at a size estimated from it: text
set larger needs about the square of the ratio more height (its lines grow taller and hold
fewer characters). A try that overflows is given up for a smaller size; at most ``TRIES``
tries are made, so a dense slide costs one layout and a sparse one two or three. A size that
overflows, or that splits a date, word or number the base size kept whole, is not taken. A slide
that still leaves room at the largest size that fits has its lines opened up (``leading`` up to
``MAX_LEADING``). While a larger size is tried nothing shrinks to the theme's ``min_size``:
the base size is always the fallback, laid out as before. A slide whose grid of panels or
cards still leaves room then is set again in fewer, wider columns (``ctx.columns``), and kept
so when its text comes out larger, or as large and fuller. ``sized`` first tries a choice made
before (the caller's ``Choices``, kept between builds by ``incremental.SizeChoices``), so a slide
unchanged since the last build is laid out once.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable, Protocol, Sequence

from ..errors import OverflowError_
from ..typography.linebreak import CHARS
from .context import LayoutContext, half_points
from .primitives import Item, Rect

if TYPE_CHECKING:  # pragma: no cover
    from ..incremental import Reads
    from ..models import SlideBase

__all__ = ["Choice", "Choices", "sized", "choice_of", "grown", "GROW_FROM", "TRIES", "MAX_LEADING"]

GROW_FROM = 0.06
"""Unused room, as a share of the body's height, worth laying a slide out again for."""
OPEN_FROM = 0.1
"""Unused room, as a share of the body's height, left at the largest size that fits, for which the
lines are opened up."""
REFLOW_FROM = 0.2
"""Unused room, as a share of the body's height, left at the largest size and line pitch, for which
a grid is tried in fewer columns."""
TRIES = 2
"""Larger sizes tried at most, after the base size."""
MAX_LEADING = 1.8
"""The most open line pitch (× size) a sparse slide gets once its text is as large as it can be: within
JLREQ's 1.5 to 2 for body text, where the default ``LEADING`` is set tight for dense slides."""
GROWTH = 1.5
"""How text height grows with its size: between once (lines that do not wrap) and twice (text that
wraps and holds fewer characters a line); the estimate of the next size to try uses this power."""
_FILL = 0.98  # the share of the body a size is estimated to fill, a little below all of it
KEEPS = CHARS
"""Breaks up to this class (between characters, words and numbers whole) may appear when text grows;
a size that needs worse ones (a date, word or number split) where the base size did not is not taken."""


Choice = tuple[float, float, int, bool]
"""What was chosen for a slide: body text size, line pitch, columns given up, whether text may shrink."""


class Choices(Protocol):
    """The choices made for the slides of a material before (``incremental.SizeChoices``)."""

    def get(self, slide: SlideBase, body: Rect) -> Choice | None: ...

    def keep(self, slide: SlideBase, body: Rect, choice: Choice, reads: Reads) -> None: ...

    def save(self) -> None:
        """Keep the choices made, for the material's next layout (``layout_bundle`` calls it)."""


def choice_of(ctx: LayoutContext) -> Choice:
    """The choice the slide laid out with ``ctx`` was made with."""
    return (ctx.size, ctx.leading, ctx.fewer, ctx.shrink)


def sized(layout: Callable[[LayoutContext, Rect], Sequence[Item]], context: Callable[..., LayoutContext],
          body: Rect, chosen: Choice | None = None) -> tuple[list[Item], LayoutContext]:
    """``grown``, or the slide laid out once at ``chosen``, the size, line pitch and columns chosen for it
    before when it is unchanged (searched again if that no longer fits)."""
    if chosen is not None:
        size, leading, fewer, shrink = chosen
        ctx = context(size, shrink, leading, fewer)
        try:
            return list(layout(ctx, body)), ctx
        except OverflowError_:
            pass
    return grown(layout, context, body)


def grown(layout: Callable[[LayoutContext, Rect], Sequence[Item]], context: Callable[..., LayoutContext],
          body: Rect) -> tuple[list[Item], LayoutContext]:
    """The items of the slide at the largest body text size that fits (see the module's docstring);
    ``context(size, shrink, leading, fewer)`` makes a fresh context (``size`` ``None``: the theme's
    base size; ``fewer``: columns a grid gives up)."""
    best, best_ctx = _grown(layout, context, body, 0)
    fewer = 0
    while _roomy(best_ctx.free, body, REFLOW_FROM) and best_ctx.reflowable:  # short text in many columns
        fewer += 1
        try:
            items, ctx = _grown(layout, context, body, fewer)
        except OverflowError_:  # fewer columns do not fit: the slide stays as it is
            break
        if (ctx.size, ctx.leading, -(ctx.free or 0.0)) <= (best_ctx.size, best_ctx.leading, -(best_ctx.free or 0.0)):
            break
        best, best_ctx = items, ctx
    return best, best_ctx


def _roomy(free: float | None, body: Rect, share: float = 0.0) -> bool:
    return free is not None and free >= (share or GROW_FROM) * body.h


def _grown(layout: Callable[[LayoutContext, Rect], Sequence[Item]], context: Callable[..., LayoutContext],
           body: Rect, fewer: int) -> tuple[list[Item], LayoutContext]:
    """``grown`` with a grid of ``fewer`` columns less than the slide asks for."""
    ctx = context(None, True, None, fewer)
    best, best_ctx = list(layout(ctx, body)), ctx
    low, high = ctx.size, ctx.theme.largest

    def stretch(free: float) -> float:  # how much taller the text may become
        return _FILL * body.h / max(body.h - free, 1.0)

    def attempt(size: float, leading: float | None) -> bool:
        nonlocal best, best_ctx
        trial = context(size, False, leading, fewer)
        try:
            laid = list(layout(trial, body))
        except OverflowError_:
            return False
        if trial.worst_break > max(ctx.worst_break, KEEPS):
            return False  # larger, but a word, number or date that stayed whole now splits
        best, best_ctx = laid, trial
        return True

    def estimate(size: float, free: float | None) -> float:
        if free is None or not _roomy(free, body):
            return size
        return min(high, half_points(size * stretch(free) ** (1 / GROWTH)))

    def opened(size: float, free: float) -> float | None:
        """The line pitch that would fill the room at ``size`` estimated from ``free`` at ``low``."""
        need = (body.h - free) * (size / low) ** GROWTH
        leading = min(MAX_LEADING, math.floor(ctx.leading * _FILL * body.h / need * 20) / 20)
        return leading if leading > ctx.leading and body.h - need >= OPEN_FROM * body.h else None

    wanted = estimate(low, ctx.free)
    for _ in range(TRIES):
        if wanted <= low:
            break
        free = best_ctx.free or 0.0
        # at the largest size, try its lines opened up at once (one layout less); else the size alone
        if wanted >= ctx.theme.largest and (leading := opened(wanted, free)) and attempt(wanted, leading):
            return best, best_ctx
        if attempt(wanted, None):
            low = wanted
            wanted = estimate(low, best_ctx.free)
        else:
            high = wanted - 0.5
            wanted = half_points((low + wanted) / 2)  # between what fits and what did not
    if _roomy(best_ctx.free, body, OPEN_FROM):  # still room at the largest size that fits: open the lines up
        leading = min(MAX_LEADING, math.floor(best_ctx.leading * stretch(best_ctx.free or 0.0) * 20) / 20)
        if leading > best_ctx.leading and not attempt(low, leading):
            attempt(low, round((best_ctx.leading + leading) / 2, 2))
    return best, best_ctx

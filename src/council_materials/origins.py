"""Where a laid-out text came from in the author's content file, found by its value.

Input: the text of a box as the layout set it (an overflowing box's, say) and the validated content
model of the material it belongs to. Output: the field path in the content file (``systems[0].purpose``)
that the text came from, or ``None``.

A plugin's builder turns content into slides in its own way: it copies a field into a card, joins a
label and a value, splits a list over two slides. The core cannot know which content field made which
slide field without the builder keeping books, and a builder author should not have to. It does not
need to: the text the author typed is still in the box. So the box's text is matched against every
text value of the content: a value equal to it wins; else the values the box contains (at least
``MIN_MATCH`` characters, so a single 「・」 matches nothing) — one of them is the origin, several
are located at the field that holds them all (``topics[1].points`` for a box of bullets), and when
only the whole file holds them all, at the longest; else a value that contains the box's text (a
box set from part of a field). Whitespace and line breaks are ignored on both sides, since the layout
may break lines where the author did not.
"""
from __future__ import annotations

import re
from typing import Any, Iterator

from .loading import walk

__all__ = ["find_origin", "text_values", "common_path", "MIN_MATCH"]

MIN_MATCH = 4
"""The fewest characters a content value must have to be found inside a longer box text."""

_SPACE = re.compile(r"\s+")
_MARKUP = re.compile(r"\*\*|__")  # emphasis marks of the content's inline markup: not in the laid-out text


def _plain(text: str) -> str:
    return _SPACE.sub("", _MARKUP.sub("", text))


def text_values(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], str]]:
    """Every text inside a model or plain data (depth first, in field order), with its field path."""
    return ((at, node) for at, node in walk(value, path) if isinstance(node, str))


def common_path(paths: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """The longest field path all of ``paths`` begin with (``()``: only the whole content)."""
    first = paths[0]
    length = next((i for i in range(len(first)) if any(len(p) <= i or p[i] != first[i] for p in paths)),
                  len(first))
    return first[:length]


def find_origin(text: str, content: Any) -> tuple[Any, ...] | None:
    """The field path of ``content`` that ``text`` (a box's text as laid out) came from (see the module's
    docstring), or ``None`` when no value of the content is in it."""
    box = _plain(text)
    if not box:
        return None
    values = [(path, _plain(value)) for path, value in text_values(content)]
    equal = [path for path, value in values if value == box]
    if equal:
        return equal[0]
    inside = [(path, value) for path, value in values if len(value) >= MIN_MATCH and value in box]
    if len(inside) == 1:
        return inside[0][0]
    if inside:
        common = common_path([path for path, _ in inside])
        return common if common else max(inside, key=lambda found: len(found[1]))[0]
    around = [path for path, value in values if len(box) >= MIN_MATCH and box in value]
    return around[0] if around else None

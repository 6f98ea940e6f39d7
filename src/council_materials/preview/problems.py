"""Where the preview shows each problem: on a page at its box, on a part, or for the whole meeting.

Input: the errors of reading a meeting folder (``pipeline.read_inputs``) and, per laid-out part,
its recorded overflows (``layout.context.Overflow``) and draft placeholders. Output: ``Mark``s
(a problem at a rectangle of one page) and lines per part id, each problem written exactly as
``council validate`` prints it (``file:line:column: field: message``, located by
``errors.locate_layout_error`` and ``errors.locate_file_problems``).

A problem of a file belongs to the part made from it: meeting.yaml and the roster to the cover
(``COVER``), a content file to its material; a plugin's error to the material it was building;
anything else (a font, a bundle check) to the meeting as a whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import CollectedErrors, CouncilError, InputError, PluginError, Problem, locate_layout_error
from ..inputs import Inputs
from ..layout.context import Overflow
from ..layout.primitives import Box, Page, Rect, Table
from ..numbering import NumberedMaterial

__all__ = ["COVER", "Mark", "file_owners", "place_errors", "overflow_marks", "placeholder_marks"]

COVER = "cover"
"""The id of the cover sheet's part (material ids are the meeting's entry ids)."""


@dataclass(frozen=True)
class Mark:
    """A problem shown on page ``page`` (0-based) of a part: the box it concerns (``rect``; ``spill``, where
    overflowing text runs past it), a short ``label`` and the ``line`` as ``council validate`` prints it."""

    page: int
    rect: Rect
    label: str
    line: str
    where: str  # the line's place alone, the file relative to the meeting folder: content/a.yaml:4:5: slides[0]
    kind: str  # "overflow" or "picture"
    spill: Rect | None = None


def file_owners(inputs: Inputs) -> dict[Path, str]:
    """Which part each input file belongs to: meeting.yaml and the roster to the cover, content files to
    their material."""
    owners = {inputs.meeting_dir / "meeting.yaml": COVER, inputs.meeting_dir / inputs.meeting.roster: COVER}
    for material in inputs.materials:
        if material.entry.content is not None:
            owners.setdefault(inputs.meeting_dir / material.entry.content, material.id)
    return owners


def _plugin_part(error: PluginError, labels: dict[str, str]) -> str | None:
    """The part of the material a plugin was building (``error.material`` is its label, perhaps with its id)."""
    if error.material is None:
        return None
    for label, part in labels.items():
        if error.material == label or error.material.startswith((f"{label} ", f"{label}(")):
            return part
    return None


def place_errors(errors: Sequence[CouncilError], owners: dict[Path, str],
                 labels: dict[str, str]) -> tuple[dict[str, list[str]], list[str]]:
    """Each error's lines by the part they belong to (``owners``: file → part; ``labels``: 資料N → part),
    and the lines that belong to no part."""
    by_part: dict[str, list[str]] = {}
    loose: list[str] = []
    for error in errors:
        if isinstance(error, InputError):
            for problem in error.problems:
                part = owners.get(problem.file) if problem.file else None
                (by_part.setdefault(part, []) if part else loose).append(str(problem))
            continue
        if isinstance(error, CollectedErrors):  # several kinds at once
            nested, rest = place_errors(error.errors, owners, labels)
            for part, lines in nested.items():
                by_part.setdefault(part, []).extend(lines)
            loose += rest
            continue
        part = _plugin_part(error, labels) if isinstance(error, PluginError) else None
        (by_part.setdefault(part, []) if part else loose).extend(error.lines())
    return by_part, loose


def _page_of_overflow(overflow: Overflow, pages: Sequence[Page]) -> int:
    """The page the overflowing block (or table) is on: found by name and place, else by the error's page."""
    error = overflow.error
    found = []
    for index, page in enumerate(pages):
        if overflow.block is not None:
            block = overflow.block
            hit = any(b.name == block.name and b.rect == block.rect for b in page.text_blocks())
        else:
            hit = any(isinstance(item, Table) and item.name == error.box for item in page.items)
        if hit:
            found.append(index)
    if error.page - 1 in found or not found:
        return min(max(error.page - 1, 0), len(pages) - 1)
    return found[0]


def overflow_marks(overflows: Sequence[Overflow], pages: Sequence[Page], inputs: Inputs,
                   material: NumberedMaterial | None) -> list[Mark]:
    """A mark per overflow: the box outlined, where the text runs past it, by how much, and the line."""
    marks = []
    for overflow in overflows:
        error, box = overflow.error, overflow.rect
        located = locate_layout_error(error, inputs, material)
        problem = located.problems[0] if isinstance(located, InputError) and located.problems else None
        where = problem.place(inputs.meeting_dir) if problem else ""
        spill = None
        if overflow.block is not None:  # what is drawn past the box: below it, or past its right side
            block = overflow.block.rect
            right = max((ln.x + ln.width for ln in overflow.block.lines), default=block.right)
            if right > box.right + 0.01:
                spill = Rect(box.right, block.y, right - box.right, min(block.h, box.h))
            if block.bottom > box.bottom + 0.01:
                spill = Rect(box.x, box.bottom, max(right, box.right) - box.x, block.bottom - box.bottom)
        marks.append(Mark(_page_of_overflow(overflow, pages), box, f"はみ出し {error.needed - error.available:.1f} pt",
                          "; ".join(located.lines()), where, "overflow", spill))
    return marks


_PLACEHOLDER_FIELD = re.compile(r", page (\d+), (.+)\.path$")


def placeholder_marks(placeholders: Sequence[Problem], located: Sequence[Problem], pages: Sequence[Page],
                      inputs: Inputs) -> list[Mark]:
    """A mark per picture shown as a placeholder (``placeholders``, as the layout named them), at its box, with
    the line naming the picture's field (``located``: the same, where the content names each picture, as
    ``pipeline.lay_out`` gives them)."""
    marks = []
    for raw, problem in zip(placeholders, located):
        match = _PLACEHOLDER_FIELD.search(raw.field or "")
        if match is None:
            continue
        index = min(int(match.group(1)), len(pages)) - 1
        name = f"{match.group(2)} placeholder"
        box = next((item.rect for item in pages[index].items if isinstance(item, Box) and item.name == name), None)
        if box is not None:
            marks.append(Mark(index, box, "写真を表示できません", str(problem), problem.place(inputs.meeting_dir),
                              "picture"))
    return marks

"""Assembly: number the meeting's materials and check that everything fits together.

Input: the validated ``Meeting`` and ``Roster`` and the ``Registry`` of
material types. ``plan`` checks ids, sources and agenda references before
anything is built (``check_plan`` lists those problems with their field paths
instead of raising); ``Bundle`` holds the numbered materials with their slides,
in the meeting's order, for the layout stage.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .errors import AssemblyError
from .models import MaterialEntry, Meeting, Roster, SlideBase
from .plugins import Registry

__all__ = ["PICTURE_SUFFIXES", "PlannedMaterial", "NumberedMaterial", "Bundle", "PlanProblem", "check_plan", "plan"]


@dataclass(frozen=True)
class PlannedMaterial:
    entry: MaterialEntry
    label: str  # 資料1 … 資料N, 参考 / 参考1 …
    position: int  # 1-based order of output files


PICTURE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp")
"""A text ending so names a picture (the layout checks that it is one)."""


@dataclass(frozen=True)
class NumberedMaterial:
    entry: MaterialEntry
    label: str
    position: int
    slides: tuple[SlideBase, ...] = ()
    plugin: str | None = None
    # What reading made of the material, kept with its slides in the cache folder (check.py): a hash of
    # everything the slides were made from, every character of its content and slides, and the
    # pictures its slides name. Later stages use them instead of walking the slides again.
    key: str = ""
    chars: frozenset[str] = frozenset()
    pictures: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def title(self) -> str:
        return self.entry.title


@dataclass(frozen=True)
class Bundle:
    """The numbered materials of one meeting, ready for layout."""

    meeting: Meeting
    roster: Roster
    materials: tuple[NumberedMaterial, ...]

    def listed(self) -> tuple[NumberedMaterial, ...]:
        """Every material and reference, in the order of the cover sheet's 【資料】 list."""
        return self.materials

    def built(self) -> tuple[NumberedMaterial, ...]:
        """The materials that have pages (listed-only references have none)."""
        return tuple(m for m in self.materials if m.slides)


def _accepts_empty(registry: Registry, source: str) -> bool:
    """Whether the material type's content model validates an empty document (all defaults)."""
    from pydantic import ValidationError

    try:
        registry.content_model(registry.material_types[source]).model_validate({})
    except ValidationError:
        return False
    return True


PlanProblem = tuple[tuple[Any, ...], str]
"""A problem of the meeting's material list: the field path in meeting.yaml, and the message."""


def check_plan(meeting: Meeting, registry: Registry) -> tuple[list[PlannedMaterial], list[PlanProblem]]:
    """Number the materials and list every duplicate id, unknown source or agenda reference, located."""
    problems: list[PlanProblem] = []
    seen: set[str] = set()
    planned: list[PlannedMaterial] = []
    refs = meeting.references
    entries = [(e, f"資料{i}", ("materials", i - 1)) for i, e in enumerate(meeting.materials, 1)]
    entries += [(e, "参考" if len(refs) == 1 else f"参考{i}", ("references", i - 1)) for i, e in enumerate(refs, 1)]
    available = ", ".join(sorted(registry.material_types)) or "(none)"
    for position, (entry, label, where) in enumerate(entries, 1):
        if entry.id in seen:
            problems.append((where + ("id",), f"{label}: duplicate material id {entry.id!r}"))
        seen.add(entry.id)
        if entry.source is not None and entry.source not in registry.material_types:
            hint = difflib.get_close_matches(entry.source, list(registry.material_types), n=1)
            problems.append((where + ("source",), f"{label} ({entry.id}): no installed plugin provides material "
                             f"type {entry.source!r}; " + (f"did you mean {hint[0]!r}? " if hint else "")
                             + f"available: {available}"))
        if entry.source in registry.material_types and entry.content is None and not _accepts_empty(
                registry, entry.source):
            problems.append((where, f"{label} ({entry.id}): source {entry.source!r} needs a 'content' file"))
        planned.append(PlannedMaterial(entry, label, position))
    ids = [p.entry.id for p in planned]
    for number, topic in enumerate(meeting.agenda.topics, 1):
        for index, ref in enumerate(topic.materials):
            if ref not in seen:
                hint = difflib.get_close_matches(ref, ids, n=1)
                problems.append((("agenda", "topics", number - 1, "materials", index),
                                 f"agenda topic ({number}) {topic.title!r} refers to unknown material {ref!r}; "
                                 + (f"did you mean {hint[0]!r}? " if hint else "")
                                 + f"materials are: {', '.join(ids)}"))
    return planned, problems


def plan(meeting: Meeting, registry: Registry) -> list[PlannedMaterial]:
    """Number the materials; fail on duplicate ids, unknown sources or agenda references."""
    planned, problems = check_plan(meeting, registry)
    if problems:
        raise AssemblyError("meeting.yaml: " + "\n  ".join(["the materials do not fit together:",
                                                             *(message for _, message in problems)]))
    return planned

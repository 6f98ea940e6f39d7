"""Numbering: 資料1 … 資料N and 参考 for the meeting's materials, and whether they fit together.

Input: the validated ``Meeting`` and the ``Registry`` of material types. Output:
``number`` gives each entry its label (資料N for materials, 参考 or 参考N for
references) and position, and the problems of the material list, each at its
field in meeting.yaml: a duplicate id, a source no plugin provides, a content
file missing where the type needs one, an agenda topic naming an unknown
material. Each material is numbered before it is built, because its builder is
told its label; ``Bundle`` then holds the numbered materials with the slides
built for them, in the meeting's order, for the layout.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from .models import MaterialEntry, Meeting, Roster, SlideBase
from .plugins import Registry

__all__ = ["NumberedMaterial", "Bundle", "PlanProblem", "number"]


@dataclass(frozen=True)
class NumberedMaterial:
    """A material or reference with its number: label (資料1 … 資料N, 参考 / 参考1 …), 1-based position in the
    outputs, and, once built, its slides and the plugin that built them."""

    entry: MaterialEntry
    label: str
    position: int
    slides: tuple[SlideBase, ...] = ()
    plugin: str | None = None

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


def number(meeting: Meeting, registry: Registry) -> tuple[list[NumberedMaterial], list[PlanProblem]]:
    """Number the materials (without slides yet), and list every duplicate id, unknown source, missing
    content file or agenda reference, with its field path."""
    problems: list[PlanProblem] = []
    seen: set[str] = set()
    planned: list[NumberedMaterial] = []
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
        planned.append(NumberedMaterial(entry, label, position))
    ids = [p.entry.id for p in planned]
    for path, what, ref in _references(meeting):
        if ref not in seen:
            hint = difflib.get_close_matches(ref, ids, n=1)
            problems.append((path, f"{what} refers to unknown material {ref!r}; "
                             + (f"did you mean {hint[0]!r}? " if hint else "") + f"materials are: {', '.join(ids)}"))
    return planned, problems


def _references(meeting: Meeting) -> list[tuple[tuple[Any, ...], str, str]]:
    """Every material id the agenda names: where, which topic, the id."""
    found: list[tuple[tuple[Any, ...], str, str]] = [
        (("agenda", "topics", number - 1, "materials", index), f"agenda topic ({number}) {topic.title!r}", ref)
        for number, topic in enumerate(meeting.agenda.topics, 1) for index, ref in enumerate(topic.materials)]
    found += [(("agenda", "other_materials", index), f"agenda.other_materials ({meeting.agenda.other})", ref)
              for index, ref in enumerate(meeting.agenda.other_materials)]
    return found


def unreferenced(meeting: Meeting) -> list[PlanProblem]:
    """The materials (資料N, not 参考) the agenda never names: a warning, for a material added to the list and
    forgotten in the agenda (one presented under その他 is named in ``agenda.other_materials``)."""
    named = {ref for _, _, ref in _references(meeting)}
    return [(("materials", i - 1, "id"), f"資料{i} ({entry.id}) is not referred to by any agenda topic: add "
             f"{entry.id!r} to a topic's materials, or to agenda.other_materials if it is presented under "
             f"{meeting.agenda.other or 'その他'}")
            for i, entry in enumerate(meeting.materials, 1) if entry.id not in named]


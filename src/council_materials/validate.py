"""Check a meeting folder without writing anything: ``council validate``.

Input: a meeting folder and a plugin manager. Output: the list of every
problem a build would meet: those of the inputs (``check.read_inputs``), then
the layout's. The cover and each material are laid out separately, in draft
mode so that every bad picture is noted rather than only the first, and so
an overflowing box in 資料2 does not hide one in 資料5. Layout problems are
reported against the file to edit: a picture at its ``path`` in the content
file, an overflow in the material's content file (for a ``slides`` material,
at the slide itself). A material's layout stops at its first overflow.
"""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pluggy

from .assembly import Bundle, NumberedMaterial
from .check import Inputs, input_files, read_inputs, walk
from .errors import CouncilError, InputError, OverflowError_, Problem
from .loading import dotted
from .models import Person, Photo, Roster

__all__ = ["validate_meeting", "layout_errors", "locate_layout_error", "locate_picture_problems"]

_STAND_IN_ROSTER = Roster.model_construct(chair=Person.model_construct(post="", name="", specialty=""))
"""Lets the materials be laid out while roster.yaml has problems (materials never print the roster)."""


def locate_layout_error(error: CouncilError, inputs: Inputs, material: NumberedMaterial | None) -> CouncilError:
    """An overflow as a problem of the material's content file (of meeting.yaml when ``material`` is
    ``None``: the cover); other errors unchanged."""
    if not isinstance(error, OverflowError_):
        return error
    source = inputs.sources.get(material.position) if material else None
    kinds = inputs.registry.slide_kinds
    if material is None or source is None or material.entry.source != "slides" or \
            any(kinds[s.kind].paginate for s in material.slides[:error.page - 1]):  # pages may not match slides
        file = inputs.source_file(material) if material else inputs.meeting_dir / "meeting.yaml"
        return InputError([Problem(file, str(error))])
    path: tuple[Any, ...] = ("slides", error.page - 1)  # up to here, one page per slide of the file
    if error.source and path + (error.source,) in source.index.marks:  # a field of the slide, e.g. items
        path += (error.source,)
    mark = source.index.mark(path)
    return InputError([Problem(source.file, str(error), mark[0] if mark else None, mark[1] if mark else None,
                               dotted(path))])


def locate_picture_problems(problems: list[Problem], inputs: Inputs, material: NumberedMaterial) -> list[Problem]:
    """Picture problems (named by the picture file) moved to where the content file names the picture."""
    source = inputs.sources.get(material.position)
    named: dict[Path, tuple[Any, ...]] = {}
    if source is not None:
        for path, node in walk(source.content):
            if isinstance(node, Photo):
                named.setdefault(inputs.meeting_dir / node.path, path + ("path",))
    located = []
    for problem in problems:
        at = named.get(problem.file) if problem.file else None
        if at is None or source is None:
            located.append(problem)
            continue
        mark = source.index.mark(at)
        relative = problem.file.relative_to(inputs.meeting_dir).as_posix()  # type: ignore[union-attr]
        located.append(Problem(source.file, f"{relative}: {problem.message} ({problem.field})",
                               mark[0] if mark else None, mark[1] if mark else None, dotted(at)))
    return located


def layout_errors(inputs: Inputs, *, cover: bool = True, pictures: bool = True) -> list[CouncilError]:
    """Lay out the cover and every material that was built, each on its own; collect the problems
    (with ``pictures=False``, as a draft build does, bad pictures are not problems)."""
    from .layout.document import layout_bundle, layout_material
    from .typography.linebreak import LineBreaker

    if inputs.fonts is None or not inputs.template_ok:
        return []  # already reported; nothing can be measured without the fonts, or laid out on a broken template
    if inputs.roster is None:  # already reported: the cover cannot be laid out, the materials still can
        cover = False
        bundle = Bundle(inputs.meeting, _STAND_IN_ROSTER, inputs.materials)
    else:
        bundle = inputs.bundle
    breaker = LineBreaker(inputs.fonts)
    errors: list[CouncilError] = []
    if cover:
        try:
            layout_bundle(replace(bundle, materials=tuple(replace(m, slides=()) for m in bundle.materials)),
                          registry=inputs.registry, fonts=inputs.fonts, meeting_dir=inputs.meeting_dir)
        except CouncilError as exc:
            errors.append(locate_layout_error(exc, inputs, None))
    for material in bundle.built():
        bad_pictures: list[Problem] = []
        failure = None
        try:
            layout_material(material, bundle=bundle, registry=inputs.registry, fonts=inputs.fonts, breaker=breaker,
                            meeting_dir=inputs.meeting_dir, draft=True, placeholders=bad_pictures)
        except CouncilError as exc:
            failure = locate_layout_error(exc, inputs, material)
        if bad_pictures and pictures:
            errors.append(InputError(locate_picture_problems(bad_pictures, inputs, material)))
        errors += [failure] if failure else []
    return errors


def validate_meeting(meeting_dir: Path, pm: pluggy.PluginManager | None = None,
                     warnings: list[Problem] | None = None) -> list[CouncilError]:
    """Every problem a build of ``meeting_dir`` (into the default output folder) would meet; an empty list
    when it would succeed. What a build would warn about (a template's fallbacks) is added to ``warnings``."""
    from .output_folder import inputs_inside

    inputs, errors = read_inputs(meeting_dir, pm)
    if inputs is not None and warnings is not None:
        warnings.extend(inputs.warnings)
    if inputs is not None:
        inside = inputs_inside(inputs.meeting_dir / "build", inputs.meeting_dir, input_files(inputs))
        errors += [InputError(inside)] if inside else []
        errors += layout_errors(inputs)
    return errors

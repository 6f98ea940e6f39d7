"""The pipeline, run once in one place: load → number → build materials → check → lay out.

Input: a meeting folder and a plugin manager. Output: ``Inputs`` (``inputs.py``) and every problem
found, stage by stage:

1. load: meeting.yaml, the roster and the theme's fonts (``loading.py``, ``inputs.resolve_fonts``);
2. number: 資料N and 参考 for every entry, and whether the list fits together (``numbering.py``);
3. build materials: each content file validated and its plugin's builder run (``materials.py``);
4. check: the theme's PowerPoint template (``template.checks``: its problems, and warnings a build
   reports without failing), characters the fonts lack, the plugins' bundle checks (``materials.py``);
5. lay out: each part (the cover, each material) on its own, its problems located (``lay_out``);
   rendering and writing follow in ``build.py`` (``writing.py``, ``output_folder.py``).

There are two modes of the same run. Collect-all (``read_inputs``, the default, for ``council
build``, ``validate``, ``watch`` and the preview) keeps going past problems to report them all at
once: a bad file does not hide another's, the roster and content files are still read when
meeting.yaml is invalid (``materials.salvage``). Fail-fast (``fail_fast=True``; ``load_bundle``
for library callers) raises at the end of the first stage that found any. ``find_problems`` is
what ``council validate`` reports and ``council build`` refuses to start with: every problem of
the inputs, inputs lying in the output folder, and, for the former (or when the inputs have
problems anyway), the layout's, every part laid out on its own.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import pluggy

from .errors import (CouncilError, FontError, InputError, Problem, AssemblyError, located, locate_file_problems,
                     locate_layout_error, raise_collected)
from .incremental import Read, Reads, SizeChoices, font_reads
from .inputs import Inputs, Located, entry_path, input_files, resolve_fonts
from .layout.context import Overflow
from .layout.primitives import Document
from .loading import load_validated, load_yaml, walk
from .materials import build_material, bundle_check_errors, glyph_errors, read_content, salvage
from .models import Meeting, Person, Roster
from .numbering import Bundle, NumberedMaterial, number, unreferenced
from .plugins import Registry, get_plugin_manager
from .template.checks import check_template
from .typography.linebreak import LineBreaker

__all__ = ["read_inputs", "load_bundle", "bundle_of", "LaidPart", "lay_out", "files_read", "parts_of", "find_problems",
           "validate_meeting"]


def read_inputs(meeting_dir: Path, pm: pluggy.PluginManager | None = None, *, only: str | None = None,
                fail_fast: bool = False, progress: Callable[[str], None] | None = None) \
        -> tuple[Inputs | None, list[CouncilError]]:
    """Read and check everything a build reads (stages 1 to 4); keep going past problems to report them all,
    or, with ``fail_fast``, raise at the end of the first stage that found any.

    With ``only``, just that material's content is read and built (the others are numbered but not
    opened) and the roster's characters and the plugins' bundle checks are skipped.
    """
    errors: list[CouncilError] = []

    def stage_done() -> None:
        if fail_fast:
            raise_collected(errors)

    meeting_dir = meeting_dir.resolve()
    if not meeting_dir.is_dir():
        errors.append(InputError([Problem(meeting_dir, "meeting folder not found")]))
        stage_done()
        return None, errors
    pm = pm or get_plugin_manager()
    registry = Registry.from_plugin_manager(pm)
    meeting_file = meeting_dir / "meeting.yaml"
    # 1. load
    try:
        meeting, meeting_index, meeting_key = load_validated(Meeting, meeting_file, meeting_dir)
    except InputError as exc:
        errors.append(exc)
        stage_done()
        try:
            data, index = load_yaml(meeting_file, meeting_dir)
        except InputError:
            data, index = None, None
        return None, errors + salvage(data, index, registry, meeting_dir)
    roster, roster_index = None, None
    try:
        roster, roster_index, _ = load_validated(Roster, meeting_dir / meeting.roster, meeting_dir)
    except InputError as exc:
        errors.append(exc)
    fonts = None
    try:
        fonts = resolve_fonts(meeting, meeting_dir)
    except FontError as exc:
        errors.append(exc)
    stage_done()
    inputs = Inputs(meeting_dir, registry, meeting, meeting_index, roster, fonts)
    # 2. number
    numbered, plan_problems = number(meeting, registry)
    inputs.warnings += [located(meeting_file, meeting_index, path, message) for path, message in unreferenced(meeting)]
    if plan_problems:
        errors.append(AssemblyError([located(meeting_file, meeting_index, path, message)
                                     for path, message in plan_problems]))
    errors += _only_errors(numbered, only, meeting_file)
    stage_done()
    # 3. build materials
    blocked = {path[:2] for path, _ in plan_problems}
    materials = []
    for material in numbered:
        skipped = material.entry.source is None or (only is not None and material.id != only)
        if skipped or entry_path(meeting, material.position) in blocked:
            materials.append(material)
            continue
        try:
            source = read_content(material.entry, registry, meeting_dir, material.label,
                                  (meeting_index, entry_path(meeting, material.position)))
            with _slow_builder(material, registry, progress):
                built, made = build_material(material, source, meeting, meeting_dir, registry, meeting_key)
        except CouncilError as exc:
            errors.append(exc)
            materials.append(material)
            continue
        materials.append(built)
        inputs.made[material.position] = made
        if source:
            inputs.sources[material.position] = source
    inputs.materials = tuple(materials)
    stage_done()
    # 4. check
    used = {slide.kind for material in materials for slide in material.slides}
    _, problems, template_warnings = check_template(meeting, meeting_dir, meeting_index, fonts,
                                                    registry.slide_kinds, used)
    inputs.warnings += template_warnings
    if problems:
        errors.append(InputError(problems))
        inputs.template_ok = False
    if fonts is not None:
        errors += glyph_errors(inputs, fonts, roster_index if only is None else None)
    if not errors and only is None:
        errors += bundle_check_errors(pm, inputs.bundle)
    stage_done()
    return inputs, errors


SLOW_BUILD = 2.0
"""Seconds a plugin's builder may run before a progress line names it (and says when it is done)."""


@contextmanager
def _slow_builder(material: NumberedMaterial, registry: Registry,
                  progress: Callable[[str], None] | None) -> Iterator[None]:
    """Say which plugin is at work when its builder takes longer than ``SLOW_BUILD`` (a person watching the
    terminal otherwise sees nothing), and how long it took."""
    if progress is None:
        yield
        return
    plugin = registry.owner(material.entry.source or "")
    what = f"{material.label} ({material.id})"
    timer = threading.Timer(SLOW_BUILD, progress, [f"{what}: plugin {plugin!r} is still building the slides…"])
    timer.daemon = True
    start = time.monotonic()
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        took = time.monotonic() - start
        if took >= SLOW_BUILD:
            progress(f"{what}: plugin {plugin!r} built the slides in {took:.1f} s")


def _only_errors(numbered: list[NumberedMaterial], only: str | None, meeting_file: Path) -> list[CouncilError]:
    """``--only ID``: an id that is not there, or an entry that has no pages to build."""
    if only is None:
        return []
    chosen = [material for material in numbered if material.id == only]
    if not chosen:
        return [InputError([Problem(meeting_file, f"--only {only}: no material or reference has that id; "
                                                  f"ids are: {', '.join(m.id for m in numbered)}")])]
    if chosen[0].entry.source is None:
        return [InputError([Problem(meeting_file, f"--only {only}: this entry is listed only (it has no source), "
                                                  "so it has no pages to build")])]
    return []


def load_bundle(meeting_dir: Path, pm: pluggy.PluginManager | None = None) -> tuple[Bundle, Registry]:
    """Load, validate, build every material with its plugin and number them: the bundle, for library
    callers. Fail-fast: raises the first stage's problems (``InputError`` for the files, ``AssemblyError``
    for the material list, ``FontError``, ``PluginError``)."""
    inputs, _ = read_inputs(meeting_dir, pm, fail_fast=True)
    assert inputs is not None  # fail-fast: problems were raised
    return inputs.bundle, inputs.registry


# -- 5. lay out ------------------------------------------------------------------------------------------------

_STAND_IN_ROSTER = Roster.model_construct(chair=Person.model_construct(post="", name="", specialty=""))
"""Lets the materials be laid out while roster.yaml has problems (materials never print the roster)."""


def bundle_of(inputs: Inputs) -> Bundle:
    """The bundle to lay out: with a stand-in roster while roster.yaml has problems (the materials can still be
    laid out; the cover cannot, and is not)."""
    return Bundle(inputs.meeting, inputs.roster or _STAND_IN_ROSTER, inputs.materials)


@dataclass(frozen=True)
class LaidPart:
    """A part laid out on its own: its document (``None`` when it has problems), the pictures shown as
    placeholders, the files it read with their stamps, and its problems, located."""

    document: Document | None
    placeholders: tuple[Problem, ...]
    reads: tuple[Read, ...]
    problems: tuple[CouncilError, ...] = ()
    warnings: tuple[Problem, ...] = ()
    """The placeholders told as problems are, where the content names each picture (a draft build's warnings)."""


def lay_out(inputs: Inputs, material: NumberedMaterial | None, *, draft: bool = False, breaker: LineBreaker,
            cache_dir: Path | None = None, overflows: list[Overflow] | None = None) -> LaidPart:
    """Lay out the cover (``material`` is ``None``) or one built material, collecting its problems: every bad
    picture (in a ``draft`` build: placeholders, not problems) and the first overflow, each located where the
    author wrote it; given ``overflows``, overflows are noted there and the part is laid out to its end.
    The text size chosen for each slide is remembered for the next layout (``incremental.SizeChoices``)."""
    from .layout.document import layout_part

    assert inputs.fonts is not None  # a part is laid out only with the fonts read
    bundle = bundle_of(inputs)
    placeholders: list[Problem] = []
    reads = Reads()
    reads.add(font_reads(inputs.fonts))
    choices = SizeChoices(material.id, inputs.meeting, inputs.fonts, inputs.meeting_dir, inputs.registry) \
        if material is not None else None
    problems: list[CouncilError] = []
    document: Document | None = None
    try:  # always in draft mode: every bad picture is noted, however many there are, before the part fails
        document = layout_part(material, bundle=bundle, registry=inputs.registry, fonts=inputs.fonts,
                               breaker=breaker, meeting_dir=inputs.meeting_dir, draft=True, cache_dir=cache_dir,
                               overflows=overflows, placeholders=placeholders, reads=reads, choices=choices)
    except CouncilError as exc:
        problems.append(locate_layout_error(exc, inputs, material))
    told = list(placeholders)
    if placeholders and material is not None:  # where the content names the picture, as every problem is told
        told = locate_file_problems(placeholders, inputs, material)
        if not draft:
            problems.insert(0, InputError(told))
    if choices is not None and document is not None:
        choices.save()
    return LaidPart(None if problems else document, tuple(placeholders), reads.items(), tuple(problems), tuple(told))


def files_read(inputs: Inputs, material: NumberedMaterial | None, reads: Iterable[Read]) \
        -> Iterator[tuple[Path, Located]]:
    """The files a part's layout read (but the fonts and the template: ``inputs.input_files`` names them), each
    with where it is named: the value of the material's content file that names it, else the content file itself."""
    named = {str(path) for path, _ in input_files(inputs)}  # the fonts and the template, named in meeting.yaml
    named |= {str(face.path) for face in (inputs.fonts.regular, inputs.fonts.bold)} if inputs.fonts else set()
    source = inputs.sources.get(material.position) if material is not None else None
    for name, _ in reads:
        path = Path(name)
        if name in named:
            continue
        written = path.relative_to(inputs.meeting_dir).as_posix() if path.is_relative_to(inputs.meeting_dir) \
            else name

        def where(path: Path = path, written: str = written) -> Problem:
            if source is not None:
                for at, node in walk(source.content):
                    if isinstance(node, str) and node and inputs.meeting_dir / node == path:
                        return located(source.file, source.index, at, written)
            file = inputs.source_file(material) if material else inputs.meeting_dir / "meeting.yaml"
            return Problem(file, written)
        yield path, where


def parts_of(inputs: Inputs, only: str | None = None) -> list[NumberedMaterial | None]:
    """The parts a build lays out: the cover (``None``; not with ``only``, nor without a valid roster) and
    every built material."""
    cover: list[NumberedMaterial | None] = [None] if only is None and inputs.roster is not None else []
    return cover + [m for m in inputs.materials if m.slides]


def find_problems(meeting_dir: Path, out_dir: Path | None, pm: pluggy.PluginManager | None = None, *,
                  only: str | None = None, draft: bool = False, layout: bool = True,
                  progress: Callable[[str], None] | None = None) \
        -> tuple[Inputs | None, list[CouncilError]]:
    """Every problem a build of ``meeting_dir`` into ``out_dir`` would meet before it writes: the inputs'
    (``read_inputs``), inputs lying in the output folder, and, with ``layout`` or when the inputs have
    problems anyway, the layout's (every part laid out on its own; bad pictures are not problems in a
    ``draft`` build)."""
    from .output_folder import inputs_inside

    inputs, errors = read_inputs(meeting_dir, pm, only=only, progress=progress)
    if inputs is None:
        return None, errors
    files = list(input_files(inputs))
    laid: list[LaidPart] = []
    if (layout or errors) and inputs.fonts is not None and inputs.template_ok:  # nothing can be measured without
        # the fonts, nor laid out on a template with problems
        breaker = LineBreaker(inputs.fonts)
        for material in parts_of(inputs, only):
            part = lay_out(inputs, material, draft=draft, breaker=breaker)
            laid.append(part)
            files += files_read(inputs, material, part.reads)
    inside = inputs_inside(out_dir, inputs.meeting_dir, files) if out_dir is not None else []
    errors += [InputError(inside)] if inside else []
    return inputs, errors + [problem for part in laid for problem in part.problems]


def validate_meeting(meeting_dir: Path, pm: pluggy.PluginManager | None = None,
                     warnings: list[Problem] | None = None) -> list[CouncilError]:
    """Every problem a build of ``meeting_dir`` (into the default output folder) would meet; an empty list
    when it would succeed (``council validate``). What a build would warn about (a template's fallbacks) is
    added to ``warnings``."""
    inputs, errors = find_problems(meeting_dir, meeting_dir.resolve() / "build", pm)
    if inputs is not None and warnings is not None:
        warnings.extend(inputs.warnings)
    return errors


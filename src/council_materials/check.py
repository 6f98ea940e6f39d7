"""Read a meeting folder and check it as a build would, collecting every problem.

Input: a meeting folder and a plugin manager. Output: ``Inputs`` (the
validated meeting and roster, each numbered material with its slides, the
fonts, and where every value came from) and a list of errors: every located
problem of every file (meeting, roster, content files, characters the font
lacks, the material list and agenda references) as ``InputError`` problems
``file:line:column: field: message``, and any plugin failures as
``PluginError``. Pictures and overflowing text are the layout's to find
(``validate.layout_errors``); ``raise_collected`` raises everything found
together. ``load_bundle`` is the fail-fast form for library callers, raising
the first stage's error.
"""
from __future__ import annotations

import copy
import hashlib
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import pluggy
from pydantic import BaseModel, TypeAdapter, ValidationError

from .assembly import PICTURE_SUFFIXES, Bundle, NumberedMaterial, PlannedMaterial, check_plan, plan
from .cache import read_pickled, source_stamp, write_pickled
from .errors import PLUGIN_FAILURES, CouncilError, FontError, InputError, PluginError, Problem, failure, raised
from .hookspecs import BuildContext
from .loading import LineIndex, dotted, load_model, load_validated, load_yaml, validate
from .models import MaterialEntry, Meeting, RelPath, Roster, SlideBase
from .models.meeting import system_font_folders
from .plugins import Registry, call_each, get_plugin_manager
from .template.checks import check_template
from .typography.fonts import FontPair, default_font_pair, load_font_pair

__all__ = ["Source", "Inputs", "CheckFailed", "read_inputs", "raise_collected", "load_bundle",
           "resolve_fonts", "walk", "error_lines", "input_files"]


@dataclass(frozen=True)
class Source:
    """A material's content as read: its file, where each value starts, the validated model."""

    file: Path
    index: LineIndex
    content: BaseModel
    key: str = ""  # a hash of the file's bytes, its model and the code (``loading.load_validated``)


@dataclass
class Inputs:
    """A meeting folder as read and checked, with where everything came from."""

    meeting_dir: Path
    registry: Registry
    meeting: Meeting
    meeting_index: LineIndex
    roster: Roster | None  # None when roster.yaml has problems
    fonts: FontPair | None  # None when the theme's fonts cannot be loaded
    materials: tuple[NumberedMaterial, ...] = ()
    sources: dict[int, Source] = field(default_factory=dict)  # by material position
    warnings: list[Problem] = field(default_factory=list)  # what a build reports but does not fail on
    template_ok: bool = True  # False when the theme's template has problems: nothing can be laid out on it

    @property
    def bundle(self) -> Bundle:
        """The numbered materials with the meeting and roster (only once the roster is valid)."""
        assert self.roster is not None, "the roster has problems: they are reported, nothing is laid out"
        return Bundle(self.meeting, self.roster, self.materials)

    def source_file(self, material: NumberedMaterial) -> Path:
        """The file a material's problems are reported against: its content file, or meeting.yaml."""
        source = self.sources.get(material.position)
        return source.file if source else self.meeting_dir / "meeting.yaml"


class CheckFailed(CouncilError):
    """Problems of several kinds (input files and plugins), all reported at once."""

    def __init__(self, errors: list[CouncilError]) -> None:
        self.errors = errors
        super().__init__("\n".join(error.describe() for error in errors))


def error_lines(error: CouncilError) -> list[str]:
    """One line per problem (``file:line:column: field: message``), in the order found."""
    if isinstance(error, CheckFailed):
        return [line for inner in error.errors for line in error_lines(inner)]
    if isinstance(error, InputError):
        return [str(problem) for problem in error.problems]
    return [error.describe()]


def raise_collected(errors: list[CouncilError]) -> None:
    """Raise every collected error at once: one ``InputError`` for all located problems, a lone
    plugin or font error as itself, or ``CheckFailed`` when there are several kinds."""
    problems = [p for error in errors if isinstance(error, InputError) for p in error.problems]
    others = [error for error in errors if not isinstance(error, InputError)]
    if not others:
        if problems:
            raise InputError(problems)
        return
    if not problems and len(others) == 1:
        raise others[0]
    raise CheckFailed(([InputError(problems)] if problems else []) + others)


MAX_FONT_BYTES = 128 * 1024 * 1024
"""Larger font files are refused before they are read (a CJK collection is about 20 to 60 MB)."""


def resolve_fonts(meeting: Meeting, meeting_dir: Path) -> FontPair:
    """The theme's fonts, or the bundled BIZ UDPGothic. A relative path must stay inside the meeting folder
    and an absolute one inside this machine's font folders once links are resolved, and name a regular
    file of at most ``MAX_FONT_BYTES``."""
    spec = meeting.theme.fonts
    if spec is None:
        return default_font_pair()

    def where(path: str) -> Path:
        given = Path(path)
        roots = system_font_folders() if given.is_absolute() else (meeting_dir,)
        found = given if given.is_absolute() else meeting_dir / given
        try:
            resolved = found.resolve(strict=True)
        except (OSError, RuntimeError):
            raise FontError(f"font file not found: {found}") from None
        if not any(resolved.is_relative_to(root.resolve()) for root in roots):
            place = "this machine's font folders" if given.is_absolute() else "the meeting folder"
            raise FontError(f"{path} is a link to {resolved}, outside {place}; copy the font into the meeting "
                            "folder")
        info = resolved.stat()
        if not stat.S_ISREG(info.st_mode):
            raise FontError(f"{path} is not a file")
        if info.st_size > MAX_FONT_BYTES:
            raise FontError(f"{path} is larger than {MAX_FONT_BYTES // 1024 // 1024} MB")
        return resolved
    try:
        return load_font_pair(where(spec.regular.path), spec.regular.index, where(spec.bold.path), spec.bold.index)
    except FontError as exc:
        raise FontError(f"{meeting_dir / 'meeting.yaml'}: theme.fonts: {exc}") from None


def walk(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """Every value inside a model (itself included), depth first, with its field path."""
    yield path, value
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from walk(getattr(value, name), path + (name,))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from walk(item, path + (i,))


def _at(file: Path, index: LineIndex | None, path: tuple[Any, ...], message: str) -> Problem:
    mark = index.mark(path) if index else None
    return Problem(file, message, mark[0] if mark else None, mark[1] if mark else None, dotted(path) or None)


def _entry_path(meeting: Meeting, position: int) -> tuple[Any, ...]:
    """Where the entry of the material at ``position`` (1-based, references after materials) is in meeting.yaml."""
    if position <= len(meeting.materials):
        return ("materials", position - 1)
    return ("references", position - 1 - len(meeting.materials))


Located = Callable[[], Problem]
"""Where a file is named, found only when it is wanted (the problem's message is the name as written)."""


def input_files(inputs: Inputs) -> Iterator[tuple[Path, Located]]:
    """Every file of the meeting folder a build reads: meeting.yaml, the roster, the content files, the
    theme's fonts and the pictures the slides name, each with where it is named."""
    meeting, folder = inputs.meeting, inputs.meeting_dir
    meeting_file = folder / "meeting.yaml"

    def at(file: Path, index: LineIndex | None, path: tuple[Any, ...], name: str) -> Located:
        return lambda: _at(file, index, path, name)
    yield meeting_file, lambda: Problem(meeting_file, "meeting.yaml")
    yield folder / meeting.roster, at(meeting_file, inputs.meeting_index, ("roster",), meeting.roster)
    if meeting.theme.fonts is not None:
        for face in ("regular", "bold"):
            font = getattr(meeting.theme.fonts, face).path
            yield folder / font, at(meeting_file, inputs.meeting_index, ("theme", "fonts", face, "path"), font)
    if meeting.theme.template is not None:
        yield folder / meeting.theme.template, at(meeting_file, inputs.meeting_index, ("theme", "template"),
                                                  meeting.theme.template)
    for material in inputs.materials:
        if material.entry.content is not None:
            yield folder / material.entry.content, at(meeting_file, inputs.meeting_index,
                                                      _entry_path(meeting, material.position) + ("content",),
                                                      material.entry.content)
        source = inputs.sources.get(material.position)
        for name in material.pictures:
            def located(name: str = name, source: Source | None = source, material: NumberedMaterial = material) \
                    -> Problem:
                if source is not None:
                    for path, node in walk(source.content):
                        if node == name:
                            return _at(source.file, source.index, path, name)
                return Problem(inputs.source_file(material), name)
            yield folder / name, located


def _read_content(entry: MaterialEntry, registry: Registry, meeting_dir: Path) -> Source | None:
    """Validate a material's content file with its type's model (``None``: no file, all defaults)."""
    if entry.content is None:
        return None
    model = registry.content_model(registry.material_types[entry.source])  # type: ignore[index]
    path = meeting_dir / entry.content
    try:
        content, index, key = load_validated(model, path, meeting_dir)
        return Source(path, index, content, key)
    except InputError:
        raise
    except PLUGIN_FAILURES as exc:  # a broken content model is its plugin's bug, not the file's
        raise PluginError(registry.owner(entry.source),  # type: ignore[arg-type]
                          f"validating {entry.content} with {model.__name__} {raised(exc)}") from exc


def _slides_key(planned: PlannedMaterial, source: Source | None, meeting_key: str, material_type: Any) -> str:
    """What a builder's slides depend on: meeting.yaml, the entry's number, the content file (as read by
    ``load_validated``) and the code of the core and of the plugin (a builder reads nothing else)."""
    packages = ("council_materials", type(material_type).__module__.split(".")[0],
                str(getattr(material_type.build, "__module__", "") or "").split(".")[0])
    what = (planned.entry.source, planned.entry.id, planned.label, planned.position, meeting_key,
            source.key if source else "", source_stamp(tuple(sorted(set(p for p in packages if p)))))
    return hashlib.sha256(repr(what).encode("utf-8", "surrogatepass")).hexdigest()


def _make_slides(planned: PlannedMaterial, source: Source | None, meeting: Meeting, meeting_dir: Path,
                 registry: Registry, meeting_key: str = "") -> NumberedMaterial:
    """Run the material type's builder (or take its slides from an earlier build of the same inputs,
    given ``meeting_key``) and check that it returned slides of registered kinds."""
    entry = planned.entry
    material_type = registry.material_types[entry.source]  # type: ignore[index]
    plugin = registry.owner(entry.source)  # type: ignore[arg-type]
    key = _slides_key(planned, source, meeting_key, material_type) if meeting_key else None
    made = read_pickled("slides", key) if key else None
    if isinstance(made, tuple) and len(made) == 3 and isinstance(made[0], tuple):
        slides, chars, pictures = made
    else:
        slides, chars, pictures = None, frozenset(), ()
        content = source.content if source else registry.content_model(material_type).model_validate({})
        # Copies: what a builder changes (even through object.__setattr__) reaches no other material
        ctx = BuildContext(meeting=meeting.model_copy(deep=True), entry=entry.model_copy(deep=True),
                           label=planned.label, meeting_dir=meeting_dir)
        try:
            slides = material_type.build(content.model_copy(deep=True), ctx)
        except CouncilError:
            raise
        except PLUGIN_FAILURES as exc:
            raise PluginError(plugin, failure(exc), material=f"{planned.label} {entry.id}") from exc
        if isinstance(slides, (list, tuple)) and all(isinstance(slide, SlideBase) for slide in slides):
            texts = [node for value in ([source.content] if source else []) + list(slides)
                     for _, node in walk(value) if isinstance(node, str)]
            chars = frozenset().union(*texts)
            pictures = tuple(dict.fromkeys(t for t in texts if t.lower().endswith(PICTURE_SUFFIXES)))
            if key and slides:
                write_pickled("slides", key, (tuple(slides), chars, pictures))
    if not isinstance(slides, (list, tuple)):
        raise PluginError(plugin, f"build returned {type(slides).__name__}, expected a list of slides",
                          material=planned.label)
    for number, slide in enumerate(slides, 1):
        kind = registry.slide_kinds.get(getattr(slide, "kind", None))  # type: ignore[arg-type]
        if not isinstance(slide, SlideBase) or kind is None or not isinstance(slide, kind.model):
            what = getattr(slide, "kind", type(slide).__name__)
            raise PluginError(plugin, f"slide {number} is {what!r}, not an instance of a registered slide kind "
                                      f"({', '.join(registry.slide_kinds)})", material=planned.label)
    if not slides:
        raise InputError([Problem(meeting_dir / (entry.content or "meeting.yaml"),
                                  f"{planned.label} ({entry.id}) has no slides; an empty material cannot be built")])
    return NumberedMaterial(entry, planned.label, planned.position, tuple(slides), plugin, key or "", chars,
                            pictures)


def _bundle_check_errors(pm: pluggy.PluginManager, bundle: Bundle) -> list[PluginError]:
    errors: list[PluginError] = []
    if not pm.hook.check_bundle.get_hookimpls():
        return errors
    bundle = copy.deepcopy(bundle)  # what a check changes reaches nothing that is built (0.1 s for 1,200 pages)
    for plugin, found in call_each(pm, "check_bundle", bundle=bundle):
        if not isinstance(found, (list, tuple)) or not all(isinstance(p, str) for p in found):
            errors.append(PluginError(plugin, f"check_bundle must return a list of strings, got "
                                              f"{type(found).__name__}"))
        elif found:
            errors.append(PluginError(plugin, "the bundle check failed:\n  " + "\n  ".join(found)))
    return errors


def _glyph_problems(value: Any, fonts: FontPair, file: Path, index: LineIndex | None, where: str = "",
                    skip: frozenset[str] | set[str] = frozenset()) -> tuple[list[Problem], set[str]]:
    """Characters of ``value``'s texts that a face lacks, located; and the set of them."""
    problems, found = [], set()
    texts = [(path, node) for path, node in walk(value) if isinstance(node, str)]
    if not fonts.missing_in_either(set().union(*(node for _, node in texts))) - skip:
        return problems, found  # the usual case: both faces have every character, no need to locate any
    for path, node in texts:
        for char in sorted(fonts.missing_in_either(node) - skip):
            found.add(char)
            problems.append(_at(file, index, path, f"{where}character {char!r} (U+{ord(char):04X}) is not in "
                                f"the font {fonts.regular.family}; use another character or a font that has it"))
    return problems, found


def _salvage(data: Any, registry: Registry, meeting_dir: Path) -> list[CouncilError]:
    """With meeting.yaml invalid, still validate the roster and the content files of well-formed entries."""
    errors: list[CouncilError] = []
    data = data if isinstance(data, dict) else {}
    try:
        roster = TypeAdapter(RelPath).validate_python(data.get("roster", "roster.yaml"))
    except ValidationError:
        roster = "roster.yaml"
    try:
        load_model(Roster, meeting_dir / roster, meeting_dir)
    except InputError as exc:
        errors.append(exc)
    raw = [e for key in ("materials", "references") if isinstance(data.get(key), list) for e in data[key]]
    for item in raw:
        try:
            entry = MaterialEntry.model_validate(item)
        except ValidationError:
            continue  # already reported against meeting.yaml
        if entry.source in registry.material_types:
            try:
                _read_content(entry, registry, meeting_dir)
            except InputError as exc:
                errors.append(exc)
    return errors


def read_inputs(meeting_dir: Path, pm: pluggy.PluginManager | None = None, *,
                only: str | None = None) -> tuple[Inputs | None, list[CouncilError]]:
    """Read and check everything a build reads; keep going past problems to report them all.

    With ``only``, just that material's content is read and built (the others are numbered but not
    opened) and the roster's characters and the plugins' bundle checks are skipped.
    """
    meeting_dir = meeting_dir.resolve()
    if not meeting_dir.is_dir():
        return None, [InputError([Problem(meeting_dir, "meeting folder not found")])]
    pm = pm or get_plugin_manager()
    registry = Registry.from_plugin_manager(pm)
    meeting_file = meeting_dir / "meeting.yaml"
    try:
        meeting, meeting_index, meeting_key = load_validated(Meeting, meeting_file, meeting_dir)
    except InputError as exc:
        try:
            data: Any = load_yaml(meeting_file, meeting_dir)[0]
        except InputError:
            data = None
        return None, [exc, *_salvage(data, registry, meeting_dir)]
    errors: list[CouncilError] = []
    roster_file = meeting_dir / meeting.roster
    roster, roster_index = None, None
    try:
        roster, roster_index, _ = load_validated(Roster, roster_file, meeting_dir)
    except InputError as exc:
        errors.append(exc)
    fonts = None
    try:
        fonts = resolve_fonts(meeting, meeting_dir)
    except FontError as exc:
        errors.append(exc)
    planned, plan_problems = check_plan(meeting, registry)
    if plan_problems:
        errors.append(InputError([_at(meeting_file, meeting_index, path, message) for path, message in plan_problems]))
    blocked = {path[:2] for path, _ in plan_problems}
    if only is not None and only not in {item.entry.id for item in planned}:
        errors.append(InputError([Problem(meeting_file, f"--only {only}: no material or reference has that id; "
                                                        f"ids are: {', '.join(p.entry.id for p in planned)}")]))
    inputs = Inputs(meeting_dir, registry, meeting, meeting_index, roster, fonts)
    materials = []
    for item in planned:
        where = _entry_path(meeting, item.position)
        skipped = item.entry.source is None or (only is not None and item.entry.id != only)
        if skipped or where in blocked:
            materials.append(NumberedMaterial(item.entry, item.label, item.position))
            continue
        try:
            source = _read_content(item.entry, registry, meeting_dir)
            material = _make_slides(item, source, meeting, meeting_dir, registry, meeting_key)
        except CouncilError as exc:
            errors.append(exc)
            materials.append(NumberedMaterial(item.entry, item.label, item.position))
            continue
        materials.append(material)
        if source:
            inputs.sources[item.position] = source
    inputs.materials = tuple(materials)
    used = {slide.kind for material in materials for slide in material.slides}
    _, problems, inputs.warnings = check_template(meeting, meeting_dir, meeting_index, fonts, registry.slide_kinds,
                                                  used)
    if problems:
        errors.append(InputError(problems))
        inputs.template_ok = False
    if fonts is not None:
        errors += _glyph_errors(inputs, fonts, roster_index if only is None else None)
    if not errors and only is None:
        errors += _bundle_check_errors(pm, inputs.bundle)
    return inputs, errors


def _material_glyph_errors(inputs: Inputs, material: NumberedMaterial, fonts: FontPair) -> list[CouncilError]:
    """Missing characters in a material's content file (located), then in text its plugin wrote."""
    if material.chars and not fonts.missing_in_either(material.chars):
        return []  # both faces have every character: nothing to locate
    source = inputs.sources.get(material.position)
    problems, seen = _glyph_problems(source.content, fonts, source.file, source.index) if source else ([], set())
    for number, slide in enumerate(material.slides, 1):
        problems += _glyph_problems(slide, fonts, inputs.source_file(material), None,
                                    f"{material.label} ({material.id}), page {number}: ", seen)[0]
    return [InputError(problems)] if problems else []


def _glyph_errors(inputs: Inputs, fonts: FontPair, roster_index: LineIndex | None) -> list[CouncilError]:
    """Characters the font lacks: in meeting.yaml, the roster (given its index) and every built material."""
    meeting_file = inputs.meeting_dir / "meeting.yaml"
    found, _ = _glyph_problems(inputs.meeting, fonts, meeting_file, inputs.meeting_index)
    if inputs.roster is not None and roster_index is not None:
        found += _glyph_problems(inputs.roster, fonts, inputs.meeting_dir / inputs.meeting.roster, roster_index)[0]
    errors: list[CouncilError] = [InputError(found)] if found else []
    for material in inputs.materials:
        if material.slides:
            errors += _material_glyph_errors(inputs, material, fonts)
    return errors


def load_bundle(meeting_dir: Path, pm: pluggy.PluginManager | None = None) -> tuple[Bundle, Registry]:
    """Load, validate, build every material with its plugin, and assemble the bundle.

    Fail-fast form for library callers: raises the first stage's error (``AssemblyError`` for the
    material list, ``InputError`` for every content file's problems, ``PluginError``).
    """
    meeting_dir = meeting_dir.resolve()
    if not meeting_dir.is_dir():
        raise InputError([Problem(meeting_dir, "meeting folder not found")])
    pm = pm or get_plugin_manager()
    registry = Registry.from_plugin_manager(pm)
    meeting = load_model(Meeting, meeting_dir / "meeting.yaml", meeting_dir)
    roster = load_model(Roster, meeting_dir / meeting.roster, meeting_dir)
    problems: list[Problem] = []
    materials = []
    for item in plan(meeting, registry):
        if item.entry.source is None:
            materials.append(NumberedMaterial(item.entry, item.label, item.position))
            continue
        try:
            source = _read_content(item.entry, registry, meeting_dir)
            materials.append(_make_slides(item, source, meeting, meeting_dir, registry))
        except InputError as exc:  # keep going: report every content file's problems at once
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    used = {slide.kind for material in materials for slide in material.slides}
    problems = check_template(meeting, meeting_dir, None, resolve_fonts(meeting, meeting_dir), registry.slide_kinds,
                              used)[1]
    if problems:
        raise InputError(problems)
    bundle = Bundle(meeting, roster, tuple(materials))
    for error in _bundle_check_errors(pm, bundle):
        raise error
    return bundle, registry

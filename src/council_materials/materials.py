"""Build materials: each numbered material's content file validated and its plugin's builder run.

Input: a numbered material (``numbering.number``), the meeting, the ``Registry`` and the meeting
folder. Output: the material with its slides, checked to be instances of registered slide kinds,
and what building it made (``inputs.Made``); or the problems, located: the content file's (each at
its line and field), the plugin's (``PluginError`` naming the plugin and the material). A
builder gets deep copies of the meeting, entry and content, so what it changes reaches no other
material; slides built before from the same inputs and code are taken from the cache folder
(``incremental.reused_slides``). Then the checks that need every material built: characters
the fonts lack (``glyph_errors``, located where the text is written) and the plugins'
``check_bundle`` hooks (``bundle_check_errors``). ``salvage`` reads what can still be read
when meeting.yaml itself is invalid.
"""
from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any, Sequence

import pluggy
from pydantic import TypeAdapter, ValidationError

from .errors import (PLUGIN_FAILURES, AssemblyError, CouncilError, InputError, PluginError, Problem, located, plugin_frame, raised,
                     traceback_text)
from .hookspecs import BuildContext
from .incremental import keep_slides, reused_slides, slides_key
from .inputs import Inputs, Made, Source, entry_path
from .loading import LineIndex, load_model, load_validated, walk
from .models import Agenda, AgendaTopic, MaterialEntry, Meeting, Photo, RelPath, Roster, SlideBase
from .numbering import Bundle, NumberedMaterial, number
from .plugins import Registry, call_each
from .typography.fonts import FontPair

__all__ = ["read_content", "build_material", "salvage", "glyph_errors", "bundle_check_errors"]


def read_content(entry: MaterialEntry, registry: Registry, meeting_dir: Path, label: str = "",
                 named_at: tuple[LineIndex, tuple[Any, ...]] | None = None) -> Source | None:
    """Validate a material's content file with its type's model (``None``: no file, all defaults). A file that
    is not there is reported where meeting.yaml names it (``named_at``: its index and the entry's path)."""
    if entry.content is None or entry.source is None:  # a content file always has a source (MaterialEntry)
        return None
    model = registry.content_model(registry.material_types[entry.source])
    path = meeting_dir / entry.content
    if named_at is not None and not os.path.lexists(path):
        index, where = named_at
        raise InputError([located(meeting_dir / "meeting.yaml", index, where + ("content",),
                                  f"{entry.content}: file not found ({label or entry.id}'s content file); "
                                  "check the name, or create it")])
    try:
        content, index, key = load_validated(model, path, meeting_dir)
        return Source(path, index, content, key)
    except InputError:
        raise
    except PLUGIN_FAILURES as exc:  # a broken content model is its plugin's bug, not the file's
        raise PluginError(registry.owner(entry.source),
                          f"validating {entry.content} with {model.__name__} {raised(exc)}") from exc


def build_material(material: NumberedMaterial, source: Source | None, meeting: Meeting, meeting_dir: Path,
                   registry: Registry, meeting_key: str = "") -> tuple[NumberedMaterial, Made]:
    """Run the material type's builder (or take its slides from an earlier build of the same inputs, given
    ``meeting_key``, the key of meeting.yaml as validated) and check that it returned slides of registered
    kinds."""
    entry = material.entry
    assert entry.source is not None  # the pipeline builds only the entries with a source
    material_type = registry.material_types[entry.source]
    plugin = registry.owner(entry.source)
    key = slides_key(material_type.build, entry.source, entry.id, material.label, material.position,
                     meeting_key, source.key if source else "", registry) if meeting_key else ""
    made = reused_slides(key) if key else None
    slides: Sequence[SlideBase]  # what the builder returned: checked below, as a plugin may return anything
    if made is not None:
        slides, chars = made
    else:
        chars = frozenset()
        content = source.content if source else registry.content_model(material_type).model_validate({})
        # Copies: what a builder changes (even through object.__setattr__) reaches no other material
        ctx = BuildContext(meeting=meeting.model_copy(deep=True), entry=entry.model_copy(deep=True),
                           label=material.label, meeting_dir=meeting_dir)
        try:
            slides = material_type.build(content.model_copy(deep=True), ctx)
        except CouncilError:
            raise
        except ValidationError as exc:  # a slide the core's models refuse: the author's content, mostly
            if any(error["type"].startswith("frozen") for error in exc.errors()):  # changing what it was given
                raise PluginError.of(plugin, exc, material_type.build, f"{material.label} {entry.id}") from exc
            raise _slide_refused(exc, plugin, material, source, material_type.build) from exc
        except PLUGIN_FAILURES as exc:
            raise PluginError.of(plugin, exc, material_type.build, f"{material.label} {entry.id}") from exc
        if isinstance(slides, (list, tuple)) and all(isinstance(slide, SlideBase) for slide in slides):
            texts = [node for value in ([source.content] if source else []) + list(slides)
                     for _, node in walk(value) if isinstance(node, str)]
            chars = frozenset().union(*texts)
            if key and slides:
                keep_slides(key, slides, chars)
    if not isinstance(slides, (list, tuple)):
        raise PluginError(plugin, f"build returned {type(slides).__name__}, expected a list of slides",
                          material=material.label)
    for count, slide in enumerate(slides, 1):
        name = getattr(slide, "kind", None)
        kind = registry.slide_kinds.get(name) if isinstance(name, str) else None
        if not isinstance(slide, SlideBase) or kind is None or not isinstance(slide, kind.model):
            what = getattr(slide, "kind", type(slide).__name__)
            raise PluginError(plugin, f"slide {count} is {what!r}, not an instance of a registered slide kind "
                                      f"({', '.join(registry.slide_kinds)})", material=material.label)
    if not slides:
        raise InputError([Problem(meeting_dir / (entry.content or "meeting.yaml"),
                                  f"{material.label} ({entry.id}) has no slides; an empty material cannot be built")])
    return NumberedMaterial(entry, material.label, material.position, tuple(slides), plugin), Made(key, chars)


def _slide_refused(exc: ValidationError, plugin: str, material: NumberedMaterial, source: Source | None,
                   build: Any) -> CouncilError:
    """A slide model's refusal of what a plugin's builder made, located where the author wrote the values
    it was made from (``origins.find_origin`` on the texts the refused value holds), naming the plugin and
    the builder's line; without a content file to locate it in, the plugin's error."""
    from .origins import MIN_MATCH, common_path, find_origin, text_values

    at = plugin_frame(exc, build)
    problems = []
    for error in exc.errors(include_url=False):
        reason = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        told = (f"{reason} (the {exc.title} the plugin {plugin!r} made from this for {material.label} "
                f"({material.id}){', at ' + at if at else ''})")
        texts = [text for _, text in text_values(error.get("input")) if len(text.strip()) >= MIN_MATCH]
        origins = [found for text in texts if (found := find_origin(text, source.content)) is not None] \
            if source is not None else []
        if source is None or not origins:
            return PluginError(plugin, f"made a {exc.title} the core refuses: {reason}",
                               f"{material.label} {material.id}", at, traceback_text(exc))
        problems.append(located(source.file, source.index, common_path(origins) or origins[0], told))
    return InputError(problems)


def salvage(data: Any, index: LineIndex | None, registry: Registry, meeting_dir: Path) -> list[CouncilError]:
    """With meeting.yaml invalid, still check what can be: the roster, the material list as far as its entries
    are well-formed (numbering's checks: ids, sources, content files, the agenda's references) and the content
    files of well-formed entries. A problem of meeting.yaml's own fields hides none of these."""
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
    meeting, well_formed = _salvaged_meeting(data)
    numbered, plan_problems = number(meeting, registry)
    meeting_file = meeting_dir / "meeting.yaml"
    if plan_problems:
        errors.append(AssemblyError([located(meeting_file, index, path, message) for path, message in plan_problems]))
    blocked = {path[:2] for path, _ in plan_problems}
    for material in numbered:
        where = entry_path(meeting, material.position)
        if where in well_formed and where not in blocked and material.entry.source in registry.material_types:
            try:
                source = read_content(material.entry, registry, meeting_dir, material.label,
                                      (index, where) if index is not None else None)
            except InputError as exc:
                errors.append(exc)
                continue
            missing = _missing_pictures(source, meeting_dir) if source is not None else []
            if missing:
                errors.append(InputError(missing))
    return errors


def _missing_pictures(source: Source, meeting_dir: Path) -> list[Problem]:
    """The pictures a content file names that are not there, each where it is named: what the layout would
    find first, found without it (meeting.yaml's problems keep the materials from being laid out)."""
    return [located(source.file, source.index, path + ("path",), f"{node.path}: picture not found")
            for path, node in walk(source.content)
            if isinstance(node, Photo) and not os.path.lexists(meeting_dir / node.path)]


def _salvaged_meeting(data: dict[str, Any]) -> tuple[Meeting, set[tuple[Any, ...]]]:
    """A meeting of meeting.yaml's well-formed parts, for the checks that need no more: its entries (an
    entry that is not well-formed stands in as a listed-only entry of the same id, so 資料N and the
    agenda's references stay as written) and its agenda's well-formed topics; and where the well-formed
    entries are."""
    well_formed: set[tuple[Any, ...]] = set()
    lists: dict[str, list[MaterialEntry]] = {"materials": [], "references": []}
    for key, entries in lists.items():
        listed = data.get(key)
        for i, item in enumerate(listed if isinstance(listed, list) else []):
            try:
                entries.append(MaterialEntry.model_validate(item))
                well_formed.add((key, i))
            except ValidationError:  # already reported against meeting.yaml
                raw_id = item.get("id") if isinstance(item, dict) else None
                entries.append(MaterialEntry.model_construct(id=raw_id if isinstance(raw_id, str) else f"#{i + 1}",
                                                             title="", source=None, content=None))
    agenda = data.get("agenda")
    given = agenda.get("topics") if isinstance(agenda, dict) else None
    topics = []
    for item in given if isinstance(given, list) else []:
        try:
            topics.append(AgendaTopic.model_validate(item))
        except ValidationError:
            topics.append(AgendaTopic.model_construct(title="", points=[], materials=[]))  # keeps the numbers
    # without the fields no check of a salvaged meeting reads (model_construct validates nothing; pydantic's
    # mypy plugin asks for every required field all the same)
    meeting = Meeting.model_construct(materials=lists["materials"], references=lists["references"],  # type: ignore[call-arg]
                                      agenda=Agenda.model_construct(topics=topics))
    return meeting, well_formed


def bundle_check_errors(pm: pluggy.PluginManager, bundle: Bundle) -> list[CouncilError]:
    """What the plugins' ``check_bundle`` hooks find, each named by its plugin."""
    errors: list[CouncilError] = []
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
    problems: list[Problem] = []
    found: set[str] = set()
    texts = [(path, node) for path, node in walk(value) if isinstance(node, str)]
    if not fonts.missing_in_either(set().union(*(node for _, node in texts))) - skip:
        return problems, found  # the usual case: both faces have every character, no need to locate any
    for path, node in texts:
        for char in sorted(fonts.missing_in_either(node) - skip):
            found.add(char)
            problems.append(located(file, index, path, f"{where}character {char!r} (U+{ord(char):04X}) is not in "
                                    f"the font {fonts.regular.family}; use another character or a font that has it"))
    return problems, found


def _material_glyph_errors(inputs: Inputs, material: NumberedMaterial, fonts: FontPair) -> list[CouncilError]:
    """Missing characters in a material's content file (located), then in text its plugin wrote."""
    made = inputs.made.get(material.position)
    if made is not None and made.chars and not fonts.missing_in_either(made.chars):
        return []  # both faces have every character: nothing to locate
    source = inputs.sources.get(material.position)
    problems, seen = _glyph_problems(source.content, fonts, source.file, source.index) if source else ([], set())
    for page, slide in enumerate(material.slides, 1):
        problems += _glyph_problems(slide, fonts, inputs.source_file(material), None,
                                    f"{material.label} ({material.id}), page {page}: ", seen)[0]
    return [InputError(problems)] if problems else []


UNFIT = 50
"""More characters the font lacks than this, and it is the font that is wrong, not the text: one problem."""


def _unfit_font(inputs: Inputs, fonts: FontPair) -> CouncilError | None:
    """One problem, at ``theme.fonts``, when the theme's font lacks many of the characters the meeting uses (a
    Latin font named for a Japanese document), instead of one per character and place."""
    used = set().union(*(node for value in (inputs.meeting, inputs.roster) for _, node in walk(value)
                         if isinstance(node, str)))
    used |= set().union(*(made.chars for made in inputs.made.values()))
    missing = fonts.missing_in_either(used)
    if len(missing) <= UNFIT:
        return None
    sample = "".join(sorted(missing, key=lambda char: (not "\u3040" <= char <= "\u30ff", char))[:8])
    faces = ", ".join(sorted({f"{face.family} ({face.path.name})" for face in (fonts.regular, fonts.bold)}))
    return InputError([located(inputs.meeting_dir / "meeting.yaml", inputs.meeting_index, ("theme", "fonts"),
                               f"the font {faces} lacks {len(missing):,} of the {len(used):,} characters the meeting "
                               f"uses (e.g. {sample}): it is not a Japanese font; name one in theme.fonts, or leave "
                               "theme.fonts out for the bundled BIZ UDPゴシック")])


def glyph_errors(inputs: Inputs, fonts: FontPair, roster_index: LineIndex | None) -> list[CouncilError]:
    """Characters the font lacks: in meeting.yaml, the roster (given its index) and every built material; a
    font that lacks many is one problem (``_unfit_font``)."""
    unfit = _unfit_font(inputs, fonts)
    if unfit is not None:
        return [unfit]
    meeting_file = inputs.meeting_dir / "meeting.yaml"
    found, _ = _glyph_problems(inputs.meeting, fonts, meeting_file, inputs.meeting_index)
    if inputs.roster is not None and roster_index is not None:
        found += _glyph_problems(inputs.roster, fonts, inputs.meeting_dir / inputs.meeting.roster, roster_index)[0]
    errors: list[CouncilError] = [InputError(found)] if found else []
    for material in inputs.materials:
        if material.slides:
            errors += _material_glyph_errors(inputs, material, fonts)
    return errors

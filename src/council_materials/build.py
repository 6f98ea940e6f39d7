"""The whole pipeline, from a meeting folder to the output folder.

Input: a meeting folder (``meeting.yaml``, ``roster.yaml``, content files,
pictures) and a plugin manager. Output: in the output folder, the cover
sheet, each numbered material as PPTX and PDF, and one combined PDF with a
bookmark per material. Outputs are written to a temporary folder beside the
output folder and swapped in only when everything succeeded, so a failed
build leaves the previous outputs as they were.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Sequence

import pluggy
from pydantic import BaseModel

from .assembly import Bundle, NumberedMaterial, PlannedMaterial, plan
from .errors import CouncilError, FontError, InputError, PluginError, Problem
from .hookspecs import BuildContext
from .loading import load_model, load_yaml, validate
from .models import Meeting, Roster, SlideBase
from .plugins import Registry, call_each, get_plugin_manager
from .typography.fonts import FontPair, default_font_pair, load_font_pair

__all__ = ["BuildResult", "load_bundle", "build", "FORMATS", "resolve_fonts"]

FORMATS = ("pptx", "pdf")


@dataclass
class BuildResult:
    out_dir: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0


def resolve_fonts(meeting: Meeting, meeting_dir: Path) -> FontPair:
    spec = meeting.theme.fonts
    if spec is None:
        return default_font_pair()

    def where(path: str) -> Path:
        p = Path(path)
        return p if p.is_absolute() else meeting_dir / p
    try:
        return load_font_pair(where(spec.regular.path), spec.regular.index, where(spec.bold.path), spec.bold.index)
    except FontError as exc:
        raise FontError(f"{meeting_dir / 'meeting.yaml'}: theme.fonts: {exc}") from None


def _build_material(planned: PlannedMaterial, meeting: Meeting, meeting_dir: Path,
                    registry: Registry) -> NumberedMaterial:
    entry = planned.entry
    if entry.source is None:
        return NumberedMaterial(entry, planned.label, planned.position)
    material_type = registry.material_types[entry.source]
    plugin = registry.owner(entry.source)
    model = registry.content_model(material_type)
    if entry.content is None:
        content = model.model_validate({}) if entry.source != "slides" else None
        if content is None:
            raise InputError([Problem(meeting_dir / "meeting.yaml", "a 'slides' material needs a content file",
                                      field=f"materials.{entry.id}.content")])
    else:
        path = meeting_dir / entry.content
        data, index = load_yaml(path)
        content = validate(model, data, index, path)
    ctx = BuildContext(meeting=meeting, entry=entry, label=planned.label, meeting_dir=meeting_dir)
    try:
        slides = material_type.build(content, ctx)
    except CouncilError:
        raise
    except Exception as exc:
        raise PluginError(plugin, f"{type(exc).__name__}: {exc}", material=f"{planned.label} {entry.id}") from exc
    if not isinstance(slides, (list, tuple)):
        raise PluginError(plugin, f"build returned {type(slides).__name__}, expected a list of slides",
                          material=planned.label)
    for index, slide in enumerate(slides, 1):
        kind = registry.slide_kinds.get(getattr(slide, "kind", None))  # type: ignore[arg-type]
        if not isinstance(slide, SlideBase) or kind is None or not isinstance(slide, kind.model):
            what = getattr(slide, "kind", type(slide).__name__)
            raise PluginError(plugin, f"slide {index} is {what!r}, not an instance of a registered slide kind "
                                      f"({', '.join(registry.slide_kinds)})", material=planned.label)
    if not slides:
        raise InputError([Problem(meeting_dir / (entry.content or "meeting.yaml"),
                                  f"{planned.label} ({entry.id}) has no slides; an empty material cannot be built")])
    return NumberedMaterial(entry, planned.label, planned.position, tuple(slides), plugin)


def load_bundle(meeting_dir: Path, pm: pluggy.PluginManager | None = None) -> tuple[Bundle, Registry]:
    """Load, validate, build every material with its plugin, and assemble the bundle."""
    meeting_dir = meeting_dir.resolve()
    if not meeting_dir.is_dir():
        raise InputError([Problem(meeting_dir, "meeting folder not found")])
    pm = pm or get_plugin_manager()
    registry = Registry.from_plugin_manager(pm)
    meeting = load_model(Meeting, meeting_dir / "meeting.yaml")
    roster = load_model(Roster, meeting_dir / meeting.roster)
    planned = plan(meeting, registry)
    problems: list[Problem] = []
    materials = []
    for item in planned:
        try:
            materials.append(_build_material(item, meeting, meeting_dir, registry))
        except InputError as exc:  # keep going: report every content file's problems at once
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    bundle = Bundle(meeting, roster, tuple(materials))
    for plugin, found in call_each(pm, "check_bundle", bundle=bundle):
        if not isinstance(found, (list, tuple)) or not all(isinstance(p, str) for p in found):
            raise PluginError(plugin, f"check_bundle must return a list of strings, got {type(found).__name__}")
        if found:
            raise PluginError(plugin, "the bundle check failed:\n  " + "\n  ".join(found))
    return bundle, registry


def _texts(value: Any, path: str) -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _texts(getattr(value, name), f"{path}.{name}" if path else name)
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from _texts(item, f"{path}[{i}]")


def check_glyphs(bundle: Bundle, fonts: FontPair) -> None:
    """Every character the build prints must be in both faces; name the material and field if not."""
    problems = []
    sources: list[tuple[str, Any]] = [("meeting.yaml", bundle.meeting), ("roster", bundle.roster)]
    sources += [(f"{m.label} ({m.id})", m.slides) for m in bundle.materials]
    for where, value in sources:
        for path, text in _texts(value, ""):
            missing = sorted(set(fonts.missing(text)) | set(fonts.missing(text, bold=True)))
            for char in missing:
                problems.append(f"{where}, field {path}: character {char!r} (U+{ord(char):04X}) is not in the "
                                f"font {fonts.regular.family}; use another character or a font that has it")
    if problems:
        raise FontError("\n".join(problems))


def _safe(title: str, limit: int = 40) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "", title)
    return cleaned[:limit] or "material"


def build(meeting_dir: Path, out_dir: Path, pm: pluggy.PluginManager | None = None,
          formats: Sequence[str] = FORMATS) -> BuildResult:
    """Build every output into ``out_dir``, atomically."""
    from .layout.document import layout_bundle

    bundle, registry = load_bundle(meeting_dir, pm)
    meeting_dir = meeting_dir.resolve()
    fonts = resolve_fonts(bundle.meeting, meeting_dir)
    check_glyphs(bundle, fonts)
    laid = layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=meeting_dir)
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        files = _render_all(laid, staging, bundle, formats)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    pages = len(laid.combined.pages)
    return BuildResult(out_dir, [out_dir / f.name for f in files], pages)


def _render_all(laid: Any, staging: Path, bundle: Bundle, formats: Sequence[str]) -> list[Path]:
    from .render.pdf import render_pdf
    from .render.pptx import render_pptx

    files: list[Path] = []
    outputs = [(f"00_{'会議次第'}", laid.cover)]
    outputs += [(f"{m.position:02d}_{m.label}_{_safe(m.title)}", doc) for m, doc in laid.materials]
    for stem, doc in outputs:
        if "pdf" in formats:
            files.append(staging / f"{stem}.pdf")
            render_pdf(doc, files[-1])
        if "pptx" in formats:
            files.append(staging / f"{stem}.pptx")
            render_pptx(doc, files[-1])
    if "pdf" in formats:
        files.append(staging / f"{_safe(bundle.meeting.title, 60)}_資料一式.pdf")
        render_pdf(laid.combined, files[-1])
    return files


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging``; the old folder is removed only after the swap."""
    old = None
    if out_dir.exists():
        if not out_dir.is_dir():
            raise InputError([Problem(out_dir, "output path exists and is not a folder")])
        old = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old.", dir=out_dir.parent))
        old.rmdir()
        out_dir.rename(old)
    try:
        staging.rename(out_dir)
    except BaseException:
        if old is not None:
            old.rename(out_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)

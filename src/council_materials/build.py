"""``council build``: from a meeting folder to the output folder.

Input: a meeting folder (``meeting.yaml``, ``roster.yaml``, content files, pictures) and a plugin
manager. Output: in the output folder, the cover sheet and each numbered material in every output
format asked for (the registered ones: PDF and PPTX by default, HTML, a plugin's), and, with PDF,
one combined PDF with a bookmark per material.

The output folder is checked before any work (``output_folder.check_location``); the inputs are
read and checked by the pipeline (``pipeline.find_problems``: every problem of the inputs at once,
with the layout's when there are any); then the folder is claimed (locked, with a staging folder
inside it) and each part (the cover, each material) is laid out and rendered on its own, in worker
processes, only when its key or a file it read changed since the last build into the same folder
(``writing.write_parts``, ``incremental``); the combined PDF is joined from the parts' PDFs. Files
are moved into place one by one only when everything succeeded (``output_folder.OutputFolder.install``),
so a failed, interrupted (SIGTERM, Ctrl-C) or killed build leaves the previous outputs as they were,
and files the tool did not write are never touched. ``--only ID`` lays out and writes a single
material.
"""
from __future__ import annotations

import re
import signal
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Sequence

import pluggy

from .errors import InputError, Interrupted, Problem, raise_collected
from .incremental import BuildState, load_state, part_key, picture_cache_dir, picture_folder, save_state
from .inputs import Inputs
from .numbering import NumberedMaterial
from .output_folder import Written, check_location, claim, inputs_inside
from .part_files import JOINED, Combined, Part
from .pipeline import LaidPart, files_read, find_problems, lay_out, parts_of
from .writing import Progress, write_parts

__all__ = ["BuildResult", "build"]

COVER_STEM = "00_会議次第"


@dataclass
class BuildResult:
    """What a build wrote: every file, the pages of the combined PDF (or of the one material), the
    files actually rendered (the others were unchanged and kept), and the state for the next build."""

    out_dir: Path
    files: list[Path] = field(default_factory=list)
    pages: int = 0
    rendered: list[Path] = field(default_factory=list)
    state: BuildState | None = None
    placeholders: list[Problem] = field(default_factory=list)  # draft builds: pictures shown as placeholders
    kept: list[Path] = field(default_factory=list)  # the tool's files of other parts or formats, left as they were
    warnings: list[Problem] = field(default_factory=list)  # what the inputs' checks warn of (a template's fallbacks)


def _safe(title: str, limit: int = 40) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "", title)
    return cleaned[:limit] or "material"


def _stem(material: NumberedMaterial | None) -> str:
    return COVER_STEM if material is None else f"{material.position:02d}_{material.label}_{_safe(material.title)}"


def _parts(inputs: Inputs, only: str | None, draft: bool, cache_dir: Path) -> list[Part]:
    """The cover (unless ``only``) and every built material, each with its key and how to lay it out;
    downscaled pictures go to ``cache_dir``."""
    from .typography.linebreak import LineBreaker

    bundle, fonts = inputs.bundle, inputs.fonts
    assert fonts is not None  # read_inputs reports missing fonts as an error
    breakers: list[LineBreaker] = []

    def part(material: NumberedMaterial | None) -> Part:
        def laid() -> LaidPart:
            if not breakers:  # one per process: made in the worker that first needs it
                breakers.append(LineBreaker(fonts))
            return lay_out(inputs, material, draft=draft, breaker=breakers[0], cache_dir=cache_dir)
        key = part_key(material, bundle, inputs.registry, fonts, inputs.meeting_dir, draft, cache_dir)
        if material is None:
            return Part(COVER_STEM, "会議次第", key, 1 + len(bundle.roster.members) // 20, laid)
        return Part(_stem(material), f"{material.label} ({material.id})", key, len(material.slides), laid,
                    material.id)
    return [part(material) for material in parts_of(inputs, only)]


def _combined(inputs: Inputs, parts: list[Part]) -> Combined:
    """The combined PDF: a bookmark per part, its document made once the parts' page counts are known."""
    from .layout.document import COVER_BOOKMARK, combined_document

    bundle, fonts = inputs.bundle, inputs.fonts
    assert fonts is not None  # read_inputs reports missing fonts as an error

    titles = (COVER_BOOKMARK,) + tuple(f"{m.label} {m.title}" for m in bundle.built())
    return Combined(f"{_safe(bundle.meeting.title, 60)}_資料一式.pdf", titles, lambda pages: combined_document(
        bundle, fonts, [(t, pages[p.stem]) for t, p in zip(titles, parts)]))


def build(meeting_dir: Path, out_dir: Path, pm: pluggy.PluginManager | None = None,
          formats: Sequence[str] = (), *, only: str | None = None, previous: BuildState | None = None,
          progress: Progress | None = None, draft: bool = False) -> BuildResult:
    """Build every output (or, with ``only``, one material's) into ``out_dir``, each file replaced atomically.

    ``formats`` names registered output formats (``Registry.output_formats``); none: the default ones (PDF,
    PPTX). ``out_dir`` must not be, contain or lie inside the meeting folder's inputs, nor hold files the tool
    did not write unless its manifest says which are the tool's (``output_folder``); anything else there is
    left alone, and a build of some formats or one material keeps the tool's other files (``BuildResult.kept``).
    ``previous`` is the ``state`` of an earlier result for the same ``out_dir`` (by default, the state the
    last build into ``out_dir`` saved in the cache folder): parts whose key and files read did not change
    are neither laid out nor rendered, and files whose fingerprint did not change are kept instead of
    rendered. ``progress`` receives one line per step. ``draft``: a bad picture becomes a placeholder on a
    page marked 「ドラフト」 instead of an error; the result lists them in ``placeholders``.
    """
    out_dir = check_location(meeting_dir, out_dir)  # before any work
    if progress:
        progress(f"reading {meeting_dir}")
    inputs, errors = find_problems(meeting_dir, out_dir, pm, only=only, draft=draft, layout=False, progress=progress)
    raise_collected(errors)  # what `council validate` would report: the layout's problems too, if any
    assert inputs is not None  # read_inputs returns None only together with errors
    chosen = inputs.registry.formats(formats)  # registered output formats; none named: the default ones
    names = [output.name for output in chosen]
    if previous is None or previous.out_dir != out_dir:
        previous = load_state(out_dir) if previous is None else None

    with _stop_on_signals() as signals, claim(out_dir) as folder:
        parts = _parts(inputs, only, draft, picture_folder(picture_cache_dir(), folder.staging / ".pictures"))
        combined = _combined(inputs, parts) if only is None and JOINED in names else None
        written = [Written(f"{p.stem}.{name}", p.id, name) for p in parts for name in names]
        written += [Written(combined.name, "#combined", JOINED)] if combined else []
        folder.check_names(written)
        state, rendered = write_parts(parts, chosen, folder.staging, out_dir, previous, progress, combined)
        _no_input_inside(out_dir, inputs, parts, state)
        signals.finish()
        kept = folder.install(written, names, only)
    save_state(state)
    placeholders = [problem for p in parts for problem in state.parts[p.stem].placeholders]
    return BuildResult(out_dir, [out_dir / w.name for w in written], sum(r.pages for r in state.parts.values()),
                       [out_dir / n for n in rendered], state, placeholders, [out_dir / n for n in kept],
                       inputs.warnings)


def _no_input_inside(out_dir: Path, inputs: Inputs, parts: list[Part], state: BuildState) -> None:
    """Refuse to install when a file the layout read (a picture) lies in the output folder."""
    materials = {_stem(m): m for m in inputs.materials}
    files = [file for part in parts
             for file in files_read(inputs, materials.get(part.stem), state.parts[part.stem].reads)]
    inside = inputs_inside(out_dir, inputs.meeting_dir, files)
    if inside:
        raise InputError(inside)


class _Signals:
    """SIGTERM and SIGINT as ``Interrupted`` in the main process, once (later ones are ignored while the build
    cleans up), and not at all once ``finish()`` is called: from then on, the files being moved into place,
    the build completes (in milliseconds) and reports what it wrote."""

    def __init__(self) -> None:
        self.finishing = False
        self.raised = False

    def __call__(self, number: int, frame: object) -> None:
        if self.raised or self.finishing:
            return
        self.raised = True
        raise Interrupted(signal.Signals(number).name)

    def finish(self) -> None:
        self.finishing = True


@contextmanager
def _stop_on_signals() -> Iterator[_Signals]:
    """Handle SIGTERM and SIGINT while building (in the main thread only: elsewhere Python cannot)."""
    signals = _Signals()
    if threading.current_thread() is not threading.main_thread():
        yield signals
        return
    before = {number: signal.signal(number, signals) for number in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield signals
    finally:
        for number, handler in before.items():
            signal.signal(number, handler)

"""The whole pipeline, from a meeting folder to the output folder.

Input: a meeting folder (``meeting.yaml``, ``roster.yaml``, content files,
pictures) and a plugin manager. Output: in the output folder, the cover
sheet and each numbered material in every output format asked for (the
registered ones: PDF and PPTX by default, HTML, a plugin's), and, with PDF,
one combined PDF with a bookmark per material. Every problem of the inputs is reported at once
(``check.py``), and every material's layout problems too. Each part (the
cover, each material) is laid out and rendered on its own, in worker
processes, and only when its inputs changed since the last build into the
same folder (``outputs.py``); the combined PDF is joined from the parts'
PDFs. The output folder is checked before any work and claimed (locked, with
a staging folder inside it: ``output_folder.py``); outputs are written to the
staging folder and moved into place file by file only when everything
succeeded, so a failed, interrupted (SIGTERM, Ctrl-C) or killed build leaves
the previous outputs as they were, and files the tool did not write are never
touched. ``--only ID`` lays out and writes a single material.
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

from .assembly import Bundle, NumberedMaterial
from .check import Inputs, input_files, load_bundle, raise_collected, read_inputs, resolve_fonts
from .errors import CouncilError, InputError, Interrupted, Problem
from .hookspecs import OutputFormat
from .output_folder import Written, check_location, claim, inputs_inside
from .outputs import BuildState, Combined, Part, Progress, load_state, save_state, write_parts
from .processes import WorkerDied
from .validate import layout_errors

__all__ = ["BuildResult", "BuildState", "load_bundle", "build", "resolve_fonts"]

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


def _parts(inputs: Inputs, only: str | None, draft: bool, cache_dir: Path) -> list[Part]:
    """The cover (unless ``only``) and every built material, each with its key and how to lay it out;
    downscaled pictures go to ``cache_dir``."""
    from .layout.document import layout_part, part_key
    from .typography.linebreak import LineBreaker

    bundle, fonts = inputs.bundle, inputs.fonts
    assert fonts is not None  # read_inputs reports missing fonts as an error
    breakers: list[LineBreaker] = []

    def lay_out(material: NumberedMaterial | None):  # type: ignore[no-untyped-def]
        if not breakers:  # one per process: made in the worker that first needs it
            breakers.append(LineBreaker(fonts))
        return layout_part(material, bundle=bundle, registry=inputs.registry, fonts=fonts, breaker=breakers[0],
                           meeting_dir=inputs.meeting_dir, draft=draft, cache_dir=cache_dir)

    def part(stem: str, what: str, material: NumberedMaterial | None, size: int) -> Part:
        key = part_key(material, bundle, inputs.registry, fonts, inputs.meeting_dir, draft, cache_dir)
        return Part(stem, what, key, size, lambda: lay_out(material), material.id if material else "#cover")

    parts = [] if only is not None else [part(COVER_STEM, "会議次第", None, 1 + len(bundle.roster.members) // 20)]
    parts += [part(f"{m.position:02d}_{m.label}_{_safe(m.title)}", f"{m.label} ({m.id})", m, len(m.slides))
              for m in bundle.built()]
    return parts


def _write(inputs: Inputs, parts: list[Part], formats: Sequence[OutputFormat], staging: Path, out_dir: Path,
           previous: BuildState | None, only: str | None, progress: Progress | None) -> tuple[BuildState, list[str]]:
    """Every part's files in ``staging``, and the combined PDF; the new state and the files written anew.
    On failure, every part's problems."""
    from .layout.document import COVER_BOOKMARK, combined_document

    combined = None
    if only is None and any(output.name == "pdf" for output in formats):  # joined from the parts' PDFs
        bundle = inputs.bundle
        titles = (COVER_BOOKMARK,) + tuple(f"{m.label} {m.title}" for m in bundle.built())
        combined = Combined(_combined_name(bundle), titles, lambda pages: combined_document(
            bundle, inputs.fonts, [(t, pages[p.stem]) for t, p in zip(titles, parts)]))  # type: ignore[arg-type]
    try:
        return write_parts(parts, formats, staging, out_dir, previous, progress, combined)
    except WorkerDied:
        raise  # laying the parts out again here would meet what killed the worker
    except CouncilError:
        raise_collected(layout_errors(inputs, cover=only is None))
        raise  # laying out each part alone found nothing: report the error as it came


def _combined_name(bundle: Bundle) -> str:
    return f"{_safe(bundle.meeting.title, 60)}_資料一式.pdf"


def build(meeting_dir: Path, out_dir: Path, pm: pluggy.PluginManager | None = None,
          formats: Sequence[str] = (), *, only: str | None = None, previous: BuildState | None = None,
          progress: Progress | None = None, draft: bool = False) -> BuildResult:
    """Build every output (or, with ``only``, one material's) into ``out_dir``, each file replaced atomically.

    ``formats`` names registered output formats (``Registry.output_formats``); none: the default ones (PDF,
    PPTX). ``out_dir`` must not be, contain or lie inside the meeting folder's inputs, nor hold files the tool
    did not write unless its manifest says which are the tool's (``output_folder``); anything else there is
    left alone, and a build of some formats or one material keeps the tool's other files (``BuildResult.kept``).
    ``previous`` is the ``state`` of an earlier result for the same ``out_dir`` (by default, the state the
    last build into ``out_dir`` saved in the cache folder): parts whose inputs did not change are neither
    laid out nor rendered, and files whose fingerprint did not change are kept instead of rendered.
    ``progress`` receives one line per step. ``draft``: a bad picture becomes a placeholder on a page
    marked 「ドラフト」 instead of an error; the result lists them in ``placeholders``.
    """
    out_dir = check_location(meeting_dir, out_dir)  # before any work
    if progress:
        progress(f"reading {meeting_dir}")
    inputs, errors = read_inputs(meeting_dir, pm, only=only)
    if errors:  # report what `council validate` would: the layout's problems too (pictures aside in a draft)
        raise_collected(errors + (layout_errors(inputs, cover=only is None, pictures=not draft) if inputs else []))
    assert inputs is not None  # read_inputs returns None only together with errors
    if only is not None and not inputs.bundle.built():
        raise InputError([Problem(inputs.meeting_dir / "meeting.yaml", f"--only {only}: this entry is listed "
                                  "only (it has no source), so it has no pages to build")])
    inside = inputs_inside(out_dir, inputs.meeting_dir, input_files(inputs))
    if inside:
        raise InputError(inside)
    chosen = inputs.registry.formats(formats)  # registered output formats; none named: the default ones
    names = [output.name for output in chosen]
    if previous is None or previous.out_dir != out_dir:
        previous = load_state(out_dir) if previous is None else None
    from .layout.pictures import default_cache_dir, picture_folder

    with _stop_on_signals() as signals, claim(out_dir) as folder:
        parts = _parts(inputs, only, draft, picture_folder(default_cache_dir(), folder.staging / ".pictures"))
        combined = _combined_name(inputs.bundle) if only is None and "pdf" in names else None  # joined from PDFs
        written = [Written(f"{p.stem}.{name}", p.id, name) for p in parts for name in names]
        written += [Written(combined, "#combined", "pdf")] if combined else []
        folder.check_names(written)
        state, rendered = _write(inputs, parts, chosen, folder.staging, out_dir, previous, only, progress)
        signals.finish()
        kept = folder.install(written, names, only)
    save_state(state)
    placeholders = [problem for p in parts for problem in state.parts[p.stem].placeholders]
    return BuildResult(out_dir, [out_dir / w.name for w in written], sum(r.pages for r in state.parts.values()),
                       [out_dir / n for n in rendered], state, placeholders, [out_dir / n for n in kept],
                       inputs.warnings)


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

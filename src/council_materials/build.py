"""The whole pipeline, from a meeting folder to the output folder.

Input: a meeting folder (``meeting.yaml``, ``roster.yaml``, content files,
pictures) and a plugin manager. Output: in the output folder, the cover
sheet, each numbered material as PPTX and PDF, and one combined PDF with a
bookmark per material. Every problem of the inputs is reported at once
(``check.py``), and every material's layout problems too. Outputs are written
to a temporary folder beside the output folder and swapped in only when
everything succeeded, so a failed build leaves the previous outputs as they
were. Given the ``BuildState`` of the previous build, only files whose
fingerprint changed are rendered again (``outputs.py``); ``--only ID`` lays
out and writes a single material.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Sequence

import pluggy

from .assembly import Bundle
from .check import Inputs, load_bundle, raise_collected, read_inputs, resolve_fonts
from .errors import CouncilError, InputError, Problem
from .outputs import BuildState, Output, Progress, write_outputs
from .validate import layout_errors

if TYPE_CHECKING:  # pragma: no cover
    from .layout.document import LaidOut

__all__ = ["BuildResult", "BuildState", "load_bundle", "build", "FORMATS", "resolve_fonts"]

FORMATS = ("pptx", "pdf")


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


def _safe(title: str, limit: int = 40) -> str:
    cleaned = re.sub(r'[\\/:*?"<>|\s]+', "", title)
    return cleaned[:limit] or "material"


def _lay_out(inputs: Inputs, only: str | None, progress: Progress | None,
             draft: bool = False) -> tuple[list[Output], int, list[Problem]]:
    """Lay the bundle out once and name the output files (with the page count and, in a draft build,
    the pictures shown as placeholders); on failure, collect every material's problems."""
    from .layout.document import layout_bundle

    bundle = inputs.bundle
    built = bundle.built()
    if only is not None and not built:
        raise InputError([Problem(inputs.meeting_dir / "meeting.yaml", f"--only {only}: this entry is listed "
                                  "only (it has no source), so it has no pages to build")])
    if progress:
        progress("laying out " + ("the cover sheet and " if only is None else "")
                 + ", ".join(f"{m.label} ({m.id})" for m in built))
    try:
        laid = layout_bundle(bundle, registry=inputs.registry, fonts=inputs.fonts, meeting_dir=inputs.meeting_dir,
                             draft=draft)
    except CouncilError:
        errors = layout_errors(inputs, cover=only is None)
        raise_collected(errors)
        raise  # laying out each part alone found nothing: report the error as it came
    pages = len(laid.combined.pages) if only is None else sum(len(doc.pages) for _, doc in laid.materials)
    return _outputs(laid, bundle, only), pages, list(laid.placeholders)


def _outputs(laid: LaidOut, bundle: Bundle, only: str | None) -> list[Output]:
    parts = [] if only is not None else [("00_会議次第", "会議次第", laid.cover)]
    parts += [(f"{m.position:02d}_{m.label}_{_safe(m.title)}", f"{m.label} ({m.id})", doc) for m, doc in laid.materials]
    outputs = [Output(f"{stem}.{fmt}", fmt, what, doc) for stem, what, doc in parts for fmt in ("pdf", "pptx")]
    if only is None:
        pdfs = tuple(o.name for o in outputs if o.format == "pdf")
        titles = tuple(title for title, _ in laid.combined.bookmarks)
        outputs.append(Output(f"{_safe(bundle.meeting.title, 60)}_資料一式.pdf", "pdf", "資料一式", laid.combined,
                              parts=pdfs, titles=titles))
    return outputs


def build(meeting_dir: Path, out_dir: Path, pm: pluggy.PluginManager | None = None,
          formats: Sequence[str] = FORMATS, *, only: str | None = None, previous: BuildState | None = None,
          progress: Progress | None = None, draft: bool = False) -> BuildResult:
    """Build every output (or, with ``only``, one material's) into ``out_dir``, atomically.

    ``previous`` is the ``state`` of an earlier result for the same ``out_dir``: files whose
    fingerprint did not change are kept instead of rendered. ``progress`` receives one line per step.
    ``draft``: a bad picture becomes a placeholder on a page marked 「ドラフト」 instead of an error; the
    result lists them in ``placeholders``.
    """
    if progress:
        progress(f"reading {meeting_dir}")
    inputs, errors = read_inputs(meeting_dir, pm, only=only)
    if errors:  # report what `council validate` would: the layout's problems too (pictures aside in a draft)
        raise_collected(errors + (layout_errors(inputs, cover=only is None, pictures=not draft) if inputs else []))
    assert inputs is not None  # read_inputs returns None only together with errors
    outputs, pages, placeholders = _lay_out(inputs, only, progress, draft)
    outputs = [o for o in outputs if o.format in formats]
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        rendered, state = write_outputs(outputs, staging, out_dir, previous, progress)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuildResult(out_dir, [out_dir / o.name for o in outputs], pages, [out_dir / n for n in rendered], state,
                       placeholders)


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

"""Write the output files of a laid-out meeting, re-rendering only what changed.

Input: the planned outputs (file name, format, laid-out ``Document``), a
staging folder, the current output folder and the ``BuildState`` of the
build that wrote it. Output: every file in the staging folder, and the new
``BuildState``.

A file's fingerprint is a hash of everything its renderer reads: the
document (every page, position and line of text), the bytes of every file
the document names (pictures, font files), the format and the core's
version. Renderers decide nothing, so an unchanged fingerprint means
unchanged bytes: such a file is hard-linked (or copied) from the current
output folder instead of being rendered again, as long as it is still the
file the previous build wrote (same size and modification time).
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import pickle
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import __version__
from .errors import CouncilError
from .layout.primitives import Document, Picture

__all__ = ["Output", "FileRecord", "BuildState", "fingerprint", "write_outputs"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Output:
    """One file to write: its name, its format, what it shows (for progress lines) and its pages."""

    name: str
    format: str  # "pdf" or "pptx"
    what: str  # e.g. "資料1 (dx)", "会議次第", "資料一式"
    document: Document
    parts: tuple[str, ...] = ()  # a combined PDF: the PDFs it joins (written first), one bookmark each
    titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class FileRecord:
    """What the build that wrote a file knew about it."""

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class BuildState:
    """The files a build wrote into ``out_dir``, by name; handed to the next build to reuse them."""

    out_dir: Path
    files: dict[str, FileRecord] = field(default_factory=dict)


_digests: dict[tuple[Path, int, int, int], str] = {}


def _file_digest(path: Path) -> str:
    """SHA-256 of a file, cached by path, size, modification time and inode."""
    try:
        stat = path.stat()
    except OSError:
        return "missing"
    key = (path, stat.st_size, stat.st_mtime_ns, stat.st_ino)
    if key not in _digests:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _digests[key] = digest.hexdigest()
    return _digests[key]


def _named_files(document: Document) -> set[Path]:
    """The files a renderer reads besides the document: the font files and every picture."""
    files = {document.fonts.regular, document.fonts.bold}
    files.update(item.path for page in document.pages for item in page.items if isinstance(item, Picture))
    return files


def _stamp(output: Output, stamps: dict[str, str]) -> str:
    """An output's fingerprint; a combined PDF's is made of its parts' (it is drawn from them)."""
    if not output.parts:
        return fingerprint(output.document, output.format)
    document = output.document
    head = f"merge\0{__version__}\0{output.titles!r}\0{document.title}\0{document.author}\0{document.subject}"
    digest = hashlib.sha256(f"{head}\0{document.created}".encode("utf-8", "surrogatepass"))
    for part in output.parts:
        digest.update(f"\0{part}\0{stamps[part]}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def fingerprint(document: Document, format: str) -> str:
    """Hash of everything the ``format`` renderer reads to write ``document``: the document itself
    (its pickle: every page, position and line) and the bytes of every file it names."""
    digest = hashlib.sha256(f"{format}\0{__version__}\0".encode())
    digest.update(pickle.dumps(document, protocol=5))
    for path in sorted(_named_files(document)):
        digest.update(f"\0{path}\0{_file_digest(path)}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _reusable(previous: BuildState | None, out_dir: Path, name: str, stamp: str) -> Path | None:
    """The current output file ``name``, if the previous build wrote it with the same fingerprint."""
    if previous is None or previous.out_dir != out_dir or name not in previous.files:
        return None
    record = previous.files[name]
    path = out_dir / name
    try:
        stat = path.stat()
    except OSError:
        return None
    same = (record.fingerprint, record.size, record.mtime_ns) == (stamp, stat.st_size, stat.st_mtime_ns)
    return path if same else None


def _render(output: Output, path: Path) -> None:
    if output.parts:
        from .render.merge import merge_pdfs
        merge_pdfs([path.parent / part for part in output.parts], output.titles, output.document, path)
    elif output.format == "pdf":
        from .render.pdf import render_pdf
        render_pdf(output.document, path)
    else:
        from .render.pptx import render_pptx
        render_pptx(output.document, path)


def workers() -> int:
    """Processes to render with: ``$COUNCIL_MATERIALS_WORKERS``, else one per core, at most 2."""
    wanted = os.environ.get("COUNCIL_MATERIALS_WORKERS", "")
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


_JOBS: list[tuple[Output, Path]] = []  # set before forking: the workers inherit it, nothing is pickled


def _render_job(index: int) -> tuple[bool, str] | None:
    """Render job ``index`` in a worker; a failure comes back as (is a CouncilError, message)."""
    output, target = _JOBS[index]
    try:
        _render(output, target)
    except BaseException as exc:  # re-raised in the parent (a dying worker would leave the pool waiting)
        if isinstance(exc, CouncilError):
            return True, str(exc)
        return False, f"rendering {output.name} failed: {type(exc).__name__}: {exc}"
    return None


def _render_all(jobs: list[tuple[Output, Path]], count: int) -> None:
    """Render ``jobs``, in ``count`` forked processes when that pays; the bytes do not depend on it."""
    if count < 2 or len(jobs) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        for output, target in jobs:
            _render(output, target)
        return
    global _JOBS
    _JOBS = jobs
    order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][0].document.pages))  # biggest first
    try:
        with multiprocessing.get_context("fork").Pool(count) as pool:
            failures = [f for f in pool.imap_unordered(_render_job, order) if f is not None]
    finally:
        _JOBS = []
    if failures:
        raise CouncilError(failures[0][1])


def write_outputs(outputs: list[Output], staging: Path, out_dir: Path, previous: BuildState | None = None,
                  progress: Progress | None = None) -> tuple[list[str], BuildState]:
    """Fill ``staging`` with every output; return the names actually rendered and the new state."""
    rendered: list[str] = []
    stamps: dict[str, str] = {}
    jobs: list[tuple[Output, Path]] = []
    merged: list[tuple[Output, Path]] = []
    for number, output in enumerate(outputs, 1):
        target = staging / output.name
        stamp = stamps[output.name] = _stamp(output, stamps)
        current = _reusable(previous, out_dir, output.name, stamp)
        if current is not None:
            try:
                os.link(current, target)
            except OSError:
                shutil.copy2(current, target)
        else:
            if progress:
                progress(f"[{number}/{len(outputs)}] rendering {output.what} ({output.format.upper()}, "
                         f"{len(output.document.pages)} page{'s' if len(output.document.pages) != 1 else ''})")
            (merged if output.parts else jobs).append((output, target))
            rendered.append(output.name)
    _render_all(jobs, workers())
    for output, target in merged:  # after the parts they join
        _render(output, target)
    records: dict[str, FileRecord] = {}
    for output in outputs:
        stat = (staging / output.name).stat()
        records[output.name] = FileRecord(stamps[output.name], stat.st_size, stat.st_mtime_ns)
    return rendered, BuildState(out_dir, records)

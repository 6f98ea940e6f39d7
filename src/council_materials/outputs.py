"""Write the output files of a build, laying out and rendering only what changed.

Input: the parts of a build (the cover sheet, each material: ``Part``), the
output formats to write (registered ``OutputFormat``s: PDF, PPTX, HTML, a
plugin's), a staging folder, the current output folder and the ``BuildState``
of the build that wrote it. Output: every file in the staging folder (each part
in each format, written by the format's renderer, then the combined PDF joined
from the parts' PDFs), and the new ``BuildState``.

Two levels of reuse, both checked against the file actually in the output
folder (same size and modification time as the build that wrote it):

- a part whose *key* (a hash of everything its layout reads: content, theme,
  fonts, pictures, code; ``layout.document.part_key``) is unchanged is not
  even laid out: its files are hard-linked (or copied) from the output folder;
- a part that is laid out again (because a file of it was changed or removed by
  someone else) renders only the files whose fingerprint no longer matches the
  file in the folder. A file's fingerprint comes from its part's key (which
  determines the document), or, for a part without a key, from the document
  itself (every page, position and line, and the bytes of the files it names).

Parts are independent: they are laid out and rendered in forked worker
processes (``workers()``), biggest first; the bytes never depend on which
process wrote them. The state is kept in the cache folder
(``cache.cache_root()/builds``), so a new ``council build`` process reuses
what the last one wrote.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import shutil
import tempfile
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from . import __version__
from .cache import cache_root, file_stamp, source_stamp
from .errors import CouncilError, Problem
from .hookspecs import OutputFormat
from .layout.primitives import Document, Picture
from .processes import JobFailed, run_jobs

__all__ = ["Part", "PartRecord", "FileRecord", "BuildState", "Combined", "fingerprint", "write_parts",
           "merge_stamp", "load_state", "save_state", "workers"]

Progress = Callable[[str], None]


@dataclass(frozen=True)
class FileRecord:
    """What the build that wrote a file knew about it."""

    fingerprint: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class PartRecord:
    """What the build that wrote a part's files knew: its key, page count and draft placeholders."""

    key: str | None
    pages: int
    placeholders: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class BuildState:
    """The files a build wrote into ``out_dir``, by name, and its parts, by file stem; handed to the next
    build (or saved for the next process) to reuse them."""

    out_dir: Path
    files: dict[str, FileRecord] = field(default_factory=dict)
    parts: dict[str, PartRecord] = field(default_factory=dict)


@dataclass(frozen=True)
class Part:
    """One laid-out unit: the cover sheet (``material`` is None) or one material, written as
    ``stem.pdf``/``stem.pptx``. ``lay_out`` returns its document and the draft placeholders."""

    stem: str
    what: str  # for progress lines, e.g. "資料1 (dx)"
    key: str | None
    size: int  # a guess of the work, to start the biggest first
    lay_out: Callable[[], tuple[Document, tuple[Problem, ...]]]
    id: str = "#cover"  # what the output folder's manifest names the part by: a material's id, or #cover


_digests: dict[tuple[Path, str], str] = {}


def _file_digest(path: Path) -> str:
    """SHA-256 of a file, cached by path and ``file_stamp`` (size, times and inode)."""
    stamp = file_stamp(path)
    if stamp is None:
        return "missing"
    key = (path, stamp)
    if key not in _digests:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        _digests[key] = digest.hexdigest()
    return _digests[key]


def _named_files(document: Document) -> set[Path]:
    """The files a renderer reads besides the document: the font files, every picture and the template."""
    files = {document.fonts.regular, document.fonts.bold}
    files.update(item.path for page in document.pages for item in page.items if isinstance(item, Picture))
    if document.template is not None:
        files.add(document.template.path)
    return files


def fingerprint(document: Document, format: str) -> str:
    """Hash of everything the ``format`` renderer reads to write ``document``: the document itself
    (its repr: every page, position and line), the bytes of every file it names, and the renderers'
    code (the core's source files)."""
    digest = hashlib.sha256(f"{format}\0{__version__}\0{source_stamp((__name__.split('.')[0],))}\0".encode())
    digest.update(repr(document).encode("utf-8", "surrogatepass"))  # not its pickle: that depends on which
    # equal strings happen to be one object
    for path in sorted(_named_files(document)):
        digest.update(f"\0{path}\0{_file_digest(path)}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _key_fingerprint(key: str, format: str) -> str:
    """A file's fingerprint from its part's key, which covers everything the layout reads (so everything
    its document holds) and the files it names: hashing the document itself costs as much as laying it out."""
    return hashlib.sha256(f"{format}\0{__version__}\0{source_stamp((__name__.split('.')[0],))}\0{key}".encode())\
        .hexdigest()


def merge_stamp(document: Document, titles: Sequence[str], parts: Sequence[str], stamps: dict[str, str]) -> str:
    """The combined PDF's fingerprint: made of its parts' (it is joined from them) and its metadata."""
    head = f"merge\0{__version__}\0{tuple(titles)!r}\0{document.title}\0{document.author}\0{document.subject}"
    digest = hashlib.sha256(f"{head}\0{document.created}".encode("utf-8", "surrogatepass"))
    for part in parts:
        digest.update(f"\0{part}\0{stamps[part]}".encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


def _current(previous: BuildState | None, name: str, stamp: str | None = None) -> Path | None:
    """The file ``name`` in the output folder, if the previous build wrote it (with fingerprint ``stamp``,
    when given) and nobody has changed it since."""
    if previous is None or name not in previous.files:
        return None
    record = previous.files[name]
    path = previous.out_dir / name
    try:
        stat = path.stat()
    except OSError:
        return None
    if (record.size, record.mtime_ns) != (stat.st_size, stat.st_mtime_ns):
        return None
    return path if stamp is None or record.fingerprint == stamp else None


def _link(current: Path, target: Path) -> None:
    try:
        os.link(current, target)
    except OSError:
        shutil.copy2(current, target)


@dataclass(frozen=True)
class _Done:
    """A part's outcome: its record, its files' fingerprints, the names rendered (not reused)."""

    stem: str
    record: PartRecord
    stamps: dict[str, str]
    rendered: tuple[str, ...]


def _write_part(part: Part, formats: Sequence[OutputFormat], staging: Path, previous: BuildState | None) -> _Done:
    """Lay ``part`` out and write its files into ``staging`` with each format's renderer, rendering only files
    whose fingerprint changed."""
    document, placeholders = part.lay_out()
    stamps, rendered = {}, []
    for output in formats:
        name = f"{part.stem}.{output.name}"
        stamp = stamps[name] = _key_fingerprint(part.key, output.name) if part.key else \
            fingerprint(document, output.name)
        current = _current(previous, name, stamp)
        if current is not None:
            _link(current, staging / name)
        else:
            output.render(document, staging / name)
            rendered.append(name)
    return _Done(part.stem, PartRecord(part.key, len(document.pages), placeholders), stamps, tuple(rendered))


def _reuse_part(part: Part, formats: Sequence[OutputFormat], staging: Path,
                previous: BuildState | None) -> _Done | None:
    """The part's files linked from the output folder, when its key and every file are unchanged."""
    if part.key is None or previous is None or previous.parts.get(part.stem, PartRecord(None, 0)).key != part.key:
        return None
    names = [f"{part.stem}.{output.name}" for output in formats]
    currents = [_current(previous, name) for name in names]
    if any(current is None for current in currents):
        return None
    for name, current in zip(names, currents):
        _link(current, staging / name)  # type: ignore[arg-type]
    return _Done(part.stem, previous.parts[part.stem], {n: previous.files[n].fingerprint for n in names}, ())


def workers() -> int:
    """Processes to lay out and render with: ``$COUNCIL_MATERIALS_WORKERS`` (0: in this process, for
    debugging), else one per core, at most 2."""
    wanted = os.environ.get("COUNCIL_MATERIALS_WORKERS", "")
    if wanted.isdigit():
        return int(wanted)
    return max(1, min(2, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


@dataclass(frozen=True)
class Combined:
    """The combined PDF: its file name, a bookmark title per part, and its metadata document, made from
    the parts' page counts (by stem) once they are known."""

    name: str
    titles: tuple[str, ...]
    document: Callable[[dict[str, int]], Document]


def _merged(done: dict[str, _Done], parts: Sequence[Part], combined: Combined, staging: Path,
            previous: BuildState | None) -> _Done:
    """Join the parts' PDFs (already in ``staging``) into the combined PDF, or link it when its stamp is
    unchanged."""
    names = [f"{part.stem}.pdf" for part in parts]
    stamps = {name: done[part.stem].stamps[name] for part, name in zip(parts, names)}
    document = combined.document({part.stem: done[part.stem].record.pages for part in parts})
    stamp = merge_stamp(document, combined.titles, names, stamps)
    current = _current(previous, combined.name, stamp)
    if current is not None:
        _link(current, staging / combined.name)
    else:
        from .render.merge import merge_pdfs
        merge_pdfs([staging / name for name in names], combined.titles, document, staging / combined.name)
    return _Done(combined.name, PartRecord(None, len(document.pages)), {combined.name: stamp},
                 () if current is not None else (combined.name,))


def _add(done: dict[str, _Done], outcome: _Done) -> None:
    """Record ``outcome``; a part written as two tasks (one per format) gets both halves' files."""
    before = done.get(outcome.stem)
    if before is not None:
        outcome = _Done(outcome.stem, outcome.record, {**before.stamps, **outcome.stamps},
                        before.rendered + outcome.rendered)
    done[outcome.stem] = outcome


def write_parts(parts: Sequence[Part], formats: Sequence[OutputFormat], staging: Path, out_dir: Path,
                previous: BuildState | None, progress: Progress | None = None,
                combined: Combined | None = None) -> tuple[BuildState, list[str]]:
    """Fill ``staging`` with every part's files, then the ``combined`` PDF (joined as soon as every part's
    PDF is there, while other parts' PPTX may still be rendering); return the new state of ``out_dir``
    (its ``files`` keyed by file name, its ``parts`` by stem) and the names of the files written anew (the
    others were kept). ``previous`` must be the state of ``out_dir``."""
    done: dict[str, _Done] = {}
    todo = []
    for part in parts:
        reused = _reuse_part(part, formats, staging, previous)
        if reused is not None:
            done[part.stem] = reused
        else:
            todo.append(part)
    todo.sort(key=lambda part: -part.size)
    count = workers()
    # Fewer parts than workers (a rebuild after one change): lay the part out in each, one format apiece.
    split = [[f] for f in formats] if len(todo) < count and len(formats) > 1 else [list(formats)]
    tasks = [(part, subset) for subset in split for part in todo]
    jobs = [lambda part=part, subset=subset: _write_part(part, subset, staging, previous)  # type: ignore[misc]
            for part, subset in tasks]
    waiting_pdfs = sum(any(output.name == "pdf" for output in subset) for _, subset in tasks)
    what = {part.stem: part.what for part in todo}
    if progress:
        kept = [part.what for part in parts if part.stem in done]
        progress(f"laying out {', '.join(what.values()) or 'nothing'}"
                 + (f"; unchanged: {', '.join(kept)}" if kept else ""))

    def join_when_every_pdf_is_there() -> None:
        if combined is not None and waiting_pdfs == 0 and combined.name not in done:
            if progress:
                progress(f"joining {len(parts)} PDFs into {combined.name}")
            _add(done, _merged(done, parts, combined, staging, previous))
    join_when_every_pdf_is_there()
    names = [part.what if subset == list(formats) else f"{part.what} as {subset[0].name.upper()}"
             for part, subset in tasks]
    orphaned = lambda: shutil.rmtree(staging, ignore_errors=True)  # noqa: E731  # the build died meanwhile
    try:
        with closing(run_jobs(jobs, names, count, orphaned)) as outcomes:
            for number, outcome in enumerate(outcomes, 1):
                _add(done, outcome)
                waiting_pdfs -= any(name.endswith(".pdf") for name in outcome.stamps)
                if progress:
                    pages = outcome.record.pages
                    progress(f"[{number}/{len(jobs)}] {what[outcome.stem]}: {pages} page{'s' if pages != 1 else ''}, "
                             f"{'rendered ' + ', '.join(outcome.rendered) if outcome.rendered else 'unchanged'}")
                join_when_every_pdf_is_there()
    except JobFailed as exc:
        if exc.ours:
            raise CouncilError(str(exc)) from None
        raise CouncilError(f"laying out or rendering failed: {exc}") from None
    files = {}
    for outcome in done.values():
        for name, stamp in outcome.stamps.items():
            stat = (staging / name).stat()
            files[name] = FileRecord(stamp, stat.st_size, stat.st_mtime_ns)
    order = [part.stem for part in parts] + ([combined.name] if combined else [])
    return (BuildState(out_dir, files, {part.stem: done[part.stem].record for part in parts}),
            [name for stem in order for name in done[stem].rendered])


def _state_file(out_dir: Path) -> Path:
    return cache_root() / "builds" / hashlib.sha256(str(out_dir).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def load_state(out_dir: Path) -> BuildState | None:
    """The state saved by the last build into ``out_dir`` (by any process), or None."""
    try:
        state = pickle.loads(_state_file(out_dir).read_bytes())
    except Exception:  # missing, unreadable, written by another version: build without it
        return None
    return state if isinstance(state, BuildState) and state.out_dir == out_dir else None


def save_state(state: BuildState) -> None:
    """Keep ``state`` for the next build into the same folder; a cache that cannot be written is not used."""
    path = _state_file(state.out_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(handle, "wb") as out:
            out.write(pickle.dumps(state, protocol=5))
        os.replace(tmp, path)
    except OSError:
        pass

"""Write: every part's files into the staging folder, in worker processes, and the combined PDF.

Input: the parts of a build (the cover sheet, each material: ``part_files.Part``), the output formats
to write (registered ``OutputFormat``s: PDF, PPTX, HTML, a plugin's), a staging folder, the current
output folder and the ``BuildState`` of the build that wrote it. Output: every file in the staging
folder (each part in each format, then the combined PDF joined from the parts' PDFs) and the new
``BuildState``; or, when a part cannot be laid out or rendered, every part's problems at once.

This module decides what is done when and where: parts whose key and reads are unchanged are linked
at once (``part_files.reuse_part``); the others are laid out and rendered (``part_files.write_part``)
in forked worker processes (``processes.run_jobs``), biggest first, and when there are fewer of
them than workers (a rebuild after one change), each is laid out in every worker and rendered in one
format apiece; the combined PDF is joined (``part_files.join_part``) as soon as every part's PDF is
there, while other parts' PPTX may still be rendering. Once a part has failed, the parts still to
come are laid out for their problems only, nothing more is rendered, and the build fails with every
part's problems, in the parts' order: no part is laid out twice. The bytes never depend on which
process wrote them.
"""
from __future__ import annotations

import mmap
import shutil
from contextlib import closing
from functools import partial
from pathlib import Path
from typing import Callable, Sequence

from .errors import CouncilError, raise_collected
from .hookspecs import OutputFormat
from .incremental import BuildState, FileRecord
from .part_files import JOINED, Combined, Part, Written, join_part, reuse_part, write_part
from .processes import JobFailed, run_jobs, workers

__all__ = ["Progress", "write_parts"]

Progress = Callable[[str], None]


def _add(done: dict[str, Written], outcome: Written) -> None:
    """Record ``outcome``; a part written as two tasks (one per format) gets both halves' files (and its
    problems once)."""
    before = done.get(outcome.stem)
    if before is not None:
        outcome = Written(outcome.stem, outcome.record, {**before.stamps, **outcome.stamps},
                          before.rendered + outcome.rendered, before.problems or outcome.problems)
    done[outcome.stem] = outcome


def write_parts(parts: Sequence[Part], formats: Sequence[OutputFormat], staging: Path, out_dir: Path,
                previous: BuildState | None, progress: Progress | None = None,
                combined: Combined | None = None) -> tuple[BuildState, list[str]]:
    """Fill ``staging`` with every part's files, then the ``combined`` PDF; return the new state of ``out_dir``
    (its ``files`` keyed by file name, its ``parts`` by stem) and the names of the files written anew (the
    others were kept). ``previous`` must be the state of ``out_dir``. Raise every part's problems when any
    part has some."""
    done: dict[str, Written] = {}
    todo = []
    for part in parts:
        reused = reuse_part(part, formats, staging, previous)
        if reused is not None:
            done[part.stem] = reused
        else:
            todo.append(part)
    todo.sort(key=lambda part: -part.size)
    count = workers()
    # Fewer parts than workers (a rebuild after one change): lay the part out in each, one format apiece.
    split = [[f] for f in formats] if len(todo) < count and len(formats) > 1 else [list(formats)]
    tasks = [(part, subset) for subset in split for part in todo]
    failed = mmap.mmap(-1, 1)  # shared with the forked workers: set once a part has problems

    def job(part: Part, subset: list[OutputFormat]) -> Written:
        written = write_part(part, subset, staging, previous, render=lambda: failed[0] == 0)
        if written.problems:
            failed[0] = 1
        return written
    jobs = [partial(job, part, subset) for part, subset in tasks]
    waiting_pdfs = sum(any(output.name == JOINED for output in subset) for _, subset in tasks)
    what = {part.stem: part.what for part in todo}
    if progress:
        kept = [part.what for part in parts if part.stem in done]
        progress(f"laying out {', '.join(what.values()) or 'nothing'}"
                 + (f"; unchanged: {', '.join(kept)}" if kept else ""))

    def join_when_every_pdf_is_there() -> None:
        if combined is not None and waiting_pdfs == 0 and combined.name not in done and not failed[0]:
            if progress:
                progress(f"joining {len(parts)} PDFs into {combined.name}")
            _add(done, join_part(done, parts, combined, staging, previous))
    join_when_every_pdf_is_there()
    names = [part.what if subset == list(formats) else f"{part.what} as {subset[0].name.upper()}"
             for part, subset in tasks]
    orphaned = lambda: shutil.rmtree(staging, ignore_errors=True)  # noqa: E731  # the build died meanwhile
    try:
        with closing(run_jobs(jobs, names, count, orphaned)) as outcomes:
            for number, outcome in enumerate(outcomes, 1):
                _add(done, outcome)
                failed[0] = failed[0] or bool(outcome.problems)
                waiting_pdfs -= any(name.endswith(f".{JOINED}") for name in outcome.stamps)
                if progress and not outcome.problems:
                    pages = outcome.record.pages
                    progress(f"[{number}/{len(jobs)}] {what[outcome.stem]}: {pages} page{'s' if pages != 1 else ''}, "
                             f"{'rendered ' + ', '.join(outcome.rendered) if outcome.rendered else 'unchanged'}")
                join_when_every_pdf_is_there()
    except JobFailed as exc:
        if exc.ours:
            raise CouncilError(str(exc)) from None
        raise CouncilError(f"laying out or rendering failed: {exc}") from None
    raise_collected([problem for part in parts for problem in done[part.stem].problems])
    files = {}
    for outcome in done.values():
        for name, stamp in outcome.stamps.items():
            stat = (staging / name).stat()
            files[name] = FileRecord(stamp, stat.st_size, stat.st_mtime_ns)
    order = [part.stem for part in parts] + ([combined.name] if combined else [])
    return (BuildState(out_dir, files, {part.stem: done[part.stem].record for part in parts}),
            [name for stem in order for name in done[stem].rendered])

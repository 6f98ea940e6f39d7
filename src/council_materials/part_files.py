"""A part's files: laid out and rendered in each output format, or linked from the output folder unchanged.

Input: a part of a build (``Part``: the cover sheet or one material, with its key and how to lay it
out), the output formats (registered ``OutputFormat``s), the staging folder and the previous
build's ``BuildState``. Output: the part's files in the staging folder and what is known of them
(``Written``: the part's record for the next build, each file's fingerprint, the names rendered
anew), or its problems, located (``Written.problems``; nothing rendered).

- ``reuse_part``: a part whose key and reads are unchanged (``incremental.reused_part``) is not even
  laid out: its files are hard-linked (or copied) from the output folder.
- ``write_part``: a part laid out again renders only the files whose fingerprint no longer matches the
  file in the output folder (one changed or removed by someone else); a file's fingerprint comes from
  its part's key and reads, or, for a part without a key, from the document itself.
- ``join_part``: the combined PDF, joined from the parts' PDFs in the staging folder (``render.pdf_join``),
  or linked when its fingerprint is unchanged.
"""
from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Sequence

from .errors import CouncilError
from .hookspecs import OutputFormat
from .incremental import (BuildState, PartRecord, current_file, file_fingerprint, fingerprint, join_fingerprint,
                          reused_part)
from .layout.primitives import Document
from .pipeline import LaidPart

__all__ = ["Part", "Written", "Combined", "JOINED", "reuse_part", "write_part", "join_part"]

JOINED = "pdf"
"""The output format whose files are joined into the combined file (``render.pdf_join``)."""


@dataclass(frozen=True)
class Part:
    """One laid-out unit: the cover sheet or one material, written as ``stem.pdf``, ``stem.pptx``, …;
    ``lay_out`` lays it out (``pipeline.lay_out``)."""

    stem: str
    what: str  # for progress lines, e.g. "資料1 (dx)"
    key: str | None
    size: int  # a guess of the work, to start the biggest first
    lay_out: Callable[[], LaidPart]
    id: str = "#cover"  # what the output folder's manifest names the part by: a material's id, or #cover


@dataclass(frozen=True)
class Written:
    """A part's outcome: its record, its files' fingerprints, the names rendered (not reused), its problems."""

    stem: str
    record: PartRecord
    stamps: dict[str, str]
    rendered: tuple[str, ...] = ()
    problems: tuple[CouncilError, ...] = ()


@dataclass(frozen=True)
class Combined:
    """The combined PDF: its file name, a bookmark title per part, and its metadata document, made from
    the parts' page counts (by stem) once they are known."""

    name: str
    titles: tuple[str, ...]
    document: Callable[[dict[str, int]], Document]


def _link(current: Path, target: Path) -> None:
    try:
        os.link(current, target)
    except OSError:
        shutil.copy2(current, target)


def reuse_part(part: Part, formats: Sequence[OutputFormat], staging: Path,
               previous: BuildState | None) -> Written | None:
    """The part's files linked from the output folder, when its key, its reads and every file are unchanged."""
    names = [f"{part.stem}.{output.name}" for output in formats]
    found = reused_part(previous, part.stem, part.key, names)
    if found is None or previous is None:  # (no previous build: nothing found)
        return None
    record, currents = found
    for name, current in zip(names, currents):
        _link(current, staging / name)
    return Written(part.stem, record, {n: previous.files[n].fingerprint for n in names})


def write_part(part: Part, formats: Sequence[OutputFormat], staging: Path, previous: BuildState | None,
               render: Callable[[], bool] = lambda: True) -> Written:
    """Lay ``part`` out and write its files into ``staging`` with each format's renderer, rendering only files
    whose fingerprint changed; or return its problems. Nothing is rendered when ``render()`` says no (another
    part has failed: the build will fail, this part is laid out only for its problems)."""
    laid = part.lay_out()
    record = PartRecord(part.key, len(laid.document.pages) if laid.document else 0, laid.warnings, laid.reads)
    if laid.document is None or not render():
        return Written(part.stem, record, {}, (), laid.problems)
    stamps, rendered = {}, []
    for output in formats:
        name = f"{part.stem}.{output.name}"
        stamp = stamps[name] = file_fingerprint(part.key, laid.reads, output.name) if part.key else \
            fingerprint(laid.document, output.name)
        current = current_file(previous, name, stamp)
        if current is not None:
            _link(current, staging / name)
            continue
        try:
            output.render(laid.document, staging / name)
        except CouncilError as exc:  # reported as it is: laying the part out again would find nothing more
            return Written(part.stem, record, {}, (), (exc,))
        rendered.append(name)
    return Written(part.stem, record, stamps, tuple(rendered))


def join_part(written: dict[str, Written], parts: Sequence[Part], combined: Combined, staging: Path,
              previous: BuildState | None) -> Written:
    """Join the parts' PDFs (already in ``staging``) into the combined PDF, or link it when its fingerprint is
    unchanged."""
    names = [f"{part.stem}.{JOINED}" for part in parts]
    stamps = {name: written[part.stem].stamps[name] for part, name in zip(parts, names)}
    document = combined.document({part.stem: written[part.stem].record.pages for part in parts})
    stamp = join_fingerprint(document, combined.titles, names, stamps)
    current = current_file(previous, combined.name, stamp)
    if current is not None:
        _link(current, staging / combined.name)
    else:
        from .render.pdf_join import join_pdf_files
        join_pdf_files([staging / name for name in names], combined.titles, document, staging / combined.name)
    return Written(combined.name, PartRecord(None, len(document.pages)), {combined.name: stamp},
                   () if current is not None else (combined.name,))


"""What the load stage reads from a meeting folder, and where each value came from.

Input: a meeting folder (``pipeline.read_inputs`` fills an ``Inputs`` stage by stage). Output:
``Inputs``, the validated meeting and roster, the fonts the theme names (``resolve_fonts``: read
only from the meeting folder or the machine's font folders), each numbered material with its
slides, and, for every content file, where each of its values starts (``Source``), so that any
later problem can be placed where the author wrote its cause (``errors.located``).
``input_files`` lists every file a build reads before laying out, each with where it is named
(the output folder must not hold one: ``output_folder.inputs_inside``); what the layout reads
besides is recorded as it reads it (``incremental.Reads``).
"""
from __future__ import annotations

import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from pydantic import BaseModel

from .errors import FontError, Problem, located
from .loading import LineIndex
from .models import Meeting, Roster
from .models.meeting import system_font_folders
from .numbering import Bundle, NumberedMaterial
from .plugins import Registry
from .typography.fonts import FontPair, default_font_pair, load_font_pair

__all__ = ["Source", "Made", "Inputs", "resolve_fonts", "input_files", "Located", "entry_path", "MAX_FONT_BYTES"]


@dataclass(frozen=True)
class Source:
    """A material's content as read: its file, where each value starts, the validated model."""

    file: Path
    index: LineIndex
    content: BaseModel
    key: str = ""  # what it was validated from: the file's bytes, its model, the code (``incremental.validated``)


@dataclass(frozen=True)
class Made:
    """What building a material made besides its slides: the key of everything they were made from
    (``incremental.slides_key``) and every character of its content and slides."""

    key: str = ""
    chars: frozenset[str] = frozenset()


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
    made: dict[int, Made] = field(default_factory=dict)  # by material position
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


def entry_path(meeting: Meeting, position: int) -> tuple[Any, ...]:
    """Where the entry of the material at ``position`` (1-based, references after materials) is in meeting.yaml."""
    if position <= len(meeting.materials):
        return ("materials", position - 1)
    return ("references", position - 1 - len(meeting.materials))


Located = Callable[[], Problem]
"""Where a file is named, found only when it is wanted (the problem's message is the name as written)."""


def input_files(inputs: Inputs) -> Iterator[tuple[Path, Located]]:
    """Every file of the meeting folder a build reads before laying out: meeting.yaml, the roster, the content
    files, the theme's fonts and its template, each with where it is named."""
    meeting, folder = inputs.meeting, inputs.meeting_dir
    meeting_file = folder / "meeting.yaml"

    def at(path: tuple[Any, ...], name: str) -> Located:
        return lambda: located(meeting_file, inputs.meeting_index, path, name)
    yield meeting_file, lambda: Problem(meeting_file, "meeting.yaml")
    yield folder / meeting.roster, at(("roster",), meeting.roster)
    if meeting.theme.fonts is not None:
        for face in ("regular", "bold"):
            font = getattr(meeting.theme.fonts, face).path
            yield folder / font, at(("theme", "fonts", face, "path"), font)
    if meeting.theme.template is not None:
        yield folder / meeting.theme.template, at(("theme", "template"), meeting.theme.template)
    for material in inputs.materials:
        if material.entry.content is not None:
            yield folder / material.entry.content, at(entry_path(meeting, material.position) + ("content",),
                                                      material.entry.content)

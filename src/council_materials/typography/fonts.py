"""Font faces: load TrueType files once, measure text from cached advance widths.

Input: font file paths (the bundled BIZ UDPGothic by default, or a theme's).
Output: ``Face`` objects that measure strings in points and report which
characters they cannot print, and the ``FontFaces`` record the renderers use.
Only TrueType outlines are accepted (``.ttf``, ``.ttc`` with an index):
reportlab cannot embed CFF outlines, so a ``.otf`` is refused up front.
"""
from __future__ import annotations

import array
import dataclasses
import functools
import hashlib
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from ..cache import read_cached, write_cached
from ..errors import FontError
from ..incremental import file_stamp
from ..layout.primitives import FontFaces

__all__ = ["Face", "FontPair", "load_face", "default_font_pair", "load_font_pair", "BUNDLED_FONTS"]

BUNDLED_FONTS = Path(__file__).resolve().parent.parent / "fonts"


@dataclass(frozen=True)
class Face:
    """One font face with its advance widths (font units) per code point."""

    path: Path
    index: int
    family: str
    units_per_em: int
    ascent: float  # fraction of the size above the baseline
    descent: float  # fraction of the size below the baseline (positive)
    advances: dict[int, int]
    stamp: str | None = None  # the file's version when it was read (``incremental.file_stamp``)

    def covers(self, char: str) -> bool:
        return ord(char) in self.advances

    def width(self, text: str, size: float) -> float:
        """Advance width of ``text`` at ``size`` points (missing glyphs count as 1 em)."""
        adv = self.advances
        upm = self.units_per_em
        return sum(adv.get(ord(c), upm) for c in text) * size / upm


_CACHE_FORMAT = 1


def load_face(path: Path, index: int = 0) -> Face:
    """Read a TrueType face once per version of its file in a process (its metrics once per version, via the
    disk cache); raise ``FontError`` for anything else. The file is stamped before it is read, so a build that
    records the face's ``stamp`` notices any later change."""
    if not path.is_file():
        raise FontError(f"font file not found: {path}")
    return _load_face(path, index, file_stamp(path))


@functools.lru_cache(maxsize=16)
def _load_face(path: Path, index: int, stamp: str | None) -> Face:
    key = hashlib.sha256(f"{_CACHE_FORMAT}\0{path.resolve()}\0{index}\0{stamp}".encode("utf-8", "surrogateescape"))\
        .hexdigest()
    cached = read_cached("fonts", key)
    if cached is not None:
        family, upm, ascent, descent, advances = cached
        return Face(path=path, index=index, family=family, units_per_em=upm, ascent=ascent, descent=descent,
                    advances=advances, stamp=stamp)
    face = dataclasses.replace(_read_face(path, index), stamp=stamp)
    write_cached("fonts", key, (face.family, face.units_per_em, face.ascent, face.descent, face.advances))
    return face


def _advances(cmap: bytes, hmtx: bytes, long_metrics: int, glyphs: int) -> dict[int, int] | None:
    """Advance width of every character, from the raw ``cmap`` (its Unicode subtable of format 12, else 4)
    and ``hmtx`` tables: what fontTools gives, without naming every glyph first (most of a first
    build's time for a CJK font). ``None`` when the font has neither subtable."""
    widths = array.array("H", hmtx[:4 * long_metrics])
    if sys.byteorder == "little":
        widths.byteswap()
    advance = list(widths[0::2])
    advance += [advance[-1]] * (glyphs - len(advance))  # the last advance repeats (TrueType hmtx)
    _, count = struct.unpack_from(">HH", cmap)
    subtables = {}
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHI", cmap, 4 + 8 * n)
        subtables[(platform, encoding)] = offset
    offset = subtables.get((3, 10), subtables.get((0, 4), subtables.get((0, 6))))
    if offset is not None and struct.unpack_from(">H", cmap, offset)[0] == 12:
        groups = struct.unpack_from(">I", cmap, offset + 12)[0]
        out = {}
        for start, end, first in struct.iter_unpack(">III", cmap[offset + 16:offset + 16 + 12 * groups]):
            for code in range(start, end + 1):
                glyph = first + code - start
                if glyph < glyphs:
                    out[code] = advance[glyph]
        return out
    offset = subtables.get((3, 1), subtables.get((0, 3)))
    if offset is None or struct.unpack_from(">H", cmap, offset)[0] != 4:
        return None
    segments = struct.unpack_from(">H", cmap, offset + 6)[0] // 2
    table = array.array("H", cmap[offset + 14:offset + 16 + 8 * segments])
    if sys.byteorder == "little":
        table.byteswap()
    ends, starts = table[:segments], table[segments + 1:2 * segments + 1]
    deltas, range_at = table[2 * segments + 1:3 * segments + 1], offset + 16 + 6 * segments
    ranges = table[3 * segments + 1:4 * segments + 1]
    out = {}
    for n in range(segments):
        for code in range(starts[n], ends[n] + 1):
            if code == 0xFFFF:
                continue
            if ranges[n] == 0:
                glyph = (code + deltas[n]) & 0xFFFF
            else:
                at = range_at + 2 * n + ranges[n] + 2 * (code - starts[n])
                glyph = struct.unpack_from(">H", cmap, at)[0]
                glyph = (glyph + deltas[n]) & 0xFFFF if glyph else 0
            if glyph and glyph < glyphs:
                out[code] = advance[glyph]
    return out


def _read_face(path: Path, index: int) -> Face:
    from fontTools.ttLib import TTCollection, TTFont, TTLibError

    suffix = path.suffix.lower()
    if suffix not in (".ttf", ".ttc"):
        raise FontError(
            f"{path}: unsupported font file type {suffix or '(none)'}; use TrueType outlines "
            "(.ttf, or .ttc with an index). CFF/OpenType .otf fonts cannot be embedded in the PDF.")
    try:
        if suffix == ".ttc":
            collection = TTCollection(str(path), lazy=True)
            if index >= len(collection.fonts):
                raise FontError(f"{path}: has {len(collection.fonts)} faces, index {index} does not exist")
            font = collection.fonts[index]
        else:
            if index:
                raise FontError(f"{path}: a .ttf file has one face; index must be 0, not {index}")
            font = TTFont(str(path), lazy=True)
        if "glyf" not in font:
            raise FontError(f"{path}: has PostScript (CFF) outlines, not TrueType; "
                            "reportlab cannot embed it. Use a .ttf with TrueType outlines.")
        upm = font["head"].unitsPerEm
        hhea = font["hhea"]
        family = font["name"].getDebugName(1) or path.stem
        advances = _advances(font.getTableData("cmap"), font.getTableData("hmtx"), hhea.numberOfHMetrics,
                             font["maxp"].numGlyphs)
        if advances is None:  # no Unicode subtable of format 4 or 12: let fontTools find one
            cmap = font.getBestCmap() or {}
            metrics = font["hmtx"].metrics
            advances = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
    except FontError:
        raise
    except (TTLibError, KeyError, OSError, ValueError, struct.error) as exc:
        raise FontError(f"{path}: not a readable TrueType font ({exc})") from exc
    return Face(path=path, index=index, family=family, units_per_em=upm,
                ascent=hhea.ascent / upm, descent=-hhea.descent / upm, advances=advances)


@dataclass(frozen=True)
class FontPair:
    """The regular and bold faces of the one family used everywhere."""

    regular: Face
    bold: Face

    def face(self, bold: bool) -> Face:
        return self.bold if bold else self.regular

    def faces(self) -> FontFaces:
        """The renderers' view: family name and files."""
        return FontFaces(family=self.regular.family, regular=self.regular.path, bold=self.bold.path,
                         regular_index=self.regular.index, bold_index=self.bold.index)

    def missing(self, text: str, bold: bool = False) -> list[str]:
        """Characters of ``text`` the face cannot print (line breaks excepted: every other space, an em space
        U+2003 say, is drawn as a glyph, and the PDF renderer refuses one the face lacks)."""
        advances = self.face(bold).advances
        return sorted(c for c in set(text) if ord(c) not in advances and c != "\n")

    def missing_in_either(self, text: str | Iterable[str]) -> set[str]:
        """Characters of ``text`` (a string, or its characters) that the regular or the bold face lacks."""
        every = "".join(text) if not isinstance(text, str) else text
        return set(self.missing(every)) | set(self.missing(every, bold=True))


def default_font_pair() -> FontPair:
    """The bundled BIZ UDPGothic Regular and Bold."""
    return FontPair(load_face(BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf"),
                    load_face(BUNDLED_FONTS / "BIZUDPGothic-Bold.ttf"))


def load_font_pair(regular: Path, regular_index: int, bold: Path, bold_index: int) -> FontPair:
    """A theme's font files, resolved by the caller."""
    return FontPair(load_face(regular.resolve(), regular_index), load_face(bold.resolve(), bold_index))

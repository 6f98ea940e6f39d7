"""TrueType faces for the PDF renderer, parsed once and kept in the cache folder.

Input: a font file and a face index. Output: a reportlab ``TTFont`` registered with
``pdfmetrics`` under a stable name. Parsing BIZ UDPGothic's tables (cmap, widths, glyph
offsets, metrics) is most of what a fresh process pays before it draws anything, so what
reportlab extracts is stored under ``pdf-fonts`` in ``cache.cache_root()`` (marshal, never
pickle: loading it runs no code), keyed on the SHA-256 of the font file's bytes, the face
index, reportlab's version and this module's format. An entry also carries a digest of its
own payload: one that is unreadable, truncated or altered is ignored and re-made, so the
cache can make a face faster to load but never different. The font bytes themselves are
read from the font file every time (subsetting copies glyphs out of them).
"""
from __future__ import annotations

import hashlib
import marshal
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFNameBytes, TTFont, TTFontFace

from council_materials.cache import read_cached, write_cached
from council_materials.errors import FontError

__all__ = ["CACHE_KIND", "face_key", "load_font", "register_face"]

CACHE_KIND = "pdf-fonts"
_FORMAT = 1  # bump when what is stored changes
# Attributes not stored: the file's bytes (read from the font), the path it came from, the
# parser's read position, reportlab's unitsPerEm scaling function (rebuilt on load), and
# ``_Face``'s copies of the tables.
_NOT_STORED = frozenset({"_ttf_data", "filename", "_pos", "_pdfScale", "_table_copies"})
# (resolved font path, face index) -> name registered with reportlab, once per process
_REGISTERED: dict[tuple[str, int], str] = {}


class _Face(TTFontFace):
    """reportlab's face, copying each table out of the file once: subsetting asks for every
    table it writes once per 256 glyphs, and BIZ UDPGothic's glyf table alone is 4 MB."""

    def get_table(self, tag: str) -> bytes:
        copies = self.__dict__.setdefault("_table_copies", {})
        if tag not in copies:
            copies[tag] = super().get_table(tag)
        return copies[tag]


def face_key(data: bytes, index: int) -> str:
    """The cache key of face ``index`` of the font file whose bytes are ``data``."""
    head = f"{_FORMAT}\0{REPORTLAB_VERSION}\0{index}\0".encode()
    return hashlib.sha256(head + hashlib.sha256(data).digest()).hexdigest()


def _face_state(face: TTFontFace) -> bytes:
    """What reportlab extracted from the file, as marshal bytes (name strings as (bytes, text))."""
    state: dict[str, Any] = {}
    for attr, value in vars(face).items():
        if attr in _NOT_STORED:
            continue
        state[attr] = ("name", bytes(value), value.ustr) if isinstance(value, TTFNameBytes) else value
    return marshal.dumps(state)


def _name_bytes(raw: bytes, text: str) -> TTFNameBytes:
    name = bytes.__new__(TTFNameBytes, raw)
    name.ustr = text
    return name


def _face_from_state(payload: bytes, data: bytes, path: Path) -> TTFontFace:
    """A face equal to what parsing ``data`` gives, rebuilt from ``_face_state``."""
    state = marshal.loads(payload)
    face = _Face.__new__(_Face)
    for attr, value in state.items():
        if isinstance(value, tuple) and len(value) == 3 and value[0] == "name":
            value = _name_bytes(value[1], value[2])
        setattr(face, attr, value)
    if not (isinstance(face.charToGlyph, dict) and isinstance(face.charWidths, dict)
            and len(face.glyphPos) == face.numGlyphs + 1):
        raise ValueError("incomplete font state")
    units = face.unitsPerEm
    face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, k=1000 / units: x * k)  # as reportlab
    face._ttf_data, face.filename, face._pos = data, str(path), 0
    return face


def _cached_face(key: str, data: bytes, path: Path) -> TTFontFace | None:
    """The face stored under ``key``, or None if there is none or it fails its checks."""
    entry = read_cached(CACHE_KIND, key)
    try:
        stored_key, digest, payload = entry  # type: ignore[misc]
        if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
            return None
        return _face_from_state(payload, data, path)
    except Exception:  # any damage at all: parse the font again and re-make the entry
        return None


def _font(name: str, face: TTFontFace) -> TTFont:
    """A ``TTFont`` around ``face``, set up as ``TTFont.__init__`` does (with shapable=False)."""
    font = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = False  # runs keep exactly the advances the layout measured
    return font


def load_font(name: str, path: Path, index: int) -> TTFont:
    """Face ``index`` of the font at ``path`` as a reportlab font called ``name``, from the cache
    when it holds this face of these exact bytes, else parsed (and stored for next time)."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise FontError(f"font file {path} (index {index}) cannot be embedded in PDF: {exc}") from exc
    key = face_key(data, index)
    face = _cached_face(key, data, Path(path))
    if face is not None:
        return _font(name, face)
    try:
        font = TTFont(name, str(path), subfontIndex=index, shapable=False)
    except (OSError, TTFError) as exc:
        raise FontError(f"font file {path} (index {index}) cannot be embedded in PDF: {exc}") from exc
    try:
        payload = _face_state(font.face)
    except ValueError:  # something marshal cannot store: just parse every time
        return font
    write_cached(CACHE_KIND, key, (key, hashlib.sha256(payload).hexdigest(), payload))
    # Built from the stored state even now, so a cold and a warm cache give the same face.
    return _font(name, _face_from_state(payload, data, Path(path)))


def register_face(family: str, style: str, path: Path, index: int) -> str:
    """Register a TrueType face with reportlab (once per path and index); return its name."""
    key = (str(Path(path).resolve()), index)
    if key in _REGISTERED:
        return _REGISTERED[key]
    base = name = f"{family}-{style}"
    taken = set(_REGISTERED.values())
    suffix = 2
    while name in taken:  # same family name, different file: keep both usable
        name, suffix = f"{base}-{suffix}", suffix + 1
    pdfmetrics.registerFont(load_font(name, path, index))
    _REGISTERED[key] = name
    return name

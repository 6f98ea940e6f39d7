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

Without a cache entry the face is parsed by reportlab, except that a format 12 cmap and the
widths and glyph offsets are read in bulk (``_Face._char_info``, held by the tests to give
exactly what reportlab's parse gives).

Each 256-glyph subset a document embeds is named with a tag made from its face and characters
(``ABCDEF+BIZUDPGothic-Regular``), not from its number in the document, so the parts joined into
one PDF never give two different subsets one name; its ``/ToUnicode`` map leaves out the codes
that stand for no character (reportlab's subset 0 keeps codes 0-31 free).
"""
from __future__ import annotations

import hashlib
import marshal
import struct
from pathlib import Path
from typing import Any, Callable, Literal
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc, pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFNameBytes, TTFont, TTFontFace

from council_materials.cache import read_cached, write_cached
from council_materials.errors import FontError
from council_materials.incremental import file_stamp

__all__ = ["CACHE_KIND", "face_key", "load_font", "register_face", "subset_tag", "to_unicode_cmap"]

CACHE_KIND = "pdf-fonts"
_FORMAT = 2  # bump when what is stored changes
# Attributes not stored: the file's bytes (read from the font), the path it came from, the
# parser's read position, reportlab's unitsPerEm scaling function (rebuilt on load), and
# ``_Face``'s own bookkeeping.
_NOT_STORED = frozenset({"_ttf_data", "filename", "_pos", "_pdfScale", "_table_copies", "_later"})
# Stored, but only unmarshalled when something reads them: reportlab needs the glyph -> characters
# map only for shaping (which this renderer turns off), and it is half of the loading time.
_LATER = frozenset({"glyphToChar"})
# (resolved font path, face index, the file's stamp) -> name registered with reportlab, once per version of the
# file in a process (a font changed during ``council watch`` is read again)
_REGISTERED: dict[tuple[str, int, str | None], str] = {}


_USHORT, _ULONG, _SHORT = (struct.Struct(f">{code}").unpack_from for code in "HLh")


class _Face(TTFontFace):
    """reportlab's face, parsed with faster readers (the same values: no slice per number read;
    the tables hold some 70,000 of them), copying each table out of the file once (subsetting
    asks for every table it writes once per 256 glyphs, and BIZ UDPGothic's glyf is 4 MB)."""

    # reportlab's private state this class reads and sets (its stubs leave private attributes out)
    _ttf_data: bytes  # the font file's bytes
    _pos: int  # the parser's read position
    _pdfScale: Callable[[float], float]  # font units -> thousandths of an em
    _later: dict[str, bytes]  # this class's own: attributes unmarshalled on first use

    def read_ushort(self) -> int:
        pos = self._pos
        self._pos = pos + 2
        return _USHORT(self._ttf_data, pos)[0]

    def read_ulong(self) -> int:
        pos = self._pos
        self._pos = pos + 4
        return _ULONG(self._ttf_data, pos)[0]

    def read_short(self) -> int:
        pos = self._pos
        self._pos = pos + 2
        try:
            return _SHORT(self._ttf_data, pos)[0]
        except struct.error as exc:  # as reportlab
            raise TTFError(exc) from exc

    def extractInfo(self, charInfo: bool | Literal[0, 1] = 1) -> None:  # noqa: N802, N803 (reportlab's names)
        """reportlab's ``extractInfo``, with the character tables (cmap, hmtx, loca) read in bulk
        when the cmap is format 12, as in BIZ UDPGothic; any other format is left to reportlab."""
        super().extractInfo(0)  # names, metrics, flags: everything before the character tables
        if charInfo and not self._char_info():
            super().extractInfo(charInfo)

    def _char_info(self) -> bool:
        """What ``extractInfo(1)`` adds after ``extractInfo(0)``, from a format 12 cmap (the same
        values, in the same order); False, with nothing set, for any other cmap."""
        data, table = self._ttf_data, self.table
        head, cmap = table["head"]["offset"], table["cmap"]["offset"]
        index_to_loc, glyph_format = struct.unpack_from(">hh", data, head + 50)
        (metrics_count,) = _USHORT(data, table["hhea"]["offset"] + 34)
        version, count = struct.unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count = version
        chosen, found = 0, None  # the subtable reportlab's loop ends on
        for platform, encoding, offset in struct.iter_unpack(">HHL", data[cmap + 4:cmap + 4 + 8 * count]):
            if platform == 3 or (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                chosen, found = 1, offset
            elif platform == 1 and encoding == 0 and chosen != 1:
                chosen, found = 2, offset
        if (found is None or glyph_format != 0 or index_to_loc not in (0, 1) or "loca" not in table
                or _USHORT(data, cmap + found)[0] != 12):
            return False  # reportlab reads it (or raises its own error)
        start = cmap + found
        (groups,) = _ULONG(data, start + 12)
        char_to_glyph: dict[int, int] = {}
        glyph_to_char: dict[int, list[int]] = {}
        for first, last, glyph in struct.iter_unpack(">LLL", data[start + 16:start + 16 + 12 * groups]):
            shift = glyph - first
            for char in range(first, last + 1):
                char_to_glyph[char] = char + shift
                glyph_to_char.setdefault(char + shift, []).append(char)
        glyphs, scale = self.numGlyphs, self._pdfScale
        hmtx = table["hmtx"]["offset"]
        pairs = struct.unpack_from(f">{2 * metrics_count}H", data, hmtx)
        tail = struct.unpack_from(f">{max(0, glyphs - metrics_count)}H", data, hmtx + 4 * metrics_count)
        advances = [scale(advance) for advance in pairs[::2]]
        last_advance = advances[-1]  # reportlab keeps the last full metric's scaled advance
        hmetrics = list(zip(pairs[::2], pairs[1::2])) + [(last_advance, lsb) for lsb in tail]
        widths = advances + [last_advance] * len(tail)
        char_widths: dict[int, float] = {}
        for glyph in range(len(widths)):
            for char in glyph_to_char.get(glyph, ()):
                char_widths[char] = widths[glyph]
        loca = table["loca"]["offset"]
        if index_to_loc == 0:
            positions = [pos << 1 for pos in struct.unpack_from(f">{glyphs + 1}H", data, loca)]
        else:
            positions = list(struct.unpack_from(f">{glyphs + 1}L", data, loca))
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0], char_widths[0xA0] = char_to_glyph[0x20], char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20], char_widths[0x20] = char_to_glyph[0xA0], char_widths[0xA0]
        self.charToGlyph, self.glyphToChar, self.charWidths = char_to_glyph, glyph_to_char, char_widths
        self.hmetrics, self.defaultWidth, self.glyphPos = hmetrics, advances[0], positions
        return True

    def get_table(self, tag: str) -> bytes:
        copies = self.__dict__.setdefault("_table_copies", {})
        if tag not in copies:
            copies[tag] = super().get_table(tag)
        return copies[tag]

    def __getattr__(self, attr: str) -> Any:  # only called for an attribute not set (yet)
        later = self.__dict__.get("_later", {})
        if attr not in later:
            raise AttributeError(attr)
        value = marshal.loads(later.pop(attr))
        setattr(self, attr, value)
        return value


def face_key(data: bytes, index: int) -> str:
    """The cache key of face ``index`` of the font file whose bytes are ``data``."""
    head = f"{_FORMAT}\0{REPORTLAB_VERSION}\0{index}\0".encode()
    return hashlib.sha256(head + hashlib.sha256(data).digest()).hexdigest()


def _face_state(face: TTFontFace) -> bytes:
    """What reportlab extracted from the file, as marshal bytes: plain values, name strings as
    (bytes, text), and the values read only on demand marshalled on their own."""
    plain: dict[str, Any] = {}
    names: dict[str, tuple[bytes, str]] = {}
    later: dict[str, bytes] = {}
    for attr, value in vars(face).items():
        if attr in _NOT_STORED:
            continue
        if isinstance(value, TTFNameBytes):
            names[attr] = (bytes(value), value.ustr)
        elif attr in _LATER:
            later[attr] = marshal.dumps(value)
        else:
            plain[attr] = value
    return marshal.dumps((plain, names, later))


def _name_bytes(raw: bytes, text: str) -> TTFNameBytes:
    name = bytes.__new__(TTFNameBytes, raw)
    name.ustr = text
    return name


def _face_from_state(payload: bytes, data: bytes, path: Path) -> TTFontFace:
    """A face equal to what parsing ``data`` gives, rebuilt from ``_face_state``."""
    plain, names, later = marshal.loads(payload)
    face = _Face.__new__(_Face)
    vars(face).update(plain)
    for attr, (raw, text) in names.items():
        setattr(face, attr, _name_bytes(raw, text))
    face._later = dict(later)
    if set(later) != _LATER or not (isinstance(face.charToGlyph, dict) and isinstance(face.charWidths, dict)
            and len(face.glyphPos) == face.numGlyphs + 1):
        raise ValueError("incomplete font state")
    units = face.unitsPerEm
    if units == 1000:  # as reportlab
        face._pdfScale = lambda x: x
    else:
        factor = 1000 / units
        face._pdfScale = lambda x: x * factor
    face._ttf_data, face.filename, face._pos = data, str(path), 0
    return face


def _cached_face(key: str, data: bytes, path: Path) -> TTFontFace | None:
    """The face stored under ``key``, or None if there is none or it fails its checks."""
    entry: Any = read_cached(CACHE_KIND, key)  # anything at all: what is not a sound entry raises below
    try:
        stored_key, digest, payload = entry
        if stored_key != key or hashlib.sha256(payload).hexdigest() != digest:
            return None
        return _face_from_state(payload, data, path)
    except Exception:  # any damage at all: parse the font again and re-make the entry
        return None


def subset_tag(base_name: bytes, subset: list[int], taken: set[bytes]) -> bytes:
    """Six capital letters from a digest of the face's name and the subset's characters (PDF 1.7
    §9.6.4): the same subset always gets the same tag; one ``taken`` in the document gets the next."""
    digest = hashlib.sha256(base_name + b"\0" + ",".join(map(str, subset)).encode("ascii")).digest()
    while True:
        tag = bytes(65 + byte % 26 for byte in digest[:6])
        if tag not in taken:
            taken.add(tag)
            return tag
        digest = hashlib.sha256(digest).digest()


def to_unicode_cmap(name: str, subset: list[int]) -> str:
    """The ``/ToUnicode`` CMap of a subset: code -> character, for the codes that stand for one."""
    pairs = [f"<{code:02X}> <{char:04X}>" for code, char in enumerate(subset) if char]
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        f"/CIDSystemInfo << /Registry ({name}) /Ordering ({name}) /Supplement 0 >> def",
        f"/CMapName /{name} def", "/CMapType 2 def",
        "1 begincodespacerange", f"<00> <{len(subset) - 1:02X}>", "endcodespacerange",
        f"{len(pairs)} beginbfchar", *pairs, "endbfchar",
        "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"])


class _SubsetFont(TTFont):
    """reportlab's ``TTFont``, naming each subset by its content (``subset_tag``) and leaving unused
    codes out of its ``/ToUnicode`` map."""

    _asciiReadable: int | None  # set by TTFont.__init__ (and _font); private, so not in its stubs

    def addObjects(self, doc: Any) -> None:  # noqa: N802 (reportlab's name)
        """What ``TTFont.addObjects`` writes for each subset, with those two changes."""
        try:
            state = self.state[doc]
        except KeyError:
            # types-reportlab: rl_config.ttfAsciiReadable is an int, State takes 0, 1 or a bool (reportlab
            # passes the one to the other itself)
            state = self.state[doc] = TTFont.State(self._asciiReadable)  # type: ignore[arg-type]
        state.frozen = 1
        taken = doc.__dict__.setdefault("_council_subset_tags", set())
        for n, subset in enumerate(state.subsets):
            internal = self.getSubsetInternalName(n, doc)[1:]
            face = bytes(self.face.name) + bytes(self.face.subfontNameX)
            base = (subset_tag(face, subset, taken) + b"+" + face).decode("pdfdoc")
            font: Any = pdfdoc.PDFTrueTypeFont()  # its PDF keys are attributes, which its stub does not declare
            font.__Comment__ = f"Font {self.fontName} subset {n}"
            font.Name, font.BaseFont = internal, base
            font.FirstChar, font.LastChar = 0, len(subset) - 1
            font.Widths = pdfdoc.PDFArray(list(map(self.face.getCharWidth, subset)))
            cmap = pdfdoc.PDFStream()
            cmap.content = to_unicode_cmap(base, subset)
            if doc.compression:
                cmap.filters = [pdfdoc.PDFZCompress]
            font.ToUnicode = doc.Reference(cmap, "toUnicodeCMap:" + base)
            font.FontDescriptor = self.face.addSubsetObjects(doc, base, subset)
            doc.Reference(font, internal)
            doc.idToObject["BasicFonts"].dict[internal] = font
        del self.state[doc]


def _font(name: str, face: TTFontFace) -> TTFont:
    """A ``TTFont`` around ``face``, set up as ``TTFont.__init__`` does (with shapable=False)."""
    font = _SubsetFont.__new__(_SubsetFont)
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
        parsed = _Face(str(path), subfontIndex=index)
    except (OSError, TTFError) as exc:
        raise FontError(f"font file {path} (index {index}) cannot be embedded in PDF: {exc}") from exc
    try:
        payload = _face_state(parsed)
    except ValueError:  # something marshal cannot store: just parse every time
        return _font(name, parsed)
    write_cached(CACHE_KIND, key, (key, hashlib.sha256(payload).hexdigest(), payload))
    return _font(name, parsed)  # marshal keeps every value exactly: the same face as from the cache


def register_face(family: str, style: str, path: Path, index: int) -> str:
    """Register a TrueType face with reportlab (once per path, index and version of the file); return its name
    (it does not appear in the PDF)."""
    key = (str(Path(path).resolve()), index, file_stamp(Path(path)))
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

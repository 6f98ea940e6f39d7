"""Reading one part PDF as this project's renderer writes it: its objects, pages and structure tree.

Input: the bytes of a PDF with a classic cross-reference table, no object streams, no update
sections and no encryption (what ``render_pdf`` writes). Output: ``Part``, which gives each object's
text (up to ``stream`` or ``endobj``), the references in it and its stream, unparsed; the pages in
order; and for a tagged part what the joiner needs of its structure tree (``Structure``: the sections
of its ``Document``, its parent tree's entries) and of its outline (``first_bookmark``). Anything
else raises ``UnsupportedPDF``: this is a reader for the files this project writes, not for any PDF.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Part", "Structure", "UnsupportedPDF", "first_bookmark", "key_ref", "structure"]


class UnsupportedPDF(ValueError):
    """A part this joiner does not read (the caller falls back to a full PDF library)."""


_DELIMITERS = rb"\s()<>\[\]{}/%"
# In an object's text: a reference, or where a literal string, comment or stream starts, or its
# end. (A hex string needs no care: hex digits and spaces make none of these.)
_TOKEN = re.compile(rb"(?<![^\s\[\]<>(){}])(\d+)\s+(\d+)\s+R(?=[" + _DELIMITERS + rb"]|$)|[(%]"
                    rb"|(?<![^\s>\])])(stream|endobj)(?=[" + _DELIMITERS + rb"]|$)")
# The same alternatives on their own: an object without strings or comments is read in a few searches.
_REF = re.compile(rb"(?<![^\s\[\]<>(){}])(\d+)\s+0\s+R(?=[" + _DELIMITERS + rb"]|$)")
_OTHER_GENERATION = re.compile(rb"(?<![^\s\[\]<>(){}])\d+\s+0*[1-9]\d*\s+R(?=[" + _DELIMITERS + rb"]|$)")
_END = re.compile(rb"(?<![^\s>\])])(stream|endobj)(?=[" + _DELIMITERS + rb"]|$)")
_LINE_END = re.compile(rb"[\r\n]")
_STRING_PART = re.compile(rb"[\\()]")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj")
_HEADER = re.compile(rb"%PDF-(\d)\.(\d)")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)[ \t]*\r?\n")
_TRAILER = re.compile(rb"\s*trailer\s*<<")
_ENTRY = re.compile(rb"(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)")
_KEY_REF = {key: re.compile(rb"/" + key + rb"\s+(\d+)\s+0\s+R") for key in (b"Root", b"Pages")}
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_INHERITED = re.compile(rb"/(Resources|MediaBox|CropBox|Rotate)\b")
_TYPE = re.compile(rb"/Type\s*/(Pages?)(?![^" + _DELIMITERS + rb"])")


def _skip_string(data: bytes, pos: int) -> int:
    """The position after the literal string whose ``(`` is just before ``pos``."""
    depth = 1
    while depth:
        found = _STRING_PART.search(data, pos)
        if found is None:
            raise UnsupportedPDF("unterminated string")
        mark = found.group()
        pos = found.end() + (mark == b"\\")  # a backslash escapes the next byte
        depth += {b"(": 1, b")": -1}.get(mark, 0)
    return pos


class Part:
    """One part's objects, read through its cross-reference table."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        header = _HEADER.match(data)
        tail = _STARTXREF.search(data, max(0, len(data) - 64))
        if header is None or tail is None:
            raise UnsupportedPDF("no PDF header or no startxref at the end")
        self.version = (int(header.group(1)), int(header.group(2)))
        self.offsets = self._xref(int(tail.group(1)))
        self._parsed: dict[int, tuple[bytes, list[tuple[int, int, int]], bytes]] = {}

    def _xref(self, pos: int) -> dict[int, int]:
        data = self.data
        table = re.compile(rb"xref\s*").match(data, pos)
        if table is None:
            raise UnsupportedPDF("a cross-reference stream, not a table")
        pos = table.end()
        offsets: dict[int, int] = {}
        while (section := _SUBSECTION.match(data, pos)) is not None:
            first, count = int(section.group(1)), int(section.group(2))
            pos = section.end()
            entries = _ENTRY.findall(data, pos, pos + 20 * count)  # 20 bytes each: offset, generation, n or f
            if len(entries) != count:
                raise UnsupportedPDF("malformed cross-reference entry")
            for number, (offset, generation, kind) in enumerate(entries, first):
                if kind == b"n":
                    if generation != b"00000":
                        raise UnsupportedPDF("an object of generation above 0")
                    offsets[number] = int(offset)
            pos += 20 * count
        trailer = _TRAILER.match(data, pos)
        if trailer is None:
            raise UnsupportedPDF("no trailer after the cross-reference table")
        end = data.find(b"startxref", trailer.end())
        self.trailer = data[trailer.end():end]
        if any(key in self.trailer for key in (b"/Prev", b"/Encrypt", b"/XRefStm")):
            raise UnsupportedPDF("an updated, encrypted or hybrid file")
        return offsets

    def obj(self, number: int) -> tuple[bytes, list[tuple[int, int, int]], bytes]:
        """Object ``number`` as (its text up to ``stream`` or ``endobj``, the references in that
        text as (start, end, number), its stream from the ``stream`` keyword to ``endstream``)."""
        if number in self._parsed:
            return self._parsed[number]
        data = self.data
        if number not in self.offsets:
            raise UnsupportedPDF(f"object {number} is not in the cross-reference table")
        head = _OBJ.match(data, self.offsets[number])
        if head is None or int(head.group(1)) != number or int(head.group(2)) != 0:
            raise UnsupportedPDF(f"object {number} is not where the cross-reference table says")
        start = pos = head.end()
        refs: list[tuple[int, int, int]] = []
        end = _END.search(data, start)
        stop = -1 if end is None else end.start()
        if end is not None and data.find(b"(", start, stop) < 0 and data.find(b"%", start, stop) < 0:
            if _OTHER_GENERATION.search(data, start, stop):  # no string or comment: every match is one
                raise UnsupportedPDF("a reference to generation above 0")
            refs = [(ref.start() - start, ref.end() - start, int(ref[1])) for ref in _REF.finditer(data, start, stop)]
            return self._keep(number, start, stop, end[1], refs)
        while True:
            token = _TOKEN.search(data, pos)
            if token is None:
                raise UnsupportedPDF(f"object {number} has no end")
            if token.group(1) is not None:
                if int(token.group(2)) != 0:
                    raise UnsupportedPDF("a reference to generation above 0")
                refs.append((token.start() - start, token.end() - start, int(token.group(1))))
                pos = token.end()
            elif token.group() == b"(":
                pos = _skip_string(data, token.end())
            elif token.group() == b"%":  # a comment, to the end of its line
                line_end = _LINE_END.search(data, token.end())
                pos = len(data) if line_end is None else line_end.end()
            else:
                break
        return self._keep(number, start, token.start(), token.group(3), refs)

    def _keep(self, number: int, start: int, end: int, keyword: bytes, refs: list[tuple[int, int, int]]
              ) -> tuple[bytes, list[tuple[int, int, int]], bytes]:
        text = self.data[start:end]
        stream = self._stream(number, text, end) if keyword == b"stream" else b""
        self._parsed[number] = text, refs, stream
        return self._parsed[number]

    def _stream(self, number: int, text: bytes, at: int) -> bytes:
        data = self.data
        length = _LENGTH.search(text)
        if length is None:  # an indirect length
            ref = re.search(rb"/Length\s+(\d+)\s+0\s+R", text)
            if ref is None:
                raise UnsupportedPDF(f"stream {number} has no length")
            value = self.obj(int(ref.group(1)))[0].strip()
            if not value.isdigit():
                raise UnsupportedPDF(f"stream {number} has no length")
            size = int(value)
        else:
            size = int(length.group(1))
        begin = at + len(b"stream")
        begin += 2 if data.startswith(b"\r\n", begin) else 1
        after = data[begin + size:begin + size + 12].lstrip()
        if not after.startswith(b"endstream"):
            raise UnsupportedPDF(f"stream {number} does not end where its /Length says")
        return data[at:begin + size] + b"\nendstream"

    @property
    def catalog(self) -> int:
        """The number of the catalog."""
        root = _KEY_REF[b"Root"].search(self.trailer)
        if root is None:
            raise UnsupportedPDF("no /Root")
        return int(root.group(1))

    def pages(self) -> list[int]:
        """The page objects' numbers, in order."""
        tree = _KEY_REF[b"Pages"].search(self.obj(self.catalog)[0])
        if tree is None:
            raise UnsupportedPDF("no page tree")
        found: list[int] = []
        self._walk(int(tree.group(1)), found, set())
        return found

    def _walk(self, number: int, found: list[int], seen: set[int]) -> None:
        if number in seen:
            raise UnsupportedPDF("a loop in the page tree")
        seen.add(number)
        text, refs, _ = self.obj(number)
        kind = _TYPE.search(text)
        if kind is not None and kind.group(1) == b"Page":
            found.append(number)
            return
        kids = _KIDS.search(text)
        if kind is None or kids is None or _INHERITED.search(text):
            raise UnsupportedPDF("a page tree node this joiner does not read")
        for _, _, kid in (ref for ref in refs if kids.start(1) <= ref[0] < kids.end(1)):
            self._walk(kid, found, seen)


def key_ref(text: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", text)
    return None if found is None else int(found.group(1))


def _value_refs(text: bytes, refs: list[tuple[int, int, int]], key: bytes) -> list[int] | None:
    """The references making up the value of ``key`` (one reference or an array of them)."""
    found = re.search(rb"/" + key + rb"\s*(\[[^\]]*\]|\d+\s+0\s+R)", text)
    if found is None:
        return None
    return [ref for start, _, ref in refs if found.start(1) <= start < found.end(1)]


@dataclass(frozen=True)
class Structure:
    """What a tagged part's structure tree gives the join: its sections (the kids of its ``Document``),
    its parent tree's (key, array) entries and the next free key."""

    sections: list[int]
    entries: list[tuple[int, int]]
    next_key: int
    document: int  # the number of its Document element
    tree: int  # the number of its parent tree


def structure(part: Part, catalog: bytes) -> Structure | None:
    """The part's structure tree as the renderer writes it (``pdf_tags``), or None for an untagged part."""
    root = key_ref(catalog, b"StructTreeRoot")
    if root is None:
        return None
    text = part.obj(root)[0]
    document, tree = key_ref(text, b"K"), key_ref(text, b"ParentTree")
    if document is None or tree is None:
        raise UnsupportedPDF("a structure tree without one root element or a parent tree")
    doc_text, doc_refs, _ = part.obj(document)
    sections = _value_refs(doc_text, doc_refs, b"K")
    if not re.search(rb"/S\s*/Document\b", doc_text) or not sections:
        raise UnsupportedPDF("a structure tree whose root element is not a Document of sections")
    tree_text = part.obj(tree)[0]
    nums = re.search(rb"/Nums\s*\[([^\]]*)\]", tree_text)
    if nums is None or b"/Kids" in tree_text:
        raise UnsupportedPDF("a parent tree that is not one flat number tree")
    entries = [(int(key), int(ref)) for key, ref in re.findall(rb"(\d+)\s+(\d+)\s+0\s+R", nums.group(1))]
    if len(nums.group(1).split()) != 4 * len(entries):
        raise UnsupportedPDF("a parent tree whose entries are not all indirect arrays")
    next_key = re.search(rb"/ParentTreeNextKey\s+(\d+)", text)
    return Structure(sections, entries, int(next_key.group(1)) if next_key else
                     max((key for key, _ in entries), default=-1) + 1, document, tree)


def first_bookmark(part: Part, catalog: bytes) -> tuple[int, bytes, int | None] | None:
    """The part's first outline entry: (its page, the rest of its destination, its structure element)."""
    outlines = key_ref(catalog, b"Outlines")  # a reference to no object is null
    first = key_ref(part.obj(outlines)[0], b"First") if outlines is not None and outlines in part.offsets else None
    if first is None or first not in part.offsets:
        return None
    text = part.obj(first)[0]
    dest = re.search(rb"/Dest\s*\[\s*(\d+)\s+0\s+R([^\]]*)\]", text)
    if dest is None:
        return None
    return int(dest.group(1)), dest.group(2).strip(), key_ref(text, b"SE")

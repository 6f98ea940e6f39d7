"""Join PDF files as bytes: the pages of each, in order, with an outline entry per file.

Input: the bytes of each part (the PDF renderer's files: classic cross-reference table, no
object streams, no encryption), one outline title per part, and the document information
entries. Output: the bytes of one PDF whose pages are the parts' pages, unchanged.

Each page object and everything it refers to (contents, resources, fonts, pictures) is
copied as it is, with only its object numbers changed and a page's ``/Parent`` pointed at
the new page tree; streams are copied byte for byte, never decoded. What only the part
itself needed (its catalog, outline, named destinations, information dictionary) is left
behind. The output has no ``/ID`` and no date of its own: the same parts give the same bytes.

This is a reader for the PDFs this project writes, not for any PDF: a file it does not
understand (a cross-reference stream, an update section, encryption, a page attribute
inherited from the page tree, …) raises ``UnsupportedPDF``, and the caller joins the files
with a general PDF library instead.
"""
from __future__ import annotations

import io
import re
from typing import BinaryIO, Iterable, Mapping, Sequence

__all__ = ["UnsupportedPDF", "join_pdfs", "write_joined", "pdf_text"]


class UnsupportedPDF(ValueError):
    """A part this joiner does not read (the caller falls back to a full PDF library)."""


_DELIMITERS = rb"\s()<>\[\]{}/%"
# In an object's text: a reference, or where a literal string, comment or stream starts, or its
# end. (A hex string needs no care: hex digits and spaces make none of these.)
_TOKEN = re.compile(rb"(?<![^\s\[\]<>(){}])(\d+)\s+(\d+)\s+R(?=[" + _DELIMITERS + rb"]|$)|[(%]"
                    rb"|(?<![^\s>\])])(stream|endobj)(?=[" + _DELIMITERS + rb"]|$)")
_LINE_END = re.compile(rb"[\r\n]")
_STRING_PART = re.compile(rb"[\\()]")
_OBJ = re.compile(rb"(\d+)\s+(\d+)\s+obj")
_HEADER = re.compile(rb"%PDF-(\d)\.(\d)")
_STARTXREF = re.compile(rb"startxref\s+(\d+)\s+%%EOF\s*$")
_SUBSECTION = re.compile(rb"(\d+) (\d+)[ \t]*\r?\n")
_TRAILER = re.compile(rb"\s*trailer\s*<<")
_KEY_REF = {key: re.compile(rb"/" + key + rb"\s+(\d+)\s+0\s+R") for key in (b"Root", b"Pages")}
_LENGTH = re.compile(rb"/Length\s+(\d+)(?!\s+\d+\s+R)")
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_INHERITED = re.compile(rb"/(Resources|MediaBox|CropBox|Rotate)\b")
_TYPE = re.compile(rb"/Type\s*/(Pages?)(?![^" + _DELIMITERS + rb"])")
_PARENT = re.compile(rb"/Parent\s*$")


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


class _Part:
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
        if not data.startswith(b"xref", pos):
            raise UnsupportedPDF("a cross-reference stream, not a table")
        pos = re.compile(rb"xref\s*").match(data, pos).end()  # type: ignore[union-attr]
        offsets: dict[int, int] = {}
        while (section := _SUBSECTION.match(data, pos)) is not None:
            first, count = int(section.group(1)), int(section.group(2))
            pos = section.end()
            for number in range(first, first + count):
                entry = data[pos:pos + 20]
                if len(entry) != 20 or entry[10:11] != b" " or entry[16:17] != b" ":
                    raise UnsupportedPDF("malformed cross-reference entry")
                if entry[17:18] == b"n":
                    if int(entry[11:16]) != 0:
                        raise UnsupportedPDF("an object of generation above 0")
                    offsets[number] = int(entry[:10])
                pos += 20
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
        text = data[start:token.start()]
        stream = b""
        if token.group(3) == b"stream":
            stream = self._stream(number, text, token.start())
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

    def pages(self) -> list[int]:
        """The page objects' numbers, in order."""
        root = _KEY_REF[b"Root"].search(self.trailer)
        if root is None:
            raise UnsupportedPDF("no /Root")
        tree = _KEY_REF[b"Pages"].search(self.obj(int(root.group(1)))[0])
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


def pdf_text(text: str) -> bytes:
    """A PDF text string: literal if printable ASCII, else UTF-16BE with its byte-order mark, as hex."""
    if all(" " <= ch <= "~" for ch in text):
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("ascii")) + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


def join_pdfs(parts: Iterable[bytes], titles: Sequence[str], info: Mapping[str, str]) -> bytes:
    """The parts' pages in one PDF, an outline entry ``titles[i]`` at the first page of part i,
    and ``info`` (e.g. ``{"Title": …}``) as its document information dictionary."""
    out = io.BytesIO()
    write_joined(parts, titles, info, out)
    return out.getvalue()


def write_joined(parts: Iterable[bytes], titles: Sequence[str], info: Mapping[str, str], out: BinaryIO) -> None:
    """``join_pdfs`` written to ``out`` as it goes: one part is held at a time (``parts`` may read each file
    when asked), so joining 1,200 pages takes the memory of the largest part, not of them all. The objects
    the join makes itself (catalog, page tree, outline, information) come last, under the first numbers."""
    catalog, tree, outline, information = 1, 2, 3, 4
    items = list(range(5, 5 + len(titles)))
    next_number = 5 + len(titles)
    offsets: dict[int, int] = {}
    kids: list[int] = []
    firsts: list[int] = []
    version = (1, 0)
    header = b"%%PDF-%d.%d\n%%\xe2\xe3\xcf\xd3\n"
    size = out.write(header % version)  # the version is set once every part has been read
    count = 0
    for data in parts:
        count += 1
        if count > len(titles):
            raise ValueError(f"more parts than the {len(titles)} bookmark titles")
        part = _Part(data)
        pages = part.pages()
        if not pages:
            raise UnsupportedPDF("a part without pages")
        version = max(version, part.version)
        renumber: dict[int, int] = {}
        order: list[int] = []
        pending = list(reversed(pages))
        while pending:  # every object a page needs, depth first, in the order pages name them
            number = pending.pop()
            if number in renumber:
                continue
            renumber[number] = next_number
            next_number += 1
            order.append(number)
            text, refs, _ = part.obj(number)
            is_page = number in pages
            pending.extend(reversed([ref for start, _, ref in refs
                                     if not (is_page and _PARENT.search(text, 0, start))]))
        page_set = set(pages)
        for number in order:
            text, refs, stream = part.obj(number)
            pieces, at = [], 0
            for start, end, ref in refs:
                parent = number in page_set and _PARENT.search(text, 0, start)
                pieces += [text[at:start], _ref(tree if parent else renumber[ref])]
                at = end
            pieces.append(text[at:])
            offsets[renumber[number]] = size
            size += out.write(b"%d 0 obj" % renumber[number] + b"".join(pieces) + stream + b"\nendobj\n")
        kids += [renumber[page] for page in pages]
        firsts.append(renumber[pages[0]])
    if count != len(titles):
        raise ValueError(f"{count} parts but {len(titles)} bookmark titles")
    head: list[bytes] = [
        b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines >>" % (tree, outline),
        b"<< /Type /Pages /Kids [ " + b" ".join(map(_ref, kids)) + b" ] /Count %d >>" % len(kids),
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items)),
        b"<< " + b" ".join(b"/" + key.encode("ascii") + b" " + pdf_text(value) for key, value in info.items()) + b" >>",
    ]
    for n, (item, title) in enumerate(zip(items, titles)):
        links = (b" /Prev " + _ref(items[n - 1]) if n else b"") + (
            b" /Next " + _ref(items[n + 1]) if n + 1 < len(items) else b"")
        head.append(b"<< /Title " + pdf_text(title) + b" /Parent " + _ref(outline) + links
                    + b" /Dest [ " + _ref(firsts[n]) + b" /Fit ] >>")
    for number, text in enumerate(head, start=1):
        offsets[number] = size
        size += out.write(b"%d 0 obj\n" % number + text + b"\nendobj\n")
    total = len(offsets) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % total)
    out.write(b"".join(b"%010d 00000 n \n" % offsets[number] for number in range(1, total)))
    out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (total, catalog, information, size))
    out.seek(0)
    out.write(header % version)
    out.seek(0, io.SEEK_END)

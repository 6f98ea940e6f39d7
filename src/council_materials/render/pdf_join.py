"""Join PDF files as bytes: the pages of each, in order, with their structure and an outline entry per file.

Input: the bytes of each part (the PDF renderer's files: classic cross-reference table, no
object streams, no encryption), one outline title per part, and the document information
entries. Output: the bytes of one PDF whose pages are the parts' pages, unchanged.

Each page object and everything it refers to (contents, resources, fonts, pictures) is
copied as it is, with only its object numbers changed and a page's ``/Parent`` pointed at
the new page tree; streams are copied byte for byte, never decoded. A tagged part's
structure (``pdf_tags``) comes along: each section of its ``Document`` (one ``Sect`` per part)
goes under the combined ``Document``, its parent tree's arrays under keys moved past the
earlier parts' (and its pages' ``/StructParents`` with them; the MCIDs are the pages' own and
do not change). The outline entry of a part goes where the part's own first outline entry
goes: its first heading (``/SE`` and ``/XYZ`` destination), else its first page. What only
the part itself needed (its catalog, outline, metadata, information dictionary) is left
behind. The combined catalog has the language, ``/MarkInfo``, ``DisplayDocTitle`` and XMP
metadata of a PDF/UA document (the structure only when every part is tagged), the trailer an
``/ID`` made from the parts' ``/ID``s and the information entries, and no date of its own:
the same parts give the same bytes.

This is a reader for the PDFs this project writes, not for any PDF: a file it does not
understand (a cross-reference stream, an update section, encryption, a page attribute
inherited from the page tree, a structure tree of another shape, …) raises ``UnsupportedPDF``,
and the caller joins the files with a general PDF library instead.
"""
from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import BinaryIO, Callable, Iterable, Mapping, Sequence

from council_materials.render.pdf_meta import LANG, pdf_text, xmp_packet

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
_ELEMENT_PARENT = re.compile(rb"/P\s*$")
_STRUCT_PARENTS = re.compile(rb"/StructParents\s+(\d+)")


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


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


def _key_ref(text: bytes, key: bytes) -> int | None:
    found = re.search(rb"/" + key + rb"\s+(\d+)\s+0\s+R", text)
    return None if found is None else int(found.group(1))


def _value_refs(text: bytes, refs: list[tuple[int, int, int]], key: bytes) -> list[int] | None:
    """The references making up the value of ``key`` (one reference or an array of them)."""
    found = re.search(rb"/" + key + rb"\s*(\[[^\]]*\]|\d+\s+0\s+R)", text)
    if found is None:
        return None
    return [ref for start, _, ref in refs if found.start(1) <= start < found.end(1)]


@dataclass(frozen=True)
class _Structure:
    """What a tagged part's structure tree gives the join: its sections (the kids of its ``Document``),
    its parent tree's (key, array) entries and the next free key."""

    sections: list[int]
    entries: list[tuple[int, int]]
    next_key: int


def _structure(part: _Part, catalog: bytes) -> _Structure | None:
    """The part's structure tree as the renderer writes it (``pdf_tags``), or None for an untagged part."""
    root = _key_ref(catalog, b"StructTreeRoot")
    if root is None:
        return None
    text = part.obj(root)[0]
    document, tree = _key_ref(text, b"K"), _key_ref(text, b"ParentTree")
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
    return _Structure(sections, entries, int(next_key.group(1)) if next_key else
                      max((key for key, _ in entries), default=-1) + 1)


def _first_bookmark(part: _Part, catalog: bytes) -> tuple[int, bytes, int | None] | None:
    """The part's first outline entry: (its page, the rest of its destination, its structure element)."""
    outlines = _key_ref(catalog, b"Outlines")  # a reference to no object is null
    first = None if outlines not in part.offsets else _key_ref(part.obj(outlines)[0], b"First")
    if first not in part.offsets:
        return None
    text = part.obj(first)[0]
    dest = re.search(rb"/Dest\s*\[\s*(\d+)\s+0\s+R([^\]]*)\]", text)
    if dest is None:
        return None
    return int(dest.group(1)), dest.group(2).strip(), _key_ref(text, b"SE")


class _Writer:
    """The combined file as it is written: object offsets, the next free number, the bytes so far."""

    def __init__(self, out: BinaryIO, first_free: int) -> None:
        self.out, self.size, self.next_number = out, 0, first_free
        self.offsets: dict[int, int] = {}

    def write(self, data: bytes) -> None:
        self.size += self.out.write(data)

    def copy(self, part: _Part, starts: Sequence[int], renumber: dict[int, int],
             cut: Callable[[int, bytes, int], int | None], edit: Callable[[int, bytes], bytes] | None = None,
             follow: bool = True) -> None:
        """``starts`` and every object they need, depth first, renumbered into ``renumber``; ``cut`` names
        the new target of a reference not followed (or None), ``edit`` rewrites an object's text.
        Without ``follow`` every reference must be to an object already copied."""
        order: list[int] = []
        pending = list(reversed(starts))
        while pending:
            number = pending.pop()
            if number in renumber:
                continue
            renumber[number] = self.next_number
            self.next_number += 1
            order.append(number)
            text, refs, _ = part.obj(number)
            found = [ref for start, _, ref in refs if cut(number, text, start) is None and ref not in renumber]
            if found and not follow:
                raise UnsupportedPDF(f"object {number} refers to objects outside what was copied")
            pending.extend(reversed(found))
        for number in order:
            text, refs, stream = part.obj(number)
            pieces, at = [], 0
            for start, end, ref in refs:
                target = cut(number, text, start)
                pieces += [text[at:start], _ref(renumber[ref] if target is None else target)]
                at = end
            pieces.append(text[at:])
            body = b"".join(pieces)
            if edit is not None:
                body = edit(number, body)
            self.offsets[renumber[number]] = self.size
            self.write(b"%d 0 obj" % renumber[number] + body + stream + b"\nendobj\n")

    def add(self, number: int, body: bytes) -> None:
        self.offsets[number] = self.size
        self.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")


def join_pdfs(parts: Iterable[bytes], titles: Sequence[str], info: Mapping[str, str]) -> bytes:
    """The parts' pages in one PDF, an outline entry ``titles[i]`` at the first heading of part i,
    and ``info`` (e.g. ``{"Title": …}``) as its document information dictionary."""
    out = io.BytesIO()
    write_joined(parts, titles, info, out)
    return out.getvalue()


def write_joined(parts: Iterable[bytes], titles: Sequence[str], info: Mapping[str, str], out: BinaryIO) -> None:
    """``join_pdfs`` written to ``out`` as it goes: one part is held at a time (``parts`` may read each file
    when asked), so joining 1,200 pages takes the memory of the largest part, not of them all. The objects
    the join makes itself (catalog, page tree, outline, information, structure root, metadata) come last,
    under the first numbers."""
    catalog, tree, outline, information, struct_root, document, parent_tree, metadata = range(1, 9)
    items = list(range(9, 9 + len(titles)))
    writer = _Writer(out, 9 + len(titles))
    kids: list[int] = []
    targets: list[bytes] = []
    sections: list[int] = []
    nums: list[bytes] = []
    key_offset, tagged = 0, True
    fingerprint = hashlib.md5(usedforsecurity=False)
    version = (1, 4)  # the catalog's /Lang and /Metadata
    header = b"%%PDF-%d.%d\n%%\xe2\xe3\xcf\xd3\n"
    writer.write(header % version)  # the version is set once every part has been read
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
        part_id = re.search(rb"/ID\s*\[([^\]]*)\]", part.trailer)
        fingerprint.update(part_id.group(1) if part_id else data)
        catalog_text = part.obj(part.catalog)[0]
        structure = _structure(part, catalog_text)
        tagged = tagged and structure is not None
        page_set = set(pages)
        offset = key_offset

        def page_parent(number: int, text: bytes, start: int) -> int | None:
            return tree if number in page_set and _PARENT.search(text, 0, start) else None

        def page_keys(number: int, body: bytes) -> bytes:
            if number not in page_set or not offset:
                return body
            return _STRUCT_PARENTS.sub(lambda m: b"/StructParents %d" % (int(m.group(1)) + offset), body)

        renumber: dict[int, int] = {}
        writer.copy(part, pages, renumber, page_parent, page_keys)
        kids += [renumber[page] for page in pages]
        if structure is not None:
            section_set = set(structure.sections)

            def section_parent(number: int, text: bytes, start: int) -> int | None:
                return document if number in section_set and _ELEMENT_PARENT.search(text, 0, start) else None

            writer.copy(part, structure.sections, renumber, section_parent)
            writer.copy(part, [array for _, array in structure.entries], renumber, lambda *_: None, follow=False)
            sections += [renumber[section] for section in structure.sections]
            nums += [b"%d %d 0 R" % (key + offset, renumber[array]) for key, array in structure.entries]
            key_offset += structure.next_key
        mark = _first_bookmark(part, catalog_text)
        if mark is not None and mark[0] in page_set and (mark[2] is None or mark[2] in renumber):
            page, rest, element = mark
            targets.append(b"/Dest [" + _ref(renumber[page]) + b" " + rest + b"]"
                           + (b" /SE " + _ref(renumber[element]) if element is not None else b""))
        else:
            targets.append(b"/Dest [" + _ref(renumber[pages[0]]) + b" /Fit]")
    if count != len(titles):
        raise ValueError(f"{count} parts but {len(titles)} bookmark titles")
    for key, value in sorted(info.items()):
        fingerprint.update(key.encode("utf-8") + b"\0" + value.encode("utf-8") + b"\0")
    title = info.get("Title", "")
    xmp = xmp_packet(title=title, author=info.get("Author", ""), subject=info.get("Subject", ""),
                     created=_iso(info.get("CreationDate", "")), producer=info.get("Producer", ""),
                     creator_tool=info.get("Creator", ""), ua=tagged)
    structured = b" /MarkInfo << /Marked true >> /StructTreeRoot %d 0 R" % struct_root if tagged else b""
    head: list[bytes] = [
        b"<< /Type /Catalog /Pages %d 0 R /Outlines %d 0 R /PageMode /UseOutlines /Lang %s%s"
        b" /ViewerPreferences << /DisplayDocTitle true >> /Metadata %d 0 R >>"
        % (tree, outline, pdf_text(LANG), structured, metadata),
        b"<< /Type /Pages /Kids [ " + b" ".join(map(_ref, kids)) + b" ] /Count %d >>" % len(kids),
        b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items)),
        b"<< " + b" ".join(b"/" + key.encode("ascii") + b" " + pdf_text(value) for key, value in info.items()) + b" >>",
        b"<< /Type /StructTreeRoot /K %d 0 R /ParentTree %d 0 R /ParentTreeNextKey %d >>"
        % (document, parent_tree, key_offset),
        b"<< /Type /StructElem /S /Document /P %d 0 R /K [" % struct_root + b" ".join(map(_ref, sections)) + b"] >>",
        b"<< /Nums [" + b" ".join(nums) + b"] >>",
        b"<< /Type /Metadata /Subtype /XML /Length %d >>\nstream\n" % len(xmp) + xmp + b"\nendstream",
    ]
    for n, (item, title_n) in enumerate(zip(items, titles)):
        links = (b" /Prev " + _ref(items[n - 1]) if n else b"") + (
            b" /Next " + _ref(items[n + 1]) if n + 1 < len(items) else b"")
        head.append(b"<< /Title " + pdf_text(title_n) + b" /Parent " + _ref(outline) + links + b" "
                    + targets[n] + b" >>")
    for number, text in enumerate(head, start=1):
        writer.add(number, text)
    total = len(writer.offsets) + 1
    if sorted(writer.offsets) != list(range(1, total)):
        raise RuntimeError("the joined file's objects are not numbered 1 to n")
    digest = fingerprint.hexdigest().upper().encode("ascii")
    xref = writer.size
    writer.write(b"xref\n0 %d\n0000000000 65535 f \n" % total)
    writer.write(b"".join(b"%010d 00000 n \n" % writer.offsets[number] for number in range(1, total)))
    writer.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R /ID [<%s> <%s>] >>\nstartxref\n%d\n%%%%EOF\n"
                 % (total, catalog, information, digest, digest, xref))
    out.seek(0)
    out.write(header % version)
    out.seek(0, io.SEEK_END)


def _iso(date: str) -> str:
    """``D:20250220100000+09'00'`` -> ``2025-02-20T10:00:00+09:00`` (the information dictionary's date
    in XMP's form); a date it cannot read becomes the start of 2000, as a Document's default."""
    found = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", date)
    if found is None:
        return "2000-01-01T00:00:00"
    y, mo, d, h, mi, se, sign, oh, om = found.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{se}" + (f"{sign}{oh}:{om}" if sign else "")

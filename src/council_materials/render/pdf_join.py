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
inherited from the page tree, a structure tree of another shape, …) raises ``UnsupportedPDF``.
``join_pdf_files``, what a build calls to write the combined PDF from the parts' files (the
document information from the combined ``Document``), then joins the files with pypdf instead,
which keeps the pages and bookmarks but not the structure. Joining is far cheaper than drawing
every page a second time, and a rebuild after one material changed redraws only that material.
"""
from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Mapping, Sequence

from council_materials.layout.primitives import Document
from council_materials.render.dates import iso_date, pdf_date
from council_materials.render.pdf_meta import LANG, pdf_text, xmp_packet
from council_materials.render.pdf_part import Part, UnsupportedPDF, first_bookmark, structure

__all__ = ["UnsupportedPDF", "join_pdf_files", "join_pdfs", "write_joined", "pdf_text"]

CREATOR = "council-materials"


_PARENT = re.compile(rb"/Parent\s*$")
_ELEMENT_PARENT = re.compile(rb"/P\s*$")
_STRUCT_PARENTS = re.compile(rb"/StructParents\s+(\d+)")
# In a run of objects without strings, comments or streams: each reference and object header.
_RUN_TOKEN = re.compile(rb"(?<![^\s\[\]<>{}/])(\d+\s+\d+\s+(?:R|obj))(?=[\s()<>\[\]{}/%]|$)")


def _ref(number: int) -> bytes:
    return b"%d 0 R" % number


class _Writer:
    """The combined file as it is written: object offsets, the next free number, the bytes so far."""

    def __init__(self, out: BinaryIO, first_free: int) -> None:
        self.out, self.size, self.next_number = out, 0, first_free
        self.offsets: dict[int, int] = {}

    def write(self, data: bytes) -> None:
        self.size += self.out.write(data)

    def copy(self, part: Part, starts: Sequence[int], renumber: dict[int, int], *, follow: bool = True,
             cut: Callable[[bytes, int], int | None] | None = None, cut_in: frozenset[int] = frozenset(),
             edit: Callable[[bytes], bytes] | None = None) -> None:
        """``starts`` and every object they need, depth first, renumbered into ``renumber``. In the objects
        ``cut_in``, ``cut`` names the new target of a reference that is not followed (else None), and
        ``edit`` rewrites their text. Without ``follow`` every reference must be to an object copied."""
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
            if cut is not None and number in cut_in:
                found = [ref for start, _, ref in refs if ref not in renumber and cut(text, start) is None]
            else:
                found = [ref for _, _, ref in refs if ref not in renumber]
            if found and not follow:
                raise UnsupportedPDF(f"object {number} refers to objects outside what was copied")
            pending.extend(reversed(found))
        chunks: list[bytes] = []  # written at once: a write per object costs more than the copying
        size, offsets = self.size, self.offsets
        for number in order:
            text, refs, stream = part.obj(number)
            new = renumber[number]
            cut_here = cut if number in cut_in else None  # this object's references are cut
            pieces, at = [b"%d 0 obj" % new], 0
            for start, end, ref in refs:
                target = cut_here(text, start) if cut_here is not None else None
                pieces += [text[at:start], b"%d 0 R" % (renumber[ref] if target is None else target)]
                at = end
            pieces += [text[at:], stream, b"\nendobj\n"]
            chunk = b"".join(pieces)
            if cut_here is not None and edit is not None:
                chunk = edit(chunk)
            offsets[new] = size
            size += len(chunk)
            chunks.append(chunk)
        self.write(b"".join(chunks))
        if self.size != size:
            raise RuntimeError("the joined file's offsets went astray")

    def copy_run(self, part: Part, first: int, last: int, renumber: dict[int, int], redirect: Mapping[int, int]
                 ) -> bool:
        """Objects ``first`` to ``last`` copied at once, if the part holds them one after another, with no
        string, comment or stream among them (as the renderer writes its structure tree, ``pdf_tags``): one
        substitution renumbers each by one offset and every reference out of the run through ``renumber``
        or ``redirect``. False, with nothing written, when they are not like that (a reference written
        otherwise than ``N 0 R``, to anything else, …)."""
        offsets = [part.offsets.get(number, -1) for number in range(first, last + 1)]
        if first > last or min(offsets) < 0 or any(b <= a for a, b in zip(offsets, offsets[1:])):
            return False
        end = part.data.find(b"endobj", offsets[-1])
        run = part.data[offsets[0]:end + len(b"endobj")]
        if end < 0 or b"(" in run or b"%" in run or b"stream" in run:
            return False
        delta = self.next_number - first
        table = {b"%d 0 R" % number: b"%d 0 R" % new for number, new in (*renumber.items(), *redirect.items())}
        table.update((b"%d 0 R" % number, b"%d 0 R" % (number + delta)) for number in range(first, last + 1))
        table.update((b"%d 0 obj" % number, b"%d 0 obj" % (number + delta)) for number in range(first, last + 1))
        pieces = _RUN_TOKEN.split(run)  # text, reference or header, text, …
        try:
            pieces[1::2] = [table[token] for token in pieces[1::2]]
        except KeyError:
            return False
        copied = b"".join(pieces)
        at = 0
        for number in range(first + delta, last + delta + 1):  # the headers, in order, each at a line's start
            header = b"%d 0 obj" % number
            at = copied.find(header, at)
            while at > 0 and copied[at - 1] not in b"\r\n":
                at = copied.find(header, at + 1)
            if at < 0:
                raise RuntimeError(f"object {number} is missing from the copied run")
            self.offsets[number] = self.size + at
        self.write(copied + b"\n")
        renumber.update((number, number + delta) for number in range(first, last + 1))
        self.next_number += last - first + 1
        return True

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
        part = Part(data)
        pages = part.pages()
        if not pages:
            raise UnsupportedPDF("a part without pages")
        version = max(version, part.version)
        part_id = re.search(rb"/ID\s*\[([^\]]*)\]", part.trailer)
        fingerprint.update(part_id.group(1) if part_id else data)
        catalog_text = part.obj(part.catalog)[0]
        tree_of = structure(part, catalog_text)
        tagged = tagged and tree_of is not None
        page_set = set(pages)
        offset = key_offset

        def page_parent(text: bytes, start: int) -> int | None:
            return tree if _PARENT.search(text, 0, start) else None

        def page_keys(body: bytes) -> bytes:
            return _STRUCT_PARENTS.sub(lambda m: b"/StructParents %d" % (int(m.group(1)) + offset), body)

        renumber: dict[int, int] = {}
        writer.copy(part, pages, renumber, cut=page_parent, cut_in=frozenset(pages),
                    edit=page_keys if offset else None)
        kids += [renumber[page] for page in pages]
        if tree_of is not None:
            def section_parent(text: bytes, start: int) -> int | None:
                return document if _ELEMENT_PARENT.search(text, 0, start) else None

            first, last = tree_of.document + 1, tree_of.tree - 1  # the renderer's order: Sect, …, arrays
            inside = {*tree_of.sections, *(array for _, array in tree_of.entries)}
            if not (inside <= set(range(first, last + 1))
                    and writer.copy_run(part, first, last, renumber, {tree_of.document: document})):
                writer.copy(part, tree_of.sections, renumber, cut=section_parent,
                            cut_in=frozenset(tree_of.sections))
                writer.copy(part, [array for _, array in tree_of.entries], renumber, follow=False)
            sections += [renumber[section] for section in tree_of.sections]
            nums += [b"%d %d 0 R" % (key + offset, renumber[array]) for key, array in tree_of.entries]
            key_offset += tree_of.next_key
        mark = first_bookmark(part, catalog_text)
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
                     created=iso_date(info.get("CreationDate", "")), producer=info.get("Producer", ""),
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


def _info(document: Document) -> dict[str, str]:
    date = pdf_date(document.created)
    return {"Title": document.title, "Author": document.author, "Subject": document.subject,
            "Creator": CREATOR, "Producer": CREATOR, "CreationDate": date, "ModDate": date}


def _join_with_pypdf(parts: Sequence[Path], titles: Sequence[str], info: dict[str, str], path: Path) -> None:
    from pypdf import PdfReader, PdfWriter  # only here: importing it costs more than joining

    writer = PdfWriter()
    first_page = 0
    for part, title in zip(parts, titles):
        reader = PdfReader(part)
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=title, page_number=first_page)
        first_page += len(reader.pages)
    writer.add_metadata({f"/{key}": value for key, value in info.items()})
    writer.page_mode = "/UseOutlines"
    with open(path, "wb") as out:
        writer.write(out)


def join_pdf_files(parts: Sequence[Path], titles: Sequence[str], document: Document, path: Path) -> None:
    """Write the PDF files ``parts`` one after another into ``path``, bookmarking each with its title, with
    the combined ``document``'s title, author, subject and date; the same parts give the same bytes."""
    if len(parts) != len(titles):
        raise ValueError(f"{len(parts)} parts but {len(titles)} bookmark titles")
    info = _info(document)
    try:
        with open(path, "wb") as out:  # one part in memory at a time
            write_joined((Path(part).read_bytes() for part in parts), titles, info, out)
    except UnsupportedPDF:
        _join_with_pypdf(parts, titles, info, path)

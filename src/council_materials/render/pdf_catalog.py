"""The document-level objects of a tagged PDF written with reportlab: structure tree, outline, catalog.

Input: the reportlab canvas a Document was drawn on, its ``Tagger`` (``pdf_tags``: the structure
tree built while drawing) and each page's object number. Output, registered with reportlab's
document before it is saved: the structure tree's objects (written as bytes: reportlab has no
structure-tree API), the outline (an entry per bookmark, or one titled by the document, each at the
first heading of its page: ``/SE`` and an ``/XYZ`` destination), and the catalog's ``/StructTreeRoot``,
``/MarkInfo``, ``/ViewerPreferences /DisplayDocTitle`` and XMP ``/Metadata``; ``tag_page`` gives a
page just shown its ``/StructParents`` (its index) and ``/Tabs /S``.
"""
from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfdoc import PDFDictionary, PDFDocument, PDFName, PDFObject, PDFStream
from reportlab.pdfgen.canvas import Canvas

from council_materials.layout.primitives import Document
from council_materials.render.pdf_meta import pdf_text, xmp_packet
from council_materials.render.pdf_tags import Tagger

__all__ = ["finish_document", "pdf_document", "tag_page"]


def pdf_document(canvas: Canvas) -> PDFDocument:
    """The document ``canvas`` draws into: reportlab's private ``Canvas._doc``, which its stubs leave
    out as private (reportlab is pinned exactly: docs/architecture.md, hand-written pieces)."""
    return canvas._doc  # type: ignore[attr-defined]  # private attribute, absent from types-reportlab


def tag_page(canvas: Canvas, index: int) -> int:
    """Give the page just shown (``canvas.showPage``) its ``/StructParents`` and ``/Tabs``; return its
    object number. reportlab writes the page keys its class lists: this page lists two more."""
    doc = pdf_document(canvas)
    page = doc.Pages.pages[-1]  # type: ignore[attr-defined]  # set in PDFDocument.__init__, absent from its stub
    page.__NoDefault__ = [*page.__NoDefault__, "StructParents", "Tabs"]
    page.StructParents, page.Tabs = index, PDFName("S")
    return int(doc.idToObjectNumberAndVersion[page.__InternalName__][0])


class _Raw(PDFObject):
    """An object whose body this renderer wrote as bytes (structure tree, outline); it also stands in
    for reportlab's outline, which cannot point at a structure element."""

    ready = 1

    def __init__(self, body: bytes) -> None:
        self.body = body

    def format(self, document: Any) -> bytes:
        return self.body

    def prepare(self, document: Any, canvas: Any) -> None:  # reportlab's outline protocol: nothing to do
        return None


def _add_objects(canvas: Canvas, bodies: list[bytes], first: int) -> list[_Raw]:
    """Register ``bodies`` as objects numbered ``first``, ``first`` + 1, …"""
    doc = pdf_document(canvas)
    objects = []
    for number, body in enumerate(bodies, first):
        obj = _Raw(body)
        doc.Reference(obj)
        if doc.objectcounter != number:
            raise RuntimeError(f"object {number} was numbered {doc.objectcounter}")
        objects.append(obj)
    return objects


def _outline(document: Document, tags: Tagger, pages: list[int], first: int) -> list[bytes]:
    """The outline (numbered from ``first``): an entry per bookmark, or one titled by the document when
    it has none, each at the first heading of its page (``/SE`` that heading) or at the page."""
    marks = document.bookmarks or ((document.title, 0),)
    items = list(range(first + 1, first + 1 + len(marks)))
    bodies = [b"<< /Type /Outlines /First %d 0 R /Last %d 0 R /Count %d >>" % (items[0], items[-1], len(items))]
    for n, (title, index) in enumerate(marks):
        heading = tags.headings[index]
        if heading is None:
            target = b"/Dest [%d 0 R /Fit]" % pages[index]
        else:
            target = (f"/Dest [{pages[index]} 0 R /XYZ {fp_str(heading.left)} {fp_str(heading.top)} null] "
                      f"/SE {heading.element.number} 0 R").encode("ascii")
        links = (b" /Prev %d 0 R" % items[n - 1] if n else b"") + (
            b" /Next %d 0 R" % items[n + 1] if n + 1 < len(items) else b"")
        bodies.append(b"<< /Title " + pdf_text(title) + b" /Parent %d 0 R" % first + links + b" " + target + b" >>")
    return bodies


def finish_document(canvas: Canvas, document: Document, tags: Tagger, pages: list[int], creator: str) -> None:
    """The structure tree, the outline and the catalog's entries of a tagged PDF/UA document, once every
    page is drawn (``pages``: each page's object number)."""
    doc = pdf_document(canvas)
    first = doc.objectcounter + 1
    tree = _add_objects(canvas, tags.objects(pages, first), first)
    outline = _add_objects(canvas, _outline(document, tags, pages, doc.objectcounter + 1), doc.objectcounter + 1)
    # reportlab calls prepare and format on the outline object, which its stubs type as its own outline classes
    doc.Outlines = doc.outline = outline[0]  # type: ignore[assignment]
    doc.Catalog.Outlines = outline[0]  # type: ignore[attr-defined]  # set in PDFDocument.__init__, absent from its stub
    if document.bookmarks:
        canvas.showOutline()
    canvas.setCatalogEntry("StructTreeRoot", tree[0])
    canvas.setCatalogEntry("MarkInfo", PDFDictionary({"Marked": "true"}))
    canvas.setViewerPreference("DisplayDocTitle", "true")
    xmp = xmp_packet(title=document.title, author=document.author, subject=document.subject,
                     created=document.created, producer=doc.info.producer, creator_tool=creator)
    canvas.setCatalogEntry("Metadata", PDFStream(PDFDictionary({"Type": PDFName("Metadata"),
                                                                "Subtype": PDFName("XML")}), xmp))

"""Combine finished PDFs into one file with a bookmark per part.

Input: the part files in order (the cover sheet, then each material's PDF as
the PDF renderer wrote it), one bookmark title per part, and the combined
``Document`` for its metadata. Output: one PDF whose pages are the parts'
pages, unchanged, with an outline entry at the first page of each part.
Merging is far cheaper than drawing every page a second time, and a rebuild
after one material changed redraws only that material. The same parts give
the same bytes (no /ID, dates from the Document).
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from pypdf import PdfReader, PdfWriter

from council_materials.layout.primitives import Document
from council_materials.render.dates import pdf_date

__all__ = ["merge_pdfs"]


def merge_pdfs(parts: Sequence[Path], titles: Sequence[str], document: Document, path: Path) -> None:
    """Write ``parts`` one after another into ``path``, bookmarking each with its title."""
    if len(parts) != len(titles):
        raise ValueError(f"{len(parts)} parts but {len(titles)} bookmark titles")
    writer = PdfWriter()
    first_page = 0
    for part, title in zip(parts, titles):
        reader = PdfReader(part)
        writer.append(reader, import_outline=False)
        writer.add_outline_item(title=title, page_number=first_page)
        first_page += len(reader.pages)
    date = pdf_date(document.created)
    writer.add_metadata({"/Title": document.title, "/Author": document.author, "/Subject": document.subject,
                         "/Creator": "council-materials", "/Producer": "council-materials",
                         "/CreationDate": date, "/ModDate": date})
    writer.page_mode = "/UseOutlines"
    with open(path, "wb") as out:
        writer.write(out)

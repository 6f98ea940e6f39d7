"""Combine finished PDFs into one file with a bookmark per part.

Input: the part files in order (the cover sheet, then each material's PDF as
the PDF renderer wrote it), one bookmark title per part, and the combined
``Document`` for its metadata. Output: one tagged PDF whose pages are the parts'
pages, unchanged, with the parts' structure trees under one ``Document`` and an
outline entry at the first heading of each part. Merging is far cheaper than
drawing every page a second time, and a rebuild after one material changed
redraws only that material. The same parts give the same bytes (the ``/ID`` from
the parts', dates from the Document).

The renderer's files are joined by ``pdf_join`` (their objects copied as bytes,
renumbered); a part it does not read is joined with pypdf instead, which keeps
the pages and bookmarks but not the structure.
"""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from council_materials.layout.primitives import Document
from council_materials.render.dates import pdf_date
from council_materials.render.pdf_join import UnsupportedPDF, write_joined

__all__ = ["merge_pdfs"]

CREATOR = "council-materials"


def _info(document: Document) -> dict[str, str]:
    date = pdf_date(document.created)
    return {"Title": document.title, "Author": document.author, "Subject": document.subject,
            "Creator": CREATOR, "Producer": CREATOR, "CreationDate": date, "ModDate": date}


def _merge_with_pypdf(parts: Sequence[Path], titles: Sequence[str], info: dict[str, str], path: Path) -> None:
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


def merge_pdfs(parts: Sequence[Path], titles: Sequence[str], document: Document, path: Path) -> None:
    """Write ``parts`` one after another into ``path``, bookmarking each with its title."""
    if len(parts) != len(titles):
        raise ValueError(f"{len(parts)} parts but {len(titles)} bookmark titles")
    info = _info(document)
    try:
        with open(path, "wb") as out:  # one part in memory at a time
            write_joined((Path(part).read_bytes() for part in parts), titles, info, out)
    except UnsupportedPDF:
        _merge_with_pypdf(parts, titles, info, path)

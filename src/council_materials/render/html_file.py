"""Standalone HTML: a laid-out ``Document`` as one self-contained HTML file (``council build --format html``).

Takes a ``Document`` (pages of positioned primitives, its fonts and metadata) and writes one HTML file
that needs nothing else: each page is the SVG of ``render.html.render_page`` (the preview's renderer,
so the file shows exactly what the preview shows), the two faces are embedded as subsets of the
characters the document prints (fontTools; kept in the cache folder, keyed by the font file and the
characters, so a rebuild does not subset again) and every picture is embedded from the file the layout
chose. Printed from a browser, each page is a sheet of the page's size. The same Document gives the
same bytes; text is escaped, never parsed as markup.
"""
from __future__ import annotations

import base64
import hashlib
import io
from html import escape
from pathlib import Path

from council_materials.cache import read_cached, write_atomically, write_cached
from council_materials.incremental import file_stamp
from council_materials.layout.primitives import Document, picture_type
from council_materials.render.html import font_faces_css, render_page

__all__ = ["render_html", "subset_font"]

_SUBSET_VERSION = "2"  # part of the cache key: change it when the subsetting options change


def subset_font(path: Path, index: int, chars: str) -> bytes:
    """The face at ``path`` (``index`` in a collection) cut down to ``chars``, as TrueType bytes: same outlines
    and advance widths, no hinting and no layout features (the pages turn them off anyway)."""
    key = hashlib.sha256(f"{_SUBSET_VERSION}\0{path}\0{index}\0{file_stamp(path)}\0{chars}".encode(
        "utf-8", "surrogatepass")).hexdigest()
    found = read_cached("web-fonts", key)
    if isinstance(found, bytes):
        return found
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.hinting = False
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]  # the licence and the family name stay with the face
    options.ignore_missing_glyphs = True
    options.drop_tables += ["meta"]  # not subsettable (fontTools would warn); it names no glyphs
    font = TTFont(path, fontNumber=index, lazy=True, recalcTimestamp=False)  # the same bytes at any time
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    data = out.getvalue()
    write_cached("web-fonts", key, data)
    return data


def _data_url(kind: str, data: bytes) -> str:
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def render_html(document: Document, path: Path) -> None:
    """Write ``document`` as one self-contained HTML file at ``path``; nothing is written if drawing fails."""
    if not document.pages:
        raise ValueError(f"document {document.title!r} has no pages")
    chars = "".join(sorted({ch for page in document.pages for block in page.text_blocks() for line in block.lines
                            for ch in line.text}))
    fonts = document.fonts
    css = font_faces_css(_data_url("font/ttf", subset_font(fonts.regular, fonts.regular_index, chars)),
                         _data_url("font/ttf", subset_font(fonts.bold, fonts.bold_index, chars)))
    pictures: dict[Path, str] = {}

    def picture_url(picture: Path) -> str:
        picture = Path(picture)
        if picture not in pictures:
            data = picture.read_bytes()
            kind = picture_type(data)
            if kind is None:
                raise FileNotFoundError(f"picture {picture} is not a PNG or JPEG file")
            pictures[picture] = _data_url(kind, data)
        return pictures[picture]

    first = document.pages[0]
    sheets = "".join(f'<section class="page" id="page-{number}" style="width:{page.width:.2f}pt;'
                     f'height:{page.height:.2f}pt">{render_page(page, picture_url)}</section>'
                     for number, page in enumerate(document.pages, 1))
    marks = {index: title for title, index in document.bookmarks}
    outline = "".join(f'<li><a href="#page-{index + 1}">{escape(title)}</a></li>' for index, title in sorted(marks.items()))
    html = (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>{escape(document.title)}</title>'
            f'<meta name="author" content="{escape(document.author)}">'
            f'<meta name="description" content="{escape(document.subject)}">'
            '<meta name="generator" content="council-materials">'
            f"<style>{css}html{{background:#E8E8E8}}body{{margin:0;padding:16px 0}}"
            ".page{margin:0 auto 16px;background:#FFF;box-shadow:0 1px 4px rgba(0,0,0,.25)}.page>svg{display:block}"
            "nav{margin:0 auto 16px;max-width:800px;font:14px sans-serif}"
            f"@page{{size:{first.width:.2f}pt {first.height:.2f}pt;margin:0}}"
            "@media print{html{background:none}body{padding:0}nav{display:none}"
            ".page{margin:0;box-shadow:none;break-after:page}}</style></head><body>"
            + (f"<nav><ol>{outline}</ol></nav>" if outline else "") + f"{sheets}</body></html>")
    write_atomically(path, html.encode("utf-8"))

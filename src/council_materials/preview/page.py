"""The preview's markup: one page with its problems, a part's heading, the contents, the whole document.

Input: a page's SVG (``render.html.render_page``) with its ``problems.Mark``s, and ``session`` views of
parts and snapshots. Output: HTML strings, and ``update_message``: the JSON the browser applies on each
change (the changed parts' pages, each keyed, so only changed pages are replaced; the contents; the
meeting-wide problems). Every text is escaped; sizes and places are in points, as in the PDF.
"""
from __future__ import annotations

import json
from html import escape
from importlib import resources
from typing import TYPE_CHECKING, Iterable, Sequence

from ..layout.primitives import Page, Rect
from ..render.html import font_faces_css
from .problems import Mark

if TYPE_CHECKING:
    from .session import PartView, Snapshot

__all__ = ["page_html", "part_head_html", "part_html", "toc_html", "banner_html", "index_html", "update_message"]


def _pt(value: float) -> str:
    return f"{value:.2f}pt"


def _place(rect: Rect) -> str:
    return f"left:{_pt(rect.x)};top:{_pt(rect.y)};width:{_pt(rect.w)};height:{_pt(rect.h)}"


def _lines(lines: Iterable[str], cls: str) -> str:
    items = "".join(f"<li><code>{escape(line)}</code></li>" for line in lines)
    return f'<ol class="{cls}">{items}</ol>' if items else ""


def page_html(dom_id: str, page: Page, svg: str, marks: Sequence[Mark], where: str) -> str:
    """A page: its SVG, each problem outlined at its box with a tag (what, by how much, the located line),
    where it comes from (shown on hover), and under it the list of its problems."""
    overlay = []
    for mark in marks:
        if mark.spill is not None:
            overlay.append(f'<div class="spill" style="{_place(mark.spill)}"></div>')
        overlay.append(f'<div class="mark {mark.kind}" style="{_place(mark.rect)}" data-line="{escape(mark.line)}" '
                       f'title="{escape(mark.line)}"></div>')
        top = max(mark.rect.bottom, mark.spill.bottom if mark.spill else 0)  # under what runs past the box
        width = max(min(page.width - mark.rect.x - 4, 460), 160)
        left = min(mark.rect.x, page.width - width - 2)
        overlay.append(f'<div class="tag {mark.kind}" style="left:{_pt(left)};top:{_pt(top)};'
                       f'max-width:{_pt(width)}" title="{escape(mark.line)}"><b>{escape(mark.label)}</b> '
                       f'<code>{escape(mark.where)}</code></div>')
    size = f"width:{_pt(page.width)};height:{_pt(page.height)}"
    problems = _lines((mark.line for mark in marks), "page-problems")
    return (f'<div class="sheet-wrap" id="{escape(dom_id)}"><div class="page{" has-problems" if marks else ""}" '
            f'style="{size}" data-where="{escape(where)}">{svg}{"".join(overlay)}'
            f'<div class="where">{escape(where)}</div></div>{problems}</div>')


def part_head_html(part: "PartView") -> str:
    """A part's heading: label, title, what is wrong with it that no page shows, and whether its pages are old."""
    state = ""
    if part.stale:
        state = '<p class="stale">この資料は今の内容では組めないため、最後に組めたときの頁を表示しています。</p>'
    elif part.pending:
        state = '<p class="pending">組版中…</p>'
    count = len(part.problems) + len(part.marks)
    badge = f' <span class="count">{count}件の問題</span>' if count else ""
    return (f'<header class="part-head"><h2>{escape(part.label)} <small>{escape(part.title)}</small>{badge}</h2>'
            f'{_lines(part.problems, "part-problems")}{state}</header>')


def part_html(part: "PartView") -> str:
    """A part's section: heading, then its pages."""
    cls = "part" + (" stale" if part.stale else "")
    return (f'<section class="{cls}" id="part-{escape(part.id)}" data-part="{escape(part.id)}">{part_head_html(part)}'
            f'<div class="pages">{"".join(page.html for page in part.pages)}</div></section>')


def toc_html(snapshot: "Snapshot") -> str:
    """The contents: each part (資料N and title, its problem count) and a link to each of its pages."""
    items = []
    for part in snapshot.parts:
        count = len(part.problems) + len(part.marks)
        flag = f' <span class="count">{count}</span>' if count else ""
        pages = "".join(f'<a href="#{escape(page.dom_id)}">{number}</a>' for number, page in enumerate(part.pages, 1))
        items.append(f'<li class="{"has-problems" if count else ""}"><a class="part-link" href="#part-{escape(part.id)}">'
                     f'{escape(part.label)}</a> {escape(part.title)}{flag}<span class="page-links">{pages}</span></li>')
    return f'<nav id="toc"><h1>{escape(snapshot.title)}</h1><ol>{"".join(items)}</ol><p id="status"></p></nav>'


def banner_html(snapshot: "Snapshot") -> str:
    """The problems that belong to no part (a font, a plugin's check of the whole meeting)."""
    return f'<div id="banner">{_lines(snapshot.problems, "meeting-problems")}</div>'


def _asset(name: str) -> str:
    return (resources.files(__package__) / "static" / name).read_text(encoding="utf-8")


def index_html(snapshot: "Snapshot") -> str:
    """The whole document as first served: fonts, style, contents, problems, every part, the script."""
    query = f"?v={snapshot.fonts}" if snapshot.fonts else ""
    fonts = font_faces_css(f"/fonts/regular{query}", f"/fonts/bold{query}")
    parts = "".join(part_html(part) for part in snapshot.parts) or '<p class="pending">組版中…</p>'
    return (f'<!DOCTYPE html><html lang="ja" data-revision="{snapshot.revision}" data-fonts="{snapshot.fonts}">'
            f'<head><meta charset="utf-8">'
            f"<title>{escape(snapshot.title)} — council preview</title>"
            f'<link rel="preload" href="/fonts/regular{query}" as="font" type="font/ttf" crossorigin>'
            f'<link rel="preload" href="/fonts/bold{query}" as="font" type="font/ttf" crossorigin>'
            f"<style>{fonts}{_asset('preview.css')}</style></head><body>{toc_html(snapshot)}"
            f'<main>{banner_html(snapshot)}<div id="parts">{parts}</div></main>'
            f"<script>{_asset('preview.js')}</script></body></html>")


def update_message(snapshot: "Snapshot", since: int) -> str:
    """What a browser that shows revision ``since`` needs: the parts changed after it, the order of all
    parts, the contents, the meeting-wide problems and the version of the fonts (JSON)."""
    changed = [{"id": part.id, "cls": "part" + (" stale" if part.stale else ""), "head": part_head_html(part),
                "pages": [[page.dom_id, page.key, page.html] for page in part.pages]}
               for part in snapshot.parts if part.revision > since]
    return json.dumps({"revision": snapshot.revision, "fonts": snapshot.fonts,
                       "order": [part.id for part in snapshot.parts],
                       "toc": toc_html(snapshot), "banner": banner_html(snapshot), "parts": changed},
                      ensure_ascii=False)

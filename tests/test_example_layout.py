"""The example meeting's layout, checked without rendering: nothing overlaps, nothing leaves the page."""
from __future__ import annotations

import itertools

import pytest

from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.document import LaidOut, layout_bundle
from council_materials.layout.primitives import Box, Picture, Rect, Table, TextBlock
from council_materials.plugins import get_plugin_manager

from conftest import EXAMPLE


@pytest.fixture(scope="module")
def laid_out() -> LaidOut:
    bundle, registry = load_bundle(EXAMPLE, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, EXAMPLE),
                         meeting_dir=EXAMPLE.resolve())


def _ink(block: TextBlock) -> Rect:
    """The rectangle the block's lines actually cover."""
    lines = [line for line in block.lines if line.runs]
    left = min(line.x for line in lines)
    right = max(line.x + line.width for line in lines)
    top = min(line.baseline for line in lines) - block.size
    bottom = max(line.baseline for line in lines) + 0.2 * block.size
    return Rect(left, top, right - left, bottom - top)


def _overlap(a: Rect, b: Rect) -> float:
    w = min(a.right, b.right) - max(a.x, b.x)
    h = min(a.bottom, b.bottom) - max(a.y, b.y)
    return min(w, h) if w > 0 and h > 0 else 0.0


def test_every_page_has_content_inside_the_page(laid_out: LaidOut) -> None:
    for page_index, page in enumerate(laid_out.combined.pages):
        assert page.items
        for item in page.items:
            rect = getattr(item, "rect", None)
            if rect is None:
                continue
            assert rect.x >= -0.01 and rect.y >= -0.01, (page_index, item)
            assert rect.right <= page.width + 0.01 and rect.bottom <= page.height + 0.01, (page_index, item)


def test_no_text_overlaps_other_text_or_pictures(laid_out: LaidOut) -> None:
    for page_index, page in enumerate(laid_out.combined.pages):
        blocks = [b for b in page.text_blocks() if any(line.runs for line in b.lines)]
        inks = [(b.name, _ink(b)) for b in blocks]
        for (name_a, a), (name_b, b) in itertools.combinations(inks, 2):
            assert _overlap(a, b) < 0.5, f"page {page_index + 1}: text {name_a!r} overlaps {name_b!r}"
        pictures = [p for p in page.items if isinstance(p, Picture)]
        for name, ink in inks:
            for picture in pictures:
                assert _overlap(ink, picture.rect) < 0.5, f"page {page_index + 1}: {name!r} over a picture"


def test_text_stays_inside_its_own_box(laid_out: LaidOut) -> None:
    for page in laid_out.combined.pages:
        for block in page.text_blocks():
            for line in block.lines:
                assert line.x >= block.rect.x - 0.01
                assert line.x + line.width <= block.rect.right + 0.01, (block.name, line.text)


def test_pictures_do_not_overlap_each_other(laid_out: LaidOut) -> None:
    for page_index, page in enumerate(laid_out.combined.pages):
        pictures = [p.rect for p in page.items if isinstance(p, Picture)]
        for a, b in itertools.combinations(pictures, 2):
            assert _overlap(a, b) < 0.5, f"page {page_index + 1}"


def test_every_material_page_has_a_stamp_box(laid_out: LaidOut) -> None:
    for material, document in laid_out.materials:
        for page in document.pages:
            stamps = [i for i in page.items if isinstance(i, Box) and i.name == "stamp"]
            assert len(stamps) == 1 and stamps[0].rect.right > page.width - 40
            texts = [b for b in page.text_blocks() if b.name == "stamp"]
            assert texts[0].lines[0].text == material.label
        assert not any(isinstance(i, Table) and i.rect.w <= 0 for p in document.pages for i in p.items)

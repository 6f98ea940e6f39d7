"""Pages that use the page: the figures of ``layout.page_fill``, and both example meetings held to them.

The acceptance of the layout's composition: in the example meeting and in the second, ordinary one,
at most two pages (section title pages) use under 30 % of the body's height, the median page uses
at least 60 %, no text is under 10.5 pt and no paragraph ends with a line of one or two characters.
"""
from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.context import LEADING, SMALL_SIZE
from council_materials.layout.document import LaidOut, layout_bundle
from council_materials.layout.page_fill import fill_summary, page_fill, short_last_lines
from council_materials.layout.primitives import (Line, Page, Paragraph, Picture, Rect, Rule, Run, TextBlock)
from council_materials.plugins import get_plugin_manager

from conftest import ROOT

MEETINGS = [ROOT / "examples" / "council-120", ROOT / "examples" / "council-121"]


def _block(top: float, texts: list[list[str]], size: float = 10.0, role: str = "text", name: str = "b") -> TextBlock:
    leading = size * LEADING
    paragraphs, row = [], 0
    for lines in texts:
        out = []
        for text in lines:
            baseline = top + (row + 1) * leading - 0.2 * size
            out.append(Line((Run(text, False, 0.0, 10.0),), 0.0, baseline, 10.0))
            row += 1
        paragraphs.append(Paragraph(tuple(out)))
    return TextBlock(Rect(0, top, 100, row * leading), tuple(paragraphs), size, leading, "000000", name=name,
                     role=role)  # type: ignore[arg-type]


def test_the_share_used_counts_lines_pictures_and_not_the_frame() -> None:
    body = Rect(0, 100, 500, 200)
    text = _block(100, [["一行目", "二行目"]])  # 26 pt
    picture = Picture(Path("x.png"), Rect(0, 120, 50, 60))  # overlaps the text's second line by 6 pt
    footer = _block(290, [["脚注"]], role="footer")
    page = Page(600, 400, (text, picture, footer, Rule(0, 100, 500, 100)), body=body)
    fill = page_fill(page)
    assert fill.used == pytest.approx((26 + 60 - 6) / 200)
    assert fill.body_size == 10.0 and fill.smallest == 10.0 and fill.short == ()


def test_short_last_lines_are_found_per_paragraph() -> None:
    block = _block(0, [["一二三四五六", "七"], ["一行だけ"], ["一二三四", "五六七"], ["一二", "三四"]], name="box")
    assert short_last_lines([block]) == [("box", "七"), ("box", "三四")]


def test_a_page_without_a_body_uses_nothing_and_the_summary_counts() -> None:
    empty = page_fill(Page(600, 400, ()))
    assert empty.used == 0 and empty.body_size is None and empty.smallest is None
    summary = fill_summary([empty, empty, page_fill(Page(600, 400, (_block(0, [["a"]]),), body=Rect(0, 0, 100, 13)))])
    assert summary == {"pages": 3, "under": 2, "median": 0.0, "smallest": 10.0, "short": 0}


@pytest.fixture(scope="module", params=MEETINGS, ids=lambda path: path.name)
def meeting(request: pytest.FixtureRequest) -> LaidOut:
    folder: Path = request.param
    if not (folder / "meeting.yaml").is_file():
        pytest.skip(f"{folder.name} is not in this checkout")
    bundle, registry = load_bundle(folder, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, folder),
                         meeting_dir=folder.resolve())


def _pages(laid: LaidOut) -> list[Page]:
    return [*laid.cover.pages, *(page for _, document in laid.materials for page in document.pages)]


def test_at_most_two_pages_use_under_30_percent_and_they_are_section_pages(meeting: LaidOut) -> None:
    sparse = [page for page in _pages(meeting) if page_fill(page).used < 0.3]
    assert len(sparse) <= 2, [(p.material_id, p.number, round(page_fill(p).used, 2)) for p in sparse]
    for page in sparse:  # a section title page: its title in the body, no title rule
        assert not any(isinstance(item, Rule) and item.role == "title_rule" for item in page.items), page.number


def test_the_median_page_uses_60_percent(meeting: LaidOut) -> None:
    assert statistics.median(page_fill(page).used for page in _pages(meeting)) >= 0.6


def test_no_text_under_10_5_points_and_no_short_last_lines(meeting: LaidOut) -> None:
    for page in _pages(meeting):
        fill = page_fill(page)
        assert fill.smallest is None or fill.smallest >= SMALL_SIZE, (page.material_id, page.number, fill.smallest)
        assert fill.short == (), (page.material_id, page.number, fill.short)


def test_every_body_text_of_a_slide_has_one_size(meeting: LaidOut) -> None:
    """Body text (role ``text``) shares its slide's size; only tables' and charts' own labels, figures'
    values and the cover differ."""
    for _, document in meeting.materials:
        for page in document.pages:
            sizes = {item.size for item in page.items if isinstance(item, TextBlock) and item.role == "text"
                     and " value" not in item.name and " unit" not in item.name}
            assert len(sizes) <= 1, (page.material_id, page.number, sizes)

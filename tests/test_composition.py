"""Composition decided by the layout: boxes sized to their text, body text that grows on a sparse
slide (and only there), rows that share their height, grids that centre or re-flow, nothing under
10.5 pt. Checked on laid-out pages, without rendering."""
from __future__ import annotations

from pathlib import Path

import pytest

from council_materials.layout.context import SMALL_SIZE
from council_materials.layout.primitives import Arrow, Box, Page, Rect, TextBlock
from council_materials.layout.sizing import MAX_LEADING
from council_materials.models import (BulletsSlide, CardsSlide, ComparisonSlide, FiguresSlide, PanelsSlide,
                                      RoadmapSlide, TableSlide, Theme)
from council_materials.testing import layout_slides

from filled import PICTURE, write_picture

LONG = "インフラ整備におけるDX・AIの活用と働き方改革により、生産性・安全性・品質の向上と技術継承を図る"


def page_of(slide, theme: Theme | None = None, meeting_dir: Path = Path(".")) -> Page:  # type: ignore[no-untyped-def]
    [page] = layout_slides([slide], theme=theme, meeting_dir=meeting_dir)
    return page


def blocks(page: Page, role: str = "text") -> list[TextBlock]:
    return [item for item in page.items if isinstance(item, TextBlock) and item.role == role]


def boxes(page: Page, prefix: str) -> list[Box]:
    return [item for item in page.items if isinstance(item, Box) and item.name.startswith(prefix)
            and item.name.count(" ") == prefix.count(" ") + 1]


def test_a_slide_with_little_text_grows_up_to_the_theme_maximum() -> None:
    sparse = page_of(BulletsSlide(title="進め方", items=["各局の取組を共有する", "部会ごとに検討する"]))
    dense = page_of(BulletsSlide(title="課題", items=[LONG] * 30))
    assert blocks(sparse)[0].size == Theme().largest == 21.0  # 1.75 × 12 pt
    assert blocks(sparse)[0].leading > blocks(sparse)[0].size * 1.3  # and its lines opened up
    assert blocks(dense)[0].size == 12.0 and blocks(dense)[0].leading == pytest.approx(12 * 1.3)
    middle = page_of(BulletsSlide(title="課題", items=[LONG] * 12))
    assert 12.0 < blocks(middle)[0].size < 21.0  # as large as one line a bullet allows, then the lines open up
    assert blocks(middle)[0].leading == pytest.approx(MAX_LEADING * blocks(middle)[0].size)


def test_a_theme_can_keep_every_slide_at_its_base_size() -> None:
    page = page_of(BulletsSlide(title="進め方", items=["各局の取組を共有する"]), Theme(max_size=12))
    assert blocks(page)[0].size == 12.0


def test_the_theme_refuses_a_maximum_below_the_base() -> None:
    with pytest.raises(ValueError, match="max_size"):
        Theme(base_size=12, max_size=10)


def test_panels_are_as_high_as_their_text_and_a_row_shares_one_height() -> None:
    slide = PanelsSlide(title="将来像", columns=2, panels=[
        {"heading": "計画Phase", "items": [LONG, LONG, LONG]}, {"heading": "設計Phase", "items": ["短い"]},
        {"heading": "施工Phase", "items": [LONG]}, {"heading": "維持管理Phase", "items": [LONG, "短い"]}])
    page = page_of(slide)
    panels = boxes(page, "panel")
    assert len(panels) == 4
    assert panels[0].rect.h == panels[1].rect.h and panels[2].rect.h == panels[3].rect.h  # a row: one height
    assert panels[0].rect.h > panels[2].rect.h  # rows as high as their text, not stretched alike
    texts = {b.name: b for b in blocks(page)}
    assert panels[0].rect.bottom - 12 < texts["panel 1"].rect.bottom < panels[0].rect.bottom  # the fuller one is full
    top, bottom = panels[0].rect.y - page.body.y, page.body.bottom - panels[-1].rect.bottom
    assert top == pytest.approx(bottom, abs=0.5)  # what is left is balanced above and below


def test_a_last_row_with_fewer_cards_is_centred() -> None:
    cards = [{"heading": f"取組{n}", "fields": [{"label": "①目的", "text": LONG * 2}]} for n in range(3)]
    page = page_of(CardsSlide(title="取組", columns=2, cards=cards))
    first, second, third = boxes(page, "card")
    assert third.rect.y > first.rect.y and third.rect.w == first.rect.w
    assert third.rect.x + third.rect.w / 2 == pytest.approx(page.body.x + page.body.w / 2, abs=0.5)


def test_short_cards_in_many_columns_are_re_flowed_into_fewer() -> None:
    cards = [{"heading": f"取組{n}", "fields": [{"label": "①目的", "text": "短い"}]} for n in range(2)]
    page = page_of(CardsSlide(title="取組", columns=2, cards=cards))
    first, second = boxes(page, "card")
    assert first.rect.w == pytest.approx(page.body.w) and second.rect.y > first.rect.bottom  # one column


def test_figures_five_are_three_and_two_centred() -> None:
    figures = [{"label": f"指標{n}", "value": str(n * 10), "unit": "件"} for n in range(1, 6)]
    page = page_of(FiguresSlide(title="実績", figures=figures))
    cards = boxes(page, "figure")
    assert [round(c.rect.y) for c in cards].count(round(cards[0].rect.y)) == 3
    last_row = cards[3:]
    middle = (last_row[0].rect.x + last_row[1].rect.right) / 2
    assert middle == pytest.approx(page.body.x + page.body.w / 2, abs=0.5)


def test_empty_roadmap_steps_shrink_and_the_goal_column_widens() -> None:
    def widths(page: Page) -> dict[str, float]:
        return {b.name: b.rect.w for b in page.items if isinstance(b, Box) and b.name in
                ("step 1", "step 2", "step 3", "goal heading")}

    mixed = page_of(RoadmapSlide(title="ロードマップ", rows=[
        {"label": "点検", "steps": ["試行", "拡大", None], "goal": "効率化"},
        {"label": "共有", "steps": ["整理", None, None], "goal": "活用"}]))
    heading = next(b for b in mixed.text_blocks() if b.name == "step 3")
    assert len(heading.lines) == 1 and widths(mixed)["step 3"] == pytest.approx(heading.lines[0].width + 16, abs=3)
    assert widths(mixed)["step 3"] < 0.6 * widths(mixed)["step 2"] and widths(mixed)["step 1"] == widths(mixed)["step 2"]
    empty = page_of(RoadmapSlide(title="ロードマップ", rows=[
        {"label": "", "steps": [None, None, None], "goal": "データ共有"},
        {"label": "", "steps": [None, None, None], "goal": "効率化"}]))
    assert widths(empty)["goal heading"] > 0.5 * empty.body.w  # the goals take what the steps gave up


def test_the_comparison_arrow_text_is_drawn_with_its_arrow() -> None:
    slide = ComparisonSlide(title="働き方改革", arrow="令和7年度の取組", left={"heading": "現状", "items": ["課題"]},
                            right={"heading": "将来像", "items": ["目標"]})
    page = page_of(slide)
    arrow = next(item for item in page.items if isinstance(item, Arrow))
    [label] = [b for b in blocks(page) if b.name == "arrow"]
    assert "".join(line.text for line in label.lines) == "令和7年度の取組"
    assert label.role == "text" and label.group == arrow.group == "arrow"
    assert label.rect.bottom <= arrow.rect.y and label.rect.x <= arrow.rect.x < arrow.rect.right <= label.rect.right


def test_a_short_table_opens_its_rows_a_long_one_does_not() -> None:
    short = page_of(TableSlide(title="取組", table={"rows": [["取組", "区分"], ["広報の強化", "継続"]]}))
    [table] = [item for item in short.items if item.role == "table"]
    assert table.row_heights[1] > 2 * table.row_heights[0]
    long = page_of(TableSlide(title="一覧", table={"rows": [["番号", "件名"], *([["1", LONG]] * 14)]}))
    [table] = [item for item in long.items if item.role == "table"]
    assert max(table.row_heights[1:]) == pytest.approx(min(table.row_heights[1:]))


def test_pictures_take_only_the_room_they_can_use(tmp_path: Path) -> None:
    """A row with a picture is as high as the picture at its width: the rest is the text's to grow into."""
    write_picture(tmp_path)  # 3:2
    slide = PanelsSlide(title="研修", columns=2, panels=[{"heading": "概要", "items": ["実習で学ぶ"]},
                                                       {"photos": [{"path": PICTURE, "caption": "様子"}]}])
    page = page_of(slide, meeting_dir=tmp_path)
    picture = next(item for item in page.items if item.role == "figure")
    panel = boxes(page, "panel")[1]
    assert picture.rect.w == pytest.approx(panel.rect.w - 12, abs=0.5)  # as wide as it can be
    assert panel.rect.h < page.body.h * 0.8  # and the panel not stretched to the page
    assert blocks(page)[0].size > 12.0  # so the text grew


def test_no_frame_or_caption_text_is_under_10_5_points(tmp_path: Path) -> None:
    write_picture(tmp_path)
    slide = PanelsSlide(header="令和7年度 東京都技術会議", title="研修", notes=["※ 注記"],
                        panels=[{"heading": "概要", "items": ["実習"], "photos": [{"path": PICTURE, "caption": "様子"}],
                                 "charts": [{"categories": ["R6"], "series": [{"name": "件数", "values": [3]}],
                                             "title": "件数", "note": "注"}]}])
    page = page_of(slide, meeting_dir=tmp_path)
    assert min(block.size for block in page.text_blocks()) >= SMALL_SIZE


def test_the_size_chosen_for_a_slide_is_kept_for_its_next_layout(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """An unchanged slide is laid out once, at the size chosen before, with the same pages; a changed
    one is searched again."""
    from council_materials.layout import sizing

    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache"))
    searched: list[int] = []
    real = sizing.grown
    monkeypatch.setattr(sizing, "grown", lambda *args: searched.append(1) or real(*args))
    slide = BulletsSlide(title="進め方", items=["各局の取組を共有する", "部会ごとに検討する"])
    first = page_of(slide)
    again = page_of(slide)
    assert len(searched) == 1 and again == first
    page_of(slide.model_copy(update={"items": ["各局の取組を共有する"]}))
    assert len(searched) == 2
    assert len(list((tmp_path / "cache" / "sizes").iterdir())) == 1  # one entry for the material


def test_a_last_row_of_pictures_or_charts_is_centred(tmp_path: Path) -> None:
    from council_materials.layout.context import LayoutContext
    from council_materials.layout.pictures import photo_grid
    from council_materials.models import ChartSlide, Photo
    from council_materials.typography.fonts import default_font_pair
    from council_materials.typography.linebreak import LineBreaker

    write_picture(tmp_path)
    fonts = default_font_pair()
    ctx = LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path, material="m")
    photos = [Photo(path=PICTURE, caption=f"写真{n}") for n in range(3)]
    area = Rect(100, 100, 400, 300)
    pictures = [item for item in photo_grid(ctx, photos, area, "grid", columns=2) if item.role == "figure"]
    assert pictures[2].rect.y > pictures[0].rect.bottom  # two rows: the third picture alone, centred
    assert pictures[2].rect.x + pictures[2].rect.w / 2 == pytest.approx(area.x + area.w / 2, abs=0.5)
    chart = {"categories": ["R6", "R7"], "series": [{"name": "件数", "values": [3, 5]}]}
    page = page_of(ChartSlide(title="件数", columns=2, charts=[chart] * 3))
    charts = [item for item in page.items if item.role == "figure"]
    assert charts[2].rect.y > charts[0].rect.bottom
    assert charts[2].rect.x + charts[2].rect.w / 2 == pytest.approx(page.body.x + page.body.w / 2, abs=1)

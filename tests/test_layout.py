"""Layout without rendering: positions of text, bullets, tables, the page frame and the cover sheet."""
from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from council_materials.pipeline import load_bundle
from council_materials.errors import OverflowError_
from council_materials.layout.blocks import table
from council_materials.layout.context import LEADING, LayoutContext, ParaSpec
from council_materials.layout.cover import era_date, layout_cover
from council_materials.layout.frame import MARGIN, PAGE_SIZES, frame_page
from council_materials.layout.kinds import BUILTIN_KINDS
from council_materials.layout.primitives import Box, Rect, Rule, TextBlock
from council_materials.models import BulletItem, BulletsSlide, Cell, TableData, Theme
from council_materials.plugins import get_plugin_manager
from council_materials.typography.linebreak import LineBreaker

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "council-120"
LONG = "東京都技術会議では、DX・AIの活用と建設業等の働き方改革に向けた取組を各局が連携して推進している。" * 2


@pytest.fixture
def make_ctx(fonts, tmp_path):
    def make(theme: Theme | None = None) -> LayoutContext:
        return LayoutContext(theme=theme or Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path,
                             material="資料2 (dx)", page=3)
    return make


@pytest.fixture
def ctx(make_ctx) -> LayoutContext:
    return make_ctx()


def test_set_text_positions(ctx):
    rect = Rect(50, 100, 200, 400)
    block = ctx.set_text(LONG, rect, size=12, name="body", source="items")
    lines = block.lines
    assert len(lines) > 3
    assert (block.rect.x, block.rect.y, block.rect.w) == (50, 100, 200)
    assert block.leading == pytest.approx(12 * LEADING) and block.rect.h == pytest.approx(len(lines) * block.leading)
    assert 100 < lines[0].baseline <= 100 + block.leading
    for upper, lower in zip(lines, lines[1:]):
        assert lower.baseline - upper.baseline == pytest.approx(block.leading, abs=0.002)
    for line in lines:
        assert line.x == 50 and line.width <= 200
        assert line.runs[0].x == line.x
        for run, after in zip(line.runs, line.runs[1:]):
            assert after.x == pytest.approx(run.x + run.width, abs=0.002)
    assert "".join(line.text for line in lines) == LONG
    assert (block.name, block.source, block.color) == ("body", "items", Theme().text_color)


def test_indents(ctx):
    para = ParaSpec(((LONG, False),), indent_first=10, indent_rest=24)
    block = ctx.set_text([para], Rect(0, 0, 220, 500), size=12)
    first, *rest = block.lines
    assert first.x == 10 and rest and all(line.x == 24 for line in rest)
    assert first.width <= 210 and all(line.width <= 196 for line in rest)
    assert block.paragraphs[0].indent_first == 10 and block.paragraphs[0].indent_rest == 24


@pytest.mark.parametrize("align", ["center", "right"])
def test_aligned_lines(ctx, align):
    rect = Rect(30, 40, 300, 200)
    block = ctx.set_text("短い行\n" + LONG, rect, size=12, align=align)
    for line in block.lines:
        if align == "center":
            assert line.x == pytest.approx(30 + (300 - line.width) / 2, abs=0.002)
        else:
            assert line.x + line.width == pytest.approx(330, abs=0.002)


@pytest.mark.parametrize("valign, top", [("top", 40.0), ("middle", 40 + (200 - 12 * LEADING) / 2),
                                         ("bottom", 240 - 12 * LEADING)])
def test_vertical_alignment(ctx, valign, top):
    block = ctx.set_text("一行", Rect(30, 40, 300, 200), size=12, valign=valign)
    assert block.rect.y == pytest.approx(top)


def test_bold_markup_and_paragraphs(ctx):
    block = ctx.set_text("前**強調**後\n次の段落", Rect(0, 0, 300, 100), size=12)
    assert len(block.paragraphs) == 2
    assert [(r.text, r.bold) for r in block.lines[0].runs] == [("前", False), ("強調", True), ("後", False)]


def test_bullets_hang(ctx, fonts):
    items = [LONG, BulletItem(text="親", children=[LONG]), "①目的を明確にする", "※ 注記"]
    paras = ctx.bullets(items, 12)
    dot = fonts.regular.width("・", 12)
    assert paras[0].runs[0] == ("・", False) and (paras[0].indent_first, paras[0].indent_rest) == (0, dot)
    assert paras[2].runs[0] == ("◦", False)  # a nested bullet's mark reads as no minus sign
    assert (paras[2].indent_first, paras[2].indent_rest) == (12, 12 + fonts.regular.width("◦", 12))
    assert paras[3].runs[0][0].startswith("①") and paras[3].indent_rest == fonts.regular.width("①", 12)
    assert paras[4].indent_rest == fonts.regular.width("※ ", 12)
    block = ctx.set_text(paras, Rect(10, 10, 240, 600), size=12)
    first_para, _, child = block.paragraphs[:3]
    assert first_para.lines[0].text.startswith("・") and len(first_para.lines) > 1
    assert all(line.x == pytest.approx(10 + dot, abs=0.002) for line in first_para.lines[1:])
    assert child.lines[0].x == 22
    assert all(line.x == pytest.approx(22 + fonts.regular.width("◦", 12), abs=0.002) for line in child.lines[1:])


def test_overflow_names_material_page_box_field_and_amount(ctx):
    rect = Rect(0, 0, 200, 40)
    with pytest.raises(OverflowError_) as info:
        ctx.set_text(LONG, rect, size=12, name="summary", source="panels[0].text")
    error = info.value
    needed = len(ctx._lines(ctx.paras(LONG), 200, 12)[0]) * 12 * LEADING
    assert (error.material, error.page, error.box, error.source) == ("資料2 (dx)", 3, "summary", "panels[0].text")
    assert error.needed == pytest.approx(needed) and error.available == 40
    message = str(error)
    assert message.startswith("資料2 (dx), page 3, box 'summary', field panels[0].text: text does not fit")
    assert f"needs {needed:.1f} pt but the box has 40.0 pt ({needed - 40:.1f} pt too much)" in message


def test_box_narrower_than_a_character_is_an_overflow(ctx):
    with pytest.raises(OverflowError_, match="box 'tag'"):
        ctx.set_text("会議", Rect(0, 0, 5, 100), size=12, name="tag")


def test_min_size_shrinks_instead(make_ctx):
    rect = Rect(0, 0, 200, 12 * LEADING * 4)
    with pytest.raises(OverflowError_):
        make_ctx(Theme(base_size=12)).set_text(LONG, rect)
    block = make_ctx(Theme(base_size=12, min_size=7)).set_text(LONG, rect)
    assert 7 <= block.size < 12 and (12 - block.size) % 0.5 == 0
    assert block.leading == pytest.approx(block.size * LEADING)
    assert block.rect.h <= rect.h + 0.01 and all(line.width <= 200 for line in block.lines)
    bigger = block.size + 0.5
    assert len(make_ctx(Theme()).breaker.break_runs(((LONG, False),), 200, bigger)) * bigger * LEADING > rect.h
    with pytest.raises(OverflowError_):
        make_ctx(Theme(base_size=12, min_size=11)).set_text(LONG, rect)


# -- tables ---------------------------------------------------------------------------------
def cell_at(result, row, col):
    return next(c for c in result.cells if (c.row, c.col) == (row, col))


@pytest.mark.parametrize("widths", [None, [1, 2, 1]])
@pytest.mark.parametrize("width", [300.0, 760.0])
def test_table_columns_fill_the_width(ctx, widths, width):
    data = TableData(rows=[["区分", "人数", "備考"], ["採用", "1,635名", "前年比 +12.5%"]], widths=widths)
    result = table(ctx, data, Rect(20, 30, width, 400), "table")
    assert sum(result.col_widths) == pytest.approx(width)
    assert result.rect.w == pytest.approx(width) and result.rect.h == pytest.approx(sum(result.row_heights))
    if widths:
        assert result.col_widths[1] == pytest.approx(2 * result.col_widths[0])


def test_table_merged_cells_numbers_and_header(ctx):
    data = TableData(rows=[
        [Cell(text="区分", colspan=2), "実績"],
        [Cell(text="技術職", rowspan=2), "土木", "1,635名"],
        ["建築", "約99都市"],
        ["事務", None, "説明の文章"],
    ])
    result = table(ctx, data, Rect(20, 30, 500, 400), "table")
    xs = [20 + sum(result.col_widths[:i]) for i in range(4)]
    ys = [30 + sum(result.row_heights[:i]) for i in range(5)]
    merged = cell_at(result, 0, 0)
    assert (merged.colspan, merged.rect.x, merged.rect.w) == (2, 20, pytest.approx(xs[2] - 20))
    tall = cell_at(result, 1, 0)
    assert tall.rect.y == pytest.approx(ys[1]) and tall.rect.h == pytest.approx(ys[3] - ys[1])
    assert cell_at(result, 2, 1).text.lines[0].text == "建築" and cell_at(result, 2, 1).rect.x == pytest.approx(xs[1])
    assert cell_at(result, 3, 1).text is None and cell_at(result, 3, 2).text.lines[0].text == "説明の文章"
    assert {(c.row, c.col) for c in result.cells} == {(0, 0), (0, 2), (1, 0), (1, 1), (1, 2), (2, 1), (2, 2),
                                                      (3, 0), (3, 1), (3, 2)}
    assert cell_at(result, 1, 2).text.align == "right" and cell_at(result, 2, 2).text.align == "right"
    assert cell_at(result, 1, 1).text.align == "left" and cell_at(result, 3, 2).text.align == "left"
    header = cell_at(result, 0, 2)
    assert header.header and header.fill == Theme().accent and header.text.color == "FFFFFF"
    assert header.text.align == "center" and all(r.bold for r in header.text.lines[0].runs)
    assert not cell_at(result, 1, 1).header and cell_at(result, 1, 1).fill is None
    for c in result.cells:
        if c.text:
            assert c.rect.x < c.text.rect.x and c.text.rect.right < c.rect.right
            assert c.rect.y <= c.text.rect.y and c.text.rect.bottom <= c.rect.bottom + 0.01


def test_table_too_tall_names_the_table(ctx):
    data = TableData(rows=[["見出し"]] + [[f"行{i}"] for i in range(30)])
    with pytest.raises(OverflowError_, match="box 'table'.*field table.rows"):
        table(ctx, data, Rect(0, 0, 300, 100), "table")


# -- page frame -----------------------------------------------------------------------------
KINDS = {kind.name: kind for kind in BUILTIN_KINDS}


def test_frame_page(ctx):
    width, height = PAGE_SIZES["a4-landscape"]
    slide = BulletsSlide(header="令和6年度 活動報告", title="DX・AIの活用", items=["a"], notes=["※ 出典：事務局"])
    frame = frame_page(ctx, slide, kind=KINDS["bullets"], label="資料3", page=2, pages=5,
                       meeting_title="第120回 東京都技術会議", width=width, height=height)
    blocks = {item.name: item for item in frame.items + frame.after if isinstance(item, TextBlock)}
    assert [item.name for item in frame.after] == ["notes"]  # drawn and read after the body
    [stamp] = [item for item in frame.items if isinstance(item, Box) and item.name == "stamp"]
    assert stamp.rect.right == pytest.approx(width - MARGIN) and stamp.rect.y < MARGIN and stamp.stroke
    assert blocks["stamp"].lines[0].text == "資料3" and blocks["stamp"].lines[0].runs[0].bold
    stamp_line = blocks["stamp"].lines[0]
    assert stamp.rect.x < stamp_line.x and stamp_line.x + stamp_line.width < stamp.rect.right
    assert blocks["footer"].lines[0].text == "第120回 東京都技術会議"
    number = blocks["page number"].lines[0]
    assert number.text == "資料3  2 / 5" and number.x + number.width == pytest.approx(width - MARGIN, abs=0.01)
    assert blocks["footer"].rect.y > height - MARGIN and blocks["footer"].lines[0].x == MARGIN
    assert blocks["title"].lines[0].text == "DX・AIの活用" and blocks["title"].color == Theme().accent
    assert blocks["header"].lines[0].text == "令和6年度 活動報告"
    assert any(isinstance(item, Rule) for item in frame.items)
    body = frame.body
    assert body.y > blocks["title"].rect.bottom and body.bottom < blocks["notes"].rect.y
    assert blocks["notes"].rect.bottom < blocks["footer"].rect.y
    assert (body.x, body.right) == (MARGIN, pytest.approx(width - MARGIN))


def test_a_kind_that_draws_its_title_gets_neither_title_nor_subtitle_from_the_frame(ctx):
    """The frame asks the kind (``SlideKind.draws_title``), never its name: the core's section says so, and a
    bullets kind that said so would be treated the same."""
    width, height = PAGE_SIZES["a4-landscape"]
    slide = BulletsSlide(header="令和6年度", title="結び", subtitle="副題", items=["a"])

    def framed(kind):  # type: ignore[no-untyped-def]
        frame = frame_page(ctx, slide, kind=kind, label="資料3", page=1, pages=1, meeting_title="会議", width=width,
                           height=height)
        return frame, {item.role for item in frame.items}
    plain, roles = framed(KINDS["bullets"])
    assert {"title", "subtitle", "title_rule", "header", "stamp"} <= roles
    assert KINDS["section"].draws_title and not KINDS["bullets"].draws_title
    for kind in (KINDS["section"], replace(KINDS["bullets"], draws_title=True)):
        own, roles = framed(kind)
        assert not roles & {"title", "subtitle", "title_rule"} and {"header", "stamp"} <= roles
        assert own.body.y < plain.body.y and own.body.bottom == plain.body.bottom


# -- cover sheet ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cover_texts(fonts):
    bundle, _ = load_bundle(EXAMPLE, get_plugin_manager())
    ctx = LayoutContext(theme=bundle.meeting.theme, fonts=fonts, breaker=LineBreaker(fonts),
                        meeting_dir=EXAMPLE, material="会議次第 (cover)")
    pages = layout_cover(bundle, ctx)
    blocks = [(page.number, "".join(line.text for line in block.lines).replace(" ", ""))
              for page in pages for block in page.text_blocks()]
    return bundle, pages, blocks


def test_cover_has_date_time_roster_agenda_and_materials(cover_texts):
    bundle, pages, blocks = cover_texts
    assert all((page.width, page.height) == (595.28, 841.89) for page in pages)
    texts = [text for _, text in blocks]
    assert "令和7年2月20日(木)16:00～17:00" in texts
    assert "第120回東京都技術会議" in texts
    roster = bundle.roster
    people = [roster.chair, *roster.vice_chairs, *roster.members, *roster.observers]
    assert len(people) == 1 + 2 + 10 + 8
    for person in people:
        assert any(person.name.replace(" ", "") in text for text in texts), person.name
    for topic in bundle.meeting.agenda.topics:
        assert any(topic.title.replace(" ", "") in text for text in texts), topic.title
        for point in topic.points:
            assert any(point.replace(" ", "") in text for text in texts), point
    labels = [m.label for m in bundle.materials]
    assert labels == [f"資料{i}" for i in range(1, 8)] + ["参考"]
    for material in bundle.materials:
        assert material.label in texts and material.title in texts
    assert {number for number, _ in blocks} == {page.number for page in pages} == {1, 2}


@pytest.mark.parametrize("day, text", [
    (dt.date(2025, 2, 20), "令和7年2月20日(木)"),
    (dt.date(2019, 5, 1), "令和元年5月1日(水)"),
    (dt.date(2020, 1, 1), "令和2年1月1日(水)"),
    (dt.date(2019, 4, 30), "平成31年4月30日(火)"),
    (dt.date(1989, 1, 8), "平成元年1月8日(日)"),
    (dt.date(2000, 12, 31), "平成12年12月31日(日)"),
])
def test_era_date(day, text):
    assert era_date(day) == text

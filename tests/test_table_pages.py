"""A table too long for its page continues on the next pages, in both outputs.

Rows are cut between pages, never inside a ``rowspan``; every page repeats the header
rows and its title gets 「（続き）」; page numbers count the extra pages. Checked on the
laid-out pages, then in the PDF (pdfminer) and the PPTX (python-pptx) of a real build.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from council_materials.build import build
from council_materials.errors import OverflowError_
from council_materials.layout.primitives import Page, Table
from council_materials.models import Cell, TableSlide, Theme
from council_materials.plugins import get_plugin_manager
from council_materials.testing import layout_slides

from meetings import MEETING, write_meeting
from readback import squash

HEADER = ["番号", "件名", "件数"]


def rows(count: int, group_at: int | None = None) -> list[list]:
    """``count`` body rows; with ``group_at``, a 区分 cell joining three rows starts at that body row."""
    body: list[list] = []
    for n in range(1, count + 1):
        first: object = f"第{n}号"
        if group_at is not None and n == group_at:
            first = Cell(text="区分A", rowspan=3)
        elif group_at is not None and group_at < n < group_at + 3:
            body.append([f"東京都技術会議の資料{n}番", f"{n * 37:,}件"])
            continue
        body.append([first, f"東京都技術会議の資料{n}番", f"{n * 37:,}件"])
    return [HEADER, *body]


def table_of(page: Page) -> Table:
    (table,) = [item for item in page.items if isinstance(item, Table)]
    return table


def texts(page: Page) -> dict[str, str]:
    return {block.name: "".join(line.text for line in block.lines) for block in page.text_blocks()}


def test_a_long_table_continues_with_its_header_and_titles(fonts) -> None:
    slide = TableSlide(title="長い表", items=["概要の箇条書き"], table={"rows": rows(72, group_at=24)})
    pages = layout_slides([slide], theme=Theme(base_size=8))  # 8 pt tables: three pages of 72 rows
    assert len(pages) == 3
    assert [texts(p)["title"] for p in pages] == ["長い表", "長い表（続き）", "長い表（続き）"]
    assert [texts(p)["page number"] for p in pages] == ["資料1  1 / 3", "資料1  2 / 3", "資料1  3 / 3"]
    assert "items" in texts(pages[0]) and "items" not in texts(pages[1])
    seen: list[str] = []
    for page in pages:
        table = table_of(page)
        header = sorted((c for c in table.cells if c.row == 0), key=lambda c: c.col)
        assert [c.text.lines[0].text for c in header] == HEADER and all(c.header for c in header)
        assert not any(c.header for c in table.cells if c.row > 0)
        body = [c for c in table.cells if c.row > 0 and c.col == 1]
        seen += [c.text.lines[0].text for c in sorted(body, key=lambda c: c.row)]
        assert table.rect.bottom < page.height - 28
    assert seen == [f"東京都技術会議の資料{n}番" for n in range(1, 73)]  # every row once, in order
    widths = {table_of(p).col_widths for p in pages}
    assert len(widths) == 1  # the same columns on every page
    first = table_of(pages[0])
    assert len(first.row_heights) == 1 + 23  # the group of rows 24–26 did not fit: it starts page 2
    group = next(c for c in table_of(pages[1]).cells if c.rowspan == 3)
    assert group.row == 1 and group.text.lines[0].text == "区分A"


def test_a_row_group_taller_than_a_page_names_the_table() -> None:
    slide = TableSlide(title="表", table={"rows": [HEADER, [Cell(text="全部", rowspan=40), "a", "1件"]]
                                          + [["a", "1件"]] * 39})
    with pytest.raises(OverflowError_, match="box 'table'"):
        layout_slides([slide])


def _meeting(tmp_path: Path, count: int) -> Path:
    body = "\n".join(f'        - [第{n}号, 東京都技術会議の資料{n}番, "{n * 37:,}件"]' for n in range(1, count + 1))
    plan = ("slides:\n  - kind: table\n    title: 長い表\n    table:\n      striped: true\n      rows:\n"
            f"        - [番号, 件名, 件数]\n{body}\n  - kind: bullets\n    title: 最後の頁\n    items: [まとめ]\n")
    return write_meeting(tmp_path, plan=plan, meeting=MEETING.replace("agenda:", "theme: {base_size: 8}\nagenda:"))


def test_both_outputs_repeat_the_header_on_each_of_three_pages(tmp_path: Path) -> None:
    result = build(_meeting(tmp_path, 72), tmp_path / "out", get_plugin_manager(load_entrypoints=False))
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    pages = [squash(page.extract_text()) for page in PdfReader(pdf).pages]
    assert len(pages) == 4
    for number, text in enumerate(pages[:3], 1):
        assert squash("".join(HEADER)) in text and f"{number}/4" in text
        assert ("長い表（続き）" in text) == (number > 1)
    assert "第1号" in pages[0] and "第72号" in pages[2] and "第72号" not in pages[1]
    assert "最後の頁" in pages[3] and "4/4" in pages[3]
    deck = Presentation(str(pdf.with_suffix(".pptx")))
    assert len(deck.slides) == 4
    counts = []
    for number, slide in enumerate(list(deck.slides)[:3], 1):
        (frame,) = [s for s in slide.shapes if s.has_table]
        grid = frame.table
        assert [grid.cell(0, c).text for c in range(3)] == HEADER
        counts.append(len(grid.rows) - 1)
        title = next(s for s in slide.shapes if s.name == "title").text_frame.text
        assert title == ("長い表（続き）" if number > 1 else "長い表")
    assert sum(counts) == 72 and counts[0] == counts[1] == pages[0].count("号東京都")
    last = list(deck.slides)[2].shapes
    assert next(s for s in last if s.has_table).table.cell(counts[2], 0).text == "第72号"


def test_a_table_of_2000_rows_builds(tmp_path: Path) -> None:
    result = build(_meeting(tmp_path, 2000), tmp_path / "out", get_plugin_manager(load_entrypoints=False),
                   formats=("pdf",))
    pdf = next(p for p in result.files if p.name.startswith("01_"))
    reader = PdfReader(pdf)
    total = len(reader.pages)
    per_page = squash(reader.pages[0].extract_text()).count("号東京都")
    assert per_page > 20 and total == 1 + -(-2000 // per_page)
    last_table = squash(reader.pages[total - 2].extract_text())
    assert squash("".join(HEADER)) in last_table and "第2000号" in last_table
    assert f"{total - 1}/{total}" in last_table and "長い表（続き）" in last_table

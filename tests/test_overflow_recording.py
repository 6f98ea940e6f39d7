"""A layout that records overflows instead of raising them (the preview's): the text is set anyway,
the overflow is noted with its box and the same error a build raises, and the part is laid out to its end."""
from __future__ import annotations

from pathlib import Path

import pytest

from council_materials.pipeline import read_inputs
from council_materials.errors import OverflowError_
from council_materials.layout.blocks import table
from council_materials.layout.context import LEADING, LayoutContext, Overflow
from council_materials.layout.document import layout_part
from council_materials.layout.primitives import Rect
from council_materials.layout.pictures import photo
from council_materials.models import Photo, TableData, Theme
from council_materials.typography.linebreak import LineBreaker

from meetings import PLAN, write_meeting

LONG = "東京都技術会議では、DX・AIの活用と建設業等の働き方改革に向けた取組を各局が連携して推進している。" * 2


def _ctx(fonts, tmp_path: Path, overflows: list[Overflow] | None) -> LayoutContext:
    return LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path,
                         material="資料2 (dx)", page=3, overflows=overflows, draft=True)


@pytest.mark.parametrize("valign", ["top", "middle", "bottom"])
def test_text_that_does_not_fit_is_set_from_the_box_top_and_noted(fonts, tmp_path: Path, valign: str) -> None:
    rect = Rect(50, 100, 200, 40)
    with pytest.raises(OverflowError_) as raised:
        _ctx(fonts, tmp_path, None).set_text(LONG, rect, size=12, name="summary", source="items", valign=valign)
    overflows: list[Overflow] = []
    block = _ctx(fonts, tmp_path, overflows).set_text(LONG, rect, size=12, name="summary", source="items",
                                                      valign=valign)
    assert len(overflows) == 1 and overflows[0].rect == rect and overflows[0].block == block
    assert str(overflows[0].error) == str(raised.value)  # the very message a build prints
    lines = block.lines
    assert block.rect.y == rect.y and block.rect.h == pytest.approx(len(lines) * 12 * LEADING)
    assert block.rect.bottom > rect.bottom and lines[-1].baseline > rect.bottom
    assert "".join(line.text for line in lines) == LONG  # nothing is cut off


def test_text_that_fits_records_nothing(fonts, tmp_path: Path) -> None:
    overflows: list[Overflow] = []
    block = _ctx(fonts, tmp_path, overflows).set_text("短い", Rect(0, 0, 200, 40), valign="middle")
    assert overflows == [] and block.rect.y > 0


def test_a_table_too_tall_is_laid_out_whole_and_noted(fonts, tmp_path: Path) -> None:
    data = TableData(rows=[["見出し"]] + [[f"行{i}"] for i in range(30)])
    overflows: list[Overflow] = []
    result = table(_ctx(fonts, tmp_path, overflows), data, Rect(0, 0, 300, 100), "table")
    assert len(result.cells) == 31 and result.rect.h > 100
    assert [(o.error.box, o.error.source, o.rect, o.block) for o in overflows] == \
        [("table", "table.rows", Rect(0, 0, 300, 100), None)]


def test_raising_overrides_recording_inside_and_restores_it(fonts, tmp_path: Path) -> None:
    overflows: list[Overflow] = []
    ctx = _ctx(fonts, tmp_path, overflows)
    with pytest.raises(OverflowError_):
        with ctx.raising():
            ctx.set_text(LONG, Rect(0, 0, 100, 20))
    ctx.set_text(LONG, Rect(0, 0, 100, 20))
    assert len(overflows) == 1


def test_a_picture_placeholder_never_records_its_own_text(fonts, tmp_path: Path) -> None:
    overflows: list[Overflow] = []
    ctx = _ctx(fonts, tmp_path, overflows)
    items = photo(ctx, Photo(path="images/missing.png"), Rect(0, 0, 60, 30), "photo")
    assert overflows == [] and len(ctx.placeholders) == 1
    assert items[0].name == "photo placeholder"


def test_a_material_is_laid_out_to_its_end_with_every_overflow_noted(fonts, tmp_path: Path, pm) -> None:
    long_items = "\n".join(f"      - {LONG}{i}" for i in range(16))
    plan = PLAN.replace("      - 一つ目の項目\n", long_items + "\n") + "  - kind: bullets\n    title: 三頁目\n    items:\n" \
        + long_items.replace("      - ", "      - 三") + "\n"
    root = write_meeting(tmp_path, plan)
    inputs, errors = read_inputs(root, pm)
    assert errors == [] and inputs is not None
    material = inputs.bundle.built()[0]
    options = dict(bundle=inputs.bundle, registry=inputs.registry, fonts=inputs.fonts,
                   breaker=LineBreaker(inputs.fonts), meeting_dir=root, draft=True)
    with pytest.raises(OverflowError_, match="page 1"):
        layout_part(material, **options)
    overflows: list[Overflow] = []
    document = layout_part(material, overflows=overflows, **options)
    assert len(document.pages) == 3
    assert [(o.error.page, o.error.box, o.error.source) for o in overflows] == [(1, "column 1", "items"),
                                                                               (3, "column 1", "items")]
    for overflow in overflows:
        page = document.pages[overflow.error.page - 1]
        assert overflow.block in page.items and overflow.error.needed > overflow.error.available

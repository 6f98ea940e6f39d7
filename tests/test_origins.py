"""``origins.find_origin``: a laid-out text found in the author's content by its value."""
from __future__ import annotations

import pytest

from council_materials.layout.primitives import TextBlock
from council_materials.origins import find_origin
from council_materials.testing import build_pages

from conftest import EXAMPLE

CONTENT = {
    "overview": ["令和6年度の主な取組と成果を報告します"],
    "systems": [
        {"name": "港湾施設情報システム", "purpose": "港湾施設の台帳と点検記録を**一元化**する"},
        {"name": "道路台帳", "purpose": "道路の台帳を電子化する"},
    ],
    "topics": [{"heading": "取組1", "points": ["庁舎の屋上に太陽光発電設備を設置", "年間の発電量を見込む"]}],
}


def test_a_box_equal_to_a_field_is_that_field() -> None:
    assert find_origin("道路台帳", CONTENT) == ("systems", 1, "name")


def test_markup_and_line_breaks_of_the_layout_are_ignored() -> None:
    assert find_origin("港湾施設の台帳と点検記録を\n一元化する", CONTENT) == ("systems", 0, "purpose")


def test_a_label_joined_to_a_field_is_the_field() -> None:
    assert find_origin("目的：港湾施設の台帳と点検記録を一元化する", CONTENT) == ("systems", 0, "purpose")


def test_a_box_of_several_fields_is_the_field_that_holds_them() -> None:
    box = "・庁舎の屋上に太陽光発電設備を設置\n・年間の発電量を見込む"
    assert find_origin(box, CONTENT) == ("topics", 0, "points")


def test_fields_with_nothing_in_common_but_the_file_give_the_longest() -> None:
    box = "令和6年度の主な取組と成果を報告します 道路の台帳を電子化する"
    assert find_origin(box, CONTENT) == ("overview", 0)


def test_part_of_a_field_is_that_field() -> None:
    assert find_origin("点検記録を一元化", CONTENT) == ("systems", 0, "purpose")


@pytest.mark.parametrize("box", ["", "・", "続き", "資料1"])
def test_text_the_author_did_not_write_has_no_origin(box: str) -> None:
    assert find_origin(box, CONTENT) is None


@pytest.mark.parametrize("meeting", ["council-120", "council-121"])
@pytest.mark.parametrize("material", ["dx", "international", "talent", "wa"])
def test_every_text_box_of_the_working_groups_materials_is_found_in_its_content(meeting: str, material: str) -> None:
    """Each plugin's builder copies, joins and splits content its own way; the boxes the author's text
    went into are found in the content file all the same (the frame's title, header and stamp are the
    meeting's, and a plugin's own labels are its own)."""
    from council_materials.loading import load_yaml

    path = EXAMPLE.parent / meeting / "content" / f"{material}.yaml"
    content, _ = load_yaml(path)
    pages = build_pages(material, path)
    boxes = [item for page in pages for item in page.items
             if isinstance(item, TextBlock) and item.role not in ("stamp", "header", "footer", "page_number")]
    texts = ["".join(line.text for line in box.lines) for box in boxes]
    found = [text for text in texts if find_origin(text, content) is not None]
    assert len(found) >= 0.8 * len(texts), [text for text in texts if text not in found][:10]

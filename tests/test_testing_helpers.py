"""council_materials.testing: what plugin authors use in their own tests."""
from __future__ import annotations

import shutil

import pytest

from council_materials.errors import OverflowError_
from council_materials.layout.primitives import Picture
from council_materials.models import BulletsSlide
from council_materials.testing import (assert_no_overflow, build_context, build_pages, build_slides, layout_slides,
                                      meeting_folder)

from conftest import EXAMPLE


def test_build_and_lay_out_a_plugins_example_content() -> None:
    slides = build_slides("wa", EXAMPLE / "content" / "wa.yaml")
    assert [s.kind for s in slides] == ["panels", "cards"]
    pages = layout_slides(slides, meeting_dir=EXAMPLE)
    assert len(pages) == 2
    assert any(isinstance(item, Picture) for item in pages[0].items)
    assert [b.lines[0].text for b in pages[0].text_blocks() if b.name == "stamp"] == ["資料1"]


def test_build_slides_from_a_dict_with_the_slides_type() -> None:
    slides = build_slides("slides", {"slides": [{"kind": "bullets", "title": "題", "items": ["一", "二"]}]})
    assert slides == [BulletsSlide(title="題", items=["一", "二"])]


def test_layout_slides_raises_on_overflow_as_a_build_would() -> None:
    crowded = BulletsSlide(title="多すぎる", items=[f"項目{i}：" + "あ" * 60 for i in range(60)])
    with pytest.raises(OverflowError_, match="box 'column 1', field items"):
        layout_slides([crowded])


def test_build_context_names_the_material() -> None:
    ctx = build_context("dx", "dx", label="資料3")
    assert ctx.label == "資料3" and ctx.entry.id == "dx" and ctx.meeting.title == "第1回 テスト会議"


def test_build_pages_validates_builds_and_lays_out_a_content_file() -> None:
    pages = build_pages("wa", EXAMPLE / "content" / "wa.yaml")  # pictures found from the file's meeting folder
    assert len(pages) == 2 and any(isinstance(item, Picture) for item in pages[0].items)
    assert build_pages("slides", {"slides": [{"kind": "section", "title": "第1部"}]})[0].number == 1


def test_assert_no_overflow_returns_the_pages_or_fails_naming_the_box() -> None:
    assert len(assert_no_overflow([BulletsSlide(title="短い", items=["一"])])) == 1
    crowded = BulletsSlide(title="多すぎる", items=[f"項目{i}：" + "あ" * 60 for i in range(60)])
    named = r"text overflows: 資料1 \(material\), page 1, box 'column 1', field items"
    with pytest.raises(AssertionError, match=named):
        assert_no_overflow([crowded])


def test_registered_material_types_of_one_plugin() -> None:
    from council_wa import plugin

    from council_materials.testing import registered_material_types

    assert [t.name for t in registered_material_types(plugin)] == ["wa"]


def test_validation_errors_lists_what_the_model_refuses_and_fails_on_valid_data() -> None:
    from council_materials.models import Person
    from council_materials.testing import validation_errors

    errors = validation_errors(Person, {"post": "局長", "name": 5, "specialty": "土木", "extra": 1})
    assert {(error["loc"], error["type"]) for error in errors} == {(("name",), "string_type"),
                                                                  (("extra",), "extra_forbidden")}
    with pytest.raises(AssertionError, match="Person accepted"):
        validation_errors(Person, {"post": "局長", "name": "都 太郎", "specialty": "土木"})


def test_pictures_are_found_in_the_content_files_meeting_wherever_the_test_runs(tmp_path, monkeypatch) -> None:
    meeting = tmp_path / "meeting"
    shutil.copytree(EXAMPLE.parent / "council-121", meeting)
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")  # as a plugin's tests run from its repository's root
    slides = build_slides("slides", meeting / "content" / "plan-r7.yaml")
    assert slides.meeting_dir == meeting.resolve()
    pages = assert_no_overflow(slides)
    assert any(isinstance(item, Picture) for page in pages for item in page.items)


def test_meeting_folder_of_a_plugins_sample_content_is_its_project(tmp_path) -> None:
    (tmp_path / "content").mkdir()
    assert meeting_folder(tmp_path / "content" / "kankyo.yaml") == tmp_path.resolve()

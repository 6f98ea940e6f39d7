"""The dx content model: the example validates; bad documents fail at the right field path."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from council_materials.loading import load_yaml
from council_materials.testing import validation_errors
from council_dx.models import DxContent

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "council-120" / "content" / "dx.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return load_yaml(EXAMPLE)[0]


def test_example_validates(document: dict[str, Any]) -> None:
    content = DxContent.model_validate(document)
    assert [phase.name for phase in content.phases] == ["計画Phase", "設計Phase", "施工Phase", "維持管理Phase"]
    assert len(content.initiatives) == 15
    assert content.pages.roadmap.steps == ["STEP 1", "STEP 2", "STEP 3"]
    assert content.card_labels.purpose == "①目的："


def test_example_schema_comment() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/dx.schema.json"


def test_every_photo_lives_under_images_dx(document: dict[str, Any]) -> None:
    content = DxContent.model_validate(document)
    paths = [photo.path for item in content.initiatives if item.image for photo in item.image.photos]
    assert len(paths) == 22
    assert len(set(paths)) == len(paths)
    assert all(path.startswith("images/dx/") and path.endswith(".png") for path in paths)


def test_content_is_frozen(document: dict[str, Any]) -> None:
    content = DxContent.model_validate(document)
    with pytest.raises(ValidationError):
        content.header = "x"  # type: ignore[misc]


def test_unknown_key_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["initiatives"][2]["picture"] = "x.png"
    [error] = validation_errors(DxContent, bad)
    assert error["type"] == "extra_forbidden"
    assert error["loc"] == ("initiatives", 2, "picture")


def test_unknown_top_level_key_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["titel"] = "typo"
    [error] = validation_errors(DxContent, bad)
    assert (error["type"], error["loc"]) == ("extra_forbidden", ("titel",))


def test_wrong_type_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["phases"][1]["issues"] = "one string instead of a list"
    [error] = validation_errors(DxContent, bad)
    assert error["type"] == "list_type"
    assert error["loc"] == ("phases", 1, "issues")


def test_wrong_type_in_a_body_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["initiatives"][0]["effect"] = 42
    locs = {error["loc"] for error in validation_errors(DxContent, bad)}
    assert locs and all(loc[:3] == ("initiatives", 0, "effect") for loc in locs)


def test_missing_field_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    del bad["work_style"]["current"]["heading"]
    [error] = validation_errors(DxContent, bad)
    assert error["type"] == "missing"
    assert error["loc"] == ("work_style", "current", "heading")


def test_missing_initiative_purpose_is_named(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    del bad["initiatives"][14]["purpose"]
    [error] = validation_errors(DxContent, bad)
    assert (error["type"], error["loc"]) == ("missing", ("initiatives", 14, "purpose"))


def test_photo_path_must_stay_inside_the_meeting(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["initiatives"][0]["image"]["photos"][0]["path"] = "../secret.png"
    [error] = validation_errors(DxContent, bad)
    assert error["loc"] == ("initiatives", 0, "image", "photos", 0, "path")


def test_control_character_is_refused(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["overview"]["title"] = "DX\x07"
    [error] = validation_errors(DxContent, bad)
    assert error["loc"] == ("overview", "title")
    assert "U+0007" in error["msg"]


def test_initiative_must_name_a_phase(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["initiatives"][3]["phase"] = "再構築Phase"
    [error] = validation_errors(DxContent, bad)
    assert error["loc"] == ("initiatives",)
    assert "initiatives[3].phase '再構築Phase'" in error["msg"]


def test_phase_names_are_unique(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["phases"][1]["name"] = "計画Phase"
    [error] = validation_errors(DxContent, bad)
    assert error["loc"] == ("phases",)
    assert "repeated: 計画Phase" in error["msg"]


def test_roadmap_row_needs_one_cell_per_step(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["phases"][2]["roadmap"][1]["steps"] = ["only one"]
    [error] = validation_errors(DxContent, bad)
    assert error["loc"] == ("phases",)
    assert "phases[2].roadmap[1] ('遠隔臨場') has 1 steps; pages.roadmap.steps has 3" in error["msg"]


def test_roadmap_row_may_leave_out_steps(document: dict[str, Any]) -> None:
    content = DxContent.model_validate(document)
    first = content.phases[0].roadmap[0]
    assert first.steps == [] and first.label == "" and first.goal == "シームレスなデータ共有・連携"

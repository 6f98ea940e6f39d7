"""Tests of the talent content model: the example validates, bad documents fail at the right path."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from council_materials.loading import load_yaml
from council_materials.testing import validation_errors
from council_talent.models import TalentContent

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "council-120" / "content" / "talent.yaml"


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return load_yaml(EXAMPLE)[0]


def test_example_file_starts_with_schema_comment() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/talent.schema.json"


def test_example_validates(document: dict[str, Any]) -> None:
    content = TalentContent.model_validate(document)
    assert content.recruitment.overview.title == "都庁技術者の確保"
    assert [m.tag for m in content.recruitment.overview.measures] == ["継続", "新規", "継続", "継続"]
    assert content.recruitment.outreach.visits.this_year.total == "56回"
    assert [s.capacity for s in content.training.site_visits.sites] == [20, 20, 25, 15]
    assert content.retention.survey.outline.respondents == 1635
    assert content.retention.survey.outline.response_rate == 42
    assert len(content.retention.career_models.tracks) == 2


def test_content_is_frozen(document: dict[str, Any]) -> None:
    content = TalentContent.model_validate(document)
    with pytest.raises(ValidationError):
        content.header = "変更"  # type: ignore[misc]


def test_unknown_key_is_reported_with_its_path(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["recruitment"]["outreach"]["visits"]["photo"] = "images/talent/x.png"
    errors = validation_errors(TalentContent, data)
    assert [(e["loc"], e["type"]) for e in errors] == [
        (("recruitment", "outreach", "visits", "photo"), "extra_forbidden")]


def test_wrong_type_is_reported_with_its_path(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["training"]["site_visits"]["sites"][2]["capacity"] = "二十五名"
    errors = validation_errors(TalentContent, data)
    assert [e["loc"] for e in errors] == [("training", "site_visits", "sites", 2, "capacity")]
    assert errors[0]["type"] == "int_parsing"


def test_missing_field_is_reported_with_its_path(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    del data["retention"]["survey"]["outline"]["period"]
    errors = validation_errors(TalentContent, data)
    assert [(e["loc"], e["type"]) for e in errors] == [
        (("retention", "survey", "outline", "period"), "missing")]


def test_measure_tag_must_be_continued_or_new(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["training"]["overview"]["measures"][1]["tag"] = "拡充"
    errors = validation_errors(TalentContent, data)
    assert [(e["loc"], e["type"]) for e in errors] == [
        (("training", "overview", "measures", 1, "tag"), "literal_error")]


def test_response_rate_is_a_percentage(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["retention"]["survey"]["outline"]["response_rate"] = 142
    errors = validation_errors(TalentContent, data)
    assert [e["loc"] for e in errors] == [("retention", "survey", "outline", "response_rate")]


def test_events_need_at_least_one_audience(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["recruitment"]["events"]["audiences"] = []
    errors = validation_errors(TalentContent, data)
    assert [(e["loc"], e["type"]) for e in errors] == [
        (("recruitment", "events", "audiences"), "too_short")]


def test_photo_path_must_stay_inside_the_meeting_folder(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["training"]["courses"]["courses"][0]["photos"][1]["path"] = "../outside.png"
    errors = validation_errors(TalentContent, data)
    assert [e["loc"] for e in errors] == [("training", "courses", "courses", 0, "photos", 1, "path")]


def test_control_characters_in_text_are_refused(document: dict[str, Any]) -> None:
    data = copy.deepcopy(document)
    data["retention"]["career_models"]["overview"][0] = "将来の\x07キャリア"
    errors = validation_errors(TalentContent, data)
    assert errors[0]["loc"][:3] == ("retention", "career_models", "overview")
    assert "U+0007" in errors[0]["msg"]

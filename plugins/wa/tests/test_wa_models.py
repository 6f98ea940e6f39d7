"""Tests of the WA content model: the example validates, bad documents fail on the right field."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from council_materials.loading import load_yaml
from council_wa.models import WaContent

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "council-120" / "content" / "wa.yaml"


@pytest.fixture()
def document() -> dict[str, Any]:
    return load_yaml(EXAMPLE)[0]


def _error_locations(document: dict[str, Any]) -> list[tuple[Any, ...]]:
    with pytest.raises(ValidationError) as caught:
        WaContent.model_validate(document)
    return [error["loc"] for error in caught.value.errors()]


def test_wa_example_starts_with_schema_comment() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/wa.schema.json"


def test_wa_example_validates(document: dict[str, Any]) -> None:
    content = WaContent.model_validate(document)
    event = content.events[0]
    assert event.title == "「WA×技術会議」コラボイベント"
    assert event.date_and_venue == "2月4日（火）@新宿住友ビル（オンライン併用）"
    assert len(event.programme) == 4
    assert [p.caption for p in event.speakers] == ["山田氏", "鷲頭氏"]
    assert [p.path for p in event.photos] == ["images/wa/panel-discussion.png",
                                               "images/wa/joint-declaration.png"]
    assert content.header is None
    assert content.outlook is not None
    assert [p.area for p in content.outlook.pillars] == ["職員のキャリア形成", "職員の育成", "職員の採用", "機運醸成"]
    assert content.outlook.pillars[2].description == "= 女性技術職員への **更なる確保** に向けた **取組** を **推進**"


def test_wa_model_is_frozen(document: dict[str, Any]) -> None:
    content = WaContent.model_validate(document)
    with pytest.raises(ValidationError):
        content.events[0].title = "x"  # type: ignore[misc]


def test_wa_unknown_key_is_reported_with_its_path(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["outlook"]["pillars"][1]["colour"] = "red"
    assert ("outlook", "pillars", 1, "colour") in _error_locations(bad)


def test_wa_unknown_top_level_key(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["event"] = bad["events"][0]
    assert ("event",) in _error_locations(bad)


def test_wa_wrong_type_is_reported_with_its_path(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["events"][0]["programme"] = "松本副知事による開会宣言"
    assert ("events", 0, "programme") in _error_locations(bad)


def test_wa_photo_path_must_stay_inside_meeting_folder(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["events"][0]["photos"][0]["path"] = "../secret.png"
    assert ("events", 0, "photos", 0, "path") in _error_locations(bad)


def test_wa_missing_required_field_is_reported_with_its_path(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    del bad["outlook"]["pillars"][3]["name"]
    assert ("outlook", "pillars", 3, "name") in _error_locations(bad)


def test_wa_missing_date_and_venue(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    del bad["events"][0]["date_and_venue"]
    assert ("events", 0, "date_and_venue") in _error_locations(bad)


def test_wa_needs_at_least_one_event_and_programme_item(document: dict[str, Any]) -> None:
    no_events = copy.deepcopy(document)
    no_events["events"] = []
    assert ("events",) in _error_locations(no_events)
    no_programme = copy.deepcopy(document)
    no_programme["events"][0]["programme"] = []
    assert ("events", 0, "programme") in _error_locations(no_programme)


def test_wa_control_characters_are_refused(document: dict[str, Any]) -> None:
    bad = copy.deepcopy(document)
    bad["events"][0]["tagline"] = "応援\x07します"
    assert ("events", 0, "tagline") in _error_locations(bad)

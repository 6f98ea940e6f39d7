"""The international content model: the example validates, bad documents fail on the right field."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from council_materials.loading import load_yaml
from council_materials.testing import validation_errors
from council_international.models import (Activity, AgreementPage, Content, DatabasePage,
                                          ExchangePage, ReflectionPage, ReportPage)

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "council-120" / "content" / "international.yaml"


@pytest.fixture()
def document() -> dict[str, Any]:
    return load_yaml(EXAMPLE)[0]


def _errors(document: dict[str, Any]) -> list[tuple[tuple[Any, ...], str]]:
    return [(error["loc"], error["type"]) for error in validation_errors(Content, document)]


def test_international_example_starts_with_schema_comment() -> None:
    first = EXAMPLE.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../../schemas/international.schema.json"


def test_international_example_validates(document: dict[str, Any]) -> None:
    content = Content.model_validate(document)
    assert content.cover.group == "国際発信力強化部会"
    assert content.overview.secretariat.text == "下水道局、水道局"
    assert [p.heading for p in content.overview.pillars] == [
        "(1) 東京都の技術やノウハウを世界各都市に発信",
        "(2) 国際ネットワークを活用した交流",
        "(3) 海外諸都市との交流や技術協力",
    ]
    first = content.overview.pillars[0].measures[0].activities[0]
    assert isinstance(first, Activity) and (first.count.label, first.count.value) == ("実施", 15)
    counts = content.overview.pillars[2].measures[0].counts
    assert [(c.label, c.value, c.unit) for c in counts] == [
        ("渡航", 99, "都市"), ("受入", 45, "都市"), ("協定", 4, "都市")]
    assert [type(page) for page in content.pages] == [
        ReportPage, ReportPage, ReportPage, ReportPage, ReportPage, ReportPage,
        DatabasePage, ExchangePage, ReflectionPage, AgreementPage, ReportPage,
    ]


def test_international_example_photos_live_under_the_group_folder(document: dict[str, Any]) -> None:
    content = Content.model_validate(document)
    paths = [photo["path"] for photo in _photos(content.model_dump())]
    assert len(paths) == 41
    assert len(set(paths)) == len(paths)
    assert all(p.startswith("images/international/") and p.endswith(".png") for p in paths)


def _photos(value: Any) -> list[dict[str, Any]]:
    if isinstance(value, dict):
        if "path" in value:
            return [value]
        return [photo for item in value.values() for photo in _photos(item)]
    if isinstance(value, list):
        return [photo for item in value for photo in _photos(item)]
    return []


def test_international_unknown_key_is_refused(document: dict[str, Any]) -> None:
    document["pages"][0]["venue"] = "ジャカルタ"
    assert _errors(document) == [(("pages", 0, "report", "venue"), "extra_forbidden")]


def test_international_unknown_key_in_an_event_is_refused(document: dict[str, Any]) -> None:
    document["pages"][1]["events"][0]["date"] = "令和6年5月27日"
    assert _errors(document) == [(("pages", 1, "report", "events", 0, "date"), "extra_forbidden")]


def test_international_count_must_be_a_number(document: dict[str, Any]) -> None:
    document["overview"]["pillars"][2]["measures"][0]["counts"][0]["value"] = "たくさん"
    assert _errors(document) == [
        (("overview", "pillars", 2, "measures", 0, "counts", 0, "value"), "int_parsing")]


def test_international_count_cannot_be_negative(document: dict[str, Any]) -> None:
    document["overview"]["pillars"][2]["measures"][0]["counts"][1]["value"] = -1
    assert _errors(document) == [
        (("overview", "pillars", 2, "measures", 0, "counts", 1, "value"), "greater_than_equal")]


def test_international_missing_group_name_is_named(document: dict[str, Any]) -> None:
    del document["cover"]["group"]
    assert _errors(document) == [(("cover", "group"), "missing")]


def test_international_missing_events_is_named(document: dict[str, Any]) -> None:
    del document["pages"][3]["events"]
    assert _errors(document) == [(("pages", 3, "report", "events"), "missing")]


def test_international_report_needs_an_event(document: dict[str, Any]) -> None:
    document["pages"][0]["events"] = []
    assert _errors(document) == [(("pages", 0, "report", "events"), "too_short")]


def test_international_unknown_page_kind_is_refused(document: dict[str, Any]) -> None:
    document["pages"][7]["page"] = "diary"
    assert _errors(document) == [(("pages", 7), "union_tag_invalid")]


def test_international_search_screen_has_two_columns(document: dict[str, Any]) -> None:
    document["pages"][6]["search_screen"]["columns"] = ["検索画面"]
    assert _errors(document) == [(("pages", 6, "database", "search_screen", "columns", 1), "missing")]


def test_international_photo_path_stays_inside_the_meeting(document: dict[str, Any]) -> None:
    document["pages"][0]["events"][0]["photos"][0]["path"] = "../secret.png"
    assert _errors(document) == [(("pages", 0, "report", "events", 0, "photos", 0, "path"), "value_error")]


def test_international_control_characters_are_refused(document: dict[str, Any]) -> None:
    document["pages"][0]["next_year"] = "引き続き\x07"
    assert _errors(document) == [(("pages", 0, "report", "next_year"), "value_error")]


def test_international_content_is_frozen(document: dict[str, Any]) -> None:
    content = Content.model_validate(copy.deepcopy(document))
    with pytest.raises(ValidationError):
        content.cover.group = "別の部会"  # type: ignore[misc]

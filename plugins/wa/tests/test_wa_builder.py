"""Tests of the WA builder and plugin on the 120th meeting's content."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from council_materials.loading import load_model
from council_materials import BuildContext, MaterialType
from council_materials.models import (Agenda, AgendaTopic, BulletItem, CardsSlide, MaterialEntry,
                                      Meeting, PanelsSlide, SlideBase, plain)
from council_wa import plugin
from council_wa.builder import build
from council_wa.models import WaContent

MEETING_DIR = Path(__file__).resolve().parents[3] / "examples" / "council-120"
EXAMPLE = MEETING_DIR / "content" / "wa.yaml"
SEED_LINES = [  # the seed's 資料6, as the checker compares them (bullets stripped)
    "「WA×技術会議」コラボイベント",
    "キャリアアップに向けて一歩踏み出すあなたを応援します",
    "～ゆるゆるつながるWAをつくる・東京都技術会議トークショー～",
    "2月4日（火）@新宿住友ビル（オンライン併用）",
    "【内容】",
    "松本副知事による開会宣言",
    "山田菊子氏（土木学会）、鷲頭直子氏（(株)フジタ）による講演",
    "パネル・ディスカッション(都庁の様々な技術系職場での取組も紹介)",
    "松本副知事と谷崎都技監による「WA×技術会議」共同宣言",
    "山田氏", "鷲頭氏", "パネル・ディスカッション", "松本副知事と谷崎都技監による共同宣言",
    "今後の展開",
    "職員のキャリア形成", "『キャリア・メンター×技術会議』",
    "= 女性技術職員向けの **キャリア形成支援** を **充実**",
    "職員の育成", "『都庁若手技術職員×技術会議』", "= 女性技術職員間の **横の繋がり** を **形成**",
    "職員の採用", "『都庁ナビゲータ×技術会議』",
    "= 女性技術職員への **更なる確保** に向けた **取組** を **推進**",
    "機運醸成", "『業界や学生×技術会議』", "= 業界への **女性技術者の参入** を **促進**",
]


@pytest.fixture()
def content() -> WaContent:
    return load_model(WaContent, EXAMPLE)


@pytest.fixture()
def ctx() -> BuildContext:
    entry = MaterialEntry(id="wa", title="WAの取組について", source="wa", content="content/wa.yaml")
    meeting = Meeting(council="東京都技術会議", number=120, date=dt.date(2025, 2, 20),
                      start=dt.time(10, 0), end=dt.time(11, 0),
                      agenda=Agenda(topics=[AgendaTopic(title="その他")]), materials=[entry])
    return BuildContext(meeting=meeting, entry=entry, label="資料6", meeting_dir=MEETING_DIR)


@pytest.fixture()
def slides(content: WaContent, ctx: BuildContext) -> list[SlideBase]:
    return build(content, ctx)


def _texts(value: object) -> list[str]:
    """Every string inside a slide model, depth first."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [text for item in value for text in _texts(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    return []


def test_wa_builds_event_then_outlook(slides: list[SlideBase]) -> None:
    assert [(s.kind, s.title) for s in slides] == [
        ("panels", "「WA×技術会議」コラボイベント"), ("cards", "今後の展開")]


def test_wa_event_slide(slides: list[SlideBase]) -> None:
    event = slides[0]
    assert isinstance(event, PanelsSlide)
    assert event.subtitle == "キャリアアップに向けて一歩踏み出すあなたを応援します"
    assert event.header is None
    details, pictures = event.panels
    assert event.columns == 2
    assert details.heading == "～ゆるゆるつながるWAをつくる・東京都技術会議トークショー～"
    date_line, programme = details.items
    assert date_line == "2月4日（火）@新宿住友ビル（オンライン併用）"
    assert isinstance(programme, BulletItem)
    assert programme.text == "【内容】"
    assert programme.children[0] == "松本副知事による開会宣言"
    assert programme.children[-1] == "松本副知事と谷崎都技監による「WA×技術会議」共同宣言"
    assert [p.caption for p in pictures.photos] == [
        "山田氏", "鷲頭氏", "パネル・ディスカッション", "松本副知事と谷崎都技監による共同宣言"]
    assert all(p.path.startswith("images/wa/") and p.path.endswith(".png") for p in pictures.photos)


def test_wa_outlook_slide_keeps_bold(slides: list[SlideBase]) -> None:
    outlook = slides[1]
    assert isinstance(outlook, CardsSlide)
    assert [c.heading for c in outlook.cards] == ["職員のキャリア形成", "職員の育成", "職員の採用", "機運醸成"]
    first = outlook.cards[0].fields[0]
    assert first.label == "『キャリア・メンター×技術会議』"
    assert first.text == "= 女性技術職員向けの **キャリア形成支援** を **充実**"
    assert plain(first.text) == "= 女性技術職員向けの キャリア形成支援 を 充実"


def test_wa_every_seed_line_is_one_field(slides: list[SlideBase]) -> None:
    texts = set(_texts([s.model_dump() for s in slides]))
    assert [line for line in SEED_LINES if line not in texts] == []


def test_wa_header_is_carried_to_every_slide(content: WaContent, ctx: BuildContext) -> None:
    header = "令和6年度 東京都技術会議 WA"
    built = build(content.model_copy(update={"header": header}), ctx)
    assert [s.header for s in built] == [header, header]


def test_wa_without_outlook_or_photos(content: WaContent, ctx: BuildContext) -> None:
    event = content.events[0].model_copy(update={"speakers": [], "photos": []})
    built = build(content.model_copy(update={"outlook": None, "events": [event, event]}), ctx)
    assert [s.kind for s in built] == ["panels", "panels"]
    assert all(isinstance(s, PanelsSlide) and len(s.panels) == 1 and s.columns == 1 for s in built)


def test_wa_plugin_registers_material_type() -> None:
    (material,) = plugin.material_types()
    assert isinstance(material, MaterialType)
    assert (material.name, material.content_model, material.build) == ("wa", WaContent, build)

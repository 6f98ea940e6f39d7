"""Schema tests: the input models accept good documents and refuse bad ones clearly."""
from __future__ import annotations

import datetime as dt
import re

import pytest
from pydantic import ValidationError

from council_materials.models import (
    BUILTIN_SLIDES, Agenda, BulletsSlide, MaterialEntry, Meeting, Person, Photo, RoadmapSlide, Roster,
    SectionSlide, TableData, Theme, clean_text, parse_runs, plain,
)
from council_materials.plugins import Registry


def errors(model, data) -> list[dict]:
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    return info.value.errors(include_url=False)


def kinds_of(errs) -> set[str]:
    return {e["type"] for e in errs}


MEETING = {
    "council": "東京都技術会議", "number": 120, "date": "2025-02-20", "start": "16:00", "end": "17:00",
    "agenda": {"topics": [{"title": "議題", "materials": ["dx"]}]},
    "materials": [{"id": "dx", "title": "DX", "source": "dx", "content": "content/dx.yaml"}],
    "references": [{"id": "charter", "title": "設置要綱"}],
}
PERSON = {"post": "建設局長", "name": "花井 徹夫", "specialty": "土木"}

# One minimal good document per built-in kind, and the field it cannot do without.
GOOD_SLIDES = {
    "section": ({"kind": "section", "title": "第1部"}, "title"),
    "bullets": ({"kind": "bullets", "items": ["a", {"text": "b", "children": ["c"]}]}, "items"),
    "cards": ({"kind": "cards", "cards": [{"heading": "h", "fields": [{"label": "①目的", "text": "t"}]}]},
              "cards"),
    "table": ({"kind": "table", "table": {"rows": [["a", "b"], ["1", {"text": "2", "colspan": 1}]]}}, "table"),
    "comparison": ({"kind": "comparison", "left": {"heading": "現状"}, "right": {"heading": "将来像"}}, "left"),
    "figures": ({"kind": "figures", "figures": [{"label": "渡航", "value": "99", "unit": "都市"}]}, "figures"),
    "roadmap": ({"kind": "roadmap", "rows": [{"label": "a", "steps": ["x", None, "z"]}]}, "rows"),
    "event_report": ({"kind": "event_report", "events": [{"name": "SIWW"}]}, "events"),
    "image": ({"kind": "image", "photos": [{"path": "images/a.png", "caption": "写真"}]}, "photos"),
    "panels": ({"kind": "panels", "panels": [{"heading": "h", "text": "t"}]}, "panels"),
    "chart": ({"kind": "chart", "charts": [{"categories": ["大学"], "series": [{"name": "R6", "values": [46]}]}]},
              "charts"),
}
MODELS = {model.model_fields["kind"].default: model for model in BUILTIN_SLIDES}


def test_every_builtin_kind_has_a_good_example():
    assert set(MODELS) == set(GOOD_SLIDES)


@pytest.mark.parametrize("kind", sorted(GOOD_SLIDES))
def test_slide_kind_good_document(kind):
    data, _ = GOOD_SLIDES[kind]
    slide = MODELS[kind].model_validate(data)
    assert slide.kind == kind
    assert slide.notes == []


@pytest.mark.parametrize("kind", sorted(GOOD_SLIDES))
def test_slide_kind_refuses_unknown_key(kind):
    data, _ = GOOD_SLIDES[kind]
    errs = errors(MODELS[kind], {**data, "colour": "red"})
    assert [(e["type"], e["loc"]) for e in errs] == [("extra_forbidden", ("colour",))]


@pytest.mark.parametrize("kind", sorted(GOOD_SLIDES))
def test_slide_kind_required_field(kind):
    data, required = GOOD_SLIDES[kind]
    errs = errors(MODELS[kind], {k: v for k, v in data.items() if k != required})
    assert ("missing", (required,)) in [(e["type"], e["loc"]) for e in errs]


@pytest.mark.parametrize("kind", ["cards", "figures", "roadmap", "event_report", "image", "panels"])
def test_slide_kind_refuses_empty_list(kind):
    data, required = GOOD_SLIDES[kind]
    assert "too_short" in kinds_of(errors(MODELS[kind], {**data, required: []}))


@pytest.mark.parametrize("kind", sorted(GOOD_SLIDES))
def test_slide_kind_literal_is_enforced(kind):
    data, _ = GOOD_SLIDES[kind]
    other = "section" if kind != "section" else "bullets"
    assert "literal_error" in kinds_of(errors(MODELS[kind], {**data, "kind": other}))


def test_slides_union_is_keyed_on_kind(pm):
    content = Registry.from_plugin_manager(pm).slides_content_model()
    good = content.model_validate({"slides": [d for d, _ in GOOD_SLIDES.values()]})
    assert [s.kind for s in good.slides] == list(GOOD_SLIDES)
    errs = errors(content, {"slides": [{"kind": "bulets", "items": ["a"]}]})
    assert kinds_of(errs) == {"union_tag_invalid"}
    assert "too_short" in kinds_of(errors(content, {"slides": []}))


@pytest.mark.parametrize("data, kind", [
    ({"kind": "bullets", "items": ["a"], "columns": "two"}, "int_type"),
    ({"kind": "bullets", "items": ["a"], "columns": 4}, "less_than_equal"),
    ({"kind": "bullets", "items": "a"}, "list_type"),
    ({"kind": "bullets", "items": [3]}, "string_type"),
    ({"kind": "section", "title": ["a"]}, "string_type"),
    ({"kind": "panels", "panels": [{"weight": 0}]}, "greater_than"),
    ({"kind": "table", "table": {"rows": [[{"text": "a", "colspan": 0}]]}}, "greater_than_equal"),
    ({"kind": "table", "table": {"rows": [["a"]], "header_rows": -1}}, "greater_than_equal"),
])
def test_slide_wrong_types(data, kind):
    assert kind in kinds_of(errors(MODELS[data["kind"]], data))


def test_nested_bullet_unknown_key_is_found():
    errs = errors(BulletsSlide, {"items": [{"text": "a", "children": ["b", {"text": "c", "kids": []}]}]})
    assert any(e["type"] == "extra_forbidden" and e["loc"][-1] == "kids" for e in errs)


def test_table_cells_turn_strings_and_none_into_cells():
    data = TableData(rows=[["a", None], [{"text": "b", "colspan": 2}]])
    cells = data.cells()
    assert [c.text for c in cells[0]] == ["a", ""]
    assert cells[1][0].colspan == 2


def test_roadmap_row_step_count_must_match():
    good = RoadmapSlide(steps=["S1", "S2"], rows=[{"label": "a", "steps": ["x", None]}])
    assert good.rows[0].steps == ["x", None]
    errs = errors(RoadmapSlide, {"rows": [{"label": "点検", "steps": ["x", None]}]})
    assert "row 1 ('点検') has 2 steps, expected 3" in errs[0]["msg"]


def test_models_are_frozen():
    slide = SectionSlide(title="a")
    with pytest.raises(ValidationError):
        slide.title = "b"  # type: ignore[misc]


# -- meeting, roster, agenda, material entries, theme ---------------------------------------
def test_meeting_good():
    meeting = Meeting.model_validate(MEETING)
    assert meeting.date == dt.date(2025, 2, 20) and meeting.start == dt.time(16, 0)
    assert meeting.title == "第120回 東京都技術会議"
    assert meeting.roster == "roster.yaml" and meeting.theme == Theme()
    assert meeting.references[0].source is None


@pytest.mark.parametrize("start, end", [("17:00", "16:00"), ("16:00", "16:00")])
def test_meeting_end_after_start(start, end):
    errs = errors(Meeting, {**MEETING, "start": start, "end": end})
    assert errs[0]["loc"] == ("end",) and "the meeting must end after it starts" in errs[0]["msg"]


@pytest.mark.parametrize("change, kind, loc", [
    ({"bogus": 1}, "extra_forbidden", ("bogus",)),
    ({"number": 0}, "greater_than_equal", ("number",)),
    ({"number": "百二十"}, "int_type", ("number",)),
    ({"date": "2025-02-30"}, "date_from_datetime_parsing", ("date",)),
    ({"start": "25:00"}, "time_parsing", ("start",)),
    ({"materials": None}, "list_type", ("materials",)),
    ({"agenda": {"topics": [{"title": "t", "materials": ["Bad ID"]}]}}, "string_pattern_mismatch",
     ("agenda", "topics", 0, "materials", 0)),
    ({"agenda": {"topics": [], "closing": "閉会", "end": "x"}}, "extra_forbidden", ("agenda", "end")),
])
def test_meeting_bad(change, kind, loc):
    errs = errors(Meeting, {**MEETING, **change})
    assert (kind, loc) in [(e["type"], e["loc"]) for e in errs]


@pytest.mark.parametrize("field", ["council", "number", "date", "start", "end", "agenda", "materials"])
def test_meeting_required_fields(field):
    errs = errors(Meeting, {k: v for k, v in MEETING.items() if k != field})
    assert [(e["type"], e["loc"]) for e in errs] == [("missing", (field,))]


def test_agenda_defaults_and_required_topics():
    agenda = Agenda(topics=[])
    assert (agenda.opening, agenda.other, agenda.closing) == ("開会", "その他", "閉会")
    assert Agenda(topics=[], other=None).other is None
    assert [e["loc"] for e in errors(Agenda, {})] == [("topics",)]


def test_roster():
    roster = Roster.model_validate({"chair": {**PERSON, "concurrent": ["都市整備局長"]}, "members": [PERSON]})
    assert roster.chair.concurrent == ["都市整備局長"] and roster.observers == []
    assert [e["loc"] for e in errors(Roster, {"members": [PERSON]})] == [("chair",)]
    errs = errors(Roster, {"chair": {**PERSON, "nmae": "x"}})
    assert ("extra_forbidden", ("chair", "nmae")) in [(e["type"], e["loc"]) for e in errs]
    assert ("missing", ("chair", "specialty")) in [(e["type"], e["loc"]) for e in
                                                   errors(Roster, {"chair": {"post": "a", "name": "b"}})]


def test_material_entry():
    assert MaterialEntry(id="a-1_b", title="t").content is None
    assert kinds_of(errors(MaterialEntry, {"id": "DX", "title": "t"})) == {"string_pattern_mismatch"}
    assert kinds_of(errors(MaterialEntry, {"id": "a b", "title": "t"})) == {"string_pattern_mismatch"}
    errs = errors(MaterialEntry, {"id": "a", "title": "t", "content": "a.yaml"})
    assert "'content' is given but no 'source'" in errs[0]["msg"]
    assert [e["loc"] for e in errors(MaterialEntry, {"id": "a"})] == [("title",)]


def test_theme():
    assert Theme().page == "a4-landscape" and Theme().min_size is None
    assert Theme(page="16:9", accent="00aaFF").accent == "00aaFF"
    errs = errors(Theme, {"page": "a3", "accent": "12345G", "base_size": 100, "min_size": 2, "font": "x"})
    assert {(e["type"], e["loc"]) for e in errs} == {
        ("literal_error", ("page",)), ("string_pattern_mismatch", ("accent",)),
        ("less_than_equal", ("base_size",)), ("greater_than_equal", ("min_size",)),
        ("extra_forbidden", ("font",))}
    assert [e["loc"] for e in errors(Theme, {"fonts": {"regular": {"path": "a.ttf"}}})] == [("fonts", "bold")]


# -- Text and RelPath -------------------------------------------------------------------------
@pytest.mark.parametrize("value, named", [
    ("a\x00b", "U+0000"), ("a\x07b", "U+0007"), ("\x1b[31m", "U+001B"), ("a\x7fb", "U+007F"),
    ("a\x85b", "U+0085"), ("a\ufffeb", "U+FFFE"), ("a\uffffb", "U+FFFF"), ("a\U0001FFFEb", "U+1FFFE"),
    ("a\ud800b", "U+D800"), ("\udfff", "U+DFFF"),
])
def test_text_refuses_bad_characters(value, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        clean_text(value)
    errs = errors(Person, {**PERSON, "post": value})
    assert errs[0]["loc"] == ("post",) and named in errs[0]["msg"]


def test_text_error_names_position():
    with pytest.raises(ValueError, match="position 3"):
        clean_text("ab\x01")


def test_text_cleaning_keeps_what_prints():
    assert clean_text("a\tb") == "a b"
    assert clean_text("一行目\r\n二行目") == "一行目\n二行目"
    assert clean_text("R&D <b> 0.1 <A 「」※①") == "R&D <b> 0.1 <A 「」※①"
    person = Person.model_validate({**PERSON, "name": "花井\t徹夫"})
    assert person.name == "花井 徹夫"


@pytest.mark.parametrize("bad", ["../x.png", "images/../../x.png", "/etc/passwd", "", "  ", "..\\x.png"])
def test_relpath_refuses_leaving_the_folder(bad):
    errs = errors(Photo, {"path": bad})
    assert "relative path inside the meeting folder" in errs[0]["msg"]
    assert errs[0]["loc"] == ("path",)


def test_relpath_accepts_and_normalises():
    assert Photo(path="images/dx/a.png").path == "images/dx/a.png"
    assert Photo(path="images\\dx\\a.png").path == "images/dx/a.png"
    assert Meeting.model_validate({**MEETING, "roster": "people/roster.yaml"}).roster == "people/roster.yaml"
    assert "relative path" in errors(Meeting, {**MEETING, "roster": "../roster.yaml"})[0]["msg"]


@pytest.mark.parametrize("bad", ["C:\\Users\\x\\secret.png", "d:/photos/a.png"])
def test_relpath_refuses_windows_drive_paths(bad):
    """A drive path is absolute on Windows: meeting_dir / 'C:\\…' would leave the folder there."""
    assert "relative path inside the meeting folder" in errors(Photo, {"path": bad})[0]["msg"]


# -- emphasis runs ----------------------------------------------------------------------------
@pytest.mark.parametrize("text, runs", [
    ("普通", [("普通", False)]),
    ("a**b**c", [("a", False), ("b", True), ("c", False)]),
    ("**全部**", [("全部", True)]),
    ("**一**と**二**", [("一", True), ("と", False), ("二", True)]),
    ("閉じない**強調", [("閉じない**強調", False)]),
    ("複数行**の\n強調**", [("複数行", False), ("の\n強調", True)]),
    ("", []),
])
def test_parse_runs(text, runs):
    assert parse_runs(text) == runs


def test_plain_drops_markers_only():
    assert plain("**DX・AI**の導入と**活用**") == "DX・AIの導入と活用"
    assert plain("2 * 3 = 6") == "2 * 3 = 6"


def test_every_character_clean_text_refuses_is_one_its_fast_path_looks_for() -> None:
    """Text without a suspect character skips the character-by-character check: none may slip through."""
    from council_materials.models.text import _SUSPECT, clean_text

    codes = [*range(0x3000), *range(0xD800, 0xE000), *range(0xFDD0, 0x10000),
             *(plane << 16 | low for plane in range(1, 17) for low in (0xFFFD, 0xFFFE, 0xFFFF))]
    refused = []
    for code in codes:
        try:
            clean_text(f"a{chr(code)}b")
        except ValueError:
            refused.append(code)
    assert len(refused) > 2000  # C0 and C1 controls, surrogates, noncharacters
    assert all(_SUSPECT.search(chr(code)) for code in refused)
    assert clean_text("a\tb\r\nc") == "a b\nc"

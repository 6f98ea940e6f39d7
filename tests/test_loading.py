"""YAML loading: located errors (file:line:column, field path, hint), and a deliberately small YAML."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from council_materials.errors import InputError
from council_materials.loading import load_model, load_yaml
from council_materials.models import Meeting, Roster
from council_materials.plugins import Registry

MEETING = """\
council: 東京都技術会議
number: 120
date: 2025-02-20
start: 16:00
end: "17:00"
agenda:
  topics:
    - title: 議題
      materials: [dx]
materials:
  - id: dx
    title: DX
    source: slides
    content: dx.yaml
"""


def write(tmp_path: Path, text: str | bytes, name: str = "meeting.yaml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def problems(model, path: Path) -> list:
    with pytest.raises(InputError) as info:
        load_model(model, path)
    return info.value.problems


def test_good_meeting_loads(tmp_path):
    meeting = load_model(Meeting, write(tmp_path, MEETING))
    assert meeting.start == dt.time(16, 0) and meeting.date == dt.date(2025, 2, 20)
    assert meeting.materials[0].content == "dx.yaml"


def test_misspelt_key_is_located_with_hint(tmp_path):
    path = write(tmp_path, MEETING.replace("    title: DX", "    titel: DX"))
    found = problems(Meeting, path)
    misspelt = [p for p in found if "titel" in p.message]
    assert len(misspelt) == 1
    p = misspelt[0]
    assert (p.file, p.line, p.column, p.field) == (path, 12, 5, "materials[0].titel")
    assert "unknown key 'titel'" in p.message and "did you mean 'title'?" in p.message
    assert str(p).startswith(f"{path}:12:5: materials[0].titel: ")


def test_misspelt_top_level_key(tmp_path):
    path = write(tmp_path, MEETING.replace("council:", "councl:"))
    text = str(InputError(problems(Meeting, path)))
    assert f"{path}:1:1: councl: unknown key 'councl'; did you mean 'council'?" in text
    assert "required field 'council' is missing" not in text  # one mistake, one line


def test_nested_misspelt_key(tmp_path):
    path = write(tmp_path, MEETING.replace("      materials: [dx]", "      materials: [dx]\n      pointz: [a]"))
    [p] = problems(Meeting, path)
    assert (p.line, p.column, p.field) == (10, 7, "agenda.topics[0].pointz")
    assert "did you mean 'points'?" in p.message


def test_wrong_type_names_value_and_line(tmp_path):
    path = write(tmp_path, MEETING.replace("number: 120", "number: 百二十"))
    [p] = problems(Meeting, path)
    assert (p.line, p.column, p.field) == (2, 1, "number")
    assert "valid integer" in p.message and "'百二十'" in p.message


def test_missing_field_names_parent_line_and_full_path(tmp_path):
    path = write(tmp_path, MEETING.replace("    title: DX\n", ""))
    [p] = problems(Meeting, path)
    assert p.field == "materials[0].title" and p.line == 11
    assert "required field 'title' is missing" in p.message


def test_all_errors_are_reported_at_once(tmp_path):
    text = (MEETING.replace("number: 120", "number: -1").replace("    title: DX", "    titel: DX")
            + "theme:\n  base_size: big\n")
    path = write(tmp_path, text)
    found = problems(Meeting, path)
    fields = {p.field for p in found}
    assert {"number", "materials[0].titel", "theme.base_size"} <= fields
    assert "materials[0].title" not in fields  # the misspelt key says it: one problem, not two
    assert all(p.line is not None for p in found)
    assert {p.line for p in found} >= {2, 12, 16}


def test_end_before_start_is_located_at_end(tmp_path):
    path = write(tmp_path, MEETING.replace('end: "17:00"', 'end: "15:00"'))
    [p] = problems(Meeting, path)
    assert (p.line, p.column, p.field) == (5, 1, "end")
    assert "the meeting must end after it starts (16:00)" in p.message


def test_model_level_error_is_located_at_the_mapping(tmp_path):
    path = write(tmp_path, MEETING.replace("    source: slides\n", ""))
    [p] = problems(Meeting, path)
    assert (p.line, p.field) == (11, "materials[0]")
    assert "'content' is given but no 'source'" in p.message


def test_single_digit_hour_is_read_as_a_time(tmp_path):
    meeting = load_model(Meeting, write(tmp_path, MEETING.replace("start: 16:00", 'start: "9:00"')))
    assert meeting.start == dt.time(9, 0)


def test_bad_time_says_what_a_time_is(tmp_path):
    [p] = problems(Meeting, write(tmp_path, MEETING.replace("start: 16:00", 'start: "25:00"')))
    assert (p.line, p.field) == (4, "start")
    assert p.message == "expected a time like \"16:00\" (24-hour clock, hours 00-23, minutes 00-59), found '25:00'"


def test_day_that_does_not_exist_is_located(tmp_path):
    [p] = problems(Meeting, write(tmp_path, MEETING.replace("date: 2025-02-20", "date: 2025-02-30")))
    assert (p.line, p.column, p.field) == (3, 1, "date")
    assert p.message.startswith("there is no day 2025-02-30 (day value is outside expected range)")


def test_date_in_text_stays_text(tmp_path):
    meeting = load_model(Meeting, write(tmp_path, MEETING.replace("title: 議題", "title: 2025-03-01")))
    assert meeting.agenda.topics[0].title == "2025-03-01"


def test_merge_key_is_refused_at_its_line(tmp_path):
    text = MEETING.replace("    content: dx.yaml\n", "    content: dx.yaml\n    <<: {owner: 部会}\n")
    [p] = problems(Meeting, write(tmp_path, text))
    assert (p.line, p.field) == (15, "materials[0]")
    assert p.message == "merge keys (<<) are not supported in meeting files: write the keys out in full"


def test_misspelt_required_key_is_one_problem(tmp_path):
    [p] = problems(Meeting, write(tmp_path, MEETING.replace("    title: DX", "    titel: DX")))
    assert (p.line, p.field) == (12, "materials[0].titel")
    assert p.message == "unknown key 'titel'; did you mean 'title'?"


def test_bad_character_is_named_with_its_line(tmp_path):
    path = write(tmp_path, MEETING.replace("title: DX", 'title: "D\\x07X"'))
    [p] = problems(Meeting, path)
    assert (p.line, p.field) == (12, "materials[0].title") and "U+0007" in p.message


def test_malformed_yaml_names_the_line(tmp_path):
    path = write(tmp_path, "a: 1\nb: [1, 2\nc: 3\n")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    [p] = info.value.problems
    assert p.file == path and p.line in (2, 3) and p.message.startswith("invalid YAML")


def test_bad_indentation_names_the_line(tmp_path):
    path = write(tmp_path, "a:\n  b: 1\n c: 2\n")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    assert info.value.problems[0].line == 3


def test_not_utf8_names_the_line(tmp_path):
    path = write(tmp_path, "council: 会議\nvenue: 都庁\n".encode("utf-8") + "title: 資料\n".encode("cp932"))
    with pytest.raises(InputError) as info:
        load_yaml(path)
    [p] = info.value.problems
    assert p.line == 3 and "not UTF-8" in p.message and "0x8E" in p.message


def test_utf8_bom_is_accepted(tmp_path):
    data, _ = load_yaml(write(tmp_path, "\ufeffa: 会議\n"))
    assert data == {"a": "会議"}


def test_duplicate_keys_are_refused(tmp_path):
    path = write(tmp_path, "a: 1\nb:\n  c: 1\n  c: 2\n")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    [p] = info.value.problems
    assert (p.line, p.column, p.field) == (4, 3, "b.c") and "duplicate key 'c'" in p.message


def test_aliases_are_refused(tmp_path):
    path = write(tmp_path, "a: &x [1, 2]\nb: *x\n")
    with pytest.raises(InputError) as info:
        load_yaml(path)
    [p] = info.value.problems
    assert p.line == 2 and "aliases" in p.message


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    path = write(tmp_path, "\n".join(lines) + "\n")
    started = time.perf_counter()
    with pytest.raises(InputError, match="aliases"):
        load_yaml(path)
    assert time.perf_counter() - started < 2


def test_scalars_follow_yaml_12(tmp_path):
    text = "t: 16:00\ny: yes\nn: no\no: on\nf: false\nT: true\ni: 12\nx: 1.5\nh: 0x1F\nz: null\nd: 2025-02-20\n"
    data, _ = load_yaml(write(tmp_path, text))
    assert data == {"t": "16:00", "y": "yes", "n": "no", "o": "on", "f": False, "T": True, "i": 12, "x": 1.5,
                    "h": "0x1F", "z": None, "d": "2025-02-20"}  # the model reads dates


def test_yes_stays_a_string_in_a_model(tmp_path):
    path = write(tmp_path, "chair: {post: yes, name: no, specialty: off}\n", "roster.yaml")
    roster = load_model(Roster, path)
    assert (roster.chair.post, roster.chair.name, roster.chair.specialty) == ("yes", "no", "off")


def test_missing_file(tmp_path):
    with pytest.raises(InputError) as info:
        load_yaml(tmp_path / "nope.yaml")
    assert "file not found" in str(info.value) and "nope.yaml" in str(info.value)


def test_non_mapping_document(tmp_path):
    found = problems(Meeting, write(tmp_path, "- a\n- b\n"))
    assert found and found[0].line == 1


def test_errors_inside_a_slides_content_file(tmp_path, pm):
    model = Registry.from_plugin_manager(pm).slides_content_model()
    path = write(tmp_path, "slides:\n  - kind: bullets\n    itemz: [a]\n", "a.yaml")
    found = {p.field: p for p in problems(model, path)}
    assert found["slides[0].itemz"].line == 3 and "unknown key 'itemz'" in found["slides[0].itemz"].message
    assert "slides[0].items" not in found  # the misspelt key explains the missing one: one line


def test_hint_for_slide_key_uses_the_slide_kind(tmp_path, pm):
    """The hint comes from the slide's own kind, not the first model of the union (SectionSlide)."""
    model = Registry.from_plugin_manager(pm).slides_content_model()
    path = write(tmp_path, "slides:\n  - kind: bullets\n    items: [a]\n    colums: 2\n", "a.yaml")
    [p] = problems(model, path)
    assert "did you mean 'columns'?" in p.message


def test_misspelt_key_in_slide_whose_kind_is_also_a_field(tmp_path, pm):
    """pydantic's union tag ('panels') must not be taken for the slide's 'panels' key."""
    model = Registry.from_plugin_manager(pm).slides_content_model()
    path = write(tmp_path, "slides:\n  - kind: panels\n    colums: 2\n    panels:\n      - heading: a\n", "a.yaml")
    [p] = problems(model, path)
    assert (p.line, p.field) == (3, "slides[0].colums") and "unknown key 'colums'" in p.message
    assert "did you mean 'columns'?" in p.message


def test_error_in_figures_slide_items_is_located(tmp_path, pm):
    model = Registry.from_plugin_manager(pm).slides_content_model()
    text = "slides:\n  - kind: figures\n    items:\n      - 3\n    figures:\n      - {label: a, value: '1'}\n"
    found = problems(model, write(tmp_path, text, "a.yaml"))
    assert found and all(p.field == "slides[0].items[0]" and p.line == 4 for p in found)


def test_a_union_members_type_error_is_not_reported_beside_the_real_one(tmp_path):
    from council_materials.errors import InputError
    from council_materials.loading import load_model
    from council_materials.plugins import Registry, get_plugin_manager

    path = tmp_path / "plan.yaml"
    path.write_text('slides:\n  - kind: bullets\n    items: ["ベル\\a"]\n', encoding="utf-8")
    model = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False)).slides_content_model()
    with pytest.raises(InputError) as caught:
        load_model(model, path)
    assert [p.message for p in caught.value.problems] == [
        "control character U+0007 at position 3 is not allowed (found 'ベル\\x07')"]


def test_unchanged_files_are_parsed_once_and_changes_are_seen(tmp_path):
    path = write(tmp_path, "a: [1, 2]\n")
    first, _ = load_yaml(path)
    first["a"].append(3)  # a caller's change never reaches the next reader
    again, index = load_yaml(path)
    assert again == {"a": [1, 2]} and index.marks[("a",)] == (1, 1)
    path.write_text("b: 1\na: [5]\n", encoding="utf-8")
    changed, index = load_yaml(path)
    assert changed == {"b": 1, "a": [5]} and index.marks[("a",)] == (2, 1)


SCALARS = """\
time: 16:00
yes_word: yes
flag: true
off: False
count: 12
fraction: 0.5
octal_like: 0777
nothing: null
tilde: ~
date: 2025-02-20
quoted: "17:00"
bold: "**太字** と 普通"
list: [a, 1, 2.5, "x"]
nested:
  - title: 資料
    items:
      - 令和7年度
      - |
        二行の
        ブロック
"""


@pytest.mark.parametrize("text", [SCALARS] + [p.read_text(encoding="utf-8") for p in sorted(
    (Path(__file__).parent.parent / "examples" / "council-120").rglob("*.yaml"))])
def test_libyaml_and_pure_python_readers_agree(text):
    """Files without anchors are read by libyaml; it must give the same values and positions."""
    from council_materials import loading

    slow_data, slow_index = loading._read(Path("x.yaml"), text, loading._Loader)
    fast_data, fast_index = loading._read(Path("x.yaml"), text, loading._FastLoader)
    assert fast_data == slow_data
    assert fast_index.marks == slow_index.marks
    assert len(slow_index.marks) > 5


def test_errors_found_by_libyaml_are_reported_as_the_pure_python_reader_words_them(tmp_path):
    path = write(tmp_path, "a: [1, 2\nb: 3\n")
    with pytest.raises(InputError) as error:
        load_yaml(path)
    # libyaml would say "did not find expected ',' or ']'"; the message is PyYAML's, as in every other case
    assert str(error.value) == f"{path}:2:2: invalid YAML: while parsing a flow sequence expected ',' or ']', " \
                               "but got ':'"


def test_an_unchanged_file_is_validated_once_across_processes(tmp_path, monkeypatch):
    """``load_validated`` keeps the validated fields in the cache folder, keyed on the bytes, the model
    and the code: a file that did not change is not validated again (a new process included), a
    changed one is, and a model made at run time (the built-in slides type's) works too."""
    from council_materials import loading
    from council_materials.plugins import get_plugin_manager

    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache"))
    registry = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False))
    slides_model = registry.slides_content_model()
    assert registry.slides_content_model() is slides_model  # made once
    meeting_file = write(tmp_path, MEETING)
    slides_file = write(tmp_path, "slides:\n  - kind: bullets\n    title: 題\n    items: [一つ目]\n", "dx.yaml")
    first = [loading.load_validated(Meeting, meeting_file), loading.load_validated(slides_model, slides_file)]

    def no_validation(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("validated again")
    monkeypatch.setattr(loading, "validate", no_validation)
    again = [loading.load_validated(Meeting, meeting_file), loading.load_validated(slides_model, slides_file)]
    for (value, index, key), (value2, index2, key2) in zip(first, again):
        assert value2 == value and type(value2) is type(value) and index2.marks == index.marks and key2 == key
    write(tmp_path, MEETING.replace("number: 120", "number: 121"))
    with pytest.raises(AssertionError, match="validated again"):
        loading.load_validated(Meeting, meeting_file)


def test_a_validated_file_is_not_reused_with_another_set_of_slide_kinds(tmp_path, monkeypatch):
    """The built-in slides type's model is a union over the registered kinds: a file validated while a kind
    was registered is validated again (and refused) once that kind is gone."""
    from council_materials import loading
    from council_materials.plugins import _slides_content_model, get_plugin_manager

    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache"))
    kinds = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False)).slide_kinds
    every = _slides_content_model(tuple(kind.model for kind in kinds.values()))
    fewer = _slides_content_model(tuple(kind.model for name, kind in kinds.items() if name != "bullets"))
    path = write(tmp_path, "slides:\n  - kind: bullets\n    title: 題\n    items: [一つ目]\n", "dx.yaml")
    loading.load_validated(every, path)
    with pytest.raises(InputError, match="bullets"):
        loading.load_validated(fewer, path)

"""Numbering: 資料1…N in the meeting's order, 参考 for references, and what does not fit together."""
from __future__ import annotations

import types
from pathlib import Path

import pytest

from council_materials import MaterialType, hookimpl
from council_materials.pipeline import load_bundle
from council_materials.errors import AssemblyError, InputError
from council_materials.models import BulletsSlide, StrictModel, Text
from council_materials.plugins import get_plugin_manager

ROSTER = "chair: {post: 座長職, name: 山田 太郎, specialty: 土木}\n"
SLIDES = "slides:\n  - kind: bullets\n    title: {title}\n    items: [項目]\n"


def entry(ident: str, source: str | None = "slides", content: str | None = "auto") -> str:
    lines = [f"  - id: {ident}", f"    title: 題名{ident}"]
    if source:
        lines.append(f"    source: {source}")
    if content == "auto" and source == "slides":
        content = f"{ident}.yaml"
    if content and content != "auto":
        lines.append(f"    content: {content}")
    return "\n".join(lines)


def write_meeting(tmp_path: Path, materials: list[str], references: list[str] = (), topics: str = "[]",
                  files: dict[str, str] | None = None) -> Path:
    root = tmp_path / "meeting"
    root.mkdir()
    text = ("council: テスト会議\nnumber: 7\ndate: 2025-02-20\nstart: '16:00'\nend: '17:00'\n"
            f"agenda:\n  topics:\n    - title: 議題一\n      materials: {topics}\n"
            "materials:\n" + "\n".join(materials) + "\n")
    if references:
        text += "references:\n" + "\n".join(references) + "\n"
    (root / "meeting.yaml").write_text(text, encoding="utf-8")
    (root / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    names = [line.split(": ", 1)[1] for block in [*materials, *references] for line in block.splitlines()
             if line.strip().startswith("content:")]
    for name in names:
        (root / name).write_text(SLIDES.format(title=name), encoding="utf-8")
    for name, body in (files or {}).items():
        (root / name).write_text(body, encoding="utf-8")
    return root


def assembly_error(root: Path, pm) -> str:
    with pytest.raises(AssemblyError) as info:
        load_bundle(root, pm)
    return str(info.value)


def test_numbering_follows_the_meetings_order(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("zeta"), entry("alpha"), entry("mid")], [entry("charter", None)],
                         topics="[alpha, charter]")
    bundle, _ = load_bundle(root, pm)
    assert [(m.label, m.id, m.position) for m in bundle.materials] == [
        ("資料1", "zeta", 1), ("資料2", "alpha", 2), ("資料3", "mid", 3), ("参考", "charter", 4)]
    assert [m.slides[0].title for m in bundle.built()] == ["zeta.yaml", "alpha.yaml", "mid.yaml"]
    assert [m.id for m in bundle.materials] == ["zeta", "alpha", "mid", "charter"]


def test_several_references_are_numbered(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")], [entry("r1", None), entry("r2")])
    bundle, _ = load_bundle(root, pm)
    assert [m.label for m in bundle.materials] == ["資料1", "参考1", "参考2"]
    assert [m.id for m in bundle.built()] == ["a", "r2"]
    assert bundle.materials[1].slides == () and bundle.materials[1].plugin is None
    assert bundle.materials[2].plugin == "council_materials.builtin"


def test_listed_only_reference_has_no_pages(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")], [entry("charter", None)])
    bundle, _ = load_bundle(root, pm)
    assert [m.id for m in bundle.built()] == ["a"]
    assert bundle.materials[-1].title == "題名charter"


def test_unknown_source_lists_the_available_types(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a"), entry("b", "nope", "b.yaml")])
    message = assembly_error(root, pm)
    assert "資料2 (b)" in message and "'nope'" in message and "available: slides" in message


def test_available_types_include_plugins(tmp_path):
    class Content(StrictModel):
        text: Text

    ns = types.ModuleType("notes_plugin")
    ns.material_types = hookimpl(lambda: [MaterialType("note", Content, lambda c, ctx: [])])
    root = write_meeting(tmp_path, [entry("b", "notte", "b.yaml")])
    message = assembly_error(root, get_plugin_manager(load_entrypoints=False, extra=(ns,)))
    assert "available: note, slides" in message


def test_duplicate_id(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a"), entry("b"), entry("a")])
    message = assembly_error(root, pm)
    assert "資料3: duplicate material id 'a'" in message


def test_duplicate_id_between_material_and_reference(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")], [entry("a", None)])
    assert "参考: duplicate material id 'a'" in assembly_error(root, pm)


def test_agenda_refers_to_unknown_material(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("dx"), entry("wa")], topics="[dx, talent]")
    message = assembly_error(root, pm)
    assert "agenda topic (1) '議題一' refers to unknown material 'talent'" in message
    assert "materials are: dx, wa" in message


def test_every_assembly_problem_is_reported_at_once(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a"), entry("a"), entry("c", "nope", "c.yaml")], topics="[zz]")
    message = assembly_error(root, pm)
    assert message.startswith("meeting.yaml")
    assert "duplicate material id 'a'" in message and "'nope'" in message and "unknown material 'zz'" in message


def test_plugin_type_without_content_file(tmp_path):
    class Content(StrictModel):
        text: Text = "x"

    class Needs(StrictModel):
        text: Text

    ns = types.ModuleType("notes_plugin")
    ns.material_types = hookimpl(lambda: [
        MaterialType("note", Content, lambda c, ctx: [BulletsSlide(items=[c.text])]),
        MaterialType("needs", Needs, lambda c, ctx: [BulletsSlide(items=[c.text])])])
    pm = get_plugin_manager(load_entrypoints=False, extra=(ns,))
    root = write_meeting(tmp_path, [entry("n", "note", None)])
    bundle, _ = load_bundle(root, pm)  # every field has a default: no content file needed
    assert bundle.materials[0].slides[0].items == ["x"]
    (tmp_path / "other").mkdir()
    other = write_meeting(tmp_path / "other", [entry("m", "needs", None)])
    assert "資料1 (m): source 'needs' needs a 'content' file" in assembly_error(other, pm)


def test_slides_material_without_content_file(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a", "slides", None)])
    assert "資料1 (a): source 'slides' needs a 'content' file" in assembly_error(root, pm)


def test_missing_content_file(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")])
    (root / "a.yaml").unlink()
    with pytest.raises(InputError) as info:
        load_bundle(root, pm)
    [p] = info.value.problems
    assert p.file == root / "meeting.yaml" and p.field == "materials[0].content"  # where it is named
    assert p.message == "a.yaml: file not found (資料1's content file); check the name, or create it"


def test_empty_slides_material_is_refused(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")], files={"a.yaml": "slides: []\n"})
    with pytest.raises(InputError) as info:
        load_bundle(root, pm)
    [p] = info.value.problems
    assert p.file == root / "a.yaml" and p.field == "slides" and p.line == 1


def test_empty_material_from_a_plugin_is_refused(tmp_path):
    class Content(StrictModel):
        text: Text

    ns = types.ModuleType("notes_plugin")
    ns.material_types = hookimpl(lambda: [MaterialType("note", Content, lambda c, ctx: [])])
    root = write_meeting(tmp_path, [entry("n", "note", "n.yaml")], files={"n.yaml": "text: 空\n"})
    with pytest.raises(InputError) as info:
        load_bundle(root, get_plugin_manager(load_entrypoints=False, extra=(ns,)))
    assert "資料1 (n) has no slides; an empty material cannot be built" in str(info.value)


def test_problems_of_every_content_file_are_reported_at_once(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a"), entry("b")],
                         files={"a.yaml": "slides:\n  - {kind: bullets, itemz: [x]}\n", "b.yaml": "slidez: []\n"})
    with pytest.raises(InputError) as info:
        load_bundle(root, pm)
    files = {p.file.name for p in info.value.problems}
    assert files == {"a.yaml", "b.yaml"}


def test_missing_meeting_folder(tmp_path, pm):
    with pytest.raises(InputError, match="meeting folder not found"):
        load_bundle(tmp_path / "nowhere", pm)


def test_roster_file_is_read_from_the_meeting(tmp_path, pm):
    root = write_meeting(tmp_path, [entry("a")])
    bundle, _ = load_bundle(root, pm)
    assert bundle.roster.chair.name == "山田 太郎"
    assert bundle.meeting.title == "第7回 テスト会議"

"""Plugin isolation: one plugin's failure or bad content is reported as its own and touches no other's."""
from __future__ import annotations

import types
from pathlib import Path
from typing import Any

import pytest

from council_materials import MaterialType, hookimpl
from council_materials.build import build
from council_materials.pipeline import load_bundle
from council_materials.errors import InputError, PluginError
from council_materials.models import BulletsSlide, StrictModel, Text
from council_materials.plugins import get_plugin_manager

from meetings import MEETING, write_meeting


class Note(StrictModel):
    text: Text


def _plugin(name: str, type_name: str, build_fn: Any = None) -> types.ModuleType:
    def default(content: Note, ctx: Any) -> list[BulletsSlide]:
        return [BulletsSlide(title=ctx.label, items=[content.text])]

    @hookimpl
    def material_types() -> list[MaterialType]:
        return [MaterialType(type_name, Note, build_fn or default)]
    module = types.ModuleType(name)  # a plugin is a module (or a hashable object)
    module.material_types = material_types  # type: ignore[attr-defined]
    return module


def _two_materials(tmp_path: Path, a_text: str, b_text: str) -> Path:
    meeting = MEETING.replace(
        "    source: slides\n    content: plan.yaml\n",
        "    source: alpha\n    content: a.yaml\n  - id: beta\n    title: ベータ\n    source: beta\n    content: b.yaml\n")
    root = write_meeting(tmp_path, meeting=meeting)
    (root / "a.yaml").write_text(a_text, encoding="utf-8")
    (root / "b.yaml").write_text(b_text, encoding="utf-8")
    return root


def test_bad_content_of_one_plugin_is_reported_against_its_file_only(tmp_path: Path) -> None:
    root = _two_materials(tmp_path, "text: 良い内容\n", "txt: 誤った鍵\n")
    pm = get_plugin_manager(load_entrypoints=False, extra=(_plugin("one", "alpha"), _plugin("two", "beta")))
    with pytest.raises(InputError) as caught:
        load_bundle(root, pm)
    files = {problem.file.name for problem in caught.value.problems}
    assert files == {"b.yaml"}
    assert "unknown key 'txt'; did you mean 'text'?" in str(caught.value)


def test_a_plugin_cannot_change_what_others_see(tmp_path: Path) -> None:
    def meddling(content: Note, ctx: Any) -> list[BulletsSlide]:
        ctx.meeting.materials[1].title = "書き換え"  # type: ignore[misc]  # frozen: refused
        return []

    root = _two_materials(tmp_path, "text: 内容A\n", "text: 内容B\n")
    pm = get_plugin_manager(load_entrypoints=False,
                            extra=(_plugin("meddler", "alpha", meddling), _plugin("two", "beta")))
    with pytest.raises(PluginError) as caught:
        build(root, tmp_path / "out", pm)
    assert "plugin 'meddler' (building material '資料1 plan')" in str(caught.value)
    assert "frozen" in str(caught.value)
    assert not (tmp_path / "out").exists()


def test_a_good_pair_builds_each_material_from_its_own_content(tmp_path: Path) -> None:
    root = _two_materials(tmp_path, "text: 内容A\n", "text: 内容B\n")
    pm = get_plugin_manager(load_entrypoints=False, extra=(_plugin("one", "alpha"), _plugin("two", "beta")))
    bundle, _ = load_bundle(root, pm)
    assert [(m.label, m.plugin, m.slides[0].items) for m in bundle.built()] == [
        ("資料1", "one", ["内容A"]), ("資料2", "two", ["内容B"])]

"""Each hook's worked example in docs/plugin-guide.md, run as written: one test (or more) per hook.

The examples are taken from the guide itself, so a guide whose example stops working fails here.
"""
from __future__ import annotations

import re
import types
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from council_materials.cli import make_cli
from council_materials.errors import PluginError
from council_materials.layout.primitives import Box
from council_materials.plugins import Registry, get_plugin_manager
from council_materials.testing import build_pages

from conftest import ROOT
from meetings import MEETING, write_meeting

GUIDE = ROOT / "docs" / "plugin-guide.md"


def guide_example(hook: str, name: str) -> types.ModuleType:
    """The python code under the guide's heading for ``hook``, run as a plugin module called ``name``."""
    section = GUIDE.read_text(encoding="utf-8").split(f"\n## `{hook}`\n", 1)[1].split("\n## ", 1)[0]
    module = types.ModuleType(name)
    for block in re.findall(r"```python\n(.*?)```", section, re.S):
        exec(compile(block, f"{GUIDE}#{hook}", "exec", dont_inherit=True), module.__dict__)
    return module


def _cli(*plugins: types.ModuleType):  # type: ignore[no-untyped-def]
    return make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=plugins))


NOTICE = "  - {id: notice, title: お知らせ, owner: 総務局, source: notice, content: notice.yaml}\n"


def _with_notice(tmp_path: Path, *, first: bool = False, text: str = "notices: [次回は5月に開催します]\n") -> Path:
    materials = MEETING.split("materials:\n", 1)
    if first:
        meeting = f"{materials[0]}materials:\n{NOTICE}{materials[1]}"
    else:
        meeting = MEETING.replace("references:", NOTICE + "references:")
    root = write_meeting(tmp_path, meeting=meeting)
    (root / "notice.yaml").write_text(text, encoding="utf-8")
    return root


def test_hook_material_types_builds_the_guides_notice_material(tmp_path: Path) -> None:
    notices = guide_example("material_types", "notices")
    assert Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False, extra=(notices,))).owner(
        "notice") == "notices"
    root = _with_notice(tmp_path)
    result = CliRunner().invoke(_cli(notices), ["build", str(root), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    pdf = PdfReader(root / "build" / "02_資料2_お知らせ.pdf")
    text = "".join(pdf.pages[0].extract_text().split())
    assert "総務局" in text and "お知らせ" in text and "次回は5月に開催します" in text and "資料2" in text


def test_hook_material_types_content_is_checked_against_the_plugins_model(tmp_path: Path) -> None:
    root = _with_notice(tmp_path, text="notice: [次回は5月に開催します]\n")
    result = CliRunner().invoke(_cli(guide_example("material_types", "notices")), ["validate", str(root)])
    assert result.exit_code == 1
    assert f"{root.resolve()}/notice.yaml:1:1: notice: unknown key 'notice'; did you mean 'notices'?" in result.output


def test_hook_slide_kinds_lays_out_the_guides_message_kind(tmp_path: Path) -> None:
    kinds = guide_example("slide_kinds", "messages")
    registry = Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False, extra=(kinds,)))
    assert registry.owners["kind:message"] == "messages"
    slide = {"kind": "message", "title": "結び", "message": "ご清聴ありがとうございました"}
    [page] = build_pages("slides", {"slides": [slide]}, registry=registry)
    [block] = [b for b in page.text_blocks() if b.name == "message"]
    [frame] = [i for i in page.items if isinstance(i, Box) and i.name == "message frame"]
    assert [line.text for line in block.lines] == ["ご清聴ありがとうございました"] and block.size == 24
    assert frame.rect.x < block.rect.x and block.rect.right < frame.rect.right


def test_hook_slide_kinds_overflow_is_reported_at_the_slide(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, plan="slides:\n  - kind: bullets\n    items: [一]\n"
                                        f"  - kind: message\n    message: {'長い' * 400}\n")
    result = CliRunner().invoke(_cli(guide_example("slide_kinds", "messages")), ["build", str(root)])
    assert result.exit_code == 1
    assert (f"{root.resolve()}/plan.yaml:5:5: slides[1].message: 資料1 (plan), page 2, box 'message', "
            "field message: text does not fit") in result.output


def test_hook_check_bundle_refuses_a_notice_before_other_materials(tmp_path: Path) -> None:
    plugins = (guide_example("material_types", "notices"), guide_example("check_bundle", "notice_order"))
    root = _with_notice(tmp_path, first=True)
    result = CliRunner().invoke(_cli(*plugins), ["build", str(root)])
    assert result.exit_code == 1 and not (root / "build").exists()
    assert result.output == ("error: plugin 'notice_order': the bundle check failed:\n"
                             "  資料1 (notice) is a notice; move it to the end of 'materials' in meeting.yaml\n")
    with pytest.raises(PluginError) as caught:
        from council_materials.pipeline import load_bundle
        load_bundle(root, get_plugin_manager(load_entrypoints=False, extra=plugins))
    assert caught.value.plugin == "notice_order"


def test_hook_check_bundle_passes_when_the_notice_is_last(tmp_path: Path) -> None:
    plugins = (guide_example("material_types", "notices"), guide_example("check_bundle", "notice_order"))
    result = CliRunner().invoke(_cli(*plugins), ["validate", str(_with_notice(tmp_path))])
    assert result.exit_code == 0, result.output

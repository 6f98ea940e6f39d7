"""Issue 12's catalogue, plugins: a plugin cannot fake success (``sys.exit(0)`` anywhere is a failure naming it),
cannot change what other materials are built from, and a layout returning something else than page items is
its error, found by ``validate`` as by ``build``.

Each plugin is installed through a real entry point and ``council`` runs as a real process with a time bound.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from meetings import MEETING
from safety import add_slow_slide, make_world, outputs, snapshot

_MATERIAL = """
import sys
from council_materials import MaterialType, hookimpl
from council_materials.models import BulletsSlide, StrictModel

{at_import}


class Content(StrictModel):
    text: str = "本文"


def build(content, ctx):
    {in_build}
    return [BulletsSlide(title="題", items=[content.text])]


@hookimpl
def material_types():
    return [MaterialType("bad", Content, build)]
"""

_TWO = MEETING.replace("materials:\n  - id: plan", "materials:\n  - id: other\n    title: 別の資料\n    source: bad\n"
                       "  - id: plan").replace("materials: [plan]", "materials: [plan, other]")


def _world(tmp_path: Path, at_import: str = "", in_build: str = "pass"):  # type: ignore[no-untyped-def]
    world = make_world(tmp_path, meeting=_TWO)
    world.plugin(_MATERIAL.replace("{at_import}", at_import).replace("{in_build}", in_build))
    return world


def _every_command_fails(world, *lines: str, commands=("validate", "build", "plugins")) -> None:  # type: ignore[no-untyped-def]
    before = snapshot(world.root)
    for command in commands:
        args = [command] if command == "plugins" else [command, world.meeting]
        run = world.council(*args)
        assert run.code == 1, f"{command}: {run.text}"
        for line in lines:
            assert line in run.err, f"{command}: {line!r} not in {run.err!r}"
        assert "Traceback" not in run.text
        assert snapshot(world.root) == before


def test_sys_exit_0_at_import_is_a_plugin_error(tmp_path: Path) -> None:
    world = _world(tmp_path, at_import="sys.exit(0)")
    _every_command_fails(world, "error: plugin 'bad': cannot be loaded (called sys.exit(0); a plugin must raise an "
                                "exception instead of ending the program)")


def test_sys_exit_0_in_build_is_a_plugin_error(tmp_path: Path) -> None:
    world = _world(tmp_path, in_build="sys.exit(0)")
    _every_command_fails(world, ": plugin 'bad' (building material '資料1 other'): called sys.exit(0)",
                         commands=("validate", "build"))  # after the plugin's file and line (tests/test_messages.py)


def test_sys_exit_0_in_a_layout_is_a_plugin_error(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    add_slow_slide(world, "sys.exit(0)")
    (world.root / "site" / "slow_plugin.py").write_text(
        "import sys\n" + (world.root / "site" / "slow_plugin.py").read_text(encoding="utf-8"), encoding="utf-8")
    _every_command_fails(world, f"error: {world.root / 'site' / 'slow_plugin.py'}:",
                         ": plugin 'slow' (building material '資料1'): laying out a 'slow' slide (page 3) "
                         "called sys.exit(0)", commands=("validate", "build"))


def test_a_layout_returning_other_things_than_page_items_is_found_by_validate_as_by_build(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    add_slow_slide(world, "return ['a string', 42]")
    _every_command_fails(world, "error: plugin 'slow' (building material '資料1'): laying out a 'slow' slide (page 3) "
                                "returned a list holding str, not a list of page items (TextBlock, Box",
                         commands=("validate", "build"))


def test_keyboard_interrupt_from_a_plugin_is_an_interruption(tmp_path: Path) -> None:
    world = _world(tmp_path, in_build="raise KeyboardInterrupt")
    before = snapshot(world.root)
    run = world.council("build", world.meeting)
    assert run.code == 1 and "error: interrupted; the previous outputs are unchanged" in run.err, run.text
    assert snapshot(world.root) == before


_MUTATING = """
from council_materials import MaterialType, hookimpl
from council_materials.models import BulletsSlide, StrictModel


class Content(StrictModel):
    text: str = "本文"


def build(content, ctx):
    object.__setattr__(ctx.meeting, "council", "乗っ取られた会議")
    object.__setattr__(ctx.meeting.materials[1], "title", "書き換えた題")
    ctx.meeting.materials.clear()
    object.__setattr__(content, "text", "変えた本文")
    return [BulletsSlide(title="題", items=[content.text])]


@hookimpl
def material_types():
    return [MaterialType("bad", Content, build)]
"""


def test_a_plugin_changing_the_meeting_changes_no_other_material(tmp_path: Path) -> None:
    world = make_world(tmp_path, meeting=_TWO)
    world.plugin(_MUTATING)
    names = ["00_会議次第.pdf", "00_会議次第.pptx", "01_資料1_別の資料.pdf", "01_資料1_別の資料.pptx",
             "02_資料2_計画について.pdf", "02_資料2_計画について.pptx", "第5回テスト会議_資料一式.pdf"]
    for out in ("first", "second"):  # the second build takes the slides from the cache
        run = world.council("build", world.meeting, "-o", tmp_path / out)
        assert run.code == 0, run.text
        assert outputs(tmp_path / out) == names
    for name in names:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    from readback import pdf_chars, squash
    cover = squash("".join(c.text for page in pdf_chars(tmp_path / "first" / names[0]) for c in page))
    assert "第5回テスト会議" in cover and "乗っ取られた" not in cover and "書き換えた" not in cover


@pytest.mark.parametrize("hook", ["check_bundle"])
def test_a_bundle_check_cannot_change_the_bundle(tmp_path: Path, hook: str) -> None:
    world = make_world(tmp_path)
    world.plugin("""
        from council_materials import hookimpl

        @hookimpl
        def check_bundle(bundle):
            object.__setattr__(bundle.meeting, "council", "乗っ取られた会議")
            bundle.materials[0].slides[0].items.clear()
            return []
    """)
    run = world.council("build", world.meeting, "-o", tmp_path / "out")
    assert run.code == 0, run.text
    assert outputs(tmp_path / "out")[-1] == "第5回テスト会議_資料一式.pdf"

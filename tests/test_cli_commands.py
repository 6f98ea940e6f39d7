"""The authoring commands: ``council plugins``, ``build --only``, progress lines, ``schema NAME``."""
from __future__ import annotations

import json
import types
from pathlib import Path

import pytest
from click.testing import CliRunner

from council_materials import MaterialType, SlideKind, hookimpl
from council_materials import cli as cli_module
from council_materials.cli import make_cli
from council_materials.models import BulletsSlide, StrictModel
from council_materials.plugins import get_plugin_manager

from meetings import PLAN, MEETING, outputs, write_meeting
from test_plugins import BannerSlide, layout_banner


class Note(StrictModel):
    text: str = "本文"


def _extra_plugin() -> types.ModuleType:
    module = types.ModuleType("bureau_notes")
    module.material_types = hookimpl(lambda: [MaterialType("note", Note, lambda c, ctx: [BulletsSlide(items=[c.text])],
                                                           "局のお知らせ")])
    module.slide_kinds = hookimpl(lambda: [SlideKind("banner", BannerSlide, layout_banner, "大きな見出し")])
    module.check_bundle = hookimpl(lambda bundle: None)
    return module


def test_plugins_lists_versions_contributions_and_hooks() -> None:
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=(_extra_plugin(),)))
    result = CliRunner().invoke(cli, ["plugins"])
    assert result.exit_code == 0, result.output
    core, extra = result.output.split("bureau_notes")
    assert core.startswith("council_materials.builtin (council-materials 0.1.0)\n  material types:\n    slides — ")
    assert "  slide kinds:\n    bullets — Nested bullet list\n" in core
    assert "  output formats:\n    html — one self-contained HTML file per part" in core
    assert core.endswith("  hooks: material_types, output_formats, slide_kinds\n")
    assert extra == (" (not installed)\n  material types:\n    note — 局のお知らせ\n"
                     "  slide kinds:\n    banner — 大きな見出し\n  hooks: check_bundle, material_types, slide_kinds\n")


def test_plugins_lists_the_installed_working_groups() -> None:
    result = CliRunner().invoke(make_cli(), ["plugins"])
    assert result.exit_code == 0, result.output
    for name in ("dx", "international", "talent", "wa"):
        assert f"\n{name} (council-materials-{name} 0.1.0)\n  material types:\n    {name} — " in result.output


def _two_materials(tmp_path: Path) -> Path:
    meeting = MEETING.replace("references:", "  - id: second\n    title: 第二の資料\n    source: slides\n"
                                             "    content: second.yaml\nreferences:")
    root = write_meeting(tmp_path, meeting=meeting)
    (root / "second.yaml").write_text("slides:\n  - {kind: bullets, title: 二, items: [b]}\n", encoding="utf-8")
    return root


def test_only_builds_one_material_numbered_as_in_the_full_build(tmp_path: Path) -> None:
    root = _two_materials(tmp_path)
    runner, cli = CliRunner(), make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    full = runner.invoke(cli, ["build", str(root)])
    assert full.exit_code == 0, full.output
    (root / "plan.yaml").write_text("slides: [broken", encoding="utf-8")  # another group's file, half edited
    only = runner.invoke(cli, ["build", str(root), "--only", "second"])
    assert only.exit_code == 0, only.output
    names = outputs(root / "build-second")
    assert names == ["02_資料2_第二の資料.pdf", "02_資料2_第二の資料.pptx"]
    assert f"built 2 files (1 page) in {(root / 'build-second').resolve()}" in only.output
    for name in names:  # the same bytes as in the full build
        assert (root / "build-second" / name).read_bytes() == (root / "build" / name).read_bytes()


@pytest.mark.parametrize("only, words", [
    ("nothere", "--only nothere: no material or reference has that id; ids are: plan, second, charter"),
    ("charter", "--only charter: this entry is listed only (it has no source), so it has no pages to build"),
])
def test_only_with_an_id_that_has_no_pages(tmp_path: Path, only: str, words: str) -> None:
    root = _two_materials(tmp_path)
    result = CliRunner().invoke(make_cli(lambda: get_plugin_manager(load_entrypoints=False)),
                                ["build", str(root), "--only", only])
    assert result.exit_code == 1 and words in result.output and "Traceback" not in result.output
    assert not (root / f"build-{only}").exists()


def test_progress_lines_on_a_terminal_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_meeting(tmp_path)
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    quiet = CliRunner().invoke(cli, ["build", str(root), "--format", "pdf"])
    assert quiet.exit_code == 0 and quiet.stderr == ""
    monkeypatch.setattr(cli_module, "_stderr_is_terminal", lambda: True)
    monkeypatch.setenv("COUNCIL_MATERIALS_WORKERS", "1")  # parts end in order, biggest first
    (root / "plan.yaml").write_text(PLAN.replace("一つ目の項目", "最初の項目"), encoding="utf-8")
    shown = CliRunner().invoke(cli, ["build", str(root), "--format", "pdf"])
    assert shown.exit_code == 0
    assert shown.stderr.splitlines() == [
        f"reading {root}", "laying out 資料1 (plan); unchanged: 会議次第",
        "[1/1] 資料1 (plan): 2 pages, rendered 01_資料1_計画について.pdf",
        "joining 2 PDFs into 第5回テスト会議_資料一式.pdf"]
    assert shown.stdout == quiet.stdout
    (root / "meeting.yaml").write_text((root / "meeting.yaml").read_text(encoding="utf-8").replace(
        "number: 5", "number: 6"), encoding="utf-8")
    everything = CliRunner().invoke(cli, ["build", str(root), "--format", "pdf"])
    assert everything.stderr.splitlines()[1:4] == [
        "laying out 資料1 (plan), 会議次第",
        "[1/2] 資料1 (plan): 2 pages, rendered 01_資料1_計画について.pdf",
        "[2/2] 会議次第: 2 pages, rendered 00_会議次第.pdf"]


def test_schema_prints_or_writes_only_the_named_schemas(tmp_path: Path) -> None:
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    printed = CliRunner().invoke(cli, ["schema", "agenda"])
    assert printed.exit_code == 0 and printed.output.startswith("--- agenda.schema.json\n")
    assert json.loads(printed.output.split("\n", 1)[1])["title"] == "Agenda"
    written = CliRunner().invoke(cli, ["schema", "roster", "slides", "--write", str(tmp_path / "s")])
    assert written.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "s").iterdir()) == ["roster.schema.json", "slides.schema.json"]
    unknown = CliRunner().invoke(cli, ["schema", "dx"])
    assert unknown.exit_code == 1 and "error: no schema named 'dx'; known: meeting, roster, agenda, slides" \
        in unknown.output


def test_help_lists_every_command() -> None:
    result = CliRunner().invoke(make_cli(), ["--help"])
    for command in ("build", "validate", "watch", "schema", "plugins", "new-plugin"):
        assert f"\n  {command} " in result.output

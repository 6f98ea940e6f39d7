"""The ``council`` command line with click's CliRunner: exit codes, messages, and untouched outputs on failure."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from council_materials.cli import make_cli
from council_materials.errors import FontError
from council_materials.plugins import get_plugin_manager

from meetings import MEETING, PLAN, ROSTER, outputs, write_meeting  # noqa: F401

@pytest.fixture
def cli():
    return make_cli(lambda: get_plugin_manager(load_entrypoints=False))


@pytest.fixture
def runner():
    return CliRunner()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


EXPECTED = ["00_会議次第.pdf", "00_会議次第.pptx", "01_資料1_計画について.pdf", "01_資料1_計画について.pptx",
            "第5回テスト会議_資料一式.pdf"]


def test_build_succeeds_and_lists_files(cli, runner, tmp_path):
    root = write_meeting(tmp_path)
    out = tmp_path / "out"
    result = runner.invoke(cli, ["build", str(root), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert outputs(out) == sorted(EXPECTED)
    for name in EXPECTED:
        assert f"  {name}\n" in result.output
        assert (out / name).stat().st_size > 0
    assert (out / EXPECTED[0]).read_bytes().startswith(b"%PDF")
    assert (out / EXPECTED[1]).read_bytes().startswith(b"PK")
    assert f"built {len(EXPECTED)} files (4 pages) in {out.resolve()}" in result.output
    assert "error" not in result.output


def test_default_output_folder_and_format_option(cli, runner, tmp_path):
    root = write_meeting(tmp_path)
    result = runner.invoke(cli, ["build", str(root), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert outputs(root / "build") == sorted(n for n in EXPECTED if n.endswith(".pdf"))


def test_a_rebuild_replaces_its_own_files_and_keeps_everything_else(cli, runner, tmp_path):
    root = write_meeting(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(root), "-o", str(out)]).exit_code == 0
    (out / "notes.txt").write_text("the secretariat's own", encoding="utf-8")
    (root / "meeting.yaml").write_text(MEETING.replace("title: 計画について", "title: 新しい計画"), encoding="utf-8")
    assert runner.invoke(cli, ["build", str(root), "-o", str(out)]).exit_code == 0
    renamed = [n.replace("計画について", "新しい計画") for n in EXPECTED]
    assert outputs(out) == sorted(renamed + ["notes.txt"])  # the old material's files are gone, the notes stay
    assert (out / "notes.txt").read_text(encoding="utf-8") == "the secretariat's own"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting", "out"]


@pytest.mark.parametrize("plan, where, field, words", [
    (PLAN.replace("    title: 計画の概要", "    titel: 計画の概要"), "plan.yaml:3:5", "slides[0].titel",
     "unknown key 'titel'"),
    (PLAN.replace("kind: section", "kind: secton"), "plan.yaml:8:5", "slides[1]", "secton"),
    (PLAN.replace("  - kind: section\n    title: 第2部\n", "  - kind: section\n"), "plan.yaml:8:5",
     "slides[1].title", "required field 'title' is missing"),
])
def test_bad_content_exits_1_with_location(cli, runner, tmp_path, plan, where, field, words):
    root = write_meeting(tmp_path, plan=plan)
    result = runner.invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ")
    assert f"{root.resolve() / where.split(':')[0]}:{where.split(':', 1)[1]}: {field}: " in result.output
    assert words in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_bad_meeting_exits_1_with_hint(cli, runner, tmp_path):
    root = write_meeting(tmp_path, meeting=MEETING.replace("number: 5", "numbr: 5"))
    result = runner.invoke(cli, ["build", str(root)])
    assert result.exit_code == 1
    assert "meeting.yaml:2:1: numbr: unknown key 'numbr'; did you mean 'number'?" in result.output
    assert "required field 'number' is missing" not in result.output  # the misspelt key says it
    assert "Traceback" not in result.output and not (root / "build").exists()


def test_assembly_error_exits_1(cli, runner, tmp_path):
    root = write_meeting(tmp_path, meeting=MEETING.replace("source: slides", "source: dx"))
    result = runner.invoke(cli, ["build", str(root)])
    assert result.exit_code == 1
    assert (f"error: {root.resolve() / 'meeting.yaml'}:13:5: materials[0].source: 資料1 (plan): no installed plugin "
            "provides material type 'dx'; available: slides") in result.output


def test_overflow_exits_1_naming_the_box(cli, runner, tmp_path):
    long = "とても長い文章が続きます。" * 400
    root = write_meeting(tmp_path, plan=f"slides:\n  - kind: bullets\n    items: [{long}]\n")
    result = runner.invoke(cli, ["build", str(root)])
    assert result.exit_code == 1
    assert "資料1 (plan), page 1, box 'column 1', field items: text does not fit" in result.output
    assert "Traceback" not in result.output


def test_failed_build_leaves_the_output_folder_untouched(cli, runner, tmp_path):
    good = write_meeting(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(good), "-o", str(out)]).exit_code == 0
    (out / "marker.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(out)
    (good / "plan.yaml").write_text(PLAN.replace("items:", "itemz:"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(good), "-o", str(out)])
    assert result.exit_code == 1 and "itemz" in result.output
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting", "out"]


def test_failure_while_rendering_leaves_no_partial_output(cli, runner, tmp_path, monkeypatch):
    root = write_meeting(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(root), "-o", str(out)]).exit_code == 0
    (out / "marker.txt").write_text("keep me", encoding="utf-8")
    before = snapshot(out)
    import council_materials.render.pptx as pptx_renderer

    def broken(doc, path):
        path.write_bytes(b"half a file")
        raise FontError("disk full while writing")
    monkeypatch.setattr(pptx_renderer, "render_pptx", broken)
    (root / "plan.yaml").write_text(PLAN.replace("一つ目の項目", "最初の項目"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(root), "-o", str(out)])
    assert result.exit_code == 1 and "error: disk full while writing" in result.output
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting", "out"]


def test_a_failed_first_build_leaves_no_output_folder(cli, runner, tmp_path, monkeypatch):
    root = write_meeting(tmp_path)
    import council_materials.render.pptx as pptx_renderer

    def broken(doc, path):
        raise FontError("disk full while writing")
    monkeypatch.setattr(pptx_renderer, "render_pptx", broken)
    result = runner.invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "disk full" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting"]


def test_missing_meeting_folder(cli, runner, tmp_path):
    result = runner.invoke(cli, ["build", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "error: " in result.output and "nowhere" in result.output and "meeting folder not found" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "nowhere").exists()


def test_meeting_folder_without_meeting_yaml(cli, runner, tmp_path):
    (tmp_path / "empty").mkdir()
    result = runner.invoke(cli, ["build", str(tmp_path / "empty")])
    assert result.exit_code == 1 and "meeting.yaml: file not found" in result.output


def test_plugin_error_exits_1_naming_the_plugin(runner, tmp_path):
    import types

    from council_materials import hookimpl
    broken = types.ModuleType("broken_plugin")
    broken.material_types = hookimpl(lambda: "not a list")
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=(broken,)))
    result = runner.invoke(cli, ["build", str(write_meeting(tmp_path))])
    assert result.exit_code == 1
    assert "error: plugin 'broken_plugin'" in result.output and "Traceback" not in result.output


def test_help_lists_build(cli, runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0 and "build" in result.output


def test_an_interrupted_build_leaves_the_previous_outputs(cli, runner, tmp_path, monkeypatch):
    root = write_meeting(tmp_path)
    out = tmp_path / "out"
    assert runner.invoke(cli, ["build", str(root), "-o", str(out)]).exit_code == 0
    before = snapshot(out)
    import council_materials.render.pdf as pdf_renderer

    def interrupted(doc, path):
        path.write_bytes(b"half a file")
        raise KeyboardInterrupt
    monkeypatch.setenv("COUNCIL_MATERIALS_WORKERS", "0")  # lay out in this process: Ctrl-C reaches it
    monkeypatch.setattr(pdf_renderer, "render_pdf", interrupted)
    plan = root / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("一つ目の項目", "最初の項目"), encoding="utf-8")
    result = runner.invoke(cli, ["build", str(root), "-o", str(out)])
    assert result.exit_code == 1 and "interrupted; the previous outputs are unchanged" in result.output
    assert snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meeting", "out"]

"""Output formats are registered (the ``output_formats`` hook), not listed: the core's PDF, PPTX and HTML and a
plugin's own are found, chosen with --format and written by a build the same way."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from council_materials import OutputFormat
from council_materials.build import build
from council_materials.cli import make_cli
from council_materials.errors import CouncilError, PluginError
from council_materials.plugins import Registry, get_plugin_manager

from meetings import write_meeting
from test_plugins import plugin


def write_text(document, path: Path) -> None:  # type: ignore[no-untyped-def]
    """The worked example of docs/plugin-guide.md: each page's lines, top to bottom."""
    out = [document.title]
    for number, page in enumerate(document.pages, 1):
        out.append(f"\n--- {number} ---")
        lines = [line for block in page.text_blocks() for line in block.lines]
        out += [line.text for line in sorted(lines, key=lambda line: (round(line.baseline), line.x))]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def _texts_pm():  # type: ignore[no-untyped-def]
    texts = plugin("texts", output_formats=lambda: [OutputFormat("txt", write_text, "the text of every page",
                                                                 default=False)])
    return get_plugin_manager(load_entrypoints=False, extra=(texts,))


def test_the_core_registers_pdf_pptx_and_html_and_builds_the_default_ones(pm) -> None:
    registry = Registry.from_plugin_manager(pm)
    assert list(registry.output_formats) == ["pdf", "pptx", "html"]
    assert {registry.owners[f"format:{name}"] for name in registry.output_formats} == {"council_materials.builtin"}
    assert [f.name for f in registry.formats()] == ["pdf", "pptx"]  # html only when asked for
    assert [f.name for f in registry.formats(["html", "pdf"])] == ["pdf", "html"]
    with pytest.raises(CouncilError, match=r"^--format docx: no such output format; the installed ones are "
                                           r"pdf, pptx, html \(council plugins lists them\)$"):
        registry.formats(["docx"])


def test_hook_output_formats_adds_a_format_that_build_writes_for_every_part(tmp_path: Path) -> None:
    root = write_meeting(tmp_path)
    pm = _texts_pm()
    registry = Registry.from_plugin_manager(pm)
    assert registry.owners["format:txt"] == "texts" and [f.name for f in registry.formats()] == ["pdf", "pptx"]
    result = build(root, tmp_path / "out", pm, ["txt"])
    assert sorted(path.name for path in result.files) == ["00_会議次第.txt", "01_資料1_計画について.txt"]
    text = (tmp_path / "out" / "01_資料1_計画について.txt").read_text(encoding="utf-8")
    assert text.startswith("資料1 計画について\n\n--- 1 ---\n") and "・一つ目の項目" in text and "--- 2 ---" in text
    assert not any(path.suffix in (".pdf", ".pptx") for path in (tmp_path / "out").iterdir())


def test_the_command_line_takes_every_registered_format_and_names_the_known_ones(tmp_path: Path) -> None:
    root = write_meeting(tmp_path)
    cli = make_cli(_texts_pm)
    result = CliRunner().invoke(cli, ["build", str(root), "--format", "txt", "--format", "html"])
    assert result.exit_code == 0, result.output
    written = sorted(path.name for path in (root / "build").iterdir() if not path.name.startswith("."))
    assert written == ["00_会議次第.html", "00_会議次第.txt", "01_資料1_計画について.html", "01_資料1_計画について.txt"]
    assert (root / "build" / "01_資料1_計画について.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    wrong = CliRunner().invoke(cli, ["build", str(root), "--format", "docx"])
    assert wrong.exit_code == 1 and wrong.stderr == ("error: --format docx: no such output format; the installed "
                                                     "ones are pdf, pptx, html, txt (council plugins lists them)\n")
    listed = CliRunner().invoke(cli, ["plugins"])
    assert "  output formats:\n    txt — the text of every page\n" in listed.output
    assert "    html — one self-contained HTML file per part" in listed.output


@pytest.mark.parametrize("name, words", [("pdf", "output format 'pdf' is already provided by plugin "
                                                 "'council_materials.builtin'"),
                                         ("PDF", "the name must be lower-case letters and digits"),
                                         ("../x", "the name must be lower-case letters and digits")])
def test_a_format_that_clashes_or_is_no_file_suffix_is_the_plugins_error(name: str, words: str) -> None:
    bad = plugin("badformats", output_formats=lambda: [OutputFormat(name, write_text)])
    with pytest.raises(PluginError, match="badformats") as info:
        Registry.from_plugin_manager(get_plugin_manager(load_entrypoints=False, extra=(bad,)))
    assert words in str(info.value)



def test_a_renderers_error_is_reported_as_it_is_and_no_part_is_laid_out_again(tmp_path: Path, monkeypatch) -> None:
    """A format's renderer that refuses a document fails the build with its own error; the build does not lay
    the parts out again to locate it (it used to): the slides are laid out as often as in a build that
    succeeds, and nothing is installed."""
    from council_materials import SlideKind

    from test_plugins import BannerSlide, layout_banner

    laid_out: list[str] = []

    def counted(slide, ctx, body):  # type: ignore[no-untyped-def]
        laid_out.append(slide.message)
        return layout_banner(slide, ctx, body)

    def refuse(document, path: Path) -> None:  # type: ignore[no-untyped-def]
        if document.title.startswith("資料1") and path.suffix == ".bad":
            raise CouncilError(f"cannot write {path.name}: refused")
        path.write_text("ok", encoding="utf-8")

    pm = get_plugin_manager(load_entrypoints=False, extra=(
        plugin("banners", slide_kinds=lambda: [SlideKind("banner", BannerSlide, counted, "counted")]),
        plugin("formats", output_formats=lambda: [OutputFormat("ok", refuse, "writes", default=False),
                                                  OutputFormat("bad", refuse, "refuses 資料1", default=False)])))
    root = write_meeting(tmp_path, plan="slides:\n  - kind: banner\n    title: 横断幕\n    message: 大きな見出し\n")
    monkeypatch.setenv("COUNCIL_MATERIALS_WORKERS", "0")  # lay out in this process, where the counter is
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache-ok"))
    build(root, tmp_path / "ok", pm, ["ok"])
    succeeding, laid_out[:] = len(laid_out), []
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache-bad"))  # the same work from scratch
    with pytest.raises(CouncilError, match=r"^cannot write 01_資料1_計画について\.bad: refused$"):
        build(root, tmp_path / "bad", pm, ["bad"])
    assert succeeding >= 1 and len(laid_out) == succeeding
    assert not (tmp_path / "bad").exists() or not [p for p in (tmp_path / "bad").iterdir() if p.suffix == ".bad"]

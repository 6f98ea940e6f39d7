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

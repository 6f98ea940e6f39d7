"""Issue 18: every message leads to the line to fix (each test shows the new text; the old is quoted)."""
from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path

from click.testing import CliRunner

from council_materials.cli import make_cli
from council_materials.loading import load_yaml
from council_materials.plugins import get_plugin_manager

from conftest import EXAMPLE
from meetings import MEETING, write_meeting

BUREAU = '''\
"""A bureau's plugin, as a bureau developer writes one (with a mistake or two)."""
from council_materials import MaterialType, hookimpl
from council_materials.models import RoadmapSlide, StrictModel


class Row(StrictModel):
    label: str
    steps: list[str]
    goal: str = "実現"


class MinatoContent(StrictModel):
    summary: str = ""
    rows: list[Row] = []


def build(content, ctx):
    if content.summary == "typo":
        return [content.sumary]  # the developer's typo
    return [RoadmapSlide(title="港湾DXの進め方",
                         rows=[{"label": row.label, "steps": row.steps, "goal": row.goal} for row in content.rows])]


@hookimpl
def material_types():
    return [MaterialType("minato", MinatoContent, build)]
'''
CONTENT = """\
rows:
  - label: 港湾施設情報の一元化
    steps: [台帳の電子化, 点検記録の共有, 維持管理への活用, 予算への反映]
"""


def _bureau(tmp_path: Path, content: str = CONTENT) -> tuple[Path, object]:
    """A meeting with the bureau's material 資料2, and the bureau's plugin loaded from its own file."""
    source = tmp_path / "council_minato.py"
    source.write_text(BUREAU, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("council_minato", source)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules["council_minato"] = module
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    meeting = MEETING.replace("references:", "  - {id: minato, title: 港湾局の取組, source: minato, "
                                             "content: minato.yaml}\nreferences:")
    root = write_meeting(tmp_path, meeting=meeting)
    (root / "minato.yaml").write_text(content, encoding="utf-8")
    return root, module


def _validate(root: Path, plugin: object, *options: str) -> list[str]:
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=(plugin,)))
    result = CliRunner().invoke(cli, [*options, "validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output.split("traceback of plugin")[0]
    return result.output.splitlines()


def test_a_core_slide_rule_broken_in_a_plugins_build_is_located_in_the_content(tmp_path: Path) -> None:
    """Before: ``ValidationError: 1 validation error for RoadmapSlide / Value error, row 1 ('港湾施設情報の一元化')
    has 4 steps, expected 3 [type=value_error, input_value={…}, …] https://errors.pydantic.dev/…``."""
    root, plugin = _bureau(tmp_path)
    lines = _validate(root, plugin)
    assert lines[0] == (
        f"error: {root}/minato.yaml:2:5: rows[0]: row 1 ('港湾施設情報の一元化') has 4 steps, expected 3 (the "
        f"RoadmapSlide the plugin 'council_minato' made from this for 資料2 (minato), at {tmp_path}/council_minato.py:20)")
    assert lines[-1] == f"error: 1 problem in {root}"


def test_a_plugins_exception_names_its_file_and_line_and_traceback_shows_it_whole(tmp_path: Path) -> None:
    """Before: ``AttributeError: 'MinatoContent' object has no attribute 'sumary'`` and nothing else."""
    root, plugin = _bureau(tmp_path, "summary: typo\n")
    [line, total] = _validate(root, plugin)
    assert line == (f"error: {tmp_path}/council_minato.py:19: plugin 'council_minato' (building material "
                    "'資料2 minato'): AttributeError: 'MinatoContent' object has no attribute 'sumary'")
    full = _validate(root, plugin, "--traceback")
    assert full[:2] == [line, total] and full[2] == "traceback of plugin 'council_minato':"
    assert "Traceback (most recent call last):" in full and '    return [content.sumary]  # the ' \
        "developer's typo" in full


def test_an_overflow_in_a_plugins_material_is_located_at_the_field_the_author_wrote(tmp_path: Path) -> None:
    """Before: ``…/content/international.yaml: 資料2 (international), page 2, box 'panel 1', field panel 1.items:
    text does not fit: … or allow shrinking in the theme (text.min_size).`` (no line; a box name; a key that
    does not exist)."""
    root = tmp_path / "meeting"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    content = root / "content" / "international.yaml"
    text = content.read_text(encoding="utf-8")
    content.write_text(text.replace("国際発信力の強化等の取組を推進する。", "国際発信力の強化等の取組を推進する。" * 60),
                       encoding="utf-8")
    result = CliRunner().invoke(make_cli(get_plugin_manager), ["validate", str(root)])
    _, index = load_yaml(content)
    line, column = index.marks[("overview", "purpose", "text")]
    [problem, total] = result.output.splitlines()
    assert problem.startswith(f"error: {content}:{line}:{column}: overview.purpose.text: text does not fit: needs ")
    assert problem.endswith("Shorten the text, split it over two slides, or let text shrink: set theme.min_size in "
                            "meeting.yaml (e.g. min_size: 10.5) (資料2 (international), page 2)")
    assert total == f"error: 1 problem in {root}"

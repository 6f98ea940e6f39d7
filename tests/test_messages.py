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
                                             "content: minato.yaml}\nreferences:").replace(
        "materials: [plan]", "materials: [plan, minato]")
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


def test_a_new_users_mistakes_in_one_edit_are_all_listed_in_one_run(tmp_path: Path) -> None:
    """Before: meeting.yaml's problems came in stages (a bad field hid the agenda's unknown material, which hid
    a missing content file), and a missing picture was not checked until meeting.yaml was right: three runs
    and more. Now one ``council validate`` lists them all, each at its line."""
    cli = make_cli(get_plugin_manager)
    root = tmp_path / "m122"
    made = CliRunner().invoke(cli, ["new-meeting", str(EXAMPLE.parent / "council-121"), str(root),
                                    "--date", "2025-05-22", "--number", "122"])
    assert made.exit_code == 0, made.output
    edits = {"meeting.yaml": [("venue:", "venu:"), ('end: "15:30"', 'end: "13:30"'), ("materials: [wa]", "materials: [wa2]"),
                              ("content: content/holidays.yaml", "content: content/holiday.yaml")],
             "content/plan-r7.yaml": [("  - kind: table", "  - kind: tabel")],
             "content/dx.yaml": [("images/dx/drone-bridge.jpg", "images/dx/drone-brige.jpg")]}
    for name, changes in edits.items():
        text = (root / name).read_text(encoding="utf-8")
        for old, new in changes:
            assert old in text
            text = text.replace(old, new, 1)
        (root / name).write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1
    places = [line.split(": ", 3)[1:3] for line in result.output.splitlines()[:-1]]
    meeting, plan, dx = root / "meeting.yaml", root / "content" / "plan-r7.yaml", root / "content" / "dx.yaml"
    assert places == [[f"{meeting}:9:1", "end"], [f"{meeting}:10:1", "venu"],
                      [f"{meeting}:26:19", "agenda.topics[2].materials[0]"], [f"{plan}:17:5", "slides[1]"],
                      [f"{dx}:90:11", "initiatives[2].image.photos[0].path"],
                      [f"{meeting}:61:5", "materials[5].content"]], result.output
    assert "did you mean 'venue'?" in result.output and "did you mean 'wa'?" in result.output
    assert "unknown kind 'tabel'; did you mean 'table'?" in result.output
    assert "content/holiday.yaml: file not found (資料6's content file)" in result.output
    assert result.output.splitlines()[-1] == f"error: 6 problems in {root}"


def test_a_content_file_that_is_not_there_is_reported_where_meeting_yaml_names_it(tmp_path: Path) -> None:
    """Before: ``error: …/content/wa.yaml: file not found`` (not where it is named)."""
    root = write_meeting(tmp_path)
    (root / "plan.yaml").unlink()
    result = CliRunner().invoke(make_cli(get_plugin_manager), ["validate", str(root)])
    assert result.output.splitlines()[0] == (f"error: {root}/meeting.yaml:14:5: materials[0].content: plan.yaml: file "
                                             "not found (資料1's content file); check the name, or create it")


def test_a_material_no_agenda_topic_names_is_a_warning_and_other_materials_names_it(tmp_path: Path) -> None:
    """Before: nothing was said."""
    meeting = MEETING.replace("references:", "  - {id: memo, title: 覚書, source: slides, content: plan.yaml}\n"
                                             "references:")
    root = write_meeting(tmp_path, meeting=meeting)
    cli = make_cli(get_plugin_manager)
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 0
    assert result.output.splitlines()[0] == (
        f"warning: {root}/meeting.yaml:15:6: materials[1].id: 資料2 (memo) is not referred to by any agenda topic: "
        "add 'memo' to a topic's materials, or to agenda.other_materials if it is presented under その他")
    (root / "meeting.yaml").write_text(meeting.replace("  other:", "").replace(
        "      materials: [plan]\n", "      materials: [plan]\n  other_materials: [memo]\n"), encoding="utf-8")
    assert CliRunner().invoke(cli, ["validate", str(root)]).output == f"{root}: no problems; a build would succeed\n"


def test_a_font_without_japanese_glyphs_is_one_problem_naming_it(tmp_path: Path) -> None:
    """Before: 13,828 lines, one per character and place."""
    from fontTools import subset

    from council_materials.typography.fonts import BUNDLED_FONTS

    root = write_meeting(tmp_path, meeting=MEETING.replace(
        "agenda:", "theme:\n  fonts:\n    regular: {path: fonts/latin.ttf}\n    bold: {path: fonts/latin.ttf}\nagenda:"))
    (root / "fonts").mkdir()
    options = subset.Options()
    font = subset.load_font(str(BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf"), options)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(chr(c) for c in range(0x20, 0x7F)))  # a Latin font: ASCII only
    cutter.subset(font)
    subset.save_font(font, str(root / "fonts" / "latin.ttf"), options)
    result = CliRunner().invoke(make_cli(get_plugin_manager), ["validate", str(root)])
    [problem, total] = result.output.splitlines()
    assert problem.startswith(f"error: {root}/meeting.yaml:7:3: theme.fonts: the font BIZ UDPGothic (latin.ttf) lacks ")
    assert "characters the meeting uses (e.g. " in problem and problem.endswith(
        "it is not a Japanese font; name one in theme.fonts, or leave theme.fonts out for the bundled BIZ UDPゴシック")
    assert total == f"error: 1 problem in {root}"


def test_a_venue_changed_in_meeting_yaml_lays_out_the_cover_alone_again(tmp_path: Path) -> None:
    """Before: a change such as the venue laid out and rendered every part again."""
    from council_materials.build import build

    root = write_meeting(tmp_path)
    first = build(root, tmp_path / "out", get_plugin_manager(), ("pdf",))
    text = (root / "meeting.yaml").read_text(encoding="utf-8")
    (root / "meeting.yaml").write_text(text.replace('end: "17:00"', 'end: "17:00"\nvenue: 第一会議室'), encoding="utf-8")
    again = build(root, tmp_path / "out", get_plugin_manager(), ("pdf",), previous=first.state)
    assert sorted(path.name for path in again.rendered) == ["00_会議次第.pdf", "第5回テスト会議_資料一式.pdf"]


def test_a_slow_plugin_builder_is_named_while_it_works(tmp_path: Path, monkeypatch) -> None:
    """Before: a long-running builder gave no progress line naming it."""
    import time
    import types

    from council_materials import MaterialType, hookimpl, pipeline
    from council_materials.build import build
    from council_materials.models import BulletsSlide, StrictModel

    class Note(StrictModel):
        text: str = "内容"

    def slow(content: Note, ctx: object) -> list[BulletsSlide]:
        time.sleep(0.6)
        return [BulletsSlide(title="報告", items=[content.text])]

    plugin = types.ModuleType("council_slow")
    plugin.material_types = hookimpl(lambda: [MaterialType("slow", Note, slow)])  # type: ignore[attr-defined]
    monkeypatch.setattr(pipeline, "SLOW_BUILD", 0.2)
    meeting = MEETING.replace("references:", "  - {id: note, title: 報告, source: slow}\nreferences:").replace(
        "materials: [plan]", "materials: [plan, note]")
    root = write_meeting(tmp_path, meeting=meeting)
    lines: list[str] = []
    build(root, tmp_path / "out", get_plugin_manager(load_entrypoints=False, extra=(plugin,)), ("pdf",),
          progress=lines.append)
    assert lines[1] == "資料2 (note): plugin 'council_slow' is still building the slides…"
    assert lines[2].startswith("資料2 (note): plugin 'council_slow' built the slides in 0.")

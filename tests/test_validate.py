"""``council validate``: every problem a build would meet, in one run, located, and nothing written.

Runs the real command (click's CliRunner on ``make_cli``, and once as a subprocess), over a meeting
with many problems at once and over the catalogue of bad inputs in ``test_bad_inputs``, where it must
say exactly what ``council build`` says.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from council_materials.cli import make_cli
from council_materials.plugins import get_plugin_manager
from council_materials.pipeline import validate_meeting

from conftest import EXAMPLE
from meetings import MEETING, PLAN, write_meeting
from test_bad_inputs import CASES, Case, _write

SECOND = """\
slides:
  - kind: image
    title: 写真
    photos:
      - {{path: images/missing.png, caption: ない写真}}
      - {{path: images/ok.png, caption: ある写真}}
      - {{path: images/gone.jpg}}
  - kind: bullets
    title: 二つ目
    items: [{long}]
"""


def _many_problems(tmp_path: Path) -> Path:
    """A meeting folder with problems in four files and in two materials' layouts."""
    meeting = MEETING.replace("number: 5", "number: 五").replace("materials: [plan]", "materials: [plan, second, plna]")
    meeting = meeting.replace("references:", "  - id: second\n    title: 二つ目\n    source: slides\n"
                                             "    content: second.yaml\n  - id: third\n    title: 三つ目\n"
                                             "    source: slide\n    content: third.yaml\nreferences:")
    root = write_meeting(tmp_path, meeting=meeting.replace("number: 五", "number: 5"),
                         plan=PLAN.replace("    title: 第2部", "    titel: 第2部"))
    (root / "second.yaml").write_text(SECOND.format(long="あ" * 4000), encoding="utf-8")
    (root / "images").mkdir()
    Image.new("RGB", (40, 30)).save(root / "images" / "ok.png")
    (root / "roster.yaml").write_text("chair: {post: 座長職, name: 山田 太郎, specialty: 土木, age: 50}\n",
                                      encoding="utf-8")
    return root


def test_every_problem_is_reported_once_with_file_line_field(tmp_path: Path) -> None:
    root = _many_problems(tmp_path)
    result = CliRunner().invoke(make_cli(lambda: get_plugin_manager(load_entrypoints=False)), ["validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = result.output.splitlines()
    base = root.resolve()
    expected = [
        f"warning: {base}/meeting.yaml:19:5: materials[2].id: 資料3 (third) is not referred to by any agenda topic: "
        "add 'third' to a topic's materials, or to agenda.other_materials if it is presented under その他",
        f"error: {base}/roster.yaml:1:48: chair.age: unknown key 'age'",
        f"error: {base}/meeting.yaml:21:5: materials[2].source: 資料3 (third): no installed plugin provides "
        "material type 'slide'; did you mean 'slides'? available: slides",
        f"error: {base}/meeting.yaml:9:33: agenda.topics[0].materials[2]: agenda topic (1) '議題' refers to unknown "
        "material 'plna'; did you mean 'plan'? materials are: plan, second, third, charter",
        f"error: {base}/plan.yaml:9:5: slides[1].titel: unknown key 'titel'; did you mean 'title'?",
        f"error: {base}/second.yaml:5:10: slides[0].photos[0].path: images/missing.png: picture not found",
        f"error: {base}/second.yaml:7:10: slides[0].photos[2].path: images/gone.jpg: picture not found",
        f"error: {base}/second.yaml:10:5: slides[1].items: 資料2 (second), page 2, box 'column 1', field items: "
        "text does not fit",
        "error: 7 problems in ",
    ]
    assert len(lines) == len(expected), result.output
    for line, start in zip(lines, expected, strict=True):
        assert line.startswith(start), f"{line!r} does not start with {start!r}"
    assert sorted(p.name for p in root.iterdir()) == ["images", "meeting.yaml", "plan.yaml", "roster.yaml",
                                                     "second.yaml"]  # nothing written


def test_build_reports_the_same_problems(tmp_path: Path) -> None:
    root = _many_problems(tmp_path)
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    checked = [line for line in CliRunner().invoke(cli, ["validate", str(root)]).output.splitlines()
               if not line.startswith("warning: ")]  # a failing build says only what stops it
    built = CliRunner().invoke(cli, ["build", str(root)])
    assert built.exit_code == 1 and built.output.splitlines() == checked[:-1]
    assert not (root / "build").exists()


def test_a_type_error_says_what_was_expected_and_found(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, meeting=MEETING.replace('end: "17:00"', 'end: "17:00"\ntheme: {page: a4}'),
                         plan=PLAN.replace("items:\n", "columns: many\n    items:\n"))
    result = CliRunner().invoke(make_cli(lambda: get_plugin_manager(load_entrypoints=False)), ["validate", str(root)])
    assert result.exit_code == 1
    assert "meeting.yaml:6:9: theme.page: expected one of 'a4-landscape' or '16:9', found 'a4'" in result.output
    assert "plan.yaml:4:5: slides[0].columns: expected a valid integer (a whole number), found 'many'" in result.output


def test_a_good_meeting_passes_with_exit_0(tmp_path: Path) -> None:
    root = write_meeting(tmp_path)
    result = CliRunner().invoke(make_cli(lambda: get_plugin_manager(load_entrypoints=False)), ["validate", str(root)])
    assert result.exit_code == 0 and result.output == f"{root}: no problems; a build would succeed\n"
    assert not (root / "build").exists()


def test_the_example_meeting_validates_with_every_installed_plugin() -> None:
    assert validate_meeting(EXAMPLE, get_plugin_manager()) == []


def test_invalid_meeting_yaml_still_checks_the_roster_and_content_files(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, meeting=MEETING.replace("council:", "councl:"),
                         plan=PLAN.replace("items:", "itemz:"))
    (root / "roster.yaml").write_text("chair: {post: 座長職, name: 山田 太郎}\n", encoding="utf-8")
    result = CliRunner().invoke(make_cli(lambda: get_plugin_manager(load_entrypoints=False)), ["validate", str(root)])
    assert result.exit_code == 1
    for part in ["meeting.yaml:1:1: councl: unknown key 'councl'; did you mean 'council'?",
                 "roster.yaml:1:1: chair.specialty: required field 'specialty' is missing",
                 "plan.yaml:4:5: slides[0].itemz: unknown key 'itemz'; did you mean 'items'?"]:
        assert part in result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_validate_says_what_build_says_for_every_bad_input(case: Case, tmp_path: Path) -> None:
    root = tmp_path / "meeting"
    _write(root, case)
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=case.plugins))
    checked = CliRunner().invoke(cli, ["validate", str(root)])
    built = CliRunner().invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert checked.exit_code == built.exit_code == 1
    problems = checked.output.splitlines()
    if problems[-1].endswith(f"in {root}"):  # the count, printed when the meeting folder could be read
        problems = problems[:-1]
    assert problems == built.output.splitlines()
    for part in case.expect:
        assert part in checked.output


def test_the_installed_command_exits_1_and_names_the_line(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, plan=PLAN.replace("kind: section", "kind: sectoin"))
    shutil.rmtree(root / "build", ignore_errors=True)
    done = subprocess.run([sys.executable, "-m", "council_materials", "validate", str(root)], capture_output=True,
                          text=True, timeout=120, env={"COUNCIL_MATERIALS_PLUGINS": "", "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1 and done.stdout == ""
    assert f"error: {root.resolve()}/plan.yaml:8:5: slides[1]: unknown kind 'sectoin'; did you mean 'section'?" \
           in done.stderr
    assert "Traceback" not in done.stderr


def test_a_plugin_failure_is_reported_with_the_other_files_problems(tmp_path: Path) -> None:
    import types

    from council_materials import MaterialType, hookimpl
    from council_materials.models import StrictModel

    class Broken(StrictModel):
        when: "NotDefinedAnywhere"  # type: ignore[name-defined]  # noqa: F821  # a plugin bug

    plugin = types.ModuleType("broken_bureau")
    plugin.material_types = hookimpl(lambda: [MaterialType("broken", Broken, lambda c, ctx: [])])
    meeting = MEETING.replace("references:", "  - {id: b, title: 壊れた, source: broken, content: b.yaml}\nreferences:")
    root = write_meeting(tmp_path, meeting=meeting, plan=PLAN.replace("items:", "itemz:"))
    (root / "b.yaml").write_text("when: 今日\n", encoding="utf-8")
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False, extra=(plugin,)))
    result = CliRunner().invoke(cli, ["validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if not line.startswith("warning: ")]
    assert "plan.yaml:4:5: slides[0].itemz: unknown key 'itemz'; did you mean 'items'?" in lines[0]
    assert lines[1].startswith("error: plugin 'broken_bureau': validating b.yaml with Broken raised PydanticUserError")
    assert lines[-1] == f"error: 2 problems in {root}"

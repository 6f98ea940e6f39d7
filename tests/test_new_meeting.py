"""`council new-meeting`: the next meeting starts from the last one, without its outputs."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from council_materials.cli import make_cli
from council_materials.loading import load_model
from council_materials.models import Meeting
from council_materials.new_meeting import PLACEHOLDER, new_meeting, skeleton
from council_materials.plugins import Registry, get_plugin_manager
from council_materials.pipeline import validate_meeting

from conftest import EXAMPLE
from meetings import write_meeting


def _checksums(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def registry() -> Registry:
    return Registry.from_plugin_manager(get_plugin_manager())


@pytest.fixture
def last(tmp_path: Path) -> Path:
    """A copy of the example with outputs and leftovers of the kinds a real folder has."""
    folder = tmp_path / "council-120"
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build", "build-*"))
    (folder / "build").mkdir()
    (folder / "build" / "00_会議次第.pdf").write_bytes(b"%PDF-old")
    (folder / "build-dx").mkdir()
    (folder / "content" / ".wa.yaml.swp").write_bytes(b"swap")
    (folder / "content" / "wa.yaml~").write_text("backup")
    (folder / "notes.txt").write_text("secretariat's notes\n", encoding="utf-8")
    (folder / "outside").symlink_to("/etc/hostname")
    return folder


def test_copies_the_inputs_only_and_sets_number_date_and_times(last: Path, tmp_path: Path, registry: Registry) -> None:
    before = _checksums(last)
    done = new_meeting(last, tmp_path / "council-121", registry, date=dt.date(2025, 7, 15),
                       start=dt.time(14, 0), end=dt.time(15, 30))
    new = tmp_path / "council-121"
    assert _checksums(last) == before  # the last meeting is untouched
    names = {p.relative_to(new).as_posix() for p in new.rglob("*") if p.is_file()}
    assert "meeting.yaml" in names and "roster.yaml" in names and "content/dx.yaml" in names
    assert "images/dx/3d-map-tocho.png" in names
    assert {n for n in names if n.startswith("images/")} == {p.relative_to(last).as_posix()
                                                             for p in (last / "images").rglob("*") if p.is_file()}
    assert not any(n.startswith(("build", "build-")) for n in names)
    assert not any(Path(n).name.startswith(".") or n.endswith("~") for n in names)
    assert "notes.txt" in names and "outside" not in names
    assert any(line.startswith("outside: a link") for line in done.skipped)
    meeting = load_model(Meeting, new / "meeting.yaml")
    assert (meeting.number, meeting.date, meeting.start, meeting.end) == (121, dt.date(2025, 7, 15),
                                                                           dt.time(14, 0), dt.time(15, 30))
    text = (new / "meeting.yaml").read_text(encoding="utf-8")
    assert "# The 120th meeting" in text  # comments are kept
    # every content file, picture and the roster are the last meeting's, byte for byte
    for name in names - {"meeting.yaml"}:
        if name.endswith(".yaml") or name.startswith("schemas/"):
            continue
        assert (new / name).read_bytes() == (last / name).read_bytes(), name
    assert validate_meeting(new) == []


def test_schema_lines_resolve_from_wherever_the_folder_is(last: Path, tmp_path: Path, registry: Registry) -> None:
    new_meeting(last, tmp_path / "elsewhere" / "next", registry, date=dt.date(2025, 7, 15))
    new = tmp_path / "elsewhere" / "next"
    yamls = sorted(new.rglob("*.yaml"))
    assert len(yamls) >= 9
    for path in yamls:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.is_file() and schema.is_relative_to(new), (path, schema)
        assert json.loads(schema.read_text(encoding="utf-8"))["$schema"].startswith("https://json-schema.org/")
    assert (new / "content" / "dx.yaml").read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/dx.schema.json\n")


def test_cleared_materials_start_from_a_skeleton_that_validate_locates(last: Path, tmp_path: Path,
                                                                      registry: Registry) -> None:
    done = new_meeting(last, tmp_path / "next", registry, date=dt.date(2025, 7, 15),
                       clear={"themes-r7", "wa", "international"})
    new = tmp_path / "next"
    assert sorted(p.name for p in done.cleared) == ["international.yaml", "themes-r7.yaml", "wa.yaml"]
    slides = (new / "content" / "themes-r7.yaml").read_text(encoding="utf-8")
    assert PLACEHOLDER in slides and "令和7年度検討テーマ（案）について" in slides
    kept = (new / "content" / "dx.yaml").read_bytes()
    assert kept.split(b"\n", 1)[1] == (last / "content" / "dx.yaml").read_bytes().split(b"\n", 1)[1]
    problems = [str(p) for e in validate_meeting(new) for p in getattr(e, "problems", [])]
    assert all(":" in line and "content/" in line for line in problems), problems  # located, if any


@pytest.mark.parametrize("source", ["slides", "dx", "international", "talent", "wa"])
def test_the_skeleton_of_every_material_type_has_each_required_field(source: str, registry: Registry) -> None:
    model = registry.content_model(registry.material_types[source])
    data = skeleton(model)
    required = [name for name, info in model.model_fields.items() if info.is_required()]
    assert sorted(data) == sorted(required)


def test_refuses_a_folder_in_use_or_inside_the_last_meeting(last: Path, tmp_path: Path, registry: Registry) -> None:
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "report.docx").write_bytes(b"mine")
    for target, words in ((busy, "not an empty folder"), (last / "next", "outside the last meeting"),
                          (last, "outside the last meeting"), (tmp_path, "outside the last meeting")):
        with pytest.raises(Exception) as caught:
            new_meeting(last, target, registry, date=dt.date(2025, 7, 15))
        assert words in str(caught.value)
    assert (busy / "report.docx").read_bytes() == b"mine"
    assert not (last / "next").exists()


def test_cli_validates_the_new_meeting_and_names_what_to_fix(last: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(make_cli(), ["new-meeting", str(last), str(tmp_path / "n"), "--date", "2025-07-15",
                                        "--clear", "wa"])
    assert result.exit_code == 0, result.output
    assert "第121回 東京都技術会議, 2025-07-15 16:00–17:00" in result.output
    assert "cleared content/wa.yaml" in result.output
    assert "write 'template: templates/NAME.pptx' under 'theme:'" in result.output  # how to use a template
    result = runner.invoke(make_cli(), ["new-meeting", str(last), str(tmp_path / "m"), "--clear", "nosuch",
                                        "--date", "2025-07-15"])
    assert result.exit_code == 1 and "--clear nosuch: no material has that id" in result.output
    assert not (tmp_path / "m").exists()
    result = runner.invoke(make_cli(), ["new-meeting", str(last), str(tmp_path / "k")], input="")
    assert result.exit_code == 1 and "--date is needed" in result.output


def test_a_small_meeting_keeps_its_files_and_validates(tmp_path: Path, registry: Registry) -> None:
    last = write_meeting(tmp_path)
    os.chmod(last / "meeting.yaml", 0o640)
    done = new_meeting(last, tmp_path / "next", registry, number=9, date=dt.date(2026, 1, 5), clear={"plan"})
    assert done.meeting is not None and done.meeting.number == 9
    assert validate_meeting(tmp_path / "next") == []


def test_a_meeting_file_linked_outside_the_last_meeting_is_not_read(tmp_path: Path, registry: Registry) -> None:
    last = write_meeting(tmp_path)
    secret = tmp_path / "secret.yaml"
    secret.write_text((last / "meeting.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (last / "meeting.yaml").unlink()
    (last / "meeting.yaml").symlink_to(secret)
    with pytest.raises(Exception) as caught:
        new_meeting(last, tmp_path / "next", registry, date=dt.date(2026, 1, 5))
    assert "outside the meeting folder" in str(caught.value)
    assert not (tmp_path / "next").exists()

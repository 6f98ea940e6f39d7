"""``council watch``: a rebuild per change, errors printed without stopping, the output folder ignored."""
from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path
from typing import Callable, Iterator

import pytest
from click.testing import CliRunner

from council_materials import watch as watching
from council_materials.cli import make_cli
from council_materials.plugins import get_plugin_manager

from meetings import PLAN, outputs, write_meeting


def _pm():  # type: ignore[no-untyped-def]
    return get_plugin_manager(load_entrypoints=False)


def test_a_step_reports_what_it_rendered_and_returns_the_state(tmp_path: Path) -> None:
    root, lines = write_meeting(tmp_path), []
    step = watching.build_step(root, tmp_path / "out", _pm, lines.append, ("pdf",))
    state = step(None)
    assert state is not None and sorted(state.files) == outputs(tmp_path / "out")
    assert lines[0].startswith("built in ") and "rendered 3 files, kept 0 unchanged" in lines[0]
    lines.clear()
    assert step(state) == state
    assert "rendered 0 files, kept 3 unchanged" in lines[0]


def test_a_failing_step_prints_every_error_and_keeps_the_last_good_state(tmp_path: Path) -> None:
    root, lines = write_meeting(tmp_path), []
    step = watching.build_step(root, tmp_path / "out", _pm, lines.append, ("pdf",))
    state = step(None)
    (root / "plan.yaml").write_text(PLAN.replace("items:", "itemz:").replace("title: 第2部", "titl: 第2部"), "utf-8")
    lines.clear()
    assert step(state) is state
    assert [line.split(": ", 2)[1].rsplit("/", 1)[-1] for line in lines[:-1]] == \
        ["plan.yaml:4:5", "plan.yaml:9:5"]  # each misspelt key, once
    assert all(line.startswith("error: ") for line in lines[:-1])
    assert lines[-1] == "the outputs of the last good build are unchanged; waiting for the next change"


def test_watch_rebuilds_after_each_change_and_survives_errors(tmp_path: Path) -> None:
    root, lines = write_meeting(tmp_path), []
    plan = root / "plan.yaml"

    def edits() -> Iterator[set[Path]]:
        plan.write_text(PLAN.replace("items:", "itemz:"), encoding="utf-8")
        yield {plan}
        plan.write_text(PLAN.replace("一つ目の項目", "直した項目"), encoding="utf-8")
        yield {plan}

    step = watching.build_step(root, tmp_path / "out", _pm, lines.append, ("pdf",))
    state = watching.watch(root, step, lines.append, edits())
    assert [line for line in lines if line.startswith("changed")] == ["changed: plan.yaml", "changed: plan.yaml"]
    assert any("unknown key 'itemz'" in line for line in lines)
    assert lines[-3].startswith("built in ") and "rendered 2 files, kept 1 unchanged" in lines[-3]
    assert sorted(line.strip() for line in lines[-2:]) == ["01_資料1_計画について.pdf", "第5回テスト会議_資料一式.pdf"]
    assert state is not None and sorted(state.files) == outputs(tmp_path / "out")


def _first_burst(root: Path, out: Path, action: Callable[[], None]) -> list[set[Path]]:
    """What ``changed_paths`` reports first once the watch has begun and ``action`` changed files."""
    stop = threading.Event()
    seen: list[set[Path]] = []

    def act() -> None:
        time.sleep(0.5)
        action()
    threading.Thread(target=act, daemon=True).start()
    deadline = threading.Timer(20, stop.set)  # never hang the suite
    deadline.start()
    try:
        for changes in watching.changed_paths(root, out, stop_event=stop, debounce_ms=300):
            seen.append(changes)
            stop.set()
    finally:
        deadline.cancel()
    return seen


def test_changed_paths_ignores_the_output_folder_and_the_staging_folder_inside_it(tmp_path: Path) -> None:
    root = write_meeting(tmp_path)
    out = root / "build"
    out.mkdir()

    def touch() -> None:
        (out / "00_会議次第.pdf").write_bytes(b"output")
        (out / ".council-staging-abc123").mkdir()
        (root / "plan.yaml").write_text(PLAN + "\n", encoding="utf-8")
    assert _first_burst(root, out, touch) == [{root / "plan.yaml"}]


def test_the_watch_command_builds_prints_errors_and_goes_on(tmp_path: Path, monkeypatch) -> None:
    root = write_meeting(tmp_path)

    def two_changes(meeting_dir: Path, out_dir: Path) -> Iterator[set[Path]]:
        assert out_dir == root / "build"
        (root / "plan.yaml").write_text("slides: [", encoding="utf-8")
        yield {root / "plan.yaml"}
        (root / "plan.yaml").write_text(PLAN, encoding="utf-8")
        yield {root / "plan.yaml"}
    monkeypatch.setattr(watching, "changed_paths", two_changes)
    result = CliRunner().invoke(make_cli(_pm), ["watch", str(root), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"watching {root} (Ctrl-C to stop)\nbuilt in ")
    assert "plan.yaml:1:10: invalid YAML" in result.stderr and "Traceback" not in result.output
    assert result.output.count("built in ") == 2 and result.output.endswith("stopped watching\n")
    assert (root / "build" / "01_資料1_計画について.pdf").is_file()


@pytest.mark.parametrize("name", ["sedgXwHqd", "4913", ".goutputstream-ABC123", ".#plan.yaml", "#plan.yaml#",
                                  "plan.yaml~", "plan.yaml.swp", "~$資料.pptx", "plan.yaml___jb_tmp___", "x.tmp"])
def test_editor_temporary_files_are_named(name: str) -> None:
    assert watching.is_editor_temporary(name)


@pytest.mark.parametrize("name", ["plan.yaml", "sed.yaml", "photo.png", "roster.yaml", "4913.png", "#1.yaml"])
def test_inputs_are_not_editor_temporary_files(name: str) -> None:
    assert not watching.is_editor_temporary(name)


def test_a_file_made_and_removed_within_a_burst_is_no_change(tmp_path: Path) -> None:
    import watchfiles

    kept = tmp_path / "plan.yaml"
    kept.write_text("x", encoding="utf-8")
    passing = str(tmp_path / "tmpA1b2")  # a name no pattern knows
    changes = {(watchfiles.Change.added, passing), (watchfiles.Change.deleted, passing),
               (watchfiles.Change.modified, str(kept)), (watchfiles.Change.deleted, str(tmp_path / "gone.yaml"))}
    assert watching.lasting_changes(changes) == {kept, tmp_path / "gone.yaml"}


def test_sed_in_place_reports_only_the_file_it_edits(tmp_path: Path) -> None:
    root = write_meeting(tmp_path)

    def edit() -> None:
        subprocess.run(["sed", "-i", "s/計画/予定/", str(root / "plan.yaml")], check=True)
    assert _first_burst(root, root / "build", edit) == [{root / "plan.yaml"}]

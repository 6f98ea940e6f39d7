"""Issue 12's catalogue, the output folder: a build never deletes, replaces or waits for what it does not own.

Every case runs ``council`` as a real process with a time bound (``safety.BOUND``), and checks the exit
status, the message, and every input and unrelated file by checksum (and mode).
"""
from __future__ import annotations

import grp
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from safety import BOUND, add_slow_slide, edit_plan, make_world, outputs, snapshot, stop, wait_for, wait_gone

EXPECTED = ["00_会議次第.pdf", "00_会議次第.pptx", "01_資料1_計画について.pdf", "01_資料1_計画について.pptx",
            "第5回テスト会議_資料一式.pdf"]
MANIFEST = ".council-build.json"


def test_the_meeting_folder_itself_is_refused_as_output_folder(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    for args in (["build", world.meeting, "-o", world.meeting],
                 ["build", world.meeting, "--only", "plan", "-o", world.meeting],
                 ["watch", world.meeting, "-o", world.meeting]):
        run = world.council(*args)
        assert run.code == 1, run.text
        assert f"error: {world.meeting}: the output folder is the meeting folder itself" in run.err
        assert snapshot(tmp_path) == before


def test_an_input_folder_is_refused_and_the_pictures_stay(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    for folder in ("images", "content", "images/sub"):
        run = world.council("build", world.meeting, "-o", world.meeting / folder)
        assert run.code == 1, run.text
        assert f"the output folder lies inside {world.meeting / folder.split('/')[0]}, which holds the " \
               "meeting's inputs" in run.err
        assert snapshot(tmp_path) == before
    assert world.council("build", world.meeting).code == 0  # no "picture not found" afterwards


def test_an_empty_out_option_is_refused_and_the_current_folder_stays(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    run = world.council("build", world.meeting, "-o", "", cwd=world.elsewhere)
    assert run.code == 1, run.text
    assert "error: -o/--out is empty (is a variable in the script unset?)" in run.err
    assert snapshot(tmp_path) == before


def test_the_parent_of_the_meeting_folder_is_refused(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    run = world.council("build", ".", "-o", "..", cwd=world.meeting)
    assert run.code == 1, run.text
    assert f"the output folder contains the meeting folder {world.meeting}" in run.err
    assert snapshot(tmp_path) == before


def test_a_folder_of_someone_elses_files_is_refused_and_keeps_its_files_and_mode(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    shared = tmp_path / "shared"
    (shared / "notes").mkdir(parents=True)
    (shared / "議事録.docx").write_bytes(b"minutes")
    (shared / "notes" / "a.txt").write_text("note", encoding="utf-8")
    shared.chmod(0o2775)
    before = snapshot(tmp_path)
    run = world.council("build", world.meeting, "-o", shared)
    assert run.code == 1, run.text
    assert "the output folder already holds files that council did not write (notes, 議事録.docx) and no " \
           ".council-build.json" in run.err and "build into a new or empty folder" in run.err
    assert snapshot(tmp_path) == before


def test_a_shared_folder_keeps_the_secretariats_files_its_mode_and_its_group(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    shared = tmp_path / "shared"
    shared.mkdir()
    group = next((g.gr_gid for g in grp.getgrall() if g.gr_gid != os.getgid()), os.getgid())
    os.chown(shared, -1, group)
    shared.chmod(0o2775)
    assert world.council("build", world.meeting, "-o", shared).code == 0
    (shared / "notes").mkdir()
    (shared / "議事録.docx").write_bytes(b"minutes")
    (shared / "notes" / "a.txt").write_text("note", encoding="utf-8")
    theirs = snapshot(shared, skip=tuple(shared / n for n in EXPECTED + [MANIFEST]))
    (world.meeting / "content" / "plan.yaml").write_text(
        (world.meeting / "content" / "plan.yaml").read_text(encoding="utf-8").replace("一つ目", "最初"), "utf-8")
    run = world.council("build", world.meeting, "-o", shared)
    assert run.code == 0, run.text
    assert snapshot(shared, skip=tuple(shared / n for n in EXPECTED + [MANIFEST])) == theirs
    assert outputs(shared) == sorted(EXPECTED + ["notes", "議事録.docx"])
    assert shared.stat().st_mode & 0o7777 == 0o2775 and shared.stat().st_gid == group
    assert all((shared / name).stat().st_gid == group for name in EXPECTED)


def test_a_picture_in_the_output_folder_is_refused_where_the_content_names_it(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    build = world.meeting / "build"
    assert world.council("build", world.meeting).code == 0
    shutil.move(world.meeting / "images" / "photo.png", build / "photo.png")
    plan = world.meeting / "content" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("images/photo.png", "build/photo.png"), "utf-8")
    before = snapshot(tmp_path)
    where = f"{plan}:8:10: slides[1].photos[0].path: build/photo.png is inside the output folder {build}"
    for command in ("build", "validate"):
        run = world.council(command, world.meeting)
        assert run.code == 1, run.text
        assert where in run.err
        assert snapshot(tmp_path) == before


def test_format_pdf_keeps_the_pptx_of_an_earlier_build_and_says_so(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    decks = {name: (out / name).read_bytes() for name in EXPECTED if name.endswith(".pptx")}
    run = world.council("build", world.meeting, "-o", out, "--format", "pdf")
    assert run.code == 0, run.text
    assert "kept 2 files of an earlier build (other formats or materials, not built this time):" in run.out
    assert outputs(out) == sorted(EXPECTED)
    assert {name: (out / name).read_bytes() for name in decks} == decks
    listed = {entry["name"] for entry in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]}
    assert listed == set(EXPECTED)
    assert world.council("build", world.meeting, "-o", out).code == 0  # a full build then removes stale ones
    (world.meeting / "meeting.yaml").write_text((world.meeting / "meeting.yaml").read_text(encoding="utf-8")
                                                .replace("title: 計画について", "title: 新計画"), "utf-8")
    assert world.council("build", world.meeting, "-o", out, "--format", "pdf").code == 0
    assert outputs(out) == sorted([n.replace("計画について", "新計画") if n.endswith(".pdf") else n for n in EXPECTED])


def test_only_into_the_full_builds_folder_replaces_that_material_alone(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    cover = (out / EXPECTED[0]).read_bytes()
    run = world.council("build", world.meeting, "--only", "plan", "-o", out)
    assert run.code == 0, run.text
    assert outputs(out) == sorted(EXPECTED) and (out / EXPECTED[0]).read_bytes() == cover


def _slow_rebuild(world, out: Path):  # type: ignore[no-untyped-def]
    """A good build into ``out``, then a change and a build that is laid out again and sleeps in the slow
    slide's layout once it has written the mark; returns the good build's outputs and the sleeping build."""
    add_slow_slide(world)
    assert world.council("build", world.meeting, "-o", out).code == 0
    kept = snapshot(out)
    edit_plan(world)
    world.env.update(SAFETY_MARK=str(world.root / "mark"), SAFETY_SLEEP="30")
    process = world.start("build", world.meeting, "-o", out)
    wait_for(world.root / "mark")
    world.env.update(SAFETY_MARK="", SAFETY_SLEEP="0")
    return kept, process


def test_kill_9_of_the_main_process_leaves_the_outputs_no_staging_and_no_tracebacks(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    kept, process = _slow_rebuild(world, out)
    stop(process, signal.SIGKILL)
    process.wait(timeout=BOUND)
    assert wait_gone(out, ".council-staging-") == []  # the workers removed it when their parent died
    assert snapshot(out, skip=(out / ".council-build.lock",)) == kept  # the lock file: see the next build
    log = world.output_of(process)
    assert "Traceback" not in log and "BrokenPipeError" not in log, log
    assert world.council("build", world.meeting, "-o", out).code == 0  # not locked, nothing left over
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MANIFEST]


def test_sigterm_stops_the_build_cleanly(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    kept, process = _slow_rebuild(world, out)
    stop(process, signal.SIGTERM)
    assert process.wait(timeout=BOUND) == 1
    assert "error: stopped by SIGTERM; the previous outputs are unchanged" in world.output_of(process)
    assert "Traceback" not in world.output_of(process)
    assert wait_gone(out, ".council-staging-") == [] and snapshot(out) == kept


def test_a_second_build_into_the_same_folder_is_refused_while_the_first_runs(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    kept, process = _slow_rebuild(world, out)
    world.env["SAFETY_SLEEP"] = "0"
    second = world.council("build", world.meeting, "-o", out)
    assert second.code == 1
    assert f"error: {out}: another council build (or council watch) is writing into this folder right now" \
        in second.err
    running = tuple(p for p in out.iterdir() if p.name.startswith((".council-staging-", ".council-build.lock")))
    assert snapshot(out, skip=running) == kept  # the second build wrote nothing
    stop(process, signal.SIGTERM)
    process.wait(timeout=BOUND)
    assert world.council("build", world.meeting, "-o", out).code == 0


@pytest.mark.parametrize("death, how", [
    ("os._exit(0)", "exited with status 0 (a plugin's code may have ended the process)"),
    ("os.kill(os.getpid(), 9)", "was killed by SIGKILL (perhaps the machine ran out of memory)"),
], ids=["os._exit", "OOM killer"])
def test_a_worker_that_dies_ends_the_build_naming_the_part(tmp_path: Path, death: str, how: str) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    add_slow_slide(world, f"{death} if os.environ.get('SAFETY_DIE') else None")
    assert world.council("build", world.meeting, "-o", out).code == 0
    kept = snapshot(out)
    edit_plan(world)
    world.env["SAFETY_DIE"] = "1"
    run = world.council("build", world.meeting, "-o", out)
    assert run.code == 1, run.text
    assert "error: the worker process laying out and rendering 資料1 (plan)" in run.err and how in run.err
    assert snapshot(out) == kept and "Traceback" not in run.text
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MANIFEST]


def test_a_folder_an_earlier_version_built_into_is_taken_over(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    (out / MANIFEST).unlink()  # as an earlier version left it: its outputs only, listed in the cache's state
    edit_plan(world)
    run = world.council("build", world.meeting, "-o", out)
    assert run.code == 0, run.text
    assert outputs(out) == sorted(EXPECTED) and (out / MANIFEST).is_file()
    (out / MANIFEST).unlink()
    (out / "notes.txt").write_text("mine", encoding="utf-8")  # not the tool's: the folder is no longer taken
    before = snapshot(tmp_path)
    run = world.council("build", world.meeting, "-o", out)
    assert run.code == 1 and "council did not write" in run.err and snapshot(tmp_path) == before


def test_a_damaged_manifest_is_refused_and_nothing_is_removed(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    (out / MANIFEST).write_text('{"files": [{"name": "../../meeting/meeting.yaml"', encoding="utf-8")
    before = snapshot(tmp_path)
    run = world.council("build", world.meeting, "-o", out)
    assert run.code == 1 and f"{MANIFEST} (the list of the files council wrote here) is damaged" in run.err
    assert snapshot(tmp_path) == before


def test_a_manifest_naming_files_outside_the_folder_removes_nothing_there(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    listed = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    listed["files"] += [{"name": name, "part": "#cover", "format": "pdf"}
                        for name in ("../elsewhere/report.docx", "/etc/passwd", ".", "..")]
    (out / MANIFEST).write_text(json.dumps(listed), encoding="utf-8")
    before = snapshot(tmp_path, skip=(out,))
    assert world.council("build", world.meeting, "-o", out).code == 0
    assert snapshot(tmp_path, skip=(out,)) == before


def test_watch_reports_a_dying_worker_and_goes_on(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    add_slow_slide(world, "os._exit(3) if 'dies' in str(slide.title) else None")
    process = world.start("watch", world.meeting)
    plan = world.meeting / "content" / "plan.yaml"
    good = plan.read_text(encoding="utf-8")
    try:
        _wait_output(world, process, "built in ")
        _wait_output(world, process, "exited with status 3", lambda: plan.write_text(
            good.replace("title: 遅い", "title: dies"), encoding="utf-8"))
        _wait_output(world, process, "built in ", lambda: plan.write_text(good, encoding="utf-8"), count=2)
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=BOUND)
    log = world.output_of(process)
    assert "Traceback" not in log and log.rstrip().endswith("stopped watching"), log
    assert outputs(world.meeting / "build") == sorted(EXPECTED)
    assert [p.name for p in (world.meeting / "build").iterdir() if p.name.startswith(".council-staging")] == []


def _wait_output(world, process, text: str, change=None, count: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Wait until ``text`` was printed ``count`` times, making ``change`` (again every 2 s: the watch may
    not be watching yet)."""
    import time
    deadline, last = time.monotonic() + BOUND, 0.0
    while world.output_of(process).count(text) < count:
        assert process.poll() is None, world.output_of(process)
        assert time.monotonic() < deadline, f"{text!r} not printed within {BOUND} s:\n{world.output_of(process)}"
        if change is not None and time.monotonic() - last > 2:
            change()
            last = time.monotonic()
        time.sleep(0.1)


_KILL_WHILE_MOVING = """
import os, signal, sys
from pathlib import Path
real, moved = os.replace, []
def replace(src, dst, *args, **kwargs):
    real(src, dst, *args, **kwargs)
    if Path(dst).parent == Path(sys.argv[-1]) and not str(dst).endswith(".json"):
        moved.append(dst)
        if len(moved) == 3:
            os.kill(os.getpid(), signal.SIGKILL)
os.replace = replace
from council_materials.cli import main
sys.argv = ["council", *sys.argv[1:]]
main()
"""


def test_kill_9_while_files_are_moved_into_place_leaves_every_output(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    out = tmp_path / "out"
    assert world.council("build", world.meeting, "-o", out).code == 0
    old = {name: (out / name).read_bytes() for name in EXPECTED}
    edit_plan(world)
    assert world.council("build", world.meeting, "-o", tmp_path / "fresh").code == 0
    new = {name: (tmp_path / "fresh" / name).read_bytes() for name in EXPECTED}
    script = tmp_path / "kill_while_moving.py"
    script.write_text(_KILL_WHILE_MOVING, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), "build", str(world.meeting), "-o", str(out)],
                          capture_output=True, text=True, timeout=BOUND)
    assert done.returncode == -signal.SIGKILL
    assert outputs(out) == sorted(EXPECTED)
    replaced = [name for name in EXPECTED if (out / name).read_bytes() == new[name] != old[name]]
    assert replaced and all((out / name).read_bytes() in (old[name], new[name]) for name in EXPECTED)
    listed = {entry["name"] for entry in json.loads((out / MANIFEST).read_text(encoding="utf-8"))["files"]}
    assert listed == set(EXPECTED)
    run = world.council("build", world.meeting, "-o", out)  # takes the folder back: stale staging removed
    assert run.code == 0, run.text
    assert {name: (out / name).read_bytes() for name in EXPECTED} == new
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == [MANIFEST]


def _mount_script(body: str) -> str:
    return textwrap.dedent(f"""
        set -e
        mount -t tmpfs tmpfs "$P"
        mkdir "$P/out"
        {body}
    """)


def _in_namespace(world, script: str) -> subprocess.CompletedProcess[str]:  # type: ignore[no-untyped-def]
    if os.geteuid() != 0 or not shutil.which("unshare"):
        pytest.skip("needs root and unshare to mount a file system")
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("cannot make a mount namespace here")
    (world.root / "P").mkdir()
    env = {**os.environ, **world.env, "P": str(world.root / "P"), "M": str(world.meeting),
           "PY": sys.executable}
    return subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], capture_output=True,
                          text=True, timeout=BOUND, env=env, cwd=world.root)


def test_an_output_folder_that_is_a_mount_point_in_a_read_only_parent_works(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    done = _in_namespace(world, _mount_script("""
        mount -t tmpfs tmpfs "$P/out"
        mount -o remount,ro "$P"
        "$PY" -m council_materials build "$M" -o "$P/out"
        "$PY" -m council_materials build "$M" -o "$P/out"
        ls -A "$P/out"
    """))
    assert done.returncode == 0, done.stdout + done.stderr
    assert sorted(done.stdout.split("\n")[-len(EXPECTED) - 2:-1]) == sorted(EXPECTED + [MANIFEST])
    assert snapshot(tmp_path, skip=(tmp_path / "P",)) == before


def test_a_new_output_folder_in_a_read_only_parent_is_refused_saying_what_to_do(tmp_path: Path) -> None:
    world = make_world(tmp_path)
    before = snapshot(tmp_path)
    done = _in_namespace(world, _mount_script("""
        mount -o remount,ro "$P"
        "$PY" -m council_materials build "$M" -o "$P/new" || echo "exit $?"
        "$PY" -m council_materials build "$M" -o "$P/out" || echo "exit $?"
    """))
    assert done.stdout.count("exit 1") == 2, done.stdout + done.stderr
    assert "new: cannot create the output folder (Read-only file system); create it yourself, or choose a " \
           "folder in a place you can write to" in done.stderr
    assert "out: cannot write into the output folder (the folder is read-only); make it writable" in done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert snapshot(tmp_path, skip=(tmp_path / "P",)) == before

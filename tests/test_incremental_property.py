"""Property: after any sequence of edits, an incremental build equals a fresh build byte for byte.

Hypothesis draws sequences of edits to a small meeting folder: a content file's text, a picture named
with a suffix and one named without (``images/pic``), a picture rewritten in place with its old size and
modification time (only its change time tells), a picture replaced by another file, the theme's font
files, the theme, the code of a test plugin whose slide kind prints a constant of its source, and a data
file that kind reads through ``LayoutContext.read_file``. After each edit the incremental build (in this
process, from the state the last build saved, as ``council build`` and ``council watch`` do) must write
exactly the files of a fresh build, made by a new process with an empty cache folder into a new folder.

A few dozen sequences run in the suite (CI); ``COUNCIL_PROPERTY_EXAMPLES=N`` runs N instead (e.g. 500
before a release), and ``COUNCIL_PROPERTY_SEED`` replays one run. A plugin edit is a new process's view
of new code: the module is reloaded and the code stamps taken again.
"""
from __future__ import annotations

import importlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, example, given, seed, settings
from hypothesis import strategies as st

from council_materials import incremental
from council_materials.build import build
from council_materials.plugins import get_plugin_manager
from council_materials.typography.fonts import BUNDLED_FONTS

from meetings import MEETING as BASE_MEETING
from meetings import ROSTER

EXAMPLES = int(os.environ.get("COUNCIL_PROPERTY_EXAMPLES", "24"))

MEETING = BASE_MEETING.replace("materials: [plan]", "materials: [plan, note]").split("references:")[0] + """\
  - id: note
    title: メモ
    source: slides
    content: note.yaml
theme:
  accent: "{accent}"
  fonts:
    regular: {{path: fonts/regular.ttf}}
    bold: {{path: fonts/bold.ttf}}
"""
PLAN = """\
slides:
  - kind: bullets
    title: 計画の概要
    items: [{text}, 二つ目の項目]
  - kind: image
    title: 写真
    photos:
      - {{path: images/photo.png, caption: 現場}}
      - {{path: images/pic, caption: 拡張子なし}}
"""
NOTE = "slides:\n  - kind: note\n    title: 注記\n    data: data/note.txt\n"
PLUGIN = '''\
"""A slide kind that prints a constant of its own code and a file it reads through the context."""
from typing import Literal

from council_materials import SlideKind, hookimpl
from council_materials.layout.primitives import Rect
from council_materials.models import SlideBase

VERSION = "{version}"


class NoteSlide(SlideBase):
    kind: Literal["note"] = "note"
    data: str


def layout_note(slide, ctx, body):
    text = ctx.read_file(slide.data).decode("utf-8")
    return [ctx.set_text(f"{{VERSION}}: {{text}}", Rect(body.x, body.y, body.w, body.h / 2), name="note",
                         source="data")]


@hookimpl
def slide_kinds():
    return [SlideKind("note", NoteSlide, layout_note, "prints its code's version and a file")]
'''
FRESH_BUILDER = """\
import json, os, sys, traceback
from pathlib import Path
from council_materials.build import build
from council_materials.plugins import get_plugin_manager
import council_materials.render.pdf, council_materials.render.pptx  # imported once, before any build
for line in sys.stdin:
    meeting, out, plugins, cache = json.loads(line)
    pid = os.fork()
    if pid == 0:  # a new process as far as the tool knows: nothing read, laid out or kept yet
        try:
            os.environ["COUNCIL_MATERIALS_CACHE"] = cache
            sys.path.insert(0, plugins)
            import houseplug
            build(Path(meeting), Path(out), get_plugin_manager(load_entrypoints=False, extra=(houseplug,)))
        except BaseException:
            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    print(os.waitpid(pid, 0)[1], flush=True)
"""


class FreshBuilder:
    """Fresh builds in new processes: each forked from one that has only imported the tool (what a new
    ``council build`` process is, less the half second of imports)."""

    def __init__(self) -> None:
        self.process = subprocess.Popen([sys.executable, "-c", FRESH_BUILDER], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True)

    def build(self, meeting: Path, out: Path, plugins: Path, cache: Path) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(json.dumps([str(meeting), str(out), str(plugins), str(cache)]) + "\n")
        self.process.stdin.flush()
        assert self.process.stdout.readline().strip() == "0", "the fresh build failed (its traceback is above)"

    def close(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=60)


TEXTS = ["一つ目の項目", "最初の項目", "初めの項目（改）", "項目その一"]
ACCENTS = ["1F4E79", "7A2E8E", "2E7D32"]
COLOURS = [(200, 120, 40), (20, 60, 200), (0, 0, 0), (250, 250, 250), (90, 160, 90)]


def _png(width: int, height: int, rgb: tuple[int, int, int]) -> bytes:
    """A PNG whose length depends only on its size (stored, not compressed): another colour, same length."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 0)) + chunk(b"IEND", b""))


class World:
    """The meeting folder, the test plugin, and the edits."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.meeting = root / "meeting"
        self.plugin_dir = root / "plugin"
        for folder in (self.meeting / "images", self.meeting / "fonts", self.meeting / "data", self.plugin_dir):
            folder.mkdir(parents=True)
        self.accent, self.text, self.version = ACCENTS[0], TEXTS[0], 1
        self._write_meeting()
        (self.meeting / "roster.yaml").write_text(ROSTER, encoding="utf-8")
        self._write_plan()
        (self.meeting / "note.yaml").write_text(NOTE, encoding="utf-8")
        (self.meeting / "data" / "note.txt").write_text("はじめのメモ", encoding="utf-8")
        (self.meeting / "images" / "photo.png").write_bytes(_png(60, 40, COLOURS[0]))
        (self.meeting / "images" / "pic").write_bytes(_png(40, 50, COLOURS[1]))
        shutil.copyfile(BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf", self.meeting / "fonts" / "regular.ttf")
        shutil.copyfile(BUNDLED_FONTS / "BIZUDPGothic-Bold.ttf", self.meeting / "fonts" / "bold.ttf")
        self._write_plugin()
        sys.path.insert(0, str(self.plugin_dir))
        sys.modules.pop("houseplug", None)
        self.module: ModuleType = importlib.import_module("houseplug")
        self.builds = 0

    def close(self) -> None:
        sys.path.remove(str(self.plugin_dir))
        sys.modules.pop("houseplug", None)

    def _write_meeting(self) -> None:
        (self.meeting / "meeting.yaml").write_text(MEETING.format(accent=self.accent), encoding="utf-8")

    def _write_plan(self) -> None:
        (self.meeting / "plan.yaml").write_text(PLAN.format(text=self.text), encoding="utf-8")

    def _write_plugin(self) -> None:
        (self.plugin_dir / "houseplug.py").write_text(PLUGIN.format(version=f"版{self.version}"), encoding="utf-8")
        shutil.rmtree(self.plugin_dir / "__pycache__", ignore_errors=True)  # its timestamps are whole seconds

    def pm(self):  # type: ignore[no-untyped-def]
        return get_plugin_manager(load_entrypoints=False, extra=(self.module,))

    # -- edits -----------------------------------------------------------------------------------------------
    def edit(self, what: str, choice: int) -> None:
        getattr(self, f"_edit_{what}")(choice)

    def _edit_content(self, choice: int) -> None:
        self.text = TEXTS[choice % len(TEXTS)]
        self._write_plan()

    def _edit_picture(self, choice: int) -> None:  # rewritten in place, another size and colour
        (self.meeting / "images" / "photo.png").write_bytes(_png(40 + 20 * (choice % 3), 40, COLOURS[choice % 5]))

    def _edit_picture_without_suffix(self, choice: int) -> None:
        (self.meeting / "images" / "pic").write_bytes(_png(40, 40 + 20 * (choice % 3), COLOURS[choice % 5]))

    def _edit_picture_same_size_and_time(self, choice: int) -> None:  # only the change time tells
        path = self.meeting / "images" / ("pic" if choice % 2 else "photo.png")
        before = path.stat()
        width, height = _size_of(path.read_bytes())
        others = [colour for colour in COLOURS if colour != _colour_of(path.read_bytes())]
        path.write_bytes(_png(width, height, others[choice % len(others)]))
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))

    def _edit_picture_replaced(self, choice: int) -> None:  # another file (another inode) under the name
        path = self.meeting / "images" / ("pic" if choice % 2 else "photo.png")
        fresh = path.with_name(".new")
        fresh.write_bytes(_png(50, 30 + 10 * (choice % 3), COLOURS[(choice + 2) % 5]))
        os.replace(fresh, path)

    def _edit_font(self, choice: int) -> None:  # the regular face becomes the bold one, or back
        source = "BIZUDPGothic-Bold.ttf" if choice % 2 else "BIZUDPGothic-Regular.ttf"
        (self.meeting / "fonts" / "regular.ttf").write_bytes((BUNDLED_FONTS / source).read_bytes())

    def _edit_theme(self, choice: int) -> None:
        self.accent = ACCENTS[choice % len(ACCENTS)]
        self._write_meeting()

    def _edit_plugin_code(self, choice: int) -> None:  # a new version, as the next process imports it
        self.version += 1 + choice % 2
        self._write_plugin()
        self.module = importlib.reload(self.module)
        incremental._package_stamp.cache_clear()

    def _edit_plugin_data(self, choice: int) -> None:
        (self.meeting / "data" / "note.txt").write_text(["つぎのメモ", "メモ（改）", "三つ目"][choice % 3],
                                                       encoding="utf-8")

    # -- builds ----------------------------------------------------------------------------------------------
    def incremental(self) -> dict[str, bytes]:
        """A build into the one output folder, from the state the last build saved (as a new process)."""
        result = build(self.meeting, self.root / "out", self.pm())
        return {path.name: path.read_bytes() for path in result.files}

    def fresh(self, builder: FreshBuilder) -> dict[str, bytes]:
        """A build by a new process, with an empty cache folder, into a new folder."""
        self.builds += 1
        out, cache = self.root / f"fresh{self.builds}", self.root / f"cache{self.builds}"
        builder.build(self.meeting, out, self.plugin_dir, cache)
        files = {path.name: path.read_bytes() for path in out.iterdir() if not path.name.startswith(".")}
        shutil.rmtree(out)
        shutil.rmtree(cache, ignore_errors=True)
        return files


def _size_of(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _colour_of(png: bytes) -> tuple[int, int, int]:
    """The colour of a picture ``_png`` made (its first pixel)."""
    start = png.index(b"IDAT") + 4
    return tuple(zlib.decompress(png[start:start + struct.unpack(">I", png[start - 8:start - 4])[0]])[1:4])  # type: ignore[return-value]


EDITS = ["content", "picture", "picture_without_suffix", "picture_same_size_and_time", "picture_replaced", "font",
         "theme", "plugin_code", "plugin_data"]


@pytest.fixture(scope="module")
def fresh_builder():  # type: ignore[no-untyped-def]
    builder = FreshBuilder()
    yield builder
    builder.close()


@pytest.fixture
def cache(tmp_path: Path, monkeypatch):  # type: ignore[no-untyped-def]
    """The incremental builds' own cache folder (their state, validated files, chosen sizes…)."""
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


_settings = settings(max_examples=EXAMPLES, deadline=None, database=None,
                     suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_seeded = seed(int(os.environ["COUNCIL_PROPERTY_SEED"])) if os.environ.get("COUNCIL_PROPERTY_SEED") else lambda f: f


@_seeded
@_settings
@example(edits=[("font", 1), ("font", 0)], workers="0")  # a font rewritten in place, in this process
@example(edits=[("picture_same_size_and_time", 0), ("picture_same_size_and_time", 1)], workers="2")
@example(edits=[("plugin_code", 0), ("plugin_data", 1), ("picture_without_suffix", 2)], workers="0")
@given(edits=st.lists(st.tuples(st.sampled_from(EDITS), st.integers(0, 11)), min_size=1, max_size=4),
       workers=st.sampled_from(["0", "2"]))
def test_an_incremental_build_equals_a_fresh_build_after_any_edits(tmp_path_factory, cache, fresh_builder,  # type: ignore[no-untyped-def]
                                                                   monkeypatch, edits, workers) -> None:
    monkeypatch.setenv("COUNCIL_MATERIALS_WORKERS", workers)
    world = World(tmp_path_factory.mktemp("world"))
    try:
        world.incremental()
        for what, choice in edits:
            world.edit(what, choice)
            built = world.incremental()
            fresh = world.fresh(fresh_builder)
            assert sorted(built) == sorted(fresh), (what, choice)
            for name in fresh:
                assert built[name] == fresh[name], f"{name} differs from a fresh build after {edits}"
    finally:
        world.close()


def test_every_kind_of_edit_changes_the_outputs(tmp_path: Path, cache) -> None:  # type: ignore[no-untyped-def]
    """The property draws every edit below, and each changes what a build writes (an edit that changed
    nothing would prove nothing)."""
    assert set(EDITS) == {name.removeprefix("_edit_") for name in vars(World) if name.startswith("_edit_")}
    world = World(tmp_path / "world")
    try:
        before = world.incremental()
        for what in EDITS:
            world.edit(what, 1)
            after = world.incremental()
            assert after != before, f"the edit {what} changed no output"
            before = after
    finally:
        world.close()

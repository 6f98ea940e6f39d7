"""What the safety catalogue's tests share: a world of files to keep intact, ``council`` run as a real process
with a time bound, and plugins installed through a real entry point.

Each case builds a ``World``: a meeting folder (one ``slides`` material with a picture, a listed reference),
files of the user's beside it (``elsewhere/report.docx``), and optionally a previous good build. The test runs
``python -m council_materials`` in a subprocess with a timeout (the bound on time: a hang fails the test
instead of hanging the suite), and checks the exit status, the message, and that every file outside the
output folder is byte for byte (SHA-256) and mode for mode as it was.
"""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from meetings import MEETING, ROSTER

BOUND = 60.0
"""Seconds any one command may take; a command that waits for ever fails its test after this."""

PLAN = """\
slides:
  - kind: bullets
    title: 計画の概要
    items: [一つ目の項目, 二つ目の項目]
  - kind: image
    title: 写真
    photos:
      - {path: images/photo.png, caption: 説明}
"""


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(root: Path, skip: tuple[Path, ...] = ()) -> dict[str, tuple[str, int]]:
    """Every file and folder under ``root`` (those under ``skip`` aside): its checksum (files) and mode."""
    found = {}
    for path in sorted(root.rglob("*")):
        if any(path == s or path.is_relative_to(s) for s in skip):
            continue
        info = path.lstat()
        what = "link:" + os.readlink(path) if path.is_symlink() else (sha256(path) if path.is_file() else "dir")
        found[str(path.relative_to(root))] = (what, info.st_mode)
    return found


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def text(self) -> str:
        return self.out + self.err


@dataclass
class World:
    """A meeting folder and files of the user's, all under ``root``."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)

    @property
    def meeting(self) -> Path:
        return self.root / "meeting"

    @property
    def elsewhere(self) -> Path:
        return self.root / "elsewhere"

    def council(self, *args: str | Path, cwd: Path | None = None, timeout: float = BOUND) -> Run:
        """``council ARGS`` as its own process; fails the test (by ``TimeoutExpired``) if it takes longer
        than ``timeout``."""
        done = subprocess.run([sys.executable, "-m", "council_materials", *map(str, args)], capture_output=True,
                              text=True, timeout=timeout, cwd=cwd or self.root, env={**os.environ, **self.env})
        return Run(done.returncode, done.stdout, done.stderr)

    def start(self, *args: str | Path) -> subprocess.Popen[str]:
        """``council ARGS`` started in the background (its own process group), output in files."""
        out = open(self.root / "council.out", "w+", encoding="utf-8")  # noqa: SIM115
        return subprocess.Popen([sys.executable, "-m", "council_materials", *map(str, args)], stdout=out,
                                stderr=subprocess.STDOUT, text=True, cwd=self.root, start_new_session=True,
                                env={**os.environ, **self.env})

    def output_of(self, process: subprocess.Popen[str]) -> str:
        return (self.root / "council.out").read_text(encoding="utf-8")

    def plugin(self, source: str, name: str = "bad") -> None:
        """Install a plugin module ``NAME_plugin`` through a real ``council_materials`` entry point, and let
        only it (and the core) load."""
        folder = self.root / "site"
        module = f"{name}_plugin"
        (folder / f"{module}-0.1.dist-info").mkdir(parents=True, exist_ok=True)
        (folder / f"{module}-0.1.dist-info" / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {module}\nVersion: 0.1\n", encoding="utf-8")
        (folder / f"{module}-0.1.dist-info" / "entry_points.txt").write_text(
            f"[council_materials]\n{name} = {module}\n", encoding="utf-8")
        (folder / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        self.env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(folder), os.environ.get("PYTHONPATH")]))
        self.env["COUNCIL_MATERIALS_PLUGINS"] = name


def make_world(root: Path, *, plan: str = PLAN, meeting: str = MEETING) -> World:
    """The meeting folder (meeting.yaml, roster.yaml, content/plan.yaml, images/photo.png) and a file of the
    user's in ``elsewhere/``."""
    world = World(root)
    folder = world.meeting
    (folder / "content").mkdir(parents=True)
    (folder / "images").mkdir()
    (folder / "meeting.yaml").write_text(meeting.replace("content: plan.yaml", "content: content/plan.yaml"),
                                         encoding="utf-8")
    (folder / "roster.yaml").write_text(ROSTER, encoding="utf-8")
    (folder / "content" / "plan.yaml").write_text(plan, encoding="utf-8")
    Image.new("RGB", (60, 40), (30, 120, 200)).save(folder / "images" / "photo.png")
    world.elsewhere.mkdir()
    (world.elsewhere / "report.docx").write_bytes(b"PK\x03\x04 the secretariat's report")
    return world


def outputs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def wait_for(path: Path, timeout: float = BOUND) -> None:
    """Wait until ``path`` exists (a plugin's layout writes it when it starts), at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not path.exists():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear within {timeout} s")
        time.sleep(0.05)


def wait_gone(pattern_folder: Path, prefix: str, timeout: float = BOUND) -> list[str]:
    """Wait until no entry of ``pattern_folder`` starts with ``prefix``; return what is left then."""
    deadline = time.monotonic() + timeout
    while True:
        left = [p.name for p in pattern_folder.iterdir() if p.name.startswith(prefix)]
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.05)


def stop(process: subprocess.Popen[str], sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to the process (only it, not its workers)."""
    os.kill(process.pid, sig)


SLOW_KIND = """
import os, time
from pathlib import Path
from typing import Literal

from council_materials import SlideKind, hookimpl
from council_materials.layout.primitives import Box, Rect
from council_materials.models import SlideBase


class SlowSlide(SlideBase):
    kind: Literal["slow"] = "slow"


def lay_out(slide, ctx, body):
    if os.environ.get("SAFETY_MARK"):
        Path(os.environ["SAFETY_MARK"]).write_text(str(os.getpid()))
    time.sleep(float(os.environ.get("SAFETY_SLEEP", "0")))
    {action}
    return [Box(Rect(body.x, body.y, 10, 10), fill="CCCCCC", name="box")]


@hookimpl
def slide_kinds():
    return [SlideKind("slow", SlowSlide, lay_out)]
"""
"""A plugin with a slide kind ``slow``: its layout writes $SAFETY_MARK (when set), sleeps $SAFETY_SLEEP seconds,
then runs ``{action}``."""


def add_slow_slide(world: World, action: str = "pass") -> None:
    """Give the world's material a slide of the ``slow`` kind (installing its plugin)."""
    world.plugin(SLOW_KIND.replace("{action}", action), name="slow")
    plan = world.meeting / "content" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8") + "  - kind: slow\n    title: 遅い\n", encoding="utf-8")


def edit_plan(world: World, old: str = "一つ目", new: str = "最初") -> None:
    plan = world.meeting / "content" / "plan.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

"""Meeting folders built on the test templates (``tests/templates``), and templates edited into bad ones.

``templated_meeting`` copies the example meeting and writes its theme to use a template; with the 16:9
template it also gives the theme IPAexGothic (the template's font: Debian's ``fonts-ipaexfont-gothic``,
installed by ``scripts/setup.sh --test-clients``), writes → for ➡ (U+27A1, which IPAexGothic lacks) and
lets text shrink to 10.5 pt (the template's body, under its title band, is lower than the theme's own
16:9 frame's). ``edited_template`` rewrites parts of a template, as a designer's mistake would.
"""
from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path
from typing import Callable

import pytest

from conftest import EXAMPLE, ROOT

TEMPLATES = ROOT / "tests" / "templates"
A4 = TEMPLATES / "secretariat-a4.pptx"
WIDE = TEMPLATES / "secretariat-wide.potx"
IPAEX = Path("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf")
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}


def require_ipaex() -> Path:
    """IPAexGothic's file; skip (or fail in CI) without it."""
    if IPAEX.is_file():
        return IPAEX
    message = f"{IPAEX} is not installed (scripts/setup.sh --test-clients installs fonts-ipaexfont-gothic)"
    if os.environ.get("COUNCIL_REQUIRE_CLIENTS"):
        pytest.fail(message)
    pytest.skip(message)


def wide_theme() -> str:
    font = require_ipaex()
    return (f"  fonts:\n    regular: {{path: {font}}}\n    bold: {{path: {font}}}\n  min_size: 10.5\n")


def templated_meeting(folder: Path, template: Path, theme: str | None = None, name: str | None = None) -> Path:
    """A copy of the example meeting in ``folder`` whose theme uses ``template`` (copied to ``templates/``),
    then ``theme`` (more lines of the theme, indented two spaces; default: the wide template's font)."""
    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build", "build-*"))
    (folder / "templates").mkdir()
    target = folder / "templates" / (name or template.name)
    shutil.copyfile(template, target)
    if theme is None:
        theme = wide_theme() if template == WIDE else ""
    meeting = folder / "meeting.yaml"
    text = meeting.read_text(encoding="utf-8")
    assert "theme:\n  page: a4-landscape\n" in text
    meeting.write_text(text.replace("theme:\n  page: a4-landscape\n",
                                    f"theme:\n  template: templates/{target.name}\n{theme}"), encoding="utf-8")
    if "ipaex" in theme:
        for content in (folder / "content").glob("*.yaml"):
            content.write_text(content.read_text(encoding="utf-8").replace("➡", "→"), encoding="utf-8")
    return folder


def edited_template(source: Path, target: Path, edits: dict[str, Callable[[bytes], bytes]],
                    drop: tuple[str, ...] = ()) -> Path:
    """``source`` with each part named in ``edits`` rewritten by its function, and the parts ``drop`` left out."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            if info.filename in drop:
                continue
            data = old.read(info)
            if info.filename in edits:
                data = edits[info.filename](data)
            new.writestr(info.filename, data)
    target.write_bytes(out.getvalue())
    return target


def part(deck: Path, name: str) -> bytes:
    with zipfile.ZipFile(deck) as archive:
        return archive.read(name)

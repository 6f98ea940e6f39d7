"""End to end: the second, ordinary example meeting (``examples/council-121``) validates and builds.

The 121st meeting is written from the secretariat's guide and the plugins' READMEs, with
less dense content than the 120th, so that layout is measured on more than one meeting.
Takes in the meeting folder as committed; runs ``council validate`` and ``council build``
(both formats) through the command line, then reopens what the build wrote: file names,
page counts, the combined PDF's bookmarks, and the pictures drawn by its ``make_images.py``.
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader

from council_materials.cli import make_cli
from council_materials.loading import load_model
from council_materials.models import Meeting
from council_materials.plugins import get_plugin_manager

from conftest import ROOT

SECOND = ROOT / "examples" / "council-121"
PICTURE_BUDGET = 600 * 1024
"""The meeting's pictures together stay under this many bytes (the repository carries them)."""


def _meeting() -> Meeting:
    return load_model(Meeting, SECOND / "meeting.yaml")


def _run(*args: str) -> Result:
    return CliRunner().invoke(make_cli(get_plugin_manager), list(args))


def _built_materials(meeting: Meeting) -> list[tuple[str, str]]:
    """(label, title) of every material and reference a build writes, in numbering order."""
    labels = [(f"資料{n}", m.title) for n, m in enumerate(meeting.materials, 1) if m.source]
    references = [r for r in meeting.references if r.source]
    if len(references) == 1:
        labels.append(("参考", references[0].title))
    else:
        labels += [(f"参考{n}", r.title) for n, r in enumerate(references, 1)]
    return labels


@pytest.fixture(scope="module")
def second_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    """``council build examples/council-121 -o OUT``, run once for this module."""
    out = tmp_path_factory.mktemp("council-121") / "out"
    return _run("build", str(SECOND), "-o", str(out)), out


def test_the_second_meeting_validates() -> None:
    result = _run("validate", str(SECOND))
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output


def test_the_second_meeting_is_another_meeting() -> None:
    meeting = _meeting()
    assert meeting.number == 121 and meeting.date.weekday() < 5
    assert {m.source for m in meeting.materials} == {"dx", "international", "talent", "wa", "slides"}


def test_build_writes_both_formats_of_every_material(second_build: tuple[Result, Path]) -> None:
    result, out = second_build
    assert result.exit_code == 0, result.output
    assert "error" not in result.output and "warning" not in result.output
    meeting = _meeting()
    stems = ["00_会議次第"] + [f"{n:02d}_{label}_{title}"
                                for n, (label, title) in enumerate(_built_materials(meeting), 1)]
    expected = {f"{stem}{suffix}" for stem in stems for suffix in (".pdf", ".pptx")}
    expected.add(f"第{meeting.number}回{meeting.council}_資料一式.pdf")
    assert len(expected) == 15  # cover + 6 materials, each PDF and PPTX, and the combined PDF
    assert {p.name for p in out.iterdir()} == expected | {".council-build.json"}  # and the list of them
    for stem in stems:
        pages = len(PdfReader(out / f"{stem}.pdf").pages)
        assert pages > 0 and len(Presentation(str(out / f"{stem}.pptx")).slides) == pages, stem


def test_combined_pdf_has_every_material_as_a_bookmark(second_build: tuple[Result, Path]) -> None:
    _, out = second_build
    meeting = _meeting()
    combined = PdfReader(out / f"第{meeting.number}回{meeting.council}_資料一式.pdf")
    titles = [item.title for item in combined.outline]
    assert titles == ["会議次第・名簿"] + [f"{label} {title}" for label, title in _built_materials(meeting)]
    # each bookmark opens the first page of its material
    parts = sorted(p for p in out.glob("*.pdf") if "資料一式" not in p.name)
    starts, page = [], 0
    for part in parts:
        starts.append(page)
        page += len(PdfReader(part).pages)
    assert [combined.get_destination_page_number(item) for item in combined.outline] == starts
    assert len(combined.pages) == page
    assert 20 <= page <= 35, f"the ordinary meeting should stay a 20–35 page meeting, has {page}"


def test_pictures_are_varied_and_small() -> None:
    pictures = sorted(p for p in (SECOND / "images").rglob("*") if p.is_file())
    assert sum(p.stat().st_size for p in pictures) < PICTURE_BUDGET
    opened = {p: Image.open(p) for p in pictures}
    assert any(im.format == "JPEG" and im.height > im.width for im in opened.values()), "no portrait JPEG"
    assert any(im.format == "PNG" and im.mode == "RGBA" for im in opened.values()), "no PNG with transparency"
    ratios = {round(im.width / im.height, 2) for im in opened.values()}
    assert len(ratios) >= 4, ratios
    named = "\n".join(p.read_text(encoding="utf-8") for p in (SECOND / "content").glob("*.yaml"))
    unused = [str(p.relative_to(SECOND)) for p in pictures if str(p.relative_to(SECOND)) not in named]
    assert not unused, f"pictures no content file shows: {unused}"


def test_make_images_draws_the_committed_pictures(tmp_path: Path) -> None:
    """The pictures are reproducible: the script (with the pinned Pillow) draws the same bytes."""
    spec = importlib.util.spec_from_file_location("make_images_121", SECOND / "make_images.py")
    assert spec and spec.loader
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    committed = {p.relative_to(SECOND / "images").as_posix() for p in (SECOND / "images").rglob("*") if p.is_file()}
    assert set(script.PICTURES) == committed
    for name, draw in script.PICTURES.items():
        script.save(draw(), tmp_path / name)
        assert (tmp_path / name).read_bytes() == (SECOND / "images" / name).read_bytes(), \
            f"images/{name} is not what make_images.py draws: run it and commit the pictures"

"""Incremental builds: given the previous build's state, only files whose inputs changed are rendered.

Files that are kept are the very files of the previous build (same inode, same modification time);
every build's outputs are byte for byte those of a fresh full build of the same inputs.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from council_materials.build import build
from council_materials.errors import InputError
from council_materials.incremental import file_stamp
from council_materials.plugins import get_plugin_manager

from meetings import MEETING, PLAN, write_meeting

OTHER = "slides:\n  - kind: image\n    title: 写真\n    photos:\n      - {path: photo.png, caption: 現場}\n"
COVER, PLAN_PDF, PLAN_PPTX = "00_会議次第.pdf", "01_資料1_計画について.pdf", "01_資料1_計画について.pptx"
OTHER_PDF, OTHER_PPTX, COMBINED = "02_資料2_写真集.pdf", "02_資料2_写真集.pptx", "第5回テスト会議_資料一式.pdf"


def _pm():  # type: ignore[no-untyped-def]
    return get_plugin_manager(load_entrypoints=False)


def _meeting(tmp_path: Path) -> Path:
    meeting = MEETING.replace("references:", "  - id: other\n    title: 写真集\n    source: slides\n"
                                             "    content: other.yaml\nreferences:")
    root = write_meeting(tmp_path, meeting=meeting)
    (root / "other.yaml").write_text(OTHER, encoding="utf-8")
    Image.new("RGB", (60, 40), (200, 120, 40)).save(root / "photo.png")
    return root


def _files(out: Path) -> dict[str, tuple[int, int, bytes]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.read_bytes()) for p in out.iterdir()}  # the
    # manifest too: a build that changes nothing does not rewrite it


@pytest.fixture
def first(tmp_path: Path):  # type: ignore[no-untyped-def]
    root = _meeting(tmp_path)
    result = build(root, tmp_path / "out", _pm())
    assert sorted(p.name for p in result.rendered) == sorted(p.name for p in result.files)
    return root, result


def test_nothing_changed_renders_nothing_and_keeps_every_file(first, tmp_path: Path) -> None:
    root, result = first
    before = _files(tmp_path / "out")
    again = build(root, tmp_path / "out", _pm(), previous=result.state)
    assert again.rendered == [] and again.files == result.files
    assert _files(tmp_path / "out") == before


def test_a_changed_content_file_renders_its_material_and_the_combined_pdf_only(first, tmp_path: Path) -> None:
    root, result = first
    before = _files(tmp_path / "out")
    (root / "plan.yaml").write_text(PLAN.replace("一つ目の項目", "最初の項目"), encoding="utf-8")
    again = build(root, tmp_path / "out", _pm(), previous=result.state)
    assert sorted(p.name for p in again.rendered) == sorted([PLAN_PDF, PLAN_PPTX, COMBINED])
    after = _files(tmp_path / "out")
    for name in (COVER, "00_会議次第.pptx", OTHER_PDF, OTHER_PPTX):
        assert after[name] == before[name], f"{name} was rewritten"
    for name in (PLAN_PDF, PLAN_PPTX, COMBINED):
        assert after[name][2] != before[name][2], f"{name} did not change"
    fresh = build(root, tmp_path / "fresh", _pm())
    assert {p.name: p.read_bytes() for p in fresh.files} == \
        {name: data for name, (_, _, data) in after.items() if not name.startswith(".")}


def test_a_changed_picture_renders_the_material_that_shows_it(first, tmp_path: Path) -> None:
    root, result = first
    Image.new("RGB", (60, 40), (20, 60, 200)).save(root / "photo.png")
    again = build(root, tmp_path / "out", _pm(), previous=result.state)
    assert sorted(p.name for p in again.rendered) == sorted([OTHER_PDF, OTHER_PPTX, COMBINED])


def test_a_changed_meeting_title_renders_everything(first, tmp_path: Path) -> None:
    root, result = first
    (root / "meeting.yaml").write_text((root / "meeting.yaml").read_text("utf-8").replace("number: 5", "number: 6"),
                                       encoding="utf-8")
    again = build(root, tmp_path / "out", _pm(), previous=result.state)
    assert again.rendered == again.files  # the footer of every page names the meeting


def test_a_file_changed_by_someone_else_is_rendered_again(first, tmp_path: Path) -> None:
    root, result = first
    (tmp_path / "out" / OTHER_PDF).write_bytes(b"edited by hand")
    again = build(root, tmp_path / "out", _pm(), previous=result.state)
    assert [p.name for p in again.rendered] == [OTHER_PDF]
    assert (tmp_path / "out" / OTHER_PDF).read_bytes().startswith(b"%PDF")


def test_state_of_another_output_folder_is_not_used(first, tmp_path: Path) -> None:
    root, result = first
    other = build(root, tmp_path / "elsewhere", _pm(), previous=result.state)
    assert other.rendered == other.files


def test_a_failed_build_keeps_the_outputs_and_the_state_still_works(first, tmp_path: Path) -> None:
    root, result = first
    before = _files(tmp_path / "out")
    (root / "plan.yaml").write_text(PLAN.replace("items:", "itemz:"), encoding="utf-8")
    with pytest.raises(InputError):
        build(root, tmp_path / "out", _pm(), previous=result.state)
    assert _files(tmp_path / "out") == before
    (root / "plan.yaml").write_text(PLAN, encoding="utf-8")
    assert build(root, tmp_path / "out", _pm(), previous=result.state).rendered == []


def test_rebuilds_match_fresh_builds_after_every_kind_of_change(first, tmp_path: Path) -> None:
    """Parts are kept only for unchanged inputs (pictures included): every rebuild equals a fresh build."""
    root, result = first
    state = result.state
    changes = [
        lambda: Image.new("RGB", (40, 90), (20, 60, 200)).save(root / "photo.png"),  # new shape, same name
        lambda: (root / "plan.yaml").write_text(PLAN.replace("詳細", "詳細な説明"), encoding="utf-8"),
        lambda: (root / "meeting.yaml").write_text((root / "meeting.yaml").read_text(encoding="utf-8")
                                                   .replace("council: テスト会議", "council: 試験会議"),
                                                   encoding="utf-8"),
    ]
    for number, change in enumerate(changes):
        change()
        again = build(root, tmp_path / "out", _pm(), previous=state)
        state = again.state
        fresh = build(root, tmp_path / f"fresh{number}", _pm())
        assert {p.name: p.read_bytes() for p in again.files} == {p.name: p.read_bytes() for p in fresh.files}


def test_a_new_process_reuses_what_the_last_build_into_the_folder_wrote(first, tmp_path: Path) -> None:
    """The state is saved in the cache folder: a build without ``previous`` (a new ``council build``
    process, with another hash seed) neither lays out nor renders unchanged parts."""
    root, result = first
    before = _files(tmp_path / "out")
    script = ("import sys; from pathlib import Path; from council_materials.build import build; "
              "from council_materials.plugins import get_plugin_manager; "
              "r = build(Path(sys.argv[1]), Path(sys.argv[2]), get_plugin_manager(load_entrypoints=False)); "
              "print(sorted(p.name for p in r.rendered))")
    for seed, expected in (("1", "[]"), ("2", str(sorted([OTHER_PDF, OTHER_PPTX, COMBINED])))):
        if seed == "2":
            Image.new("RGB", (60, 40), (0, 0, 0)).save(root / "photo.png")
        run = subprocess.run([sys.executable, "-c", script, str(root), str(tmp_path / "out")], capture_output=True,
                             text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        assert run.stdout.strip() == expected
    after = _files(tmp_path / "out")
    for name in (COVER, PLAN_PDF, PLAN_PPTX):
        assert after[name] == before[name], f"{name} was rewritten"


def test_a_part_whose_inputs_are_unchanged_is_not_laid_out_again(first, tmp_path: Path, monkeypatch) -> None:
    root, result = first
    import council_materials.layout.document as document

    laid_out: list[str] = []
    real = document.layout_part
    monkeypatch.setattr(document, "layout_part", lambda material, **kw: (
        laid_out.append(material.id if material else "cover"), real(material, **kw))[1])
    monkeypatch.setenv("COUNCIL_MATERIALS_WORKERS", "0")  # lay out in this process, where the spy is
    (root / "plan.yaml").write_text(PLAN.replace("一つ目の項目", "最初の項目"), encoding="utf-8")
    build(root, tmp_path / "out", _pm(), previous=result.state)
    assert laid_out == ["plan"]


def test_a_changed_font_file_lays_out_every_part_again(tmp_path: Path) -> None:
    """Every part records the theme's font files as read (stamped when their metrics were read): a font
    changed since the last build, even only touched, makes every part be laid out and rendered again."""
    from council_materials.typography.fonts import BUNDLED_FONTS

    theme = "theme:\n  fonts:\n    regular: {path: fonts/r.ttf}\n    bold: {path: fonts/b.ttf}\n"
    root = write_meeting(tmp_path, meeting=MEETING + theme)
    (root / "fonts").mkdir()
    shutil.copyfile(BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf", root / "fonts" / "r.ttf")
    shutil.copyfile(BUNDLED_FONTS / "BIZUDPGothic-Bold.ttf", root / "fonts" / "b.ttf")
    first = build(root, tmp_path / "out", _pm())
    assert build(root, tmp_path / "out", _pm(), previous=first.state).rendered == []
    os.utime(root / "fonts" / "r.ttf", ns=(1, 1))
    again = build(root, tmp_path / "out", _pm(), previous=first.state)
    assert again.rendered == again.files and len(again.files) == 5


def test_a_damaged_cache_folder_is_not_used_and_the_build_is_right(tmp_path: Path, monkeypatch) -> None:
    """The saved state, validated files and built slides are only a cache: damaged entries are ignored
    (the build lays out and renders again) and the outputs are those of a fresh build."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(cache))
    root = _meeting(tmp_path)
    build(root, tmp_path / "out", _pm())
    damaged = 0
    for kind in ("builds", "validated", "slides"):
        for entry in (cache / kind).iterdir():
            entry.write_bytes(b"\x80\x05not a pickle")
            damaged += 1
    assert damaged >= 5
    again = build(root, tmp_path / "out", _pm())
    assert sorted(p.name for p in again.rendered) == sorted(p.name for p in again.files)
    fresh = build(root, tmp_path / "fresh", _pm())
    assert {p.name: p.read_bytes() for p in again.files} == {p.name: p.read_bytes() for p in fresh.files}


def test_a_picture_named_without_a_suffix_is_an_input_of_its_part(first, tmp_path: Path) -> None:
    """The layout records every file it opens: a picture is an input whatever its name, so a change to
    ``pic`` (no suffix) lays out and renders its material again (it used to leave the outputs stale)."""
    root, result = first
    Image.new("RGB", (60, 40), (200, 120, 40)).save(root / "pic", format="PNG")
    (root / "other.yaml").write_text(OTHER.replace("photo.png", "pic"), encoding="utf-8")
    state = build(root, tmp_path / "out", _pm(), previous=result.state).state
    assert state is not None and (str(root.resolve() / "pic"), file_stamp(root / "pic")) in state.parts["02_資料2_写真集"].reads
    Image.new("RGB", (40, 90), (20, 60, 200)).save(root / "pic", format="PNG")
    again = build(root, tmp_path / "out", _pm(), previous=state)
    assert sorted(p.name for p in again.rendered) == sorted([OTHER_PDF, OTHER_PPTX, COMBINED])
    fresh = build(root, tmp_path / "fresh", _pm())
    assert {p.name: p.read_bytes() for p in again.files} == {p.name: p.read_bytes() for p in fresh.files}


def test_a_picture_rewritten_with_its_old_size_and_time_is_noticed(first, tmp_path: Path) -> None:
    """A picture's stamp includes its change time, which no copy tool sets back."""
    root, result = first
    photo = root / "photo.png"
    image = Image.new("RGB", (60, 40), (200, 120, 40))
    image.save(photo, compress_level=0)
    before = photo.stat()
    state = build(root, tmp_path / "out", _pm(), previous=result.state).state
    Image.new("RGB", (60, 40), (20, 60, 200)).save(photo, compress_level=0)
    assert photo.stat().st_size == before.st_size, "the test needs a picture of the same length"
    os.utime(photo, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = build(root, tmp_path / "out", _pm(), previous=state)
    assert sorted(p.name for p in again.rendered) == sorted([OTHER_PDF, OTHER_PPTX, COMBINED])


def test_a_file_a_plugin_kind_reads_through_the_context_is_an_input(tmp_path: Path) -> None:
    """``LayoutContext.read_file`` records what a plugin's slide kind reads: a change to it lays the part out
    again; the other parts stay."""
    import types
    from typing import Literal

    from council_materials import SlideKind, hookimpl
    from council_materials.layout.primitives import Rect
    from council_materials.models import SlideBase

    class Quote(SlideBase):
        kind: Literal["quote"] = "quote"
        file: str

    def layout_quote(slide, ctx, body):  # type: ignore[no-untyped-def]
        return [ctx.set_text(ctx.read_file(slide.file).decode("utf-8"), Rect(body.x, body.y, body.w, 60), name="quote")]

    plugin = types.ModuleType("quote_plugin")
    plugin.slide_kinds = hookimpl(lambda: [SlideKind("quote", Quote, layout_quote)])  # type: ignore[attr-defined]
    pm = lambda: get_plugin_manager(load_entrypoints=False, extra=(plugin,))  # noqa: E731
    root = _meeting(tmp_path)
    (root / "other.yaml").write_text("slides:\n  - kind: quote\n    title: 引用\n    file: quote.txt\n", encoding="utf-8")
    (root / "quote.txt").write_text("最初の言葉", encoding="utf-8")
    result = build(root, tmp_path / "out", pm())
    (root / "quote.txt").write_text("次の言葉です", encoding="utf-8")
    again = build(root, tmp_path / "out", pm(), previous=result.state)
    assert sorted(p.name for p in again.rendered) == sorted([OTHER_PDF, OTHER_PPTX, COMBINED])
    assert "次の言葉です" in _pdf_text(tmp_path / "out" / OTHER_PDF)


def _pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "".join(page.extract_text() for page in PdfReader(path).pages).replace(" ", "")

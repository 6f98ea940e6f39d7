"""Pictures: fit and fill, downscaled once, alternative text, clear errors, draft placeholders.

Layout tests check where a picture goes, how it is cropped and which file both outputs
embed; renderer tests reopen the PPTX (``a:srcRect``, ``descr``, the embedded image) and
the PDF (the image, its clip, its ``Figure`` with ``/Alt``), and compare pixels of our PDF with
LibreOffice's rendering of our PPTX. Every bad picture is an error naming the file and the
box, from the layout and from ``council build``; in draft mode it becomes a placeholder.
"""
from __future__ import annotations

import io
import os
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTFigure, LTImage
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader
from pypdf.generic import ContentStream

from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.cli import make_cli
from council_materials.errors import InputError
from council_materials.layout.context import LayoutContext
from council_materials.layout.document import layout_bundle
from council_materials.layout.pictures import DPI, photo
from council_materials.layout.primitives import Box, Document, Page, Picture, Rect, TextBlock
from council_materials.models import Photo, Theme
from council_materials.plugins import get_plugin_manager
from council_materials.typography.linebreak import LineBreaker

from conftest import render_both, require_client, soffice_to_pdf
from meetings import write_meeting

A4 = (841.89, 595.28)


def halves(path: Path, size: tuple[int, int], fmt: str = "PNG") -> Path:
    """A picture red on the left half, blue on the right, with green bands on the outer 30 %:
    cropped evenly to its middle 40 %, it shows red and blue only."""
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 60, 220), (size[0] // 2, 0, size[0], size[1]))
    band = size[0] * 3 // 10
    image.paste((40, 160, 40), (0, 0, band, size[1]))
    image.paste((40, 160, 40), (size[0] - band, 0, size[0], size[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path, fmt, quality=92)
    return path


@pytest.fixture
def ctx(fonts, tmp_path: Path) -> LayoutContext:
    (tmp_path / "meeting").mkdir()
    return LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path / "meeting",
                         material="資料1 (plan)", page=1, cache_dir=tmp_path / "cache")


# -- placing --------------------------------------------------------------------------------
def test_fit_letterboxes_and_centres_with_the_caption_under(ctx: LayoutContext) -> None:
    halves(ctx.meeting_dir / "images/wide.png", (400, 100))
    items = photo(ctx, Photo(path="images/wide.png", caption="横長の写真"), Rect(10, 20, 200, 200), "photo 1")
    picture, caption = items
    assert isinstance(picture, Picture) and picture.crop == (0, 0, 0, 0)
    assert (picture.rect.x, picture.rect.w, picture.rect.h) == pytest.approx((10, 200, 50))
    assert picture.path == ctx.meeting_dir / "images/wide.png"  # small enough: the original file
    assert picture.alt == "横長の写真"
    assert isinstance(caption, TextBlock) and caption.rect.y == pytest.approx(picture.rect.bottom + 2)


def test_fill_covers_the_box_and_crops_evenly(ctx: LayoutContext) -> None:
    halves(ctx.meeting_dir / "images/wide.png", (400, 100))
    picture, caption = photo(ctx, Photo(path="images/wide.png", caption="切り抜き", alt="説明", fit="fill"),
                             Rect(10, 20, 200, 200), "photo 1")
    assert picture.rect.x == 10 and picture.rect.y == 20 and picture.rect.w == 200
    assert picture.rect.bottom == pytest.approx(caption.rect.y - 2)
    scale = picture.rect.h / 100
    side = (1 - 200 / (400 * scale)) / 2
    assert picture.crop == pytest.approx((side, 0, side, 0), abs=1e-6) and side > 0.3
    assert picture.alt == "説明"


def test_large_pictures_are_downscaled_once_to_the_resolution_the_page_needs(ctx: LayoutContext) -> None:
    source = halves(ctx.meeting_dir / "images/big.jpg", (4000, 3000), "JPEG")
    box = Rect(0, 0, 300, 225)
    (picture,) = photo(ctx, Photo(path="images/big.jpg"), box, "photo 1")
    need = (round(300 / 72 * DPI), round(225 / 72 * DPI))
    assert picture.path.parent == ctx.cache_dir and picture.path.suffix == ".jpg"
    with Image.open(picture.path) as small:
        assert (small.format, small.size) == ("JPEG", need)
    assert picture.path.stat().st_size < source.stat().st_size / 5
    written = picture.path.stat().st_mtime_ns
    (again,) = photo(ctx, Photo(path="images/big.jpg"), box, "photo 1")
    assert again.path == picture.path and again.path.stat().st_mtime_ns == written  # reused, not redone
    (filled,) = photo(ctx, Photo(path="images/big.jpg", fit="fill"), Rect(0, 0, 300, 100), "photo 1")
    with Image.open(filled.path) as small:  # the whole picture at the size its visible part needs
        assert small.size == (round(300 / 72 * DPI), round(225 / 72 * DPI))


def test_a_drawing_that_would_grow_when_resampled_keeps_its_original(ctx: LayoutContext) -> None:
    drawing = Image.new("P", (1200, 800), 0)
    drawing.putpalette([255, 255, 255, 31, 78, 121])
    for x in range(0, 1200, 40):
        drawing.paste(1, (x, 0, x + 20, 800))
    path = ctx.meeting_dir / "images/stripes.png"
    path.parent.mkdir()
    drawing.save(path)
    (picture,) = photo(ctx, Photo(path="images/stripes.png"), Rect(0, 0, 150, 100), "photo 1")
    assert picture.path == path and not (ctx.cache_dir and ctx.cache_dir.exists() and any(ctx.cache_dir.iterdir()))


# -- errors ---------------------------------------------------------------------------------
def _bomb(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims ``width`` × ``height`` pixels (the data is never read)."""
    buffer = io.BytesIO()
    Image.new("L", (8, 8)).save(buffer, "PNG")
    data = bytearray(buffer.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    path.write_bytes(bytes(data))


def _outside(meeting: Path) -> None:
    secret = meeting.parent / "secret.png"
    halves(secret, (20, 20))
    os.symlink(secret, meeting / "images" / "link.png")


BAD = {
    "missing": (None, "picture not found"),
    "corrupt": (lambda m: (m / "images/bad.png").write_bytes(b"\x89PNG\r\n\x1a\n not a picture"),
                "cannot read picture"),
    "truncated": (lambda m: (m / "images/cut.jpg").write_bytes(
        (halves(m / "images/full.jpg", (300, 200), "JPEG")).read_bytes()[:2000]), "cannot read picture"),
    "gif": (lambda m: Image.new("P", (10, 10)).save(m / "images/anim.gif"), "unsupported picture format GIF"),
    "big": (lambda m: _bomb(m / "images/big.png", 12000, 9000),
            "12000×9000 pixels (108 megapixels); the limit is 100 megapixels"),
    "bomb": (lambda m: _bomb(m / "images/huge.png", 20000, 20000), "(400000000 pixels) exceeds limit"),
    "outside": (_outside, "picture is outside the meeting folder"),
}
FILES = {"missing": "images/none.png", "corrupt": "images/bad.png", "truncated": "images/cut.jpg",
         "gif": "images/anim.gif", "big": "images/big.png", "bomb": "images/huge.png", "outside": "images/link.png"}


def _prepare(meeting: Path, case: str) -> str:
    (meeting / "images").mkdir(exist_ok=True)
    make, _ = BAD[case]
    if make:
        make(meeting)
    return FILES[case]


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_picture_is_an_error_naming_file_and_box(ctx: LayoutContext, case: str) -> None:
    relative = _prepare(ctx.meeting_dir, case)
    with pytest.raises(InputError) as caught:
        photo(ctx, Photo(path=relative), Rect(0, 0, 200, 150), "card 2 field 1 photo 1")
    (problem,) = caught.value.problems
    assert problem.file == ctx.meeting_dir / relative
    assert problem.field == "資料1 (plan), page 1, card 2 field 1 photo 1.path"
    assert BAD[case][1] in problem.message


def _image_plan(path: str) -> str:
    return (f"slides:\n  - kind: image\n    title: 写真\n    photos:\n      - {{path: {path}, caption: 説明}}\n"
            f"  - kind: bullets\n    title: 次の頁\n    items: [本文]\n")


@pytest.mark.parametrize("case", sorted(BAD))
def test_council_build_exits_1_naming_the_picture(case: str, tmp_path: Path) -> None:
    root = write_meeting(tmp_path)
    relative = _prepare(root, case)
    (root / "plan.yaml").write_text(_image_plan(relative), encoding="utf-8")
    cli = make_cli(lambda: get_plugin_manager(load_entrypoints=False))
    result = CliRunner().invoke(cli, ["build", str(root), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert relative in result.output and BAD[case][1] in result.output
    assert "(資料1 (plan), page 1)" in result.output and "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_draft_layout_shows_a_placeholder_and_marks_the_page(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, plan=_image_plan("images/none.png"))
    bundle, registry = load_bundle(root, get_plugin_manager(load_entrypoints=False))
    fonts = resolve_fonts(bundle.meeting, root)
    with pytest.raises(InputError, match="picture not found"):
        layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=root.resolve())
    laid = layout_bundle(bundle, registry=registry, fonts=fonts, meeting_dir=root.resolve(), draft=True)
    (problem,) = laid.placeholders
    assert problem.file == root.resolve() / "images/none.png" and "picture not found" in problem.message
    first, second = laid.materials[0][1].pages
    boxes = [i for i in first.items if isinstance(i, Box) and i.name == "image photo 1 placeholder"]
    assert len(boxes) == 1 and boxes[0].stroke == "C00000"
    texts = {b.name: "".join(line.text for line in b.lines) for b in first.text_blocks()}
    assert "images/none.png" in texts["image photo 1 placeholder"]
    assert "picture not found" in texts["image photo 1 placeholder"]
    assert texts["draft"] == "ドラフト" and texts["image photo 1 caption"] == "説明"
    mark = next(b for b in first.text_blocks() if b.name == "draft")
    stamp = next(i for i in first.items if isinstance(i, Box) and i.name == "stamp")
    assert mark.color == "C00000" and mark.rect.right < stamp.rect.x and mark.rect.y < 40
    assert "draft" not in {b.name for b in second.text_blocks()}  # only the page with a placeholder


def test_the_draft_mark_moves_under_the_stamp_when_the_header_is_long(tmp_path: Path) -> None:
    header = "技術会議" * 16  # one line (at 10.5 pt) reaching close to the stamp
    root = write_meeting(tmp_path, plan=_image_plan("images/none.png").replace("title: 写真", f"header: {header}\n"
                                                                                "    title: 写真"))
    bundle, registry = load_bundle(root, get_plugin_manager(load_entrypoints=False))
    laid = layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, root),
                         meeting_dir=root.resolve(), draft=True)
    page = laid.materials[0][1].pages[0]
    stamp = next(i for i in page.items if isinstance(i, Box) and i.name == "stamp")
    mark = next(i for i in page.items if isinstance(i, Box) and i.name == "draft")
    head = next(b for b in page.text_blocks() if b.name == "header")
    assert head.lines[0].x + head.lines[0].width > stamp.rect.x - 80  # no room beside the stamp
    assert mark.rect.y > stamp.rect.bottom and mark.rect.right == pytest.approx(stamp.rect.right)


# -- renderers ------------------------------------------------------------------------------
@pytest.fixture
def cropped(ctx: LayoutContext, fonts, tmp_path: Path) -> tuple[Picture, Path, Path]:
    halves(ctx.meeting_dir / "images/wide.png", (800, 200))
    picture, _ = photo(ctx, Photo(path="images/wide.png", caption="中央", alt="赤と青の写真", fit="fill"),
                       Rect(300, 150, 240, 240), "photo 1")
    document = Document("pictures", (Page(*A4, items=(picture,)),), fonts.faces())
    pdf, pptx = render_both(document, tmp_path, "p")
    return picture, pdf, pptx


def test_pptx_crops_with_src_rect_and_carries_the_alt_text(cropped) -> None:  # type: ignore[no-untyped-def]
    picture, _, pptx = cropped
    (shape,) = [s for s in Presentation(str(pptx)).slides[0].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert shape._element.nvPicPr.cNvPr.get("descr") == "赤と青の写真"
    left, top, right, bottom = picture.crop
    assert (shape.crop_left, shape.crop_top, shape.crop_right, shape.crop_bottom) == pytest.approx(
        (left, top, right, bottom), abs=1e-4)
    assert (shape.left.pt, shape.top.pt, shape.width.pt, shape.height.pt) == pytest.approx(
        (picture.rect.x, picture.rect.y, picture.rect.w, picture.rect.h), abs=0.01)


def test_pdf_clips_the_whole_picture_and_marks_it_with_its_alt_text(cropped) -> None:  # type: ignore[no-untyped-def]
    picture, pdf, _ = cropped
    page = PdfReader(pdf).pages[0]
    operations = ContentStream(page.get_contents(), page.pdf).operations
    marks = [operands for operands, op in operations if op == b"BDC"]
    assert len(marks) == 1 and marks[0][0] == "/Figure" and marks[0][1]["/MCID"] == 0
    assert [op for _, op in operations].count(b"EMC") == 1
    (parent,) = PdfReader(pdf).trailer["/Root"]["/StructTreeRoot"]["/ParentTree"]["/Nums"][1]
    figure = parent.get_object()
    assert (figure["/S"], figure["/K"], figure["/Alt"]) == ("/Figure", 0, "赤と青の写真")  # the tree says what it is
    left, top, right, bottom = picture.crop
    full_w = picture.rect.w / (1 - left - right)
    (image,) = [o for fig in next(iter(extract_pages(str(pdf)))) if isinstance(fig, LTFigure)
                for o in fig if isinstance(o, LTImage)]
    assert image.x0 == pytest.approx(picture.rect.x - left * full_w, abs=0.05)
    assert image.width == pytest.approx(full_w, abs=0.05)


def _colour(png: Path, x: float, y: float) -> str:
    """The colour at (x, y) points of a 72 dpi rendering, by name."""
    with Image.open(png) as image:
        red, green, blue = image.convert("RGB").getpixel((round(x), round(y)))
    if min(red, green, blue) > 240:
        return "white"
    if green > 120 > max(red, blue):
        return "green"
    return "red" if red > 150 > blue else "blue" if blue > 150 > red else f"{(red, green, blue)}"


def test_our_pdf_and_libreoffice_show_the_same_crop(cropped, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    picture, pdf, pptx = cropped
    pdftoppm = require_client("pdftoppm")
    converted = soffice_to_pdf(pptx, tmp_path / "lo")
    shots = {}
    for name, source in (("ours", pdf), ("lo", converted)):
        subprocess.run([pdftoppm, "-r", "72", "-png", "-singlefile", str(source), str(tmp_path / name)], check=True)
        shots[name] = tmp_path / f"{name}.png"
    r = picture.rect
    probes = [(r.x + 3, r.y + r.h / 2, "red"), (r.right - 3, r.y + r.h / 2, "blue"),
              (r.x - 3, r.y + r.h / 2, "white"), (r.right + 3, r.y + r.h / 2, "white")]
    for name, png in shots.items():
        for x, y, colour in probes:
            assert _colour(png, x, y) == colour, f"{name}: at ({x:.0f}, {y:.0f})"


def test_both_outputs_embed_the_downscaled_file(ctx: LayoutContext, fonts, tmp_path: Path) -> None:
    halves(ctx.meeting_dir / "images/big.jpg", (4000, 3000), "JPEG")
    (picture,) = photo(ctx, Photo(path="images/big.jpg"), Rect(100, 100, 300, 225), "photo 1")
    document = Document("big", (Page(*A4, items=(picture,)),), fonts.faces())
    pdf, pptx = render_both(document, tmp_path, "big")
    with zipfile.ZipFile(pptx) as package:
        (media,) = [n for n in package.namelist() if n.startswith("ppt/media/")]
        assert package.read(media) == picture.path.read_bytes()
    xobjects = PdfReader(pdf).pages[0]["/Resources"]["/XObject"]
    (image,) = [x.get_object() for x in xobjects.values()]
    assert (image["/Width"], image["/Height"]) == Image.open(picture.path).size
    assert pdf.stat().st_size < 200_000 and pptx.stat().st_size < 200_000


def test_a_picture_is_decoded_once_per_version_of_its_file(ctx, tmp_path: Path, monkeypatch) -> None:
    """The check (every pixel decoded) is remembered, in the cache folder too, by path, size, time and
    inode; a new version of the file is checked again."""
    from council_materials import incremental
    from council_materials.layout import pictures

    path = ctx.meeting_dir / "photo.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (90, 60), (10, 120, 30)).save(path)
    first = pictures.open_picture(ctx, "photo.png", "photo")
    assert (first.format, first.width, first.height) == ("PNG", 90, 60) and len(first.digest) == 64
    monkeypatch.setattr(incremental, "_CHECKED", {})  # a new process: only the cache folder remembers
    ctx.reads = incremental.Reads()  # and a new layout

    def no_decoding(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("decoded again")
    monkeypatch.setattr(Image, "open", no_decoding)
    assert pictures.open_picture(ctx, "photo.png", "photo") == first
    monkeypatch.undo()
    path.write_bytes(b"not a picture any more")
    with pytest.raises(InputError, match="cannot read picture"):
        pictures.open_picture(ctx, "photo.png", "photo")

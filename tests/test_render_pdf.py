"""Tests for the PDF renderer: build Documents by hand, render, reopen the PDF."""
from __future__ import annotations

import marshal
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image
from pdfminer.converter import PDFPageAggregator
from pdfminer.high_level import extract_text
from pdfminer.layout import LAParams, LTChar, LTCurve, LTFigure, LTImage, LTLine, LTRect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pypdf import PdfReader
from reportlab.pdfbase.ttfonts import TTFont, TTFontFace

from council_materials.errors import FontError
from council_materials.layout.primitives import (
    Arrow, Box, Document, FontFaces, Line, Page, Paragraph, Picture, Rect, Rule, Run, Table,
    TableCell, TextBlock,
)
from council_materials.render import pdf_fonts
from council_materials.render.pdf import render_pdf
from council_materials.render.pdf_images import png_stream
from council_materials.render.pdf_join import UnsupportedPDF, join_pdf_files, join_pdfs

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "src" / "council_materials" / "fonts"
FONTS = FontFaces(
    family="BIZ UDPGothic",
    regular=FONT_DIR / "BIZUDPGothic-Regular.ttf",
    bold=FONT_DIR / "BIZUDPGothic-Bold.ttf",
)
A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)
WIDE = (960.0, 540.0)
LITERAL = "R&D <b>x</b> ]]>"


def _width(text: str, size: float) -> float:
    """Rough advance (full width for CJK, half for ASCII): tests only need non-overlapping runs."""
    return sum(size * (0.5 if ord(ch) < 128 else 1.0) for ch in text)


def _line(x: float, baseline: float, size: float, *runs: tuple[str, bool]) -> Line:
    built, cursor = [], x
    for text, bold in runs:
        built.append(Run(text, bold, cursor, _width(text, size)))
        cursor += _width(text, size)
    return Line(tuple(built), x, baseline, cursor - x)


def _block(rect: Rect, size: float, lines: list[Line], name: str, color: str = "000000") -> TextBlock:
    return TextBlock(rect, (Paragraph(tuple(lines)),), size, size * 1.4, color, name=name)


def build_document(asset_dir: Path) -> Document:
    """A three-page Document (landscape, portrait, 16:9) using every primitive."""
    png, jpg = asset_dir / "logo.png", asset_dir / "photo.jpg"
    if not png.exists():
        rgba = Image.new("RGBA", (40, 30), (255, 0, 0, 0))
        rgba.paste((0, 128, 255, 255), (10, 5, 30, 25))
        rgba.save(png)
        Image.new("RGB", (64, 48), (30, 120, 60)).save(jpg, quality=90)
    cover = Page(*A4_LANDSCAPE, items=(
        Box(Rect(20, 20, 801.89, 555.28), fill=None, stroke="1F4E79", stroke_width=1.5, radius=8, name="frame"),
        Box(Rect(40, 160, 200, 100), fill="DDEBF7", stroke=None, name="card"),
        _block(Rect(740, 30, 80, 20), 14, [_line(745.25, 46.5, 14, ("資料1", True))], "stamp"),
        _block(Rect(60, 100, 700, 60), 12, [
            _line(60.5, 120.25, 12, ("令和7年2月20日(木)", False)),
            _line(60.5, 137.05, 12, ("第120回 ", False), ("東京都技術会議", True)),
        ], "heading", color="1F4E79"),
        Rule(60, 150, 780, 150, color="7F7F7F", width=0.75),
        _block(Rect(50, 180, 300, 20), 10.5, [_line(50, 195, 10.5, (LITERAL, False))], "literal"),
        Arrow(Rect(100, 400, 80, 40), direction="right", fill="C00000", name="next"),
        Arrow(Rect(300, 380, 40, 80), direction="down", fill="00B050", name="down"),
        Picture(png, Rect(500, 380, 120, 90), alt="logo", name="logo"),
        Picture(jpg, Rect(650, 380, 120, 90), alt="photo", name="photo"),
    ))
    header = _block(Rect(53, 103, 394, 24), 11, [_line(53, 120, 11, ("会議次第", True))], "th")
    table = Table(
        rect=Rect(50, 100, 400, 60), col_widths=(150, 250), row_heights=(30, 30),
        cells=(
            TableCell(0, 0, 1, 2, Rect(50, 100, 400, 30), "D9E1F2", header, header=True),
            TableCell(1, 0, 1, 1, Rect(50, 130, 150, 30), None,
                      _block(Rect(53, 133, 144, 24), 11, [_line(53, 150, 11, ("1 開会", False))], "c10")),
            TableCell(1, 1, 1, 1, Rect(200, 130, 250, 30), "FFF2CC",
                      _block(Rect(203, 133, 244, 24), 11, [_line(203, 150, 11, ("資料2", False))], "c11")),
        ),
        border="7F7F7F", border_width=0.5, name="agenda",
    )
    roster = Page(*A4_PORTRAIT, items=(table,))
    wide = Page(*WIDE, items=(_block(Rect(40, 40, 200, 30), 20, [_line(40, 60, 20, ("参考", True))], "ref"),))
    return Document(
        title="第120回東京都技術会議", pages=(cover, roster, wide), fonts=FONTS,
        author="東京都技術会議事務局", subject="会議資料", created="2025-02-20T10:00:00+09:00",
        bookmarks=(("表紙", 0), ("会議次第", 1), ("参考", 2)),
    )


def render_sample(asset_dir: Path, out: Path) -> None:
    """Entry point for the cross-process determinism test."""
    render_pdf(build_document(asset_dir), out)


@pytest.fixture()
def sample(tmp_path: Path) -> tuple[Document, Path]:
    document = build_document(tmp_path)
    out = tmp_path / "sample.pdf"
    render_pdf(document, out)
    return document, out


def _layout_objects(pdf: Path) -> list[list]:
    """Per page, pdfminer's objects in content-stream order (no layout analysis)."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=None)
    interpreter = PDFPageInterpreter(manager, device)
    pages = []
    with pdf.open("rb") as fh:
        for page in PDFPage.get_pages(fh):
            interpreter.process_page(page)
            pages.append(list(device.get_result()))
    return pages


def _chars(objects: list) -> list[LTChar]:
    return [obj for obj in objects if isinstance(obj, LTChar)]


def test_pages_sizes_and_metadata(sample: tuple[Document, Path]) -> None:
    document, out = sample
    reader = PdfReader(out)
    assert len(reader.pages) == 3
    for page, (width, height) in zip(reader.pages, (A4_LANDSCAPE, A4_PORTRAIT, WIDE)):
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.01)
    meta = reader.metadata
    assert meta.title == document.title
    assert meta.author == document.author
    assert meta.subject == document.subject
    assert meta.creator == "council-materials"
    assert meta["/CreationDate"] == "D:20250220100000+09'00'"


def test_every_run_lands_at_its_x_and_baseline(sample: tuple[Document, Path]) -> None:
    document, out = sample
    checked = 0
    for page, objects in zip(document.pages, _layout_objects(out)):
        chars = _chars(objects)
        stream = "".join(ch.get_text() for ch in chars)
        cursor = 0
        for block in page.text_blocks():
            for line in block.lines:
                for run in line.runs:
                    at = stream.find(run.text, cursor)
                    assert at >= 0, f"{run.text!r} not found on page {page.number}"
                    first = chars[at]
                    x, baseline = first.matrix[4], first.matrix[5]
                    assert x == pytest.approx(run.x, abs=1.0)
                    assert baseline == pytest.approx(page.height - line.baseline, abs=1.0)
                    assert first.size == pytest.approx(block.size, abs=0.5)
                    bold = "Bold" in first.fontname
                    assert bold == run.bold, f"{run.text!r} drawn in {first.fontname}"
                    cursor = at + len(run.text)
                    checked += 1
    assert checked == 9  # 5 runs on the cover, 3 table cells, 1 on the 16:9 page


def test_japanese_text_is_extractable(sample: tuple[Document, Path]) -> None:
    _, out = sample
    text = "".join(extract_text(out, laparams=LAParams(char_margin=0.5)).split())
    for expected in ("資料1", "令和7年2月20日(木)", "第120回東京都技術会議", "会議次第", "1開会", "資料2", "参考"):
        assert expected in text


def test_markup_characters_print_literally(sample: tuple[Document, Path]) -> None:
    _, out = sample
    stream = "".join(ch.get_text() for ch in _chars(_layout_objects(out)[0]))
    assert LITERAL in stream
    assert "R&D;" not in stream
    assert LITERAL in PdfReader(out).pages[0].extract_text()


def test_bookmarks_point_at_their_pages(sample: tuple[Document, Path]) -> None:
    _, out = sample
    reader = PdfReader(out)
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("表紙", 0), ("会議次第", 1), ("参考", 2)]
    assert reader.trailer["/Root"]["/PageMode"] == "/UseOutlines"


def test_shapes_land_where_the_layout_put_them(sample: tuple[Document, Path]) -> None:
    _, out = sample
    height = A4_LANDSCAPE[1]
    objects = _layout_objects(out)

    def flipped(rect: Rect) -> tuple[float, float, float, float]:
        return (rect.x, height - rect.bottom, rect.right, height - rect.y)

    def near(a: tuple, b: tuple) -> bool:
        return all(abs(p - q) < 0.5 for p, q in zip(a, b))

    page0 = objects[0]
    card = [o for o in page0 if isinstance(o, LTRect) and near(o.bbox, flipped(Rect(40, 160, 200, 100)))]
    assert len(card) == 1 and card[0].fill and not card[0].stroke
    curves = [o for o in page0 if isinstance(o, LTCurve) and not isinstance(o, (LTRect, LTLine))]
    frame = [c for c in curves if near(c.bbox, flipped(Rect(20, 20, 801.89, 555.28)))]
    assert len(frame) == 1 and frame[0].stroke and not frame[0].fill
    right = [c for c in curves if near(c.bbox, flipped(Rect(100, 400, 80, 40)))]
    assert len(right) == 1 and right[0].fill

    def has_point(curve: LTCurve, x: float, y: float) -> bool:
        return any(abs(px - x) < 0.01 and abs(py - y) < 0.01 for px, py in curve.pts)

    assert len(set(right[0].pts)) == 7 and has_point(right[0], 180, height - 420)  # tip: right edge, centre
    assert has_point(right[0], 160, height - 400)  # head: half the shorter side (PowerPoint rightArrow)
    assert tuple(right[0].non_stroking_color) == pytest.approx((192 / 255, 0, 0), abs=0.01)
    down = [c for c in curves if near(c.bbox, flipped(Rect(300, 380, 40, 80)))]
    assert len(down) == 1
    assert len(set(down[0].pts)) == 7 and has_point(down[0], 320, height - 460)  # tip: bottom edge, centre
    assert has_point(down[0], 310, height - 380)  # shaft is half the thickness
    rules = [o for o in page0 if isinstance(o, LTLine)]
    assert len(rules) == 1 and near(rules[0].bbox, (60, height - 150, 780, height - 150))
    images = [o for fig in page0 if isinstance(fig, LTFigure) for o in fig if isinstance(o, LTImage)]
    boxes = sorted(img.bbox for img in images)
    assert len(boxes) == 2
    assert near(boxes[0], flipped(Rect(500, 380, 120, 90)))
    assert near(boxes[1], flipped(Rect(650, 380, 120, 90)))
    xobjects = PdfReader(out).pages[0]["/Resources"]["/XObject"]
    assert sum("/SMask" in xobj.get_object() for xobj in xobjects.values()) == 1  # PNG alpha kept

    portrait = A4_PORTRAIT[1]
    cells = [(o.bbox, bool(o.fill), bool(o.stroke)) for o in objects[1] if isinstance(o, LTRect)]
    for rect, filled in ((Rect(50, 100, 400, 30), True), (Rect(50, 130, 150, 30), False),
                         (Rect(200, 130, 250, 30), True)):
        box = (rect.x, portrait - rect.bottom, rect.right, portrait - rect.y)
        assert sum(near(b, box) and f and not s for b, f, s in cells) == int(filled)
        assert sum(near(b, box) and s and not f for b, f, s in cells) == 1


def test_output_is_byte_identical(tmp_path: Path) -> None:
    first, second, third = tmp_path / "a.pdf", tmp_path / "b.pdf", tmp_path / "c.pdf"
    render_sample(tmp_path, first)
    render_sample(tmp_path, second)
    code = (f"import sys; sys.path[:0] = [{str(ROOT / 'tests')!r}, {str(ROOT / 'src')!r}]; "
            "from pathlib import Path; import test_render_pdf as t; "
            "t.render_sample(Path(sys.argv[1]), Path(sys.argv[2]))")
    subprocess.run([sys.executable, "-c", code, str(tmp_path), str(third)], check=True, cwd=tmp_path)
    data = first.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data == second.read_bytes()
    assert data == third.read_bytes()


def test_fonts_are_embedded_subsets_only(sample: tuple[Document, Path]) -> None:
    pdffonts = shutil.which("pdffonts")
    if pdffonts is None:
        pytest.skip("pdffonts (poppler-utils) is not installed")
    _, out = sample
    listing = subprocess.run([pdffonts, str(out)], check=True, capture_output=True, text=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows, listing
    for row in rows:
        emb, sub = row[-5], row[-4]  # ... emb sub uni objnum gen
        assert (emb, sub) == ("yes", "yes"), listing
        assert "Helvetica" not in row[0]
        assert row[0].split("+")[1].startswith("BIZUDPGothic"), listing
    assert {row[0].split("+")[1] for row in rows} == {"BIZUDPGothic-Regular", "BIZUDPGothic-Bold"}


def _one_page(*items: object, bookmarks: tuple[tuple[str, int], ...] = ()) -> Document:
    return Document(title="t", pages=(Page(*A4_LANDSCAPE, items=tuple(items)),), fonts=FONTS,
                    bookmarks=bookmarks)


def test_missing_glyph_is_a_font_error_and_writes_nothing(tmp_path: Path) -> None:
    block = _block(Rect(10, 10, 100, 20), 10, [_line(10, 25, 10, ("資料\ue000", False))], "pua")
    out = tmp_path / "x.pdf"
    with pytest.raises(FontError, match=r"'pua'.*U\+E000"):
        render_pdf(_one_page(block), out)
    assert not out.exists()


def test_cycle_collection_is_paused_while_drawing_and_left_as_it_was(tmp_path: Path, monkeypatch) -> None:
    """The renderer pauses Python's cycle collector (a quarter of its time on a 1,200-page meeting) and
    restores it whether it succeeds or fails; a caller that turned it off keeps it off."""
    import gc

    from council_materials.render import pdf

    enabled: list[bool] = []
    finish = pdf.finish_document
    monkeypatch.setattr(pdf, "finish_document", lambda *args: (enabled.append(gc.isenabled()), finish(*args)))
    block = _block(Rect(10, 10, 100, 20), 10, [_line(10, 25, 10, ("資料", False))], "ok")
    assert gc.isenabled()
    render_pdf(_one_page(block), tmp_path / "a.pdf")
    assert enabled == [False] and gc.isenabled() and (tmp_path / "a.pdf").exists()
    with pytest.raises(TypeError):
        render_pdf(_one_page("not a primitive"), tmp_path / "b.pdf")
    assert gc.isenabled()
    gc.disable()
    try:
        render_pdf(_one_page(block), tmp_path / "c.pdf")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_bookmark_outside_the_document_is_rejected(tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(ValueError, match="page index 3"):
        render_pdf(_one_page(bookmarks=(("資料1", 3),)), out)
    assert not out.exists()


def test_unknown_item_type_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="str"):
        render_pdf(_one_page("not a primitive"), tmp_path / "x.pdf")


def test_bad_colour_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="six hex digits"):
        render_pdf(_one_page(Box(Rect(0, 0, 10, 10), fill="#1F4E79")), tmp_path / "x.pdf")


# --- the font cache (render/pdf_fonts.py) ---------------------------------------------------------

def _entry(cache: Path, data: bytes) -> Path:
    return cache / pdf_fonts.CACHE_KIND / pdf_fonts.face_key(data, 0)


def _face_state(font: TTFont) -> dict:
    assert font.face.glyphToChar  # kept marshalled until read
    return {k: v for k, v in vars(font.face).items() if k not in ("_pos", "_pdfScale", "_table_copies", "_later")}


@pytest.fixture()
def font_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    cache = tmp_path / "cache"
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(cache))
    return cache


def test_a_cached_face_is_the_face_reportlab_parses(font_cache: Path) -> None:
    parsed = TTFont("parsed", str(FONTS.regular), shapable=False)
    cold = pdf_fonts.load_font("cold", FONTS.regular, 0)  # parses, stores
    assert _entry(font_cache, FONTS.regular.read_bytes()).is_file()
    warm = pdf_fonts.load_font("warm", FONTS.regular, 0)  # from the cache
    assert vars(warm).keys() == vars(parsed).keys()
    for font in (cold, warm):
        assert _face_state(font) == _face_state(parsed)
        assert font.face.name.ustr == parsed.face.name.ustr == "BIZUDPGothic-Regular"
        assert font.face._pdfScale(2048) == parsed.face._pdfScale(2048) == 1000
        assert not font.shapable
        assert font.face.makeSubset(list(range(32, 127))) == parsed.face.makeSubset(list(range(32, 127)))


def _parsed(face: TTFontFace) -> list:
    """Everything a parse sets, with the order of every dict."""
    state = {k: v for k, v in vars(face).items() if k not in ("_pos", "_pdfScale")}
    return [(k, v, list(v) if isinstance(v, dict) else None) for k, v in sorted(state.items())]


@pytest.mark.parametrize("path", [FONTS.regular, FONTS.bold], ids=["regular", "bold"])
def test_the_bulk_reader_of_a_format_12_cmap_gives_what_reportlab_reads(path: Path) -> None:
    face = pdf_fonts._Face(str(path))
    assert face._char_info()  # BIZ UDPGothic's cmap is format 12: the bulk reader ran
    assert _parsed(face) == _parsed(TTFontFace(str(path)))


def test_another_cmap_format_is_read_by_reportlab(tmp_path: Path) -> None:
    from fontTools.ttLib import TTFont as ToolsFont

    font = ToolsFont(str(FONTS.regular))
    font["cmap"].tables = [table for table in font["cmap"].tables if table.format == 4]
    path = tmp_path / "format4.ttf"
    font.save(str(path))
    face = pdf_fonts._Face(str(path))
    assert not face._char_info()
    assert _parsed(face) == _parsed(TTFontFace(str(path)))
    assert face.charToGlyph[ord("資")] == TTFontFace(str(FONTS.regular)).charToGlyph[ord("資")]


def test_the_cache_is_used_instead_of_parsing(font_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pdf_fonts.load_font("first", FONTS.bold, 0)

    def no_parsing(*args: object, **kwargs: object) -> None:
        raise AssertionError("the font was parsed again")

    monkeypatch.setattr(TTFontFace, "extractInfo", no_parsing)
    with pytest.raises(AssertionError, match="parsed again"):
        TTFont("parsed", str(FONTS.bold), shapable=False)
    assert pdf_fonts.load_font("again", FONTS.bold, 0).face.name.ustr == "BIZUDPGothic-Bold"


@pytest.mark.parametrize("damage", ["garbage", "truncated", "other payload", "other key"])
def test_a_damaged_cache_entry_is_ignored_and_made_again(font_cache: Path, damage: str) -> None:
    data = FONTS.regular.read_bytes()
    pdf_fonts.load_font("first", FONTS.regular, 0)
    entry = _entry(font_cache, data)
    good = entry.read_bytes()
    key, digest, payload = marshal.loads(good)
    assert pdf_fonts.hashlib.sha256(payload).hexdigest() == digest
    if damage == "garbage":
        entry.write_bytes(b"\x00not marshal")
    elif damage == "truncated":
        entry.write_bytes(good[: len(good) // 2])
    elif damage == "other payload":  # well-formed, but not what was stored: the digest tells
        plain, names, later = marshal.loads(payload)
        plain["charWidths"] = {code: 0.0 for code in plain["charWidths"]}
        entry.write_bytes(marshal.dumps((key, digest, marshal.dumps((plain, names, later)))))
    else:  # an entry made for another file, under this file's name
        entry.write_bytes(marshal.dumps(("0" * 64, digest, payload)))
    font = pdf_fonts.load_font("again", FONTS.regular, 0)
    assert _face_state(font) == _face_state(TTFont("parsed", str(FONTS.regular), shapable=False))
    remade_key, remade_digest, remade = marshal.loads(entry.read_bytes())  # made again
    assert remade_key == key and marshal.loads(remade) == marshal.loads(payload)


def test_an_unwritable_cache_still_renders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(blocker / "cache"))
    assert pdf_fonts.load_font("nocache", FONTS.regular, 0).face.charToGlyph[ord("資")]


def test_cold_and_warm_font_cache_give_the_same_bytes(tmp_path: Path) -> None:
    env = {**os.environ, "COUNCIL_MATERIALS_CACHE": str(tmp_path / "cache")}
    code = (f"import sys; sys.path[:0] = [{str(ROOT / 'tests')!r}, {str(ROOT / 'src')!r}]; "
            "from pathlib import Path; import test_render_pdf as t; "
            "t.render_sample(Path(sys.argv[1]), Path(sys.argv[2]))")
    outputs = []
    for name in ("cold.pdf", "warm.pdf"):
        subprocess.run([sys.executable, "-c", code, str(tmp_path), str(tmp_path / name)], check=True, env=env)
        outputs.append((tmp_path / name).read_bytes())
    assert len(list((tmp_path / "cache" / pdf_fonts.CACHE_KIND).iterdir())) == 2
    assert outputs[0] == outputs[1]


# --- pictures (render/pdf_images.py) -----------------------------------------------------------------

def _pictures(folder: Path) -> dict[str, Path]:
    """One small picture of each kind the renderer meets, with some detail in every row."""
    folder.mkdir(exist_ok=True)
    rgb = Image.new("RGB", (37, 23), (250, 250, 250))
    for x in range(37):
        for y in range(23):
            rgb.putpixel((x, y), ((x * 7) % 256, (y * 11) % 256, ((x + y) * 5) % 256))
    paths = {"rgb": folder / "rgb.png", "palette": folder / "palette.png", "grey": folder / "grey.png",
             "bilevel": folder / "bilevel.png", "palette4": folder / "palette4.png",
             "alpha": folder / "alpha.png", "transparent": folder / "transparent.png", "jpeg": folder / "photo.jpg"}
    rgb.save(paths["rgb"])
    rgb.quantize(32).save(paths["palette"])
    rgb.quantize(16).save(paths["palette4"], bits=4)
    rgb.convert("L").save(paths["grey"])
    rgb.convert("1").save(paths["bilevel"])
    rgb.convert("RGBA").save(paths["alpha"])
    rgb.quantize(8).save(paths["transparent"], transparency=3)
    rgb.save(paths["jpeg"], quality=90)
    return paths


def _with_chunk_byte(png: bytes, at: int, value: int) -> bytes:
    """``png`` with byte ``at`` of its IHDR data set to ``value``, and the chunk's CRC made right."""
    ihdr = bytearray(png[12:29])
    ihdr[4 + at] = value
    return png[:12] + bytes(ihdr) + struct.pack(">I", zlib.crc32(bytes(ihdr))) + png[33:]


def test_png_data_is_taken_as_it_is_only_when_pdf_can_read_it(tmp_path: Path) -> None:
    paths = _pictures(tmp_path)
    for kind in ("rgb", "palette", "palette4", "grey", "bilevel"):
        png = png_stream(paths[kind].read_bytes())
        assert png is not None, kind
        assert (png.width, png.height) == (37, 23)
    assert png_stream(paths["palette4"].read_bytes()).bits == 4
    for kind in ("alpha", "transparent", "jpeg"):
        assert png_stream(paths[kind].read_bytes()) is None, kind
    from council_materials.render.pdf_images import _jpeg_image
    jpeg = _jpeg_image(paths["jpeg"].read_bytes())  # taken as it is, not decoded by reportlab's drawImage
    assert jpeg is not None and jpeg.streamContent == paths["jpeg"].read_bytes()
    rgb = paths["rgb"].read_bytes()
    assert png_stream(_with_chunk_byte(rgb, 8, 8)) == png_stream(rgb)  # unchanged: the helper is right
    assert png_stream(_with_chunk_byte(rgb, 12, 1)) is None  # Adam7 interlacing
    assert png_stream(_with_chunk_byte(rgb, 8, 16)) is None  # 16 bits a sample
    data = bytearray(rgb)
    data[60] ^= 0xFF  # inside the image data: its CRC no longer matches
    assert png_stream(bytes(data)) is None
    assert png_stream(paths["rgb"].read_bytes()[:-12]) is None  # no IEND


@pytest.mark.parametrize("kind", ["rgb", "palette", "palette4", "grey", "bilevel", "jpeg", "alpha", "transparent"])
def test_every_kind_of_picture_shows_its_own_pixels(tmp_path: Path, kind: str) -> None:
    pdfimages = shutil.which("pdfimages")
    if pdfimages is None:
        pytest.skip("pdfimages (poppler-utils) is not installed")
    path = _pictures(tmp_path / "pictures")[kind]
    out = tmp_path / f"{kind}.pdf"
    render_pdf(_one_page(Picture(path, Rect(20, 20, 74, 46), alt=kind, name=kind)), out)
    (xobject,) = [ref.get_object() for ref in PdfReader(out).pages[0]["/Resources"]["/XObject"].values()]
    subprocess.run([pdfimages, "-png", str(out), str(tmp_path / "shown")], check=True)
    with Image.open(path) as original, Image.open(tmp_path / "shown-000.png") as shown:
        assert (xobject["/Width"], xobject["/Height"]) == original.size
        assert shown.convert("RGB").tobytes() == original.convert("RGB").tobytes()
    if kind == "jpeg":  # the file's own bytes, as DCTDecode
        assert xobject["/Filter"] == ["/DCTDecode"] and xobject.get_data() == path.read_bytes()
    elif kind in ("alpha", "transparent"):  # decoded by reportlab, as before, with a soft mask
        assert "/DecodeParms" not in xobject and "/SMask" in xobject
    else:  # the PNG's own compressed data
        png = png_stream(path.read_bytes())
        assert xobject["/DecodeParms"]["/Predictor"] == 15 and xobject["/BitsPerComponent"] == png.bits
        assert xobject._data == png.data


def test_a_picture_placed_twice_is_stored_once(tmp_path: Path) -> None:
    paths = _pictures(tmp_path / "pictures")
    copy = tmp_path / "copy.png"
    copy.write_bytes(paths["palette"].read_bytes())
    items = (Picture(paths["palette"], Rect(20, 20, 74, 46), alt="a", name="a"),
             Picture(copy, Rect(120, 20, 74, 46), alt="b", name="b"),
             Picture(paths["rgb"], Rect(220, 20, 74, 46), alt="c", name="c"))
    out = tmp_path / "twice.pdf"
    render_pdf(Document(title="t", pages=(Page(*A4_LANDSCAPE, items=items), Page(*A4_LANDSCAPE, items=items[:1])),
                        fonts=FONTS), out)
    reader = PdfReader(out)
    first, second = (page["/Resources"]["/XObject"] for page in reader.pages)
    assert len(first) == 2 and set(second.keys()) <= set(first.keys())
    assert sum(b"/Subtype /Image" in line for line in out.read_bytes().split(b"obj")) == 2


# --- joining the parts (render/pdf_join.py) ----------------------------------------------------

def _parts(tmp_path: Path) -> list[Path]:
    """The three-page sample and a one-page document, as the renderer writes them."""
    first, second = tmp_path / "part1.pdf", tmp_path / "part2.pdf"
    render_pdf(build_document(tmp_path), first)
    block = _block(Rect(40, 40, 300, 30), 14, [_line(40, 60, 14, ("資料2 (続き) 1 0 R stream", False))], "p2")
    render_pdf(_one_page(block, Picture(tmp_path / "logo.png", Rect(40, 100, 40, 30), alt="logo", name="l")), second)
    return [first, second]


def _combined(title: str = "第120回 資料一式") -> Document:
    return Document(title=title, pages=(), fonts=FONTS, author="事務局", subject="会議資料",
                    created="2025-02-20T10:00:00+09:00")


def test_joined_pdf_has_every_page_unchanged_a_bookmark_per_part_and_metadata(tmp_path: Path) -> None:
    parts = _parts(tmp_path)
    out = tmp_path / "all.pdf"
    join_pdf_files(parts, ("表紙と資料1", "資料2 (続き)"), _combined(), out)
    reader = PdfReader(out, strict=True)
    originals = [page for part in parts for page in PdfReader(part).pages]
    assert len(reader.pages) == len(originals) == 4
    for joined, original in zip(reader.pages, originals):
        assert joined.get_contents().get_data() == original.get_contents().get_data()
        assert joined.mediabox == original.mediabox
        assert joined["/Resources"]["/Font"].keys() == original["/Resources"]["/Font"].keys()
    outline = [(item.title, reader.get_destination_page_number(item)) for item in reader.outline]
    assert outline == [("表紙と資料1", 0), ("資料2 (続き)", 3)]
    root = reader.trailer["/Root"]
    assert root["/PageMode"] == "/UseOutlines" and root["/Lang"] == "ja-JP"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert b"<dc:title>" in root["/Metadata"].get_data()
    first_id, second_id = reader.trailer["/ID"]
    assert first_id == second_id and len(first_id) == 16  # from the parts' /IDs and the information entries
    meta = reader.metadata
    assert (meta.title, meta.author, meta.subject) == ("第120回 資料一式", "事務局", "会議資料")
    assert meta.creator == meta.producer == "council-materials"
    assert meta["/CreationDate"] == meta["/ModDate"] == "D:20250220100000+09'00'"
    text = "".join(extract_text(out, laparams=LAParams(char_margin=0.5)).split())
    assert "資料1" in text and "資料2(続き)10Rstream" in text
    pages_text = [page.extract_text() for page in reader.pages]
    assert "1 0 R stream" in pages_text[3]  # strings are copied, not renumbered


def test_joined_pdf_shows_what_the_parts_show(tmp_path: Path) -> None:
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    parts = _parts(tmp_path)
    out = tmp_path / "all.pdf"
    join_pdf_files(parts, ("a", "b"), _combined(), out)
    shots = []
    for name, pdf in (("joined", out), ("one", parts[0]), ("two", parts[1])):
        subprocess.run([pdftoppm, "-r", "30", "-png", str(pdf), str(tmp_path / name)], check=True,
                       capture_output=True)
        shots += sorted(tmp_path.glob(f"{name}-*.png"))
    joined, separate = shots[:4], shots[4:]
    for a, b in zip(joined, separate):
        assert Image.open(a).tobytes() == Image.open(b).tobytes(), a.name


def test_joining_gives_the_same_bytes_for_the_same_parts(tmp_path: Path) -> None:
    parts = _parts(tmp_path)
    join_pdf_files(parts, ("a", "b"), _combined(), tmp_path / "one.pdf")
    join_pdf_files(parts, ("a", "b"), _combined(), tmp_path / "two.pdf")
    assert (tmp_path / "one.pdf").read_bytes() == (tmp_path / "two.pdf").read_bytes()
    join_pdf_files(parts, ("a", "c"), _combined(), tmp_path / "three.pdf")
    assert (tmp_path / "one.pdf").read_bytes() != (tmp_path / "three.pdf").read_bytes()


def _pdf(*objects: bytes, root: int = 1) -> bytes:
    """A PDF made of ``objects`` (numbered from 1), with a correct cross-reference table."""
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, root, xref)


def test_join_renumbers_references_only_outside_strings_comments_and_streams() -> None:
    content = b"BT /F1 12 Tf (5 0 R) Tj ET 7 0 R endobj"
    part = _pdf(
        b"<< /Type /Catalog /Pages 2 0 R /Outlines 9 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R /Annots [5 0 R] >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /P 3 0 R /Contents (a \\) 6 0 R (nested 4 0 R) x)"
        b" % a comment ( 8 0 R\n /Popup 6 0 R /NM <4F 4B> >>",
        b"<< /Type /Annot /Subtype /Popup /Parent 5 0 R /Rect [0 0 1 1] >>",
    )
    joined = join_pdfs([part, part], ("一", "two"), {"Title": "t"})
    reader = PdfReader(BytesIO(joined), strict=True)
    assert len(reader.pages) == 2
    for page in reader.pages:
        assert page.get_contents().get_data() == content
        (note,) = [annotation.get_object() for annotation in page["/Annots"]]
        assert note["/Contents"] == "a ) 6 0 R (nested 4 0 R) x"
        assert note["/P"].get_object() == page
        assert note["/Popup"]["/Parent"].get_object() == note
        assert note["/NM"] == "OK"
    assert reader.pages[0]["/Annots"][0].idnum != reader.pages[1]["/Annots"][0].idnum
    assert [item.title for item in reader.outline] == ["一", "two"]
    assert b"/Outlines 9 0 R" not in joined  # the part's own catalog is left behind


def test_a_part_the_joiner_does_not_read_is_joined_by_pypdf(tmp_path: Path) -> None:
    parts = _parts(tmp_path)
    data = parts[1].read_bytes()
    start = int(data.rsplit(b"startxref", 1)[1].split()[0])
    root = re.search(rb"/Root (\d+) 0 R", data[start:]).group(1)
    size = re.search(rb"/Size (\d+)", data[start:]).group(1)
    update = (b"xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size " + size + b" /Root " + root
              + b" 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (start, len(data)))
    parts[1].write_bytes(data + update)  # an update section: valid, but not what the renderer writes
    with pytest.raises(UnsupportedPDF, match="updated"):
        join_pdfs([p.read_bytes() for p in parts], ("a", "b"), {})
    out = tmp_path / "all.pdf"
    join_pdf_files(parts, ("a", "b"), _combined(), out)
    reader = PdfReader(out)
    assert len(reader.pages) == 4
    assert [(item.title, reader.get_destination_page_number(item)) for item in reader.outline] == [("a", 0), ("b", 3)]
    assert reader.metadata.title == "第120回 資料一式"


@pytest.mark.parametrize("damage", [b"xref stream", b"wrong offset", b"no pages"])
def test_the_joiner_refuses_what_it_does_not_understand(damage: bytes) -> None:
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"
    if damage == b"xref stream":
        data = _pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page)
        data = data.replace(b"\nxref\n", b"\nXRef\n")
    elif damage == b"wrong offset":
        data = _pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page)
        data = data.replace(b"1 0 obj", b"1  0 obj")
    else:
        data = _pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>")
    with pytest.raises(UnsupportedPDF):
        join_pdfs([data], ("a",), {})


def test_the_join_writes_each_part_before_reading_the_next() -> None:
    """Only one part is in memory at a time: the 1,200-page meeting joins in the memory of one part."""
    from council_materials.render.pdf_join import write_joined

    page = _pdf(b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] >>")
    out = BytesIO()
    written_before: list[int] = []

    def parts():  # type: ignore[no-untyped-def]
        for _ in range(3):
            written_before.append(out.tell())
            yield page
    write_joined(parts(), ("a", "b", "c"), {}, out)
    assert written_before[0] < written_before[1] < written_before[2]  # part 1 was out before part 2 was read
    reader = PdfReader(BytesIO(out.getvalue()), strict=True)
    assert len(reader.pages) == 3 and [item.title for item in reader.outline] == ["a", "b", "c"]
    assert out.getvalue().startswith(b"%PDF-1.4\n")

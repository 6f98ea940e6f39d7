"""Tests for the PPTX renderer: render small hand-built Documents, reopen, check the objects."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image
from pptx import Presentation
from pptx.dml.color import MSO_THEME_COLOR
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Emu

from council_materials.layout.primitives import (
    Arrow, Box, Document, FontFaces, Line, Page, Palette, Paragraph, Picture, Rect, Rule, Run, Table,
    TableCell, TextBlock,
)
from council_materials.render.pptx import render_pptx
from council_materials.render.pptx_xml import SLACK

FONT_DIR = Path(__file__).resolve().parents[1] / "src" / "council_materials" / "fonts"
FONTS = FontFaces(
    family="BIZ UDPGothic",
    regular=FONT_DIR / "BIZUDPGothic-Regular.ttf",
    bold=FONT_DIR / "BIZUDPGothic-Bold.ttf",
)
FACE_DESCENT = 0.12
"""BIZ UDPGothic's own descent (hhea), of the size: LibreOffice's baselines follow it, not the layout's."""
A4_LANDSCAPE = (841.89, 595.28)
TRICKY = "R&D <b>x</b> ]]>"


def pt(emu: int) -> float:
    return Emu(emu).pt


def block(rect: Rect, paragraphs: list[list[list[tuple[str, bool]]]], *, size: float = 12,
          leading: float = 18, align: str = "left", name: str = "",
          indents: tuple[float, float] = (0.0, 0.0)) -> TextBlock:
    """A TextBlock from paragraphs of lines of (text, bold) runs; positions follow the contract."""
    paras = []
    n = 0
    for para in paragraphs:
        lines = []
        for runs in para:
            n += 1
            baseline = rect.y + n * leading - FACE_DESCENT * size
            lines.append(Line(tuple(Run(t, b, rect.x, 0.0) for t, b in runs), rect.x, baseline, 0.0))
        paras.append(Paragraph(tuple(lines), indent_first=indents[0], indent_rest=indents[1]))
    return TextBlock(rect, tuple(paras), size, leading, "1A1A1A", align, name)  # type: ignore[arg-type]


BODY = block(Rect(56.7, 70.2, 400, 120), [
    [[("東京都技術会議の", False), ("資料", True), ("です", False)],
     [("第3四半期の取組", False)]],
    [[(TRICKY, False)]],
    [[("令和7年2月20日(木)", True)]],
], name="body", indents=(12.0, 0.0))
CENTERED = block(Rect(480, 70, 300, 40), [[[("中央揃えの見出し", True)]]], size=16, leading=24,
                 align="center", name="centered")
RIGHT = block(Rect(480, 130, 300, 20), [[[("右揃えの注記", False)]]], align="right", name="right")


def make_table() -> Table:
    def cell(row: int, col: int, rs: int, cs: int, x: float, y: float, w: float, h: float,
             fill: str | None, text: str) -> TableCell:
        inner = Rect(x + 3, y + 3, w - 6, h - 6)
        return TableCell(row, col, rs, cs, Rect(x, y, w, h), fill,
                         block(inner, [[[(text, row == 0)]]], size=10.5, leading=15), header=row == 0)
    x, y = 60.0, 260.0
    cells = (
        cell(0, 0, 1, 2, x, y, 240, 24, "DDEBF7", "部会（結合）"),
        cell(0, 2, 1, 1, x + 240, y, 120, 24, "DDEBF7", "担当"),
        cell(1, 0, 2, 1, x, y + 24, 100, 48, None, "DX・AI"),
        cell(1, 1, 1, 1, x + 100, y + 24, 140, 24, None, "生成AI活用"),
        cell(1, 2, 1, 1, x + 240, y + 24, 120, 24, "FFF2CC", "デジタル局"),
        cell(2, 1, 1, 2, x + 100, y + 48, 260, 24, None, "人材の確保と育成"),
    )
    return Table(Rect(x, y, 360, 72), (100.0, 140.0, 120.0), (24.0, 24.0, 24.0), cells,
                 border="7F7F7F", border_width=0.5, padding=3.0, name="roster")


@pytest.fixture(scope="module")
def picture_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("img") / "chart.png"
    Image.new("RGB", (60, 30), (31, 78, 121)).save(path)
    return path


@pytest.fixture(scope="module")
def document(picture_path: Path) -> Document:
    page1 = Page(*A4_LANDSCAPE, items=(
        Box(Rect(40, 40, 760, 200), fill="F2F2F2", stroke=None, name="panel"),
        BODY, CENTERED, RIGHT,
        make_table(),
        Box(Rect(480, 260, 150, 80), fill="DDEBF7", stroke="1F4E79", stroke_width=1.5,
            radius=8, name="card"),
        Arrow(Rect(650, 280, 40, 30), name="next"),
        Arrow(Rect(710, 270, 30, 50), direction="down", fill="C00000"),
        Rule(40, 400, 800, 400, color="1F4E79", width=2.0),
        Picture(picture_path, Rect(480, 420, 120, 60), alt="予算の推移（グラフ）", name="chart"),
    ), number=1, material_id="資料1")
    page2 = Page(*A4_LANDSCAPE, items=(
        block(Rect(60, 60, 300, 40), [[[("二ページ目", False)]]], name="p2"),), number=2)
    return Document(title="第120回東京都技術会議 資料1", pages=(page1, page2), fonts=FONTS,
                    author="東京都技術会議事務局", subject="資料1", created="2025-02-20T10:00:00")


@pytest.fixture(scope="module")
def rendered(document: Document, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pptx") / "material.pptx"
    render_pptx(document, path)
    return path


@pytest.fixture(scope="module")
def prs(rendered: Path):  # type: ignore[no-untyped-def]
    return Presentation(str(rendered))


def shape_named(slide, name: str):  # type: ignore[no-untyped-def]
    matches = [shape for shape in slide.shapes if shape.name == name]
    assert len(matches) == 1, f"expected one shape named {name!r}, got {[s.name for s in slide.shapes]}"
    return matches[0]


def test_slide_count_and_size(prs) -> None:  # type: ignore[no-untyped-def]
    assert len(prs.slides) == 2
    assert pt(prs.slide_width) == pytest.approx(A4_LANDSCAPE[0], abs=0.01)
    assert pt(prs.slide_height) == pytest.approx(A4_LANDSCAPE[1], abs=0.01)


def test_mixed_page_sizes_and_empty_document_are_rejected(tmp_path: Path) -> None:
    pages = (Page(*A4_LANDSCAPE, items=()), Page(595.28, 841.89, items=(), number=2))
    with pytest.raises(ValueError, match="one size"):
        render_pptx(Document("mixed", pages, FONTS), tmp_path / "mixed.pptx")
    with pytest.raises(ValueError, match="no pages"):
        render_pptx(Document("empty", (), FONTS), tmp_path / "empty.pptx")
    assert not (tmp_path / "mixed.pptx").exists()


@pytest.mark.parametrize("tb", [BODY, CENTERED, RIGHT], ids=lambda tb: tb.name)
def test_text_box_position_and_body(prs, tb: TextBlock) -> None:  # type: ignore[no-untyped-def]
    """The frame is the layout's rectangle with SLACK where the alignment leaves room (right of
    left-aligned text, both sides of centred text, left of right-aligned text) and below: the text
    starts where the layout set it, wraps, and shrinks when a user lengthens it."""
    shape = shape_named(prs.slides[0], tb.name)
    left = {"left": 0.0, "center": SLACK, "right": SLACK}[tb.align]
    wider = {"left": SLACK, "center": 2 * SLACK, "right": SLACK}[tb.align]
    for got, want in ((shape.left, tb.rect.x - left), (shape.top, tb.rect.y),
                      (shape.width, tb.rect.w + wider), (shape.height, tb.rect.h + SLACK)):
        assert pt(got) == pytest.approx(want, abs=0.01)
    body_pr = shape._element.txBody.find(qn("a:bodyPr"))
    assert {k: body_pr.get(k) for k in ("lIns", "tIns", "rIns", "bIns", "wrap", "anchor")} == {
        "lIns": "0", "tIns": "0", "rIns": "0", "bIns": "0", "wrap": "square", "anchor": "t"}
    assert body_pr.find(qn("a:spAutoFit")) is None and body_pr.find(qn("a:normAutofit")) is not None
    algn = {"left": "l", "center": "ctr", "right": "r"}[tb.align]
    for p in shape.text_frame.paragraphs:
        assert p._p.pPr.get("algn") == algn


def test_paragraphs_and_explicit_line_breaks(prs) -> None:  # type: ignore[no-untyped-def]
    shape = shape_named(prs.slides[0], "body")
    paragraphs = shape.text_frame.paragraphs
    assert len(paragraphs) == len(BODY.paragraphs)
    for got, want in zip(paragraphs, BODY.paragraphs):
        assert got.text.split("\v") == [line.text for line in want.lines]
        assert len(got._p.findall(qn("a:br"))) == len(want.lines) - 1
    assert shape.text_frame.paragraphs[1].text == TRICKY  # markup-looking text stays literal


def test_line_spacing_and_indents(prs) -> None:  # type: ignore[no-untyped-def]
    for tb in (BODY, CENTERED):
        for p in shape_named(prs.slides[0], tb.name).text_frame.paragraphs:
            ppr = p._p.pPr
            assert ppr.find(qn("a:lnSpc")).find(qn("a:spcPts")).get("val") == str(int(tb.leading * 100))
            for tag in ("a:spcBef", "a:spcAft"):
                assert ppr.find(qn(tag)).find(qn("a:spcPts")).get("val") == "0"
    first = shape_named(prs.slides[0], "body").text_frame.paragraphs[0]._p.pPr
    assert (first.get("marL"), first.get("indent")) == ("0", str(12 * 12700))


def test_every_run_names_the_family_for_latin_and_east_asian(prs, document: Document) -> None:  # type: ignore[no-untyped-def]
    runs = 0
    for slide in prs.slides:
        for tb_shape in [s for s in slide.shapes if s.has_text_frame and s.text_frame.text]:
            for r in tb_shape._element.iter(qn("a:r")):
                rpr = r.find(qn("a:rPr"))
                children = [c.tag for c in rpr]
                assert children == [qn("a:solidFill"), qn("a:latin"), qn("a:ea"), qn("a:cs")]
                for face in ("a:latin", "a:ea", "a:cs"):
                    assert rpr.find(qn(face)).get("typeface") == FONTS.family
                assert (rpr.get("lang"), rpr.get("altLang")) == ("ja-JP", "en-US")
                runs += 1
    assert runs >= 8
    body = shape_named(prs.slides[0], "body").text_frame.paragraphs
    got = [(r.text, r._r.rPr.get("b"), r._r.rPr.get("sz")) for r in body[0].runs]
    assert got == [("東京都技術会議の", "0", "1200"), ("資料", "1", "1200"), ("です", "0", "1200"),
                   ("第3四半期の取組", "0", "1200")]
    assert body[0].runs[1].font.bold is True
    assert BODY.color == Palette().text  # the theme's text colour: written as the theme's, tx1
    assert body[0].runs[0]._r.rPr.find(qn("a:solidFill")).find(qn("a:schemeClr")).get("val") == "tx1"
    end = body[0]._p.find(qn("a:endParaRPr"))
    assert end is not None and end.get("sz") == "1200" and end.get("lang") == "ja-JP"


def test_table_grid_merges_and_cells(prs) -> None:  # type: ignore[no-untyped-def]
    spec = make_table()
    frame = shape_named(prs.slides[0], "roster")
    assert frame.has_table
    assert (pt(frame.left), pt(frame.top), pt(frame.width)) == pytest.approx(
        (spec.rect.x, spec.rect.y, spec.rect.w), abs=0.5)
    table = frame.table
    assert (len(table.rows), len(table.columns)) == (3, 3)
    assert [pt(c.width) for c in table.columns] == pytest.approx(list(spec.col_widths), abs=0.01)
    assert [pt(r.height) for r in table.rows] == pytest.approx(list(spec.row_heights), abs=0.01)
    assert table.first_row is False and table.horz_banding is False
    for cell in spec.cells:
        got = table.cell(cell.row, cell.col)
        assert got.text == cell.text.lines[0].text
        assert got.is_merge_origin == (cell.rowspan > 1 or cell.colspan > 1)
        if got.is_merge_origin:
            assert (got.span_height, got.span_width) == (cell.rowspan, cell.colspan)
        tc_pr = got._tc.tcPr
        assert [tc_pr.get(k) for k in ("marL", "marR", "marT", "marB")] == [str(3 * 12700)] * 4
        assert tc_pr.get("anchor") == "t"
        for side in ("a:lnL", "a:lnR", "a:lnT", "a:lnB"):
            ln = tc_pr.find(qn(side))
            assert ln.get("w") == str(int(0.5 * 12700))
            assert ln.find(qn("a:solidFill")).find(qn("a:srgbClr")).get("val") == "7F7F7F"
        fill = tc_pr.find(qn("a:solidFill"))
        if cell.fill is None:
            assert fill is None and tc_pr.find(qn("a:noFill")) is not None
        else:
            assert fill.find(qn("a:srgbClr")).get("val") == cell.fill
    assert table.cell(1, 1).is_spanned is False and table.cell(2, 0).is_spanned is True
    header_run = table.cell(0, 0)._tc.find(".//" + qn("a:r"))
    assert header_run.find(qn("a:rPr")).get("b") == "1"
    assert header_run.find(qn("a:rPr")).find(qn("a:ea")).get("typeface") == FONTS.family


def test_shapes_boxes_arrows_rules(prs) -> None:  # type: ignore[no-untyped-def]
    slide = prs.slides[0]
    card = shape_named(slide, "card")
    geom = card._element.spPr.find(qn("a:prstGeom"))
    assert geom.get("prst") == "roundRect"
    assert card.adjustments[0] * min(150, 80) == pytest.approx(8, abs=0.1)
    assert str(card.fill.fore_color.rgb) == "DDEBF7"
    assert card.line.color.theme_color == MSO_THEME_COLOR.ACCENT_1  # the theme's accent, 1F4E79
    assert card.line.width.pt == pytest.approx(1.5)
    assert card._element.find(qn("p:style")) is None  # no theme effects, so no shadow
    assert not card.has_text_frame or card.text_frame.text == ""
    panel = shape_named(slide, "panel")
    assert panel._element.spPr.find(qn("a:prstGeom")).get("prst") == "rect"
    assert panel._element.spPr.find(qn("a:ln")).find(qn("a:noFill")) is not None
    prsts = [s._element.spPr.find(qn("a:prstGeom")).get("prst") for s in slide.shapes
             if s._element.tag == qn("p:sp") and not s.is_placeholder]
    assert "rightArrow" in prsts and "downArrow" in prsts
    assert shape_named(slide, "next").fill.fore_color.theme_color == MSO_THEME_COLOR.ACCENT_1
    connectors = [s for s in slide.shapes if s._element.tag == qn("p:cxnSp")]
    assert len(connectors) == 1
    line = connectors[0]
    assert (pt(line.begin_x), pt(line.begin_y), pt(line.end_x), pt(line.end_y)) == pytest.approx(
        (40, 400, 800, 400), abs=0.5)
    assert line.line.color.theme_color == MSO_THEME_COLOR.ACCENT_1 and line.line.width.pt == pytest.approx(2.0)


def test_picture_alt_text_and_position(prs) -> None:  # type: ignore[no-untyped-def]
    picture = shape_named(prs.slides[0], "chart")
    assert picture._element.nvPicPr.cNvPr.get("descr") == "予算の推移（グラフ）"
    assert (pt(picture.left), pt(picture.top), pt(picture.width), pt(picture.height)) == pytest.approx(
        (480, 420, 120, 60), abs=0.5)


def test_shapes_are_drawn_in_item_order(prs) -> None:  # type: ignore[no-untyped-def]
    names = [s.name for s in prs.slides[0].shapes]
    assert names.index("panel") < names.index("body") < names.index("roster") < names.index("chart")


def test_output_is_byte_identical_with_fixed_metadata(document: Document, rendered: Path,
                                                      tmp_path: Path) -> None:
    again = tmp_path / "again.pptx"
    render_pptx(document, again)
    assert again.read_bytes() == rendered.read_bytes()
    with zipfile.ZipFile(rendered) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.namelist()[0] == "[Content_Types].xml"
    props = Presentation(str(rendered)).core_properties
    assert props.title == document.title and props.author == document.author
    assert props.subject == document.subject and props.last_modified_by == document.author
    assert props.created == props.modified == datetime(2025, 2, 20, 10, 0, 0)
    assert props.revision == 1 and props.keywords == "" and props.comments == ""


# ---- LibreOffice round trip ---------------------------------------------------------------

def convert_with_libreoffice(pptx: Path, out: Path) -> Path:
    """PPTX -> PDF with headless LibreOffice and a private profile; skip if it is not installed."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice (soffice) is not on PATH")
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{out}/profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(out), str(pptx)],
        capture_output=True, text=True, timeout=120, env={**os.environ, "HOME": str(out)})
    pdf = out / (pptx.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stdout + result.stderr
    return pdf


@pytest.fixture(scope="module")
def converted_pdf(rendered: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return convert_with_libreoffice(rendered, tmp_path_factory.mktemp("lo"))


def test_libreoffice_converts_and_shows_every_line(converted_pdf: Path, document: Document) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) is not on PATH")
    text = subprocess.run(["pdftotext", str(converted_pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=60).stdout
    flat = re.sub(r"\s+", "", text)
    lines = [line.text for page in document.pages for tb in page.text_blocks() for line in tb.lines]
    assert len(lines) >= 12
    for line in lines:
        assert re.sub(r"\s+", "", line) in flat, line
    if shutil.which("pdftoppm") is not None:
        prefix = converted_pdf.with_suffix("")
        subprocess.run(["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "1", str(converted_pdf),
                        str(prefix)], check=True, timeout=60)
        png = next(converted_pdf.parent.glob(prefix.name + "*.png"))
        with Image.open(png) as image:
            width, height = image.size
        assert abs(width - A4_LANDSCAPE[0] * 60 / 72) <= 1 and abs(height - A4_LANDSCAPE[1] * 60 / 72) <= 1


def test_libreoffice_first_baseline_near_layout_contract(converted_pdf: Path) -> None:
    """LibreOffice 7.4 puts a text box's baselines about 0.08 x size above the layout's
    ``top + leading - descent * size`` (table cells: within 0.15 pt); zero insets keep x exact."""
    pytest.importorskip("pdfminer")
    from readback import pdf_chars

    found = {ch.text: ch for ch in pdf_chars(converted_pdf)[0] if ch.text in "東担"}
    body_first = found["東"]  # first character of BODY
    expected = BODY.rect.y + BODY.leading - FACE_DESCENT * BODY.size
    assert body_first.baseline == pytest.approx(expected, abs=1.5)
    assert body_first.x0 == pytest.approx(BODY.rect.x + 12.0, abs=0.5)  # indent_first
    cell = make_table().cells[1].text  # "担当", row 0 col 2
    expected_cell = cell.rect.y + cell.leading - FACE_DESCENT * cell.size
    assert found["担"].baseline == pytest.approx(expected_cell, abs=0.5)
    assert found["担"].x0 == pytest.approx(cell.rect.x, abs=0.5)


def test_empty_cells_do_not_grow_rows(tmp_path: Path) -> None:
    """Empty cells get a 1 pt paragraph: with the default 18 pt one, a 12 pt row grows."""
    def text(x: float, y: float, t: str) -> TextBlock:
        return block(Rect(x + 2, y + 2, 96, 8), [[[(t, False)]]], size=6, leading=8)
    cells = (TableCell(0, 0, 1, 1, Rect(50, 50, 100, 12), None, text(50, 50, "上")),
             TableCell(0, 1, 1, 1, Rect(150, 50, 100, 12), None, None),
             TableCell(1, 0, 1, 1, Rect(50, 62, 100, 12), None, None),
             TableCell(1, 1, 1, 1, Rect(150, 62, 100, 12), None, None),
             TableCell(2, 0, 1, 2, Rect(50, 74, 200, 12), "EEEEEE", text(50, 74, "下")))
    table = Table(Rect(50, 50, 200, 36), (100.0, 100.0), (12.0, 12.0, 12.0), cells, padding=2.0,
                  name="tight")
    path = tmp_path / "tight.pptx"
    render_pptx(Document("tight", (Page(*A4_LANDSCAPE, items=(table,)),), FONTS), path)
    (frame,) = [shape for shape in Presentation(str(path)).slides[0].shapes if shape.has_table]
    empty = frame.table.cell(1, 0)._tc
    assert empty.find(".//" + qn("a:endParaRPr")).get("sz") == "100"
    pdf = convert_with_libreoffice(path, tmp_path)
    pytest.importorskip("pdfminer")
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTCurve

    page = next(iter(extract_pages(str(pdf))))
    rules = sorted({round(page.height - o.y0, 1) for o in page
                    if isinstance(o, LTCurve) and abs(o.y0 - o.y1) < 0.01 and o.width > 150})
    assert rules == pytest.approx([50, 62, 74, 86], abs=0.3)


# ---- XML written as text: escaping, shape ids, shared pictures, merges, refusals ----------

MARKUP = 'R&D <b>"quoted"</b> ]]> \'x\' & <<'


@pytest.fixture(scope="module")
def tricky(picture_path: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, Path]:
    """Markup in text, names and alt text; unnamed shapes; one picture file used three times
    (twice by path, once as a copy with the same bytes), cropped; reversed rules; a 2x2 merge."""
    copy = tmp_path_factory.mktemp("copy") / "same.png"
    copy.write_bytes(picture_path.read_bytes())
    other = tmp_path_factory.mktemp("other") / "other.png"
    Image.new("RGB", (20, 20), (200, 0, 0)).save(other)

    def text(x: float, y: float, t: str) -> TextBlock:
        return block(Rect(x + 2, y + 2, 96, 12), [[[(t, False)]]], size=8, leading=12)
    cells = (TableCell(0, 0, 2, 2, Rect(50, 300, 200, 40), "DDEBF7", text(50, 300, MARKUP)),
             TableCell(0, 2, 1, 1, Rect(250, 300, 100, 20), None, text(250, 300, "右上")),
             TableCell(1, 2, 1, 1, Rect(250, 320, 100, 20), None, None))
    grid = Table(Rect(50, 300, 300, 40), (100.0, 100.0, 100.0), (20.0, 20.0), cells, name='grid "&"')
    page1 = Page(*A4_LANDSCAPE, items=(
        block(Rect(50, 50, 400, 40), [[[(MARKUP, False), ("太字&", True)], [("\t", False)]]],
              name='text <"&">'),
        Box(Rect(50, 100, 100, 40)),  # unnamed: a default name
        Picture(picture_path, Rect(200, 100, 60, 30), alt='図 "A&B" <1>\n二行目', name="pic 1",
                crop=(0.1, 0.0, 0.25, 0.05)),
        Picture(copy, Rect(300, 100, 60, 30)),
        Rule(400, 200, 100, 150, color="C00000", width=1.0),
        grid,
    ), number=1)
    page2 = Page(*A4_LANDSCAPE, items=(
        Picture(picture_path, Rect(50, 50, 60, 30), name="again"),
        Picture(other, Rect(150, 50, 20, 20), name="other"),
        Picture(picture_path, Rect(250, 50, 60, 30), name="again 2"),
    ), number=2)
    document = Document(title='題 <"&">', pages=(page1, page2), fonts=FONTS, author="A & B", subject="<s>",
                        created="2025-02-20T10:00:00")
    path = tmp_path_factory.mktemp("tricky") / "tricky.pptx"
    render_pptx(document, path)
    return document, path


def test_markup_in_text_names_and_alt_text_prints_literally(tricky) -> None:  # type: ignore[no-untyped-def]
    document, path = tricky
    slide = Presentation(str(path)).slides[0]
    box = shape_named(slide, 'text <"&">')
    assert [p.text for p in box.text_frame.paragraphs] == [MARKUP + "太字&\v\t"]
    assert [r.font.bold for r in box.text_frame.paragraphs[0].runs] == [False, True, False]
    assert shape_named(slide, "pic 1")._element.nvPicPr.cNvPr.get("descr") == '図 "A&B" <1>\n二行目'
    assert shape_named(slide, 'grid "&"').table.cell(0, 0).text == MARKUP
    props = Presentation(str(path)).core_properties
    assert (props.title, props.author, props.subject) == ('題 <"&">', "A & B", "<s>")
    with zipfile.ZipFile(path) as z:
        raw = z.read("ppt/slides/slide1.xml").decode()
    assert "R&amp;D &lt;b&gt;\"quoted\"&lt;/b&gt; ]]&gt; 'x' &amp; &lt;&lt;" in raw


def test_shape_ids_follow_drawing_order_and_unnamed_shapes_get_default_names(tricky) -> None:  # type: ignore[no-untyped-def]
    _, path = tricky
    for slide in Presentation(str(path)).slides:
        ids = [shape.shape_id for shape in slide.shapes]
        assert ids == list(range(2, len(ids) + 2))
    first = Presentation(str(path)).slides[0].shapes
    assert [shape.name for shape in first] == [
        "title", 'text <"&">', "Rectangle 3", "pic 1", "Picture 5", "Connector 6", 'grid "&"']
    assert first[2]._element.spPr.find(qn("a:prstGeom")).get("prst") == "rect"
    assert first[0].is_placeholder and first[0].top < 0  # no title on the page: the document's, above it


def test_one_image_part_per_distinct_picture_and_crops_in_src_rect(tricky) -> None:  # type: ignore[no-untyped-def]
    _, path = tricky
    with zipfile.ZipFile(path) as z:
        media = sorted(name for name in z.namelist() if name.startswith("ppt/media/"))
        types = z.read("[Content_Types].xml").decode()
    assert media == ["ppt/media/image1.png", "ppt/media/image2.png"]
    assert '<Default Extension="png" ContentType="image/png"/>' in types
    prs = Presentation(str(path))
    first, second = prs.slides
    blobs = {shape.name: shape.image.blob for slide in prs.slides for shape in slide.shapes
             if shape.shape_type is not None and shape._element.tag == qn("p:pic")}
    assert blobs["pic 1"] == blobs["Picture 5"] == blobs["again"] == blobs["again 2"] != blobs["other"]
    rids = [shape._element.blipFill.find(qn("a:blip")).get(qn("r:embed")) for shape in second.shapes
            if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert rids[0] == rids[2] != rids[1]  # one relationship per image on a slide
    cropped = shape_named(first, "pic 1")
    assert (cropped.crop_left, cropped.crop_top, cropped.crop_right, cropped.crop_bottom) == pytest.approx(
        (0.1, 0.0, 0.25, 0.05))
    src = cropped._element.blipFill.find(qn("a:srcRect"))
    assert dict(src.attrib) == {"l": "10000", "r": "25000", "b": "5000"}  # zero sides left out
    assert shape_named(first, "Picture 5")._element.blipFill.find(qn("a:srcRect")) is None
    assert "descr" not in shape_named(first, "Picture 5")._element.nvPicPr.cNvPr.attrib


def test_reversed_rule_is_flipped_and_ends_where_it_was_drawn(tricky) -> None:  # type: ignore[no-untyped-def]
    _, path = tricky
    line = shape_named(Presentation(str(path)).slides[0], "Connector 6")
    xfrm = line._element.spPr.find(qn("a:xfrm"))
    assert (xfrm.get("flipH"), xfrm.get("flipV")) == ("1", "1")
    assert (pt(line.begin_x), pt(line.begin_y), pt(line.end_x), pt(line.end_y)) == pytest.approx(
        (400, 200, 100, 150), abs=0.01)


def test_two_by_two_merge_reads_back_as_one_cell(tricky) -> None:  # type: ignore[no-untyped-def]
    _, path = tricky
    table = shape_named(Presentation(str(path)).slides[0], 'grid "&"').table
    origin = table.cell(0, 0)
    assert origin.is_merge_origin and (origin.span_height, origin.span_width) == (2, 2)
    assert all(table.cell(r, c).is_spanned for r, c in ((0, 1), (1, 0), (1, 1)))
    assert not table.cell(0, 2).is_spanned and not table.cell(1, 2).is_merge_origin
    assert table.cell(1, 2)._tc.find(".//" + qn("a:endParaRPr")).get("sz") == "100"  # empty cell: 1 pt


@pytest.mark.parametrize("where", ["text", "name", "title"])
def test_characters_xml_cannot_hold_are_refused(where: str, tmp_path: Path) -> None:
    bad = "ベル\x07"
    tb = block(Rect(50, 50, 200, 20), [[[(bad if where == "text" else "ok", False)]]],
               name=bad if where == "name" else "box")
    document = Document(bad if where == "title" else "t", (Page(*A4_LANDSCAPE, items=(tb,)),), FONTS)
    with pytest.raises(ValueError, match="U\\+0007"):
        render_pptx(document, tmp_path / "bad.pptx")
    assert not (tmp_path / "bad.pptx").exists()


@pytest.mark.parametrize("categories, series, number_format", [
    (["大学", "工業高校", "合計"], [("R6実績", [46.0, 5.0, 56.0]), ("R5実績", [59.0, None, 62.0])], '#,##0"回"'),
    ([" 前", "後 ", "", "R&D <1>"], [("", [1.5, 2.25, None, 1e20])], "General"),
    ([f"区分{i}" for i in range(35)], [("a", [float(i) for i in range(35)]), ("b", [None] * 35)], "0"),
])
def test_chart_workbook_is_the_one_python_pptx_writes(categories, series, number_format) -> None:  # type: ignore[no-untyped-def]
    """The embedded workbook, part by part, is the one python-pptx makes for the same data (dates aside):
    the cells the chart XML names are where python-pptx puts them."""
    import io

    from pptx.chart.data import CategoryChartData

    from council_materials.render.pptx_workbook import workbook

    data = CategoryChartData(number_format=number_format)
    data.categories = categories
    for name, values in series:
        data.add_series(name, values)

    def parts(blob: bytes) -> list[tuple[str, bytes]]:
        with zipfile.ZipFile(io.BytesIO(blob)) as z:
            return [(info.filename, re.sub(rb"(<dcterms:\w+ [^>]*>)[^<]*", rb"\1T", z.read(info)))
                    for info in z.infolist()]
    ours = workbook(categories, series, number_format, datetime(2025, 2, 20, 10, 0, tzinfo=timezone.utc))
    assert parts(ours) == parts(data.xlsx_blob)
    with zipfile.ZipFile(io.BytesIO(ours)) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert z.read("docProps/core.xml").decode().count("2025-02-20T10:00:00Z") == 2
    assert workbook(categories, series, number_format, datetime(2025, 2, 20, 10, 0)) == ours  # reproducible


def test_a_label_starting_with_equals_stays_text_in_the_workbook() -> None:
    import io

    from council_materials.render.pptx_workbook import workbook

    labels = ["=SUM(A1)", "http://x", "{=A1}", "mailto:a"]
    blob = workbook(labels, [("=s", [1.0, 2.0, 3.0, 4.0])], "0", datetime(2025, 2, 20))
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        sheet, strings = z.read("xl/worksheets/sheet1.xml").decode(), z.read("xl/sharedStrings.xml").decode()
    assert "<f>" not in sheet and "hyperlink" not in sheet
    assert all(f"<t>{label}</t>" in strings for label in [*labels, "=s"])


def test_the_renderer_imports_neither_python_pptx_nor_lxml() -> None:
    """python-pptx, lxml and XlsxWriter cost a fresh build process about 0.1 s to import; XlsxWriter
    (16 ms after the rest of a build) is imported when a chart is drawn, not before."""
    import sys

    code = ("import sys, council_materials.render.pptx; "
            "print(sorted(m for m in ('pptx', 'lxml', 'xlsxwriter') if m in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"


def test_xlsxwriter_is_imported_only_when_a_chart_is_drawn(tmp_path: Path) -> None:
    import sys

    code = (f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); "
            "from pathlib import Path; import test_render_pptx as t; "
            "from council_materials.render.pptx import render_pptx; "
            "render_pptx(t._document_without_chart(), Path(sys.argv[1]) / 'plain.pptx'); "
            "print('xlsxwriter' in sys.modules)")
    found = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=True)
    assert found.stdout.strip() == "False"
    assert (tmp_path / "plain.pptx").stat().st_size > 0


def _document_without_chart() -> Document:
    return Document("plain", (Page(*A4_LANDSCAPE, items=(block(Rect(40, 40, 400, 40), [[[("表", False)]]]),)),), FONTS)


def test_the_zip_is_zipfiles_with_fixed_times_stored_media_and_deflated_xml(tricky) -> None:  # type: ignore[no-untyped-def]
    """What the package relies on ``zipfile`` for: fixed times, MS-DOS as the system that made each
    entry (so the bytes do not depend on the platform), ``rw-------``, XML deflated, pictures stored."""
    with zipfile.ZipFile(tricky[1]) as z:
        infos = z.infolist()
        assert z.testzip() is None
    assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {(info.create_system, info.create_version, info.extract_version) for info in infos} == {(0, 20, 20)}
    assert {info.external_attr for info in infos} == {0o600 << 16} and {info.flag_bits for info in infos} == {0}
    assert infos[0].filename == "[Content_Types].xml"
    media = [info for info in infos if info.filename.startswith("ppt/media/")]
    assert media and {info.compress_type for info in media} == {zipfile.ZIP_STORED}
    assert {info.compress_type for info in infos if info not in media} == {zipfile.ZIP_DEFLATED}

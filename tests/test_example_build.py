"""End to end: the example meeting built once, checked with real clients.

Reopens every output: PDFs with pypdf/pdfminer and poppler, PPTX with
python-pptx and LibreOffice. Also the typography contract: the lines and
positions in the PDF equal those in the PPTX, and LibreOffice's rendering of
our PPTX shows the same lines.
"""
from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader

from council_materials.build import BuildResult
from council_materials.layout.context import BASELINE_DESCENT
from council_materials.loading import load_model
from council_materials.models import Meeting, Roster
from council_materials.typography.fonts import FontPair

from conftest import EXAMPLE, ROOT, require_client, require_font, soffice_to_pdf
from readback import pdf_chars, pptx_boxes, pptx_text, squash

A4_LANDSCAPE = (841.89, 595.28)
A4_PORTRAIT = (595.28, 841.89)


def _files(result: BuildResult, suffix: str) -> list[Path]:
    return sorted(p for p in result.files if p.suffix == suffix)


def _materials(result: BuildResult) -> list[tuple[str, Path, Path]]:
    """(label, pdf, pptx) of each numbered material."""
    out = []
    for pdf in _files(result, ".pdf"):
        parts = pdf.stem.split("_")
        if len(parts) >= 3 and parts[1].startswith(("資料", "参考")):
            out.append((parts[1], pdf, pdf.with_suffix(".pptx")))
    return out


def test_outputs_are_all_there(example_build: BuildResult) -> None:
    names = {p.name for p in example_build.out_dir.iterdir()}
    assert "00_会議次第.pdf" in names and "00_会議次第.pptx" in names
    assert "第120回東京都技術会議_資料一式.pdf" in names
    labels = [label for label, _, _ in _materials(example_build)]
    assert labels == [f"資料{n}" for n in range(1, 8)]
    for _, pdf, pptx in _materials(example_build):
        assert pdf.is_file() and pptx.is_file()


def test_page_sizes_stamps_and_footers(example_build: BuildResult) -> None:
    meeting = load_model(Meeting, EXAMPLE / "meeting.yaml")
    cover = PdfReader(example_build.out_dir / "00_会議次第.pdf")
    for page in cover.pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_PORTRAIT, abs=0.01)
    for label, pdf, pptx in _materials(example_build):
        reader = PdfReader(pdf)
        deck = Presentation(str(pptx))
        assert len(deck.slides) == len(reader.pages) > 0
        assert (deck.slide_width.pt, deck.slide_height.pt) == pytest.approx(A4_LANDSCAPE, abs=0.05)
        for number, page in enumerate(reader.pages, 1):
            assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(A4_LANDSCAPE, abs=0.01)
            text = squash(page.extract_text())
            assert label in text
            assert squash(meeting.title) in text
            assert f"{number}/{len(reader.pages)}" in text
        for number, boxes in enumerate(pptx_boxes(pptx), 1):  # the stamp is on the deck's slide master
            stamp = [box for box in boxes if box.lines == (label,)]
            assert [box.where for box in stamp] == ["master"], f"{pptx.name}: slide {number} without its stamp"
            assert stamp[0].left > A4_LANDSCAPE[0] * 0.8 and stamp[0].top < 40
            footer = [box for box in boxes if box.lines == (f"{label}  {number} / {len(reader.pages)}",)]
            assert [box.where for box in footer] == ["master"], f"{pptx.name}: slide {number}'s page number"


def test_combined_pdf_has_a_bookmark_per_material(example_build: BuildResult) -> None:
    reader = PdfReader(example_build.out_dir / "第120回東京都技術会議_資料一式.pdf")
    titles = [item.title for item in reader.outline]
    assert titles[0] == "会議次第・名簿"
    assert [t.split(" ")[0] for t in titles[1:]] == [f"資料{n}" for n in range(1, 8)]
    total = sum(len(PdfReader(p).pages) for p in _files(example_build, ".pdf") if "資料一式" not in p.name)
    assert len(reader.pages) == total


def test_every_pdf_embeds_only_subset_fonts(example_build: BuildResult) -> None:
    pdffonts = require_client("pdffonts")
    for pdf in _files(example_build, ".pdf"):
        out = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = out.splitlines()[2:]
        assert rows, pdf.name
        for row in rows:
            assert "+BIZ" in row.split()[0], row  # subset tag ABCDEF+Name
            assert row.split()[-5:-3] == ["yes", "yes"], f"{pdf.name}: {row}"


def test_cover_sheet_text_has_roster_and_agenda(example_build: BuildResult) -> None:
    pdftotext = require_client("pdftotext")
    out = subprocess.run([pdftotext, str(example_build.out_dir / "00_会議次第.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    text = squash(out)
    roster = load_model(Roster, EXAMPLE / "roster.yaml")
    people = [roster.chair, *roster.vice_chairs, *roster.members, *roster.observers]
    assert len(people) == 21  # 1 chair, 2 vice-chairs, 10 members, 8 observers
    for person in people:
        assert squash(person.name) in text, person.name
    meeting = load_model(Meeting, EXAMPLE / "meeting.yaml")
    for topic in meeting.agenda.topics:
        assert squash(topic.title) in text
        for point in topic.points:
            assert squash(point) in text
    for must in ("令和7年2月20日(木)", "16:00～17:00", "第120回東京都技術会議", "会議次第", "開会", "閉会",
                 "その他", "※:オブザーバー", "参考東京都技術会議設置要綱、組織名簿"):
        assert squash(must) in text, must
    for n in range(1, 8):
        assert f"資料{n}" in text


def _lines_match(boxes, chars, where: str) -> int:  # type: ignore[no-untyped-def]
    """Every PPTX line is in the PDF at the same place; returns the number of lines compared."""
    compared = 0
    for box in boxes:
        row = 0
        for line in box.lines:
            row += 1
            if not line.strip():
                continue
            baseline = box.top + row * box.leading - BASELINE_DESCENT * box.size
            found = sorted((c for c in chars if abs(c.baseline - baseline) < 1.0
                            and c.x0 >= box.left - 1 and c.x1 <= box.left + box.width + 1),
                           key=lambda c: c.x0)
            shown = squash("".join(c.text for c in found))
            assert shown == squash(line), f"{where}, box {box.name!r}: PDF {shown!r} != PPTX {line!r}"
            if box.align == "l" and row == 1:  # the first paragraph's own indents are known here
                x = box.left + box.margin_left + box.indent
                assert found[0].x0 == pytest.approx(x, abs=1.0), f"{where}, box {box.name!r}"
            compared += 1
    return compared


def test_pdf_and_pptx_show_the_same_lines_in_the_same_places(example_build: BuildResult) -> None:
    compared = 0
    pairs = [(pdf, pptx) for _, pdf, pptx in _materials(example_build)]
    pairs.append((example_build.out_dir / "00_会議次第.pdf", example_build.out_dir / "00_会議次第.pptx"))
    for pdf, pptx in pairs:
        pages = pdf_chars(pdf)
        slides = pptx_boxes(pptx)
        assert len(pages) == len(slides)
        for number, (chars, boxes) in enumerate(zip(pages, slides), 1):
            compared += _lines_match(boxes, chars, f"{pptx.name} page {number}")
    assert compared > 500


@pytest.fixture(scope="module")
def libreoffice_pdfs(example_build: BuildResult, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    require_client("soffice")
    require_font()
    outdir = tmp_path_factory.mktemp("lo")
    return {pptx.name: soffice_to_pdf(pptx, outdir) for pptx in _files(example_build, ".pptx")}


def test_libreoffice_converts_every_pptx(example_build: BuildResult, libreoffice_pdfs: dict[str, Path]) -> None:
    for pptx in _files(example_build, ".pptx"):
        converted = libreoffice_pdfs[pptx.name]
        assert converted.is_file()
        assert len(PdfReader(converted).pages) == len(Presentation(str(pptx)).slides)


def test_libreoffice_shows_our_lines(example_build: BuildResult, libreoffice_pdfs: dict[str, Path],
                                    fonts: FontPair) -> None:
    """LibreOffice draws each of our lines whole, on our baseline and inside our box: it re-wraps nothing.

    A frame that shrinks text on overflow (all of ours) is laid out by LibreOffice 7.4 with the whole of
    a fixed line's extra leading above the text, so its baseline is the font's own descent (0.12 em)
    above the line's bottom instead of the 0.2 em it keeps otherwise: 0.08 em lower than our PDF.
    """
    compared = 0
    descent = fonts.regular.descent  # the face's own (hhea)
    for pptx in _files(example_build, ".pptx"):
        pages = pdf_chars(libreoffice_pdfs[pptx.name])
        for number, (chars, boxes) in enumerate(zip(pages, pptx_boxes(pptx)), 1):
            for box in boxes:
                for row, line in enumerate(box.lines, 1):
                    if not line.strip():
                        continue
                    below = descent if box.autofit else BASELINE_DESCENT
                    baseline = box.top + row * box.leading - below * box.size
                    found = sorted((c for c in chars if abs(c.baseline - baseline) < 1.5
                                    and box.left - 1.5 <= c.x0 and c.x1 <= box.left + box.width + 1.5),
                                   key=lambda c: c.x0)
                    shown = squash("".join(c.text for c in found))
                    assert shown == squash(line), (
                        f"{pptx.name} page {number}, box {box.name!r}: LibreOffice shows {shown!r}, we set {line!r}")
                    compared += 1
    assert compared > 500


def test_seed_coverage_of_the_example(example_build: BuildResult) -> None:
    """At least 95 % of the seed's lines are in the PDFs and in the PPTX.

    The shared tool reads a PPTX's ``a:t`` text only; a PowerPoint bullet (``a:buChar``) is shown but is
    not text, so the PPTX side is read here with each bullet's character before its paragraph, as the
    slides show it (see ``readback.pptx_text``)."""
    tool = ROOT.parent / "shared" / "tools" / "seed_coverage.py"
    if not tool.is_file():
        pytest.skip("shared/tools/seed_coverage.py is not beside the repository")
    require_client("pdftotext")
    spec = importlib.util.spec_from_file_location("seed_coverage", tool)
    assert spec is not None and spec.loader is not None
    coverage = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(coverage)
    lines = coverage.seed_lines(coverage.DEFAULT_SEED)
    shown = {"pdf": coverage.pdf_text(example_build.out_dir),
             "pptx": coverage.normalise("".join(pptx_text(deck) for deck in _files(example_build, ".pptx")))}
    for fmt, text in shown.items():
        missing = [line for line in lines if line not in text]
        share = 100.0 * (len(lines) - len(missing)) / len(lines)
        assert share >= 95, f"{fmt}: {share:.1f}% of {len(lines)} seed lines; missing {missing[:20]}"


def test_every_pptx_run_names_the_font_for_latin_and_east_asian_text(example_build: BuildResult) -> None:
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    family = "BIZ UDPGothic"
    runs = 0
    for pptx in _files(example_build, ".pptx"):
        for slide in Presentation(str(pptx)).slides:
            for rpr in slide._element.iterfind(".//a:r/a:rPr", ns):
                runs += 1
                assert rpr.get("lang") == "ja-JP"
                for tag in ("latin", "ea", "cs"):
                    face = rpr.find(f"a:{tag}", ns)
                    assert face is not None and face.get("typeface") == family, f"{pptx.name}: a:{tag}"
    assert runs > 1000

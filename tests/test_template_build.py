"""End to end: the example meeting built on each test template (``tests/templates``, made with python-pptx),
its outputs read back and held to the template: the decks are the template's master, layouts, theme and
logo; both outputs have its page size, colours, font and the places of its title, footer, page number and
artwork; LibreOffice shows our lines; openxml-audit finds no error.

Expectations come from the template files themselves (read here with lxml, not with the code under test).
"""
from __future__ import annotations

import re
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTChar, LTImage, LTRect
from pptx import Presentation

from council_materials.build import BuildResult, build
from council_materials.layout.context import BASELINE_DESCENT
from council_materials.plugins import get_plugin_manager
from council_materials.typography.fonts import load_face

from conftest import require_client, require_font, soffice_to_pdf
from readback import pdf_chars, pptx_boxes, squash
from templated import A4, IPAEX, NS, WIDE, part, require_ipaex, templated_meeting

EMU = 12700
MASTER = "ppt/slideMasters/slideMaster1.xml"


@dataclass(frozen=True)
class Expected:
    """What a template says, read from its XML: size, title and placeholder boxes (points), colours, font."""

    template: Path
    size: tuple[float, float]
    title: tuple[float, float, float, float]
    footer: tuple[float, float, float, float]
    number: tuple[float, float, float, float]
    logo: tuple[float, float, float, float]
    mark: tuple[float, float, float, float]  # the bureau's name, the master's own text
    title_color: str
    accent: str
    family: str
    font_names: tuple[str, ...]
    background: str | None


def _box(node) -> tuple[float, float, float, float]:  # type: ignore[no-untyped-def]
    off, ext = node.find("a:off", NS), node.find("a:ext", NS)
    return (int(off.get("x")) / EMU, int(off.get("y")) / EMU, int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU)


def _expected(template: Path) -> Expected:
    with zipfile.ZipFile(template) as archive:
        master = etree.fromstring(archive.read(MASTER))
        theme = etree.fromstring(archive.read("ppt/theme/theme1.xml"))
        presentation = etree.fromstring(archive.read("ppt/presentation.xml"))
    size = presentation.find("p:sldSz", NS)

    def placeholder(kind: str) -> tuple[float, float, float, float]:
        shape = next(sp for sp in master.iterfind("p:cSld/p:spTree/p:sp", NS)
                     if sp.find("p:nvSpPr/p:nvPr/p:ph", NS) is not None
                     and sp.find("p:nvSpPr/p:nvPr/p:ph", NS).get("type") == kind)
        return _box(shape.find("p:spPr/a:xfrm", NS))
    logo = next(pic for pic in master.iterfind("p:cSld/p:spTree/p:pic", NS))
    mark = next(sp for sp in master.iterfind("p:cSld/p:spTree/p:sp", NS)
                if sp.find("p:nvSpPr/p:cNvPr", NS).get("name") == "局名")
    colours = {child.tag.rsplit("}", 1)[-1]: child[0].get("val") for child in theme.find("a:themeElements/a:clrScheme",
                                                                                          NS)}
    title = master.find("p:txStyles/p:titleStyle/a:lvl1pPr/a:defRPr/a:solidFill/a:schemeClr", NS).get("val")
    title_color = {"accent1": colours["accent1"], "bg1": colours["lt1"]}[title]
    family = theme.find("a:themeElements/a:fontScheme/a:minorFont/a:ea", NS).get("typeface")
    names = {"BIZ UDPゴシック": ("BIZ UDPGothic", "BIZ UDPゴシック"), "IPAexゴシック": ("IPAexGothic", "IPAexゴシック")}
    solid = master.find("p:cSld/p:bg/p:bgPr/a:solidFill/a:schemeClr", NS)
    background = None if solid is None else colours[{"lt2": "lt2"}[solid.get("val")]]
    return Expected(template, (int(size.get("cx")) / EMU, int(size.get("cy")) / EMU), placeholder("title"),
                    placeholder("ftr"), placeholder("sldNum"), _box(logo.find("p:spPr/a:xfrm", NS)),
                    _box(mark.find("p:spPr/a:xfrm", NS)), title_color,
                    colours["accent1"], family, names[family], background)


@pytest.fixture(scope="module", params=["a4", "wide"])
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Expected, BuildResult]:
    """The example meeting built on one of the test templates."""
    template = {"a4": A4, "wide": WIDE}[request.param]
    folder = templated_meeting(tmp_path_factory.mktemp(request.param) / "meeting", template)
    return _expected(template), build(folder, folder.parent / "out", get_plugin_manager())


def _decks(result: BuildResult) -> list[Path]:
    """The materials' decks (the cover sheet is A4 portrait, not built on the template)."""
    return sorted(p for p in result.files if p.suffix == ".pptx" and "_資料" in p.name)


def _pdfs(result: BuildResult) -> list[Path]:
    return [deck.with_suffix(".pdf") for deck in _decks(result)]


def test_the_example_builds_on_each_template(built: tuple[Expected, BuildResult]) -> None:
    expected, result = built
    assert len(_decks(result)) == 7 and result.pages > 50
    assert not result.warnings


def test_decks_are_the_templates_master_layouts_theme_and_logo(built: tuple[Expected, BuildResult]) -> None:
    expected, result = built
    with zipfile.ZipFile(expected.template) as archive:
        names = archive.namelist()
        layouts = {name: archive.read(name) for name in names if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml",
                                                                              name)}
        theme, logo = archive.read("ppt/theme/theme1.xml"), archive.read("ppt/media/image1.png")
        master = etree.fromstring(archive.read(MASTER))

    def framed(template: bytes, deck: bytes, label: str) -> None:
        """``deck``'s part is ``template``'s, with the frame every page shows (its stamp, 資料N) after its shapes."""
        shapes = [etree.tostring(shape) for shape in etree.fromstring(template).find("p:cSld/p:spTree", NS)]
        ours = etree.fromstring(deck).find("p:cSld/p:spTree", NS)
        assert [etree.tostring(shape) for shape in ours][:len(shapes)] == shapes
        assert any(label in "".join(shape.itertext()) for shape in ours[len(shapes):])
    hiding = 0
    for deck in _decks(result):
        label = deck.name.split("_")[1]
        prs = Presentation(str(deck))
        used = {slide.slide_layout.name for slide in prs.slides}
        assert used <= {"タイトルとコンテンツ", "セクション見出し"}
        for name, data in layouts.items():
            if b'showMasterSp="0"' in data and etree.fromstring(data).find("p:cSld", NS).get("name") in used:
                framed(data, part(deck, name), label)  # it hides the master's shapes: the frame is on it too
                hiding += 1
            else:
                assert part(deck, name) == data, (deck.name, name)  # the template's layouts, byte for byte
        assert part(deck, "ppt/theme/theme1.xml") == theme and part(deck, "ppt/media/image1.png") == logo
        framed(etree.tostring(master), part(deck, MASTER), label)
        presentation = etree.fromstring(part(deck, "ppt/presentation.xml"))
        size = presentation.find("p:sldSz", NS)
        assert (int(size.get("cx")) / EMU, int(size.get("cy")) / EMU) == pytest.approx(expected.size, abs=0.01)
        assert [layout.name for layout in prs.slide_layouts] == [
            etree.fromstring(data).find("p:cSld", NS).get("name") for _, data in sorted(
                layouts.items(), key=lambda item: int(re.search(r"(\d+)\.xml", item[0]).group(1)))]
        assert all(slide.shapes.title is not None for slide in prs.slides)
    assert (hiding > 0) == (expected.template == WIDE)


def test_every_run_is_in_the_templates_font(built: tuple[Expected, BuildResult]) -> None:
    expected, result = built
    runs = 0
    for deck in _decks(result):
        for slide in Presentation(str(deck)).slides:
            for rpr in slide._element.iterfind(".//a:r/a:rPr", NS):
                runs += 1
                for tag in ("latin", "ea"):
                    assert rpr.find(f"a:{tag}", NS).get("typeface") in expected.font_names, deck.name
    assert runs > 500
    pdffonts = require_client("pdffonts")
    for pdf in _pdfs(result):
        listed = subprocess.run([pdffonts, str(pdf)], capture_output=True, text=True, check=True).stdout
        rows = [row.split()[0] for row in listed.splitlines()[2:]]
        want = "IPAexGothic" if "IPAex" in expected.family else "BIZUDPGothic"
        assert rows and all(re.fullmatch(rf"[A-Z]{{6}}\+{want}(-Regular|-Bold)?", row) for row in rows), rows


def _colour(components) -> str:  # type: ignore[no-untyped-def]
    return "".join(f"{round(c * 255):02X}" for c in components)


def test_pdf_has_the_templates_size_colours_logo_and_places(built: tuple[Expected, BuildResult]) -> None:
    expected, result = built
    titles = footers = numbers = 0
    for pdf in _pdfs(result):
        for number, page in enumerate(extract_pages(str(pdf), laparams=LAParams(char_margin=0.5)), 1):
            assert (page.width, page.height) == pytest.approx(expected.size, abs=0.01)
            height = page.height
            images = [item for item in _walk(page) if isinstance(item, LTImage)]
            chars = [item for item in _walk(page) if isinstance(item, LTChar)]
            rects = [item for item in _walk(page) if isinstance(item, LTRect)]
            section = any(ch.size >= 27 for ch in chars)  # a section page: its layout may hide the master's logo
            if not section or expected.template == A4:
                x, y, w, h = expected.logo
                assert any(abs(i.x0 - x) < 0.1 and abs((height - i.y1) - y) < 0.1 and abs(i.width - w) < 0.1
                           for i in images), (pdf.name, number)
            if expected.background:
                assert rects and _colour(rects[0].non_stroking_color) == expected.background
                assert (rects[0].width, rects[0].height) == pytest.approx(expected.size, abs=0.01)
            x, y, w, h = expected.title
            inside = [c for c in chars if x <= c.x0 and c.x1 <= x + w and y <= height - c.y1 and height - c.y0 <= y + h]
            big = [c for c in inside if c.size >= 14]
            if big and not section:
                titles += 1
                assert {_colour(c.graphicstate.ncolor) for c in big} == {expected.title_color}, (pdf.name, number)
            for (x, y, w, h), what in ((expected.footer, "第120回"), (expected.number, f"/")):
                row = squash("".join(c.get_text() for c in chars if y - 1 <= height - c.y1 and height - c.y0 <= y + h + 1
                                     and x - 60 <= c.x0 and c.x1 <= x + w + 60))
                assert what in row, (pdf.name, number, row)
            footers += 1
            numbers += 1
    assert titles > 20 and footers == numbers > 50


def _walk(item):  # type: ignore[no-untyped-def]
    yield item
    if hasattr(item, "__iter__"):
        for child in item:
            yield from _walk(child)


def test_openxml_audit_finds_no_error_in_a_deck_built_on_a_template(built: tuple[Expected, BuildResult]) -> None:
    from openxml_audit import validate_pptx

    _, result = built
    for deck in _decks(result):
        found = validate_pptx(deck)
        assert found.is_valid and not found.errors, (deck.name, [str(e) for e in found.errors[:5]])


def test_pdf_and_pptx_show_the_same_lines(built: tuple[Expected, BuildResult]) -> None:
    _, result = built
    compared = 0
    for deck in _decks(result):
        pages = pdf_chars(deck.with_suffix(".pdf"))
        for number, (chars, boxes) in enumerate(zip(pages, pptx_boxes(deck)), 1):
            for box in boxes:
                for row, line in enumerate(box.lines, 1):
                    if not line.strip():
                        continue
                    baseline = box.top + row * box.leading - BASELINE_DESCENT * box.size
                    found = sorted((c for c in chars if abs(c.baseline - baseline) < 1.0
                                    and box.left - 1 <= c.x0 and c.x1 <= box.left + box.width + 1), key=lambda c: c.x0)
                    assert squash("".join(c.text for c in found)) == squash(line), (deck.name, number, box.name)
                    compared += 1
    assert compared > 500


def test_libreoffice_shows_our_lines_and_the_templates_artwork_where_the_pdf_does(
        built: tuple[Expected, BuildResult], tmp_path: Path) -> None:
    """LibreOffice draws each of our lines on our baseline and inside our box (as for decks of our own), and
    the template's logo and text where our PDF draws them."""
    expected, result = built
    require_client("soffice")
    require_font()
    descent = load_face(require_ipaex() if expected.template == WIDE else
                        Path(__file__).resolve().parent.parent / "src/council_materials/fonts/BIZUDPGothic-Regular.ttf"
                        ).descent
    if expected.template == WIDE:
        require_font("IPAexGothic")
    compared = 0
    for deck in _decks(result):
        converted = soffice_to_pdf(deck, tmp_path)
        shown, ours = pdf_chars(converted), pdf_chars(deck.with_suffix(".pdf"))
        assert len(shown) == len(ours)
        for number, (chars, boxes) in enumerate(zip(shown, pptx_boxes(deck)), 1):
            for box in boxes:
                for row, line in enumerate(box.lines, 1):
                    if not line.strip():
                        continue
                    # LibreOffice sets a frame that shrinks on overflow 0.08 em lower (test_example_build); a title
                    # placeholder whose template placeholder does not shrink, as ours do not, it sets as the PDF does
                    baselines = [box.top + row * box.leading - below * box.size
                                 for below in {descent if box.autofit else BASELINE_DESCENT, BASELINE_DESCENT}]
                    found = sorted((c for c in chars if min(abs(c.baseline - b) for b in baselines) < 1.5
                                    and box.left - 1.5 <= c.x0 and c.x1 <= box.left + box.width + 1.5),
                                   key=lambda c: c.x0)
                    assert squash("".join(c.text for c in found)) == squash(line), (deck.name, number, box.name)
                    compared += 1
            x, y, w, h = expected.mark

            def in_mark(c) -> bool:  # type: ignore[no-untyped-def]
                return x - 1 <= c.x0 and c.x1 <= x + w + 1 and y <= c.baseline <= y + h
            mark = [c for c in ours[number - 1] if in_mark(c)]
            lo_mark = [c for c in chars if in_mark(c)]
            if mark:  # the template's own text: where LibreOffice draws it, within a point and a half
                assert squash("".join(c.text for c in mark)) == squash("".join(c.text for c in lo_mark)) == \
                    "東京都技術会議事務局"
                assert abs(min(c.x0 for c in mark) - min(c.x0 for c in lo_mark)) < 1.5
                assert abs(mark[0].baseline - lo_mark[0].baseline) < 1.5
        logos = [[(round(i.x0), round(i.y0)) for i in _walk(page) if isinstance(i, LTImage) and i.width < 80]
                 for page in extract_pages(str(converted))]
        mine = [[(round(i.x0), round(i.y0)) for i in _walk(page) if isinstance(i, LTImage) and i.width < 80]
                for page in extract_pages(str(deck.with_suffix(".pdf")))]
        assert logos == mine, deck.name
    assert compared > 500

"""What the PDF renderer relies on inside reportlab, held to reportlab's own behaviour.

reportlab is the one runtime dependency used through internals (no public API does what is needed:
see docs/architecture.md, "Hand-written pieces and exact pins"), so it is pinned exactly, and each
behaviour relied on is compared here with what reportlab's public API writes. An upgrade that changes
one fails here, naming it, instead of changing the PDFs silently.
"""
from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pikepdf
import pytest
from packaging.requirements import Requirement
from PIL import Image
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from council_materials.layout.primitives import Document, FontFaces, Line, Page, Paragraph, Rect, Run, TextBlock
from council_materials.render import pdf as pdf_renderer
from council_materials.render import pdf_fonts
from council_materials.render.pdf import render_pdf
from council_materials.render.pdf_images import draw_image

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "src" / "council_materials" / "fonts"
REGULAR, BOLD = FONT_DIR / "BIZUDPGothic-Regular.ttf", FONT_DIR / "BIZUDPGothic-Bold.ttf"
PINNED = {"reportlab"}
"""Runtime dependencies whose internals the code uses: each pinned with ``==`` (and only these)."""


def _name(requirement: str) -> str:
    return re.sub(r"[-_.]+", "-", requirement).lower()


def test_dependencies_used_through_internals_are_pinned_exactly_and_installed() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = {_name(r.name): r for r in map(Requirement, project["dependencies"])}
    exact = {name for name, r in requirements.items() if any(spec.operator == "==" for spec in r.specifier)}
    assert exact == PINNED, "pin exactly the dependencies used through internals, and only those"
    pairs = [line.split("==") for line in (ROOT / "requirements" / "constraints.txt").read_text("utf-8").splitlines()
             if "==" in line and not line.startswith("#")]
    constraints = {_name(name): version.strip() for name, version in pairs}
    for name in PINNED:
        (spec,) = requirements[name].specifier
        assert spec.version == constraints[name] == metadata.version(name), name


def _fonts() -> tuple[TTFont, TTFont]:
    regular = pdf_fonts.register_face("BIZ UDPGothic", "Regular", REGULAR, 0)
    bold = pdf_fonts.register_face("BIZ UDPGothic", "Bold", BOLD, 0)
    return pdfmetrics.getFont(regular), pdfmetrics.getFont(bold)


def _kanji(font: TTFont, count: int) -> str:
    """``count`` kanji the face has: more than 256 characters make a second subset."""
    return "".join(chr(code) for code in sorted(font.face.charToGlyph) if 0x4E00 <= code <= 0x9FFF)[:count]


def test_text_operators_are_what_reportlabs_text_object_writes(tmp_path: Path) -> None:
    """``pdf._draw_text_block`` writes, per run, what ``beginText``/``setFont``/``setTextOrigin``/``textOut``
    write (the subsets reportlab's font picks, their names, the escaping), leaving out only the text
    object's leading (``TL``) and its first, unused origin: the same glyphs at the same places."""
    regular, bold = _fonts()
    runs = [("資料R&D (x) \\ ）", False), (_kanji(regular, 300), False), ("太字 Bold", True), ("東京都", False),
            ("都", False)]
    height = 595.28
    placed = tuple(Run(text, is_bold, 10.0 + 7 * n, 1.0) for n, (text, is_bold) in enumerate(runs))
    line = Line(placed, 10.0, 100.0, 50.0)
    block = TextBlock(Rect(0, 0, 800, 200), (Paragraph((line,)),), 12.0, 14.0, "1F4E79", name="b")
    ours = Canvas(str(tmp_path / "ours.pdf"), invariant=1, initialFontName=regular.fontName)
    context = pdf_renderer._Context(height=height, page=1, regular=regular, bold=bold, subset_names={},
                                    tags=None)  # type: ignore[arg-type]  # no marks: no tagger needed
    pdf_renderer._draw_text_block(ours, block, context)
    theirs = Canvas(str(tmp_path / "theirs.pdf"), invariant=1, initialFontName=regular.fontName)
    text = theirs.beginText()
    text.setFillColorRGB(*pdf_renderer._rgb(block.color))
    current = None
    for run in line.runs:
        font = bold if run.bold else regular
        if font is not current:
            text.setFont(font.fontName, block.size)
            current = font
        text.setTextOrigin(run.x, height - line.baseline)
        text.textOut(run.text)
    theirs.drawText(text)
    expected = re.sub(r" \S+ TL", "", theirs.getCurrentPageContent()).replace("BT 1 0 0 1 0 0 Tm ", "BT ", 1)
    written = ours.getCurrentPageContent()
    assert written == expected
    assert len(re.findall(r"/F\d+\+\d+ 12 Tf", written)) >= 4  # two subsets of the regular face, the bold one


def _fonts_of(pdf: pikepdf.Pdf) -> dict[str, pikepdf.Dictionary]:
    return {str(font.BaseFont).split("+", 1)[1] + f"#{str(font.Name)}": font
            for font in pdf.pages[0].Resources.Font.values()}


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, int]:
    data = font.ToUnicode.read_bytes().decode("ascii")
    return {int(code, 16): int(char, 16) for code, char in re.findall(r"<([0-9A-F]{2})> <([0-9A-F]{4})>", data)}


def test_subset_fonts_are_reportlabs_but_for_their_names_and_unused_codes(tmp_path: Path) -> None:
    """``pdf_fonts._SubsetFont.addObjects`` is reportlab's ``TTFont.addObjects`` with two changes: a tag
    made from the subset's characters (reportlab's are AAAAAA, AAAAAB, … in every file) and a
    ``/ToUnicode`` without the codes that stand for no character. Everything else is equal."""
    regular, _ = _fonts()
    text = "資料 R&D " + _kanji(regular, 300)
    canvas = Canvas(str(tmp_path / "ours.pdf"), invariant=1, initialFontName=regular.fontName)
    canvas.setFont(regular.fontName, 12)
    canvas.drawString(10, 10, text)
    canvas.save()
    # reportlab maps a second font of the same face to the first one registered: draw with its own
    # TTFont in a process of its own
    code = ("import sys; from reportlab.pdfbase import pdfmetrics; from reportlab.pdfbase.ttfonts import TTFont; "
            "from reportlab.pdfgen.canvas import Canvas; "
            "pdfmetrics.registerFont(TTFont('plain', sys.argv[1], shapable=False)); "
            "c = Canvas(sys.argv[2], invariant=1, initialFontName='plain'); c.setFont('plain', 12); "
            "c.drawString(10, 10, sys.argv[3]); c.save()")
    subprocess.run([sys.executable, "-c", code, str(REGULAR), str(tmp_path / "theirs.pdf"), text], check=True)
    opened = [pikepdf.open(tmp_path / f"{name}.pdf") for name in ("ours", "theirs")]
    ours, theirs = map(_fonts_of, opened)
    assert ours.keys() == theirs.keys() and len(ours) == 2
    for key, font in ours.items():
        other = theirs[key]
        assert re.fullmatch(r"/[A-Z]{6}\+BIZUDPGothic-Regular", str(font.BaseFont))
        assert str(other.BaseFont).startswith("/AAAAA")
        assert set(font.keys()) == set(other.keys())
        for entry in ("/Type", "/Subtype", "/FirstChar", "/LastChar", "/Widths", "/Name"):
            assert font[entry] == other[entry], entry
        descriptor, their_descriptor = font.FontDescriptor, other.FontDescriptor
        assert set(descriptor.keys()) == set(their_descriptor.keys())
        for entry in descriptor.keys():
            if entry == "/FontName":
                assert str(descriptor.FontName) == str(font.BaseFont)
            elif entry == "/FontFile2":
                assert descriptor.FontFile2.read_bytes() == their_descriptor.FontFile2.read_bytes()
            else:
                assert descriptor[entry] == their_descriptor[entry], entry
        assert _to_unicode(font) == {code: char for code, char in _to_unicode(other).items() if char}
    assert 0 in _to_unicode(theirs["BIZUDPGothic-Regular#/F1+0"]).values()  # reportlab's codes 0-31 of subset 0


def test_a_font_around_a_cached_face_is_what_ttfont_init_makes() -> None:
    """``pdf_fonts._font`` builds the ``TTFont`` with ``__new__`` (``__init__`` would parse the file again):
    the same attributes, with the same values, as ``TTFont(name, path, shapable=False)``."""
    parsed = TTFont("same", str(REGULAR), shapable=False)
    built = pdf_fonts._font("same", parsed.face)
    assert type(built).__mro__[1] is TTFont
    mine, theirs = vars(built), vars(parsed)
    assert mine.keys() == theirs.keys()
    for attr, value in theirs.items():
        if attr == "encoding":
            assert type(mine[attr]) is type(value) and vars(mine[attr]) == vars(value)
        elif attr == "state":
            assert type(mine[attr]) is type(value) and not mine[attr] and not value
        else:
            assert mine[attr] == value, attr


def test_a_stored_picture_is_drawn_as_drawimage_draws_one(tmp_path: Path) -> None:
    """``pdf_images.draw_image`` places an image it stored itself with the operators ``Canvas.drawImage``
    writes, and the page says it shows images (``/ProcSet``) as reportlab's own pages do."""
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (64, 48), (30, 120, 60)).save(photo, quality=90)
    regular, _ = _fonts()
    contents = []
    for name in ("ours", "theirs"):
        canvas = Canvas(str(tmp_path / f"{name}.pdf"), invariant=1, initialFontName=regular.fontName)
        for x in (10, 120):
            if name == "ours":
                draw_image(canvas, photo, x, 20, 80, 60)
            else:
                canvas.drawImage(str(photo), x, 20, 80, 60)
        contents.append(re.sub(r"/FormXob\.\w+ Do", "/FormXob.NAME Do", canvas.getCurrentPageContent()))
        canvas.save()
    assert contents[0] == contents[1] and contents[0].count("/FormXob.NAME Do") == 2
    opened = [pikepdf.open(tmp_path / f"{name}.pdf") for name in ("ours", "theirs")]
    pages = [pdf.pages[0] for pdf in opened]
    assert pages[0].Resources.ProcSet == pages[1].Resources.ProcSet
    assert [len(page.Resources.XObject) for page in pages] == [1, 1]


def test_page_and_catalog_entries_reportlab_has_no_api_for_are_written(tmp_path: Path) -> None:
    """``pdf_catalog`` adds to reportlab's own objects: each page's ``/StructParents`` and ``/Tabs`` (keys
    its page class does not list), the structure tree and outline as objects numbered in advance, and
    XMP metadata naming reportlab's producer."""
    faces = FontFaces(family="BIZ UDPGothic", regular=REGULAR, bold=BOLD)
    title = TextBlock(Rect(40, 40, 400, 30), (Paragraph((Line((Run("表題", False, 40, 24),), 40, 64, 24),)),),
                      20.0, 24.0, "000000", name="title", role="title")
    pages = tuple(Page(841.89, 595.28, items=(title,), number=n) for n in (1, 2))
    path = tmp_path / "tagged.pdf"
    render_pdf(Document(title="題", pages=pages, fonts=faces, bookmarks=(("一", 0), ("二", 1))), path)
    with pikepdf.open(path) as pdf:
        assert [(int(page.obj.StructParents), str(page.obj.Tabs)) for page in pdf.pages] == [(0, "/S"), (1, "/S")]
        assert pdf.Root.StructTreeRoot.Type == pikepdf.Name.StructTreeRoot
        entry = pdf.Root.Outlines.First
        assert str(entry.Title) == "一" and entry.SE.S == pikepdf.Name.H1 and entry.Dest[0] == pdf.pages[0].obj
        producer = str(pdf.docinfo.Producer)
        assert producer.startswith("ReportLab") and producer in pdf.Root.Metadata.read_bytes().decode()


@pytest.mark.parametrize("module", ["pdf", "pdf_fonts", "pdf_images", "pdf_catalog"])
def test_private_uses_of_reportlab_are_the_ones_documented(module: str) -> None:
    """Each private name of reportlab the renderer touches is listed in docs/architecture.md's section on
    exact pins: a new one is a decision to document, not a line slipped in."""
    source = (ROOT / "src" / "council_materials" / "render" / f"{module}.py").read_text(encoding="utf-8")
    used = set(re.findall(r"canvas\.(_\w+)", source)) | set(re.findall(r"\b(__new__|__NoDefault__)\b", source))
    documented = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = documented.split("## Hand-written pieces and exact pins", 1)[-1].split("\n## ", 1)[0]
    assert all(f"`{name}`" in section or f"`canvas.{name}`" in section for name in used), used

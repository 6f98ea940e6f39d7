"""The PPTX as a deck PowerPoint users edit: theme, master and layouts, title placeholders, text that
wraps and shrinks, real bullets, groups, reading order, true metadata, and a validator's verdict.

Expectations come from the layout (the example laid out again, and small hand-built documents), never
from positions written down here.
"""
from __future__ import annotations

import re
from html import escape
import zipfile
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn

from council_materials.build import BuildResult
from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.layout.document import LaidOut, layout_bundle
from council_materials.layout.primitives import (
    FRAME_ROLES, Box, Document, FontFaces, Line, Page, Palette, Paragraph, Rect, Run, TextBlock,
)
from council_materials.loading import load_model
from council_materials.models import Meeting
from council_materials.plugins import get_plugin_manager
from council_materials.render.pptx import render_pptx
from council_materials.render.pptx_xml import SLACK

from conftest import EXAMPLE
from readback import pptx_boxes

FONT_DIR = Path(__file__).resolve().parents[1] / "src" / "council_materials" / "fonts"
FONTS = FontFaces("BIZ UDPGothic", FONT_DIR / "BIZUDPGothic-Regular.ttf", FONT_DIR / "BIZUDPGothic-Bold.ttf")
A4 = (841.89, 595.28)
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main"}


@pytest.fixture(scope="module")
def laid_out() -> LaidOut:
    bundle, registry = load_bundle(EXAMPLE, get_plugin_manager())
    return layout_bundle(bundle, registry=registry, fonts=resolve_fonts(bundle.meeting, EXAMPLE),
                         meeting_dir=EXAMPLE.resolve())


def _decks(laid_out: LaidOut, build: BuildResult) -> list[tuple[Document, Path]]:
    files = sorted(p for p in build.files if p.suffix == ".pptx")
    out = [(laid_out.cover, next(p for p in files if p.name.startswith("00_")))]
    for material, document in laid_out.materials:
        out.append((document, next(p for p in files if f"_{material.label}_" in p.name)))
    return out


def _text(block: TextBlock) -> str:
    return "".join(line.text for line in block.lines)


def _expected_title(page: Page) -> str:
    """The title placeholder holds the page's title, else its running header."""
    blocks = [item for item in page.items if isinstance(item, TextBlock)]
    for role in ("title", "header"):
        found = [block for block in blocks if block.role == role]
        if found:
            return _text(found[0])
    raise AssertionError(f"page {page.number} has neither title nor header")


# ---- the example's decks --------------------------------------------------------------------

def test_every_slide_has_its_title_in_the_title_placeholder(laid_out: LaidOut, example_build: BuildResult) -> None:
    untitled = 0
    for document, path in _decks(laid_out, example_build):
        deck = Presentation(str(path))
        assert len(deck.slides) == len(document.pages)
        for page, slide in zip(document.pages, deck.slides):
            titles = [shape for shape in slide.placeholders if shape.placeholder_format.type == 1]  # TITLE
            assert len(titles) == 1, f"{path.name} slide {page.number}"
            assert titles[0].text_frame.text.replace("\v", "") == _expected_title(page)
            assert slide.shapes[0] is not None and slide.shapes[0].shape_id == titles[0].shape_id  # read first
            untitled += not any(isinstance(i, TextBlock) and i.role == "title" for i in page.items)
    assert untitled == 2  # 資料2 p.2-3: their running header is their title


def test_the_frame_is_on_the_master_and_layouts_not_on_the_slides(laid_out: LaidOut,
                                                                  example_build: BuildResult) -> None:
    for document, path in _decks(laid_out, example_build):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            slides = [z.read(n).decode() for n in sorted(n for n in names if re.fullmatch(r"ppt/slides/slide\d+\.xml", n))]
            frame = z.read("ppt/slideMasters/slideMaster1.xml").decode() + "".join(
                z.read(n).decode() for n in names if re.fullmatch(r"ppt/slideLayouts/slideLayout\d+\.xml", n))
        assert [n for n in names if n.startswith("ppt/slideMasters/") and n.endswith(".xml")] == [
            "ppt/slideMasters/slideMaster1.xml"]
        pages = document.pages
        if path.name.startswith("00_"):
            assert "slidenum" not in frame
            continue
        label = document.title.split(" ")[0]
        assert f'<a:t>{label}</a:t>' in frame  # the stamp
        number = f'<a:t>{label}  </a:t></a:r><a:fld id="{{5B7F6E1A-3C2D-4E8F-9A0B-1C2D3E4F5A6B}}" type="slidenum">'
        assert number in frame and f"<a:t> / {len(pages)}</a:t>" in frame
        for page, xml in zip(pages, slides):
            assert "slidenum" not in xml and f">{label}<" not in xml
            for item in page.items:
                if isinstance(item, TextBlock) and item.role in FRAME_ROLES and item.role != "header":
                    assert item.lines[0].text not in xml.replace("&amp;", "&"), (path.name, page.number, item.role)


def test_layouts_have_names_and_the_running_header_when_it_is_one(laid_out: LaidOut,
                                                                    example_build: BuildResult) -> None:
    for document, path in _decks(laid_out, example_build):
        deck = Presentation(str(path))
        names = [layout.name for layout in deck.slide_layouts]
        assert len(names) == len(set(names)) >= 1
        headers = {_text(i) for p in document.pages for i in p.items if isinstance(i, TextBlock) and i.role == "header"}
        if path.name.startswith("00_"):
            assert names == ["表紙", "名簿"]
        elif "資料2" in path.name:
            assert names == ["セクション", "ヘッダーと本文", "タイトルと本文", "タイトル2行と本文"]
        else:
            assert "タイトルと本文" in names
        master = deck.slide_master._element.xml
        for layout in deck.slide_layouts:  # one header per deck: drawn by the master or layouts, never a slide
            drawn = {header for header in headers if header in layout._element.xml or header in master}
            shows = "ヘッダーと本文" != layout.name != "セクション" and len(headers) == 1
            assert drawn == (headers if shows else set()) or (not shows and header_in_master(master, headers))
        for slide in deck.slides:
            assert not any(header in slide._element.xml for header in headers if len(headers) == 1)


def header_in_master(master: str, headers: set[str]) -> bool:
    return any(header in master for header in headers)


def test_theme_has_the_meetings_colours_and_font(example_build: BuildResult) -> None:
    meeting = load_model(Meeting, EXAMPLE / "meeting.yaml")
    for path in sorted(p for p in example_build.files if p.suffix == ".pptx"):
        with zipfile.ZipFile(path) as z:
            theme = z.read("ppt/theme/theme1.xml").decode()
        scheme = dict(re.findall(r'<a:(\w+)><a:srgbClr val="(\w{6})"/>', theme))
        assert scheme["dk1"] == meeting.theme.text_color.upper()
        assert scheme["accent1"] == scheme["dk2"] == meeting.theme.accent.upper()
        assert scheme["accent2"] == scheme["lt2"] == meeting.theme.accent_light.upper()
        for kind in ("majorFont", "minorFont"):
            fonts = re.search(rf"<a:{kind}>(.*?)</a:{kind}>", theme).group(1)
            assert '<a:latin typeface="BIZ UDPGothic"/><a:ea typeface="BIZ UDPGothic"/>' in fonts


def test_every_text_frame_wraps_and_shrinks_and_bullets_are_bullets(laid_out: LaidOut,
                                                                    example_build: BuildResult) -> None:
    for document, path in _decks(laid_out, example_build):
        bullets = sum(1 for page in document.pages for block in page.text_blocks() for para in block.paragraphs
                      if para.bullet and para.lines[0].text.startswith(para.bullet))
        levels = sum(1 for page in document.pages for block in page.text_blocks() for para in block.paragraphs
                     if para.bullet and para.level)
        deck = Presentation(str(path))
        chars = lvl = 0
        for slide in deck.slides:
            for body in slide._element.iter(qn("p:txBody")):
                body_pr = body.find(qn("a:bodyPr"))
                assert body_pr.get("wrap") == "square" and body_pr.find(qn("a:normAutofit")) is not None
            for p in slide._element.iter(qn("a:p")):
                char = p.find("a:pPr/a:buChar", NS)
                if char is None:
                    continue
                chars += 1
                lvl += p.find("a:pPr", NS).get("lvl") is not None
                first = "".join(t.text or "" for t in p.findall("a:r/a:t", NS))
                assert not first.startswith(char.get("char")), first  # the marker is a bullet, not text
        assert (chars, lvl) == (bullets, levels), path.name


def test_groups_are_group_shapes_and_a_band_holds_its_heading(laid_out: LaidOut, example_build: BuildResult) -> None:
    document, path = next((d, p) for d, p in _decks(laid_out, example_build) if "資料1" in p.name)
    page = document.pages[1]
    deck = Presentation(str(path))
    groups = {shape.name: shape for shape in deck.slides[1].shapes if shape.shape_type == MSO_SHAPE_TYPE.GROUP}
    panels = sorted({item.group for item in page.items if item.group.startswith("panel")})
    for name in panels:
        items = [item for item in page.items if item.group == name]
        heading = next((i for i in items if isinstance(i, TextBlock) and i.role == "heading"), None)
        if heading is None:  # a box and its text: one shape, the text inside at insets
            (shape,) = [s for s in deck.slides[1].shapes if s.name == name]
            assert shape.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and shape.text_frame.text
            continue
        group = groups[name]
        band = next(s for s in group.shapes if s.text_frame.text.replace("\v", "") == _text(heading))
        assert band.shape_type == MSO_SHAPE_TYPE.AUTO_SHAPE and band.fill.type is not None
        body_pr = band.text_frame._txBody.find(qn("a:bodyPr"))
        assert (band.left + int(body_pr.get("lIns"))) == pytest.approx(round(heading.rect.x * 12700), abs=2)
        assert (band.top + int(body_pr.get("tIns"))) == pytest.approx(round(heading.rect.y * 12700), abs=2)
        outer = max((i for i in items if isinstance(i, Box)), key=lambda b: b.rect.w * b.rect.h)
        assert group.left == round(outer.rect.x * 12700) and group.width == round(outer.rect.w * 12700)


def test_shape_order_is_reading_order(laid_out: LaidOut, example_build: BuildResult) -> None:
    """Title first, then the layout's order; what is drawn early along the bottom (notes, a closing
    panel) last."""
    for document, path in _decks(laid_out, example_build):
        for number, boxes in enumerate(pptx_boxes(path), 1):
            page = document.pages[number - 1]
            own = [box for box in boxes if box.where == "slide"]
            assert own[0].name == next(b.name for b in page.items if isinstance(b, TextBlock)
                                       and _text(b) == _expected_title(page))
            tops = [box.top for box in own]
            bottom = [box for box in own if box.name in ("footer panel", "notes")]
            for box in bottom:  # read after everything above it
                assert own.index(box) > max(i for i, t in enumerate(tops) if t < box.top), (path.name, number)


def test_package_metadata_is_true(laid_out: LaidOut, example_build: BuildResult) -> None:
    for document, path in _decks(laid_out, example_build):
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            app, core = z.read("docProps/app.xml").decode(), z.read("docProps/core.xml").decode()
            presentation = z.read("ppt/presentation.xml").decode()
            slides = "".join(z.read(n).decode() for n in names if n.startswith("ppt/slides/slide"))
        assert not [n for n in names if "thumbnail" in n]
        assert "<Application>council-materials</Application>" in app
        assert f"<Slides>{len(document.pages)}</Slides>" in app
        assert "<PresentationFormat>A4 210 x 297 mm</PresentationFormat>" in app
        for page in document.pages:
            assert f"<vt:lpstr>{escape(_expected_title(page), quote=False)}</vt:lpstr>" in app
        assert re.search(r'<p:sldSz cx="\d+" cy="\d+" type="A4"/>', presentation)
        assert "<dc:language>ja-JP</dc:language>" in core
        assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2025-02-20T07:00:00Z</dcterms:created>" in core
        frames = re.findall(r"<p:graphicFrame>.*?</p:graphicFrame>", slides)
        for frame in frames:  # every table and chart says what it is
            assert re.search(r'<p:cNvPr id="\d+" name="[^"]*" descr="[^"]+"/>', frame), frame[:200]
        pictures = re.findall(r"<p:pic>.*?</p:pic>", slides)
        assert all(' descr="' in picture for picture in pictures)
    assert sum(1 for _, p in _decks(laid_out, example_build) for _ in [0]) == 8


# ---- small documents: the rules one by one ------------------------------------------------

def _block(rect: Rect, lines: list[str], *, role: str = "text", name: str = "", group: str = "",
           bullet: str = "", level: int = 0, indents: tuple[float, float] = (0.0, 0.0), size: float = 12.0,
           color: str = "1A1A1A", fields: tuple = ()) -> TextBlock:
    leading = size * 1.3
    out = tuple(Line((Run(text, False, rect.x, 0.0),), rect.x, rect.y + (n + 1) * leading - 0.2 * size, 0.0)
                for n, text in enumerate(lines))
    para = Paragraph(out, indents[0], indents[1], bullet, level)
    return TextBlock(rect, (para,), size, leading, color, name=name, role=role, group=group,  # type: ignore[arg-type]
                     fields=fields)


def _render(tmp_path: Path, pages: list[tuple[Page, ...]] | list[Page], size: tuple[float, float] = A4,
            name: str = "d") -> Path:
    path = tmp_path / f"{name}.pptx"
    render_pptx(Document("資料9 試験", tuple(pages), FONTS, author="事務局", created="2025-02-20T16:00:00+09:00",
                         palette=Palette("112233", "DDEEFF", "1A1A1A")), path)  # type: ignore[arg-type]
    return path


def _frame(label: str, number: int, total: int, header: str | None) -> list:
    items: list = [Box(Rect(760, 14, 50, 22), fill="FFFFFF", stroke="000000", name="stamp", role="stamp", group="stamp"),
                   _block(Rect(768, 17, 34, 15.6), [label], role="stamp", name="stamp", group="stamp")]
    if header:
        items.append(_block(Rect(28, 19, 700, 11.7), [header], role="header", name="header", size=9))
    text = f"{label}  {number} / {total}"
    start = len(f"{label}  ")
    items.append(_block(Rect(420, 571, 392, 11.7), [text], role="page_number", name="page number", size=9,
                        fields=((start, start + len(str(number)), "page"),)))
    return items


def test_page_number_is_a_field_and_the_header_goes_where_it_is_the_same(tmp_path: Path) -> None:
    pages = []
    for n, header in enumerate(["部会A", "部会A", "部会B"], 1):
        items = _frame("資料9", n, 3, header) + [_block(Rect(28, 42, 700, 23.4), [f"題{n}"], role="title",
                                                        name="title", size=18)]
        pages.append(Page(*A4, items=tuple(items), number=n, kind="bullets"))
    path = _render(tmp_path, pages)
    boxes = pptx_boxes(path)
    for n, slide in enumerate(boxes, 1):
        numbers = [box for box in slide if box.name == "page number"]
        assert [(box.where, box.lines) for box in numbers] == [("master", (f"資料9  {n} / 3",))]
        headers = [box for box in slide if box.name == "header"]
        assert [box.where for box in headers] == ["slide"]  # two different headers: each slide has its own
    with zipfile.ZipFile(path) as z:
        master = z.read("ppt/slideMasters/slideMaster1.xml").decode()
    assert 'type="slidenum"><a:rPr' in master and "<a:t>‹#›</a:t>" in master
    same = [Page(*A4, items=tuple(_frame("資料9", n, 2, "部会A") + [_block(Rect(28, 42, 700, 23.4), ["題"],
                                                                            role="title", name="title", size=18)]),
                 number=n) for n in (1, 2)]
    assert {box.where for slide in pptx_boxes(_render(tmp_path, same, name="same")) for box in slide
            if box.name == "header"} == {"master"}  # one header on every page: drawn once


def test_a_page_without_title_or_header_gets_the_document_title_above_it(tmp_path: Path) -> None:
    page = Page(*A4, items=(_block(Rect(60, 60, 300, 15.6), ["本文"], name="body"),), number=1)
    deck = Presentation(str(_render(tmp_path, [page])))
    (title,) = [shape for shape in deck.slides[0].placeholders]
    assert title.text_frame.text == "資料9 試験" and title.top + title.height <= 0


def test_bullets_hang_at_the_layouts_indents_with_levels(tmp_path: Path) -> None:
    first = _block(Rect(60, 60, 300, 31.2), ["・一行目の項目", "続きの行"], bullet="・", indents=(0, 6), name="a")
    second = _block(Rect(60, 100, 300, 15.6), ["‐下位の項目"], bullet="‐", level=1, indents=(12, 17.76), name="b")
    deck = Presentation(str(_render(tmp_path, [Page(*A4, items=(first, second), number=1)])))
    shapes = {shape.name: shape for shape in deck.slides[0].shapes}
    for name, block, level in (("a", first, None), ("b", second, "1")):
        p = shapes[name].text_frame.paragraphs[0]._p
        ppr = p.find(qn("a:pPr"))
        assert ppr.find(qn("a:buChar")).get("char") == block.paragraphs[0].bullet
        assert ppr.find(qn("a:buFont")).get("typeface") == "BIZ UDPGothic"
        para = block.paragraphs[0]
        assert (int(ppr.get("marL")), int(ppr.get("indent"))) == (round(para.indent_rest * 12700),
                                                                  round((para.indent_first - para.indent_rest) * 12700))
        assert ppr.get("lvl") == level
        lines = shapes[name].text_frame.paragraphs[0].text.split("\v")
        assert lines == [para.lines[0].text[len(para.bullet):], *[line.text for line in para.lines[1:]]]


def test_text_in_a_box_is_the_boxs_text_unless_something_between_covers_it(tmp_path: Path) -> None:
    panel = Box(Rect(40, 40, 300, 200), fill="F2F2F2", name="panel", group="p")
    text = _block(Rect(48, 48, 284, 31.2), ["中の文", "二行目"], name="inside", group="p")
    cover = Box(Rect(100, 300, 200, 100), fill="FFFFFF", name="cover", group="q")
    lid = Box(Rect(100, 300, 50, 50), fill="C00000", name="lid", group="q")
    under = _block(Rect(110, 310, 100, 15.6), ["覆われる"], name="under", group="q")
    deck = Presentation(str(_render(tmp_path, [Page(*A4, items=(panel, text, cover, lid, under), number=1)])))
    shapes = {shape.name: shape for shape in deck.slides[0].shapes}
    merged = shapes["panel"]
    assert merged.text_frame.text == "中の文\v二行目" and "inside" not in shapes
    body_pr = merged.text_frame._txBody.find(qn("a:bodyPr"))
    insets = [int(body_pr.get(k)) / 12700 for k in ("lIns", "tIns", "rIns", "bIns")]
    assert insets == pytest.approx([8, 8, 8 - SLACK, 200 - 8 - 31.2 - SLACK], abs=0.01)
    group = shapes["q"]
    assert group.shape_type == MSO_SHAPE_TYPE.GROUP
    assert [s.name for s in group.shapes] == ["cover", "lid", "under"]  # the red lid lies over the text: apart


def test_sixteen_by_nine_has_no_type_and_portrait_a4_is_a4(tmp_path: Path) -> None:
    for size, kind, fmt in (((960.0, 540.0), None, "ワイド画面"), ((595.28, 841.89), "A4", "A4 210 x 297 mm")):
        page = Page(*size, items=(_block(Rect(60, 60, 300, 23.4), ["題"], role="title", name="title", size=18),),
                    number=1)
        path = _render(tmp_path, [page], size, name=f"s{size[0]:.0f}")
        with zipfile.ZipFile(path) as z:
            presentation, app = z.read("ppt/presentation.xml").decode(), z.read("docProps/app.xml").decode()
        found = re.search(r"<p:sldSz ([^/]*)/>", presentation).group(1)
        assert (re.search(r'type="(\w+)"', found).group(1) if "type" in found else None) == kind
        assert f"<PresentationFormat>{fmt}</PresentationFormat>" in app


# ---- a validator's verdict ---------------------------------------------------------------------

def test_openxml_audit_finds_no_error_in_any_pptx_of_the_example(example_build: BuildResult) -> None:
    from openxml_audit import validate_pptx

    decks = sorted(p for p in example_build.files if p.suffix == ".pptx")
    assert len(decks) == 8
    for deck in decks:
        result = validate_pptx(deck)
        assert result.is_valid and not result.errors, (deck.name, [str(e) for e in result.errors[:5]])


def test_openxml_audit_catches_a_broken_deck(example_build: BuildResult, tmp_path: Path) -> None:
    """The same deck with one element out of the schema's order (a run's font before its fill) and one
    relationship pointing nowhere: the validator must say so, or its silence above means nothing."""
    from openxml_audit import validate_pptx

    deck = next(p for p in sorted(example_build.files) if p.suffix == ".pptx" and "資料4" in p.name)
    broken = tmp_path / "broken.pptx"
    with zipfile.ZipFile(deck) as source, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "ppt/slides/slide1.xml":
                data = re.sub(rb"(<a:solidFill>.*?</a:solidFill>)(<a:latin [^>]*/>)", rb"\2\1", data, count=1)
            target.writestr(info, data)
    result = validate_pptx(broken)
    assert not result.is_valid and result.errors
    assert any("slide1.xml" in str(error) for error in result.errors), [str(e) for e in result.errors[:5]]

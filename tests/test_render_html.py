"""The HTML/SVG renderer: pages built by hand and the example's pages, drawn and read back as XML."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from council_materials.pipeline import read_inputs
from council_materials.layout.document import layout_bundle
from council_materials.layout.primitives import (
    Arrow, Box, Chart, ChartStyle, Line, NumberFormat, Page, Paragraph, Picture, Polyline, Rect, Rule, Run, Stroke,
    Table, TableCell, TextBlock, Wedge,
)
from council_materials.plugins import get_plugin_manager
from council_materials.render.html import FAMILY, font_faces_css, render_page

from conftest import EXAMPLE

NS = {"s": "http://www.w3.org/2000/svg"}
LITERAL = "R&D <b>x</b> ]]>"


def _draw(*items, picture_url=lambda path: f"/pictures/{Path(path).name}") -> etree._Element:  # type: ignore[no-untyped-def]
    return etree.fromstring(render_page(Page(841.89, 595.28, tuple(items), number=4), picture_url).encode())


def _block(rect: Rect = Rect(10, 20, 300, 40)) -> TextBlock:
    first = Line((Run("会議", False, 10, 24), Run(LITERAL, True, 34, 80.5)), 10, 32.4, 104.5)
    second = Line((Run("次第", False, 22, 24),), 22, 48.0, 24)
    return TextBlock(rect, (Paragraph((first, second)),), size=12, leading=15.6, color="1F4E79", name="body")


def test_the_page_is_an_svg_at_its_size_in_points_drawn_in_the_builds_family() -> None:
    svg = _draw()
    assert (svg.get("width"), svg.get("height"), svg.get("viewBox")) == ("841.89pt", "595.28pt", "0 0 841.89 595.28")
    assert f"font-family:'{FAMILY}'" in svg.get("style")
    style = svg.find("s:style", NS).text
    assert "white-space:pre" in style and "font-kerning:none" in style and "'palt' 0" in style
    css = font_faces_css("/fonts/regular?v=1", "/fonts/bold?v=1")
    assert re.findall(r"url\('([^']+)'\) format\('truetype'\);font-weight:(\d+)", css) == \
        [("/fonts/regular?v=1", "400"), ("/fonts/bold?v=1", "700")]


def test_each_run_is_placed_at_its_own_x_on_its_lines_baseline_and_text_is_never_markup() -> None:
    texts = _draw(_block()).findall("s:text", NS)
    assert [(t.get("fill"), t.get("font-size")) for t in texts] == [("#1F4E79", "12"), ("#1F4E79", "12")]
    runs = [[(s.get("x"), s.get("y"), s.get("font-weight"), s.text) for s in t.findall("s:tspan", NS)] for t in texts]
    assert runs == [[("10", "32.4", None, "会議"), ("34", "32.4", "700", LITERAL)], [("22", "48", None, "次第")]]


def test_boxes_rules_and_arrows_are_drawn_as_the_pdf_draws_them() -> None:
    svg = _draw(Box(Rect(1, 2, 30, 40), fill="FFFFFF", stroke="000000", stroke_width=1.5, radius=6),
                Box(Rect(0, 0, 5, 5)),  # neither fill nor stroke: nothing
                Rule(0, 10, 100, 10, color="A6A6A6", width=0.5), Rule(0, 0, 1, 1, width=0),
                Arrow(Rect(100, 100, 40, 20)), Arrow(Rect(200, 100, 20, 40), direction="down", fill="C00000"))
    rects = svg.findall("s:rect", NS)[1:]  # after the white sheet
    assert [dict(r.attrib) for r in rects] == [{"x": "1", "y": "2", "width": "30", "height": "40", "rx": "6",
                                                "fill": "#FFFFFF", "stroke": "#000000", "stroke-width": "1.5"}]
    assert [dict(line.attrib) for line in svg.findall("s:line", NS)] == [
        {"x1": "0", "y1": "10", "x2": "100", "y2": "10", "stroke": "#A6A6A6", "stroke-width": "0.5"}]
    right, down = (p.get("points") for p in svg.findall("s:polygon", NS))
    assert right == "100,105 130,105 130,100 140,110 130,120 130,115 100,115"
    assert down == "205,100 205,130 200,130 210,140 220,130 215,130 215,100"
    with pytest.raises(ValueError, match="page 4: arrow 'a': unknown direction 'up'"):
        _draw(Arrow(Rect(0, 0, 1, 1), direction="up", name="a"))  # type: ignore[arg-type]


def test_a_picture_is_the_file_the_layout_chose_and_a_crop_clips_it(tmp_path: Path) -> None:
    asked: list[Path] = []

    def url(path: Path) -> str:
        asked.append(path)
        return f"/cache/{path.name}?v=1&w=2"
    svg = _draw(Picture(tmp_path / "a.png", Rect(10, 20, 100, 50), alt="説明 <a>"),
                Picture(tmp_path / "b.png", Rect(10, 100, 100, 50), crop=(0.1, 0.2, 0.1, 0.2)), picture_url=url)
    assert asked == [tmp_path / "a.png", tmp_path / "b.png"]
    whole = svg.find("s:image", NS)
    assert (whole.get("x"), whole.get("y"), whole.get("width"), whole.get("height")) == ("10", "20", "100", "50")
    assert whole.get("href") == "/cache/a.png?v=1&w=2" and whole.get("aria-label") == "説明 <a>"
    assert whole.get("preserveAspectRatio") == "none"
    clip = svg.find("s:svg", NS)
    assert (clip.get("x"), clip.get("y"), clip.get("width"), clip.get("height"), clip.get("overflow")) == \
        ("10", "100", "100", "50", "hidden")
    inner = clip.find("s:image", NS)  # the whole picture, scaled so the kept 80 % × 60 % fills the rect
    assert [float(inner.get(k)) for k in ("x", "y", "width", "height")] == pytest.approx([-12.5, -16.667, 125,
                                                                                           83.333], abs=0.001)


def test_slices_go_clockwise_from_twelve_and_a_doughnut_keeps_its_hole() -> None:
    white = Stroke("FFFFFF", 0.75)
    svg = _draw(Wedge(100, 100, 50, 0, 0, 90, "FF0000", white), Wedge(100, 100, 50, 20, 90, 270, "00FF00", white),
                Wedge(300, 100, 50, 25, 0, 360, "0000FF", None),
                Polyline(((0, 0), (10, 5), (20, 0)), "123456", width=2))
    quarter, big, ring = (p.get("d") for p in svg.findall("s:path", NS))
    assert quarter == "M100,100L100,50A50,50 0 0 1 150,100Z"  # 12 o'clock to 3 o'clock
    assert big.startswith("M150,100A50,50 0 1 1 100,50L100,80A20,20 0 1 0 120,100Z")
    assert ring.count("M") == 2 and svg.findall("s:path", NS)[2].get("fill-rule") == "evenodd"
    assert "stroke" not in svg.findall("s:path", NS)[2].attrib
    assert (svg.findall("s:path", NS)[0].get("stroke"), svg.findall("s:path", NS)[0].get("stroke-width")) == \
        ("#FFFFFF", "0.75")
    line = svg.find("s:polyline", NS)
    assert (line.get("points"), line.get("fill"), line.get("stroke"), line.get("stroke-linejoin")) == \
        ("0,0 10,5 20,0", "none", "#123456", "round")


def test_a_table_is_fills_then_its_grid_then_its_text_and_a_chart_marks_then_labels() -> None:
    cell = TableCell(0, 0, 1, 2, Rect(0, 0, 200, 20), "1F4E79", _block(Rect(3, 3, 194, 14)), header=True)
    table = Table(Rect(0, 0, 200, 40), (100, 100), (20, 20), (cell, TableCell(1, 0, 1, 1, Rect(0, 20, 100, 20), None,
                                                                              None)))
    style = ChartStyle(text_color="000000", label_size=9, grid=Stroke("D9D9D9", 0.5), axis=Stroke("808080", 0.75),
                       line_width=2, marker=6, slice_outline=Stroke("FFFFFF", 0.75), gap=80, hole=50, start_angle=0,
                       label_position="outside end", legend_position="bottom")
    chart = Chart(Rect(0, 0, 100, 100), "bar", False, ("a",), (), Rect(0, 0, 100, 100), NumberFormat(0, "", False),
                  style, (Box(Rect(10, 10, 10, 50), fill="FF0000"),), (_block(),), (), None, (), None, alt="売上")
    svg = _draw(table, chart)
    order = [(el.tag.split("}")[1], el.get("fill")) for el in svg if el.tag.split("}")[1] != "style"][1:]
    assert order == [("rect", "#1F4E79"), ("g", "none"), ("text", "#1F4E79"), ("text", "#1F4E79"), ("g", None)]
    grid = svg.findall("s:g", NS)[0]
    assert [r.get("width") for r in grid] == ["200", "100"] and grid.get("stroke") == "#7F7F7F"
    drawn = svg.findall("s:g", NS)[1]
    assert drawn.get("aria-label") == "売上" and [c.tag.split("}")[1] for c in drawn] == ["rect", "text", "text"]


@pytest.mark.parametrize("colour", ["red", "1F4E7", "#1F4E79", "1F4E7G"])
def test_a_colour_must_be_six_hex_digits(colour: str) -> None:
    with pytest.raises(ValueError, match="page 4: colour must be six hex digits"):
        _draw(Box(Rect(0, 0, 1, 1), fill=colour))


def test_an_unknown_primitive_is_refused() -> None:
    with pytest.raises(TypeError, match="page 4: the HTML renderer cannot draw str"):
        _draw("not a primitive")


def test_every_page_of_the_example_is_well_formed_with_every_line_and_picture() -> None:
    pm = get_plugin_manager()
    inputs, errors = read_inputs(EXAMPLE, pm)
    assert errors == [] and inputs is not None
    laid = layout_bundle(inputs.bundle, registry=inputs.registry, fonts=inputs.fonts, meeting_dir=inputs.meeting_dir)
    pictures: list[Path] = []
    for page in laid.combined.pages:
        svg = etree.fromstring(render_page(page, lambda path: pictures.append(path) or "/p").encode())
        lines = [line for block in page.text_blocks() for line in block.lines if any(run.text for run in line.runs)]
        texts = svg.findall(".//s:text", NS)
        assert ["".join(t.itertext()) for t in texts] == [line.text for line in lines]
        assert [float(t.find("s:tspan", NS).get("y")) for t in texts] == \
            pytest.approx([line.baseline for line in lines], abs=0.0006)
    expected = [item.path for page in laid.combined.pages for item in page.items if isinstance(item, Picture)]
    assert pictures == expected and len(expected) > 20 and all(path.is_file() for path in pictures)


def _document(tmp_path: Path):  # type: ignore[no-untyped-def]
    from PIL import Image

    from council_materials.layout.primitives import Document, FontFaces

    fonts_dir = Path(__file__).resolve().parents[1] / "src" / "council_materials" / "fonts"
    faces = FontFaces("BIZ UDPGothic", fonts_dir / "BIZUDPGothic-Regular.ttf", fonts_dir / "BIZUDPGothic-Bold.ttf")
    Image.new("RGB", (8, 6), "green").save(tmp_path / "pic.png")
    pages = (Page(841.89, 595.28, (_block(), Picture(tmp_path / "pic.png", Rect(400, 100, 80, 60), alt="緑")),
                  number=1),
             Page(841.89, 595.28, (_block(Rect(50, 50, 300, 40)),), number=2))
    return Document("資料1 テスト", pages, faces, author="東京都技術会議", subject="第1回",
                    bookmarks=(("資料1 テスト", 0), ("続き <&>", 1)))


def test_a_document_as_one_self_contained_html_file(tmp_path: Path) -> None:
    import base64
    import io

    from fontTools.ttLib import TTFont
    from lxml import html as lxml_html

    from council_materials.render.html_file import render_html

    document = _document(tmp_path)
    render_html(document, tmp_path / "a.html")
    render_html(document, tmp_path / "b.html")
    data = (tmp_path / "a.html").read_bytes()
    assert data == (tmp_path / "b.html").read_bytes()  # the same document, the same bytes
    tree = lxml_html.fromstring(data)
    assert tree.findtext(".//title") == "資料1 テスト" and tree.get("lang") == "ja"
    assert [a.text for a in tree.findall(".//nav//a")] == ["資料1 テスト", "続き <&>"]
    assert [s.get("id") for s in tree.findall(".//section")] == ["page-1", "page-2"]
    assert "@page{size:841.89pt 595.28pt;margin:0}" in data.decode()
    image = tree.find(".//image")
    assert image.get("href") == "data:image/png;base64," + base64.b64encode((tmp_path / "pic.png").read_bytes()).decode()
    fetched = data.replace(b'xmlns="http://www.w3.org/2000/svg"', b"")
    assert b"http:" not in fetched and b"https:" not in fetched and b"url('/" not in data  # nothing from elsewhere
    faces = [base64.b64decode(url) for url in re.findall(r"url\('data:font/ttf;base64,([A-Za-z0-9+/=]+)'\)", data.decode())]
    assert len(faces) == 2
    printed = {ch for ch in "会議次第" + LITERAL if not ch.isspace()}
    for face, original in zip(faces, (document.fonts.regular, document.fonts.bold)):
        small, full = TTFont(io.BytesIO(face)), TTFont(original)
        cmap, full_cmap = small.getBestCmap(), full.getBestCmap()
        assert printed <= {chr(c) for c in cmap} and len(cmap) < 40  # only what the document prints
        for ch in printed:  # the same advance widths as the face the layout measured
            assert small["hmtx"][cmap[ord(ch)]][0] == full["hmtx"][full_cmap[ord(ch)]][0]
        assert len(face) < 60_000


def test_a_missing_picture_file_is_an_error_and_nothing_is_written(tmp_path: Path) -> None:
    from council_materials.render.html_file import render_html

    document = _document(tmp_path)
    (tmp_path / "pic.png").unlink()
    with pytest.raises(FileNotFoundError, match="pic.png"):
        render_html(document, tmp_path / "out.html")
    assert list(tmp_path.iterdir()) == []


def test_a_picture_named_without_a_suffix_is_embedded_by_its_content(tmp_path: Path) -> None:
    """The layout takes a PNG or JPEG whatever its name; the HTML file tells its type from its bytes too
    (it used to refuse ``path: pic`` as "not a PNG or JPEG file")."""
    import base64

    from PIL import Image

    from council_materials.build import build

    from meetings import write_meeting

    plan = "slides:\n  - kind: image\n    title: 写真\n    photos:\n      - {path: pic, caption: 拡張子なし}\n"
    root = write_meeting(tmp_path, plan=plan)
    Image.new("RGB", (60, 40), (200, 120, 40)).save(root / "pic", format="PNG")
    result = build(root, tmp_path / "out", get_plugin_manager(load_entrypoints=False), ["html"])
    html = next(path for path in result.files if path.name.startswith("01_")).read_text(encoding="utf-8")
    assert f"data:image/png;base64,{base64.b64encode((root / 'pic').read_bytes()).decode()}" in html


def test_a_subset_face_is_the_same_bytes_whenever_it_is_made(tmp_path: Path, monkeypatch) -> None:
    """The subset keeps the face's own ``head.modified`` instead of the time it was made (fontTools sets it
    to now on saving unless told not to), so an HTML file is the same whatever the cache holds."""
    from fontTools.ttLib import TTFont

    from council_materials.render.html_file import subset_font
    from council_materials.typography.fonts import BUNDLED_FONTS

    regular = BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf"
    made = []
    for when in ("1000000000", "2000000000"):
        monkeypatch.setenv("COUNCIL_MATERIALS_CACHE", str(tmp_path / when))  # nothing kept: made anew
        monkeypatch.setenv("SOURCE_DATE_EPOCH", when)  # fontTools' "now"
        made.append(subset_font(regular, 0, "会議次第"))
    assert made[0] == made[1]
    import io
    assert TTFont(io.BytesIO(made[0]))["head"].modified == TTFont(regular)["head"].modified

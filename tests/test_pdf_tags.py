"""The tagged PDF's parts, on Documents built by hand: what each role becomes, lists, tables, figures,
artifacts, bookmarks, subset names and how the joiner keeps the structure (render/pdf_tags.py,
render/pdf.py, render/pdf_fonts.py, render/pdf_join.py)."""
from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from council_materials.layout.charts import chart
from council_materials.layout.context import LayoutContext
from council_materials.layout.primitives import (Box, Document, FontFaces, Line, Page, Paragraph, Picture, Rect, Rule,
                                                 Run, Table, TableCell, TextBlock)
from council_materials.models import ChartData, Theme
from council_materials.render.pdf import render_pdf
from council_materials.render.pdf_fonts import subset_tag, to_unicode_cmap
from council_materials.render.pdf_join import UnsupportedPDF, join_pdfs
from council_materials.render.pdf_tags import chart_alt
from council_materials.typography.linebreak import LineBreaker

from tagged import content_problems, elements

ROOT = Path(__file__).resolve().parents[1]
FONT_DIR = ROOT / "src" / "council_materials" / "fonts"
FONTS = FontFaces(family="BIZ UDPGothic", regular=FONT_DIR / "BIZUDPGothic-Regular.ttf",
                  bold=FONT_DIR / "BIZUDPGothic-Bold.ttf")
SIZE = 10.5


def _para(texts: list[str], y: float, bullet: str = "", level: int = 0) -> Paragraph:
    lines = []
    for n, text in enumerate(texts):
        lines.append(Line((Run(text, False, 40.0, SIZE * len(text)),), 40.0, y + n * 14, SIZE * len(text)))
    return Paragraph(tuple(lines), 0.0, 10.0 if bullet else 0.0, bullet, level)


def _block(*paras: Paragraph, role: str = "text", group: str = "", y: float = 100) -> TextBlock:
    return TextBlock(Rect(40, y - 12, 500, 14 * sum(len(p.lines) for p in paras)), paras, SIZE, 14, "000000",
                     role=role, group=group)  # type: ignore[arg-type]


def _render(tmp_path: Path, *items, name: str = "t.pdf", title: str = "資料9 テスト",  # type: ignore[no-untyped-def]
            bookmarks: tuple[tuple[str, int], ...] = ()) -> Path:
    out = tmp_path / name
    pages = (Page(841.89, 595.28, tuple(items)),)
    render_pdf(Document(title=title, pages=pages, fonts=FONTS, bookmarks=bookmarks), out)
    return out


def _tree(pdf: Path) -> list:
    """The structure below the file's Sect as nested [type, kids…] lists (MCIDs as ints)."""
    def shape(element):  # type: ignore[no-untyped-def]
        kids = element.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]
        return [str(element.S)[1:]] + [shape(k) if isinstance(k, pikepdf.Dictionary) else int(k) for k in kids]
    with pikepdf.open(pdf) as opened:
        (section,) = [opened.Root.StructTreeRoot.K.K]
        assert section.S == "/Sect"
        return shape(section)[1:]


def test_roles_become_headings_paragraphs_captions_and_artifacts(tmp_path: Path) -> None:
    pdf = _render(tmp_path,
                  _block(_para(["資料9"], 30), role="stamp", y=30),
                  _block(_para(["見出し"], 60), role="title", y=60),
                  Rule(28, 70, 800, 70, role="title_rule"),
                  _block(_para(["小見出し"], 90), role="heading", y=90),
                  _block(_para(["一段落目"], 120), _para(["二段落目", "続き"], 134), y=120),
                  _block(_para(["図の説明"], 170), role="caption", y=170),
                  _block(_para(["注：メモ"], 200), role="note", y=200),
                  _block(_para(["ドラフト"], 30), role="draft", y=30),
                  _block(_para(["第120回"], 580), role="footer", y=580))
    assert _tree(pdf) == [["H1", 0], ["H2", 1], ["P", 2], ["P", 3], ["Caption", 4], ["P", 5]]
    with pikepdf.open(pdf) as opened:
        assert content_problems(opened) == []
        operators = [(str(op), list(args)) for args, op in pikepdf.parse_content_stream(opened.pages[0])
                     if str(op) == "BDC"]
    artifacts = [args[1] for op, args in operators if args[0] == "/Artifact"]
    assert artifacts[0] == pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name.Header)
    assert artifacts[1] == pikepdf.Dictionary(Type=pikepdf.Name.Layout)  # the rule under the title
    assert artifacts[-2] == pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name.Watermark)
    assert artifacts[-1] == pikepdf.Dictionary(Type=pikepdf.Name.Pagination, Subtype=pikepdf.Name.Footer)


def test_bullets_become_nested_lists_with_their_marker_as_label(tmp_path: Path) -> None:
    block = _block(_para(["・親一"], 100, "・"), _para(["‐子一", "続き"], 114, "‐", 1), _para(["‐子二"], 142, "‐", 1),
                   _para(["・親二"], 156, "・"), _para(["段落"], 170))
    pdf = _render(tmp_path, block)
    assert _tree(pdf) == [
        ["L",
         ["LI", ["Lbl", 0], ["LBody", 1, ["L", ["LI", ["Lbl", 2], ["LBody", 3]], ["LI", ["Lbl", 4], ["LBody", 5]]]]],
         ["LI", ["Lbl", 6], ["LBody", 7]]],
        ["P", 8]]
    with pikepdf.open(pdf) as opened:
        assert content_problems(opened) == []
        shown = [(str(op), args) for args, op in pikepdf.parse_content_stream(opened.pages[0])
                 if str(op) in ("Tj", "BDC", "EMC")]
    # the marker and the rest of the first line are one run, cut in two where the label ends
    tags = [str(args[0]) if op == "BDC" else op for op, args in shown if op != "Tj"]
    assert tags[:4] == ["/Lbl", "EMC", "/LBody", "EMC"]


def test_a_group_is_read_whole_as_one_div(tmp_path: Path) -> None:
    pdf = _render(tmp_path,
                  Box(Rect(30, 80, 200, 100), fill="DDEBF7", group="card 1"),
                  _block(_para(["実施："], 100), group="card 1"), _block(_para(["15"], 120), group="card 1", y=120),
                  Box(Rect(250, 80, 200, 100), fill="DDEBF7", group="card 2"),
                  _block(_para(["受入："], 100), group="card 2"), _block(_para(["45"], 120), group="card 2", y=120),
                  _block(_para(["ひとつ"], 300), group="band", y=300))
    assert _tree(pdf) == [["Div", ["P", 0], ["P", 1]], ["Div", ["P", 2], ["P", 3]], ["P", 4]]


def test_a_table_has_rows_header_cells_with_a_scope_and_spans(tmp_path: Path) -> None:
    def cell(row: int, col: int, text: str, header: bool = False, rowspan: int = 1, colspan: int = 1) -> TableCell:
        rect = Rect(50 + 100 * col, 100 + 20 * row, 100 * colspan, 20 * rowspan)
        return TableCell(row, col, rowspan, colspan, rect, None, _block(_para([text], rect.y + 14), y=rect.y + 14),
                         header)
    table = Table(Rect(50, 100, 300, 60), (100, 100, 100), (20, 20, 20), (
        cell(0, 0, "項目", True), cell(0, 1, "値", True, colspan=2),
        cell(1, 0, "規模", True, rowspan=2), cell(1, 1, "3,000人"), cell(1, 2, "400人"),
        cell(2, 1, "一"), cell(2, 2, ""),
    ), alt="奨学金返還支援")
    pdf = _render(tmp_path, table)
    assert _tree(pdf) == [["Table", ["TR", ["TH", 0], ["TH", 1]], ["TR", ["TH", 2], ["TD", 3], ["TD", 4]],
                           ["TR", ["TD", 5], ["TD", 6]]]]
    with pikepdf.open(pdf) as opened:
        assert content_problems(opened) == []
        found = list(elements(opened))
        table_element = next(e for e in found if e.S == "/Table")
        assert str(table_element.A.Summary) == "奨学金返還支援"
        cells = [e for e in found if e.S in ("/TH", "/TD")]
        attributes = [{str(k): (str(v) if isinstance(v, pikepdf.Name) else int(v)) for k, v in e.A.items()
                       if k != "/O"} if "/A" in e else {} for e in cells]
    assert attributes == [{"/Scope": "/Column"}, {"/Scope": "/Column", "/ColSpan": 2},
                          {"/Scope": "/Row", "/RowSpan": 2}, {}, {}, {}, {}]


def test_pictures_are_figures_with_alt_and_box_and_without_alt_are_artifacts(tmp_path: Path) -> None:
    png = tmp_path / "p.png"
    Image.new("RGB", (40, 30), (0, 128, 255)).save(png)
    pdf = _render(tmp_path, Picture(png, Rect(100, 100, 80, 60), alt="青い四角", name="a"),
                  Picture(png, Rect(300, 100, 80, 60), alt="", name="b"))
    assert _tree(pdf) == [["Figure", 0]]
    with pikepdf.open(pdf) as opened:
        assert content_problems(opened) == []
        (figure,) = [e for e in elements(opened) if e.S == "/Figure"]
        assert str(figure.Alt) == "青い四角"
        assert [float(v) for v in figure.A.BBox] == pytest.approx([100, 595.28 - 160, 180, 595.28 - 100])
        draws = [str(op) for _, op in pikepdf.parse_content_stream(opened.pages[0]) if str(op) in ("BDC", "Do")]
    assert draws == ["BDC", "Do", "BDC", "Do"]


def test_a_charts_alt_gives_its_title_every_value_as_printed(fonts, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    ctx = LayoutContext(theme=Theme(), fonts=fonts, breaker=LineBreaker(fonts), meeting_dir=tmp_path,
                        material="資料3 (talent)", page=1)
    data = ChartData.model_validate({"type": "bar", "title": "訪問回数", "unit": "回", "decimals": 1,
                                     "categories": ["大学", "高校"],
                                     "series": [{"name": "R6", "values": [46, 1234.5]},
                                                {"name": "R5", "values": [59, None]}]})
    laid = chart(ctx, data, Rect(40, 60, 360, 240), "chart 1")
    assert chart_alt(laid) == "訪問回数。R6：大学 46.0回、高校 1,234.5回。R5：大学 59.0回、高校 値なし"
    pdf = _render(tmp_path, laid)
    with pikepdf.open(pdf) as opened:
        assert content_problems(opened) == []
        (figure,) = [e for e in elements(opened) if e.S == "/Figure"]
        assert str(figure.Alt) == chart_alt(laid)


def test_an_outline_entry_goes_to_the_first_heading_of_its_page(tmp_path: Path) -> None:
    pages = (Page(841.89, 595.28, (_block(_para(["本文"], 100)), _block(_para(["題"], 200), role="title", y=200))),
             Page(841.89, 595.28, (_block(_para(["本文だけ"], 100)),)))
    out = tmp_path / "b.pdf"
    render_pdf(Document(title="t", pages=pages, fonts=FONTS, bookmarks=(("一", 0), ("二", 1))), out)
    with pikepdf.open(out) as opened:
        first, second = opened.Root.Outlines.First, opened.Root.Outlines.Last
        heading = next(e for e in elements(opened) if e.S == "/H1")
        assert first.SE.objgen == heading.objgen and first.Dest[1] == pikepdf.Name.XYZ and first.Dest[4] is None
        assert [float(first.Dest[2]), float(first.Dest[3])] == pytest.approx([40, 595.28 - 188])  # its box's top left
        assert "/SE" not in second and list(second.Dest)[1:] == [pikepdf.Name.Fit]
        assert opened.Root.PageMode == "/UseOutlines"
    single = _render(tmp_path, _block(_para(["題"], 60), role="title", y=60), name="single.pdf")
    with pikepdf.open(single) as opened:  # no bookmarks: one, the document's title, at its first heading
        assert str(opened.Root.Outlines.First.Title) == "資料9 テスト" and "/SE" in opened.Root.Outlines.First
        assert opened.Root.PageMode == "/UseNone"


def test_subset_tags_come_from_the_subsets_content() -> None:
    taken: set[bytes] = set()
    one = subset_tag(b"BIZUDPGothic-Regular", [0, 32, 12354], taken)
    assert len(one) == 6 and one.isalpha() and one.isupper()
    assert subset_tag(b"BIZUDPGothic-Regular", [0, 32, 12354], set()) == one  # the same subset, the same tag
    assert subset_tag(b"BIZUDPGothic-Regular", [0, 32, 12356], taken) != one
    assert subset_tag(b"BIZUDPGothic-Regular", [0, 32, 12354], taken) not in (one,)  # taken in this document
    cmap = to_unicode_cmap("ABCDEF+X", [0, 0, 65, 12354])
    assert "2 beginbfchar\n<02> <0041>\n<03> <3042>\nendbfchar" in cmap and "<0000>" not in cmap


def test_the_joiner_puts_each_parts_section_under_one_document(tmp_path: Path) -> None:
    one = _render(tmp_path, _block(_para(["表紙"], 60), role="title", y=60), _block(_para(["本文"], 100)),
                  name="one.pdf", title="表紙")
    two_pages = (Page(841.89, 595.28, (_block(_para(["資料1"], 60), role="title", y=60),)),
                 Page(841.89, 595.28, (_block(_para(["・項目"], 100, "・")),)))
    two = tmp_path / "two.pdf"
    render_pdf(Document(title="資料1", pages=two_pages, fonts=FONTS), two)
    joined = join_pdfs([one.read_bytes(), two.read_bytes()], ("表紙", "資料1"), {"Title": "一式"})
    with pikepdf.open(BytesIO(joined)) as opened:
        assert content_problems(opened) == []
        root = opened.Root.StructTreeRoot
        assert [str(s.T) for s in root.K.K] == ["表紙", "資料1"]
        assert [int(page.obj.StructParents) for page in opened.pages] == [0, 1, 2]
        assert int(root.ParentTreeNextKey) == 3 and bool(opened.Root.MarkInfo.Marked)
        first, second = opened.Root.Outlines.First, opened.Root.Outlines.Last
        assert (str(first.SE.S), str(second.SE.S)) == ("/H1", "/H1")
        assert second.Dest[0].objgen == opened.pages[1].obj.objgen
        with opened.open_metadata() as xmp:
            assert xmp["dc:title"] == "一式" and xmp["pdfuaid:part"] == "1"
    again = join_pdfs([one.read_bytes(), two.read_bytes()], ("表紙", "資料1"), {"Title": "一式"})
    assert again == joined


def test_the_joiner_tags_the_whole_only_when_every_part_is_tagged(tmp_path: Path) -> None:
    tagged = _render(tmp_path, _block(_para(["題"], 60), role="title", y=60), name="tagged.pdf").read_bytes()
    with pikepdf.open(BytesIO(tagged)) as opened:  # the same part, without its structure
        del opened.Root["/StructTreeRoot"]
        del opened.Root["/MarkInfo"]
        plain = BytesIO()
        opened.save(plain, static_id=True, object_stream_mode=pikepdf.ObjectStreamMode.disable,
                    qdf=False, compress_streams=False)
    joined = join_pdfs([tagged, plain.getvalue()], ("a", "b"), {"Title": "t"})
    with pikepdf.open(BytesIO(joined)) as opened:
        assert "/StructTreeRoot" not in opened.Root and "/MarkInfo" not in opened.Root
        assert str(opened.Root.Lang) == "ja-JP" and len(opened.pages) == 2
        with opened.open_metadata() as xmp:
            assert "pdfuaid:part" not in xmp  # not claimed
    broken = tagged.replace(b"<< /Nums [", b"<</Kids [ ")  # the same length: the offsets hold
    with pytest.raises(UnsupportedPDF, match="parent tree"):
        join_pdfs([broken], ("a",), {})


def test_the_structure_copied_as_one_run_is_the_structure_copied_object_by_object(tmp_path: Path,
                                                                                    monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The joiner copies a part's structure tree as one run of objects when it can (one substitution), else
    object by object: both give the same tree, pages and parent tree."""
    from council_materials.render import pdf_join

    parts = [_render(tmp_path, _block(_para(["題"], 60), role="title", y=60),
                     _block(_para(["・一"], 100, "・"), _para(["‐二"], 114, "‐", 1)), name=f"{n}.pdf").read_bytes()
             for n in ("a", "b")]
    calls: list[bool] = []
    run_copy = pdf_join._Writer.copy_run

    def spy(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(run_copy(self, *args, **kwargs))
        return calls[-1]
    monkeypatch.setattr(pdf_join._Writer, "copy_run", spy)
    as_run = join_pdfs(parts, ("a", "b"), {"Title": "t"})
    monkeypatch.setattr(pdf_join._Writer, "copy_run", lambda *args, **kwargs: False)
    one_by_one = join_pdfs(parts, ("a", "b"), {"Title": "t"})
    assert calls == [True, True] and as_run != one_by_one

    def shape(data: bytes) -> list:
        with pikepdf.open(BytesIO(data)) as opened:
            assert content_problems(opened) == []
            return [(str(e.S), e.objgen, str(e.P.get("/S"))) for e in elements(opened)]
    assert shape(as_run) == shape(one_by_one)

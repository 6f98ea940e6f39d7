"""Fonts: the bundled face, theme fonts (.ttf, .ttc with an index), refusals, glyph coverage, shrinking.

Builds small meetings end to end and reopens the outputs to check that the
font and the (possibly shrunk) size the layout used are the ones both files carry.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.ttLib import TTCollection, TTFont
from pptx import Presentation

from council_materials.build import build
from council_materials.inputs import resolve_fonts
from council_materials.pipeline import load_bundle
from council_materials.errors import FontError, InputError
from council_materials.plugins import get_plugin_manager
from council_materials.typography.fonts import BUNDLED_FONTS, load_face

from meetings import MEETING, write_meeting
from readback import pdf_chars

REGULAR = BUNDLED_FONTS / "BIZUDPGothic-Regular.ttf"
BOLD = BUNDLED_FONTS / "BIZUDPGothic-Bold.ttf"


def _pm():
    return get_plugin_manager(load_entrypoints=False)


def test_bundled_fonts_and_their_licence_ship_with_the_package() -> None:
    face = load_face(REGULAR)
    assert face.family == "BIZ UDPGothic"
    assert "SIL Open Font License" in (BUNDLED_FONTS / "OFL.txt").read_text(encoding="utf-8")
    for char in "髙﨑令和資料①※ー":  # name variants and marks the seed uses
        assert face.covers(char), char


def _cff_font(path: Path) -> Path:
    builder = FontBuilder(1000, isTTF=False)
    builder.setupGlyphOrder([".notdef", "A"])
    builder.setupCharacterMap({ord("A"): "A"})
    pen = T2CharStringPen(500, None)
    pen.moveTo((0, 0)); pen.lineTo((500, 0)); pen.lineTo((250, 700)); pen.closePath()
    charstring = pen.getCharString()
    builder.setupCFF("TestCFF", {"FullName": "TestCFF"}, {".notdef": charstring, "A": charstring}, {})
    return _finish(builder, {".notdef": (500, 0), "A": (500, 0)}, "TestCFF", path)


def _finish(builder: FontBuilder, metrics: dict[str, tuple[int, int]], family: str, path: Path) -> Path:
    """The tables every test font needs after its outlines, then the file."""
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    builder.save(str(path))
    return path


def test_cff_otf_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    otf = _cff_font(tmp_path / "cff.otf")
    with pytest.raises(FontError, match=r"cff\.otf: unsupported font file type \.otf; use TrueType"):
        load_face(otf)
    disguised = otf.rename(tmp_path / "cff.ttf")
    with pytest.raises(FontError, match=r"PostScript \(CFF\) outlines, not TrueType"):
        load_face(disguised)


def test_missing_font_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FontError, match="font file not found"):
        load_face(tmp_path / "nothere.ttf")


@pytest.fixture(scope="module")
def collection(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ttc") / "bizud.ttc"
    ttc = TTCollection()
    ttc.fonts = [TTFont(str(REGULAR)), TTFont(str(BOLD))]
    ttc.save(str(path))
    return path


def test_ttc_faces_load_by_index(collection: Path) -> None:
    bold = load_face(collection, 1)
    assert bold.width("資料", 10) == pytest.approx(load_face(BOLD).width("資料", 10))
    with pytest.raises(FontError, match="has 2 faces, index 5 does not exist"):
        load_face(collection, 5)


def test_theme_fonts_from_a_ttc_are_used_in_both_outputs(tmp_path: Path, collection: Path) -> None:
    theme = "theme:\n  fonts:\n    regular: {path: fonts/bizud.ttc, index: 0}\n    bold: {path: fonts/bizud.ttc, index: 1}\n"
    root = write_meeting(tmp_path, meeting=MEETING + theme)
    (root / "fonts").mkdir()
    shutil.copy(collection, root / "fonts" / "bizud.ttc")
    bundle, _ = load_bundle(root, _pm())
    fonts = resolve_fonts(bundle.meeting, root)
    assert fonts.regular.path.name == "bizud.ttc" and fonts.bold.index == 1
    result = build(root, tmp_path / "out", _pm())
    assert result.pages == 4


def test_theme_naming_an_otf_fails_naming_the_meeting_file(tmp_path: Path) -> None:
    theme = "theme:\n  fonts:\n    regular: {path: cff.otf}\n    bold: {path: cff.otf}\n"
    root = write_meeting(tmp_path, meeting=MEETING + theme)
    _cff_font(root / "cff.otf")
    with pytest.raises(FontError, match=r"meeting\.yaml: theme\.fonts: .*cff\.otf: unsupported font file type"):
        build(root, tmp_path / "out", _pm())


def test_a_character_the_font_lacks_is_named_with_material_and_field(tmp_path: Path) -> None:
    plan = "slides:\n  - kind: bullets\n    title: 名前の話\n    items: [𠮷田さん（つちよし）]\n"
    root = write_meeting(tmp_path, plan=plan)
    with pytest.raises(InputError) as caught:
        build(root, tmp_path / "out", _pm())
    message = str(caught.value)
    assert f"{root.resolve() / 'plan.yaml'}:4:13: slides[0].items[0]: character" in message
    assert "'𠮷' (U+20BB7)" in message
    assert not (tmp_path / "out").exists()


def test_name_variants_print_in_both_outputs(tmp_path: Path) -> None:
    plan = "slides:\n  - kind: bullets\n    title: 名簿\n    items: [髙橋 一郎, 山﨑 花子]\n"
    root = write_meeting(tmp_path, plan=plan)
    result = build(root, tmp_path / "out", _pm())
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    text = "".join(c.text for c in pdf_chars(pdf)[0])
    assert "髙橋" in text and "山﨑" in text
    deck = Presentation(str(pdf.with_suffix(".pptx")))
    assert "髙橋" in "".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)


LONG = "slides:\n  - kind: bullets\n    title: 長い説明\n    items:\n" + "".join(
    f"      - 項目{i}：インフラ整備におけるDXの活用と働き方改革により、生産性・安全性・品質の向上と技術継承を図る\n"
    for i in range(40))


def test_overflow_without_min_size_fails(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, plan=LONG)
    with pytest.raises(Exception, match=r"資料1 \(plan\), page 1, box 'column 1', field items: text does not fit"):
        build(root, tmp_path / "out", _pm())


def test_min_size_shrinks_text_and_both_outputs_carry_the_shrunk_size(tmp_path: Path) -> None:
    root = write_meeting(tmp_path, plan=LONG, meeting=MEETING + "theme:\n  min_size: 7\n")
    result = build(root, tmp_path / "out", _pm())
    pdf = next(p for p in result.files if p.name.startswith("01_") and p.suffix == ".pdf")
    item_sizes = {round(c.size, 1) for c in pdf_chars(pdf)[0] if c.text == "項"}
    assert len(item_sizes) == 1
    shrunk = item_sizes.pop()
    assert 7 <= shrunk < 12
    deck = Presentation(str(pdf.with_suffix(".pptx")))
    body = [s for s in deck.slides[0].shapes if s.has_text_frame and "項目0" in s.text_frame.text][0]
    sizes = {r.font.size.pt for p in body.text_frame.paragraphs for r in p.runs}
    assert sizes == {shrunk}


def _ttf_with_cmap(path: Path, mapping: dict[int, str], advances: dict[str, int]) -> Path:
    """A small TrueType font whose cmap fontTools writes as format 4 (BMP only) or 12 (beyond)."""
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef", *sorted(set(mapping.values()))]
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap(mapping)
    pen = TTGlyphPen(None)
    pen.moveTo((0, 0)); pen.lineTo((400, 0)); pen.lineTo((200, 600)); pen.closePath()
    glyph = pen.glyph()
    builder.setupGlyf({name: glyph for name in names})
    return _finish(builder, {name: (advances.get(name, 500), 0) for name in names}, "TestTT", path)


@pytest.mark.parametrize("beyond_bmp", [False, True])
def test_advances_read_from_the_raw_tables_equal_fonttools(tmp_path: Path, beyond_bmp: bool) -> None:
    """The direct cmap/hmtx reader gives what fontTools' getBestCmap and hmtx give, for the bundled
    faces (format 12) and for small fonts with a format 4 or format 12 subtable."""
    from council_materials.typography.fonts import _advances

    mapping = {0x41 + n: f"g{n % 7}" for n in range(40)} | {0x3042: "g1", 0x30A2: "g2", 0x6F22: "g3"}
    if beyond_bmp:
        mapping[0x20BB7] = "g5"
    made = _ttf_with_cmap(tmp_path / "t.ttf", mapping, {f"g{n}": 300 + 50 * n for n in range(7)})
    for path in (REGULAR, BOLD, made):
        font = TTFont(str(path), lazy=True)
        formats = {table.format for table in font["cmap"].tables}
        cmap, metrics = font.getBestCmap(), font["hmtx"].metrics
        expected = {code: metrics[glyph][0] for code, glyph in cmap.items() if glyph in metrics}
        found = _advances(font.reader["cmap"], font.reader["hmtx"], font["hhea"].numberOfHMetrics,
                          font["maxp"].numGlyphs)
        assert found == expected and len(found) >= 40, (path, formats)
        if path == made:
            assert (12 if beyond_bmp else 4) in formats

"""A meeting on a template, laid out and built small: which layout each kind takes, the frame where the
template's placeholders are, colours the meeting writes winning over the template's, the template as an
input of every part (incremental builds), and ``council new-meeting`` copying it."""
from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree
from pdfminer.high_level import extract_pages
from pdfminer.layout import LTChar, LTRect

from council_materials.build import build
from council_materials.cli import make_cli
from council_materials.pipeline import read_inputs, validate_meeting
from council_materials.layout.document import layout_part
from council_materials.layout.primitives import Box, Picture, Rule, TextBlock
from council_materials.new_meeting import new_meeting
from council_materials.plugins import Registry, get_plugin_manager
from council_materials.template.colors import lighter
from council_materials.typography.linebreak import LineBreaker

from meetings import MEETING, PLAN, write_meeting
from templated import A4, NS, WIDE, edited_template, part, wide_theme

EMU = 12700


def _meeting(tmp_path: Path, template: Path = A4, theme: str = "", plan: str = PLAN) -> Path:
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = write_meeting(tmp_path, plan=plan, meeting=MEETING + f"theme:\n  template: templates/t{template.suffix}\n"
                                                                 + theme)
    (folder / "templates").mkdir()
    shutil.copyfile(template, folder / "templates" / f"t{template.suffix}")
    return folder


def _document(folder: Path):  # type: ignore[no-untyped-def]
    inputs, errors = read_inputs(folder, get_plugin_manager(load_entrypoints=False))
    assert not errors, errors
    material = inputs.bundle.built()[0]
    return layout_part(material, bundle=inputs.bundle, registry=inputs.registry, fonts=inputs.fonts,
                       breaker=LineBreaker(inputs.fonts), meeting_dir=inputs.meeting_dir)


def _master_rect(template: Path, kind: str) -> tuple[float, float, float, float]:
    with zipfile.ZipFile(template) as archive:
        master = etree.fromstring(archive.read("ppt/slideMasters/slideMaster1.xml"))
    shape = next(sp for sp in master.iterfind("p:cSld/p:spTree/p:sp", NS)
                 if (sp.find("p:nvSpPr/p:nvPr/p:ph", NS) is not None
                     and sp.find("p:nvSpPr/p:nvPr/p:ph", NS).get("type") == kind))
    off, ext = shape.find("p:spPr/a:xfrm/a:off", NS), shape.find("p:spPr/a:xfrm/a:ext", NS)
    return (int(off.get("x")) / EMU, int(off.get("y")) / EMU, int(ext.get("cx")) / EMU, int(ext.get("cy")) / EMU)


def _inside(rect, box: tuple[float, float, float, float], slack: float = 0.01) -> bool:  # type: ignore[no-untyped-def]
    x, y, w, h = box
    return (x - slack <= rect.x and rect.right <= x + w + slack and y - slack <= rect.y
            and rect.bottom <= y + h + slack)


def test_each_kind_takes_the_layout_that_fits_or_the_one_the_theme_names(tmp_path: Path) -> None:
    document = _document(_meeting(tmp_path / "a"))
    assert [(page.kind, page.layout) for page in document.pages] == [("bullets", "タイトルとコンテンツ"),
                                                                    ("section", "セクション見出し")]
    folder = _meeting(tmp_path / "b", theme="  layouts: {bullets: タイトルのみ, section: タイトル スライド}\n")
    document = _document(folder)
    assert [page.layout for page in document.pages] == ["タイトルのみ", "タイトル スライド"]
    out = tmp_path / "b" / "out"
    build(folder, out, get_plugin_manager(load_entrypoints=False))
    from pptx import Presentation

    deck = next(out.glob("01_*.pptx"))
    slides = Presentation(str(deck)).slides
    assert [slide.slide_layout.name for slide in slides] == ["タイトルのみ", "タイトル スライド"]
    placeholders = etree.fromstring(part(deck, "ppt/slides/slide2.xml")).findall(".//p:ph", NS)
    assert [ph.get("type") for ph in placeholders] == ["ctrTitle"]  # the title slide layout's own type


def test_the_layout_follows_what_a_kind_is_not_its_name() -> None:
    from council_materials.hookspecs import SlideKind
    from council_materials.template import layout_for
    from council_materials.template.reading import read_template

    template = read_template(A4.read_bytes(), {})

    def kind(name: str, role: str) -> SlideKind:
        return SlideKind(name, object, lambda *_: [], page_role=role)  # type: ignore[arg-type]

    assert layout_for(template, kind("chapter", "section"), {}).name == "セクション見出し"  # type: ignore[union-attr]
    assert layout_for(template, kind("front", "cover"), {}).name == "タイトル スライド"  # type: ignore[union-attr]
    assert layout_for(template, kind("section", "body"), {}).name == "タイトルとコンテンツ"  # type: ignore[union-attr]
    assert layout_for(template, kind("chapter", "section"),  # the theme's mapping, by the kind's name, wins
                      {"chapter": "タイトルのみ"}).name == "タイトルのみ"  # type: ignore[union-attr]



@pytest.mark.parametrize("template", [A4, WIDE], ids=["a4", "wide"])
def test_the_frame_is_where_the_templates_placeholders_are(tmp_path: Path, template: Path) -> None:
    theme = wide_theme() if template == WIDE else ""
    page = _document(_meeting(tmp_path, template, theme)).pages[0]
    blocks = {item.role: item for item in page.items if isinstance(item, TextBlock)}
    assert _inside(blocks["title"].rect, _master_rect(template, "title"))
    assert _inside(page.body, _master_rect(template, "body"))  # the body placeholder's box, below the title
    assert page.body.y >= blocks["title"].rect.bottom
    footer, number = _master_rect(template, "ftr"), _master_rect(template, "sldNum")
    assert _inside(blocks["footer"].rect, footer) and _inside(blocks["page_number"].rect, number)
    assert blocks["footer"].size >= 10.5 and blocks["page_number"].lines[0].text == "資料1  1 / 2"
    artwork = [item for item in page.items if item.role == "artwork"]
    assert page.items[:len(artwork)] == tuple(artwork)  # drawn first, under everything
    pictures = [item for item in artwork if isinstance(item, Picture)]
    assert len(pictures) == 1 and pictures[0].path.is_file() and pictures[0].path.read_bytes().startswith(b"\x89PNG")
    if template == A4:
        assert [type(item) for item in artwork] == [Picture, Rule, Box, TextBlock]
        assert pictures[0].rect.x == pytest.approx(28) and pictures[0].rect.y == pytest.approx(40)
        assert blocks["title"].color == "00704A" and blocks["footer"].color == "FFFFFF"
    else:  # a cream background first, then the navy band and the orange stripe
        assert isinstance(artwork[0], Box) and artwork[0].fill == "F7F5EF" and artwork[0].rect.w == 960
        assert [item.fill for item in artwork[1:3]] == ["1F2A44", "E07B00"]  # type: ignore[union-attr]
        assert blocks["title"].color == "FFFFFF" and pictures[0].rect.x == pytest.approx(872)
    stamp = blocks["stamp"].rect
    assert stamp.y == pytest.approx(14 + 3) and stamp.bottom < blocks["title"].rect.y  # the strip above the title


def test_colours_the_meeting_writes_win_over_the_templates_in_both_outputs(tmp_path: Path) -> None:
    folder = _meeting(tmp_path, theme="  accent: C00000\n")
    document = _document(folder)
    assert document.palette.accent == "C00000" and document.palette.accent_light == lighter("C00000")
    title = next(item for item in document.pages[0].items if isinstance(item, TextBlock) and item.role == "title")
    band = next(item for item in document.pages[0].items if isinstance(item, Box) and item.role == "artwork")
    assert title.color == band.fill == "C00000"  # the template's accent1, recoloured
    out = tmp_path / "out"
    build(folder, out, get_plugin_manager(load_entrypoints=False))
    deck = next(out.glob("01_*.pptx"))
    theme = etree.fromstring(part(deck, "ppt/theme/theme1.xml"))
    assert theme.find("a:themeElements/a:clrScheme/a:accent1/a:srgbClr", NS).get("val") == "C00000"
    assert theme.find("a:themeElements/a:clrScheme/a:dk1/a:srgbClr", NS).get("val") == "262626"  # not written
    page = next(extract_pages(str(deck.with_suffix(".pdf"))))
    big = [item for item in _walk(page) if isinstance(item, LTChar) and item.size > 16 and page.height - item.y1 < 100]
    assert big and all(item.graphicstate.ncolor == pytest.approx((192 / 255, 0, 0)) for item in big)
    assert any(isinstance(item, LTRect) and item.non_stroking_color == pytest.approx((192 / 255, 0, 0))
               for item in _walk(page))
    slide = part(deck, "ppt/slides/slide1.xml").decode()
    assert '<a:schemeClr val="accent1"/>' in slide  # the title's colour is the theme's, as the picker writes it


def _walk(item):  # type: ignore[no-untyped-def]
    yield item
    if hasattr(item, "__iter__"):
        for child in item:
            yield from _walk(child)


def test_a_changed_template_rebuilds_every_part_and_an_unchanged_one_none(tmp_path: Path) -> None:
    folder = _meeting(tmp_path)
    out = tmp_path / "out"
    pm = get_plugin_manager(load_entrypoints=False)
    first = build(folder, out, pm)
    assert len(first.rendered) == len(first.files)
    again = build(folder, out, pm)
    assert again.rendered == []
    before = (out / next(out.glob("01_*.pdf")).name).read_bytes()
    edited_template(A4, folder / "templates" / "t.pptx",
                    {"ppt/theme/theme1.xml": lambda data: data.replace(b'"00704A"', b'"5B2C83"')})
    changed = build(folder, out, pm)
    assert sorted(p.name for p in changed.rendered) == sorted(p.name for p in changed.files)  # the cover too
    pdf = next(out.glob("01_*.pdf"))
    assert pdf.read_bytes() != before
    page = next(extract_pages(str(pdf)))
    assert any(isinstance(item, LTChar) and item.size > 16 and page.height - item.y1 < 100
               and item.graphicstate.ncolor == pytest.approx((0x5B / 255, 0x2C / 255, 0x83 / 255))
               for item in _walk(page))


def test_new_meeting_copies_the_template_and_the_next_meeting_validates(tmp_path: Path) -> None:
    last = _meeting(tmp_path / "last")
    new_meeting(last, tmp_path / "next", Registry.from_plugin_manager(get_plugin_manager()),
                date=dt.date(2025, 7, 15))
    copied = tmp_path / "next" / "templates" / "t.pptx"
    assert copied.read_bytes() == A4.read_bytes()
    assert "template: templates/t.pptx" in (tmp_path / "next" / "meeting.yaml").read_text(encoding="utf-8")
    assert validate_meeting(tmp_path / "next") == []
    result = CliRunner().invoke(make_cli(), ["new-meeting", str(last), str(tmp_path / "after"), "--date", "2025-09-16"])
    assert result.exit_code == 0, result.output
    assert "decks built on the template templates/t.pptx" in result.output
    assert (tmp_path / "after" / "templates" / "t.pptx").read_bytes() == A4.read_bytes()


def test_the_cover_sheet_takes_the_templates_colours_and_keeps_its_own_deck(tmp_path: Path) -> None:
    folder = _meeting(tmp_path)
    out = tmp_path / "out"
    build(folder, out, get_plugin_manager(load_entrypoints=False))
    cover = out / "00_会議次第.pptx"
    assert (out / "00_会議次第.pdf").is_file()
    theme = part(cover, "ppt/theme/theme1.xml").decode()
    assert re.search(r'<a:accent1><a:srgbClr val="00704A"/>', theme) and "BIZ UDPGothic" in theme
    size = etree.fromstring(part(cover, "ppt/presentation.xml")).find("p:sldSz", NS)
    assert (int(size.get("cx")), int(size.get("cy"))) == pytest.approx((7560000, 10692000), abs=60)  # A4 portrait

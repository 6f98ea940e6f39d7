"""Templates that cannot be used are refused before anything is written: each problem located at its line of
meeting.yaml (``theme.template``, ``theme.page``, ``theme.fonts``, ``theme.layouts.KIND``) and at the
template's part, exit status 1, no traceback; a fallback the theme allows is a warning instead."""
from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import ValidationError

from council_materials.cli import make_cli
from council_materials.models import Theme
from council_materials.template import MAX_TEMPLATE_BYTES, load
from council_materials.template.reading import read_template

from meetings import MEETING, write_meeting
from templated import A4, WIDE, edited_template, require_ipaex

MASTER = "ppt/slideMasters/slideMaster1.xml"


def _meeting(tmp_path: Path, template: Path | None, theme: str = "", name: str = "secretariat.pptx") -> Path:
    """The tiny meeting (a bullets slide and a section) on ``template``, copied to ``templates/NAME``."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    folder = write_meeting(tmp_path, meeting=MEETING + f"theme:\n  template: templates/{name}\n{theme}")
    (folder / "templates").mkdir()
    if template is not None:
        shutil.copyfile(template, folder / "templates" / name)
    return folder


def _validate(folder: Path) -> tuple[int, str]:
    result = CliRunner().invoke(make_cli(), ["validate", str(folder)])
    assert "Traceback" not in result.output and not isinstance(result.exception, (AttributeError, TypeError,
                                                                                  KeyError, ValueError))
    return result.exit_code, result.output


def _build(folder: Path, out: Path) -> tuple[int, str]:
    result = CliRunner().invoke(make_cli(), ["build", str(folder), "-o", str(out)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


TEMPLATE_LINE = re.compile(r"meeting\.yaml:19:\d+: theme\.template: templates/secretariat\.pptx: ")
"""Where the tiny meeting names its template: line 19 of meeting.yaml."""


def _refused(folder: Path, tmp_path: Path, *words: str) -> str:
    """``validate`` and ``build`` both refuse the meeting, naming its template's line and ``words``; the build
    writes nothing."""
    code, output = _validate(folder)
    assert code == 1, output
    assert TEMPLATE_LINE.search(output), output
    for word in words:
        assert word in output, (word, output)
    code, built = _build(folder, tmp_path / "out")
    assert code == 1 and TEMPLATE_LINE.search(built), built
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    return output


def test_garbage_is_not_a_powerpoint_file(tmp_path: Path) -> None:
    folder = _meeting(tmp_path, None)
    (folder / "templates" / "secretariat.pptx").write_bytes(b"\x00garbage\xff" * 500)
    _refused(folder, tmp_path, "is not a PowerPoint file (not a zip package")


def test_a_word_document_renamed_pptx_is_named_as_one(tmp_path: Path) -> None:
    folder = _meeting(tmp_path, None)
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                         'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        archive.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                         'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                         'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        archive.writestr("word/document.xml", "<w:document xmlns:w='urn:w'/>")
    (folder / "templates" / "secretariat.pptx").write_bytes(docx.getvalue())
    _refused(folder, tmp_path, "is a Word document (word/document.xml), not a PowerPoint presentation or template")


def test_a_password_protected_template_is_named_as_such(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile

    folder = _meeting(tmp_path, None)
    locked = io.BytesIO()
    with A4.open("rb") as plain:
        OOXMLFile(plain).encrypt("secret", locked)
    assert locked.getvalue()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file, as PowerPoint's
    (folder / "templates" / "secretariat.pptx").write_bytes(locked.getvalue())
    _refused(folder, tmp_path, "is password-protected", "save the template again without a password")


def test_a_missing_too_large_or_outside_template_is_refused_before_it_is_read(tmp_path: Path,
                                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _meeting(tmp_path, None)
    _refused(folder, tmp_path / "a", "file not found")
    (folder / "templates" / "secretariat.pptx").symlink_to(A4)
    _refused(folder, tmp_path / "b", "outside the meeting folder")
    (folder / "templates" / "secretariat.pptx").unlink()
    (folder / "templates" / "secretariat.pptx").mkdir()
    _refused(folder, tmp_path / "c", "is a folder, not a file")
    (folder / "templates" / "secretariat.pptx").rmdir()
    shutil.copyfile(A4, folder / "templates" / "secretariat.pptx")
    monkeypatch.setattr("council_materials.template.MAX_TEMPLATE_BYTES", 1000)
    _refused(folder, tmp_path / "d", "file is larger than")
    assert MAX_TEMPLATE_BYTES >= 16 * 1024 * 1024


def test_a_part_with_a_document_type_or_broken_xml_is_refused(tmp_path: Path) -> None:
    folder = _meeting(tmp_path, None)
    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">]><x>&a;</x>'
    edited_template(A4, folder / "templates" / "secretariat.pptx", {MASTER: lambda _: bomb})
    _refused(folder, tmp_path / "a", f"{MASTER}: holds a document type declaration")
    edited_template(A4, folder / "templates" / "secretariat.pptx", {MASTER: lambda data: data[:-40]})
    _refused(folder, tmp_path / "b", f"{MASTER}: is not well-formed XML")


def test_a_part_larger_unpacked_than_allowed_is_not_unpacked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("council_materials.template.package.MAX_PART_BYTES", 4000)
    with pytest.raises(Exception) as raised:
        read_template(A4.read_bytes())
    assert "larger than" in str(raised.value) and "unpacked" in str(raised.value)


def _without_titles(data: bytes) -> bytes:
    """A part whose title placeholders are gone (a designer deleted them)."""
    return re.sub(rb'<p:sp><p:nvSpPr><p:cNvPr id="\d+" name="[^"]*"/><p:cNvSpPr><a:spLocks noGrp="1"/></p:cNvSpPr>'
                  rb'<p:nvPr><p:ph type="(?:title|ctrTitle)"/>.*?</p:sp>', b"", data, flags=re.S)


def test_a_template_without_any_title_placeholder_has_no_usable_layout(tmp_path: Path) -> None:
    with zipfile.ZipFile(A4) as archive:
        parts = [name for name in archive.namelist() if name.startswith("ppt/slide") and name.endswith(".xml")]
    folder = _meeting(tmp_path, None)
    edited_template(A4, folder / "templates" / "secretariat.pptx", {name: _without_titles for name in parts})
    output = _refused(folder, tmp_path, f"{MASTER}: no layout has a title placeholder")
    assert "'bullets'" in output and "'section'" in output


def test_a_layout_the_theme_names_must_exist_and_have_a_title(tmp_path: Path) -> None:
    folder = _meeting(tmp_path, A4, "  layouts:\n    bullets: 白紙\n    section: 章の扉\n    nosuch: タイトルのみ\n")
    code, output = _validate(folder)
    assert code == 1
    assert re.search(r"meeting\.yaml:21:\d+: theme\.layouts\.bullets: templates/secretariat\.pptx: "
                     r"ppt/slideLayouts/slideLayout7\.xml \(白紙\) has no title placeholder; slides of kind 'bullets' "
                     r"need one", output), output
    assert re.search(r"meeting\.yaml:22:\d+: theme\.layouts\.section: the template templates/secretariat\.pptx has "
                     r"no layout '章の扉'; its layouts are: 'タイトル スライド', 'タイトルとコンテンツ', 'セクション見出し'",
                     output), output
    assert re.search(r"meeting\.yaml:23:\d+: theme\.layouts\.nosuch: no slide kind 'nosuch'; kinds are: .*bullets",
                     output), output


def test_a_template_font_without_a_file_is_an_error_or_with_a_fallback_a_warning(tmp_path: Path) -> None:
    folder = _meeting(tmp_path / "a", WIDE, name="secretariat.pptx")
    output = _refused(folder, tmp_path / "a", "ppt/theme/theme1.xml: the template's font is 'IPAexゴシック'",
                      "theme.fonts gives no file of it", "fallbacks: [font]")
    folder = _meeting(tmp_path / "b", WIDE, "  fallbacks: [font]\n")
    code, output = _validate(folder)
    assert code == 0, output
    assert re.search(r"warning: .*meeting\.yaml:19:\d+: theme\.template: templates/secretariat\.pptx: "
                     r"ppt/theme/theme1\.xml: the template's font 'IPAexゴシック' has no file in theme\.fonts; "
                     r"BIZ UDPGothic is used in its place in both outputs", output), output


def test_a_font_file_of_another_family_is_located_at_theme_fonts(tmp_path: Path) -> None:
    font = require_ipaex()
    folder = _meeting(tmp_path, A4, f"  fonts:\n    regular: {{path: {font}}}\n    bold: {{path: {font}}}\n")
    code, output = _validate(folder)
    assert code == 1
    assert re.search(r"meeting\.yaml:20:\d+: theme\.fonts: templates/secretariat\.pptx: ppt/theme/theme1\.xml: the "
                     r"template's font is 'BIZ UDPゴシック', and theme\.fonts gives no file of it", output), output


def test_the_template_decides_the_page_size_and_a_written_page_must_agree(tmp_path: Path) -> None:
    require_ipaex()
    meeting = MEETING + "theme:\n  page: a4-landscape\n  template: templates/secretariat.pptx\n  fallbacks: [font]\n"
    folder = write_meeting(tmp_path, meeting=meeting)
    (folder / "templates").mkdir()
    shutil.copyfile(WIDE, folder / "templates" / "secretariat.pptx")
    code, output = _validate(folder)
    assert code == 1
    assert re.search(r"meeting\.yaml:19:\d+: theme\.page: the template templates/secretariat\.pptx is 960 x 540 pt, "
                     r"not a4-landscape \(841\.89 x 595\.28 pt\): remove 'page'", output), output


def _with_gradient(data: bytes) -> bytes:
    """The master with a band filled with a gradient (which the PDF cannot draw) before its last shape."""
    band = ('<p:sp><p:nvSpPr><p:cNvPr id="40" name="グラデーションの帯"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            '<p:spPr><a:xfrm><a:off x="0" y="1270000"/><a:ext cx="10692000" cy="63500"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:gradFill><a:gsLst><a:gs pos="0"><a:srgbClr '
            'val="FF0000"/></a:gs><a:gs pos="100000"><a:srgbClr val="0000FF"/></a:gs></a:gsLst></a:gradFill>'
            '</p:spPr></p:sp>').encode()
    return data.replace(b"</p:spTree>", band + b"</p:spTree>", 1)


def test_master_artwork_the_pdf_cannot_draw_is_named_or_with_a_fallback_left_out_of_both(tmp_path: Path) -> None:
    folder = _meeting(tmp_path / "a", None)
    edited_template(A4, folder / "templates" / "secretariat.pptx", {MASTER: _with_gradient})
    _refused(folder, tmp_path / "a", f"{MASTER}: shape 'グラデーションの帯' (id 40): a gradient fill: the PDF cannot "
                                     "draw it", "fallbacks: [artwork]")
    folder = _meeting(tmp_path / "b", None, "  fallbacks: [artwork]\n")
    edited_template(A4, folder / "templates" / "secretariat.pptx", {MASTER: _with_gradient})
    code, output = _build(folder, tmp_path / "b" / "out")
    assert code == 0, output
    assert f"warning: " in output and "グラデーションの帯" in output and "left out of both outputs" in output
    deck = next((tmp_path / "b" / "out").glob("01_*.pptx"))
    with zipfile.ZipFile(deck) as archive:
        master = archive.read(MASTER).decode()
    assert "グラデーションの帯" not in master and "gradFill" not in master and "ロゴ" in master


def test_the_model_takes_only_pptx_or_potx_and_layouts_only_with_a_template() -> None:
    assert Theme(template="templates/t.POTX").template == "templates/t.POTX"
    for bad in ("templates/t.ppt", "templates/t.docx", "../t.pptx", "/etc/t.pptx"):
        with pytest.raises(ValidationError):
            Theme(template=bad)
    with pytest.raises(ValidationError, match="'layouts' and 'fallbacks' apply to a template"):
        Theme(layouts={"bullets": "タイトルのみ"})
    with pytest.raises(ValidationError):
        Theme(template="t.pptx", fallbacks=["everything"])


def test_a_template_is_read_once_per_process_while_its_file_is_unchanged(tmp_path: Path) -> None:
    shutil.copyfile(A4, tmp_path / "t.pptx")
    theme = Theme(template="t.pptx")
    first = load(theme, tmp_path)
    assert load(theme, tmp_path) is first
    edited_template(A4, tmp_path / "t.pptx", {"ppt/theme/theme1.xml": lambda d: d.replace(b"00704A", b"123456")})
    again = load(theme, tmp_path)
    assert again is not first and again.template.scheme.value("accent1") == "123456"

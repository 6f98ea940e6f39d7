"""Make the test templates in this folder with python-pptx, as a secretariat's designer would.

    .venv/bin/python tests/templates/make_templates.py

writes two PowerPoint templates that differ in everything a template decides:

- ``secretariat-a4.pptx``: A4 landscape; green accent, near-black text; BIZ UDPゴシック for headings
  and body; a logo (a PNG with transparency) top left, the title beside it at the top with a rule
  under it, a green band along the bottom holding the bureau's name (text on the master), the footer
  and the slide number in white.
- ``secretariat-wide.potx``: 16:9, saved as a template (.potx); orange accent, navy text;
  IPAexゴシック; a cream background, the title in white on a navy band, an orange stripe under the
  band, the logo bottom right with the bureau's name beside it, the footer bottom left; its section
  layout hides the master's artwork and draws an orange bar of its own at the left.

Both start from python-pptx's own default template: its slide size is set, its master and layouts
are rewritten (placeholders where this secretariat wants them, artwork, Japanese layout names; the
layouts no secretariat uses are removed) and its theme gets the secretariat's colours and font.
The generated files are checked in; run this again only to change them.
"""
from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from PIL import Image, ImageDraw, ImageFont
from pptx import Presentation
from pptx.opc.constants import RELATIONSHIP_TYPE as RT

HERE = Path(__file__).resolve().parent
BUNDLED = HERE.parent.parent / "src" / "council_materials" / "fonts" / "BIZUDPGothic-Bold.ttf"
NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
DECL = 'xmlns:a="{a}" xmlns:p="{p}" xmlns:r="{r}"'.format(**NS)
EMU = 12700  # per point
TEMPLATE_TYPE = "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml"


def emu(points: float) -> int:
    return int(round(points * EMU))


def xfrm(x: float, y: float, w: float, h: float) -> str:
    return f'<a:xfrm><a:off x="{emu(x)}" y="{emu(y)}"/><a:ext cx="{emu(w)}" cy="{emu(h)}"/></a:xfrm>'


def colour(value: str) -> str:
    """``accent1`` (a scheme colour) or ``RRGGBB``, with ``value:lumMod:lumOff`` for a shade of it."""
    name, *mods = value.split(":")
    inner = ""
    if mods:
        inner = f'<a:lumMod val="{mods[0]}"/>' + (f'<a:lumOff val="{mods[1]}"/>' if len(mods) > 1 else "")
    if len(name) == 6 and all(c in "0123456789ABCDEF" for c in name):
        return f'<a:srgbClr val="{name}">{inner}</a:srgbClr>'
    return f'<a:schemeClr val="{name}">{inner}</a:schemeClr>'


@dataclass
class Ph:
    """A placeholder: type, idx, box (pt), and its look (size in pt, colour, bold, alignment, anchor)."""

    type: str
    idx: int | None
    name: str
    box: tuple[float, float, float, float] | None
    size: float | None = None
    color: str | None = None
    bold: bool | None = None
    align: str | None = None
    anchor: str | None = None
    prompt: str = ""

    def xml(self, shape_id: int) -> str:
        idx = f' idx="{self.idx}"' if self.idx is not None else ""
        kind = f' type="{self.type}"' if self.type != "obj" else ""
        sz = {"dt": ' sz="half"', "ftr": ' sz="quarter"', "sldNum": ' sz="quarter"'}.get(self.type, "")
        geometry = xfrm(*self.box) + '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>' if self.box else ""
        anchor = f' anchor="{self.anchor}"' if self.anchor else ""
        body = f'<a:bodyPr vert="horz" lIns="91440" tIns="45720" rIns="91440" bIns="45720" rtlCol="0"{anchor}/>'
        style = ""
        if any(v is not None for v in (self.size, self.color, self.bold, self.align)):
            props = (f' sz="{int(self.size * 100)}"' if self.size else "") + (
                f' b="{int(self.bold)}"' if self.bold is not None else "")
            fill = f"<a:solidFill>{colour(self.color)}</a:solidFill>" if self.color else ""
            align = f' algn="{self.align}"' if self.align else ""
            style = f"<a:lvl1pPr{align}><a:defRPr{props}>{fill}</a:defRPr></a:lvl1pPr>"
        text = {"sldNum": '<a:fld id="{B6F15528-21DE-4FAA-801E-634DDDAF4B2B}" type="slidenum">'
                          '<a:rPr lang="ja-JP" altLang="en-US"/><a:t>‹#›</a:t></a:fld>'}.get(
            self.type, f'<a:r><a:rPr lang="ja-JP" altLang="en-US"/><a:t>{self.prompt}</a:t></a:r>' if self.prompt else "")
        return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{self.name}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                f'</p:cNvSpPr><p:nvPr><p:ph{kind}{sz}{idx}/></p:nvPr></p:nvSpPr><p:spPr>{geometry}</p:spPr>'
                f'<p:txBody>{body}<a:lstStyle>{style}</a:lstStyle><a:p>{text}'
                '<a:endParaRPr lang="ja-JP" altLang="en-US"/></a:p></p:txBody></p:sp>')


def rect(shape_id: int, name: str, box: tuple[float, float, float, float], fill: str) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr/><p:nvPr userDrawn="1"/></p:nvSpPr>'
            f'<p:spPr>{xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
            f'<a:solidFill>{colour(fill)}</a:solidFill><a:ln><a:noFill/></a:ln></p:spPr></p:sp>')


def line(shape_id: int, name: str, x1: float, y: float, x2: float, color: str, width: float) -> str:
    return (f'<p:cxnSp><p:nvCxnSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvCxnSpPr/><p:nvPr userDrawn="1"/>'
            f'</p:nvCxnSpPr><p:spPr>{xfrm(x1, y, x2 - x1, 0)}<a:prstGeom prst="line"><a:avLst/></a:prstGeom>'
            f'<a:ln w="{emu(width)}"><a:solidFill>{colour(color)}</a:solidFill></a:ln></p:spPr></p:cxnSp>')


def text(shape_id: int, name: str, box: tuple[float, float, float, float], words: str, size: float, color: str,
         align: str = "l", bold: bool = False) -> str:
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr txBox="1"/><p:nvPr userDrawn="1"/>'
            f'</p:nvSpPr><p:spPr>{xfrm(*box)}<a:prstGeom prst="rect"><a:avLst/></a:prstGeom><a:noFill/></p:spPr>'
            '<p:txBody><a:bodyPr wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="ctr" rtlCol="0">'
            f'<a:noAutofit/></a:bodyPr><a:lstStyle/><a:p><a:pPr algn="{align}"/><a:r><a:rPr lang="ja-JP" '
            f'altLang="en-US" sz="{int(size * 100)}" b="{int(bold)}"><a:solidFill>{colour(color)}</a:solidFill>'
            f'</a:rPr><a:t>{words}</a:t></a:r></a:p></p:txBody></p:sp>')


def picture(shape_id: int, name: str, rid: str, box: tuple[float, float, float, float]) -> str:
    return (f'<p:pic><p:nvPicPr><p:cNvPr id="{shape_id}" name="{name}" descr="{name}"/><p:cNvPicPr>'
            f'<a:picLocks noChangeAspect="1"/></p:cNvPicPr><p:nvPr userDrawn="1"/></p:nvPicPr><p:blipFill>'
            f'<a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></p:blipFill><p:spPr>{xfrm(*box)}'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr></p:pic>')


TREE_HEAD = ('<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm>'
             '<a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm>'
             '</p:grpSpPr>')


def set_tree(element: etree._Element, shapes: list[str]) -> None:
    """Replace the shape tree of a master or layout by ``shapes``."""
    tree = element.find("p:cSld/p:spTree", NS)
    for child in list(tree):
        tree.remove(child)
    parsed = etree.fromstring(f"<p:spTree {DECL}>{TREE_HEAD}{''.join(shapes)}</p:spTree>")
    for child in parsed:
        tree.append(child)


def set_background(element: etree._Element, fill: str | None) -> None:
    """A solid background (``fill``) or the theme's first background style in ``bg1``."""
    c_sld = element.find("p:cSld", NS)
    old = c_sld.find("p:bg", NS)
    if old is not None:
        c_sld.remove(old)
    if fill is None:
        if element.tag.endswith("sldMaster"):
            c_sld.insert(0, etree.fromstring(f'<p:bg {DECL}><p:bgRef idx="1001"><a:schemeClr val="bg1"/>'
                                             '</p:bgRef></p:bg>'))
        return
    c_sld.insert(0, etree.fromstring(f'<p:bg {DECL}><p:bgPr><a:solidFill>{colour(fill)}</a:solidFill>'
                                     '<a:effectLst/></p:bgPr></p:bg>'))


def set_styles(master: etree._Element, title: tuple[float, str, bool, str], body_size: float) -> None:
    """The master's title style (size, colour, bold, alignment) and first body level's size."""
    size, color, bold, align = title
    level = master.find("p:txStyles/p:titleStyle/a:lvl1pPr", NS)
    level.set("algn", align)
    props = level.find("a:defRPr", NS)
    props.set("sz", str(int(size * 100)))
    props.set("b", str(int(bold)))
    fill = props.find("a:solidFill", NS)
    fill.getparent().replace(fill, etree.fromstring(f'<a:solidFill {DECL}>{colour(color)}</a:solidFill>'))
    master.find("p:txStyles/p:bodyStyle/a:lvl1pPr/a:defRPr", NS).set("sz", str(int(body_size * 100)))


def set_theme(prs: Presentation, name: str, colours: dict[str, str], family: str) -> None:
    """The theme's name, colour scheme and font (major and minor, Latin and East Asian)."""
    part = prs.slide_master.part.part_related_by(RT.THEME)
    theme = etree.fromstring(part.blob)
    theme.set("name", name)
    scheme = theme.find("a:themeElements/a:clrScheme", NS)
    scheme.set("name", name)
    for slot, value in colours.items():
        holder = scheme.find(f"a:{slot}", NS)
        for child in list(holder):
            holder.remove(child)
        holder.append(etree.fromstring(f'<a:srgbClr {DECL} val="{value}"/>'))
    fonts = theme.find("a:themeElements/a:fontScheme", NS)
    fonts.set("name", family)
    for which in ("a:majorFont", "a:minorFont"):
        group = fonts.find(which, NS)
        group.find("a:latin", NS).set("typeface", family)
        group.find("a:ea", NS).set("typeface", family)
        for script in group.findall("a:font", NS):
            if script.get("script") == "Jpan":
                script.set("typeface", family)
    part._blob = etree.tostring(theme, xml_declaration=True, encoding="UTF-8", standalone=True)


def logo_a() -> bytes:
    """A green rounded square with a white 技, on transparency."""
    image = Image.new("RGBA", (256, 256), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((8, 8, 248, 248), radius=48, fill=(0, 112, 74, 255))
    font = ImageFont.truetype(str(BUNDLED), 168)
    draw.text((128, 132), "技", font=font, fill=(255, 255, 255, 255), anchor="mm")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def logo_b() -> bytes:
    """Three stacked bars, orange and navy, on transparency (a 4:3 mark)."""
    image = Image.new("RGBA", (320, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rectangle((20, 30, 300, 80), fill=(224, 123, 0, 255))
    draw.rectangle((60, 100, 300, 150), fill=(31, 42, 68, 255))
    draw.rectangle((100, 170, 300, 220), fill=(224, 123, 0, 255))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


KEEP = {  # python-pptx's default layouts kept (by their position), and the Japanese names they get
    0: "タイトル スライド", 1: "タイトルとコンテンツ", 2: "セクション見出し", 3: "2 つのコンテンツ",
    5: "タイトルのみ", 6: "白紙",
}


def set_content_layout(layout: etree._Element) -> None:
    """The "title and content" layout both templates have: everything where the master puts it."""
    set_tree(layout, [
        Ph("title", None, "タイトル 1", None).xml(2),
        Ph("obj", 1, "コンテンツ プレースホルダー 2", None).xml(3),
        Ph("ftr", 11, "フッター プレースホルダー 3", None).xml(4),
        Ph("sldNum", 12, "スライド番号プレースホルダー 4", None).xml(5),
    ])


def _layouts(prs: Presentation) -> list:
    """Remove the layouts no secretariat uses; name the others in Japanese."""
    layouts = list(prs.slide_layouts)
    for index, layout in enumerate(layouts):
        if index not in KEEP:
            prs.slide_layouts.remove(layout)
    kept = list(prs.slide_layouts)
    for layout, name in zip(kept, KEEP.values()):
        layout.element.find("p:cSld", NS).set("name", name)
    return kept


def _image(part, data: bytes) -> str:  # type: ignore[no-untyped-def]
    _, rid = part.get_or_add_image_part(io.BytesIO(data))
    return rid


def make_a4(path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = emu(841.89), emu(595.28)
    w, h = 841.89, 595.28
    set_theme(prs, "事務局A4", {"dk1": "262626", "lt1": "FFFFFF", "dk2": "1E3A2F", "lt2": "EEF3EF",
                                "accent1": "00704A", "accent2": "C8A200"}, "BIZ UDPゴシック")
    master = prs.slide_master
    logo = _image(master.part, logo_a())
    set_background(master.element, None)
    set_tree(master.element, [
        Ph("title", None, "タイトル プレースホルダー 1", (100, 40, w - 128, 56), anchor="ctr",
           prompt="マスター タイトルの書式設定").xml(2),
        Ph("body", 1, "テキスト プレースホルダー 2", (28, 108, w - 56, 452), prompt="マスター テキストの書式設定").xml(3),
        Ph("dt", 2, "日付プレースホルダー 3", (28, 4, 160, 20), anchor="ctr").xml(4),
        Ph("ftr", 3, "フッター プレースホルダー 4", (220, h - 28, 400, 24), size=12, color="bg1", align="ctr",
           anchor="ctr").xml(5),
        Ph("sldNum", 4, "スライド番号プレースホルダー 5", (w - 228, h - 28, 200, 24), size=12, color="bg1", align="r",
           anchor="ctr").xml(6),
        picture(7, "ロゴ", logo, (28, 40, 56, 56)),
        line(8, "タイトルの下線", 28, 102, w - 28, "accent1", 2.0),
        rect(9, "下の帯", (0, h - 32, w, 32), "accent1"),
        text(10, "局名", (28, h - 28, 180, 24), "東京都 技術会議事務局", 11, "bg1", bold=True),
    ])
    set_styles(master.element, (24, "accent1", True, "l"), 18)
    layouts = _layouts(prs)
    title_slide, content, section, two, title_only, blank = layouts
    set_tree(title_slide.element, [
        Ph("ctrTitle", None, "タイトル 1", (80, 180, w - 160, 110), size=32, anchor="b", align="ctr").xml(2),
        Ph("subTitle", 1, "サブタイトル 2", (120, 300, w - 240, 80), size=18, align="ctr").xml(3),
        Ph("ftr", 11, "フッター プレースホルダー 3", None).xml(4),
        Ph("sldNum", 12, "スライド番号プレースホルダー 4", None).xml(5),
    ])
    set_content_layout(content.element)
    set_tree(section.element, [
        Ph("title", None, "タイトル 1", (80, 200, w - 160, 100), size=30, anchor="b").xml(2),
        Ph("body", 1, "テキスト プレースホルダー 2", (80, 310, w - 160, 90), size=18, anchor="t").xml(3),
        Ph("ftr", 11, "フッター プレースホルダー 3", None).xml(4),
        Ph("sldNum", 12, "スライド番号プレースホルダー 4", None).xml(5),
    ])
    set_tree(two.element, [
        Ph("title", None, "タイトル 1", None).xml(2),
        Ph("obj", 1, "コンテンツ プレースホルダー 2", (28, 108, (w - 72) / 2, 452)).xml(3),
        Ph("obj", 2, "コンテンツ プレースホルダー 3", (44 + (w - 72) / 2, 108, (w - 72) / 2, 452)).xml(4),
        Ph("sldNum", 12, "スライド番号プレースホルダー 4", None).xml(5),
    ])
    set_tree(title_only.element, [Ph("title", None, "タイトル 1", None).xml(2),
                                  Ph("sldNum", 12, "スライド番号プレースホルダー 2", None).xml(3)])
    set_tree(blank.element, [Ph("sldNum", 12, "スライド番号プレースホルダー 1", None).xml(2)])
    prs.save(str(path))


def make_wide(path: Path) -> None:
    prs = Presentation()
    prs.slide_width, prs.slide_height = emu(960), emu(540)
    w, h = 960.0, 540.0
    set_theme(prs, "事務局ワイド", {"dk1": "1B1B3A", "lt1": "FFFFFF", "dk2": "1F2A44", "lt2": "F7F5EF",
                                  "accent1": "E07B00", "accent2": "3C6E8F"}, "IPAexゴシック")
    master = prs.slide_master
    logo = _image(master.part, logo_b())
    set_background(master.element, "lt2")
    set_tree(master.element, [
        rect(2, "タイトルの帯", (0, 38, w, 46), "tx2"),
        rect(3, "アクセントの線", (0, 84, w, 3), "accent1"),
        Ph("title", None, "タイトル プレースホルダー 1", (36, 39, w - 72, 44), anchor="ctr",
           prompt="マスター タイトルの書式設定").xml(4),
        Ph("body", 1, "テキスト プレースホルダー 2", (36, 90, w - 72, 412), prompt="マスター テキストの書式設定").xml(5),
        Ph("dt", 2, "日付プレースホルダー 3", (w - 236, 4, 200, 20), anchor="ctr").xml(6),
        Ph("ftr", 3, "フッター プレースホルダー 4", (36, h - 32, 400, 24), size=11, color="tx1:65000:35000",
           align="l", anchor="ctr").xml(7),
        Ph("sldNum", 4, "スライド番号プレースホルダー 5", (440, h - 32, 180, 24), size=11, color="tx1:65000:35000",
           align="r", anchor="ctr").xml(8),
        picture(9, "ロゴ", logo, (872, h - 44, 48, 36)),
        text(10, "局名", (630, h - 32, 234, 24), "東京都 技術会議事務局", 10.5, "tx2", align="r"),
    ])
    set_styles(master.element, (22, "bg1", True, "l"), 20)
    layouts = _layouts(prs)
    title_slide, content, section, two, title_only, blank = layouts
    set_tree(title_slide.element, [
        Ph("ctrTitle", None, "タイトル 1", (60, 170, w - 120, 110), size=34, color="tx2", anchor="b").xml(2),
        Ph("subTitle", 1, "サブタイトル 2", (60, 290, w - 120, 80), size=18, color="tx1").xml(3),
        Ph("sldNum", 12, "スライド番号プレースホルダー 3", None).xml(4),
    ])
    set_content_layout(content.element)
    section.element.set("showMasterSp", "0")
    set_tree(section.element, [
        rect(2, "左のバー", (0, 0, 24, h), "accent1"),
        Ph("title", None, "タイトル 1", (80, 150, w - 160, 120), size=32, color="tx2", anchor="b").xml(3),
        Ph("body", 1, "テキスト プレースホルダー 2", (80, 290, w - 160, 100), size=18, color="tx1", anchor="t").xml(4),
        Ph("sldNum", 12, "スライド番号プレースホルダー 3", None).xml(5),
    ])
    set_tree(two.element, [
        Ph("title", None, "タイトル 1", None).xml(2),
        Ph("obj", 1, "コンテンツ プレースホルダー 2", (36, 90, (w - 96) / 2, 412)).xml(3),
        Ph("obj", 2, "コンテンツ プレースホルダー 3", (60 + (w - 96) / 2, 90, (w - 96) / 2, 412)).xml(4),
    ])
    set_tree(title_only.element, [Ph("title", None, "タイトル 1", None).xml(2)])
    set_tree(blank.element, [])
    buffer = io.BytesIO()
    prs.save(buffer)
    _as_template(buffer.getvalue(), path)


def _as_template(data: bytes, path: Path) -> None:
    """The presentation saved as a template: the same package, its main part typed as a template."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"presentationml.presentation.main+xml", TEMPLATE_TYPE.split(
                    "officedocument.")[1].encode())
            out.writestr(info, content)


if __name__ == "__main__":
    make_a4(HERE / "secretariat-a4.pptx")
    make_wide(HERE / "secretariat-wide.potx")
    print("wrote", HERE / "secretariat-a4.pptx", "and", HERE / "secretariat-wide.potx")

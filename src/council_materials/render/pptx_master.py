"""The theme, slide master and slide layouts of a deck, written as text.

Takes the meeting theme's colours (``Palette``) and font family, the shapes the renderer drew for
the master and each layout (``pptx_frame`` decided which), and the text blocks whose look the title
placeholders and body levels take; gives the XML of ``theme1.xml``, ``slideMaster1.xml`` and each
``slideLayoutN.xml``.

The theme's colour scheme is what PowerPoint's colour picker offers: text (``dk1``), the accent
(``dk2``, ``accent1``), the light accent (``lt2``, ``accent2``), white, then Office's other accents;
its fonts, major and minor, Latin, East Asian and complex scripts, are the bundled family, so a text
box a user draws is in the deck's font. The master's title style and each layout's title placeholder
have the look of the deck's titles; the body style has the deck's bullets per level, so a slide a user
adds types like ours. Nothing here places anything the layout stage did not.
"""
from __future__ import annotations

from council_materials.layout.primitives import Palette, Rect, TextBlock

from .pptx_xml import DECLARATION, NS, SHAPE_TREE, Ink, color, emu, esc_attr, title_placeholder

__all__ = ["theme_xml", "master_xml", "layout_xml", "TITLE_PROMPT", "default_text_style"]

TITLE_PROMPT = "タイトルを入力"
_OTHER_ACCENTS = ("A5A5A5", "FFC000", "5B9BD5", "70AD47")  # Office's accents 3-6
_ALIGN = {"left": "l", "center": "ctr", "right": "r"}
_MAJOR = '<a:latin typeface="+mj-lt"/><a:ea typeface="+mj-ea"/><a:cs typeface="+mj-cs"/>'
_MINOR = '<a:latin typeface="+mn-lt"/><a:ea typeface="+mn-ea"/><a:cs typeface="+mn-cs"/>'
_FILLS = ('<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
          '<a:solidFill><a:schemeClr val="phClr"><a:tint val="50000"/></a:schemeClr></a:solidFill>'
          '<a:solidFill><a:schemeClr val="phClr"><a:shade val="80000"/></a:schemeClr></a:solidFill>')
_LINES = "".join(f'<a:ln w="{w}" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
                 '</a:solidFill><a:prstDash val="solid"/><a:miter lim="800000"/></a:ln>' for w in (6350, 12700, 19050))


def theme_xml(name: str, palette: Palette, family: str) -> str:
    """``a:theme``: the meeting's colours and the family for every script, major and minor."""
    def slot(tag: str, value: str) -> str:
        return f'<a:{tag}><a:srgbClr val="{color(value)}"/></a:{tag}>'
    colours = (slot("dk1", palette.text) + '<a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>' + slot("dk2", palette.accent)
               + slot("lt2", palette.accent_light) + slot("accent1", palette.accent)
               + slot("accent2", palette.accent_light)
               + "".join(slot(f"accent{n}", value) for n, value in enumerate(_OTHER_ACCENTS, 3))
               + slot("hlink", "0563C1") + slot("folHlink", "954F72"))
    face = esc_attr(family)
    fonts = (f'<a:latin typeface="{face}"/><a:ea typeface="{face}"/><a:cs typeface="{face}"/>'
             f'<a:font script="Jpan" typeface="{face}"/>')
    title = esc_attr(name)
    return (f'{DECLARATION}<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="{title}">'
            f'<a:themeElements><a:clrScheme name="{title}">{colours}</a:clrScheme>'
            f'<a:fontScheme name="{face}"><a:majorFont>{fonts}</a:majorFont><a:minorFont>{fonts}</a:minorFont>'
            f'</a:fontScheme><a:fmtScheme name="{title}"><a:fillStyleLst>{_FILLS}</a:fillStyleLst>'
            f"<a:lnStyleLst>{_LINES}</a:lnStyleLst><a:effectStyleLst>"
            + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
            + f"</a:effectStyleLst><a:bgFillStyleLst>{_FILLS}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>"
            "<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>")


def _run_style(block: TextBlock, ink: Ink, faces: str, bold: bool) -> str:
    return (f'<a:defRPr lang="ja-JP" altLang="en-US" sz="{int(round(block.size * 100))}" b="{int(bold)}" kern="0">'
            f"{ink.fill(block.color)}{faces}</a:defRPr>")


def _spacing(leading: float) -> str:
    return (f'<a:lnSpc><a:spcPts val="{int(round(leading * 100))}"/></a:lnSpc>'
            '<a:spcBef><a:spcPts val="0"/></a:spcBef><a:spcAft><a:spcPts val="0"/></a:spcAft>')


def _title_level(block: TextBlock, ink: Ink) -> str:
    """``a:lvl1pPr`` with the look of ``block`` (a title): alignment, leading, size, weight, colour."""
    bold = bool(block.lines and block.lines[0].runs and block.lines[0].runs[0].bold)
    return (f'<a:lvl1pPr algn="{_ALIGN[block.align]}" eaLnBrk="1" hangingPunct="1">{_spacing(block.leading)}'
            f"<a:buNone/>{_run_style(block, ink, _MAJOR, bold)}</a:lvl1pPr>")


def _body_levels(bullets: dict[int, tuple[str, float, float, TextBlock]], base: TextBlock, ink: Ink) -> str:
    """``a:lvl1pPr``… of the body style: per level the deck's bullet (marker, indents) or a default."""
    out = []
    for level in range(9):
        marker, first, rest, block = bullets.get(level, ("・", level * base.size, level * base.size
                                                          + base.size / 2, base))
        face = esc_attr(ink.family)
        out.append(f'<a:lvl{level + 1}pPr marL="{emu(rest)}" indent="{emu(first - rest)}" algn="l" eaLnBrk="1" '
                   f'hangingPunct="1">{_spacing(block.leading)}<a:buFont typeface="{face}"/>'
                   f'<a:buChar char="{esc_attr(marker)}"/>{_run_style(block, ink, _MINOR, False)}'
                   f"</a:lvl{level + 1}pPr>")
    return "".join(out)


def default_text_style(base: TextBlock, ink: Ink) -> str:
    """``a:lvl1pPr``… for text a user adds outside placeholders: the family, Japanese, the body size."""
    return "".join(f'<a:lvl{n}pPr marL="0" algn="l" eaLnBrk="1" hangingPunct="1">'
                   f"{_run_style(base, ink, _MINOR, False)}</a:lvl{n}pPr>" for n in range(1, 10))


def master_xml(shapes: list[str], title: TextBlock, title_rect: Rect, body: TextBlock,
               bullets: dict[int, tuple[str, float, float, TextBlock]], layout_rids: list[str], ink: Ink) -> str:
    """``p:sldMaster``: white background, the title placeholder, the frame every page shows
    (``shapes``), the layouts' list and the text styles (title, body, other)."""
    ids = "".join(f'<p:sldLayoutId id="{2147483649 + n}" r:id="{rid}"/>' for n, rid in enumerate(layout_rids))
    return "".join((
        DECLARATION, f"<p:sldMaster {NS}><p:cSld><p:bg><p:bgPr><a:solidFill><a:schemeClr val=\"bg1\"/></a:solidFill>"
        "<a:effectLst/></p:bgPr></p:bg>", SHAPE_TREE,
        title_placeholder(2, "タイトル プレースホルダー", None, ink, title_rect, TITLE_PROMPT), *shapes,
        '</p:spTree></p:cSld><p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" '
        'accent2="accent2" accent3="accent3" accent4="accent4" accent5="accent5" accent6="accent6" '
        f'hlink="hlink" folHlink="folHlink"/><p:sldLayoutIdLst>{ids}</p:sldLayoutIdLst><p:txStyles>'
        f"<p:titleStyle>{_title_level(title, ink)}</p:titleStyle>"
        f"<p:bodyStyle>{_body_levels(bullets, body, ink)}</p:bodyStyle>"
        f"<p:otherStyle>{default_text_style(body, ink)}</p:otherStyle></p:txStyles></p:sldMaster>"))


def layout_xml(name: str, kind: str, title: TextBlock, title_rect: Rect, shapes: list[str], ink: Ink,
               first_id: int = 2) -> str:
    """``p:sldLayout`` named ``name``: its title placeholder where and as its slides' titles are, then
    the frame it adds to the master's (``shapes``, ids from ``first_id + 1``)."""
    placeholder = title_placeholder(first_id, "タイトル", None, ink, title_rect, TITLE_PROMPT)
    styled = placeholder.replace("<a:lstStyle/>", f"<a:lstStyle>{_title_level(title, ink)}</a:lstStyle>", 1)
    return "".join((
        DECLARATION, f'<p:sldLayout {NS} type="{kind}" preserve="1"><p:cSld name="{esc_attr(name)}">', SHAPE_TREE,
        styled, *shapes, "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>"))

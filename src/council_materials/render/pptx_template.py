"""A deck built on the secretariat's PowerPoint template: its master, layouts, theme and pictures, taken over.

Takes a document's ``DeckTemplate`` (the template file, the digest of the bytes the layout read, the
artwork the layout left out) and the document's palette, and puts into a ``pptx_package.Package``
the template's first slide master with everything it refers to (its layouts in their order, its
theme, their pictures), as the template has them, with three changes: the theme's accent1 and text
colour are the meeting's when meeting.yaml writes its own (``Palette``: otherwise they are the
template's already); the artwork the layout left out (``theme.fallbacks: [artwork]``) is removed, so
the deck shows what the PDF shows; and the frame the deck's pages share (the stamp, footer, page
number) is added to the master's shapes, and to those of each layout the pages use that hides the
master's (``showMasterSp="0"``), by :meth:`Adopted.with_shapes`. The template's own slides,
notes master and properties are not taken. It decides nothing about the pages: each slide uses the
layout its page names (``Page.layout``).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from lxml import etree

from council_materials.layout.primitives import DeckTemplate, Palette
from council_materials.loading import read_file
from council_materials.template import MAX_TEMPLATE_BYTES
from council_materials.template.colors import Scheme, Undrawable, rgb_of
from council_materials.template.package import NS, Package as TemplatePackage, read_package
from council_materials.template.reading import TITLE_TYPES, first_master

from .pptx_package import Package, Part
from .pptx_xml import NS as XML_NS

__all__ = ["Adopted", "adopt_template"]

_A = "{%s}" % NS["a"]


@dataclass
class Adopted:
    """The template in a package: its layouts by name (parts), the type of each layout's title placeholder
    (``title`` or ``ctrTitle``), the layouts that hide the master's shapes (``showMasterSp="0"``), the
    theme's name, and the XML of the master and of those layouts, to which the deck's frame is added."""

    layouts: dict[str, Part]
    title_types: dict[str, str]
    hide_master: set[str]
    theme_name: str
    roots: dict[str, Any]  # part name -> its XML (lxml): the master's and the layouts'

    def with_shapes(self, part: Part, shapes: list[str]) -> bytes:
        """The XML of ``part`` (the master or a layout) with ``shapes`` (DrawingML of the frame) drawn last."""
        root = self.roots[part.name]
        tree = root.find("p:cSld/p:spTree", NS)
        if shapes:
            wrapped = etree.fromstring(f"<p:spTree {XML_NS}>{''.join(shapes)}</p:spTree>".encode())
            for shape in list(wrapped):
                tree.append(shape)
        return _serialised(root)

    def next_id(self, part: Part) -> int:
        """The first shape id ``part`` does not use."""
        ids = [int(p.get("id")) for p in self.roots[part.name].iterfind(".//p:cNvPr", NS) if (p.get("id") or "").isdigit()]
        return max(ids, default=1) + 1


def _remove(root: Any, shape_id: int) -> None:
    """Remove the shape ``shape_id`` (0: the background) from a master's or layout's tree."""
    if shape_id == 0:
        background = root.find("p:cSld/p:bg", NS)
        if background is not None:
            background.getparent().remove(background)
        return
    for props in root.iterfind(".//p:cSld/p:spTree/*/*/p:cNvPr", NS):
        if props.get("id") == str(shape_id):
            shape = props.getparent().getparent()
            shape.getparent().remove(shape)
            return


def _recolour(theme: Any, mapping: dict[str, str], palette: Palette) -> bool:
    """Write the meeting's accent and text colours into the theme's slots where they differ; whether any did."""
    changed = False
    scheme = theme.find("a:themeElements/a:clrScheme", NS)
    for slot, value in (("accent1", palette.accent), (mapping.get("tx1", "dk1"), palette.text)):
        holder = scheme.find(f"a:{slot}", NS) if scheme is not None else None
        if holder is None or not len(holder):
            continue
        try:
            current = rgb_of(holder[0], Scheme({}, {}))
        except Undrawable:
            current = ""
        if current != value.upper():
            for child in list(holder):
                holder.remove(child)
            etree.SubElement(holder, f"{_A}srgbClr", val=value.upper())
            changed = True
    return changed


def _serialised(root: Any) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _parts(template: TemplatePackage, master: str) -> list[str]:
    """The master and every part it refers to, directly or through its layouts, theme…: depth first."""
    seen: list[str] = []
    stack = [master]
    while stack:
        name = stack.pop()
        if name in seen:
            continue
        seen.append(name)
        stack.extend(reversed([rel.target for rel in template.rels(name).values()
                               if rel.target is not None and rel.type not in ("slide", "notesMaster", "presProps")]))
    return seen


def adopt_template(package: Package, deck: DeckTemplate, palette: Palette) -> Adopted:
    """Put ``deck``'s template into ``package`` (see the module's docstring)."""
    data = read_file(deck.path, MAX_TEMPLATE_BYTES)
    if hashlib.sha256(data).hexdigest() != deck.digest:
        raise ValueError(f"the template {deck.path} changed after the pages were laid out on it; build again")
    template = read_package(data)
    master, _ = first_master(template)
    master_xml = template.xml(master)
    clr_map = master_xml.find("p:clrMap", NS)
    mapping = dict(clr_map.attrib) if clr_map is not None else {}
    left_out: dict[str, list[int]] = {}
    for part_name, shape_id in deck.left_out:
        left_out.setdefault(part_name, []).append(shape_id)
    layouts: dict[str, Part] = {}
    title_types: dict[str, str] = {}
    hide_master: set[str] = set()
    roots: dict[str, Any] = {master: master_xml}
    parts: list[Part] = []
    theme_part, theme_name, layout_order = "", "", []
    master_rels = template.rels(master)
    for entry in master_xml.findall("p:sldLayoutIdLst/p:sldLayoutId", NS):
        rel = master_rels.get(entry.get("{%s}id" % NS["r"], ""))
        if rel is not None and rel.target is not None:
            layout_order.append(rel.target)
    for name in _parts(template, master):
        kind = template.content_type(name)
        blob = template.blob(name)
        # the parts read as XML: the master, every layout and theme, and a part with shapes left out
        parsed = kind.endswith("slideLayout+xml") or kind.endswith("theme+xml") or name in left_out
        root = master_xml if name == master else template.xml(name) if parsed else None
        if root is not None:
            if kind.endswith("theme+xml") and not theme_part:
                theme_part, theme_name = name, root.get("name", "")
                if _recolour(root, mapping, palette):
                    blob = _serialised(root)
            if kind.endswith("slideLayout+xml"):
                roots[name] = root
                c_sld = root.find("p:cSld", NS)
                layout_name = c_sld.get("name", "") if c_sld is not None else ""
                layout_name = layout_name or name.rsplit("/", 1)[-1]
                title = next((ph.get("type") for ph in root.iterfind("p:cSld/p:spTree/p:sp/p:nvSpPr/p:nvPr/p:ph", NS)
                              if ph.get("type") in TITLE_TYPES), "title")
                title_types.setdefault(layout_name, title)
                if root.get("showMasterSp") in ("0", "false"):
                    hide_master.add(layout_name)
            for shape_id in left_out.get(name, ()):
                _remove(root, shape_id)
            if name in left_out and name != master:
                blob = _serialised(root)
        part = Part(name, kind, blob)
        for rel in template.rels(name).values():
            if rel.target is None or rel.type not in ("slide", "notesMaster", "presProps"):
                part.keep(rel.id, rel.uri, rel.written, rel.target)
        parts.append(part)
        if kind.endswith("slideLayout+xml"):
            layouts.setdefault(layout_name, part)
    if not theme_part:
        raise ValueError(f"the template {deck.path}: {master} has no theme")
    package.adopt(parts, master, theme_part, [name for name in layout_order if any(p.name == name for p in parts)])
    return Adopted(layouts, title_types, hide_master, theme_name, roots)

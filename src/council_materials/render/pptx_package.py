"""The PPTX package (OPC zip) around the slides: template parts, relationships, content
types, document properties, pictures and charts, written byte-reproducibly.

Takes slide XML, picture files and chart parts from the PPTX renderer and gives the bytes of
a ``.pptx``. The slide master, layouts and theme are python-pptx's default template (read
once per process from its installed ``default.pptx``; python-pptx itself is not imported), so
files look as they did when python-pptx wrote them. Parts are stored in the order python-pptx
stored them (a depth-first walk of the relationships) and XML parts it re-serialised get its
XML declaration, so the same ``Document`` gives the same bytes as before.

Every zip entry has a fixed time (1980-01-01) and fixed attributes (``pptx_zip``; the parts
every presentation shares are compressed once per process); document properties come from the
``Document``, never from the clock.
"""
from __future__ import annotations

import hashlib
import importlib.util
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from .pptx_xml import DECLARATION, esc, esc_attr
from .pptx_zip import Deflated, deflate, zip_bytes

__all__ = ["Package"]
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships/"
_CT_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_CT_SLIDE = _CT_PML + "slide+xml"
_CT_CHART = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
_CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CT_CORE = "application/vnd.openxmlformats-package.core-properties+xml"
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_PRESENTATION = _CT_PML + "presentation.main+xml"
_REWRITTEN = {_CT_PRESENTATION, _CT_PML + "slideMaster+xml", _CT_PML + "slideLayout+xml"}
"""Template parts python-pptx parsed and wrote back (with lxml's XML declaration)."""
_DEFAULT_TYPES = {
    ("bin", _CT_PML + "printerSettings"), ("bmp", "image/bmp"), ("gif", "image/gif"),
    ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"), ("png", "image/png"), ("rels", _CT_RELS),
    ("tiff", "image/tiff"), ("xlsx", _CT_XLSX), ("xml", "application/xml"),
}
"""(extension, content type) pairs listed once as a ``Default``, not per part (python-pptx's rule)."""
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "png", "image/png"), (b"\xff\xd8", "jpg", "image/jpeg"),
                (b"GIF8", "gif", "image/gif"), (b"BM", "bmp", "image/bmp"),
                (b"II*\x00", "tiff", "image/tiff"), (b"MM\x00*", "tiff", "image/tiff"))
_BLANK_LAYOUT = "ppt/slideLayouts/slideLayout7.xml"  # the template's slide_layouts[6], "Blank"
_CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


@dataclass
class _Part:
    """One part: name inside the zip (no leading slash), content type, bytes, relationships
    (``rId`` -> (type, target as written, target part name)) in the order they were made."""

    name: str
    content_type: str
    blob: bytes
    rels: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    _index: dict[tuple[str, str], str] = field(init=False, repr=False)
    _free: int = field(init=False, repr=False, default=1)

    def __post_init__(self) -> None:
        self._index = {(kind, name): rid for rid, (kind, _, name) in self.rels.items()}

    def relate(self, reltype: str, target: str) -> str:
        """The ``rId`` of a relationship to part ``target``, made if there is none yet: the
        lowest free number, as python-pptx chose it (relationships are never removed)."""
        rid = self._index.get((reltype, target))
        if rid is None:
            while f"rId{self._free}" in self.rels:
                self._free += 1
            rid = self._index[reltype, target] = f"rId{self._free}"
            self.rels[rid] = (reltype, _relative(target, posixpath.dirname(self.name)), target)
        return rid


def _relative(target: str, folder: str) -> str:
    """``target`` (a part name) as seen from ``folder`` (both inside the package)."""
    here, there = folder.split("/") if folder else [], target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def _attr(tag: str, name: str) -> str:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return "" if found is None else found.group(1)


def _rels_of(name: str, xml: bytes) -> dict[str, tuple[str, str, str]]:
    """The relationships in a template ``.rels`` part (machine-written, one tag each)."""
    base = posixpath.dirname(posixpath.dirname(name))
    rels = {}
    for tag in re.findall(r"<Relationship\b[^>]*>", xml.decode()):
        target = _attr(tag, "Target")
        rels[_attr(tag, "Id")] = (_attr(tag, "Type"), target, posixpath.normpath(posixpath.join(base, target)))
    return rels


class _Template:
    """python-pptx's default template, parsed once per process."""

    def __init__(self, path: Path) -> None:
        with zipfile.ZipFile(path) as source:
            raw = {info.filename: source.read(info) for info in source.infolist()}
        types = raw.pop("[Content_Types].xml").decode()
        defaults = {_attr(tag, "Extension"): _attr(tag, "ContentType")
                    for tag in re.findall(r"<Default\b[^>]*>", types)}
        overrides = {_attr(tag, "PartName").lstrip("/"): _attr(tag, "ContentType")
                     for tag in re.findall(r"<Override\b[^>]*>", types)}
        self.package_rels = _rels_of("_rels/.rels", raw.pop("_rels/.rels"))
        self.parts: dict[str, _Part] = {}
        for name, blob in raw.items():
            if "_rels/" in name:
                continue
            kind = overrides.get(name) or defaults[name.rsplit(".", 1)[-1]]
            if kind in _REWRITTEN:
                blob = DECLARATION.encode() + re.sub(rb"^<\?xml[^>]*\?>\s*", b"", blob)
            rels_name = posixpath.join(posixpath.dirname(name), "_rels", posixpath.basename(name) + ".rels")
            rels = _rels_of(rels_name, raw[rels_name]) if rels_name in raw else {}
            self.parts[name] = _Part(name, kind, blob, rels)
        main = next(target for kind, _, target in self.package_rels.values() if kind == _RT + "officeDocument")
        presentation = self.parts[main].blob.decode()
        blank = self.parts.get(_BLANK_LAYOUT)
        if "<p:sldIdLst" in presentation or blank is None or b'<p:cSld name="Blank">' not in blank.blob:
            raise RuntimeError("python-pptx's default template is not the one this renderer knows")
        self.main = main
        self.presentation = presentation
        self._deflated: dict[str, Deflated] = {}

    def deflated(self, name: str, content: Callable[[], bytes]) -> Deflated:
        """Zip entry ``name`` of the template, deflated the first time it is asked for."""
        entry = self._deflated.get(name)
        if entry is None:
            entry = self._deflated[name] = deflate(name, content())
        return entry


_TEMPLATE: list[_Template] = []


def _template() -> _Template:
    if not _TEMPLATE:
        spec = importlib.util.find_spec("pptx")  # finds the package without importing it
        if spec is None or not spec.submodule_search_locations:
            raise RuntimeError("python-pptx is not installed: its default template is needed")
        _TEMPLATE.append(_Template(Path(spec.submodule_search_locations[0]) / "templates" / "default.pptx"))
    return _TEMPLATE[0]


def _rels_xml(rels: dict[str, tuple[str, str, str]]) -> bytes:
    def number(rid: str) -> int:
        return int(rid[3:]) if rid.startswith("rId") and rid[3:].isdigit() else 0
    body = "".join(f'<Relationship Id="{rid}" Type="{rels[rid][0]}" Target="{esc_attr(rels[rid][1])}"/>'
                   for rid in sorted(rels, key=lambda rid: (number(rid), rid)))
    return (DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + body + "</Relationships>").encode()


def _stamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core_xml(title: str, author: str, subject: str, when: datetime) -> bytes:
    for label, value in (("title", title), ("author", author), ("subject", subject)):
        if len(value) > 255:  # python-pptx's limit for core properties, kept
            raise ValueError(f"exceeded 255 char limit for property, got: {label} {value!r}")
    stamp, dated = _stamp(when), 'xsi:type="dcterms:W3CDTF"'
    return (f"{DECLARATION}<cp:coreProperties {_CORE_NS}><dc:title>{esc(title)}</dc:title>"
            f"<dc:subject>{esc(subject)}</dc:subject><dc:creator>{esc(author)}</dc:creator>"
            "<cp:keywords></cp:keywords><dc:description></dc:description>"
            f"<cp:lastModifiedBy>{esc(author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
            f"<dcterms:created {dated}>{stamp}</dcterms:created><dcterms:modified {dated}>{stamp}</dcterms:modified>"
            f"<cp:category></cp:category><cp:lastPrinted>{stamp}</cp:lastPrinted></cp:coreProperties>").encode()


class Package:
    """A presentation being written: slides of one size, then :meth:`save`."""

    def __init__(self, width: int, height: int) -> None:
        self._template = _template()
        self._size = (width, height)
        self._slides: list[_Part] = []
        self._images: dict[str, str] = {}  # SHA-1 of the bytes -> part name
        self._files: dict[str, str] = {}  # picture file -> part name
        self._added: dict[str, _Part] = {}  # pictures, charts, workbooks
        self._charts = 0

    def add_slide(self) -> _Part:
        """A new empty slide on the blank layout; set its ``blob`` once its shapes are known."""
        part = _Part(f"ppt/slides/slide{len(self._slides) + 1}.xml", _CT_SLIDE, b"")
        part.relate(_RT + "slideLayout", _BLANK_LAYOUT)
        self._slides.append(part)
        return part

    def add_picture(self, slide: _Part, path: Path) -> str:
        """The ``rId`` under which ``slide`` shows the picture file ``path``; files with the
        same bytes share one image part."""
        key = str(path)
        name = self._files.get(key)
        if name is None:
            blob = Path(path).read_bytes()
            digest = hashlib.sha1(blob).hexdigest()
            name = self._images.get(digest)
            if name is None:
                ext, kind = next(((ext, kind) for magic, ext, kind in _IMAGE_TYPES if blob.startswith(magic)),
                                 (None, None))
                if ext is None or kind is None:
                    raise ValueError(f"{path}: not a PNG, JPEG, GIF, BMP or TIFF picture")
                name = f"ppt/media/image{len(self._images) + 1}.{ext}"
                self._images[digest] = name
                self._added[name] = _Part(name, kind, blob)
            self._files[key] = name
        return slide.relate(_RT + "image", name)

    def add_chart(self, slide: _Part, chart_xml: bytes, workbook: bytes) -> str:
        """The ``rId`` under which ``slide`` shows a chart part whose data is ``workbook``."""
        self._charts += 1
        sheet = f"ppt/embeddings/Microsoft_Excel_Sheet{self._charts}.xlsx"
        self._added[sheet] = _Part(sheet, _CT_XLSX, workbook)
        chart = _Part(f"ppt/charts/chart{self._charts}.xml", _CT_CHART, chart_xml)
        chart.relate(_RT + "package", sheet)
        self._added[chart.name] = chart
        return slide.relate(_RT + "chart", chart.name)

    def save(self, title: str, author: str, subject: str, created: str) -> bytes:
        """The ``.pptx`` bytes, with document properties from the arguments (``created`` is
        ISO 8601; it dates the file, never the clock)."""
        template = self._template
        parts = dict(template.parts)
        for name, part in template.parts.items():
            if part.content_type == _CT_CORE:
                parts[name] = _Part(name, _CT_CORE, _core_xml(title, author, subject,
                                                              datetime.fromisoformat(created)))
        main = template.parts[template.main]
        presentation = _Part(main.name, main.content_type, b"", dict(main.rels))
        ids = []
        for index, slide in enumerate(self._slides):
            ids.append(f'<p:sldId id="{256 + index}" r:id="{presentation.relate(_RT + "slide", slide.name)}"/>')
            parts[slide.name] = slide
        width, height = self._size
        xml = re.sub(r'<p:sldSz cx="\d+" cy="\d+"', f'<p:sldSz cx="{width}" cy="{height}"',
                     template.presentation, count=1)
        xml = xml.replace("</p:sldMasterIdLst>", "</p:sldMasterIdLst><p:sldIdLst>" + "".join(ids) + "</p:sldIdLst>", 1)
        presentation.blob = xml.encode()
        parts[main.name] = presentation
        parts.update(self._added)
        entries: list[Deflated | tuple[str, bytes]] = [
            ("[Content_Types].xml", b""),
            template.deflated("_rels/.rels", lambda: _rels_xml(template.package_rels))]
        seen: set[str] = set()

        def walk(rels: dict[str, tuple[str, str, str]]) -> None:
            for _, _, name in rels.values():
                if name in seen:
                    continue
                seen.add(name)
                part = parts[name]
                shared = template.parts.get(name) is part  # the same in every presentation
                entries.append(template.deflated(name, lambda: part.blob) if shared else (name, part.blob))
                if part.rels:
                    base, leaf = posixpath.split(name)
                    rels_name = posixpath.join(base, "_rels", leaf + ".rels")
                    entries.append(template.deflated(rels_name, lambda: _rels_xml(part.rels)) if shared
                                   else (rels_name, _rels_xml(part.rels)))
                    walk(part.rels)
        walk(template.package_rels)
        entries[0] = ("[Content_Types].xml", _content_types([parts[name] for name in sorted(seen)]))
        return zip_bytes(entries)


def _content_types(parts: list[_Part]) -> bytes:
    defaults = {"rels": _CT_RELS, "xml": "application/xml"}
    overrides = {}
    for part in parts:
        ext = part.name.rsplit(".", 1)[-1]
        if (ext.lower(), part.content_type) in _DEFAULT_TYPES:
            defaults[ext] = part.content_type
        else:
            overrides["/" + part.name] = part.content_type
    return (DECLARATION + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            + "".join(f'<Default Extension="{ext}" ContentType="{defaults[ext]}"/>' for ext in sorted(defaults))
            + "".join(f'<Override PartName="{name}" ContentType="{overrides[name]}"/>' for name in sorted(overrides))
            + "</Types>").encode()

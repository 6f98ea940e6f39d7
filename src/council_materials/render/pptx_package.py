"""The PPTX package (OPC zip) around the slides: parts, relationships, content types, document
properties, pictures and charts, written byte-reproducibly.

Takes the XML of the theme, master, layouts and slides, picture files and chart parts from the PPTX
renderer and gives the bytes of a ``.pptx``. Every part is the renderer's own, except, for a deck built
on the secretariat's template, the master, layouts, theme and what they refer to (``adopt``: taken
from the template with their relationships, the names of the deck's own parts kept clear of theirs): the
presentation (slide size with its type: ``A4`` for A4 either way round, none for PowerPoint's own
16:9 widescreen), its properties, view and table-style parts, and the document properties: ``core.xml``
(title, subject, author, language ``ja-JP``, created and modified in UTC from the document's dated
time) and ``app.xml`` (this tool, the presentation format, the counts of slides and the fonts, theme
and slide titles PowerPoint lists). There is no thumbnail: a blank one misled file browsers.

Parts are stored in a depth-first walk of the relationships, by ``zipfile``: XML parts deflated,
pictures and embedded workbooks (compressed already) stored as they are; every entry has a fixed
time (1980-01-01), made on MS-DOS (``create_system`` 0, whatever the platform) with ``zipfile``'s
attributes for a file (``rw-------``). Document properties come from the ``Document``, never from
the clock.
"""
from __future__ import annotations

import hashlib
import io
import posixpath
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from .pptx_xml import DECLARATION, NS, esc, esc_attr

__all__ = ["Package", "Part", "APPLICATION"]
APPLICATION = "council-materials"
_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_RT_PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
_CT_PML = "application/vnd.openxmlformats-officedocument.presentationml."
_CT_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CT_RELS = "application/vnd.openxmlformats-package.relationships+xml"
_CT_THEME = "application/vnd.openxmlformats-officedocument.theme+xml"
_DEFAULT_TYPES = {
    ("bmp", "image/bmp"), ("gif", "image/gif"), ("jpeg", "image/jpeg"), ("jpg", "image/jpeg"),
    ("png", "image/png"), ("rels", _CT_RELS), ("tiff", "image/tiff"), ("xlsx", _CT_XLSX), ("xml", "application/xml"),
}
"""(extension, content type) pairs listed once as a ``Default``, not per part."""
_IMAGE_TYPES = ((b"\x89PNG\r\n\x1a\n", "png", "image/png"), (b"\xff\xd8", "jpg", "image/jpeg"),
                (b"GIF8", "gif", "image/gif"), (b"BM", "bmp", "image/bmp"),
                (b"II*\x00", "tiff", "image/tiff"), (b"MM\x00*", "tiff", "image/tiff"))
_CORE_NS = ('xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')
_A4 = (7560000, 10692000)  # 210 x 297 mm in EMU
_FIXED = {  # parts that are the same in every presentation
    "ppt/presProps.xml": (_CT_PML + "presProps+xml", f"{DECLARATION}<p:presentationPr {NS}/>"),
    "ppt/viewProps.xml": (_CT_PML + "viewProps+xml",
                          f'{DECLARATION}<p:viewPr {NS}><p:normalViewPr><p:restoredLeft sz="15620"/>'
                          '<p:restoredTop sz="94660"/></p:normalViewPr><p:gridSpacing cx="72008" cy="72008"/></p:viewPr>'),
    "ppt/tableStyles.xml": (_CT_PML + "tableStyles+xml",
                            f'{DECLARATION}<a:tblStyleLst xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
                            'def="{5C22544A-7EE6-4342-B048-85BDC9FD1C3A}"/>'),
}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest time a zip entry can hold


@dataclass
class Part:
    """One part: name inside the zip (no leading slash), content type, bytes, relationships
    (``rId`` -> (type, target as written, target part name, ``None`` for an external target)) in the
    order they were made."""

    name: str
    content_type: str
    blob: bytes = b""
    rels: dict[str, tuple[str, str, str | None]] = field(default_factory=dict)
    _index: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)

    def relate(self, reltype: str, target: str) -> str:
        """The ``rId`` of a relationship to part ``target``, made if there is none yet."""
        rid = self._index.get((reltype, target))
        if rid is None:
            number = len(self.rels) + 1
            while f"rId{number}" in self.rels:  # a part taken from a template may number its own with gaps
                number += 1
            rid = self._index[reltype, target] = f"rId{number}"
            self.rels[rid] = (_RT + reltype, _relative(target, posixpath.dirname(self.name)), target)
        return rid

    def keep(self, rid: str, uri: str, written: str, target: str | None) -> None:
        """A relationship as a template's part has it (its id, type and target as written)."""
        self.rels[rid] = (uri, written, target)
        if target is not None:
            self._index.setdefault((uri.rsplit("/", 1)[-1], target), rid)


def _relative(target: str, folder: str) -> str:
    """``target`` (a part name) as seen from ``folder`` (both inside the package)."""
    here, there = folder.split("/") if folder else [], target.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def _rels_xml(rels: Mapping[str, tuple[str, str, str | None]]) -> bytes:
    body = "".join(f'<Relationship Id="{rid}" Type="{kind}" Target="{esc_attr(target)}"'
                   + ('/>' if name is not None else ' TargetMode="External"/>')
                   for rid, (kind, target, name) in rels.items())
    return (DECLARATION + '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + body + "</Relationships>").encode()


def _utc(created: str) -> str:
    """W3CDTF in UTC of an ISO 8601 time (one without an offset is taken as UTC)."""
    when = datetime.fromisoformat(created)
    if when.tzinfo is not None:
        when = when.astimezone(timezone.utc)
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def _core_xml(title: str, author: str, subject: str, created: str) -> bytes:
    for label, value in (("title", title), ("author", author), ("subject", subject)):
        if len(value) > 255:  # PowerPoint's limit for core properties
            raise ValueError(f"exceeded 255 char limit for property, got: {label} {value!r}")
    stamp, dated = _utc(created), 'xsi:type="dcterms:W3CDTF"'
    return (f"{DECLARATION}<cp:coreProperties {_CORE_NS}><dc:title>{esc(title)}</dc:title>"
            f"<dc:subject>{esc(subject)}</dc:subject><dc:creator>{esc(author)}</dc:creator>"
            f"<dc:language>ja-JP</dc:language><cp:lastModifiedBy>{esc(author)}</cp:lastModifiedBy>"
            f"<cp:revision>1</cp:revision><dcterms:created {dated}>{stamp}</dcterms:created>"
            f"<dcterms:modified {dated}>{stamp}</dcterms:modified></cp:coreProperties>").encode()


def _app_xml(presentation_format: str, fonts: list[str], theme: str, titles: list[str]) -> bytes:
    """``app.xml``: this tool, the format, the counts, and the fonts, theme and slide titles PowerPoint lists."""
    heads = (("使用されているフォント", len(fonts)), ("テーマ", 1), ("スライド タイトル", len(titles)))
    pairs = "".join(f"<vt:variant><vt:lpstr>{name}</vt:lpstr></vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant>"
                    for name, count in heads)
    parts = [*fonts, theme, *titles]
    listed = "".join(f"<vt:lpstr>{esc(part)}</vt:lpstr>" for part in parts)
    return (f'{DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f"<TotalTime>0</TotalTime><Words>0</Words><Application>{APPLICATION}</Application>"
            f"<PresentationFormat>{esc(presentation_format)}</PresentationFormat><Paragraphs>0</Paragraphs>"
            f"<Slides>{len(titles)}</Slides><Notes>0</Notes><HiddenSlides>0</HiddenSlides><MMClips>0</MMClips>"
            f'<ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="{2 * len(heads)}" baseType="variant">'
            f'{pairs}</vt:vector></HeadingPairs><TitlesOfParts><vt:vector size="{len(parts)}" baseType="lpstr">'
            f"{listed}</vt:vector></TitlesOfParts><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
            "<HyperlinksChanged>false</HyperlinksChanged></Properties>").encode()


def slide_size(width: int, height: int) -> tuple[str, str]:
    """(``type`` attribute, PowerPoint's name of the format) of a slide size in EMU: A4 either way
    round is ``A4``; 16:9 (PowerPoint's own widescreen is 960 x 540 pt) has no type, as PowerPoint
    writes it."""
    short, long = sorted((width, height))
    if abs(short - _A4[0]) <= 3600 and abs(long - _A4[1]) <= 3600:  # within 0.1 mm
        return ' type="A4"', "A4 210 x 297 mm"
    if width * 9 == height * 16:
        return "", "ワイド画面"
    return "", "ユーザー設定"


class Package:
    """A presentation being written: one master with its layouts, slides of one size, then :meth:`save`."""

    def __init__(self, width: int, height: int) -> None:
        self._size = (width, height)
        self.master = Part("ppt/slideMasters/slideMaster1.xml", _CT_PML + "slideMaster+xml")
        self.theme = Part("ppt/theme/theme1.xml", _CT_THEME)
        self.layouts: list[Part] = []
        self._slides: list[Part] = []
        self._images: dict[str, str] = {}  # SHA-1 of the bytes -> part name
        self._files: dict[str, str] = {}  # picture file -> part name
        self._added: dict[str, Part] = {}  # pictures, charts, workbooks; a template's parts

    def adopt(self, parts: list[Part], master: str, theme: str, layouts: list[str]) -> None:
        """Build on a template's parts: ``master`` (its slide master), ``theme`` and ``layouts`` (in the
        master's order) among ``parts``, which hold everything they refer to (pictures…)."""
        found = {part.name: part for part in parts}
        self.master, self.theme = found.pop(master), found.pop(theme)
        self.layouts = [found.pop(name) for name in layouts]
        self._added.update(found)

    def _free(self, name: str) -> str:
        """``name`` (``…{}…`` numbered from 1), at the first number no part of the package has yet."""
        taken = {self.master.name, self.theme.name, *(p.name for p in self.layouts), *self._added}
        number = 1
        while name.format(number) in taken:
            number += 1
        return name.format(number)

    def add_layout(self) -> tuple[Part, str]:
        """A new layout of the master (set its ``blob`` later), and its ``rId`` from the master."""
        part = Part(f"ppt/slideLayouts/slideLayout{len(self.layouts) + 1}.xml", _CT_PML + "slideLayout+xml")
        part.relate("slideMaster", self.master.name)
        self.layouts.append(part)
        return part, self.master.relate("slideLayout", part.name)

    def add_slide(self, layout: Part) -> Part:
        """A new slide on ``layout``; set its ``blob`` once its shapes are known."""
        part = Part(f"ppt/slides/slide{len(self._slides) + 1}.xml", _CT_PML + "slide+xml")
        part.relate("slideLayout", layout.name)
        self._slides.append(part)
        return part

    def add_picture(self, slide: Part, path: Path) -> str:
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
                name = self._free(f"ppt/media/image{{}}.{ext}")
                self._images[digest] = name
                self._added[name] = Part(name, kind, blob)
            self._files[key] = name
        return slide.relate("image", name)

    def add_chart(self, slide: Part, chart_xml: bytes, workbook: bytes) -> str:
        """The ``rId`` under which ``slide`` shows a chart part whose data is ``workbook``."""
        sheet = self._free("ppt/embeddings/Microsoft_Excel_Sheet{}.xlsx")
        self._added[sheet] = Part(sheet, _CT_XLSX, workbook)
        chart = Part(self._free("ppt/charts/chart{}.xml"),
                     "application/vnd.openxmlformats-officedocument.drawingml.chart+xml", chart_xml)
        chart.relate("package", sheet)
        self._added[chart.name] = chart
        return slide.relate("chart", chart.name)

    def save(self, *, title: str, author: str, subject: str, created: str, default_style: str,
             fonts: list[str], theme_name: str, titles: list[str]) -> bytes:
        """The ``.pptx`` bytes. ``created`` is ISO 8601 (it dates the file, never the clock),
        ``default_style`` the presentation's default text levels, ``titles`` the slides' titles."""
        self.master.relate("theme", self.theme.name)
        presentation = Part("ppt/presentation.xml", _CT_PML + "presentation.main+xml")
        master_rid = presentation.relate("slideMaster", self.master.name)
        ids = "".join(f'<p:sldId id="{256 + n}" r:id="{presentation.relate("slide", slide.name)}"/>'
                      for n, slide in enumerate(self._slides))
        fixed = {name: Part(name, kind) for name, (kind, _) in _FIXED.items()}
        for name, kind in (("ppt/presProps.xml", "presProps"), ("ppt/viewProps.xml", "viewProps")):
            presentation.relate(kind, name)
        presentation.relate("theme", self.theme.name)
        presentation.relate("tableStyles", "ppt/tableStyles.xml")
        width, height = self._size
        kind, presentation_format = slide_size(width, height)
        presentation.blob = (f'{DECLARATION}<p:presentation {NS} saveSubsetFonts="1"><p:sldMasterIdLst>'
                             f'<p:sldMasterId id="2147483648" r:id="{master_rid}"/></p:sldMasterIdLst>'
                             f'<p:sldIdLst>{ids}</p:sldIdLst><p:sldSz cx="{width}" cy="{height}"{kind}/>'
                             '<p:notesSz cx="6858000" cy="9144000"/>'
                             f"<p:defaultTextStyle>{default_style}</p:defaultTextStyle></p:presentation>").encode()
        core = Part("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml",
                    _core_xml(title, author, subject, created))
        app = Part("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml",
                   _app_xml(presentation_format, fonts, theme_name, titles))
        package_rels = {"rId1": (_RT + "officeDocument", presentation.name, presentation.name),
                        "rId2": (_RT_PACKAGE, core.name, core.name),
                        "rId3": (_RT + "extended-properties", app.name, app.name)}
        parts = {part.name: part for part in (presentation, self.master, self.theme, core, app, *self.layouts,
                                              *self._slides, *fixed.values(), *self._added.values())}
        entries: list[tuple[str, bytes]] = [("[Content_Types].xml", b""), ("_rels/.rels", _rels_xml(package_rels))]
        seen: set[str] = set()

        def walk(rels: Mapping[str, tuple[str, str, str | None]]) -> None:
            for _, _, name in rels.values():
                if name is None or name in seen:
                    continue
                seen.add(name)
                part = parts[name]
                entries.append((name, _FIXED[name][1].encode() if name in _FIXED else part.blob))
                if part.rels:
                    base, leaf = posixpath.split(name)
                    entries.append((posixpath.join(base, "_rels", leaf + ".rels"), _rels_xml(part.rels)))
                    walk(part.rels)
        walk(package_rels)
        entries[0] = ("[Content_Types].xml", _content_types([parts[name] for name in sorted(seen)]))
        stored = {name for name in self._added if not name.endswith(".xml")}  # pictures, workbooks: compressed
        return _zip(entries, stored)


def _zip(entries: list[tuple[str, bytes]], stored: set[str]) -> bytes:
    """The zip of ``entries`` in order: deflated, except the names in ``stored``; reproducible."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in entries:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            info.create_system = 0  # zipfile's default is the platform's (3 on Linux, 0 on Windows)
            archive.writestr(info, content)
    return buffer.getvalue()


def _content_types(parts: list[Part]) -> bytes:
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

"""A PowerPoint file's package, read as untrusted input: its parts, content types and relationships.

Input: the bytes of a file that should be a ``.pptx`` or ``.potx`` (read by ``loading.read_file``: a
regular file inside the meeting folder, size-bounded). Output: a :class:`Package` that gives each
part's bytes, parsed XML and relationships, or a :class:`TemplateError` that says what the file is
instead: an OLE compound file (a password-protected Office file, which is encrypted into one, or
PowerPoint 97–2003's ``.ppt``/``.pot``), not a zip at all, or another Office document (Word,
Excel). Nothing here trusts the archive: the number of parts and the size of each part as unpacked
are bounded before it is read, a relationship may not point outside the package, and XML is parsed
without a document type, entities or the network.
"""
from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from ..errors import TemplateError

__all__ = ["Package", "Relationship", "read_package", "parse_xml", "NS", "MAX_PART_BYTES", "MAX_PARTS"]

NS = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
MAX_PARTS = 10_000
"""The most entries a template's zip may have (a large corporate template has a few hundred)."""
MAX_PART_BYTES = 64 * 1024 * 1024
"""The largest part read as unpacked (a picture of a template's artwork is rarely over a few MB)."""
MAX_UNPACKED = 256 * 1024 * 1024
"""The most bytes read from the package as unpacked, all parts together."""

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_RELS_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"
_MAIN_TYPES = {
    "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml": "presentation",
    "application/vnd.openxmlformats-officedocument.presentationml.template.main+xml": "template",
}
_OTHER_DOCUMENTS = {"wordprocessingml": "a Word document", "spreadsheetml": "an Excel workbook",
                    "presentationml.slideshow": "a PowerPoint slide show (.ppsx)",
                    "macroEnabled": "a file with macros (.pptm/.potm)"}
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


@dataclass(frozen=True)
class Relationship:
    """One relationship of a part: its id, type (the last segment of its URI, e.g. ``slideLayout``), full
    type URI, the target as written, and the target part's name (``None``: an external target)."""

    id: str
    type: str
    uri: str
    written: str
    target: str | None


class Package:
    """The parts of a PowerPoint package, read on demand within the bounds above."""

    def __init__(self, archive: zipfile.ZipFile, main: str, kind: str, types: dict[str, str],
                 defaults: dict[str, str]) -> None:
        self._archive = archive
        self._infos = {info.filename: info for info in archive.infolist()}
        self._read = 0
        self._blobs: dict[str, bytes] = {}
        self._types, self._defaults = types, defaults
        self.main, self.kind = main, kind

    def has(self, name: str) -> bool:
        return name in self._infos

    def blob(self, name: str) -> bytes:
        """The bytes of part ``name`` (no leading slash)."""
        found = self._blobs.get(name)
        if found is not None:
            return found
        info = self._infos.get(name)
        if info is None:
            raise TemplateError(name, "is missing from the package (a relationship names it)")
        if info.file_size > MAX_PART_BYTES or self._read + info.file_size > MAX_UNPACKED:
            raise TemplateError(name, f"is larger than {MAX_PART_BYTES // 1024 // 1024} MB unpacked, or the package "
                                      f"is larger than {MAX_UNPACKED // 1024 // 1024} MB unpacked")
        try:
            with self._archive.open(info) as handle:
                data = handle.read(info.file_size + 1)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            raise TemplateError(name, f"cannot be unpacked ({exc})") from None
        if len(data) != info.file_size:
            raise TemplateError(name, "is not the size its zip entry states")
        self._read += len(data)
        self._blobs[name] = data
        return data

    def xml(self, name: str) -> Any:
        """Part ``name`` parsed as XML (an lxml element)."""
        return parse_xml(self.blob(name), name)

    def content_type(self, name: str) -> str:
        return self._types.get(name) or self._defaults.get(name.rsplit(".", 1)[-1].lower(), "")

    def rels(self, name: str) -> dict[str, Relationship]:
        """The relationships of part ``name`` (none when it has no ``.rels`` part), by id."""
        folder, leaf = posixpath.split(name)
        rels_name = posixpath.join(folder, "_rels", leaf + ".rels")
        if not self.has(rels_name):
            return {}
        out: dict[str, Relationship] = {}
        for rel in self.xml(rels_name).iter(f"{_RELS_NS}Relationship"):
            rid, uri, written = rel.get("Id", ""), rel.get("Type", ""), rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            out[rid] = Relationship(rid, uri.rsplit("/", 1)[-1], uri, written,
                                    None if external else _resolve(folder, written, rels_name))
        return out


def parse_xml(data: bytes, name: str) -> Any:
    """``data`` parsed as one XML part, without a document type, entities or the network."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
        raise TemplateError(name, "holds a document type declaration, which no Office part has")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise TemplateError(name, f"is not well-formed XML ({exc})") from None


def _resolve(folder: str, target: str, where: str) -> str:
    """A relationship's target as a part name; one leaving the package is refused."""
    path = target[1:] if target.startswith("/") else posixpath.join(folder, target)
    parts: list[str] = []
    for piece in path.split("/"):
        if piece in ("", "."):
            continue
        if piece == "..":
            if not parts:
                raise TemplateError(where, f"a relationship points outside the package ({target!r})")
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def _ole_kind(data: bytes) -> str:
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        return ("is password-protected (an encrypted Office file is an OLE compound file, not a zip package): "
                "save the template again without a password (File ▸ Info ▸ Protect Presentation)")
    return ("is a PowerPoint 97–2003 file (.ppt/.pot) or another OLE compound file, not a .pptx/.potx package: open "
            "it in PowerPoint and save it as a PowerPoint template (.potx) or presentation (.pptx)")


def read_package(data: bytes) -> Package:
    """The package of a ``.pptx``/``.potx`` file's bytes, or a ``TemplateError`` saying what they are."""
    if data.startswith(_OLE):
        raise TemplateError(None, _ole_kind(data))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise TemplateError(None, f"is not a PowerPoint file (not a zip package: {exc})") from None
    if len(infos) > MAX_PARTS:
        raise TemplateError(None, f"has {len(infos)} parts; a template has at most {MAX_PARTS}")
    if any(info.flag_bits & 0x1 for info in infos):
        raise TemplateError(None, "is password-protected (its zip entries are encrypted): save it without a password")
    types: dict[str, str] = {}
    defaults: dict[str, str] = {}
    package = Package(archive, "", "", types, defaults)
    if not package.has("[Content_Types].xml"):
        raise TemplateError(None, "is a zip archive but not an Office package (no [Content_Types].xml)")
    for entry in package.xml("[Content_Types].xml"):
        if entry.tag == f"{_TYPES_NS}Override":
            types[entry.get("PartName", "").lstrip("/")] = entry.get("ContentType", "")
        elif entry.tag == f"{_TYPES_NS}Default":
            defaults[entry.get("Extension", "").lower()] = entry.get("ContentType", "")
    main = next((rel.target for rel in package.rels("").values() if rel.type == "officeDocument" and rel.target),
                None)
    if main is None:
        raise TemplateError("_rels/.rels", "names no main document: the file is not an Office document")
    kind = package.content_type(main)
    if kind not in _MAIN_TYPES:
        what = next((text for key, text in _OTHER_DOCUMENTS.items() if key in kind), f"a {kind or 'unknown'} file")
        raise TemplateError(None, f"is {what} ({main}), not a PowerPoint presentation or template (.pptx/.potx)")
    package.main, package.kind = main, _MAIN_TYPES[kind]
    return package

"""Picture XObjects for the PDF renderer, made from the file's own compressed bytes.

Input: a reportlab canvas and a picture file (PNG or JPEG, already checked and downscaled by
the layout). Output: the picture drawn into the rectangle, as an image XObject stored once per
document however often the picture is placed (its PDF name is the digest of the file's bytes).

reportlab decodes every picture to RGB pixels (to name it) and deflates them again, which is
most of what drawing pictures costs. PDF can read both formats' compressed data as it is:
a JPEG is embedded as DCTDecode, and an opaque, non-interlaced PNG (greyscale, RGB or
palette, up to 8 bits a sample) as its joined IDAT data with FlateDecode and the PNG row
predictors (PDF 1.7 §7.4.4.4); a palette becomes an ``/Indexed`` colour space. The pixels
are the same as reportlab's, only not decoded and re-compressed. Anything else (alpha or
``tRNS`` transparency, 16-bit samples, interlacing, a CMYK JPEG, a file that fails its CRC
or zlib checks) goes through reportlab's ``drawImage`` as before.
"""
from __future__ import annotations

import hashlib
import struct
import zlib
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import (PDFArray, PDFDictionary, PDFDocument, PDFImageXObject, PDFName, PDFObject,
                                      PDFStream)
from reportlab.pdfbase.pdfutils import readJPEGInfo
from reportlab.pdfgen.canvas import Canvas

from council_materials.render.pdf_catalog import pdf_document

__all__ = ["PNGStream", "draw_image", "png_stream"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_START = b"\xff\xd8"
_CHANNELS = {0: 1, 2: 3, 3: 1}  # PNG colour type -> samples a pixel (grey, RGB, palette index)


@dataclass(frozen=True, slots=True)
class PNGStream:
    """An opaque PNG's image data as PDF can read it."""

    width: int
    height: int
    bits: int
    colour_type: int
    palette: bytes  # PLTE, for colour type 3
    data: bytes  # the zlib stream of every IDAT chunk, joined


def png_stream(data: bytes) -> PNGStream | None:
    """``data`` (a PNG file) as a ``PNGStream``, or None if PDF cannot take its data as it is."""
    if not data.startswith(_PNG_SIGNATURE):
        return None
    chunks: dict[bytes, list[bytes]] = {}
    pos = len(_PNG_SIGNATURE)
    while pos + 12 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8:pos + 8 + length]
        crc = zlib.crc32(body, zlib.crc32(kind))
        if len(body) != length or data[pos + 8 + length:pos + 12 + length] != struct.pack(">I", crc):
            return None
        chunks.setdefault(kind, []).append(body)
        pos += 12 + length
        if kind == b"IEND":
            break
    header, idat = chunks.get(b"IHDR", [b""])[0], b"".join(chunks.get(b"IDAT", ()))
    if len(header) != 13 or not idat or b"IEND" not in chunks or b"tRNS" in chunks:
        return None
    width, height, bits, colour_type, method, filtering, interlace = struct.unpack(">IIBBBBB", header)
    if (colour_type not in _CHANNELS or bits not in (1, 2, 4, 8) or (colour_type == 2 and bits != 8)
            or not (width and height) or (method, filtering, interlace) != (0, 0, 0)):
        return None
    palette = chunks.get(b"PLTE", [b""])[0]
    if colour_type == 3 and not (palette and len(palette) % 3 == 0 and len(palette) <= 3 * (1 << bits)):
        return None
    stride = (width * _CHANNELS[colour_type] * bits + 7) // 8 + 1  # a filter byte, then the row
    try:  # the chunks passed their CRCs; inflating every row would cost more than all the rest
        first = zlib.decompressobj().decompress(idat, stride)
    except zlib.error:
        return None
    if len(first) != stride or first[0] > 4:
        return None  # too little data, or an unknown row filter
    return PNGStream(width, height, bits, colour_type, palette, idat)


class _PNGImage(PDFObject):
    """An image XObject holding a PNG's compressed data unchanged."""

    def __init__(self, png: PNGStream) -> None:
        self.png = png
        self.width, self.height = png.width, png.height

    def format(self, document: PDFDocument) -> bytes:  # reportlab's PDFObject protocol
        png = self.png
        space: PDFArray | str  # PDFName gives the name as written: a str
        if png.colour_type == 3:
            space = PDFArray([PDFName("Indexed"), PDFName("DeviceRGB"), len(png.palette) // 3 - 1,
                              b"<" + png.palette.hex().upper().encode() + b">"])
        else:
            space = PDFName("DeviceGray" if png.colour_type == 0 else "DeviceRGB")
        parms = PDFDictionary({"Predictor": 15, "Colors": _CHANNELS[png.colour_type],
                               "BitsPerComponent": png.bits, "Columns": png.width})
        stream = PDFStream(PDFDictionary({
            "Type": PDFName("XObject"), "Subtype": PDFName("Image"), "Width": png.width,
            "Height": png.height, "BitsPerComponent": png.bits, "ColorSpace": space,
            "Filter": PDFName("FlateDecode"), "DecodeParms": parms,
        }), content=png.data, filters=())
        return stream.format(document)


def _jpeg_image(data: bytes) -> PDFImageXObject | None:
    """reportlab's own DCTDecode XObject for a greyscale or RGB JPEG, without decoding it."""
    try:
        info = readJPEGInfo(BytesIO(data))  # (width, height, components, dpi)
    except Exception:  # reportlab raises bare PDFError/ValueError/IndexError on odd files
        return None
    if info is None or info[2] not in (1, 3):
        return None  # CMYK: reportlab's path inverts it (None: its stubs allow it; it raises instead)
    image = PDFImageXObject("", None)
    return image if image.loadImageFromJPEG(BytesIO(data)) else None


def _xobject(data: bytes) -> PDFObject | None:
    if data.startswith(_JPEG_START):
        return _jpeg_image(data)
    png = png_stream(data)
    return None if png is None else _PNGImage(png)


def draw_image(canvas: Canvas, path: Path, x: float, y: float, width: float, height: float) -> None:
    """Draw the picture at ``path`` into (x, y, width, height), bottom-left origin, stretched."""
    data = Path(path).read_bytes()
    name = "img" + hashlib.sha256(data).hexdigest()[:32]
    doc = pdf_document(canvas)
    ref = doc.getXObjectName(name)
    if ref not in doc.idToObject:
        image = _xobject(data)
        if image is None:  # reportlab decodes it; from bytes, so its name comes from its content
            canvas.drawImage(ImageReader(BytesIO(data)), x, y, width, height, mask="auto",
                             preserveAspectRatio=False)
            return
        doc.Reference(image, ref)
        doc.addForm(name, image)
    # What Canvas.drawImage writes for an image it has already stored (the page's /ProcSet then lists
    # the image procedures: reportlab has no public way to say a page shows images).
    canvas._currentPageHasImages = 1  # type: ignore[attr-defined]  # private attribute, absent from types-reportlab
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(width, height)
    canvas.doForm(name)
    canvas.restoreState()

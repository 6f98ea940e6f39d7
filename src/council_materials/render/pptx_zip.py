"""Reproducible zip archives for the PPTX renderer, with entries deflated once and reused.

Takes (name, bytes) entries in order and gives the bytes of a zip that ``zipfile`` would have
written for them with a fixed time (1980-01-01 00:00), no extra attributes and default
deflate (or none, for an entry made by :func:`store`: pictures and embedded workbooks are
compressed already, and deflating them again was most of a picture-heavy deck's time): the same
archive, byte for byte. What ``zipfile`` cannot do is take an entry already deflated: a
:class:`Deflated` entry is compressed once and can go into many archives, so the parts every
presentation shares are compressed once per process, not once per file.
"""
from __future__ import annotations

import struct
import zlib
from typing import NamedTuple, Sequence

__all__ = ["Deflated", "deflate", "store", "zip_bytes"]

_DOS_DATE = (1 << 5) | 1  # 1980-01-01; the time, 00:00:00, is 0
_VERSION = 20  # version needed to extract deflate
_ATTRIBUTES = 0o600 << 16  # rw-------, what zipfile gives an entry whose attributes are 0
_LIMIT = (1 << 31) - 1  # beyond this zipfile switches to ZIP64, which this writer does not do


class Deflated(NamedTuple):
    """One zip entry, compressed: name, CRC-32 and size of the content, deflated content (or the
    content itself, ``method`` 0: stored)."""

    name: bytes
    crc: int
    size: int
    data: bytes
    method: int = 8


def deflate(name: str, content: bytes) -> Deflated:
    """``content`` deflated as ``zipfile`` deflates it (default level, raw stream)."""
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    data = compressor.compress(content) + compressor.flush()
    return Deflated(name.encode("ascii"), zlib.crc32(content), len(content), data)


def store(name: str, content: bytes) -> Deflated:
    """``content`` as an entry stored without compression (``zipfile.ZIP_STORED``)."""
    return Deflated(name.encode("ascii"), zlib.crc32(content), len(content), content, 0)


def zip_bytes(entries: Sequence[Deflated | tuple[str, bytes]]) -> bytes:
    """The archive of ``entries`` in order (``(name, content)`` pairs are deflated here)."""
    chunks: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for entry in entries:
        if not isinstance(entry, Deflated):
            entry = deflate(*entry)
        name, crc, size, data, method = entry
        if size > _LIMIT or offset > _LIMIT:
            raise ValueError("a PPTX over 2 GB cannot be written")
        header = struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", _VERSION, 0, 0, method, 0, _DOS_DATE,
                             crc, len(data), size, len(name), 0)
        directory.append(struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", _VERSION, 0, _VERSION, 0, 0, method, 0,
                                     _DOS_DATE, crc, len(data), size, len(name), 0, 0, 0, 0, _ATTRIBUTES, offset)
                         + name)
        chunks += (header, name, data)
        offset += len(header) + len(name) + len(data)
    if len(directory) > 0xFFFF:
        raise ValueError("a PPTX of more than 65535 parts cannot be written")
    listing = b"".join(directory)
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(directory), len(directory), len(listing), offset, 0)
    return b"".join(chunks) + listing + end

"""The one date format of PDF metadata, shared by the PDF renderer and the PDF joiner.

Input: an ISO 8601 date-time (from the Document, never the clock). Output: a PDF
date string ``D:YYYYMMDDHHmmSS`` with the offset when the input has one; ``iso_date``
reads one back (XMP metadata writes dates in ISO 8601).
"""
from __future__ import annotations

import re
from datetime import datetime

__all__ = ["pdf_date", "iso_date"]


def pdf_date(iso: str) -> str:
    when = datetime.fromisoformat(iso)
    text = when.strftime("D:%Y%m%d%H%M%S")
    offset = when.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds()) // 60
        hours, mins = divmod(abs(minutes), 60)
        text += f"{'-' if minutes < 0 else '+'}{hours:02d}'{mins:02d}'"
    return text


def iso_date(date: str) -> str:
    """``D:20250220100000+09'00'`` -> ``2025-02-20T10:00:00+09:00`` (the information dictionary's date
    in XMP's form); a date it cannot read becomes the start of 2000, as a Document's default."""
    found = re.fullmatch(r"D:(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:([+-])(\d\d)'(\d\d)'?|Z)?", date)
    if found is None:
        return "2000-01-01T00:00:00"
    y, mo, d, h, mi, se, sign, oh, om = found.groups()
    return f"{y}-{mo}-{d}T{h}:{mi}:{se}" + (f"{sign}{oh}:{om}" if sign else "")

"""The one date format of PDF metadata, shared by the PDF renderer and the PDF joiner.

Input: an ISO 8601 date-time (from the Document, never the clock). Output: a PDF
date string ``D:YYYYMMDDHHmmSS`` with the offset when the input has one.
"""
from __future__ import annotations

from datetime import datetime

__all__ = ["pdf_date"]


def pdf_date(iso: str) -> str:
    when = datetime.fromisoformat(iso)
    text = when.strftime("D:%Y%m%d%H%M%S")
    offset = when.utcoffset()
    if offset is not None:
        minutes = int(offset.total_seconds()) // 60
        hours, mins = divmod(abs(minutes), 60)
        text += f"{'-' if minutes < 0 else '+'}{hours:02d}'{mins:02d}'"
    return text

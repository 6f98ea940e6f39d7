"""The workbook embedded in a native chart: its data as the sheet PowerPoint opens to edit it.

Takes a chart's categories, series (name and values), number format and the document's time and
gives the bytes of an ``.xlsx`` written by XlsxWriter (python-pptx's own choice), with one sheet,
``Sheet1``, laid out as python-pptx lays out chart data: categories in column A from row 2 (10
characters wide), one column per series from column B with its name in row 1, values in the
chart's number format, a missing value as an empty cell. The chart XML refers to these cells
(``Sheet1!$B$2:$B$4``). Every label is written as text (``write_string``): one starting with
``=`` or ``http://`` stays a label, where ``Worksheet.write`` would make it a formula or a link.

XlsxWriter is imported when the first chart is drawn, not with the renderer: a deck without a
chart never pays for the import. Its zip entries have a fixed time (1980-01-01) and the
workbook's dates are the document's, never the clock's, so the same chart gives the same bytes.
"""
from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:  # imported when a chart is drawn, not with the renderer
    from xlsxwriter.format import Format
    from xlsxwriter.worksheet import Worksheet

__all__ = ["workbook", "column_letter"]

CATEGORY_WIDTH = 10
"""Width of the categories' column in characters (python-pptx's: wide enough for a date)."""


def column_letter(number: int) -> str:
    """Excel's name of column ``number`` (1 is ``A``, 27 is ``AA``)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def workbook(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
             number_format: str, created: datetime) -> bytes:
    """The ``.xlsx`` bytes of a chart's data; ``created`` dates the workbook (in UTC: a naive time is
    taken as UTC, and XlsxWriter writes it as it is)."""
    from xlsxwriter import Workbook

    blob = io.BytesIO()
    book = Workbook(blob, {"in_memory": True})
    book.set_properties({"created": created})
    sheet = book.add_worksheet()
    label_format = book.add_format({"num_format": "General"})
    value_format = book.add_format({"num_format": number_format})
    sheet.set_column(0, 0, CATEGORY_WIDTH)
    for row, label in enumerate(categories, start=1):
        _label(sheet, row, 0, label, label_format)
    for col, (name, values) in enumerate(series, start=1):
        _label(sheet, 0, col, name, None)
        for row, value in enumerate(values, start=1):
            if value is None:
                sheet.write_blank(row, col, None, value_format)
            else:
                sheet.write_number(row, col, value, value_format)
    book.close()
    return blob.getvalue()


def _label(sheet: Worksheet, row: int, col: int, text: str, cell_format: Format | None) -> None:
    """A label as text; an empty one is an empty cell (kept only when it has a format)."""
    if text:
        sheet.write_string(row, col, text, cell_format)
    else:
        sheet.write_blank(row, col, None, cell_format)

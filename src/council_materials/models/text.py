"""Text types shared by every model: cleaned once, at validation.

``Text`` is the type of every human-readable field. It refuses characters
that would break an output file or cannot be printed (C0/C1 controls other
than newline and tab, U+FFFE/U+FFFF, lone surrogates) and turns tabs into
spaces. ``**bold**`` inside a ``Text`` marks emphasis; ``parse_runs`` splits
such a string into runs for the layout stage.
"""
from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

__all__ = ["Text", "Slug", "clean_text", "parse_runs", "plain"]

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)


_SUSPECT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff" + "".join(
    f"{chr(plane << 16 | 0xFFFE)}{chr(plane << 16 | 0xFFFF)}" for plane in range(17)) + "]")
"""Every character ``clean_text`` may refuse: text without any takes the fast path."""


def clean_text(value: str) -> str:
    """Return ``value`` fit for both outputs, or raise ``ValueError`` naming the character."""
    if not _SUSPECT.search(value):
        return value.replace("\t", " ").replace("\r", "")
    out = []
    for index, char in enumerate(value):
        code = ord(char)
        if char == "\t":
            out.append(" ")
            continue
        if char in "\n":
            out.append(char)
            continue
        if char == "\r":
            continue
        category = unicodedata.category(char)
        if category in ("Zl", "Zp"):
            raise ValueError(f"{'line' if category == 'Zl' else 'paragraph'} separator U+{code:04X} at position "
                             f"{index + 1} is not allowed; start a new line instead")
        if category == "Cc":
            raise ValueError(f"control character U+{code:04X} at position {index + 1} is not allowed")
        if category == "Cs":
            raise ValueError(f"lone surrogate U+{code:04X} at position {index + 1} is not allowed")
        if code in (0xFFFE, 0xFFFF) or category == "Cn" and (code & 0xFFFE) == 0xFFFE:
            raise ValueError(f"noncharacter U+{code:04X} at position {index + 1} is not allowed")
        out.append(char)
    return "".join(out)


MAX_TEXT = 20_000
"""The longest text of one field: more than any box can show (a full A4 page at 6 pt holds about 12,000
characters), refused before it is measured."""

Text = Annotated[str, AfterValidator(clean_text), Field(max_length=MAX_TEXT)]
"""Human-readable text; ``**…**`` marks bold."""

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)]
"""An identifier: lower-case ASCII letters, digits, ``-`` and ``_``."""


def parse_runs(text: str) -> list[tuple[str, bool]]:
    """Split ``text`` into ``(chunk, bold)`` runs on ``**…**`` markers."""
    runs: list[tuple[str, bool]] = []
    pos = 0
    for match in _BOLD.finditer(text):
        if match.start() > pos:
            runs.append((text[pos:match.start()], False))
        runs.append((match.group(1), True))
        pos = match.end()
    if pos < len(text):
        runs.append((text[pos:], False))
    return [run for run in runs if run[0]]


def plain(text: str) -> str:
    """``text`` without emphasis markers."""
    return "".join(chunk for chunk, _ in parse_runs(text))

"""What every PDF this project writes says about itself: its language, version and XMP metadata.

Input: a document's title, author, subject, date and producer. Output: PDF text strings and the XMP
packet (ISO 16684-1) of the document's ``/Metadata`` stream, with the title, the language and the
PDF/UA identification (``pdfuaid:part`` 1, ISO 14289-1). Shared by the renderer (``pdf.py``), which
writes each part, and the joiner (``pdf_join.py``), which writes the combined PDF, so both say the
same things the same way. No reportlab here: the joiner writes bytes.
"""
from __future__ import annotations

import re
from datetime import datetime

__all__ = ["LANG", "PDF_VERSION", "PDFUA_PART", "pdf_text", "pdf_hex_text", "xmp_packet"]

LANG = "ja-JP"
"""The language of everything the layout sets: the catalog's ``/Lang`` and the XMP ``dc:language``."""
PDF_VERSION = (1, 7)
"""ISO 32000-1, which PDF/UA-1 is built on (structure attributes such as a table's ``Summary`` are 1.7)."""
PDFUA_PART = 1


def pdf_text(text: str) -> bytes:
    """A PDF text string: literal if printable ASCII, else UTF-16BE with its byte-order mark, as hex."""
    if all(" " <= ch <= "~" for ch in text):
        return b"(" + re.sub(rb"([\\()])", rb"\\\1", text.encode("ascii")) + b")"
    return b"<FEFF" + text.encode("utf-16-be").hex().upper().encode() + b">"


def pdf_hex_text(text: str) -> str:
    """A PDF text string in UTF-16BE with its byte-order mark, as hex: no parentheses to balance or escape,
    so an object holding only such strings is read without a string parser (``pdf_part``)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


def _xml(text: str) -> str:
    """``text`` escaped for XML character data and attribute values (as ``xml.sax.saxutils.escape`` with
    ``&quot;``, which is not imported: it pulls in ``urllib.request`` and ``http.client``, a fifth of the
    renderer's import time in every worker)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;").replace('"', "&quot;")


def xmp_packet(*, title: str, author: str, subject: str, created: str, producer: str, creator_tool: str,
               ua: bool = True) -> bytes:
    """The XMP packet of a document (``created`` as ISO 8601, the date of its information dictionary);
    ``ua``: it says the document is PDF/UA-1 (a tagged document)."""
    created = datetime.fromisoformat(created).isoformat()
    alt = '<rdf:Alt><rdf:li xml:lang="x-default">{}</rdf:li></rdf:Alt>'
    fields = [
        "<dc:format>application/pdf</dc:format>",
        f"<dc:title>{alt.format(_xml(title))}</dc:title>",
        f"<dc:language><rdf:Bag><rdf:li>{LANG}</rdf:li></rdf:Bag></dc:language>",
    ]
    if author:
        fields.append(f"<dc:creator><rdf:Seq><rdf:li>{_xml(author)}</rdf:li></rdf:Seq></dc:creator>")
    if subject:
        fields.append(f"<dc:description>{alt.format(_xml(subject))}</dc:description>")
    fields += [
        f"<xmp:CreateDate>{_xml(created)}</xmp:CreateDate>",
        f"<xmp:ModifyDate>{_xml(created)}</xmp:ModifyDate>",
        f"<xmp:MetadataDate>{_xml(created)}</xmp:MetadataDate>",
        f"<xmp:CreatorTool>{_xml(creator_tool)}</xmp:CreatorTool>",
        f"<pdf:Producer>{_xml(producer)}</pdf:Producer>",
    ]
    if ua:
        fields.append(f"<pdfuaid:part>{PDFUA_PART}</pdfuaid:part>")
    body = "\n   ".join(fields)
    return (
        '<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>\n'
        '<x:xmpmeta xmlns:x="adobe:ns:meta/">\n'
        ' <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '  <rdf:Description rdf:about=""\n'
        '    xmlns:dc="http://purl.org/dc/elements/1.1/"\n'
        '    xmlns:xmp="http://ns.adobe.com/xap/1.0/"\n'
        '    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"\n'
        '    xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/">\n'
        f"   {body}\n"
        "  </rdf:Description>\n"
        " </rdf:RDF>\n"
        "</x:xmpmeta>\n"
        '<?xpacket end="w"?>'
    ).encode("utf-8")

"""The workbook embedded in a native chart: its data as the sheet PowerPoint opens to edit it.

Takes a chart's categories, series (name and values) and number format and gives the bytes of
an ``.xlsx`` with one sheet, ``Sheet1``, laid out as python-pptx lays out chart data: categories
in column A from row 2, one column per series from column B with its name in row 1, values in
the chart's number format, a missing value as an empty cell. The chart XML refers to these
cells (``Sheet1!$B$2:$B$4``).

The parts are those XlsxWriter writes for that sheet, so the embedded workbook is byte-identical
to the one python-pptx used to make, without importing XlsxWriter (an import that cost more than
writing the workbook). One difference is deliberate: a label is always text, where XlsxWriter
would turn a label starting with ``=`` into a formula and one starting with ``http://`` into a
link. Zip entries have fixed times and the workbook's dates are the document's, never the clock's.
"""
from __future__ import annotations

import math
import re
from typing import Sequence

from .pptx_zip import zip_bytes

__all__ = ["workbook", "column_letter"]

_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "application/vnd.openxmlformats-officedocument."
_ESCAPED = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_EDGE_SPACE = (re.compile(r"^\s"), re.compile(r"\s$"))


def column_letter(number: int) -> str:
    """Excel's name of column ``number`` (1 is ``A``, 27 is ``AA``)."""
    letters = ""
    while number:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    return _text(value).replace('"', "&quot;").replace("\n", "&#xA;")


class _Sheet:
    """Cells by row and column (0-based), shared strings in first-use order, as XlsxWriter keeps them."""

    def __init__(self) -> None:
        self.rows: dict[int, dict[int, str]] = {}
        self.strings: dict[str, int] = {}
        self.string_count = 0

    def _put(self, row: int, col: int, xml: str) -> None:
        self.rows.setdefault(row, {})[col] = xml

    def text(self, row: int, col: int, value: str, style: int | None) -> None:
        """A label; an empty one is an empty cell (kept only when it has a style)."""
        ref = f"{column_letter(col + 1)}{row + 1}"
        styled = "" if style is None else f' s="{style}"'
        if value == "":
            if style is not None:
                self._put(row, col, f'<c r="{ref}"{styled}/>')
            return
        value = value[:32767]
        index = self.strings.setdefault(value, len(self.strings))
        self.string_count += 1
        self._put(row, col, f'<c r="{ref}"{styled} t="s"><v>{index}</v></c>')

    def number(self, row: int, col: int, value: float | None, style: int) -> None:
        ref = f"{column_letter(col + 1)}{row + 1}"
        if value is None:
            self._put(row, col, f'<c r="{ref}" s="{style}"/>')
            return
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"chart value {value!r} cannot be written to the chart's workbook")
        self._put(row, col, f'<c r="{ref}" s="{style}"><v>{value:.16G}</v></c>')

    def xml(self) -> str:
        rows = sorted(self.rows)
        if rows:
            cols = [col for row in rows for col in self.rows[row]]
            first = f"{column_letter(min(cols) + 1)}{rows[0] + 1}"
            last = f"{column_letter(max(cols) + 1)}{rows[-1] + 1}"
            ref = first if first == last else f"{first}:{last}"
        else:
            ref = "A1"
        spans = {}
        for row in rows:  # one span per block of 16 rows, over the columns used in it
            low, high = spans.get(row // 16, (16384, -1))
            spans[row // 16] = (min(low, *self.rows[row]), max(high, *self.rows[row]))
        data = "".join(
            f'<row r="{row + 1}" spans="{spans[row // 16][0] + 1}:{spans[row // 16][1] + 1}">'
            + "".join(self.rows[row][col] for col in sorted(self.rows[row])) + "</row>"
            for row in rows)
        return (f'{_DECLARATION}<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="{ref}"/>'
                '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>'
                '<cols><col min="1" max="1" width="10.7109375" customWidth="1"/></cols>'
                f'<sheetData>{data}</sheetData>'
                '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
                "</worksheet>")

    def shared_strings(self) -> str:
        items = []
        for value in self.strings:
            value = _ESCAPED.sub(r"_x005F\1", value)
            value = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", value)
            value = value.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
            space = ' xml:space="preserve"' if any(p.search(value) for p in _EDGE_SPACE) else ""
            items.append(f"<si><t{space}>{_text(value)}</t></si>")
        return (f'{_DECLARATION}<sst xmlns="{_MAIN}" count="{self.string_count}" '
                f'uniqueCount="{len(self.strings)}">' + "".join(items) + "</sst>")


def _styles(number_format: str) -> tuple[str, int]:
    """``styles.xml`` with the categories' style (1, General) and the values' style, and the
    values' style index: XlsxWriter's built-in ids for ``General`` and ``0``, 164 for others."""
    builtin = {"General": 0, "0": 1}
    formats, xfs = "", ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'] * 2
    value_style = 1
    if number_format != "General":
        number_id = builtin.get(number_format, 164)
        if number_id == 164:
            formats = f'<numFmts count="1"><numFmt numFmtId="164" formatCode="{_attr(number_format)}"/></numFmts>'
        xfs.append(f'<xf numFmtId="{number_id}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
        value_style = 2
    return (f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">{formats}<fonts count="1"><font><sz val="11"/>'
            '<color theme="1"/><name val="Calibri"/><family val="2"/><scheme val="minor"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/>'
            '</fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{len(xfs)}">' + "".join(xfs) + "</cellXfs>"
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles><dxfs count="0"/>'
            '<tableStyles count="0" defaultTableStyle="TableStyleMedium9" defaultPivotStyle="PivotStyleLight16"/>'
            "</styleSheet>"), value_style


def workbook(categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]],
             number_format: str, stamp: str) -> bytes:
    """The ``.xlsx`` bytes of a chart's data; ``stamp`` (``2025-02-20T16:00:00Z``) dates it."""
    styles, value_style = _styles(number_format)
    sheet = _Sheet()
    for row, label in enumerate(categories, start=1):
        sheet.text(row, 0, label, 1)
    for col, (name, values) in enumerate(series, start=1):
        sheet.text(0, col, name, None)
        for row, value in enumerate(values, start=1):
            sheet.number(row, col, value, value_style)
    strings = bool(sheet.strings)
    types = "".join(
        f'<Override PartName="/{name}" ContentType="{kind}"/>' for name, kind in (
            ("docProps/app.xml", _CT + "extended-properties+xml"),
            ("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
            ("xl/styles.xml", _CT + "spreadsheetml.styles+xml"), ("xl/theme/theme1.xml", _CT + "theme+xml"),
            ("xl/workbook.xml", _CT + "spreadsheetml.sheet.main+xml"),
            ("xl/worksheets/sheet1.xml", _CT + "spreadsheetml.worksheet+xml"),
            *((("xl/sharedStrings.xml", _CT + "spreadsheetml.sharedStrings+xml"),) if strings else ())))
    book_rels = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/{kind}" Target="{target}"/>' for n, (kind, target) in enumerate((
            ("worksheet", "worksheets/sheet1.xml"), ("theme", "theme/theme1.xml"), ("styles", "styles.xml"),
            *((("sharedStrings", "sharedStrings.xml"),) if strings else ())), start=1))
    entries = [
        ("[Content_Types].xml", f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                                'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
                                'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
                                f'"application/xml"/>{types}</Types>'),
        ("_rels/.rels", f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}"><Relationship Id="rId1" Type="{_REL}/'
                        f'officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="{_PKG_REL}/'
                        'metadata/core-properties" Target="docProps/core.xml"/><Relationship Id="rId3" '
                        f'Type="{_REL}/extended-properties" Target="docProps/app.xml"/></Relationships>'),
        ("xl/_rels/workbook.xml.rels", f'{_DECLARATION}<Relationships xmlns="{_PKG_REL}">{book_rels}</Relationships>'),
        ("xl/worksheets/sheet1.xml", sheet.xml()),
        ("xl/workbook.xml", f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><fileVersion appName="xl" '
                            'lastEdited="4" lowestEdited="4" rupBuild="4505"/><workbookPr defaultThemeVersion='
                            '"124226"/><bookViews><workbookView xWindow="240" yWindow="15" windowWidth="16095" '
                            'windowHeight="9660"/></bookViews><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>'
                            '</sheets><calcPr calcId="124519" fullCalcOnLoad="1"/></workbook>'),
        *((("xl/sharedStrings.xml", sheet.shared_strings()),) if strings else ()),
        ("xl/styles.xml", styles),
        ("xl/theme/theme1.xml", _DECLARATION + _THEME),
        ("docProps/core.xml", f'{_DECLARATION}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/'
                              'package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
                              'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
                              'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator></dc:creator>'
                              '<cp:lastModifiedBy></cp:lastModifiedBy><dcterms:created xsi:type="dcterms:W3CDTF">'
                              f'{stamp}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}'
                              '</dcterms:modified></cp:coreProperties>'),
        ("docProps/app.xml", f'{_DECLARATION}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/'
                             '2006/extended-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
                             '2006/docPropsVTypes"><Application>Microsoft Excel</Application><DocSecurity>0'
                             '</DocSecurity><ScaleCrop>false</ScaleCrop><HeadingPairs><vt:vector size="2" '
                             'baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant>'
                             '<vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs><TitlesOfParts><vt:vector '
                             'size="1" baseType="lpstr"><vt:lpstr>Sheet1</vt:lpstr></vt:vector></TitlesOfParts>'
                             '<Company></Company><LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>'
                             '<HyperlinksChanged>false</HyperlinksChanged><AppVersion>12.0000</AppVersion>'
                             '</Properties>'),
    ]
    return zip_bytes([(name, xml.encode()) for name, xml in entries])


_SCRIPT_FONTS = (
    ("Jpan", "ＭＳ Ｐゴシック"), ("Hang", "맑은 고딕"), ("Hans", "宋体"), ("Hant", "新細明體"), ("Arab", None),
    ("Hebr", None), ("Thai", "Tahoma"), ("Ethi", "Nyala"), ("Beng", "Vrinda"), ("Gujr", "Shruti"),
    ("Khmr", None), ("Knda", "Tunga"), ("Guru", "Raavi"), ("Cans", "Euphemia"),
    ("Cher", "Plantagenet Cherokee"), ("Yiii", "Microsoft Yi Baiti"), ("Tibt", "Microsoft Himalaya"),
    ("Thaa", "MV Boli"), ("Deva", "Mangal"), ("Telu", "Gautami"), ("Taml", "Latha"),
    ("Syrc", "Estrangelo Edessa"), ("Orya", "Kalinga"), ("Mlym", "Kartika"), ("Laoo", "DokChampa"),
    ("Sinh", "Iskoola Pota"), ("Mong", "Mongolian Baiti"), ("Viet", None), ("Uigh", "Microsoft Uighur"),
)
"""Per script, the face of both theme fonts (``None``: Arabic, Hebrew and Vietnamese take the
font's western face, Khmer its own)."""


def _theme_fonts(tag: str, latin: str, western: str, khmer: str) -> str:
    faces = {"Arab": western, "Hebr": western, "Viet": western, "Khmr": khmer}
    return (f'<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface=""/><a:cs typeface=""/>'
            + "".join(f'<a:font script="{script}" typeface="{face or faces[script]}"/>'
                      for script, face in _SCRIPT_FONTS)
            + f"</a:{tag}>")


# The Office 2007 theme, as XlsxWriter writes it (theme1.xml of every workbook it makes).
_THEME = (
    '<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="Office Theme">'
    '<a:themeElements><a:clrScheme name="Office"><a:dk1>'
    '<a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1>'
    '<a:sysClr val="window" lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="1F497D"/></a:dk2>'
    '<a:lt2><a:srgbClr val="EEECE1"/></a:lt2><a:accent1><a:srgbClr val="4F81BD"/></a:accent1>'
    '<a:accent2><a:srgbClr val="C0504D"/></a:accent2><a:accent3><a:srgbClr val="9BBB59"/>'
    '</a:accent3><a:accent4><a:srgbClr val="8064A2"/></a:accent4><a:accent5>'
    '<a:srgbClr val="4BACC6"/></a:accent5><a:accent6><a:srgbClr val="F79646"/></a:accent6>'
    '<a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/>'
    '</a:folHlink></a:clrScheme><a:fontScheme name="Office">'
    + _theme_fonts("majorFont", "Cambria", "Times New Roman", "MoolBoran")
    + _theme_fonts("minorFont", "Calibri", "Arial", "DaunPenh")
    + '</a:fontScheme><a:fmtScheme name="Office"><a:fillStyleLst><a:solidFill>'
    '<a:schemeClr val="phClr"/></a:solidFill><a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0">'
    '<a:schemeClr val="phClr"><a:tint val="50000"/><a:satMod val="300000"/></a:schemeClr></a:gs>'
    '<a:gs pos="35000"><a:schemeClr val="phClr"><a:tint val="37000"/><a:satMod val="300000"/>'
    '</a:schemeClr></a:gs><a:gs pos="100000"><a:schemeClr val="phClr"><a:tint val="15000"/>'
    '<a:satMod val="350000"/></a:schemeClr></a:gs></a:gsLst><a:lin ang="16200000" scaled="1"/>'
    '</a:gradFill><a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr">'
    '<a:shade val="51000"/><a:satMod val="130000"/></a:schemeClr></a:gs><a:gs pos="80000">'
    '<a:schemeClr val="phClr"><a:shade val="93000"/><a:satMod val="130000"/></a:schemeClr></a:gs>'
    '<a:gs pos="100000"><a:schemeClr val="phClr"><a:shade val="94000"/><a:satMod val="135000"/>'
    '</a:schemeClr></a:gs></a:gsLst><a:lin ang="16200000" scaled="0"/></a:gradFill>'
    '</a:fillStyleLst><a:lnStyleLst><a:ln w="9525" cap="flat" cmpd="sng" algn="ctr"><a:solidFill>'
    '<a:schemeClr val="phClr"><a:shade val="95000"/><a:satMod val="105000"/></a:schemeClr>'
    '</a:solidFill><a:prstDash val="solid"/></a:ln>'
    '<a:ln w="25400" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
    '</a:solidFill><a:prstDash val="solid"/></a:ln>'
    '<a:ln w="38100" cap="flat" cmpd="sng" algn="ctr"><a:solidFill><a:schemeClr val="phClr"/>'
    '</a:solidFill><a:prstDash val="solid"/></a:ln></a:lnStyleLst><a:effectStyleLst>'
    '<a:effectStyle><a:effectLst>'
    '<a:outerShdw blurRad="40000" dist="20000" dir="5400000" rotWithShape="0">'
    '<a:srgbClr val="000000"><a:alpha val="38000"/></a:srgbClr></a:outerShdw></a:effectLst>'
    '</a:effectStyle><a:effectStyle><a:effectLst>'
    '<a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">'
    '<a:srgbClr val="000000"><a:alpha val="35000"/></a:srgbClr></a:outerShdw></a:effectLst>'
    '</a:effectStyle><a:effectStyle><a:effectLst>'
    '<a:outerShdw blurRad="40000" dist="23000" dir="5400000" rotWithShape="0">'
    '<a:srgbClr val="000000"><a:alpha val="35000"/></a:srgbClr></a:outerShdw></a:effectLst>'
    '<a:scene3d><a:camera prst="orthographicFront"><a:rot lat="0" lon="0" rev="0"/></a:camera>'
    '<a:lightRig rig="threePt" dir="t"><a:rot lat="0" lon="0" rev="1200000"/></a:lightRig>'
    '</a:scene3d><a:sp3d><a:bevelT w="63500" h="25400"/></a:sp3d></a:effectStyle>'
    '</a:effectStyleLst><a:bgFillStyleLst><a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    '<a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr">'
    '<a:tint val="40000"/><a:satMod val="350000"/></a:schemeClr></a:gs><a:gs pos="40000">'
    '<a:schemeClr val="phClr"><a:tint val="45000"/><a:shade val="99000"/><a:satMod val="350000"/>'
    '</a:schemeClr></a:gs><a:gs pos="100000"><a:schemeClr val="phClr"><a:shade val="20000"/>'
    '<a:satMod val="255000"/></a:schemeClr></a:gs></a:gsLst><a:path path="circle">'
    '<a:fillToRect l="50000" t="-80000" r="50000" b="180000"/></a:path></a:gradFill>'
    '<a:gradFill rotWithShape="1"><a:gsLst><a:gs pos="0"><a:schemeClr val="phClr">'
    '<a:tint val="80000"/><a:satMod val="300000"/></a:schemeClr></a:gs><a:gs pos="100000">'
    '<a:schemeClr val="phClr"><a:shade val="30000"/><a:satMod val="200000"/></a:schemeClr></a:gs>'
    '</a:gsLst><a:path path="circle"><a:fillToRect l="50000" t="50000" r="50000" b="50000"/>'
    '</a:path></a:gradFill></a:bgFillStyleLst></a:fmtScheme></a:themeElements><a:objectDefaults/>'
    '<a:extraClrSchemeLst/></a:theme>'
)

"""One-sheet XLSX files (Office Open XML) written with the standard library.

Every table of a live page offers its rows as an XLSX download, built when the table is
drawn (a data URI works in Voilà, in static pages and offline). Through pandas and
openpyxl that imported ~0.3 s of modules and 6–8 MB into every live session, for a sheet
of a few hundred values. A sheet is five small XML parts in a zip; the rows are streamed,
so the catalogue's files of any length are written the same way.

Numbers are number cells, text is inline strings, missing values are empty cells; the
header row is bold and frozen.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from html import escape

import numpy as np

CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
<Default Extension="xml" ContentType="application/xml"/>\
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
</Types>"""
ROOT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
</Relationships>"""
WORKBOOK = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
</Relationships>"""
STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
</styleSheet>"""
SHEET_START = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
<dimension ref="A1:{last}"/><sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>\
</sheetView></sheetViews>{columns}<sheetData>"""
SHEET_END = "</sheetData></worksheet>"
ROWS_PER_WRITE = 2000
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 cannot hold


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell(reference: str, value, style: str = "") -> str:
    if value is None:
        return ""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return f'<c r="{reference}"{style} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return f'<c r="{reference}"{style}><v>{value!r}</v></c>'
    text = _NOT_XML.sub("", str(value))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{reference}"{style} t="inlineStr"><is><t{space}>{escape(text, quote=False)}</t></is></c>'


def _row(number: int, letters: list[str], values, style: str = "") -> str:
    cells = "".join(_cell(f"{letter}{number}", value, style) for letter, value in zip(letters, values, strict=True))
    return f'<row r="{number}">{cells}</row>'


def _widths(frame, letters: list[str]) -> str:
    """Columns as wide as their header or a sample of their values (Excel does not fit them itself)."""
    sample = frame.head(200)
    widths = []
    for index, column in enumerate(frame.columns):
        longest = max([len(str(column))] + [len(str(v)) for v in sample[column].tolist()])
        widths.append(f'<col min="{index + 1}" max="{index + 1}" width="{min(max(longest + 2, 8), 60)}" customWidth="1"/>')
    return f"<cols>{''.join(widths)}</cols>" if letters else ""


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip member with a fixed time: the same table gives the same file (cache, checksums)."""
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def write_xlsx(frame, target, sheet_name: str = "data") -> None:
    """Write ``frame`` (a DataFrame) as one sheet with a header row to a path or binary file."""
    letters = [column_letter(i) for i in range(len(frame.columns))]
    columns = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in frame.columns]
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(_entry("[Content_Types].xml"), CONTENT_TYPES)
        archive.writestr(_entry("_rels/.rels"), ROOT_RELS)
        archive.writestr(_entry("xl/workbook.xml"), WORKBOOK.format(name=escape(sheet_name[:31])))
        archive.writestr(_entry("xl/_rels/workbook.xml.rels"), WORKBOOK_RELS)
        archive.writestr(_entry("xl/styles.xml"), STYLES)
        with archive.open(_entry("xl/worksheets/sheet1.xml"), "w") as sheet:
            last = f"{letters[-1] if letters else 'A'}{len(frame) + 1}"  # lets readers size the sheet up front
            sheet.write(SHEET_START.format(last=last, columns=_widths(frame, letters)).encode())
            sheet.write(_row(1, letters, [str(c) for c in frame.columns], ' s="1"').encode())
            rows = zip(*columns, strict=True)
            chunk = []
            for number, values in enumerate(rows, start=2):
                chunk.append(_row(number, letters, values))
                if len(chunk) == ROWS_PER_WRITE:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write(("".join(chunk) + SHEET_END).encode())


def xlsx_bytes(frame, sheet_name: str = "data") -> bytes:
    buffer = io.BytesIO()
    write_xlsx(frame, buffer, sheet_name)
    return buffer.getvalue()

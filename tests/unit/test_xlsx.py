"""The XLSX files of table downloads and of the catalogue, read back as a spreadsheet user would.

Read with two independent readers: openpyxl (what Excel-compatible tools do) and calamine
(the Rust reader pandas uses; the portal reads publishers' XLSX files with it).
"""

from __future__ import annotations

import io
import time
import zipfile

import numpy as np
import openpyxl
import pandas as pd

from datalk.xlsx import column_letter, write_xlsx, xlsx_bytes


def _frame() -> pd.DataFrame:
    return pd.DataFrame({
        "Území": ["Liberecký kraj", "Žďár nad Sázavou", "  odsazeno ", "a < b & \"c\"", "řídicí\x07znak"],
        "Kód": ["CZ051", "6101", "x", "y", "z"],
        "Hodnota": [78.25, np.nan, 0.1 + 0.2, -3.0, 1e-7],
        "Počet": pd.array([1, None, 3, 4, 123456789012], dtype="Int64"),
        "Platí": [True, False, True, None, False],
    })


def test_openpyxl_reads_header_numbers_texts_and_gaps():
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(_frame())), read_only=True)["data"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Území", "Kód", "Hodnota", "Počet", "Platí")
    assert rows[1] == ("Liberecký kraj", "CZ051", 78.25, 1, True)
    assert rows[2][:4] == ("Žďár nad Sázavou", "6101", None, None)  # missing values are empty cells
    assert rows[3][0] == "  odsazeno " and rows[3][2] == 0.1 + 0.2  # spaces kept, floats exact
    assert rows[4][0] == 'a < b & "c"' and rows[4][4] is None
    assert rows[5][0] == "řídicíznak"  # a control character XML cannot hold is dropped, not an error
    assert rows[5][2] == 1e-7 and rows[5][3] == 123456789012
    assert len(rows) == 6


def test_calamine_reads_the_same_table_and_the_header_is_bold_and_frozen():
    back = pd.read_excel(io.BytesIO(xlsx_bytes(_frame())), engine="calamine")
    assert list(back.columns) == ["Území", "Kód", "Hodnota", "Počet", "Platí"]
    assert back["Hodnota"].iloc[0] == 78.25 and pd.isna(back["Hodnota"].iloc[1])
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(_frame())))
    sheet = workbook["data"]
    assert sheet["A1"].font.bold and not sheet["A2"].font.bold
    assert sheet.freeze_panes == "A2"


def test_long_and_wide_tables_are_streamed_into_the_file(tmp_path):
    wide = pd.DataFrame(np.arange(3 * 30).reshape(3, 30), columns=[f"c{i}" for i in range(30)])
    rows = list(openpyxl.load_workbook(io.BytesIO(xlsx_bytes(wide)), read_only=True)["data"].iter_rows(values_only=True))
    assert rows[0][26] == "c26" and rows[3][29] == 89  # columns past Z: AA, AB…
    assert [column_letter(i) for i in (0, 25, 26, 701, 702)] == ["A", "Z", "AA", "ZZ", "AAA"]

    long = pd.DataFrame({"n": range(5001), "text": ["x"] * 5001})
    path = tmp_path / "long.xlsx"
    write_xlsx(long, path)
    assert zipfile.ZipFile(path).testzip() is None
    back = pd.read_excel(path, engine="calamine")
    assert len(back) == 5001 and back["n"].iloc[-1] == 5000


def test_the_same_table_gives_the_same_file_whenever_it_is_written():
    """A download offered twice (or a catalogue file rebuilt) must not change without its data."""
    frame = _frame()
    first = xlsx_bytes(frame)
    time.sleep(2.1)  # zip member times have a 2-second resolution
    assert xlsx_bytes(frame) == first
    assert xlsx_bytes(frame.assign(Hodnota=frame["Hodnota"] * 2)) != first

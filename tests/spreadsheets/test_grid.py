"""The fast reader (calamine) gives the values openpyxl gives, and a file it cannot read safely
goes to openpyxl instead of taking the server down."""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from thuocdo.spreadsheets import Column, ImportRejected, Problems, SheetSpec, read_sheets
from thuocdo.spreadsheets.grid import Grid, OpenpyxlSheet, calamine_fits

SHEET = "xl/worksheets/sheet1.xml"
ROW = [
    datetime.date(2020, 1, 2),
    datetime.datetime(2020, 1, 2, 10, 30),
    1,
    1.5,
    True,
    False,
    "001",
    None,
    "  ",
    12345678901234,
    -3,
    datetime.time(10, 0),
    "Nguyễn Văn A",
]


def _workbook(path: Path, cells: dict[str, str] | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "S"
    ws.append([f"H{i}" for i in range(len(ROW))])
    ws.append(ROW)
    ws.append([None, None, 2])  # a row shorter than the header
    for ref, value in (cells or {}).items():
        ws[ref] = value
    wb.save(path)
    return path


def _openpyxl_rows(path: Path, width: int) -> list[list[object]]:
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        return [list(r) for r in OpenpyxlSheet(wb["S"]).rows(width)]
    finally:
        wb.close()


def test_calamine_reads_what_openpyxl_reads(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx")
    grid = Grid(str(path))
    try:
        assert grid.calamine
        sheet = grid.sheet("S")
        rows = [list(r) for r in sheet.rows(len(ROW))]
        header = list(sheet.header(len(ROW)))
    finally:
        grid.close()
    expected = _openpyxl_rows(path, len(ROW))
    # openpyxl pads a short row to the width asked for; so does the fast reader.
    assert [r + [None] * (len(ROW) - len(r)) for r in rows] == [
        r + [None] * (len(ROW) - len(r)) for r in expected
    ]
    assert header == [f"H{i}" for i in range(len(ROW))]
    first = rows[0]
    assert type(first[0]) is datetime.datetime and type(first[2]) is int
    assert first[4] is True and first[6] == "001" and first[7] is None


def test_a_grid_too_big_for_calamine_is_streamed_and_refused_by_row_count(tmp_path: Path) -> None:
    # A few kilobytes asking for a grid of 16.384 × 1.048.576 cells: calamine would abort.
    path = _workbook(tmp_path / "bomb.xlsx", {"XFD1048576": "x"})
    assert not calamine_fits(str(path))
    spec = SheetSpec("S", (Column("h", "H0"),))
    with pytest.raises(ImportRejected) as rejected:
        read_sheets(path, [spec], Problems([spec]))
    assert "có dữ liệu quá dòng 200.001" in str(rejected.value)


def test_cells_without_positions_are_read_by_openpyxl(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "a.xlsx")
    buffer = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == SHEET:
                data = re.sub(rb'(<c) r="[A-Z]+\d+"', rb"\1", data)
            target.writestr(item, data)
    buffer.seek(0)
    assert not calamine_fits(buffer)
    spec = SheetSpec("S", (Column("code", "H6"), Column("when", "H0", kind="date")))
    rows = read_sheets(buffer, [spec], Problems([spec]))["S"]
    assert rows[0].values == {"code": "001", "when": datetime.date(2020, 1, 2)}

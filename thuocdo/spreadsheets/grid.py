"""The cells of a workbook's sheets, read by calamine (fast) or by openpyxl (streaming).

calamine (Rust) reads a 100.000-row sheet several times faster than openpyxl, but it builds
each sheet as one dense grid, from its first cell to its last: a file of a few kilobytes with
one cell in A1 and one in XFD1048576 would ask for billions of cells and abort the process.
So before calamine sees a file, every worksheet's XML is scanned for the cells' positions;
calamine reads it only if every cell states its position and the grid stays within
`MAX_GRID_CELLS`. Any other file is streamed by openpyxl in read-only mode, which never holds
more than a row and stops at the row limit with its own message. Both give the values the
importers expect, as openpyxl has always given them: None for an empty cell, int for a whole
number, datetime for a date, bool, float, str.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterator, Sequence
from typing import IO, Any

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from thuocdo.spreadsheets import limits

# 200.000 rows of 40 columns; a grid cell costs calamine about 32 bytes.
MAX_GRID_CELLS = (limits.MAX_ROWS + 1) * 40
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?c[\s/>]")
_CELL_REF = re.compile(
    rb"<(?:[A-Za-z_][\w.\-]*:)?c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,3})\$?(\d{1,7})[\"']"
)
_WHOLE = 2**53  # floats up to here are exact integers


def _column_number(letters: bytes) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + char - 64
    return number


def calamine_fits(source: str | IO[bytes]) -> bool:
    """True if every worksheet of the (already size-checked) zip can be read by calamine:
    every cell has its position, each sheet's grid stays under MAX_GRID_CELLS, and no part
    declares a document type (entities are for defusedxml to refuse)."""
    with zipfile.ZipFile(source) as archive:
        for member in archive.infolist():
            if not member.filename.lower().endswith(".xml"):
                continue
            data = archive.read(member)
            if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
                return False  # openpyxl's defusedxml refuses it with the right message
            if b"sheetData" not in data:
                continue
            refs = _CELL_REF.findall(data)
            if len(refs) != len(_CELL.findall(data)):
                return False  # a cell placed by its order alone: positions cannot be bounded
            if not refs:
                continue
            rows = [int(row) for _, row in refs]
            columns = [_column_number(letters) for letters in {letters for letters, _ in refs}]
            height = max(rows) - min(rows) + 1
            width = max(columns) - min(columns) + 1
            if height * width > MAX_GRID_CELLS:
                return False
    return True


def _value(value: Any) -> Any:
    """A calamine value as openpyxl gives it."""
    if value == "" and isinstance(value, str):
        return None
    if isinstance(value, float):
        if value.is_integer() and -_WHOLE < value < _WHOLE:
            return int(value)
        return value
    if type(value) is datetime.date:
        return datetime.datetime(value.year, value.month, value.day)
    return value


def _calamine_open(source: str | IO[bytes]) -> Any:
    """The workbook opened by calamine, or None if calamine cannot open it."""
    if not isinstance(source, str):
        source.seek(0)
    try:
        if isinstance(source, str):
            return CalamineWorkbook.from_path(source)
        return CalamineWorkbook.from_filelike(source)
    except Exception:
        return None
    except BaseException as error:  # a panic in calamine's Rust
        if type(error).__name__ != "PanicException":
            raise
        return None


class CalamineSheet:
    """One sheet read whole by calamine."""

    def __init__(self, sheet: Any) -> None:
        """Keep the sheet and where its cells start."""
        self.sheet = sheet
        start, end = sheet.start, sheet.end
        self.first_column = start[1] if start else 0
        self.last_row = end[0] if end else -1  # 0-based; -1 when the sheet is empty
        self.estimate = min(max(self.last_row, 0), limits.MAX_ROWS)

    def _rows(self, width: int) -> Iterator[list[Any]]:
        """Every row from the first (calamine starts at row 1, but at the first used column)."""
        pad = [None] * self.first_column
        for cells in self.sheet.iter_rows():
            row = pad + cells if pad else cells
            yield [_value(value) for value in row[:width]]

    def header(self, width: int) -> Sequence[Any]:
        """The first row's cells, up to `width`."""
        return next(self._rows(width), [])

    def rows(self, width: int) -> Iterator[Sequence[Any]]:
        """The rows after the header, each cut to `width` cells."""
        rows = self._rows(width)
        next(rows, None)
        return rows


class OpenpyxlSheet:
    """One sheet streamed by openpyxl in read-only mode."""

    def __init__(self, ws: Any) -> None:
        """Keep the sheet; forget the dimensions it declares."""
        self.ws = ws
        self.estimate = min(max((ws.max_row or 1) - 1, 0), limits.MAX_ROWS)
        # The declared dimensions are the file's word, not to be trusted: without them every
        # row is as long as its last cell and the reader stops where the cells stop.
        ws.reset_dimensions()

    def header(self, width: int) -> Sequence[Any]:
        """The first row's cells, up to `width`."""
        return next(self.ws.iter_rows(min_row=1, max_row=1, max_col=width, values_only=True), ())

    def rows(self, width: int) -> Iterator[Sequence[Any]]:
        """The rows after the header, each cut to `width` cells."""
        return self.ws.iter_rows(min_row=2, max_col=width, values_only=True)  # type: ignore[no-any-return]


class Grid:
    """An open workbook: its sheet names and each sheet's cells."""

    def __init__(self, source: str | IO[bytes]) -> None:
        """Open with calamine if the file fits it and calamine can open it, else with openpyxl
        (which reads a workbook part calamine refuses, such as one listing no sheet)."""
        self.book: Any = None
        self.calamine = calamine_fits(source)
        if self.calamine:
            self.book = _calamine_open(source)
            self.calamine = self.book is not None
        if not isinstance(source, str):
            source.seek(0)
        if self.calamine:
            self.sheetnames: list[str] = list(self.book.sheet_names)
        else:
            self.book = load_workbook(source, read_only=True, data_only=True)
            self.sheetnames = list(self.book.sheetnames)

    def sheet(self, name: str) -> CalamineSheet | OpenpyxlSheet:
        """The named sheet."""
        if self.calamine:
            return CalamineSheet(self.book.get_sheet_by_name(name))
        return OpenpyxlSheet(self.book[name])

    def close(self) -> None:
        """Release the file."""
        self.book.close()

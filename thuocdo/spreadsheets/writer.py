"""Writing workbooks: the empty import templates, and the one way every export is saved.

`template_write` lays out a `WorkbookSpec`: the instruction sheet first (the workbook opens on
it), one sheet per `SheetSpec` with bold headers, its example row (grey, with a note; the reader
skips it while it is left as written), choice lists (kept on a hidden sheet: an inline list
cannot hold a label with a comma and is limited to 255 characters), date and number formats.

`workbook_save` / `workbook_bytes` are how every Excel export leaves the application: text that
Excel would take for a formula ("=...", "+...", "-...", "@...") is stored as quoted text, so
that a name typed as `=HYPERLINK(...)` is shown, never run.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.spreadsheets import limits
from thuocdo.spreadsheets.columns import Column, SheetSpec, WorkbookSpec

INSTRUCTIONS_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATTED_ROWS = 1000  # rows of the template whose cells get the column's format
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
HEADER_FILL = "DDEBF7"
EXAMPLE_NOTE = "← Dòng ví dụ: được bỏ qua khi nhập. Ghi đè hoặc xoá dòng này."
EXAMPLE_GUIDE = (
    "Dòng 2 của mỗi sheet là dòng ví dụ (chữ nghiêng, màu xám): dòng này được bỏ qua khi nhập "
    "nếu để nguyên. Có thể ghi đè dòng ví dụ bằng dữ liệu thật (khi đó dòng được nhập) hoặc "
    "xoá đi."
)
DATE_CELL_FORMAT = "DD/MM/YYYY"


# --- Exports --------------------------------------------------------------------------------


def escape_formulas(wb: Workbook) -> None:
    """Store every text cell that Excel would read as a formula as plain, quote-prefixed text."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                    cell.data_type = "s"  # openpyxl marks "=..." as a formula otherwise
                    cell.quotePrefix = True


def streamed_value(ws: Any, value: Any, font: Font | None = None) -> Any:
    """A value for a streamed (write-only) sheet: text that looks like a formula stays text.

    A streamed workbook cannot be walked after it is written, so its values are escaped as they
    are appended. Only such values (and styled ones) become cells: a cell object per value
    would take three quarters of the time of a city's workbook.
    """
    formula_like = isinstance(value, str) and value.startswith(FORMULA_STARTS)
    if font is None and not formula_like:
        return value
    cell = WriteOnlyCell(ws, value=value)
    if formula_like:
        cell.data_type = "s"
        cell.quotePrefix = True
    if font is not None:
        cell.font = font
    return cell


def workbook_save(wb: Workbook, target: str | Path | IO[bytes]) -> None:
    """Save a workbook with formula-looking text escaped (every export goes through here).

    A streamed workbook's values were escaped as they were appended (`streamed_value`).
    """
    if not wb.write_only:
        escape_formulas(wb)
    wb.save(target)


def workbook_bytes(wb: Workbook) -> bytes:
    """The saved workbook's bytes, formula-looking text escaped."""
    buffer = io.BytesIO()
    workbook_save(wb, buffer)
    return buffer.getvalue()


def header_write(ws: Worksheet, columns: Sequence[Column]) -> None:
    """The header row of an import sheet: bold on blue, column widths, frozen below."""
    for index, column in enumerate(columns, start=1):
        cell = ws.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A2"


# --- Templates ------------------------------------------------------------------------------


def template_bytes(workbook: WorkbookSpec) -> bytes:
    """The empty import workbook, as bytes."""
    buffer = io.BytesIO()
    template_write(workbook, buffer)
    return buffer.getvalue()


def template_write(workbook: WorkbookSpec, target: str | Path | IO[bytes]) -> None:
    """Write the empty import workbook with its instructions, lists, formats and examples."""
    wb = Workbook()
    for sheet in list(wb.worksheets):
        wb.remove(sheet)
    _instructions_write(wb.create_sheet(INSTRUCTIONS_SHEET), workbook)
    lists = _Lists(wb)
    for spec in workbook.sheets:
        ws = wb.create_sheet(spec.name)
        header_write(ws, spec.columns)
        for index, column in enumerate(spec.columns, start=1):
            _column_format(ws, index, column, lists)
        _example_write(ws, spec)
    if lists.sheet is not None:
        # The list sheet goes last and hidden.
        wb.move_sheet(lists.sheet, offset=len(wb.sheetnames) - 1)
        lists.sheet.sheet_state = "hidden"
    wb.active = 0
    workbook_save(wb, target)


class _Lists:
    """The hidden sheet of choice lists, one column per distinct list."""

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.sheet: Worksheet | None = None
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_of(self, labels: tuple[str, ...]) -> str:
        """The absolute reference of a list, written on first use."""
        if labels not in self.ranges:
            if self.sheet is None:
                self.sheet = self.wb.create_sheet(LISTS_SHEET)
            column = len(self.ranges) + 1
            for row, label in enumerate(labels, start=1):
                self.sheet.cell(row=row, column=column, value=label)
            letter = get_column_letter(column)
            self.ranges[labels] = f"'{LISTS_SHEET}'!${letter}$1:${letter}${len(labels)}"
        return self.ranges[labels]


def _column_format(ws: Worksheet, index: int, column: Column, lists: _Lists) -> None:
    """A column's drop-down list and cell format over the template's rows."""
    letter = get_column_letter(index)
    if column.choices:
        labels = tuple(label for _, label in column.choices)
        validation = DataValidation(
            type="list",
            formula1=lists.range_of(labels),
            allow_blank=not column.required,
            # A suggested list still accepts other text.
            showErrorMessage=not column.suggest,
        )
        validation.error = f"Chọn một giá trị trong danh sách: {column.allowed()}."
        validation.errorTitle = column.header
        validation.add(f"{letter}2:{letter}{limits.MAX_ROWS + 1}")
        ws.add_data_validation(validation)
    number_format = column.number_format or (DATE_CELL_FORMAT if column.kind == "date" else "")
    if number_format:
        for row in range(2, FORMATTED_ROWS + 1):
            ws.cell(row=row, column=index).number_format = number_format


def _example_write(ws: Worksheet, spec: SheetSpec) -> None:
    """The example row under the headers, in grey italics, with a note saying it is skipped."""
    if not spec.example:
        return
    grey = Font(italic=True, color="808080")
    for index, value in enumerate(spec.example, start=1):
        ws.cell(row=2, column=index, value=value).font = grey
    ws.cell(row=2, column=len(spec.columns) + 1, value=EXAMPLE_NOTE).font = grey


def _instructions_write(ws: Worksheet, workbook: WorkbookSpec) -> None:
    """Fill the instruction sheet: general rules, then one line per sheet and per column."""
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    general = [workbook.title, *workbook.guide]
    if any(spec.example for spec in workbook.sheets):
        general.append(EXAMPLE_GUIDE)
    for row, text in enumerate(general, start=1):
        ws.cell(row=row, column=1, value=text)
    ws.cell(row=1, column=1).font = Font(bold=True, size=14)
    row = len(general) + 2
    for index, text in enumerate(["Sheet", "Cột", "Bắt buộc", "Giá trị cho phép", "Ghi chú"], 1):
        ws.cell(row=row, column=index, value=text).font = bold
    for spec in workbook.sheets:
        row += 1
        ws.cell(row=row, column=1, value=spec.name).font = bold
        ws.cell(row=row, column=2, value="(cả sheet)")
        ws.cell(row=row, column=3, value="Có" if spec.required else "Không")
        ws.cell(row=row, column=5, value=spec.help).alignment = wrap
        for column in spec.columns:
            row += 1
            values: list[Any] = [spec.name, column.header, "Có" if column.required else "Không"]
            for index, value in enumerate([*values, column.allowed(), column.help], start=1):
                ws.cell(row=row, column=index, value=value).alignment = wrap
    for letter, width in zip("ABCDE", (20, 26, 10, 50, 70), strict=True):
        ws.column_dimensions[letter].width = width

"""The simulation ("Mô phỏng") as an Excel workbook: the scenario and the counts before and
after (the whole period, per unit, per subject group), each change with its rule and source
("chưa xác nhận căn cứ" beside an unconfirmed one), and the subjects left out. Counts are real
numbers with a number format."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.reviews.annual.simulation import COLUMN_LABELS, COLUMNS, CountsRow, WhatIf
from thuocdo.spreadsheets.writer import XLSX, workbook_bytes

__all__ = ["XLSX", "what_if_xlsx"]
COUNT_FORMAT = "#,##0"
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


def _header(ws: Worksheet, row: int, values: list[str]) -> None:
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col, value=value)
        cell.font, cell.fill = BOLD, HEADER_FILL


def _widths(ws: Worksheet, widths: list[int]) -> None:
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width


def _counts(ws: Worksheet, title: str, rows: list[CountsRow]) -> None:
    ws.title = title
    labels = [COLUMN_LABELS[c] for c in COLUMNS]
    _header(ws, 1, ["Tên", *[f"Trước: {x}" for x in labels], *[f"Sau: {x}" for x in labels]])
    for r, line in enumerate(rows, start=2):
        ws.cell(row=r, column=1, value=line.name)
        for c, n in enumerate([*line.cells("before"), *line.cells("after")], start=2):
            ws.cell(row=r, column=c, value=n).number_format = COUNT_FORMAT
    _widths(ws, [40, *[11] * (2 * len(COLUMNS))])


def what_if_xlsx(result: WhatIf) -> bytes:
    """The workbook of a simulation."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tổng hợp"
    ws.cell(row=1, column=1, value=f"Mô phỏng — {result.period}").font = Font(bold=True, size=14)
    ws.cell(row=2, column=1, value=f"Theo: {result.scenario}")
    ws.cell(
        row=3,
        column=1,
        value="Kết quả tính trong bộ nhớ, không ghi gì vào hệ thống. Trước: mức đã kết luận, "
        "nếu chưa có thì mức đề xuất.",
    )
    _header(ws, 5, ["Mức", "Trước", "Sau", "Chênh lệch"])
    before, after = result.total.cells("before"), result.total.cells("after")
    for r, (code, b, a) in enumerate(zip(COLUMNS, before, after, strict=True), start=6):
        ws.cell(row=r, column=1, value=COLUMN_LABELS[code])
        for c, n in enumerate((b, a, a - b), start=2):
            ws.cell(row=r, column=c, value=n).number_format = COUNT_FORMAT
    _widths(ws, [40, 12, 12, 12])
    _counts(wb.create_sheet(), "Theo đơn vị", result.by_unit)
    _counts(wb.create_sheet(), "Theo nhóm đối tượng", result.by_group)
    ws = wb.create_sheet("Người thay đổi mức")
    _header(
        ws,
        1,
        ["Đối tượng", "Đơn vị", "Nhóm", "Trước", "Sau", "Quy tắc", "Căn cứ", "Lý do",
         "Trước đây theo"],
    )  # fmt: skip
    for r, ch in enumerate(result.changes, start=2):
        values = [ch.subject, ch.unit, ch.group, ch.before or "Chưa có", ch.after, ch.rule,
                  ch.citation, ch.reason, ch.before_rule]  # fmt: skip
        for col, value in enumerate(values, start=1):
            ws.cell(row=r, column=col, value=value)
    _widths(ws, [30, 30, 22, 9, 9, 24, 50, 70, 60])
    ws = wb.create_sheet("Không tính")
    _header(ws, 1, ["Đối tượng chưa có dữ liệu mà bộ quy tắc cần"])
    for r, name in enumerate(result.left_out, start=2):
        ws.cell(row=r, column=1, value=name)
    _widths(ws, [50])
    return workbook_bytes(wb)

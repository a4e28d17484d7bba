"""Export of a targets dashboard to Excel, with real numbers and number formats (not text), so
that the figures can be summed and charted; Excel shows them in the reader's locale."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from thuocdo.spreadsheets import workbook_bytes
from thuocdo.targets import achievement as calc
from thuocdo.targets.selectors import Dashboard, vn_pct

QUANTITY = "#,##0.##"
PERCENT = "0.0%"
HEADERS = [
    "Nhóm",
    "Mã",
    "Tên chỉ tiêu",
    "Đơn vị tính",
    "Chỉ tiêu giao",
    "Kết quả",
    "Tỷ lệ hoàn thành",
    "Chiều",
    "Chỉ tiêu chính",
    "Trọng số",
    "Đánh giá",
]
WIDTHS = [28, 8, 60, 12, 14, 14, 16, 20, 14, 10, 34]
MISSED_FILL = PatternFill("solid", fgColor="F8D7DA")


def dashboard_workbook(dashboard: Dashboard) -> bytes:
    """The dashboard as an .xlsx file: one row per indicator, then the summary."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Chỉ tiêu"
    target_set, summary = dashboard.target_set, dashboard.summary
    ws.append([str(target_set)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Đơn vị: {target_set.unit.name} · Năm {target_set.year}"])
    ws.append([])
    ws.append(HEADERS)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for row in dashboard.rows:
        indicator = row.indicator
        verdict = "Đạt" if row.result.met else "Chưa đạt"
        if not row.result.measured:
            verdict = "Chưa có kết quả"
        if row.missed_main:
            verdict = "CHỈ TIÊU CHÍNH KHÔNG ĐẠT"
            if indicator.force_majeure:
                verdict += " (bất khả kháng)"
        pct = row.result.pct / calc.HUNDRED if row.result.pct is not None else None
        ws.append(
            [
                indicator.group_name,
                indicator.code,
                indicator.name,
                indicator.unit_of_measure,
                indicator.target,
                row.actual,
                pct,
                indicator.get_direction_display(),
                "Có" if indicator.is_main else "Không",
                indicator.weight,
                verdict,
            ]
        )
        current = ws.max_row
        for column in "EF":
            ws[f"{column}{current}"].number_format = QUANTITY
        ws[f"G{current}"].number_format = PERCENT
        ws[f"J{current}"].number_format = QUANTITY
        if row.missed_main:
            for cell in ws[current]:
                cell.fill = MISSED_FILL
    ws.append([])
    ws.append(["Số chỉ tiêu đạt", summary.met, "trên", summary.assigned])
    weighted = summary.achievement_pct
    ws.append(["Tỷ lệ hoàn thành chung (có trọng số)", weighted / calc.HUNDRED if weighted else 0])
    ws[f"B{ws.max_row}"].number_format = PERCENT
    ws.append(["Chỉ tiêu chính không đạt", summary.main_missed])
    if summary.veto:
        ws.append(["Dưới 50% chỉ tiêu và có chỉ tiêu chính không đạt: Không hoàn thành nhiệm vụ"])
    if weighted is not None:
        ws.append([f"({vn_pct(weighted)}, mỗi chỉ tiêu tính tối đa đến mức trần)"])
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    ws.freeze_panes = "A5"
    return workbook_bytes(wb)

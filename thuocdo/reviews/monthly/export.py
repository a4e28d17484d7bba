"""The board of a unit's month as an Excel workbook: one row per person with the parts of the
score, the level (or «Tạm tính» and what is missing while the month runs) and who wrote the
self-assessment («Nhập hộ bởi …» when the organiser or the leader entered it)."""

from __future__ import annotations

from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Font

from thuocdo.org.models import Unit
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore, Period
from thuocdo.reviews.monthly.explain import explanation_missing
from thuocdo.spreadsheets.writer import workbook_bytes
from thuocdo.web.words import ruleset_name

POINTS = "0.00"
HEADERS = [
    "Mã cán bộ",
    "Họ và tên",
    "Đơn vị",
    "Tiêu chí chung",
    "Kết quả thực hiện nhiệm vụ",
    "Điểm thưởng",
    "Điểm trừ",
    "Tổng điểm",
    "Mức đề xuất",
    "Mức quyết định",
    "Tự đánh giá",
    "Còn thiếu",
]
WIDTHS = [14, 30, 30, 14, 16, 12, 10, 12, 12, 14, 36, 60]


def self_assessment_note(assessment: MonthlyAssessment | None) -> str:
    """How the self-assessment came to be, as the board and the export say it."""
    if assessment is None:
        return "Chưa tự đánh giá"
    if assessment.on_behalf_by_id is None:
        return f"Tự chấm {assessment.general:.2f}".replace(".", ",")
    note = f"Nhập hộ bởi {assessment.on_behalf_name}"
    if assessment.confirmed_at is not None:
        return f"{note}, cán bộ đã xác nhận ngày {assessment.confirmed_at:%d/%m/%Y}"
    return f"{note}, chờ cán bộ xác nhận"


def board_workbook(period: Period, unit: Unit, scores: Iterable[MonthlyScore]) -> bytes:
    """The scores shown on the board (of one unit's subtree) as an .xlsx file."""
    rows = list(scores)
    selves = {
        a.person_id: a
        for a in MonthlyAssessment.objects.filter(
            period=period, source="self", person_id__in=[s.person_id for s in rows]
        ).select_related("on_behalf_by__person")
    }
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Kết quả tháng"
    ws.append([str(period)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Đơn vị: {unit.name} · Bộ quy tắc: {ruleset_name(period.ruleset)}"])
    ws.append([])
    ws.append(HEADERS)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for s in rows:
        ws.append(
            [
                s.person.code,
                s.person.full_name,
                s.unit.name,
                s.general,
                s.results,
                s.bonus,
                s.deductions,
                s.total,
                s.proposed_level or "Tạm tính",
                s.level or "Tạm tính",
                self_assessment_note(selves.get(s.person_id)),
                "; ".join(explanation_missing(s.explanation)),
            ]
        )
        for column in "DEFGH":
            ws[f"{column}{ws.max_row}"].number_format = POINTS
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    return workbook_bytes(wb)

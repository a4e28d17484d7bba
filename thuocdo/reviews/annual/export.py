"""The evaluations of a year period as an Excel workbook (those the user may see): one row per
subject with its step, who wrote the self-review («Nhập hộ bởi …, ngày …» and whether the
person confirmed it), the self, leader and annual scores, the engine's proposal and the
conclusion. Text is written as text: a name or a reason beginning with "=" never becomes a
formula."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font

from thuocdo.reviews.models import AnnualAssessment, AssessmentSource, Evaluation, Period
from thuocdo.spreadsheets.writer import workbook_bytes
from thuocdo.web.words import ruleset_name

POINTS = "0.00"
HEADERS = [
    "Mã cán bộ",
    "Họ và tên (tập thể)",
    "Đơn vị",
    "Chức vụ",
    "Nhóm đối tượng",
    "Bước",
    "Bản tự kiểm điểm",
    "Tự chấm",
    "Tự đề xuất",
    "Lãnh đạo chấm",
    "Lãnh đạo đề xuất",
    "Điểm năm",
    "Máy đề xuất",
    "Mức kết luận",
    "Lý do điều chỉnh",
]
WIDTHS = [14, 30, 28, 30, 22, 20, 50, 10, 10, 12, 12, 10, 12, 12, 40]
POINT_COLUMNS = "HJL"


def self_review_note(sheet: AnnualAssessment | None) -> str:
    """How the self-review came to be, as the board, the page and the export say it."""
    if sheet is None:
        return "Chưa tự kiểm điểm"
    if sheet.on_behalf_by_id is None:
        return "Tự viết"
    note = f"Nhập hộ bởi {sheet.on_behalf_name}, ngày {timezone.localtime(sheet.at):%d/%m/%Y}"
    if sheet.confirmed_at is not None:
        return f"{note}; đã xác nhận ngày {timezone.localtime(sheet.confirmed_at):%d/%m/%Y}"
    return f"{note}; chờ xác nhận"


def evaluations_workbook(period: Period, evaluations: Iterable[Evaluation]) -> bytes:
    """The evaluations given (already scoped by the caller) as an .xlsx file."""
    rows = list(evaluations)
    selves = {
        a.evaluation_id: a
        for a in AnnualAssessment.objects.filter(
            evaluation__in=[ev.pk for ev in rows], source=AssessmentSource.SELF
        ).select_related("on_behalf_by__person")
    }
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Phiếu đánh giá năm"
    ws.append([str(period)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Bộ quy tắc: {ruleset_name(period.ruleset)} · {period.get_state_display()}"])
    ws.append([])
    ws.append(HEADERS)
    for cell in ws[4]:
        cell.font = Font(bold=True)
    for ev in rows:
        ws.append(
            [
                ev.person.code if ev.person else ev.unit.code,
                ev.subject_name,
                ev.unit.name,
                ev.post.title if ev.post else "",
                ev.get_group_display(),
                ev.get_state_display(),
                self_review_note(selves.get(ev.pk)),
                ev.self_score,
                ev.self_level,
                ev.leader_score,
                ev.leader_level,
                ev.score,
                ev.proposed_level,
                ev.level,
                ev.reason,
            ]
        )
        line = ws.max_row
        for cell in ws[line]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text stays text, even "=…"
        for column in POINT_COLUMNS:
            ws[f"{column}{line}"].number_format = POINTS
    for index, width in enumerate(WIDTHS):
        ws.column_dimensions[chr(ord("A") + index)].width = width
    return workbook_bytes(wb)

"""Exports of the leniency report ("Cảnh báo nể nang"): JSON (API and CLI), Excel and PDF.

As for the distribution report, Excel cells hold real numbers (counts as integers, shares as
percentages, scores and gaps as decimals) and the PDF is rendered by WeasyPrint in DejaVu Sans.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thuocdo.reports import leniency as rules
from thuocdo.reports.common.exports import COUNT_FORMAT, FLAG_FILL, HEADER_FILL, SHARE_FORMAT
from thuocdo.reports.common.levels import rounded_percent, vn_share
from thuocdo.reports.leniency import Flag, UnitGap, vn_decimal
from thuocdo.reports.leniency.selectors import LeniencyReport
from thuocdo.rules.fmt import vn_number
from thuocdo.spreadsheets import workbook_bytes

DECIMAL_FORMAT = "0.00"
FLAGS_SHEET = "Cảnh báo nể nang"
GAPS_SHEET = "Tự đề xuất và kết luận"


def leniency_title(report: LeniencyReport) -> str:
    """The report's title in Vietnamese."""
    return f"Cảnh báo nể nang trong đánh giá, xếp loại năm {report.year} — {report.unit.name}"


def leniency_file_name(report: LeniencyReport, extension: str) -> str:
    """An ASCII file name: canh-bao-ne-nang-<unit>-<year>[-<group>].<ext>."""
    parts = ["canh-bao-ne-nang", report.unit.code, str(report.year)]
    parts += [report.group] if report.group else []
    safe = "-".join(parts).replace("/", "-").replace(" ", "-")
    return f"{safe}.{extension}"


def method_lines() -> list[str]:
    """How each flag is raised, with its thresholds, in Vietnamese (page, Excel and PDF)."""
    peers = (
        f"Đơn vị cùng cấp: cùng đơn vị cấp trên, cùng loại đơn vị, cùng nhóm đối tượng và năm, "
        f"mỗi đơn vị có từ {rules.MIN_CLASSIFIED} người được xếp loại trở lên; cần ít nhất "
        f"{rules.MIN_PEERS} đơn vị để so sánh. Mỗi đơn vị được xét theo kết quả tính tại đơn "
        "vị; các đơn vị trực thuộc trực tiếp đơn vị được xem còn được xét theo toàn bộ đơn vị "
        "và các đơn vị trực thuộc của chúng (so sánh và sát giới hạn nhiều năm)."
    )
    return [
        f"{rules.FLAG_LABELS[rules.QUOTA_BREACH]}: số HTXS vượt 20% số từ Hoàn thành tốt nhiệm "
        "vụ trở lên của toàn đơn vị được xem, và của từng đơn vị với đảng viên, công chức, viên "
        f"chức (đơn vị có từ {rules.MIN_BREACH_BASE} người từ HTT trở lên), chỉ với nhóm và năm "
        "có quy định về tỷ lệ; căn cứ ghi trong từng cảnh báo. Cán bộ lãnh đạo, quản lý và tập "
        "thể tính tỷ lệ theo chức danh tương đương, không theo từng đơn vị.",
        peers,
        f"{rules.FLAG_LABELS[rules.SHARE_OUTLIER]}: tỷ lệ HTXS trên tổng số được xếp loại vượt "
        f"ngưỡng Q3 + 1,5 × IQR của các đơn vị cùng cấp (phương pháp Tukey) và cao "
        f"hơn trung vị từ {vn_share(rules.MIN_SHARE_MARGIN)} trở lên.",
        f"{rules.FLAG_LABELS[rules.SCORE_OUTLIER]}: điểm bình quân vượt ngưỡng Q3 + 1,5 × IQR "
        f"và cao hơn trung vị từ {vn_decimal(rules.MIN_SCORE_MARGIN)} điểm trở lên.",
        f"{rules.FLAG_LABELS[rules.NO_LOWERING]}: không ai bị hạ so với mức tự đề xuất trong "
        f"khi trung vị tỷ lệ bị hạ mức của các đơn vị cùng cấp khác từ "
        f"{vn_share(rules.MATERIAL_LOWERED_SHARE)} trở lên (chỉ kỳ đánh giá trong hệ thống).",
        f"{rules.FLAG_LABELS[rules.GAP_OUTLIER]}: chênh lệch bình quân giữa mức tự đề xuất và "
        f"mức kết luận dưới ngưỡng Q1 − 1,5 × IQR của các đơn vị cùng cấp và thấp hơn trung vị "
        f"từ {vn_decimal(rules.MIN_GAP_MARGIN)} mức trở lên.",
        f"{rules.FLAG_LABELS[rules.QUOTA_LIMIT]}: số HTXS bằng giới hạn 20% (hoặc chỉ kém "
        f"{rules.LIMIT_SLACK} khi giới hạn từ {rules.SLACK_FROM_LIMIT} trở lên) trong mọi năm có "
        f"kết quả, ít nhất {rules.STREAK_YEARS} năm (xét 5 năm đến năm báo cáo; đơn vị có từ "
        f"{rules.MIN_CLASSIFIED} người từ HTT trở lên).",
    ]


def sources_text(report: LeniencyReport) -> str:
    """Where the year's figures come from, in one sentence."""
    return (
        f"Nguồn số liệu năm {report.year}: {vn_number(report.evaluated)} kết quả kỳ đánh giá "
        f"năm đã công khai trong hệ thống, {vn_number(report.imported)} kết quả nhập từ các năm "
        f"trước, ở {vn_number(report.lines)} đơn vị và nhóm đối tượng."
    )


def _number(value: Fraction | None, measure: str) -> float | None:
    """A figure as Excel and JSON hold it: shares to four decimals, scores and gaps to two."""
    if value is None:
        return None
    if measure == rules.SHARE:
        return float(rounded_percent(value) / 100)
    return float(rounded_percent(value / 100))


def _text(value: Fraction | None, measure: str) -> str:
    """A figure as printed (45%; 87,5; 0,33 mức)."""
    if value is None:
        return "—"
    if measure == rules.SHARE:
        return vn_share(value)
    if measure == rules.LEVELS_GAP:
        return f"{vn_decimal(value)} mức"
    return vn_decimal(value)


def flag_dict(flag: Flag, report: LeniencyReport) -> dict[str, Any]:
    """One flag as plain JSON data."""
    return {
        "kind": flag.kind,
        "label": flag.label,
        "unit": {"code": flag.unit.code, "name": flag.unit.name},
        "subtree": flag.subtree,
        "group": flag.group,
        "group_label": report.group_label(flag.group),
        "years": list(flag.years),
        "measure": flag.measure,
        "value": _number(flag.value, flag.measure),
        "median": _number(flag.median, flag.measure),
        "threshold": _number(flag.threshold, flag.measure),
        "text": {
            "value": _text(flag.value, flag.measure),
            "median": _text(flag.median, flag.measure),
            "threshold": _text(flag.threshold, flag.measure),
        },
        "peers": flag.peers,
        "figures": dict(flag.figures),
        "explanation": flag.explanation,
        "source": flag.source,
    }


def gap_dict(gap: UnitGap, report: LeniencyReport) -> dict[str, Any]:
    """One line of the gap table as plain JSON data."""
    return {
        "unit": {"code": gap.unit.code, "name": gap.unit.name},
        "group": gap.group,
        "group_label": report.group_label(gap.group),
        "proposed": gap.proposed,
        "lowered": gap.lowered,
        "equal": gap.equal,
        "raised": gap.raised,
        "lowered_share": _number(gap.lowered_share, rules.SHARE),
        "mean_gap": _number(gap.mean_gap, rules.LEVELS_GAP),
        "flagged": (gap.unit.code, gap.group) in report.flagged_codes,
    }


def leniency_json(report: LeniencyReport) -> dict[str, Any]:
    """The report as plain JSON data (the API's and the CLI's output)."""
    return {
        "unit": {"code": report.unit.code, "name": report.unit.name},
        "year": report.year,
        "group": report.group,
        "years_read": [report.first_year, report.year],
        "title": leniency_title(report),
        "sources": {"evaluations": report.evaluated, "history": report.imported},
        "flags": [flag_dict(flag, report) for flag in report.flags],
        "gaps": [gap_dict(gap, report) for gap in report.gaps],
        "method": method_lines(),
    }


# --- Excel ------------------------------------------------------------------------------------

FLAG_HEADERS = [
    "Cảnh báo",
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm đối tượng",
    "Năm",
    "Giá trị",
    "Trung vị đơn vị cùng cấp",
    "Ngưỡng",
    "Số đơn vị so sánh",
    "Diễn giải",
    "Căn cứ, phương pháp",
]
FLAG_WIDTHS = [30, 12, 30, 22, 11, 11, 14, 11, 12, 90, 40]
GAP_HEADERS = [
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm đối tượng",
    "Số tự đề xuất",
    "Bị hạ mức",
    "Giữ nguyên",
    "Được nâng",
    "Tỷ lệ bị hạ mức",
    "Chênh lệch bình quân (mức)",
    "Có cảnh báo",
]
GAP_WIDTHS = [12, 34, 22, 12, 11, 11, 11, 12, 14, 12]
MEASURE_FORMATS = {rules.SHARE: SHARE_FORMAT, rules.SCORE: DECIMAL_FORMAT}


def _header(ws: Any, headers: list[str], widths: list[int]) -> None:
    """A bold, shaded, wrapped header row and the column widths."""
    ws.append(headers)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _flag_sheet(ws: Any, report: LeniencyReport) -> None:
    """The flags, one per row, with their figures as numbers."""
    ws.title = FLAGS_SHEET
    ws.append([leniency_title(report)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([f"Đơn vị: {report.unit.name} ({report.unit.code}) · Năm {report.year}"])
    ws.append([sources_text(report)])
    for line in method_lines():
        ws.append([line])
    ws.append([])
    if not report.flags:
        ws.append(["Không có cảnh báo nào theo các tiêu chí trên."])
        return
    _header(ws, FLAG_HEADERS, FLAG_WIDTHS)
    number_format = MEASURE_FORMATS.get
    for flag in report.flags:
        name = f"{flag.unit.name} (toàn đơn vị)" if flag.subtree else flag.unit.name
        ws.append(
            [
                flag.label,
                flag.unit.code,
                name,
                report.group_label(flag.group),
                flag.year_text,
                _number(flag.value, flag.measure),
                _number(flag.median, flag.measure),
                _number(flag.threshold, flag.measure),
                flag.peers or None,
                flag.explanation,
                flag.source,
            ]
        )
        row = ws.max_row
        for column in (6, 7, 8):
            ws.cell(row=row, column=column).number_format = number_format(
                flag.measure, DECIMAL_FORMAT
            )
        ws.cell(row=row, column=9).number_format = COUNT_FORMAT
        ws.cell(row=row, column=10).alignment = Alignment(wrap_text=True, vertical="top")


def _gap_sheet(ws: Any, report: LeniencyReport) -> None:
    """The gap table: counts as integers, the lowered share as a percentage, the mean gap."""
    ws.append([f"Mức tự đề xuất và mức kết luận năm {report.year} — {report.unit.name}"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(["Chênh lệch tính bằng số mức giữa mức tự đề xuất và mức kết luận; dương là bị hạ."])
    ws.append([])
    if not report.gaps:
        ws.append(["Chưa có kỳ đánh giá năm đã công khai có mức tự đề xuất trong phạm vi này."])
        return
    _header(ws, GAP_HEADERS, GAP_WIDTHS)
    for gap in report.gaps:
        flagged = (gap.unit.code, gap.group) in report.flagged_codes
        ws.append(
            [
                gap.unit.code,
                gap.unit.name,
                report.group_label(gap.group),
                gap.proposed,
                gap.lowered,
                gap.equal,
                gap.raised,
                _number(gap.lowered_share, rules.SHARE),
                _number(gap.mean_gap, rules.LEVELS_GAP),
                "Có" if flagged else "",
            ]
        )
        row = ws.max_row
        for column in (4, 5, 6, 7):
            ws.cell(row=row, column=column).number_format = COUNT_FORMAT
        ws.cell(row=row, column=8).number_format = SHARE_FORMAT
        ws.cell(row=row, column=9).number_format = DECIMAL_FORMAT
        if flagged:
            for cell in ws[row]:
                cell.fill = FLAG_FILL


def leniency_workbook(report: LeniencyReport) -> bytes:
    """The report as an .xlsx file: the flags, then the self-proposal gap table."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    _flag_sheet(ws, report)
    _gap_sheet(wb.create_sheet(GAPS_SHEET), report)
    return workbook_bytes(wb)


# --- PDF --------------------------------------------------------------------------------------


def leniency_pdf(report: LeniencyReport) -> bytes:
    """The report as a PDF (A4 landscape), rendered by WeasyPrint."""
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    html = render_to_string(
        "reports/leniency_pdf.html",
        {
            "report": report,
            "title": leniency_title(report),
            "sources": sources_text(report),
            "rules": method_lines(),
            "printed_at": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf

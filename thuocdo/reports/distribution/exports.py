"""Exports of the distribution report: JSON (API and CLI), Excel and PDF.

Excel cells hold real numbers with number formats (counts as integers, shares as percentages
with two decimals), so they can be summed and charted. The PDF is rendered by WeasyPrint from
a template in DejaVu Sans, a font with every Vietnamese glyph.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from thuocdo.reports.common.exports import (
    COUNT_FORMAT,
    FLAG_FILL,
    HEADER_FILL,
    SHARE_FORMAT,
    counts_dict,
    period_label,
    report_title,
    share_cell,
    sources_text,
)
from thuocdo.reports.common.levels import LEVELS, LevelCounts
from thuocdo.reports.common.selectors import DistributionReport, GroupReport
from thuocdo.spreadsheets import workbook_bytes
from thuocdo.web.words import QUOTA_BASE


def file_name(report: DistributionReport, extension: str, group: str | None = None) -> str:
    """An ASCII file name: phan-bo-xep-loai-<unit>-<year>[-T<month>][-<group>][-<category>]."""
    parts = ["phan-bo-xep-loai", report.unit.code, str(report.year)]
    parts += [f"T{report.month:02d}"] if report.month else []
    parts += [p for p in (group, report.category) if p]
    safe = "-".join(parts).replace("/", "-").replace(" ", "-")
    return f"{safe}.{extension}"


def _group_dict(group: GroupReport) -> dict[str, Any]:
    """One group with its quota check and its drill-down lines."""
    quota = group.quota
    return {
        "group": group.group,
        "label": group.label,
        **counts_dict(group.counts),
        "quota": {
            "rate": float(quota.rate),
            "base": quota.base,
            "limit": quota.limit,
            "HTXS": quota.excellent,
            "breached": group.flagged,
            "source": group.source,
            "explanation": quota.explanation() if group.counts.total else "",
        },
        "units": [
            {
                "code": line.unit.code,
                "name": line.unit.name,
                "own": not line.drill,
                **counts_dict(line.counts),
                "quota_breached": line.over_quota,
            }
            for line in group.lines
            if not line.is_total
        ],
    }


def distribution_json(report: DistributionReport) -> dict[str, Any]:
    """The report as plain JSON data (the API's and the CLI's output)."""
    return {
        "unit": {"code": report.unit.code, "name": report.unit.name},
        "year": report.year,
        "month": report.month,
        "category": report.category,
        "title": report_title(report),
        "sources": {"evaluations": report.evaluated, "history": report.imported},
        "groups": [_group_dict(group) for group in report.groups],
    }


# --- Excel ------------------------------------------------------------------------------------

HEADERS = [
    "Đơn vị",
    "Tổng số được xếp loại",
    "HTXS",
    "Tỷ lệ HTXS",
    "HTT",
    "Tỷ lệ HTT",
    "HTNV",
    "Tỷ lệ HTNV",
    "KHT",
    "Tỷ lệ KHT",
    "Từ HTT trở lên",
    "Tỷ lệ từ HTT trở lên",
    "HTXS / từ HTT trở lên",
    "Không xếp loại",
    "Vượt tỷ lệ HTXS 20%",
]
WIDTHS = [36, 14, 10, 12, 10, 12, 10, 12, 10, 12, 14, 14, 14, 12, 14]
COUNT_COLUMNS = {2, 3, 5, 7, 9, 11, 14}


def _xlsx_line(name: str, counts: LevelCounts, flagged: bool) -> list[Any]:
    """One table line: counts as integers, shares as ratios (formatted as percentages)."""
    line: list[Any] = [name, counts.total]
    for level in LEVELS:
        line += [counts.count(level), share_cell(counts.share(level))]
    line += [counts.good_or_better, share_cell(counts.good_or_better_share)]
    line += [share_cell(counts.excellent_of_good), counts.kxl, "Có" if flagged else ""]
    return line


def distribution_workbook(report: DistributionReport) -> bytes:
    """The report as an .xlsx file: one table per subject group, the subtree first."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Phân bố xếp loại"
    ws.append([report_title(report)])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(
        [f"Đơn vị: {report.unit.name} ({report.unit.code}) · {period_label(report).capitalize()}"]
    )
    ws.append([sources_text(report)])
    if report.is_empty:
        ws.append([f"Chưa có kết quả xếp loại {period_label(report)} trong phạm vi đơn vị."])
    for group in report.groups:
        ws.append([])
        ws.append([group.label])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=12)
        ws.append(HEADERS)
        for cell in ws[ws.max_row]:
            cell.font, cell.fill = Font(bold=True), HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for line in group.lines:
            _xlsx_row(ws, _xlsx_line(line.name, line.counts, line.over_quota))
            if line.is_total:
                for cell in ws[ws.max_row]:
                    cell.font = Font(bold=True)
        if group.counts.total:
            ws.append([f"Tỷ lệ HTXS: {group.quota.explanation()}."])
            if group.source:
                ws.append([f"Căn cứ: {group.source}; {QUOTA_BASE}."])
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    return workbook_bytes(wb)


def _xlsx_row(ws: Any, line: list[Any]) -> None:
    """Append a table line and give each cell its number format."""
    ws.append(line)
    current = ws.max_row
    for column in range(2, len(line) + 1):
        cell = ws.cell(row=current, column=column)
        cell.number_format = COUNT_FORMAT if column in COUNT_COLUMNS else SHARE_FORMAT
    if line[-1]:
        for cell in ws[current]:
            cell.fill = FLAG_FILL
    ws.cell(row=current, column=len(line)).number_format = "General"


# --- PDF --------------------------------------------------------------------------------------


def distribution_pdf(report: DistributionReport) -> bytes:
    """The report as a PDF (A4 landscape), rendered by WeasyPrint."""
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    html = render_to_string(
        "reports/distribution_pdf.html",
        {
            "report": report,
            "title": report_title(report),
            "sources": sources_text(report),
            "period": period_label(report),
            "printed_at": timezone.localtime(),
        },
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf

"""What the exports of every report share: the content types, the Excel number formats and
fills, the titles and the sources sentence of a distribution, one line's counts and shares as
JSON, the writers of Excel rows (headings, headers, counts with their formats, widths), the PDF
renderer (WeasyPrint) and the file attachment.

Excel cells hold real numbers with number formats (counts as integers, shares as percentages
with two decimals), so they can be summed and charted.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.reports.common.levels import (
    LEVELS,
    UNCLASSIFIED,
    LevelCounts,
    rounded_percent,
    vn_share,
)
from thuocdo.reports.common.selectors import DistributionReport
from thuocdo.rules.fmt import vn_number

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"
COUNT_FORMAT = "#,##0"
SHARE_FORMAT = "0.00%"
FLAG_FILL = PatternFill("solid", fgColor="F8D7DA")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def period_label(report: DistributionReport) -> str:
    """ "năm 2021" or "tháng 11/2026"."""
    if report.month:
        return f"tháng {report.month:02d}/{report.year}"
    return f"năm {report.year}"


def report_title(report: DistributionReport) -> str:
    """The report's title in Vietnamese."""
    title = f"Kết quả đánh giá, xếp loại {period_label(report)} — {report.unit.name}"
    return f"{title} (đối tượng: {report.category_label})" if report.category else title


def share_cell(ratio: Fraction | None) -> float | None:
    """A share rounded to four decimals (two in percent), as the report prints it."""
    return float(rounded_percent(ratio) / 100) if ratio is not None else None


def counts_dict(counts: LevelCounts) -> dict[str, Any]:
    """Counts and shares of one line, numbers and Vietnamese text."""
    shares = {level: counts.share(level) for level in LEVELS}
    shares["HTT_or_better"] = counts.good_or_better_share
    shares["HTXS_of_HTT_or_better"] = counts.excellent_of_good
    return {
        "counts": {
            **{level: counts.count(level) for level in (*LEVELS, UNCLASSIFIED)},
            "total": counts.total,
            "HTT_or_better": counts.good_or_better,
        },
        "percent": {
            key: float(rounded_percent(value)) if value is not None else None
            for key, value in shares.items()
        },
        "text": {key: vn_share(value) for key, value in shares.items()},
    }


def sources_text(report: DistributionReport) -> str:
    """Where the figures come from, in one sentence."""
    if report.month:
        return (
            f"Nguồn số liệu: {vn_number(report.evaluated)} kết quả đánh giá "
            f"{period_label(report)} trong hệ thống (tạm tính cho đến khi tháng được khóa)."
        )
    return (
        f"Nguồn số liệu: {vn_number(report.evaluated)} kết quả kỳ đánh giá năm đã công khai "
        f"trong hệ thống, {vn_number(report.imported)} kết quả nhập từ các năm trước."
    )


# --- Excel and PDF writers shared by the reports' exports ---------------------------------------

SCORE_FORMAT = "0.00"
LEVEL_HEADERS = [header for level in LEVELS for header in (level, f"Tỷ lệ {level}")]
COUNTS_HEADERS = [
    "Tổng số được xếp loại",
    *LEVEL_HEADERS,
    "Từ HTT trở lên",
    "Tỷ lệ từ HTT trở lên",
    "HTXS / từ HTT trở lên",
    "Không xếp loại",
]


def safe_file_name(parts: Sequence[str], extension: str) -> str:
    """An ASCII file name from its parts."""
    return "-".join(parts).replace("/", "-").replace(" ", "-") + f".{extension}"


def score_number(value: Decimal | None) -> float | None:
    """A score as a JSON number."""
    return float(value) if value is not None else None


def counts_cells(counts: LevelCounts) -> list[tuple[Any, str]]:
    """A distribution's cells with their number formats."""
    cells: list[tuple[Any, str]] = [(counts.total, COUNT_FORMAT)]
    for level in LEVELS:
        cells += [
            (counts.count(level), COUNT_FORMAT),
            (share_cell(counts.share(level)), SHARE_FORMAT),
        ]
    cells += [
        (counts.good_or_better, COUNT_FORMAT),
        (share_cell(counts.good_or_better_share), SHARE_FORMAT),
        (share_cell(counts.excellent_of_good), SHARE_FORMAT),
        (counts.kxl, COUNT_FORMAT),
    ]
    return cells


def append_cells(ws: Worksheet, cells: Sequence[tuple[Any, str]], *, bold: bool = False) -> None:
    """Append a row of (value, number format) cells."""
    ws.append([value for value, _ in cells])
    for column, (_, number_format) in enumerate(cells, start=1):
        cell = ws.cell(row=ws.max_row, column=column)
        cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)


def heading_row(ws: Worksheet, text: str, size: int = 12) -> None:
    """A bold line of text."""
    ws.append([text])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=size)


def header_row(ws: Worksheet, headers: Sequence[str]) -> None:
    """A table's header row."""
    ws.append(list(headers))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def column_widths(ws: Worksheet, first: int, others: int, count: int) -> None:
    """Column widths: a wide first column, the others narrower."""
    ws.column_dimensions["A"].width = first
    for index in range(2, count + 1):
        ws.column_dimensions[get_column_letter(index)].width = others


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF with WeasyPrint."""
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    html = render_to_string(template, {**context, "printed_at": timezone.localtime()})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    """A file to download."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response

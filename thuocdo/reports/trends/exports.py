"""Exports of the trends and of the comparison of equivalent positions: JSON (API, CLI and the
page's chart data), Excel with real number formats, and PDF (WeasyPrint, DejaVu Sans)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from io import BytesIO
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.reports.common.exports import (
    COUNT_FORMAT,
    FLAG_FILL,
    HEADER_FILL,
    SHARE_FORMAT,
    counts_dict,
)
from thuocdo.reports.common.levels import LEVELS, LevelCounts, rounded_percent
from thuocdo.reports.position_selectors import PositionComparison, PositionGroup
from thuocdo.reports.trends.selectors import GroupTrend, MonthPoint, MonthTrends, YearTrends
from thuocdo.rules.fmt import vn_number
from thuocdo.rules.levels import LEVEL_BY_NAME, LEVEL_LABELS

SCORE_FORMAT = "0.00"
YEAR_FORMAT = "0"
CHANGE_FORMAT = "+0.00%;-0.00%;0.00%"


# --- Titles and file names --------------------------------------------------------------------


def trends_title(trends: YearTrends) -> str:
    """The title of the yearly trends, with the years covered."""
    span = f"{trends.years[0]}–{trends.years[-1]}" if trends.years else "chưa có năm nào"
    return f"Xu hướng kết quả xếp loại qua các năm ({span}) — {trends.unit.name}"


def months_title(months: MonthTrends) -> str:
    """The title of the monthly trend."""
    return f"Kết quả xếp loại hằng tháng năm {months.year} — {months.unit.name}"


def positions_title(comparison: PositionComparison) -> str:
    """The title of the comparison of equivalent positions."""
    title = (
        f"So sánh kết quả xếp loại giữa các chức danh tương đương năm {comparison.year} — "
        f"{comparison.unit.name}"
    )
    return f"{title} — {comparison.position}" if comparison.position else title


def _safe(parts: Sequence[str], extension: str) -> str:
    """An ASCII file name from its parts."""
    return "-".join(parts).replace("/", "-").replace(" ", "-") + f".{extension}"


def trends_file_name(trends: YearTrends, extension: str, group: str | None = None) -> str:
    """xu-huong-<unit>[-<first>-<last>][-<group>].<ext>."""
    span = [str(trends.years[0]), str(trends.years[-1])] if trends.years else []
    return _safe(["xu-huong", trends.unit.code, *span, *([group] if group else [])], extension)


def positions_file_name(
    comparison: PositionComparison, extension: str, group: str | None = None
) -> str:
    """chuc-danh-tuong-duong-<unit>-<year>[-<group>].<ext>."""
    parts = ["chuc-danh-tuong-duong", comparison.unit.code, str(comparison.year)]
    return _safe([*parts, *([group] if group else [])], extension)


# --- JSON -------------------------------------------------------------------------------------


def _percent(ratio: Fraction | None) -> float | None:
    """A share in percent, two decimals (18.43), as the tables print it."""
    return float(rounded_percent(ratio)) if ratio is not None else None


def _ratio(ratio: Fraction | None) -> float | None:
    """A share as a ratio of four decimals (0.1843), for Excel's percentage format."""
    return float(rounded_percent(ratio) / 100) if ratio is not None else None


def _number(value: Decimal | None) -> float | None:
    """A score as a JSON number."""
    return float(value) if value is not None else None


def _series(counts: Sequence[LevelCounts]) -> list[dict[str, Any]]:
    """One series per level: counts, and shares of the total in percent."""
    return [
        {
            "level": level,
            "label": LEVEL_LABELS[LEVEL_BY_NAME[level]],
            "counts": [c.count(level) for c in counts],
            "shares": [_percent(c.share(level)) for c in counts],
        }
        for level in LEVELS
    ]


def _group_chart(group: GroupTrend) -> dict[str, Any]:
    """A group's series across years, and each child unit's HTXS share."""
    counts = [point.counts for point in group.points]
    return {
        "group": group.group,
        "label": group.label,
        "series": _series(counts),
        "good_or_better_share": [_percent(c.good_or_better_share) for c in counts],
        "excellent_of_good": [_percent(c.excellent_of_good) for c in counts],
        "mean_score": [_number(point.mean_score) for point in group.points],
        "units": [
            {
                "code": line.unit.code,
                "name": line.name,
                "own": line.own,
                "excellent_of_good": [_percent(c.excellent_of_good) for c in line.cells],
                "good_or_better_share": [_percent(c.good_or_better_share) for c in line.cells],
            }
            for line in group.units
        ],
    }


def trend_chart(trends: YearTrends, months: MonthTrends | None = None) -> dict[str, Any]:
    """The data the page's charts draw (json_script): years per group, and a year's months."""
    chart: dict[str, Any] = {
        "years": {
            "labels": [str(year) for year in trends.years],
            "groups": [_group_chart(group) for group in trends.groups],
        },
        "months": None,
    }
    if months is not None and not months.is_empty:
        counts = [m.counts for m in months.months]
        chart["months"] = {
            "year": months.year,
            "labels": [m.label for m in months.months],
            "series": _series(counts),
            "mean_total": [_number(m.mean_total) for m in months.months],
            "changed": [m.changed for m in months.months],
        }
    return chart


def _month_json(point: MonthPoint) -> dict[str, Any]:
    """One month or quarter: counts and shares, mean total, the head's changes."""
    return {
        "kind": point.kind,
        "number": point.number,
        "label": point.label,
        **counts_dict(point.counts),
        "scored": point.scored,
        "mean_total": _number(point.mean_total),
        "raised": point.raised,
        "lowered": point.lowered,
    }


def trends_json(trends: YearTrends, months: MonthTrends | None = None) -> dict[str, Any]:
    """The trends as plain JSON data (the API's and the CLI's output)."""
    data: dict[str, Any] = {
        "unit": {"code": trends.unit.code, "name": trends.unit.name},
        "title": trends_title(trends),
        "years": trends.years,
        "sources": {"evaluations": trends.evaluated, "history": trends.imported},
        "groups": [
            {
                "group": group.group,
                "label": group.label,
                "years": [
                    {
                        "year": point.year,
                        **counts_dict(point.counts),
                        "mean_score": _number(point.mean_score),
                        "scored": point.scored,
                        "quota": {
                            "source": point.source,
                            "limit": point.quota.limit,
                            "breached": point.flagged,
                        },
                    }
                    for point in group.points
                ],
                "units": [
                    {
                        "code": line.unit.code,
                        "name": line.name,
                        "own": line.own,
                        "years": [
                            {"year": year, **counts_dict(cell)}
                            for year, cell in zip(group.years, line.cells, strict=True)
                        ],
                        "HTXS_of_HTT_or_better_change": _percent(line.excellent_change),
                    }
                    for line in group.units
                ],
            }
            for group in trends.groups
        ],
    }
    if months is not None:
        data["months"] = {
            "year": months.year,
            "title": months_title(months),
            "lines": [_month_json(point) for point in months.lines],
            "year_total": _month_json(months.whole),
            "level_labels": months.labels,
        }
    return data


def _position_json(group: PositionGroup) -> dict[str, Any]:
    """One equivalent position: its figures and its ranked people (no opinion, ever)."""
    return {
        "group": group.group,
        "group_label": group.group_label,
        "position": group.position,
        "titles": group.titles,
        **counts_dict(group.counts),
        "people": len(group.rows),
        "mean_score": _number(group.mean_score),
        "rows": [
            {
                "rank": row.rank,
                "name": row.name,
                "unit": {"code": row.unit.code, "name": row.unit.name},
                "title": row.title,
                "score": _number(row.score),
                "level": row.level,
            }
            for row in group.rows
        ],
    }


def positions_json(comparison: PositionComparison) -> dict[str, Any]:
    """The comparison as plain JSON data."""
    return {
        "unit": {"code": comparison.unit.code, "name": comparison.unit.name},
        "year": comparison.year,
        "position": comparison.position,
        "title": positions_title(comparison),
        "positions": [_position_json(group) for group in comparison.groups],
    }


# --- Excel ------------------------------------------------------------------------------------

LEVEL_HEADERS = [header for level in LEVELS for header in (level, f"Tỷ lệ {level}")]
COUNTS_HEADERS = [
    "Tổng số được xếp loại",
    *LEVEL_HEADERS,
    "Từ HTT trở lên",
    "Tỷ lệ từ HTT trở lên",
    "HTXS / từ HTT trở lên",
    "Không xếp loại",
]
YEAR_HEADERS = ["Năm", *COUNTS_HEADERS, "Điểm bình quân", "Vượt tỷ lệ HTXS 20%"]
MONTH_HEADERS = [
    "Kỳ",
    *COUNTS_HEADERS,
    "Điểm bình quân",
    "Người đứng đầu nâng mức",
    "Người đứng đầu hạ mức",
]
SUMMARY_HEADERS = [
    "Nhóm đối tượng",
    "Chức danh tương đương",
    "Số người",
    "Điểm bình quân",
    *COUNTS_HEADERS[1:-1],
    "Không xếp loại",
]
PEOPLE_HEADERS = ["Thứ hạng", "Họ và tên", "Đơn vị", "Chức danh", "Điểm", "Mức xếp loại"]


def _counts_cells(counts: LevelCounts) -> list[tuple[Any, str]]:
    """A distribution's cells with their number formats."""
    cells: list[tuple[Any, str]] = [(counts.total, COUNT_FORMAT)]
    for level in LEVELS:
        cells += [(counts.count(level), COUNT_FORMAT), (_ratio(counts.share(level)), SHARE_FORMAT)]
    cells += [
        (counts.good_or_better, COUNT_FORMAT),
        (_ratio(counts.good_or_better_share), SHARE_FORMAT),
        (_ratio(counts.excellent_of_good), SHARE_FORMAT),
        (counts.kxl, COUNT_FORMAT),
    ]
    return cells


def _append(ws: Worksheet, cells: Sequence[tuple[Any, str]], *, bold: bool = False) -> None:
    """Append a row of (value, number format) cells."""
    ws.append([value for value, _ in cells])
    for column, (_, number_format) in enumerate(cells, start=1):
        cell = ws.cell(row=ws.max_row, column=column)
        cell.number_format = number_format
        if bold:
            cell.font = Font(bold=True)


def _heading(ws: Worksheet, text: str, size: int = 12) -> None:
    """A bold line of text."""
    ws.append([text])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=size)


def _header(ws: Worksheet, headers: Sequence[str]) -> None:
    """A table's header row."""
    ws.append(list(headers))
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = Font(bold=True), HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _widths(ws: Worksheet, first: int, others: int, count: int) -> None:
    """Column widths: a wide first column, the others narrower."""
    ws.column_dimensions["A"].width = first
    for index in range(2, count + 1):
        ws.column_dimensions[get_column_letter(index)].width = others


def _flag(ws: Worksheet) -> None:
    """Colour the last row as a breached quota (its words say so too)."""
    for cell in ws[ws.max_row]:
        cell.fill = FLAG_FILL


def _matrix(ws: Worksheet, group: GroupTrend, title: str, attribute: str) -> None:
    """Child units × years of one share, with the change from the first to the last year."""
    ws.append([])
    _heading(ws, title, 11)
    _header(ws, ["Đơn vị", *(f"Năm {year}" for year in group.years), "Thay đổi (điểm %)"])
    for line in group.units:
        cells: list[tuple[Any, str]] = [(line.name, "General")]
        cells += [(_ratio(getattr(cell, attribute)), SHARE_FORMAT) for cell in line.cells]
        change = (
            line.excellent_change if attribute == "excellent_of_good" else _change_of(line.cells)
        )
        cells.append((float(change) if change is not None else None, CHANGE_FORMAT))
        _append(ws, cells)


def _change_of(cells: Sequence[LevelCounts]) -> Fraction | None:
    """The change of the "HTT or better" share from the first to the last year with results."""
    known = [cell.good_or_better_share for cell in cells if cell.total]
    if len(known) < 2 or known[0] is None or known[-1] is None:
        return None
    return known[-1] - known[0]


def trends_workbook(trends: YearTrends, months: MonthTrends | None = None) -> bytes:
    """The trends as an .xlsx file: a sheet of years (per group, with the units' matrix) and,
    when asked, a sheet of the months of a year."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Xu hướng theo năm"
    _heading(ws, trends_title(trends), 13)
    ws.append(
        [
            f"Nguồn số liệu: {vn_number(trends.evaluated)} kết quả kỳ đánh giá năm đã công khai "
            f"trong hệ thống, {vn_number(trends.imported)} kết quả nhập từ các năm trước."
        ]
    )
    if trends.is_empty:
        ws.append(["Chưa có kết quả xếp loại của năm nào trong phạm vi đơn vị."])
    for group in trends.groups:
        ws.append([])
        _heading(ws, group.label)
        _header(ws, YEAR_HEADERS)
        for point in group.points:
            cells = [(point.year, YEAR_FORMAT), *_counts_cells(point.counts)]
            cells += [(_number(point.mean_score), SCORE_FORMAT)]
            cells += [("Có" if point.flagged else "", "General")]
            _append(ws, cells)
            if point.flagged:
                _flag(ws)
        _matrix(ws, group, "Tỷ lệ HTXS trên số từ HTT trở lên, theo đơn vị", "excellent_of_good")
        _matrix(ws, group, "Tỷ lệ từ HTT trở lên, theo đơn vị", "good_or_better_share")
    _widths(ws, 34, 12, len(YEAR_HEADERS))
    if months is not None:
        _months_sheet(wb.create_sheet("Theo tháng"), months)
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _months_sheet(ws: Worksheet, months: MonthTrends) -> None:
    """The months and quarters of a year, then the whole year."""
    _heading(ws, months_title(months), 13)
    if months.labels:
        ws.append(["Tên các mức: " + "; ".join(f"{k} = {v}" for k, v in months.labels.items())])
    if months.is_empty:
        ws.append(["Chưa có kết quả chấm điểm hằng tháng trong năm này."])
        return
    _header(ws, MONTH_HEADERS)
    for point in [*months.lines, months.whole]:
        cells = [(point.label, "General"), *_counts_cells(point.counts)]
        cells += [(_number(point.mean_total), SCORE_FORMAT)]
        cells += [(point.raised, COUNT_FORMAT), (point.lowered, COUNT_FORMAT)]
        _append(ws, cells, bold=point.kind != "month")
    _widths(ws, 14, 12, len(MONTH_HEADERS))


def positions_workbook(comparison: PositionComparison) -> bytes:
    """The comparison as an .xlsx file: a summary per position, then each position's people."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Tổng hợp"
    _heading(ws, positions_title(comparison), 13)
    if comparison.is_empty:
        ws.append(["Chưa có kết quả xếp loại đã công khai của năm này trong phạm vi đơn vị."])
    else:
        _header(ws, SUMMARY_HEADERS)
    for group in comparison.groups:
        counts = group.counts
        cells: list[tuple[Any, str]] = [(group.group_label, "General"), (group.position, "General")]
        cells += [(len(group.rows), COUNT_FORMAT), (_number(group.mean_score), SCORE_FORMAT)]
        cells += _counts_cells(counts)[1:]
        _append(ws, cells)
    _widths(ws, 26, 12, len(SUMMARY_HEADERS))
    ws.column_dimensions["B"].width = 34
    people = wb.create_sheet("Chi tiết")
    _heading(people, positions_title(comparison), 13)
    for group in comparison.groups:
        people.append([])
        _heading(people, f"{group.group_label} — {group.position}")
        if group.titles:
            people.append(["Chức danh: " + "; ".join(group.titles)])
        _header(people, PEOPLE_HEADERS)
        for row in group.rows:
            _append(
                people,
                [
                    (row.rank, "0"),
                    (row.name, "General"),
                    (row.unit.name, "General"),
                    (row.title, "General"),
                    (_number(row.score), SCORE_FORMAT),
                    (row.level, "General"),
                ],
            )
    _widths(people, 10, 30, len(PEOPLE_HEADERS))
    buffer = BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# --- PDF --------------------------------------------------------------------------------------


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render a template to PDF with WeasyPrint."""
    # Imported here: WeasyPrint loads Pango through cffi, which the rest of the site never needs.
    from weasyprint import HTML

    html = render_to_string(template, {**context, "printed_at": timezone.localtime()})
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf


def trends_pdf(trends: YearTrends, months: MonthTrends | None = None) -> bytes:
    """The trends as a PDF (A4 landscape)."""
    context = {"trends": trends, "title": trends_title(trends), "months": months}
    if months is not None:
        context["months_title"] = months_title(months)
    return _pdf("reports/trends_pdf.html", context)


def positions_pdf(comparison: PositionComparison) -> bytes:
    """The comparison as a PDF (A4 landscape)."""
    return _pdf(
        "reports/positions_pdf.html",
        {"comparison": comparison, "title": positions_title(comparison)},
    )

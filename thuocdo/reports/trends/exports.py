"""Exports of the trends: JSON (API, CLI and the page's chart data), Excel with real number
formats, and PDF (WeasyPrint, DejaVu Sans)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from thuocdo.reports.common.exports import (
    COUNT_FORMAT,
    COUNTS_HEADERS,
    FLAG_FILL,
    SCORE_FORMAT,
    SHARE_FORMAT,
    append_cells,
    column_widths,
    counts_cells,
    counts_dict,
    header_row,
    heading_row,
    render_pdf,
    safe_file_name,
    score_number,
    share_cell,
)
from thuocdo.reports.common.levels import LEVELS, LevelCounts, rounded_percent
from thuocdo.reports.trends.selectors import GroupTrend, MonthPoint, MonthTrends, YearTrends
from thuocdo.rules.fmt import vn_number
from thuocdo.rules.levels import LEVEL_BY_NAME, LEVEL_LABELS
from thuocdo.spreadsheets import workbook_bytes

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


def trends_file_name(trends: YearTrends, extension: str, group: str | None = None) -> str:
    """xu-huong-<unit>[-<first>-<last>][-<group>].<ext>."""
    span = [str(trends.years[0]), str(trends.years[-1])] if trends.years else []
    return safe_file_name(
        ["xu-huong", trends.unit.code, *span, *([group] if group else [])], extension
    )


# --- JSON -------------------------------------------------------------------------------------


def _percent(ratio: Fraction | None) -> float | None:
    """A share in percent, two decimals (18.43), as the tables print it."""
    return float(rounded_percent(ratio)) if ratio is not None else None


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
        "mean_score": [score_number(point.mean_score) for point in group.points],
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
            "mean_total": [score_number(m.mean_total) for m in months.months],
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
        "mean_total": score_number(point.mean_total),
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
                        "mean_score": score_number(point.mean_score),
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


# --- Excel ------------------------------------------------------------------------------------

YEAR_HEADERS = ["Năm", *COUNTS_HEADERS, "Điểm bình quân", "Vượt tỷ lệ HTXS 20%"]
MONTH_HEADERS = [
    "Kỳ",
    *COUNTS_HEADERS,
    "Điểm bình quân",
    "Người đứng đầu nâng mức",
    "Người đứng đầu hạ mức",
]


def _flag(ws: Worksheet) -> None:
    """Colour the last row as a breached quota (its words say so too)."""
    for cell in ws[ws.max_row]:
        cell.fill = FLAG_FILL


def _matrix(ws: Worksheet, group: GroupTrend, title: str, attribute: str) -> None:
    """Child units × years of one share, with the change from the first to the last year."""
    ws.append([])
    heading_row(ws, title, 11)
    header_row(ws, ["Đơn vị", *(f"Năm {year}" for year in group.years), "Thay đổi (điểm %)"])
    for line in group.units:
        cells: list[tuple[Any, str]] = [(line.name, "General")]
        cells += [(share_cell(getattr(cell, attribute)), SHARE_FORMAT) for cell in line.cells]
        change = (
            line.excellent_change if attribute == "excellent_of_good" else _change_of(line.cells)
        )
        cells.append((float(change) if change is not None else None, CHANGE_FORMAT))
        append_cells(ws, cells)


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
    heading_row(ws, trends_title(trends), 13)
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
        heading_row(ws, group.label)
        header_row(ws, YEAR_HEADERS)
        for point in group.points:
            cells = [(point.year, YEAR_FORMAT), *counts_cells(point.counts)]
            cells += [(score_number(point.mean_score), SCORE_FORMAT)]
            cells += [("Có" if point.flagged else "", "General")]
            append_cells(ws, cells)
            if point.flagged:
                _flag(ws)
        _matrix(ws, group, "Tỷ lệ HTXS trên số từ HTT trở lên, theo đơn vị", "excellent_of_good")
        _matrix(ws, group, "Tỷ lệ từ HTT trở lên, theo đơn vị", "good_or_better_share")
    column_widths(ws, 34, 12, len(YEAR_HEADERS))
    if months is not None:
        _months_sheet(wb.create_sheet("Theo tháng"), months)
    return workbook_bytes(wb)


def _months_sheet(ws: Worksheet, months: MonthTrends) -> None:
    """The months and quarters of a year, then the whole year."""
    heading_row(ws, months_title(months), 13)
    if months.labels:
        ws.append(["Tên các mức: " + "; ".join(f"{k} = {v}" for k, v in months.labels.items())])
    if months.is_empty:
        ws.append(["Chưa có kết quả chấm điểm hằng tháng trong năm này."])
        return
    header_row(ws, MONTH_HEADERS)
    for point in [*months.lines, months.whole]:
        cells = [(point.label, "General"), *counts_cells(point.counts)]
        cells += [(score_number(point.mean_total), SCORE_FORMAT)]
        cells += [(point.raised, COUNT_FORMAT), (point.lowered, COUNT_FORMAT)]
        append_cells(ws, cells, bold=point.kind != "month")
    column_widths(ws, 14, 12, len(MONTH_HEADERS))


# --- PDF --------------------------------------------------------------------------------------


def trends_pdf(trends: YearTrends, months: MonthTrends | None = None) -> bytes:
    """The trends as a PDF (A4 landscape)."""
    context = {"trends": trends, "title": trends_title(trends), "months": months}
    if months is not None:
        context["months_title"] = months_title(months)
    return render_pdf("reports/trends_pdf.html", context)

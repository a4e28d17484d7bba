"""Exports of the comparison of equivalent positions: JSON (API and CLI), Excel with real
number formats (a summary per position, then each position's ranked people), and PDF
(WeasyPrint, DejaVu Sans)."""

from __future__ import annotations

from typing import Any

from openpyxl import Workbook

from thuocdo.reports.common.exports import (
    COUNT_FORMAT,
    COUNTS_HEADERS,
    SCORE_FORMAT,
    append_cells,
    column_widths,
    counts_cells,
    counts_dict,
    header_row,
    heading_row,
    render_pdf,
    safe_file_name,
    score_number,
)
from thuocdo.reports.positions.selectors import PositionComparison, PositionGroup
from thuocdo.spreadsheets import workbook_bytes

# --- Titles and file names --------------------------------------------------------------------


def positions_title(comparison: PositionComparison) -> str:
    """The title of the comparison of equivalent positions."""
    title = (
        f"So sánh kết quả xếp loại giữa các chức danh tương đương năm {comparison.year} — "
        f"{comparison.unit.name}"
    )
    return f"{title} — {comparison.position}" if comparison.position else title


def positions_file_name(
    comparison: PositionComparison, extension: str, group: str | None = None
) -> str:
    """chuc-danh-tuong-duong-<unit>-<year>[-<group>].<ext>."""
    parts = ["chuc-danh-tuong-duong", comparison.unit.code, str(comparison.year)]
    return safe_file_name([*parts, *([group] if group else [])], extension)


# --- JSON ---------------------------------------------------------------------------------------


def _position_json(group: PositionGroup) -> dict[str, Any]:
    """One equivalent position: its figures and its ranked people (no opinion, ever)."""
    return {
        "group": group.group,
        "group_label": group.group_label,
        "position": group.position,
        "titles": group.titles,
        **counts_dict(group.counts),
        "people": len(group.rows),
        "mean_score": score_number(group.mean_score),
        "rows": [
            {
                "rank": row.rank,
                "name": row.name,
                "unit": {"code": row.unit.code, "name": row.unit.name},
                "title": row.title,
                "score": score_number(row.score),
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

SUMMARY_HEADERS = [
    "Nhóm đối tượng",
    "Chức danh tương đương",
    "Số người",
    "Điểm bình quân",
    *COUNTS_HEADERS[1:-1],
    "Không xếp loại",
]
PEOPLE_HEADERS = ["Thứ hạng", "Họ và tên", "Đơn vị", "Chức danh", "Điểm", "Mức xếp loại"]


def positions_workbook(comparison: PositionComparison) -> bytes:
    """The comparison as an .xlsx file: a summary per position, then each position's people."""
    wb = Workbook()
    ws = wb.active
    assert ws is not None  # a new workbook always has its first sheet
    ws.title = "Tổng hợp"
    heading_row(ws, positions_title(comparison), 13)
    if comparison.is_empty:
        ws.append(["Chưa có kết quả xếp loại đã công khai của năm này trong phạm vi đơn vị."])
    else:
        header_row(ws, SUMMARY_HEADERS)
    for group in comparison.groups:
        counts = group.counts
        cells: list[tuple[Any, str]] = [(group.group_label, "General"), (group.position, "General")]
        cells += [(len(group.rows), COUNT_FORMAT), (score_number(group.mean_score), SCORE_FORMAT)]
        cells += counts_cells(counts)[1:]
        append_cells(ws, cells)
    column_widths(ws, 26, 12, len(SUMMARY_HEADERS))
    ws.column_dimensions["B"].width = 34
    people = wb.create_sheet("Chi tiết")
    heading_row(people, positions_title(comparison), 13)
    for group in comparison.groups:
        people.append([])
        heading_row(people, f"{group.group_label} — {group.position}")
        if group.titles:
            people.append(["Chức danh: " + "; ".join(group.titles)])
        header_row(people, PEOPLE_HEADERS)
        for row in group.rows:
            append_cells(
                people,
                [
                    (row.rank, "0"),
                    (row.name, "General"),
                    (row.unit.name, "General"),
                    (row.title, "General"),
                    (score_number(row.score), SCORE_FORMAT),
                    (row.level, "General"),
                ],
            )
    column_widths(people, 10, 30, len(PEOPLE_HEADERS))
    return workbook_bytes(wb)


# --- PDF --------------------------------------------------------------------------------------


def positions_pdf(comparison: PositionComparison) -> bytes:
    """The comparison as a PDF (A4 landscape)."""
    return render_pdf(
        "reports/positions_pdf.html",
        {"comparison": comparison, "title": positions_title(comparison)},
    )

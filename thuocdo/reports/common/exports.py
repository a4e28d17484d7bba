"""What the exports of every report share: the content types, the Excel number formats and
fills, the titles and the sources sentence of a distribution, and one line's counts and shares
as JSON.

Excel cells hold real numbers with number formats (counts as integers, shares as percentages
with two decimals), so they can be summed and charted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from openpyxl.styles import PatternFill

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

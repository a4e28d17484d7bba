"""Exports of trends: Excel read back with its number formats, PDF text, and the
chart data the page hands to the charting script."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from openpyxl import load_workbook

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import (
    expected_counts,
    expected_mean,
    month_period,
    month_score,
    three_years,
)
from thuocdo.reports.common.levels import rounded_percent
from thuocdo.reports.trends.exports import (
    MONTH_HEADERS,
    YEAR_HEADERS,
    trend_chart,
    trends_pdf,
    trends_workbook,
)
from thuocdo.reports.trends.selectors import month_trends, year_trends

D = Decimal
YEARS = (2023, 2024, 2025)


def _percent(ratio: Fraction | None) -> float:
    """A share in percent as the exports round it."""
    assert ratio is not None
    return float(rounded_percent(ratio))


def _ratio(ratio: Fraction | None) -> float:
    """A share as the Excel cell holds it (a ratio of four decimals)."""
    assert ratio is not None
    return float(rounded_percent(ratio) / 100)


def _sheet(content: bytes, name: str) -> Any:
    return load_workbook(io.BytesIO(content))[name]


def _table(ws: Any, headers: list[str]) -> list[dict[str, Any]]:
    """Every row under a header row equal to `headers`, as dicts of cells, up to a blank row."""
    rows = list(ws.iter_rows())
    start = next(i for i, r in enumerate(rows) if [c.value for c in r][: len(headers)] == headers)
    out = []
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        out.append(dict(zip(headers, row, strict=False)))
    return out


def test_the_years_workbook_has_real_numbers_and_formats(world):
    three_years(world)
    trends = year_trends(unit=world.city, group="party_member")
    ws = _sheet(trends_workbook(trends), "Xu hướng theo năm")
    lines = _table(ws, YEAR_HEADERS)
    assert [line["Năm"].value for line in lines] == list(YEARS)
    for line in lines:
        counts = expected_counts(line["Năm"].value)
        assert line["Tổng số được xếp loại"].value == counts.total
        assert line["Tổng số được xếp loại"].number_format == "#,##0"
        assert line["HTXS"].value == counts.htxs
        share = line["HTXS / từ HTT trở lên"]
        assert share.number_format == "0.00%"
        assert share.value == _ratio(counts.excellent_of_good)
        assert line["Điểm bình quân"].value == float(expected_mean(line["Năm"].value))
        assert line["Vượt tỷ lệ HTXS 20%"].value == "Có"  # every year is over 20% here
    matrix = _table(ws, ["Đơn vị", *(f"Năm {y}" for y in YEARS), "Thay đổi (điểm %)"])
    assert [m["Đơn vị"].value for m in matrix] == ["Quận Một", "Quận Hai"]
    for m in matrix:
        district = "Q1" if m["Đơn vị"].value == "Quận Một" else "Q2"
        for year in YEARS:
            counts = expected_counts(year, district)
            cell = m[f"Năm {year}"]
            assert cell.value == _ratio(counts.excellent_of_good)
            assert cell.number_format == "0.00%"
    assert matrix[0]["Thay đổi (điểm %)"].value > 0 > matrix[1]["Thay đổi (điểm %)"].value


def test_the_months_sheet_lists_months_quarters_and_the_year(world):
    march = month_period(world, 3, world.q1)
    month_score(march, world.alice, D(95), "HTXS")
    month_score(march, world.carol, D(72), "HTT", "HTNV")
    month_score(month_period(world, 7, world.q1), world.alice, D(81), "HTT", "HTXS")
    trends = year_trends(unit=world.q1)
    months = month_trends(unit=world.q1, year=2026)
    ws = _sheet(trends_workbook(trends, months), "Theo tháng")
    lines = {line["Kỳ"].value: line for line in _table(ws, MONTH_HEADERS)}
    assert list(lines) == ["Tháng 03", "Quý 1", "Tháng 07", "Quý 3", "Cả năm"]
    assert lines["Tháng 03"]["Điểm bình quân"].value == float((D(95) + 72) / 2)
    assert lines["Cả năm"]["HTXS"].value == 2
    assert lines["Cả năm"]["Người đứng đầu nâng mức"].value == 1
    assert lines["Cả năm"]["Người đứng đầu hạ mức"].value == 1
    assert lines["Cả năm"]["Tỷ lệ HTXS"].value == _ratio(Fraction(2, 3))
    text = pdf_text(trends_pdf(trends, months))
    assert "Kết quả xếp loại hằng tháng năm 2026 — Quận Một" in text
    assert "Tháng 03" in text and "83,5" in text


def test_the_chart_data_is_json_with_one_series_per_level(world):
    three_years(world)
    month_score(month_period(world, 1, world.q1), world.alice, D(90), "HTXS")
    trends = year_trends(unit=world.city, group="party_member")
    chart = trend_chart(trends, month_trends(unit=world.city, year=2026))
    assert json.loads(json.dumps(chart)) == chart
    years = chart["years"]
    assert years["labels"] == [str(y) for y in YEARS]
    (party,) = years["groups"]
    assert [s["level"] for s in party["series"]] == ["HTXS", "HTT", "HTNV", "KHT"]
    htnv = party["series"][2]
    assert htnv["counts"] == [expected_counts(y).htnv for y in YEARS]
    assert htnv["shares"] == [_percent(expected_counts(y).share("HTNV")) for y in YEARS]
    assert party["excellent_of_good"] == [
        _percent(expected_counts(y).excellent_of_good) for y in YEARS
    ]
    assert [u["code"] for u in party["units"]] == ["Q1", "Q2"]
    assert chart["months"]["labels"] == ["Tháng 01"]
    assert chart["months"]["series"][0]["counts"] == [1]

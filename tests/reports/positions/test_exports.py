"""Exports of the comparison of equivalent positions: Excel read back with its number formats,
and PDF text."""

from __future__ import annotations

from decimal import Decimal

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import evaluate, year_period
from tests.reports.trends.test_exports import _sheet, _table
from thuocdo.reports.positions.exports import PEOPLE_HEADERS, positions_pdf, positions_workbook
from thuocdo.reports.positions.selectors import position_comparison

D = Decimal


def test_the_positions_workbook_and_pdf_carry_ranks_and_figures(world):
    period = year_period(world, 2025, world.city)
    evaluate(period, world.alice, "HTT", D("88.5"), group="civil_servant")
    evaluate(period, world.bob, "HTXS", D(93), group="civil_servant")
    comparison = position_comparison(unit=world.city, year=2025)
    content = positions_workbook(comparison)
    summary = _sheet(content, "Tổng hợp")
    rows = [r for r in summary.iter_rows(values_only=True) if r[1] == "CC-VP"]
    assert rows[0][:4] == ("Công chức", "CC-VP", 2, float((D("88.5") + 93) / 2))
    people = _table(_sheet(content, "Chi tiết"), PEOPLE_HEADERS)
    assert [(p["Thứ hạng"].value, p["Họ và tên"].value, p["Điểm"].value) for p in people] == [
        (1, "Bùi Văn Bình", 93),
        (2, "Nguyễn Thị Hồng Nhung", 88.5),
    ]
    assert people[0]["Điểm"].number_format == "0.00"
    text = pdf_text(positions_pdf(comparison))
    assert "Bùi Văn Bình" in text and "Phường Hai" in text
    assert "2 người; điểm bình quân 90,75" in text

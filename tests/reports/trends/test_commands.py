"""`thuocdo report trends|positions`: the management command behind the CLI."""

from __future__ import annotations

import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import evaluate, expected_counts, three_years, year_period


def _json(*args: str) -> Any:
    out = io.StringIO()
    call_command("report", *args, stdout=out)
    return json.loads(out.getvalue())


def test_trends_print_as_json_for_a_range_and_a_group(world):
    three_years(world)
    data = _json(
        "trends", "--unit", "TP", "--from", "2023", "--to", "2024", "--group", "party_member"
    )
    assert data["years"] == [2023, 2024]
    assert [y["counts"]["total"] for y in data["groups"][0]["years"]] == [
        expected_counts(2023).total,
        expected_counts(2024).total,
    ]
    assert "months" not in data


def test_trends_and_positions_write_excel_and_pdf(world, tmp_path):
    period = three_years(world)
    evaluate(period, world.alice, "HTXS", Decimal(95), group="civil_servant")
    xlsx, pdf = tmp_path / "xu-huong.xlsx", tmp_path / "chuc-danh.pdf"
    out = io.StringIO()
    call_command(
        "report",
        "trends",
        "--unit",
        "Q1",
        "--group",
        "party_member",
        "--format",
        "xlsx",
        "--output",
        str(xlsx),
        stdout=out,
    )
    assert f"Đã ghi báo cáo «{xlsx}»." in out.getvalue()
    ws = load_workbook(xlsx)["Xu hướng theo năm"]
    years = {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0] in (2023, 2024, 2025)}
    assert years == {y: expected_counts(y, "Q1").total for y in (2023, 2024, 2025)}
    call_command(
        "report",
        "positions",
        "--unit",
        "Q1",
        "--year",
        "2025",
        "--format",
        "pdf",
        "--output",
        str(pdf),
        stdout=out,
    )
    text = pdf_text(pdf.read_bytes())
    assert "So sánh kết quả xếp loại giữa các chức danh tương đương năm 2025 — Quận Một" in text
    assert "Nguyễn Thị Hồng Nhung" in text and "95,0" in text


def test_they_are_scoped_by_the_user(world):
    year_period(world, 2025, world.city)
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị mã «Q2» trong phạm vi"):
        call_command("report", "trends", "--unit", "Q2", "--user", "olga")
    with pytest.raises(CommandError, match="Không tìm thấy đơn vị mã «Q2» trong phạm vi"):
        call_command("report", "positions", "--unit", "Q2", "--year", "2025", "--user", "olga")
    with pytest.raises(CommandError, match="Năm cuối"):
        call_command("report", "trends", "--unit", "Q1", "--from", "2025", "--to", "2024")
    assert _json("positions", "--unit", "Q1", "--year", "2025", "--user", "olga")["positions"] == []

"""Exports of the leniency report, opened and read back: Excel (openpyxl) and PDF (pypdf)."""

from __future__ import annotations

import io
import subprocess
import sys
from typing import Any

import pytest
from openpyxl import load_workbook

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.leniency.cast import SELF_VS_CONCLUDED, lenient_wards, system_year
from thuocdo.reports.leniency.exports import (
    FLAG_HEADERS,
    GAP_HEADERS,
    leniency_file_name,
    leniency_json,
    leniency_pdf,
    leniency_workbook,
)
from thuocdo.reports.leniency.selectors import leniency_report


@pytest.fixture
def wards(world):
    return lenient_wards(world)


def _table(content: bytes, sheet: str, headers: list[str]) -> list[dict[str, Any]]:
    """The rows under the header line of a sheet, as {header: cell} (value and format)."""
    ws = load_workbook(io.BytesIO(content))[sheet]
    rows = list(ws.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value == headers[0])
    assert [cell.value for cell in rows[start]] == headers
    return [dict(zip(headers, row, strict=False)) for row in rows[start + 1 :]]


def test_the_flags_sheet_holds_real_numbers(world, wards):
    content = leniency_workbook(leniency_report(unit=world.q1, year=2021))
    lines = _table(content, "Cảnh báo nể nang", FLAG_HEADERS)
    share = next(line for line in lines if line["Cảnh báo"].value == "Tỷ lệ HTXS cao bất thường")
    assert (share["Mã đơn vị"].value, share["Đơn vị"].value, share["Năm"].value) == (
        "P1",
        "Phường Một",
        "2021",
    )
    assert (share["Giá trị"].value, share["Giá trị"].number_format) == (0.45, "0.00%")
    assert share["Trung vị đơn vị cùng cấp"].value == 0.15
    assert share["Ngưỡng"].value == 0.275
    assert (share["Số đơn vị so sánh"].value, share["Số đơn vị so sánh"].number_format) == (
        5,
        "#,##0",
    )
    assert "9/20 người được xếp loại" in share["Diễn giải"].value
    score = next(
        line for line in lines if line["Cảnh báo"].value == "Điểm bình quân cao bất thường"
    )
    assert (score["Giá trị"].value, score["Giá trị"].number_format) == (95, "0.00")
    whole = lines[0]
    assert whole["Đơn vị"].value == "Quận Một (toàn đơn vị)"
    assert whole["Giá trị"].value == 0.21  # 21 HTXS of 100 rated HTT or better
    assert whole["Căn cứ, phương pháp"].value == "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"


def test_the_gap_sheet_counts_and_shares(world, wards):
    system_year(world, wards)
    content = leniency_workbook(leniency_report(unit=world.q1, year=2026))
    lines = {line["Mã đơn vị"].value: line for line in _table(content, "Tự đề xuất và kết luận",
                                                                GAP_HEADERS)}  # fmt: skip
    assert set(lines) == set(SELF_VS_CONCLUDED)
    w4 = lines["W4"]
    expected = SELF_VS_CONCLUDED["W4"]
    assert (w4["Số tự đề xuất"].value, w4["Bị hạ mức"].value, w4["Giữ nguyên"].value) == (
        expected.lowered + expected.equal,
        expected.lowered,
        expected.equal,
    )
    assert (w4["Tỷ lệ bị hạ mức"].value, w4["Tỷ lệ bị hạ mức"].number_format) == (0.3333, "0.00%")
    assert (w4["Chênh lệch bình quân (mức)"].value, w4["Có cảnh báo"].value) == (0.33, None)
    assert lines["P1"]["Có cảnh báo"].value == "Có"
    assert lines["P1"]["Bị hạ mức"].number_format == "#,##0"


def test_the_pdf_states_the_flags_and_the_gaps(world, wards):
    system_year(world, wards)
    text = pdf_text(leniency_pdf(leniency_report(unit=world.q1, year=2026)))
    assert "Cảnh báo nể nang trong đánh giá, xếp loại năm 2026 — Quận Một" in text
    assert "Không hạ mức tự đề xuất của ai" in text
    assert "Không ai trong 12 người tự đề xuất mức bị hạ khi kết luận" in text
    assert "Phường W4 Công chức 12 4 33,33% 8 0 0,33" in text
    assert "Cách phát hiện" in text and "Q3 + 1,5 × IQR" in text


def test_the_can_tho_breach_survives_the_exports(can_tho):
    report = leniency_report(unit=can_tho.city, year=2021, group="leader")
    whole = _table(leniency_workbook(report), "Cảnh báo nể nang", FLAG_HEADERS)[0]
    assert round(whole["Giá trị"].value * 100, 2) == 35.46
    assert "434 HTXS trên 1.224 người" in whole["Diễn giải"].value
    text = pdf_text(leniency_pdf(report))
    assert "434 HTXS trên 1.224 người" in text and "vượt tỷ lệ 20% (tối đa 244; vượt 190)" in text
    assert leniency_json(report)["flags"][0]["figures"] == {"HTXS": 434, "base": 1224, "limit": 244}


def test_an_empty_report_exports_sentences(world):
    report = leniency_report(unit=world.q1, year=2020)
    ws = load_workbook(io.BytesIO(leniency_workbook(report)))
    assert ("Không có cảnh báo nào theo các tiêu chí trên.",) in [
        row[:1] for row in ws["Cảnh báo nể nang"].iter_rows(values_only=True)
    ]
    assert "Chưa có kỳ đánh giá năm 2020 đã công khai" in pdf_text(leniency_pdf(report))


def test_file_names_say_what_they_hold(world):
    assert leniency_file_name(leniency_report(unit=world.q1, year=2021), "xlsx") == (
        "canh-bao-ne-nang-Q1-2021.xlsx"
    )
    report = leniency_report(unit=world.q1, year=2021, group="leader")
    assert leniency_file_name(report, "pdf") == "canh-bao-ne-nang-Q1-2021-leader.pdf"


def test_the_detectors_import_no_django():
    code = (
        "import sys, thuocdo.reports.leniency; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'django'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"

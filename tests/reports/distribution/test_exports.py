"""Exports of the distribution report: Excel with real number formats, PDF with Vietnamese
text (read back with pypdf), and the JSON of the API and the CLI."""

from __future__ import annotations

import io
import unicodedata
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.conftest import YEAR, import_as, workbook_bytes
from thuocdo.reports.common.selectors import distribution_report
from thuocdo.reports.distribution.exports import (
    HEADERS,
    distribution_json,
    distribution_pdf,
    distribution_workbook,
    file_name,
)


def pdf_text(content: bytes) -> str:
    """Every page's text, NFC-normalised, with runs of spaces collapsed."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def _rows(content: bytes) -> list[tuple[Any, ...]]:
    ws = load_workbook(io.BytesIO(content))["Phân bố xếp loại"]
    return list(ws.iter_rows(values_only=True))


def _line(rows: list[tuple[Any, ...]], after: str, name: str) -> dict[str, Any]:
    """The table line named `name` in the table under the heading `after`."""
    start = next(i for i, row in enumerate(rows) if row[0] == after)
    line = next(row for row in rows[start:] if row[0] == name)
    return dict(zip(HEADERS, line, strict=False))


def test_the_can_tho_figures_survive_every_export(can_tho):
    report = distribution_report(unit=can_tho.city, year=YEAR)

    rows = _rows(distribution_workbook(report))
    party = _line(rows, "Đảng viên", "Tổng cộng: Thành phố Mẫu")
    assert party["Tổng số được xếp loại"] == 49463
    assert round(party["Tỷ lệ từ HTT trở lên"] * 100, 1) == 95.6
    assert round(party["HTXS / từ HTT trở lên"] * 100, 2) == 18.43
    assert round(party["Tỷ lệ HTNV"] * 100, 2) == 4.07
    assert round(party["Tỷ lệ KHT"] * 100, 2) == 0.34
    assert party["Vượt tỷ lệ HTXS 20%"] is None
    leaders = _line(rows, "Cán bộ lãnh đạo, quản lý", "Tổng cộng: Thành phố Mẫu")
    assert (leaders["HTXS"], leaders["HTT"], leaders["HTNV"], leaders["KHT"]) == (434, 790, 9, 3)
    assert round(leaders["HTXS / từ HTT trở lên"] * 100, 2) == 35.46
    assert leaders["Vượt tỷ lệ HTXS 20%"] == "Có"
    assert any("vượt tỷ lệ 20% (tối đa 244" in str(row[0]) for row in rows)

    text = pdf_text(distribution_pdf(report))
    assert "Kết quả đánh giá, xếp loại năm 2021 — Thành phố Mẫu" in text
    assert (
        "49.463 được xếp loại: 95,6% từ Hoàn thành tốt nhiệm vụ trở lên, trong đó 18,43% Hoàn "
        "thành xuất sắc nhiệm vụ; 4,07% Hoàn thành nhiệm vụ; 0,34% Không hoàn thành nhiệm vụ."
    ) in text
    assert "Vượt tỷ lệ HTXS 20%: 434 HTXS trên 1.224 người" in text
    assert "= 35,46%, vượt tỷ lệ 20% (tối đa 244; vượt 190)" in text
    assert "Căn cứ: Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW" in text

    data = distribution_json(report)
    party_json = data["groups"][0]
    assert party_json["text"]["HTT_or_better"] == "95,6%"
    assert party_json["percent"]["HTXS_of_HTT_or_better"] == 18.43
    assert data["groups"][1]["quota"]["breached"] is True


def test_counts_are_integers_and_shares_are_percentages_in_excel(world):
    rows = [
        ["CB-A", "", "P1", 2021, "Công chức", "HTXS"],
        ["CB-C", "", "P1", 2021, "Công chức", "HTT"],
        ["CB-B", "", "P2", 2021, "Công chức", "HTT"],
    ]
    import_as(world, "root", workbook_bytes(rows))
    content = distribution_workbook(distribution_report(unit=world.city, year=2021))
    ws = load_workbook(io.BytesIO(content))["Phân bố xếp loại"]
    first = next(r[0].row for r in ws.iter_rows() if r[0].value == "Đơn vị")
    assert first is not None
    total = ws[first + 1]
    formats = {HEADERS[i]: (cell.value, cell.number_format) for i, cell in enumerate(total)}
    assert formats["Tổng số được xếp loại"] == (3, "#,##0")
    assert formats["HTXS"] == (1, "#,##0")
    assert formats["Tỷ lệ HTXS"] == (0.3333, "0.00%")
    assert formats["HTXS / từ HTT trở lên"] == (0.3333, "0.00%")
    names = [ws.cell(row=first + i, column=1).value for i in (2, 3)]
    assert names == ["Quận Một", "Quận Hai"]


def test_an_empty_year_exports_a_sentence_not_a_table(world):
    report = distribution_report(unit=world.q1, year=2020)
    rows = _rows(distribution_workbook(report))
    assert ("Chưa có kết quả xếp loại năm 2020 trong phạm vi đơn vị.",) in [r[:1] for r in rows]
    assert "Chưa có kết quả xếp loại năm 2020 trong phạm vi Quận Một." in pdf_text(
        distribution_pdf(report)
    )


def test_file_names_say_what_they_hold(world):
    report = distribution_report(unit=world.q1, year=2021)
    assert file_name(report, "xlsx") == "phan-bo-xep-loai-Q1-2021.xlsx"
    assert file_name(report, "pdf", "leader") == "phan-bo-xep-loai-Q1-2021-leader.pdf"

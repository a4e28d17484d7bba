"""GET /api/reports/distribution: the same report, scope and exports as the pages."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.reports.conftest import YEAR, import_as, workbook_bytes
from tests.reports.distribution.test_exports import pdf_text
from tests.reports.documents.test_summary import docx_lines
from thuocdo.org.scope import today
from thuocdo.reports.documents.summary import DOCX
from thuocdo.rules.fmt import document_date_parts

URL = "/api/reports/distribution"
ROWS = [
    ["CB-A", "", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "HTNV"],
    ["CB-H", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "HTXS"],
]


def _client(world, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_it_returns_the_can_tho_report_as_json(can_tho):
    response = _client(can_tho, "root").get(URL, {"unit": "TP", "year": str(YEAR)})
    assert response.status_code == 200
    data = response.json()
    party, leaders = data["groups"]
    assert party["counts"]["total"] == 49463
    assert (party["text"]["HTT_or_better"], party["text"]["HTXS_of_HTT_or_better"]) == (
        "95,6%",
        "18,43%",
    )
    assert (party["text"]["HTNV"], party["text"]["KHT"]) == ("4,07%", "0,34%")
    assert leaders["quota"]["breached"] is True
    assert leaders["quota"]["limit"] == 244
    assert "35,46%" in leaders["quota"]["explanation"]


def test_it_narrows_to_one_group_and_drills_into_a_district(world):
    import_as(world, "root", workbook_bytes(ROWS))
    response = _client(world, "olga").get(
        URL, {"unit": "Q1", "year": "2021", "group": "party_member"}
    )
    data = response.json()
    assert [g["group"] for g in data["groups"]] == ["party_member"]
    assert data["groups"][0]["counts"]["total"] == 2
    assert [(u["code"], u["counts"]["total"]) for u in data["groups"][0]["units"]] == [("P1", 2)]


def test_it_exports_excel_and_pdf(world):
    import_as(world, "root", workbook_bytes(ROWS))
    client = _client(world, "olga")
    xlsx = client.get(URL, {"unit": "Q1", "year": "2021", "format": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Disposition"] == 'attachment; filename="phan-bo-xep-loai-Q1-2021.xlsx"'
    ws = load_workbook(io.BytesIO(xlsx.content))["Phân bố xếp loại"]
    assert ws["A1"].value == "Kết quả đánh giá, xếp loại năm 2021 — Quận Một"
    pdf = client.get(URL, {"unit": "Q1", "year": "2021", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "Kết quả đánh giá, xếp loại năm 2021 — Quận Một" in pdf_text(pdf.content)


def test_it_exports_the_summary_report_in_word_with_the_number_place_and_date(can_tho):
    params = {"unit": "TP", "year": str(YEAR), "format": "docx", "number": "7"}
    response = _client(can_tho, "root").get(
        URL, {**params, "place": "Cần Thơ", "date": "15/01/2027"}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-xep-loai-TP-2021.docx"'
    lines = docx_lines(response.content)
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "THÀNH PHỐ MẪU", "Số 7-BC/TP"]:
        assert expected in lines, expected
    assert "Cần Thơ, ngày 15 tháng 01 năm 2027" in lines
    assert any(line.startswith("49.463 đảng viên được xếp loại: 47.285 (95,6%)") for line in lines)
    assert any(
        line.startswith("Tỷ lệ Hoàn thành xuất sắc nhiệm vụ vượt quy định: 434") for line in lines
    )


def test_the_word_file_defaults_to_the_units_place_and_today(world):
    import_as(world, "root", workbook_bytes(ROWS))
    response = _client(world, "olga").get(URL, {"unit": "Q1", "year": "2021", "format": "docx"})
    day, month, year = document_date_parts(today())
    assert f"Quận Một, ngày {day} tháng {month} năm {year}" in docx_lines(response.content)
    outsider = _client(world, "olga").get(URL, {"unit": "Q2", "year": "2021", "format": "docx"})
    assert outsider.status_code == 404


def test_bad_parameters_answer_400_in_vietnamese_field_by_field(world):
    client = _client(world, "root")
    response = client.get(URL, {"unit": "TP", "year": "x", "group": "ai"})
    assert response.status_code == 400
    assert response.json() == {
        "year": ["Năm phải là số nguyên, ví dụ 2021."],
        "group": [
            "«ai» không phải nhóm đối tượng; chọn một trong: party_member, leader, "
            "civil_servant, public_employee, collective."
        ],
    }
    response = client.get(URL, {"year": "2021", "format": "doc"})
    assert response.json() == {
        "unit": ["Cần ghi mã đơn vị (unit)."],
        "format": ["«doc» không phải định dạng; chọn json, xlsx, pdf hoặc docx."],
    }
    response = client.get(
        URL, {"unit": "TP", "year": "2021", "format": "docx", "date": "2027-01-15"}
    )
    assert response.status_code == 400
    assert response.json() == {
        "date": ["Ngày ban hành (date) phải ghi theo dạng dd/mm/yyyy, ví dụ 15/01/2027."]
    }


def test_it_requires_a_login(world):
    assert APIClient().get(URL, {"unit": "TP", "year": "2021"}).status_code in (401, 403)

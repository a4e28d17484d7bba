"""GET /api/reports/leniency: the same flags, scope and exports as the page."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.leniency.cast import lenient_wards

URL = "/api/reports/leniency"


@pytest.fixture
def wards(world):
    return lenient_wards(world)


def _client(world, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_it_returns_the_flags_as_json(world, wards):
    response = _client(world, "olga").get(URL, {"unit": "Q1", "year": "2021"})
    assert response.status_code == 200
    data = response.json()
    assert (data["unit"]["code"], data["year"], data["years_read"]) == ("Q1", 2021, [2017, 2021])
    assert data["sources"] == {"evaluations": 0, "history": 100}
    share = next(f for f in data["flags"] if f["kind"] == "share_outlier")
    assert (share["unit"]["code"], share["value"], share["median"], share["peers"]) == (
        "P1",
        0.45,
        0.15,
        5,
    )
    assert (share["text"]["value"], share["text"]["threshold"]) == ("45%", "27,5%")
    assert share["group_label"] == "Đảng viên"
    assert "so với trung vị 15% của 5 đơn vị cùng cấp" in share["explanation"]
    score = next(f for f in data["flags"] if f["kind"] == "score_outlier")
    assert (score["value"], score["text"]["value"]) == (95.0, "95")


def test_the_can_tho_leaders_are_a_quota_breach(can_tho):
    response = _client(can_tho, "root").get(URL, {"unit": "TP", "year": "2021", "group": "leader"})
    whole = response.json()["flags"][0]
    assert (whole["kind"], whole["subtree"], whole["figures"]) == (
        "quota_breach",
        True,
        {"HTXS": 434, "base": 1224, "limit": 244},
    )
    assert whole["text"]["value"] == "35,46%"
    assert whole["source"] == "Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW"


def test_it_exports_excel_and_pdf(world, wards):
    client = _client(world, "olga")
    xlsx = client.get(URL, {"unit": "Q1", "year": "2021", "format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="canh-bao-ne-nang-Q1-2021.xlsx"'
    ws = load_workbook(io.BytesIO(xlsx.content))["Cảnh báo nể nang"]
    assert ws["A1"].value == "Cảnh báo nể nang trong đánh giá, xếp loại năm 2021 — Quận Một"
    pdf = client.get(URL, {"unit": "Q1", "year": "2021", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "Cảnh báo nể nang trong đánh giá, xếp loại năm 2021 — Quận Một" in pdf_text(pdf.content)


def test_a_unit_outside_the_scope_answers_404_in_every_format(world, wards):
    client = _client(world, "olga")
    for fmt in ("json", "xlsx", "pdf"):
        assert client.get(URL, {"unit": "Q2", "year": "2021", "format": fmt}).status_code == 404


def test_bad_parameters_answer_400_in_vietnamese(world):
    response = _client(world, "root").get(URL, {"year": "x", "format": "doc"})
    assert response.status_code == 400
    assert response.json() == {
        "unit": ["Cần ghi mã đơn vị (unit)."],
        "year": ["Năm phải là số nguyên, ví dụ 2021."],
        "format": ["«doc» không phải định dạng; chọn json, xlsx hoặc pdf."],
    }
    assert APIClient().get(URL, {"unit": "TP", "year": "2021"}).status_code in (401, 403)


def test_the_schema_documents_the_endpoint(world):
    schema = _client(world, "root").get(
        reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json"
    )
    operation = schema.json()["paths"]["/api/reports/leniency"]["get"]
    assert operation["operationId"] == "reports_leniency"
    assert {p["name"] for p in operation["parameters"]} == {"unit", "year", "group", "format"}

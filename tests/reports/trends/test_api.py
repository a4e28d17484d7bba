"""GET /api/reports/trends and /api/reports/positions: same selectors, scope and exports."""

from __future__ import annotations

import io
from decimal import Decimal

from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import (
    expected_counts,
    expected_mean,
    month_period,
    month_score,
    three_years,
)

TRENDS, POSITIONS = "/api/reports/trends", "/api/reports/positions"


def _client(world, username: str) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.users[username])
    return client


def test_trends_come_as_json_per_year_with_the_units_matrix(world):
    three_years(world)
    month_score(month_period(world, 5, world.q1, year=2025), world.alice, Decimal(91), "HTXS")
    response = _client(world, "root").get(
        TRENDS, {"unit": "TP", "group": "party_member", "from": "2024", "year": "2025"}
    )
    assert response.status_code == 200
    data = response.json()
    assert data["years"] == [2024, 2025]
    (party,) = data["groups"]
    for point in party["years"]:
        counts = expected_counts(point["year"])
        assert point["counts"]["total"] == counts.total
        assert point["counts"]["HTXS"] == counts.htxs
        assert point["mean_score"] == float(expected_mean(point["year"]))
    q2 = next(u for u in party["units"] if u["code"] == "Q2")
    assert [y["counts"]["total"] for y in q2["years"]] == [
        expected_counts(y, "Q2").total for y in (2024, 2025)
    ]
    (may,) = data["months"]["lines"][:1]
    assert (may["label"], may["counts"]["HTXS"], may["mean_total"]) == ("Tháng 05", 1, 91.0)


def test_both_export_excel_and_pdf(world):
    three_years(world)
    client = _client(world, "olga")
    xlsx = client.get(TRENDS, {"unit": "Q1", "format": "xlsx"})
    assert xlsx["Content-Disposition"] == 'attachment; filename="xu-huong-Q1-2023-2025.xlsx"'
    ws = load_workbook(io.BytesIO(xlsx.content))["Xu hướng theo năm"]
    assert ws["A1"].value == "Xu hướng kết quả xếp loại qua các năm (2023–2025) — Quận Một"
    pdf = client.get(POSITIONS, {"unit": "Q1", "year": "2025", "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    assert "Nguyễn Thị Hồng Nhung" in pdf_text(pdf.content)


def test_a_sibling_district_is_404_and_bad_parameters_400_in_vietnamese(world):
    client = _client(world, "olga")
    assert client.get(TRENDS, {"unit": "Q2"}).status_code == 404
    assert client.get(POSITIONS, {"unit": "Q2", "year": "2025"}).status_code == 404
    response = client.get(TRENDS, {"unit": "Q1", "from": "2025", "to": "2023"})
    assert response.status_code == 400
    assert response.json() == {"to": ["Năm cuối phải từ năm đầu (from) trở đi."]}
    response = client.get(POSITIONS, {"unit": "Q1", "format": "doc"})
    assert response.json() == {
        "year": ["Cần ghi năm (year)."],
        "format": ["«doc» không phải định dạng; chọn json, xlsx hoặc pdf."],
    }
    assert APIClient().get(TRENDS, {"unit": "TP"}).status_code in (401, 403)


def test_the_schema_documents_both_endpoints(world):
    api = _client(world, "root")
    schema = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    paths = schema.json()["paths"]
    names = {p["name"] for p in paths[TRENDS]["get"]["parameters"]}
    assert names == {"unit", "group", "format", "from", "to", "year"}
    assert {p["name"] for p in paths[POSITIONS]["get"]["parameters"]} == {
        "unit",
        "group",
        "format",
        "year",
        "position",
    }

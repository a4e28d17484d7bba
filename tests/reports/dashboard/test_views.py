"""The "Tổng quan" page: figures, map and chart data in scope; 404 outside it."""

from __future__ import annotations

import json
import re

from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World
from tests.reports.conftest import import_as, workbook_bytes

URL = reverse("reports:dashboard")
ROWS = [
    ["CB-A", "Nguyễn Thị Hồng Nhung", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "CB1", 2021, "Đảng viên", "HTT"],
    ["CB-X", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "KHT"],
    ["CB-D", "", "P2", 2021, "Đảng viên", "HTT"],
]


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _chart(page: str) -> dict[str, object]:
    match = re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    data: dict[str, object] = json.loads(match.group(1))
    return data


def test_the_organiser_sees_the_cards_map_and_chart_data_of_the_city(world: World) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    page = _client("root").get(URL, {"unit": "TP", "year": "2021"}).content.decode()
    assert "Kết quả đánh giá, xếp loại năm 2021 — Thành phố Mẫu" in page
    assert "Bản đồ đơn vị theo tỷ lệ HTXS — Đảng viên" in page
    # Each tile drills into its district's dashboard for the same year and group.
    assert f'href="{URL}?unit=Q1&amp;year=2021&amp;group=party_member"' in page
    assert f'href="{URL}?unit=Q2&amp;year=2021&amp;group=party_member"' in page
    assert "vendor/chartjs-4.6.1/chart.umd.min.js" in page
    chart = _chart(page)
    assert chart["year"] == 2021
    assert chart["units"] == {
        "labels": ["Quận Một", "Quận Hai"],
        "codes": ["Q1", "Q2"],
        "excellent_of_good": [33.33, 0.0],
        "totals": [3, 2],
    }


def test_a_district_organiser_opens_on_their_district(world: World) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    page = _client("olga").get(URL).content.decode()
    assert "Kết quả đánh giá, xếp loại năm 2021 — Quận Một" in page
    assert "Quận Hai" not in page


def test_an_outsider_from_the_sibling_district_gets_404(world: World) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    assert _client("olga").get(URL, {"unit": "Q2", "year": "2021"}).status_code == 404
    assert _client("olga").get(URL, {"unit": "P2", "year": "2021"}).status_code == 404


def test_a_person_without_a_subtree_gets_404(world: World) -> None:
    assert _client("alice").get(URL).status_code == 404


def test_an_empty_year_says_what_to_do(world: World) -> None:
    page = _client("root").get(URL, {"unit": "TP", "year": "2020"}).content.decode()
    assert "Chưa có kết quả xếp loại năm 2020 trong phạm vi Thành phố Mẫu" in page
    assert 'id="dashboard-data"' not in page


def test_it_rejects_post(world: World) -> None:
    assert _client("root").post(URL).status_code == 405


def test_it_links_the_exports_of_the_same_query(world: World) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    page = _client("olga").get(URL, {"year": "2021", "group": "party_member"}).content.decode()
    query = "?unit=Q1&amp;year=2021&amp;group=party_member"
    for name in ("reports:distribution-xlsx", "reports:distribution-pdf", "reports:summary-docx"):
        assert f'href="{reverse(name)}{query}"' in page


def test_the_focused_group_has_its_trend_over_the_years(world: World) -> None:
    earlier = [
        ["CB-A", "", "P1", 2020, "Đảng viên", "HTT"],
        ["CB-B", "", "P2", 2020, "Đảng viên", "HTXS"],
    ]
    import_as(world, "root", workbook_bytes(ROWS + earlier))
    page = _client("root").get(URL, {"unit": "TP", "year": "2021"}).content.decode()
    match = re.search(r'<script id="trend-chart-data" type="application/json">(.*?)</script>', page)
    assert match is not None
    years = json.loads(match.group(1))["years"]
    assert years["labels"] == ["2020", "2021"]
    (party,) = years["groups"]
    # 2020: 1 HTXS of 2 rated HTT or better; 2021: 1 of 4.
    assert party["excellent_of_good"] == [50.0, 25.0]
    assert 'id="trend-shares-party_member"' in page
    # A year before the trend's first has no line to draw.
    page = _client("root").get(URL, {"unit": "TP", "year": "2020"}).content.decode()
    assert 'id="trend-shares-party_member"' not in page

"""The "Xu hướng" page: years per group with the districts' matrix, months, chart data."""

from __future__ import annotations

import io
import json
import re
from decimal import Decimal
from typing import Any

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import expected_counts, month_period, month_score, three_years
from thuocdo.reports.common.levels import vn_share

URL = reverse("reports:trends")


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _get(username: str, **params: str) -> str:
    response = _client(username).get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def _chart(page: str) -> Any:
    found = re.search(r'<script id="trend-chart-data" type="application/json">(.*?)</script>', page)
    assert found is not None
    return json.loads(found.group(1))


def test_the_city_sees_each_year_and_which_district_drifts(world):
    three_years(world)
    page = _get("root", unit="TP", group="party_member")
    assert "Xu hướng kết quả xếp loại qua các năm (2023–2025) — Thành phố Mẫu" in page
    for year in (2023, 2024, 2025):
        counts = expected_counts(year)
        assert (
            f'<td data-label="HTXS / từ HTT trở lên">{vn_share(counts.excellent_of_good)}' in page
        )
    # The districts' matrix links down into each district with the same filters.
    assert f'href="{URL}?unit=Q1&amp;group=party_member&amp;year=' in page
    assert 'aria-current="page">Xu hướng</a>' in page
    chart = _chart(page)
    assert chart["years"]["labels"] == ["2023", "2024", "2025"]
    (party,) = chart["years"]["groups"]
    htxs = next(s for s in party["series"] if s["level"] == "HTXS")
    assert htxs["counts"] == [expected_counts(y).htxs for y in (2023, 2024, 2025)]
    q1 = next(u for u in party["units"] if u["code"] == "Q1")
    assert q1["excellent_of_good"] == [
        float(
            round(expected_counts(y, "Q1").htxs / expected_counts(y, "Q1").good_or_better * 100, 2)
        )
        for y in (2023, 2024, 2025)
    ]


def test_the_months_of_a_year_are_shown_with_the_head_changes(world):
    march = month_period(world, 3, world.q1)
    month_score(march, world.alice, Decimal(95), "HTXS")
    month_score(march, world.carol, Decimal(72), "HTT", "HTNV")
    page = _get("olga", year="2026")
    assert "Kết quả xếp loại hằng tháng năm 2026 — Quận Một" in page
    assert "HTXS = Loại A (Hoàn thành xuất sắc nhiệm vụ)" in page
    assert '<td data-label="Điểm bình quân">83,5</td>' in page  # (95 + 72) / 2
    assert '<td data-label="Người đứng đầu nâng / hạ mức">0 / 1</td>' in page
    months = _chart(page)["months"]
    assert (months["labels"], months["mean_total"], months["changed"]) == (
        ["Tháng 03"],
        [83.5],
        [1],
    )


def test_an_empty_subtree_says_what_to_do_next(world):
    page = _get("olga")
    assert "Chưa có kết quả xếp loại năm nào trong phạm vi Quận Một" in page
    assert reverse("reports:history-import") in page
    assert _chart(page) == {"years": {"labels": [], "groups": []}, "months": None}


def test_an_outsider_from_a_sibling_district_gets_404(world):
    three_years(world)
    client = _client("hana")  # head of Q1
    assert client.get(URL, {"unit": "Q2"}).status_code == 404
    assert client.get(reverse("reports:trends-xlsx"), {"unit": "Q2"}).status_code == 404
    assert client.get(URL, {"unit": "NOPE"}).status_code == 404
    assert _client("nobody").get(URL).status_code == 404
    assert Client().get(URL).status_code == 302  # to the login page


def test_the_exports_send_the_same_figures(world):
    three_years(world)
    client = _client("root")
    params = {"unit": "TP", "group": "party_member", "from": "2024"}
    xlsx = client.get(reverse("reports:trends-xlsx"), params)
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="xu-huong-TP-2024-2025-party_member.xlsx"'
    )
    ws = load_workbook(io.BytesIO(xlsx.content))["Xu hướng theo năm"]
    totals = {row[0]: row[1] for row in ws.iter_rows(values_only=True) if row[0] in (2024, 2025)}
    assert totals == {y: expected_counts(y).total for y in (2024, 2025)}
    pdf = client.get(reverse("reports:trends-pdf"), params)
    text = pdf_text(pdf.content)
    assert "Xu hướng kết quả xếp loại qua các năm (2024–2025) — Thành phố Mẫu" in text
    assert vn_share(expected_counts(2025).excellent_of_good) in text

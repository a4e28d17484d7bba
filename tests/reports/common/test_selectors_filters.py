"""The distribution narrowed to one category of people, and the distribution of one month."""

from __future__ import annotations

import json
from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from tests.conftest import PASSWORD, World
from tests.reports.conftest import import_as, month_scores, workbook_bytes
from thuocdo.reports.common.exports import report_title
from thuocdo.reports.common.levels import LevelCounts
from thuocdo.reports.common.selectors import MONTHLY_GROUP, distribution_report
from thuocdo.reports.distribution.exports import file_name

ROWS = [
    # A row's own category, or its person's (alice and bob are công chức) when it has none.
    ["CB-A", "", "P1", 2021, "Đảng viên", "HTXS", None, None],
    ["CB-B", "", "P2", 2021, "Đảng viên", "HTT", None, None],
    ["GV-1", "", "P1", 2021, "Đảng viên", "HTT", None, "Viên chức"],
    ["GV-2", "", "P2", 2021, "Đảng viên", "HTNV", None, "Viên chức"],
    ["LD-1", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "HTT", None, "Cán bộ"],
    ["", "", "P1", 2021, "Tập thể", "HTT", None, None],
]


def _counts(report, group):
    return next(g.counts for g in report.groups if g.group == group)


def test_a_category_narrows_both_history_and_the_groups(world: World) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    everyone = distribution_report(unit=world.city, year=2021)
    assert _counts(everyone, "party_member") == LevelCounts(htxs=1, htt=2, htnv=1)
    employees = distribution_report(unit=world.city, year=2021, category="public_employee")
    assert [g.group for g in employees.groups] == ["party_member"]
    assert _counts(employees, "party_member") == LevelCounts(htt=1, htnv=1)
    servants = distribution_report(unit=world.city, year=2021, category="civil_servant")
    assert _counts(servants, "party_member") == LevelCounts(htxs=1, htt=1)
    # A collective is no category of people.
    assert "collective" not in [g.group for g in servants.groups]
    assert report_title(servants).endswith("(đối tượng: Công chức)")
    assert file_name(servants, "xlsx") == "phan-bo-xep-loai-TP-2021-civil_servant.xlsx"


def test_a_month_counts_the_monthly_scores_of_the_subtree(world: World) -> None:
    month_scores(world, {world.alice: "HTXS", world.carol: "HTT", world.bob: "KHT"})
    month_scores(world, {world.alice: "HTNV"}, month=10)
    report = distribution_report(unit=world.city, year=2026, month=11)
    assert [g.group for g in report.groups] == [MONTHLY_GROUP]
    group = report.groups[0]
    assert group.counts == LevelCounts(htxs=1, htt=1, kht=1)
    assert [(row.unit.code, row.counts.total) for row in group.rows] == [("Q1", 2), ("Q2", 1)]
    # A month has no 20% quota to break (it is a year's).
    assert group.source is None and not group.flagged
    assert report_title(report) == "Kết quả đánh giá, xếp loại tháng 11/2026 — Thành phố Mẫu"
    assert file_name(report, "pdf") == "phan-bo-xep-loai-TP-2026-T11.pdf"
    district = distribution_report(unit=world.q2, year=2026, month=11)
    assert district.groups[0].counts == LevelCounts(kht=1)


def test_the_page_api_and_command_take_the_month_and_the_category(world: World) -> None:
    month_scores(world, {world.alice: "HTXS", world.carol: "HTT", world.bob: "KHT"})
    client = Client()
    assert client.login(username="olga", password=PASSWORD)
    page = client.get(
        reverse("reports:distribution"), {"unit": "Q1", "year": "2026", "month": "11"}
    )
    text = page.content.decode()
    assert "Kết quả đánh giá, xếp loại tháng 11/2026 — Quận Một" in text
    assert "2 kết quả đánh giá tháng 11/2026 trong hệ thống" in text
    assert (
        f'href="{reverse("reports:distribution-xlsx")}?unit=Q1&amp;year=2026&amp;month=11"' in text
    )
    api = APIClient()
    api.force_authenticate(world.users["root"])
    data = api.get(
        "/api/reports/distribution",
        {"unit": "TP", "year": "2026", "month": "11", "category": "civil_servant"},
    ).json()
    assert (data["month"], data["category"]) == (11, "civil_servant")
    assert data["groups"][0]["counts"]["total"] == 3
    bad = api.get("/api/reports/distribution", {"unit": "TP", "year": "2026", "month": "13"})
    assert bad.status_code == 400
    assert "Tháng phải từ 1 đến 12." in json.dumps(bad.json(), ensure_ascii=False)
    bad = api.get("/api/reports/distribution", {"unit": "TP", "year": "2026", "category": "x"})
    assert bad.status_code == 400
    assert "«x» không phải đối tượng" in json.dumps(bad.json(), ensure_ascii=False)
    out = StringIO()
    call_command(
        "report", "distribution", "--unit", "Q2", "--year", "2026", "--month", "11", stdout=out
    )
    assert json.loads(out.getvalue())["groups"][0]["counts"]["KHT"] == 1

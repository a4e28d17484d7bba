"""In a real browser: a city organiser opens the reports dashboard, sees its charts drawn,
drills from the city into a district on the map, and exports; a district organiser is
refused the sibling district's report."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD, World
from tests.reports.conftest import import_as, workbook_bytes
from thuocdo.org import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = [
    ["CB-A", "Nguyễn Thị Hồng Nhung", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "CB1", 2021, "Đảng viên", "HTT"],
    ["CB-X", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-Y", "", "Q1", 2021, "Đảng viên", "HTNV"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "HTT"],
    ["CB-D", "", "P2", 2021, "Đảng viên", "HTT"],
    ["CB-A", "", "P1", 2020, "Đảng viên", "HTT"],
    ["CB-B", "", "P2", 2020, "Đảng viên", "HTXS"],
]


def test_the_organiser_drills_from_the_city_to_a_district_and_exports(
    live_server, world: World, login: Callable[..., Page], tmp_path
) -> None:
    user = services.user_create(actor=None, username="ban", password=PASSWORD)
    services.role_assign(actor=None, user=user, role="organiser", unit=world.city)
    import_as(world, "root", workbook_bytes(ROWS))
    page = login("ban")

    page.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Kết quả đánh giá, xếp loại năm 2021 — Thành phố Mẫu"
    )
    # The charts are drawn by the vendored Chart.js (no network).
    expect(page.locator("#chart-levels")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#chart-units")).to_have_attribute("data-drawn", "true")
    expect(page.locator("#trend-shares-party_member")).to_have_attribute("data-drawn", "true")
    city_map = page.locator(".rp-map")
    expect(city_map).to_contain_text("Quận Một")
    expect(city_map).to_contain_text("Quận Hai")

    city_map.get_by_role("link", name="Quận Một").click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Kết quả đánh giá, xếp loại năm 2021 — Quận Một"
    )
    expect(page.locator(".rp-crumbs")).to_contain_text("Thành phố Mẫu")
    district_map = page.locator(".rp-map")
    expect(district_map).to_contain_text("Phường Một")
    expect(district_map).not_to_contain_text("Quận Hai")

    with page.expect_download() as download:
        page.get_by_role("button", name="Xuất Excel").click()
    assert download.value.suggested_filename == "phan-bo-xep-loai-Q1-2021-party_member.xlsx"
    path = tmp_path / "q1.xlsx"
    download.value.save_as(path)
    sheet = load_workbook(path)["Phân bố xếp loại"]
    totals = [
        row[1] for row in sheet.iter_rows(values_only=True) if row[0] == "Tổng cộng: Quận Một"
    ]
    assert totals == [4]


def test_a_district_organiser_is_refused_the_sibling_districts_dashboard(
    live_server, world: World, login: Callable[..., Page]
) -> None:
    import_as(world, "root", workbook_bytes(ROWS))
    page = login("olga")
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    expect(page.get_by_role("heading", level=2).first).to_have_text(
        "Kết quả đánh giá, xếp loại năm 2021 — Quận Một"
    )
    response = page.goto(f"{live_server.url}/bao-cao/tong-quan/?unit=Q2&year=2021")
    assert response is not None and response.status == 404
    response = page.goto(f"{live_server.url}/bao-cao/excel/?unit=Q2&year=2021")
    assert response is not None and response.status == 404

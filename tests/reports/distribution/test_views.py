"""The "Báo cáo" page: the distribution table, the drill-down and the export buttons."""

from __future__ import annotations

import io

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.reports.conftest import import_as, workbook_bytes
from tests.reports.distribution.test_exports import pdf_text

URL = reverse("reports:distribution")
ROWS = [
    ["CB-A", "Nguyễn Thị Hồng Nhung", "P1", 2021, "Đảng viên", "HTXS"],
    ["CB-C", "", "CB1", 2021, "Đảng viên", "HTT"],
    ["CB-X", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-Y", "", "P1", 2021, "Đảng viên", "HTT"],
    ["CB-Z", "", "P1", 2021, "Đảng viên", "HTNV"],
    ["CB-B", "", "P2", 2021, "Đảng viên", "KHT"],
    ["CB-H", "", "Q1", 2021, "Cán bộ lãnh đạo, quản lý", "HTXS"],
    ["CB-L", "", "P1", 2021, "Cán bộ lãnh đạo, quản lý", "HTT"],
]


def _get(username: str, **params: str) -> str:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_organiser_lands_on_their_district_for_the_latest_year(world):
    import_as(world, "root", workbook_bytes(ROWS))
    page = _get("olga")
    assert "Kết quả đánh giá, xếp loại năm 2021 — Quận Một" in page
    assert (
        "5 được xếp loại: 80% từ Hoàn thành tốt nhiệm vụ trở lên, trong đó 25% Hoàn thành "
        "xuất sắc nhiệm vụ; 20% Hoàn thành nhiệm vụ; 0% Không hoàn thành nhiệm vụ." in page
    )
    # Drill-down into the ward, and the district's own leader on a line of its own.
    assert f'href="{URL}?unit=P1&amp;year=2021"' in page
    assert "Quận Một (trực tiếp)" in page
    assert f'href="{reverse("reports:distribution-xlsx")}?unit=Q1&amp;year=2021"' in page
    assert f'href="{reverse("reports:distribution-pdf")}?unit=Q1&amp;year=2021"' in page
    assert "Nhập kết quả các năm trước" in page  # olga is an organiser


def test_it_drills_down_from_the_city_to_a_ward_with_breadcrumbs(world):
    import_as(world, "root", workbook_bytes(ROWS))
    city = _get("root", unit="TP", year="2021")
    assert "Kết quả đánh giá, xếp loại năm 2021 — Thành phố Mẫu" in city
    assert f'href="{URL}?unit=Q1&amp;year=2021"' in city
    assert f'href="{URL}?unit=Q2&amp;year=2021"' in city
    ward = _get("root", unit="P1", year="2021", group="party_member")
    assert "Kết quả đánh giá, xếp loại năm 2021 — Phường Một" in ward
    assert f'href="{URL}?unit=TP&amp;year=2021&amp;group=party_member"' in ward  # breadcrumb
    assert f'href="{URL}?unit=CB1&amp;year=2021&amp;group=party_member"' in ward
    assert "Cán bộ lãnh đạo, quản lý" not in ward.split("<h2>")[1]  # one group asked for


def test_a_breached_quota_is_flagged_with_its_source(world):
    import_as(world, "root", workbook_bytes(ROWS))
    page = _get("hana", unit="Q1", year="2021")
    assert "Vượt tỷ lệ HTXS 20%:" in page
    assert "1 HTXS trên 2 người" in page and "= 50%, vượt tỷ lệ 20% (tối đa 0; vượt 1)" in page
    assert "Căn cứ: Quy định 132-QĐ/TW; Hướng dẫn 21-HD/BTCTW" in page
    assert "Nhập kết quả các năm trước" not in page  # a head reads reports, does not import


def test_an_empty_year_says_what_to_do_next(world):
    page = _get("olga", year="2020")
    assert "Chưa có kết quả xếp loại năm 2020 trong phạm vi Quận Một" in page
    assert reverse("reports:history-import") in page


def test_the_export_buttons_send_the_same_report(world):
    import_as(world, "root", workbook_bytes(ROWS))
    client = Client()
    assert client.login(username="olga", password=PASSWORD)
    params = {"unit": "Q1", "year": "2021"}
    xlsx = client.get(reverse("reports:distribution-xlsx"), params)
    assert xlsx["Content-Disposition"] == 'attachment; filename="phan-bo-xep-loai-Q1-2021.xlsx"'
    ws = load_workbook(io.BytesIO(xlsx.content))["Phân bố xếp loại"]
    values = [r[1] for r in ws.iter_rows(values_only=True) if r[0] == "Tổng cộng: Quận Một"]
    assert values == [5, 2]
    pdf = client.get(reverse("reports:distribution-pdf"), params)
    assert "5 được xếp loại: 80% từ Hoàn thành tốt nhiệm vụ trở lên" in pdf_text(pdf.content)


def test_the_menu_shows_reports_to_those_who_may_see_them(world):
    # The menu opens the reports on their dashboard ("Tổng quan").
    menu = f'href="{reverse("reports:dashboard")}">Báo cáo</a>'
    assert menu in _get("olga", year="2020")
    client = Client()
    assert client.login(username="lena", password=PASSWORD)
    assert menu not in client.get(reverse("web:home")).content.decode()

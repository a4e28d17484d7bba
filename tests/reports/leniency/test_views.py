"""The "Cảnh báo nể nang" page: flags with their explanations, the gap table, scope, exports."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.reports.conftest import import_as, workbook_bytes
from tests.reports.distribution.test_exports import pdf_text
from tests.reports.leniency.cast import lenient_wards, system_year

URL = reverse("reports:leniency")
DISTRIBUTION = reverse("reports:distribution")


@pytest.fixture
def wards(world):
    return lenient_wards(world)


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _get(username: str, **params: str) -> str:
    response = _client(username).get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_organiser_sees_the_lenient_ward_with_its_explanation(world, wards):
    page = _get("olga", year="2021")
    assert "Cảnh báo nể nang trong đánh giá, xếp loại năm 2021 — Quận Một" in page
    assert "Tỷ lệ HTXS cao bất thường" in page
    assert "Tỷ lệ HTXS 45% (9/20 người được xếp loại) so với trung vị 15% của 5 đơn vị" in page
    assert "Điểm bình quân cao bất thường" in page
    # Each flag links to its unit's distribution page for the year and group.
    assert f'href="{DISTRIBUTION}?unit=P1&amp;year=2021&amp;group=party_member"' in page
    assert 'class="cards rp-table rp-flags"' in page
    assert 'aria-current="page">Cảnh báo nể nang</a>' in page  # the tab
    assert f'href="{reverse("reports:leniency-xlsx")}?unit=Q1&amp;year=2021"' in page
    assert "Chưa có kỳ đánh giá năm 2021 đã công khai có mức tự đề xuất" in page
    assert 'name="group"' in page and 'name="month"' not in page  # whole years only


def test_the_breadcrumbs_stay_on_the_leniency_page(world, wards):
    page = _get("olga", unit="P1", year="2021", group="party_member")
    assert "Cảnh báo nể nang trong đánh giá, xếp loại năm 2021 — Phường Một" in page
    assert f'href="{URL}?unit=Q1&amp;year=2021&amp;group=party_member"' in page
    assert f'href="{URL}?unit=TP' not in page  # olga does not see the city


def test_the_gap_table_marks_the_ward_that_lowered_nobody(world, wards):
    system_year(world, wards)
    page = _get("hana", unit="Q1", year="2026", group="civil_servant")
    assert "Không hạ mức tự đề xuất của ai" in page
    table = page.split("Mức tự đề xuất và mức kết luận")[1]
    p1_line = table.split("Phường Một")[1].split("</tr>")[0]
    assert "có cảnh báo" in p1_line
    assert 'data-label="Giữ nguyên">12<' in p1_line
    w4_line = table.split("Phường W4")[1].split("</tr>")[0]
    assert "có cảnh báo" not in w4_line
    assert 'data-label="Bị hạ mức">4 <small>(33,33%)</small>' in w4_line
    assert "0,33 mức" in w4_line


def test_an_outsider_from_a_sibling_district_gets_404(world, wards):
    client = _client("olga")  # organiser of Q1
    for path in (URL, reverse("reports:leniency-xlsx"), reverse("reports:leniency-pdf")):
        assert client.get(path, {"unit": "Q2", "year": "2021"}).status_code == 404
        assert client.get(path, {"unit": "NO-SUCH", "year": "2021"}).status_code == 404
    assert _client("nobody").get(URL).status_code == 404


def test_an_empty_year_says_what_to_do_next(world):
    page = _get("olga", year="2020")
    assert "Chưa có kết quả xếp loại năm 2020 trong phạm vi Quận Một để phát hiện nể nang" in page
    assert reverse("reports:history-import") in page
    head = _get("hana", year="2020")
    assert "đề nghị Ban Tổ chức nhập kết quả các năm trước" in head


def test_a_year_without_flags_says_so(world):
    rows = [
        ["CB-A", "", "P1", 2021, "Đảng viên", "HTT"],
        ["CB-C", "", "P1", 2021, "Đảng viên", "HTT"],
    ]
    import_as(world, "root", workbook_bytes(rows))
    page = _get("olga", year="2021")
    assert "Không có cảnh báo nào trong 1 đơn vị và nhóm đối tượng" in page


def test_the_export_buttons_send_the_same_flags(world, wards):
    client = _client("olga")
    params = {"unit": "Q1", "year": "2021"}
    xlsx = client.get(reverse("reports:leniency-xlsx"), params)
    assert xlsx["Content-Disposition"] == 'attachment; filename="canh-bao-ne-nang-Q1-2021.xlsx"'
    ws = load_workbook(io.BytesIO(xlsx.content))["Cảnh báo nể nang"]
    assert [
        r[1] for r in ws.iter_rows(values_only=True) if r[0] == "Tỷ lệ HTXS cao bất thường"
    ] == ["P1"]
    pdf = client.get(reverse("reports:leniency-pdf"), params)
    assert pdf["Content-Type"] == "application/pdf"
    assert "Tỷ lệ HTXS 45% (9/20 người được xếp loại)" in pdf_text(pdf.content)


def test_the_distribution_page_has_the_leniency_tab(world):
    page = _client("olga").get(DISTRIBUTION, {"year": "2020"}).content.decode()
    assert f'href="{URL}?unit=Q1">Cảnh báo nể nang</a>' in page

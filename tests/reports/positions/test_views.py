"""The "So sánh chức danh tương đương" page: people of equivalent positions, ranked."""

from __future__ import annotations

import io
from decimal import Decimal

from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tests.conftest import PASSWORD
from tests.reports.distribution.test_exports import pdf_text
from tests.reports.trend_data import evaluate, year_period
from thuocdo.opinions.models import SurveyResponse
from thuocdo.reports.positions import selectors as position_selectors
from thuocdo.reviews.models import AnnualAssessment

URL = reverse("reports:positions")
D = Decimal


def _client(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def _published(world):
    period = year_period(world, 2025, world.city)
    alice = evaluate(period, world.alice, "HTT", D("88.5"), group="civil_servant")
    evaluate(period, world.bob, "HTXS", D(93), group="civil_servant")
    evaluate(period, world.carol, "HTT", D(80), group="civil_servant")
    AnnualAssessment.objects.create(
        evaluation=alice,
        source="leader",
        shortcomings="Ý kiến riêng không được công khai",
        proposed_level="HTT",
        by=world.users["lena"],
    )
    SurveyResponse.objects.create(
        evaluation=alice, role="peer", answers={"comment": "Góp ý ẩn danh của đồng nghiệp"}
    )
    return period


def test_the_city_ranks_equivalent_positions_across_districts(world):
    _published(world)
    page = _client("root").get(URL, {"unit": "TP", "year": "2025"}).content.decode()
    assert (
        "So sánh kết quả xếp loại giữa các chức danh tương đương năm 2025 — Thành phố Mẫu" in page
    )
    office = page.split("<h3>CC-VP")[1].split("</section>")[0]
    assert office.index("Bùi Văn Bình") < office.index("Nguyễn Thị Hồng Nhung")
    assert (
        '<td data-label="Thứ hạng">2</td>' in office and '<td data-label="Điểm">88,5</td>' in office
    )
    assert (
        "2 người; điểm bình quân 90,75; HTXS 1 (50% số được xếp loại, 50% số từ HTT trở lên)"
        in office
    )
    assert f'href="{URL}?unit=P2&amp;year=2025"' in office  # drill into a ward
    assert 'aria-current="page">So sánh chức danh tương đương</a>' in page
    assert "Ý kiến riêng" not in page and "ẩn danh" not in page  # never an opinion


def test_a_summary_leads_to_one_position_and_its_exports(world):
    _published(world)
    client = _client("root")
    page = client.get(URL, {"unit": "TP", "year": "2025"}).content.decode()
    one = f"{URL}?unit=TP&amp;year=2025&amp;group=civil_servant&amp;position=CC-VP"
    assert f'<a href="{one}">CC-VP</a> <a href="#cd-2"' in page  # CC-TP first, then CC-VP
    narrowed = client.get(URL, {"unit": "TP", "year": "2025", "position": "CC-VP"})
    text = narrowed.content.decode()
    assert "Chỉ chức danh «CC-VP»" in text and "Trần Văn Ánh" not in text
    assert "Bùi Văn Bình" in text
    assert (
        'href="/bao-cao/chuc-danh-tuong-duong/excel/?unit=TP&amp;year=2025&amp;position=CC-VP"'
        in text
    )


def test_a_large_subtree_lists_people_once_a_position_is_chosen(world, monkeypatch):
    _published(world)
    monkeypatch.setattr(position_selectors, "LISTED_PEOPLE", 2)
    client = _client("root")
    page = client.get(URL, {"unit": "TP", "year": "2025"}).content.decode()
    assert "3 người trong 2 chức danh tương đương: chọn một chức danh" in page
    assert "Bùi Văn Bình" not in page and 'href="#cd-' not in page
    one = client.get(URL, {"unit": "TP", "year": "2025", "position": "CC-VP"}).content.decode()
    assert "Bùi Văn Bình" in one and "chọn một chức danh" not in one
    pdf = pdf_text(client.get(reverse("reports:positions-pdf"), {"unit": "TP"}).content)
    assert "Bùi Văn Bình" not in pdf and "3 người trong 2 chức danh tương đương" in pdf


def test_the_district_sees_only_its_own_people(world):
    _published(world)
    page = _client("olga").get(URL, {"year": "2025"}).content.decode()
    assert "Nguyễn Thị Hồng Nhung" in page and "Bùi Văn Bình" not in page
    assert f'href="{URL}?unit=TP' not in page  # olga's scope stops at Q1: no city breadcrumb


def test_an_unpublished_year_shows_nothing_yet(world):
    period = _published(world)
    period.state = "conclusion"
    period.save()
    page = _client("root").get(URL, {"unit": "TP", "year": "2025"}).content.decode()
    assert "Chưa có kết quả xếp loại đã công khai năm 2025 trong phạm vi Thành phố Mẫu" in page
    assert "Bùi Văn Bình" not in page


def test_an_outsider_from_a_sibling_district_gets_404(world):
    _published(world)
    client = _client("olga")  # organiser of Q1
    assert client.get(URL, {"unit": "Q2", "year": "2025"}).status_code == 404
    assert client.get(reverse("reports:positions-pdf"), {"unit": "P2"}).status_code == 404
    assert _client("nobody").get(URL).status_code == 404


def test_the_exports_send_the_same_ranks(world):
    _published(world)
    client = _client("root")
    params = {"unit": "TP", "year": "2025", "group": "civil_servant"}
    xlsx = client.get(reverse("reports:positions-xlsx"), params)
    assert xlsx["Content-Disposition"] == (
        'attachment; filename="chuc-danh-tuong-duong-TP-2025-civil_servant.xlsx"'
    )
    ws = load_workbook(io.BytesIO(xlsx.content))["Chi tiết"]
    ranked = [(r[0], r[1], r[4]) for r in ws.iter_rows(values_only=True) if r[5] in ("HTXS", "HTT")]
    assert ranked == [
        (1, "Trần Văn Ánh", 80),
        (1, "Bùi Văn Bình", 93),
        (2, "Nguyễn Thị Hồng Nhung", 88.5),
    ]
    pdf = pdf_text(client.get(reverse("reports:positions-pdf"), params).content)
    assert "Nguyễn Thị Hồng Nhung" in pdf and "88,5" in pdf

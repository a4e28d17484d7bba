"""The city's month board: BOARD_PAGE rows a page, a unit typed in the picker, filters by state,
level and name, counts."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from tests.conftest import World
from thuocdo.org import services as org
from thuocdo.reviews.models import MonthlyScore
from thuocdo.reviews.monthly import services
from thuocdo.reviews.monthly.views import BOARD_PAGE


def _city_month(world: World) -> int:
    for n in range(BOARD_PAGE + 10):
        person = org.person_create(
            None,
            code=f"CB-X{n:03d}",
            full_name=f"Phạm Văn Số{n:03d}",
            birth_date=datetime.date(1990, 1, 1),
            gender="male",
            category="civil_servant",
        )
        org.post_create(
            None,
            person=person,
            unit=world.p2,
            title="Công chức Văn phòng - Thống kê",
            start_date=datetime.date(2020, 1, 1),
        )
    period = services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=2026,
        number=10,
        ruleset="nd-335-2025",
    )
    services.month_scores_compute(actor=world.users["root"], period=period)
    return period.pk


def _rows(page: str) -> int:
    return page.count('data-label="Họ và tên"')


def test_the_board_is_paginated_with_counts(client: Client, world: World) -> None:
    period_id = _city_month(world)
    total = MonthlyScore.objects.filter(period_id=period_id).count()
    assert total > BOARD_PAGE + 10
    client.force_login(world.users["root"])
    url = reverse("reviews:period-board", args=[period_id])
    first = client.get(url).content.decode()
    assert _rows(first) == BOARD_PAGE
    assert f"{total} / {total} người" in first
    assert "Trang 1 / 2" in first and "trang=2" in first
    # Computing the month takes seconds at a city's size: its button shows it is under way.
    assert "data-busy>" in first and "thuocdo/busy.js" in first
    second = client.get(url, {"trang": 2}).content.decode()
    assert _rows(second) == total - BOARD_PAGE


def test_the_board_filters_by_unit_state_level_and_name(client: Client, world: World) -> None:
    period_id = _city_month(world)
    client.force_login(world.users["root"])
    url = reverse("reviews:period-board", args=[period_id])
    in_q1 = MonthlyScore.objects.filter(period_id=period_id, unit__path__startswith=world.q1.path)
    page = client.get(url, {"ma-don-vi": "Q1"}).content.decode()
    assert _rows(page) == in_q1.count() > 0
    assert "Phạm Văn Số" not in page
    page = client.get(url, {"tim": "Số007"}).content.decode()
    assert _rows(page) == 1 and "Phạm Văn Số007" in page
    page = client.get(url, {"trang-thai": "da-quyet-dinh"}).content.decode()
    assert _rows(page) == 0
    level = MonthlyScore.objects.filter(period_id=period_id).values_list("level", flat=True)[0]
    count = MonthlyScore.objects.filter(period_id=period_id, level=level).count()
    page = client.get(url, {"muc": level, "ma-don-vi": world.city.code}).content.decode()
    assert _rows(page) == min(count, BOARD_PAGE)
    assert "muc=" in page or count <= BOARD_PAGE

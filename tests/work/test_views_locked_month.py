"""The pages of a locked month (thuocdo/work/templates/work/_month_locked.html): the person's
month, the leader's team, the scoring form, one score and the board say plainly that the month
is closed, by whom and why, and offer nothing that would be refused; before the lock, the same
pages offered it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from thuocdo.org.scope import today
from thuocdo.reviews.models import MonthlyAssessment, MonthlyScore
from thuocdo.reviews.monthly import services as monthly
from thuocdo.work import locking, services
from thuocdo.work.models import Task

AT = today()
YEAR, MONTH = (AT.year - 1, 12) if AT.month == 1 else (AT.year, AT.month - 1)
KEY = f"?thang={YEAR}-{MONTH:02d}"
NOTE = f"Tháng {MONTH:02d}/{YEAR} đã khóa sổ"


@pytest.fixture
def last_month(world):
    """Last month over the city, scored: alice's task waits for verification, her month for
    lena's scoring and hana's decision."""
    period = monthly.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=YEAR,
        number=MONTH,
        ruleset="nd-335-2025",
    )
    task = services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=YEAR,
        month=MONTH,
        title="Báo cáo thống kê tháng",
        quantity=Decimal(1),
        due_date=AT.replace(day=1),
    )
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=task.due_date,
        quantity_done=Decimal(1),
        evidence_number="9/BC",
    )
    monthly.month_scores_compute(actor=world.users["root"], period=period)
    return period


def _page(world, name: str, url: str) -> str:
    client = Client()
    client.force_login(world.users[name])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _pages(world, period) -> dict[str, str]:
    score = MonthlyScore.objects.get(period=period, person=world.alice)
    return {
        "month": _page(world, "alice", reverse("work:month-detail") + KEY),
        "team": _page(world, "lena", reverse("work:team-detail") + KEY),
        "scoring": _page(
            world, "lena", reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
        ),
        "score": _page(world, "hana", reverse("reviews:score-detail", args=[score.pk])),
        "board": _page(world, "olga", reverse("reviews:period-board", args=[period.pk])),
    }


def test_a_locked_month_says_so_and_offers_nothing_that_would_be_refused(world, last_month):
    period = last_month
    scoring_url = reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    verify_url = reverse("work:task-verify", args=[Task.objects.get().pk])
    before = _pages(world, period)
    assert all(NOTE not in page for page in before.values())
    assert scoring_url in before["month"]  # «Tự đánh giá tháng»
    assert scoring_url in before["team"] and verify_url in before["team"]
    assert "Lưu điểm" in before["scoring"]
    assert "Ghi quyết định" in before["score"]
    assert "Tính điểm tháng từ kết quả công việc" in before["board"]

    locking.month_lock(
        actor=world.users["olga"], unit=world.q1, year=YEAR, month=MONTH, reason="Đã chấm xong"
    )
    after = _pages(world, period)
    for name, page in after.items():
        assert NOTE in page, name
        assert "Quận Một" in page and "Lý do: Đã chấm xong" in page, name
    assert scoring_url not in after["month"]
    assert scoring_url not in after["team"] and verify_url not in after["team"]
    assert "Tháng đã khóa sổ" in after["team"]
    assert "Lưu điểm" not in after["scoring"]
    assert "Ghi quyết định" not in after["score"]
    # The period over the city is not closed, so it may still be computed (the district's
    # month stays as it is); the organiser is led to the page that reopens the district.
    assert "Tính điểm tháng từ kết quả công việc" in after["board"]
    assert reverse("work:month-lock-list") + KEY + "&amp;don-vi=Q1" in after["board"]
    city = _page(world, "root", reverse("reviews:period-board", args=[period.pk]))
    assert f"Đã khóa sổ Tháng {MONTH:02d}/{YEAR} — Thành phố Mẫu: Quận Một." in city


def test_a_scoring_sent_anyway_is_refused_with_the_reason(world, last_month):
    locking.month_lock(actor=world.users["olga"], unit=world.p1, year=YEAR, month=MONTH)
    client = Client()
    client.force_login(world.users["lena"])
    url = reverse("reviews:assessment-edit", args=[last_month.pk, world.alice.pk])
    response = client.post(url, {"general": "27", "deductions": "0", "note": ""})
    assert (response.status_code, response["Location"]) == (302, url)  # never at the POST
    assert "đã khóa sổ, không thể thay đổi" in client.get(url).content.decode()
    assert not MonthlyAssessment.objects.filter(source="leader").exists()


def _alice_row(page: str, world) -> str:
    row = page[page.index(f'id="can-bo-{world.alice.pk}"') :]
    return row[: row.index("</tr>")]


def test_a_locked_months_row_counts_nothing_of_other_months(world, last_month):
    """Last month locked, a completion of this month waiting: it is counted and linked on this
    month's row, where it can be verified, never on last month's, where nothing can be done."""
    task = services.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=AT.year,
        month=AT.month,
        title="Báo cáo tuần này",
        quantity=Decimal(1),
        due_date=AT,
    )
    services.task_complete(
        actor=world.users["alice"],
        task=task,
        completed_on=AT,
        quantity_done=Decimal(1),
        evidence_number="10/BC",
    )
    team = reverse("work:team-detail")
    row = _alice_row(_page(world, "lena", team + KEY), world)
    assert "Xác nhận nhiệm vụ (1)" in row  # last month's own, open
    locking.month_lock(actor=world.users["olga"], unit=world.q1, year=YEAR, month=MONTH)
    row = _alice_row(_page(world, "lena", team + KEY), world)
    assert "Tháng đã khóa sổ" in row
    assert "Xác nhận nhiệm vụ" not in row and "hoan-thanh" not in row
    assert "Không còn việc nào" in row
    this_month = f"?thang={AT.year}-{AT.month:02d}"
    row = _alice_row(_page(world, "lena", team + this_month), world)
    assert "Xác nhận nhiệm vụ (1)" in row and f"{this_month}&amp;can-bo=" in row

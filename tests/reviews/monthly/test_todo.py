"""Today's work in the month: each step waits on the home page of the one who must do it,
with its count, and on no one else's (a sibling district sees none of it)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.urls import reverse
from django.utils import timezone

from tests.opinions.helpers import sibling_organiser
from thuocdo.org.scope import today
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodState,
)
from thuocdo.reviews.monthly.todo import todo_for
from thuocdo.web.todo import TodoItem

D = Decimal
AT = today()
LAST = (AT.year - 1, 12) if AT.month == 1 else (AT.year, AT.month - 1)


def _counts(user: Any) -> dict[str, int]:
    return {item.key: item.count for item in todo_for(user)}


def _items(user: Any, key: str) -> list[TodoItem]:
    return [item for item in todo_for(user) if item.key == key]


def _month(unit: Any, year: int = AT.year, number: int = AT.month) -> Period:
    return Period.objects.create(
        kind="month", year=year, number=number, unit=unit, ruleset="nd-335-2025"
    )


def _assess(world: Any, period: Period, person: Any, source: str) -> None:
    by = world.users["lena"] if source == AssessmentSource.LEADER else world.users["alice"]
    MonthlyAssessment.objects.create(
        period=period, person=person, source=source, general=D(27), by=by
    )


def _score(period: Period, person: Any, unit: Any) -> MonthlyScore:
    return MonthlyScore.objects.create(
        period=period,
        person=person,
        unit=unit,
        general=D(27),
        quantity=D(1),
        quality=D(1),
        timeliness=D(1),
        results=D(70),
        total=D(97),
        proposed_level="HTXS",
        level="HTXS",
    )


def test_a_person_is_asked_for_the_self_assessment_of_the_month_opened_over_the_city(world):
    period = _month(world.city)
    (item,) = _items(world.users["alice"], "reviews.month-self")
    assert item.text == f"Tự đánh giá tháng {AT:%m/%Y} chưa làm"
    assert item.url == reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    assert not item.urgent
    _assess(world, period, world.alice, AssessmentSource.SELF)
    assert "reviews.month-self" not in _counts(world.users["alice"])


def test_last_month_is_still_asked_for_until_it_is_scored_or_locked(world):
    last = _month(world.p1, *LAST)
    (item,) = _items(world.users["alice"], "reviews.month-self")
    assert item.urgent and f"{LAST[1]:02d}/{LAST[0]}" in item.text
    _assess(world, last, world.alice, AssessmentSource.LEADER)
    assert "reviews.month-self" not in _counts(world.users["alice"])
    Period.objects.filter(pk=last.pk).update(state=PeriodState.LOCKED)
    MonthlyAssessment.objects.all().delete()
    assert "reviews.month-self" not in _counts(world.users["alice"])


def test_the_leader_is_asked_to_score_his_staff_not_himself_nor_other_wards(world):
    period = _month(world.city)
    (item,) = _items(world.users["lena"], "reviews.month-to-score")
    assert item.count == 2  # Alice and Carol; Lena is the deputy, scored by the level above
    assert item.text == f"2 người chờ chấm điểm tháng {AT:%m/%Y}"
    # The link opens «Đơn vị của tôi» at that month, not at whatever month is current.
    assert item.url == f"{reverse('work:team-detail')}?thang={AT:%Y-%m}#people"
    _assess(world, period, world.alice, AssessmentSource.LEADER)
    assert _counts(world.users["lena"])["reviews.month-to-score"] == 1
    _assess(world, period, world.carol, AssessmentSource.SELF)  # her own does not count
    assert _counts(world.users["lena"])["reviews.month-to-score"] == 1


def test_the_head_decides_the_levels_of_a_month_that_is_over(world):
    last = _month(world.q1, *LAST)
    running = _month(world.q1)
    for person in (world.alice, world.carol):
        _score(last, person, world.p1)
        _score(running, person, world.p1)
    _score(_month(world.q2, *LAST), world.bob, world.p2)
    _score(last, world.hana, world.q1)  # her own month is decided above her
    (item,) = _items(world.users["hana"], "reviews.month-levels")
    assert item.count == 2  # not Bob, of the sibling district; not the running month; not hers
    assert item.text == f"2 mức xếp loại tháng {LAST[1]:02d}/{LAST[0]} chờ quyết định"
    # The board opens on the levels still to decide.
    assert (
        item.url == reverse("reviews:period-board", args=[last.pk]) + "?trang-thai=chua-quyet-dinh"
    )
    MonthlyScore.objects.filter(period=last, person=world.alice).update(
        decided_by=world.users["hana"]
    )
    assert _counts(world.users["hana"])["reviews.month-levels"] == 1
    assert "reviews.month-levels" not in _counts(world.users["olga"])


def test_the_heads_link_opens_even_for_a_month_opened_over_the_city(world, client):
    last = _month(world.city, *LAST)
    _score(last, world.alice, world.p1)
    (item,) = _items(world.users["hana"], "reviews.month-levels")
    client.force_login(world.users["hana"])
    response = client.get(item.url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "chưa quyết định" in page  # the head sees the level is the engine's, not hers yet
    # The head sees her district, not the city above it: no way up that would answer 404.
    assert f'?don-vi={world.city.pk}"' not in page
    assert f'?don-vi={world.p1.pk}"' in page


def test_the_organiser_is_told_when_this_month_is_not_open_over_their_district(world):
    (item,) = _items(world.users["olga"], "reviews.month-not-open")
    assert item.text == f"Kỳ đánh giá tháng {AT:%m/%Y} chưa được mở"
    _month(world.city)
    assert "reviews.month-not-open" not in _counts(world.users["olga"])


def test_a_self_assessment_entered_on_ones_behalf_waits_to_be_confirmed(world):
    period = _month(world.city)
    MonthlyAssessment.objects.create(
        period=period,
        person=world.alice,
        source=AssessmentSource.SELF,
        general=D(26),
        by=world.users["lena"],
        on_behalf_by=world.users["lena"],
    )
    (item,) = _items(world.users["alice"], "reviews.month-confirm")
    assert item.text == f"Tự đánh giá tháng {AT:%m/%Y} do Lê Thị Lan nhập hộ: xem và xác nhận"
    assert item.url == reverse("reviews:assessment-edit", args=[period.pk, world.alice.pk])
    assert "reviews.month-self" not in _counts(world.users["alice"])
    MonthlyAssessment.objects.update(confirmed_at=timezone.now())
    assert _counts(world.users["alice"]) == {}


def test_an_organiser_of_the_sibling_district_sees_none_of_it(world):
    otto = sibling_organiser(world)
    _month(world.q2)
    last = _month(world.q1, *LAST)
    _score(last, world.alice, world.p1)
    _month(world.city)
    assert todo_for(otto) == []


def test_the_counts_take_a_few_queries(world, django_assert_max_num_queries):
    _month(world.city)
    _score(_month(world.q1, *LAST), world.alice, world.p1)
    # The locks of the months asked about: one query more (two for a head, whose months to
    # decide may be older than last month).
    for username, most in [("alice", 4), ("lena", 7), ("hana", 9), ("olga", 1), ("tam", 0)]:
        user = world.users[username]
        todo_for(user)  # resolves and caches the scope
        with django_assert_max_num_queries(most):
            todo_for(user)


def test_nothing_of_a_locked_month_is_asked_for(world):
    from thuocdo.work.locking import month_lock

    last = _month(world.city, *LAST)
    MonthlyScore.objects.filter(pk=_score(last, world.alice, world.p1).pk).update(level="")
    alice, lena, hana = (world.users[n] for n in ("alice", "lena", "hana"))
    assert "reviews.month-self" in _counts(alice)
    assert "reviews.month-to-score" in _counts(lena)
    assert "reviews.month-levels" in _counts(hana)
    month_lock(actor=world.users["olga"], unit=world.p1, year=LAST[0], month=LAST[1])
    assert "reviews.month-self" not in _counts(alice)
    assert "reviews.month-to-score" not in _counts(lena)
    assert "reviews.month-levels" not in _counts(hana)

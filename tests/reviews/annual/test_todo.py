"""Today's work in the year: each step waits on the home page of the one who must do it,
with its count, and on no one else's (a sibling district sees none of it)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.opinions.helpers import sibling_organiser
from tests.reviews.annual.cycle import evaluation_of, open_year
from thuocdo.org import services as org
from thuocdo.org.scope import scope_for, today
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.todo import _review_year, _year_not_open, todo_for
from thuocdo.reviews.models import (
    AnnualAssessment,
    Appeal,
    AppealState,
    Evaluation,
    EvaluationState,
    Period,
    PeriodState,
)
from thuocdo.web.todo import TodoItem

D = Decimal
AT = today()


def _counts(user: Any) -> dict[str, int]:
    return {item.key: item.count for item in todo_for(user)}


def _items(user: Any, key: str) -> list[TodoItem]:
    return [item for item in todo_for(user) if item.key == key]


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (datetime.date(2026, 12, 6), 2026),
        (datetime.date(2026, 11, 1), 2026),
        (datetime.date(2027, 1, 20), 2026),
        (datetime.date(2026, 6, 1), None),
    ],
)
def test_the_review_season_asks_for_the_year_being_reviewed(day, year):
    assert _review_year(day) == year


def test_the_organiser_is_told_when_the_year_under_review_is_not_open(world):
    olga, december = scope_for(world.users["olga"]), datetime.date(2026, 12, 6)
    (item,) = _year_not_open(olga, december)
    assert item.text == "Kỳ đánh giá, xếp loại năm 2026 chưa được mở"
    assert item.url == reverse("reviews:period-list")
    assert _year_not_open(olga, datetime.date(2026, 6, 1)) == []  # not the season
    ward = Period.objects.create(kind="year", year=2026, unit=world.p1, ruleset="qd-366-2025")
    assert _year_not_open(olga, december) == []  # begun inside her district
    ward.delete()
    Period.objects.create(kind="year", year=2026, unit=world.city, ruleset="qd-366-2025")
    assert _year_not_open(olga, december) == []
    assert _year_not_open(scope_for(sibling_organiser(world)), december) == []  # the city covers Q2
    assert _year_not_open(scope_for(world.users["hana"]), december) == []  # not an organiser


@pytest.fixture
def year(world: Any) -> Period:
    return open_year(world)


def _set(period: Period, state: str, **filters: Any) -> None:
    Evaluation.objects.filter(period=period, **filters).update(state=state)


def test_a_person_is_asked_for_the_self_review_of_the_year(world, year):
    (item,) = _items(world.users["alice"], "reviews.year-self")
    evaluation = evaluation_of(year, world.alice)
    assert item.text == "Bản tự kiểm điểm năm 2026 (Mẫu 2A) chưa làm"
    assert item.url == reverse("reviews:evaluation-self", args=[evaluation.pk])
    _set(year, EvaluationState.SELF_ASSESSED, person=world.alice)
    assert "reviews.year-self" not in _counts(world.users["alice"])


def test_the_leader_assesses_self_reviews_and_the_head_writes_the_collectives_report(world, year):
    _set(year, EvaluationState.SELF_ASSESSED, kind="individual")
    (item,) = _items(world.users["lena"], "reviews.year-to-review")
    assert item.count == 2  # Alice and Carol; Lena's own is the level above's
    assert item.text == "2 bản tự kiểm điểm năm 2026 chờ lãnh đạo đánh giá"
    (collective,) = _items(world.users["hana"], "reviews.year-collective")
    assert collective.text == "Báo cáo kiểm điểm tập thể Quận Một năm 2026 (Mẫu 01) chưa làm"
    assert collective.url == reverse(
        "reviews:evaluation-self", args=[evaluation_of(year, world.q1).pk]
    )


def test_the_organiser_verifies_proposes_and_publishes(world, year):
    Period.objects.filter(pk=year.pk).update(self_due=AT - datetime.timedelta(days=1))
    assert _counts(world.users["olga"])["reviews.year-late"] == 7
    # A self-review no leader assesses (the head's, the collective's) waits for verification
    # as the verification page counts it.
    _set(year, EvaluationState.SELF_ASSESSED, kind="collective")
    assert (
        _counts(world.users["olga"])["reviews.year-to-verify"]
        == Evaluation.objects.filter(period=year, kind="collective").count()
    )
    _set(year, EvaluationState.REVIEWED)
    (verify,) = _items(world.users["olga"], "reviews.year-to-verify")
    assert verify.text == "7 phiếu đánh giá năm 2026 chờ thẩm định"
    assert verify.url == reverse("reviews:period-verification", args=[year.pk])
    assert "reviews.year-to-propose" not in _counts(world.users["olga"])
    _set(year, EvaluationState.VERIFIED)
    (propose,) = _items(world.users["olga"], "reviews.year-to-propose")
    assert (
        propose.text == "Kỳ đánh giá năm 2026 — Quận Một: đã thẩm định đủ, chờ đề xuất mức xếp loại"
    )
    _set(year, EvaluationState.PROPOSED)
    assert _counts(world.users["tam"])["reviews.year-to-conclude"] == 7
    assert "reviews.year-to-publish" not in _counts(world.users["olga"])
    _set(year, EvaluationState.CONCLUDED)
    (publish,) = _items(world.users["olga"], "reviews.year-to-publish")
    assert publish.url == reverse("reviews:period-conclusions", args=[year.pk])
    assert "reviews.year-to-conclude" not in _counts(world.users["tam"])


def test_self_reviews_to_enter_on_behalf_and_to_confirm(world, year):
    # Carol has no account: her self-review waits for her leader or the organiser to enter it.
    carol = evaluation_of(year, world.carol)
    for name, section in (
        ("olga", "reviews.year-on-behalf"),
        ("lena", "reviews.year-on-behalf-led"),
    ):
        (item,) = _items(world.users[name], section)
        assert item.count == 1
        assert item.text == "1 người chưa có tài khoản chưa có bản tự kiểm điểm năm 2026: nhập hộ"
        assert item.url == reverse("reviews:period-board", args=[year.pk])
    assert "reviews.year-on-behalf" not in _counts(world.users["tam"])
    cycle.evaluation_self_assess(
        actor=world.users["lena"],
        evaluation=carol,
        general=D(25),
        results=D(60),
        proposed_level="HTT",
    )
    assert "reviews.year-on-behalf" not in _counts(world.users["olga"])
    assert "reviews.year-on-behalf-led" not in _counts(world.users["lena"])
    # Once Carol has an account, her home page asks her to confirm what was entered for her.
    account = org.user_create(actor=None, username="carol", password="Mat-khau-thu-2026")
    world.carol.user = account
    world.carol.save(update_fields=["user"])
    account = type(account).objects.get(pk=account.pk)  # a fresh scope
    (confirm,) = _items(account, "reviews.year-confirm")
    assert confirm.text == (
        "Bản tự kiểm điểm năm 2026 do Lê Thị Lan nhập hộ: xem và xác nhận (hoặc sửa lại)"
    )
    assert confirm.url == reverse("reviews:evaluation-detail", args=[carol.pk]) + "#on-behalf"
    carol.refresh_from_db()
    cycle.evaluation_self_confirm(actor=account, evaluation=carol)
    assert "reviews.year-confirm" not in _counts(account)


def test_appeals_wait_for_the_organiser_then_for_the_authority(world, year):
    _set(year, EvaluationState.PUBLISHED)
    published = timezone.now()
    Period.objects.filter(pk=year.pk).update(state=PeriodState.PUBLISHED, published_at=published)
    (result,) = _items(world.users["alice"], "reviews.year-published")
    assert result.text.startswith("Kết quả xếp loại năm 2026 đã công khai")
    # The window ends at the hour it was published, so the item says that hour, not "hết ngày".
    end = timezone.localtime(published + datetime.timedelta(days=year.appeal_days))
    assert f"kiến nghị đến {end:%H:%M ngày %d/%m/%Y} nếu" in result.text
    alice = evaluation_of(year, world.alice)
    appeal = Appeal.objects.create(
        evaluation=alice, text="Đề nghị xem lại", filed_by=world.users["alice"]
    )
    assert "reviews.year-published" not in _counts(world.users["alice"])
    (item,) = _items(world.users["olga"], "reviews.appeals-to-reexamine")
    assert item.url == reverse("reviews:evaluation-detail", args=[alice.pk])
    assert "reviews.appeals-to-decide" not in _counts(world.users["tam"])
    Appeal.objects.filter(pk=appeal.pk).update(state=AppealState.REEXAMINED)
    assert _counts(world.users["tam"])["reviews.appeals-to-decide"] == 1
    assert "reviews.appeals-to-reexamine" not in _counts(world.users["olga"])


def test_a_self_review_entered_on_ones_behalf_waits_to_be_confirmed(world, year):
    alice = evaluation_of(year, world.alice)
    AnnualAssessment.objects.create(
        evaluation=alice,
        source="self",
        proposed_level="HTT",
        by=world.users["olga"],
        on_behalf_by=world.users["olga"],
    )
    _set(year, EvaluationState.SELF_ASSESSED, person=world.alice)
    (item,) = _items(world.users["alice"], "reviews.year-confirm")
    assert item.text == "Bản tự kiểm điểm năm 2026 do olga nhập hộ: xem và xác nhận (hoặc sửa lại)"
    assert item.url == reverse("reviews:evaluation-detail", args=[alice.pk]) + "#on-behalf"
    AnnualAssessment.objects.update(confirmed_at=timezone.now())
    assert "reviews.year-confirm" not in _counts(world.users["alice"])


def test_an_organiser_of_the_sibling_district_sees_none_of_it(world, year):
    otto = sibling_organiser(world)
    Period.objects.create(kind="year", year=AT.year, unit=world.q2, ruleset="qd-366-2025")
    Period.objects.create(kind="year", year=AT.year - 1, unit=world.q2, ruleset="qd-366-2025")
    Period.objects.filter(pk=year.pk).update(self_due=AT - datetime.timedelta(days=1))
    _set(year, EvaluationState.REVIEWED, kind="collective")
    Appeal.objects.create(
        evaluation=evaluation_of(year, world.alice), text="x", filed_by=world.users["alice"]
    )
    assert todo_for(otto) == []


def test_the_counts_take_a_few_queries(world, year, django_assert_max_num_queries):
    _set(year, EvaluationState.REVIEWED)
    for username, most in [("alice", 7), ("lena", 11), ("hana", 11), ("olga", 9), ("tam", 3)]:
        user = world.users[username]
        todo_for(user)  # resolves and caches the scope
        with django_assert_max_num_queries(most):
            todo_for(user)

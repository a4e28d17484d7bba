"""The demo city's year under way: the ward's annual period opened by `bantochuc`, the
self-reviews written or entered on behalf, the leaders' assessments, `canhan`'s left to write,
and `thamquyen` the competent authority of every evaluation in it."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

from thuocdo.audit.models import AuditEvent
from thuocdo.demo.common import DemoError
from thuocdo.demo.registry import demo_build
from thuocdo.demo.work import demo_work_build
from thuocdo.demo.year import WARD_CODE, demo_year_build, demo_year_tour
from thuocdo.org.models import RoleAssignment, User
from thuocdo.reviews.annual.desk import year_desk
from thuocdo.reviews.models import (
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    Period,
    PeriodKind,
    SubjectKind,
)
from thuocdo.reviews.monthly.selectors import period_list

PEOPLE = 400
SEED = 2026
TODAY = datetime.date(2026, 12, 5)


@pytest.fixture
def counts(db: None) -> dict[str, int]:
    demo_build(people=PEOPLE, seed=SEED)
    demo_work_build(seed=SEED, today=TODAY)
    return demo_year_build(seed=SEED, today=TODAY)


def _user(name: str) -> User:
    return User.objects.get(username=name)


def test_the_ward_year_is_open_with_every_form_but_canhans(counts: dict[str, int]) -> None:
    period = Period.objects.get(kind=PeriodKind.YEAR)
    assert (period.unit.code, period.year) == (WARD_CODE, 2026)
    assert period.self_due == TODAY + datetime.timedelta(days=10)
    evaluations = Evaluation.objects.filter(period=period)
    assert counts["year_evaluations"] == evaluations.count() > 5
    canhan = evaluations.get(person__user__username="canhan")
    assert canhan.state == EvaluationState.PENDING
    others = evaluations.exclude(pk=canhan.pk)
    assert not others.filter(state=EvaluationState.PENDING).exists()
    assert others.filter(kind=SubjectKind.COLLECTIVE, state=EvaluationState.SELF_ASSESSED).count()
    # The competent authority of everyone in the ward is the login `thamquyen`'s board.
    board = RoleAssignment.objects.get(user__username="thamquyen").authority_id
    assert set(evaluations.values_list("authority_id", flat=True)) == {board}
    assert period in period_list(actor=_user("thamquyen"))


def test_several_self_reviews_were_entered_on_behalf_and_audited(counts: dict[str, int]) -> None:
    sheets = AnnualAssessment.objects.filter(
        source=AssessmentSource.SELF, on_behalf_by__isnull=False
    )
    assert counts["year_on_behalf"] == sheets.count() >= 2
    writers = set(sheets.values_list("on_behalf_by__username", flat=True))
    assert writers <= {"lanhdao", "bantochuc"} and "lanhdao" in writers
    assert not sheets.filter(confirmed_at__isnull=False).exists()
    # Nobody with an account had their self-review written for them.
    assert not sheets.filter(evaluation__person__user__isnull=False).exists()
    audited = AuditEvent.objects.filter(action="annual_assessment.self.on_behalf").count()
    assert audited == sheets.count()
    assert AuditEvent.objects.filter(action="demo.year_build").count() == 1


def test_lanhdao_has_only_canhan_left_to_assess(counts: dict[str, int]) -> None:
    period = Period.objects.get(kind=PeriodKind.YEAR)
    desk = year_desk(actor=_user("lanhdao"), period=period)

    def login(row: Any) -> str | None:
        person = row.evaluation.person
        return person.user.username if person is not None and person.user else None

    assert "canhan" in {login(row) for row in desk.people}
    assert desk.people_left == 1
    assert [login(row) for row in desk.people if row.leader_sheet is None] == ["canhan"]
    assert all(row.evaluation.group != "leader" for row in desk.people)
    assert counts["year_reviews"] == (
        Evaluation.objects.filter(period=period, state=EvaluationState.REVIEWED).count()
    )


def test_the_year_is_built_once_and_the_tour_says_where(counts: dict[str, int]) -> None:
    with pytest.raises(DemoError, match="Đã có kỳ đánh giá năm"):
        demo_year_build(seed=SEED, today=TODAY)
    tour = dict(demo_year_tour(TODAY))
    assert set(tour) == {"canhan", "lanhdao", "bantochuc", "thamquyen"}
    assert "Năm 2026 — UBND Phường 1" in tour["thamquyen"]

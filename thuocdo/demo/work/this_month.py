"""The demo city's month as it runs today: opened once over the whole city, which also lets
the next months open by themselves on their first day; scored so far (provisional, no level);
and two self-assessments that `lanhdao` entered on behalf of staff without an account (nhập
hộ), so that every login finds this month's job where they work (issue 13)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from thuocdo.demo.common import Clock
from thuocdo.org.models import Person, Post, Unit, User
from thuocdo.reviews.models import AssessmentSource, PeriodKind
from thuocdo.reviews.monthly.schedule import month_schedule_set
from thuocdo.reviews.monthly.services import assessment_record, month_scores_compute, period_open

MONTH_RULESET = "nd-335-2025"
# Staff of the logins' ward office whose paper self-assessment lanhdao entered.
ON_BEHALF = 2


def demo_this_month(
    *, root: Unit, ward: Unit, today: datetime.date, clock: Clock | None = None
) -> dict[str, int]:
    """Open this month over the city, schedule the next ones, enter the paper
    self-assessments, and score the month so far."""
    admin = User.objects.get(username="quantri")
    period = period_open(
        actor=admin,
        unit=root,
        kind=PeriodKind.MONTH,
        year=today.year,
        number=today.month,
        ruleset=MONTH_RULESET,
    )
    month_schedule_set(actor=admin, unit=root, ruleset=MONTH_RULESET)
    lanhdao = User.objects.get(username="lanhdao")
    staff = (
        Person.objects.filter(
            user__isnull=True,
            posts__in=Post.objects.active(today).filter(unit=ward, is_head=False, is_deputy=False),
        )
        .distinct()
        .order_by("sort_key", "id")[:ON_BEHALF]
    )
    for n, person in enumerate(staff):
        assessment_record(
            actor=lanhdao,
            period=period,
            person_id=person.pk,
            source=AssessmentSource.SELF,
            general=Decimal(27 + n),
            note="Phiếu tự đánh giá trên giấy, lãnh đạo nhập hộ.",
        )
    with (clock or Clock()).phase("work: this month: month close"):
        scored = month_scores_compute(actor=admin, period=period, at=today)
    return {"this_month_scores": scored, "on_behalf": len(staff)}

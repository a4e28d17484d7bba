"""Monthly scoring against a month being closed, on two connections (thuocdo/work/locking.py,
`period_guard`): a self-assessment saved while the month of the person's ward is being locked
waits for the lock and is refused; a lock waits for a scoring under way. PostgreSQL only."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.race import postgres_only, while_held
from thuocdo.reviews.models import MonthlyAssessment
from thuocdo.reviews.monthly import services
from thuocdo.work import locking

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]
YEAR, MONTH = 2025, 3


@pytest.fixture
def march(world):
    """March 2025 opened over the whole city: the ward's lock is below the period."""
    return services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=YEAR,
        number=MONTH,
        ruleset="nd-335-2025",
    )


def _self_assess(world, period):
    def save() -> None:
        services.assessment_record(
            actor=world.users["alice"],
            period=period,
            person_id=world.alice.pk,
            source="self",
            general=Decimal(27),
        )

    return save


def _close_ward(world):
    def close() -> None:
        locking.month_lock(actor=world.users["olga"], unit=world.p1, year=YEAR, month=MONTH)

    return close


def test_a_self_assessment_waits_for_the_wards_lock_and_is_refused(world, march):
    first, second, waited = while_held(_close_ward(world), _self_assess(world, march))
    assert (first, second, waited) == ("done", "refused", True)
    assert not MonthlyAssessment.objects.exists()


def test_the_wards_lock_waits_for_a_self_assessment_under_way(world, march):
    first, second, waited = while_held(_self_assess(world, march), _close_ward(world))
    assert (first, second, waited) == ("done", "done", True)
    assert MonthlyAssessment.objects.get().general == Decimal(27)

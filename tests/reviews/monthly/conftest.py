"""A month in progress that both the computation and the pages read."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from thuocdo.org.scope import today
from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly import services
from thuocdo.work import services as work


@pytest.fixture
def running_month(world) -> Period:
    """This month opened over the city, alice with one task due after it ends, computed: her
    score is provisional, with no level."""
    at = today()
    period = services.period_open(
        actor=world.users["root"],
        unit=world.city,
        kind="month",
        year=at.year,
        number=at.month,
        ruleset="nd-335-2025",
    )
    work.task_register(
        actor=world.users["alice"],
        person=world.alice,
        year=at.year,
        month=at.month,
        title="Báo cáo cuối tháng",
        quantity=Decimal(1),
        due_date=at + datetime.timedelta(days=40),
    )
    services.month_scores_compute(actor=world.users["root"], period=period)
    return period

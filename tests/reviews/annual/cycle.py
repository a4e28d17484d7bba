"""Shared set-up of the annual cycle tests: a year over Q1, and a quota group of 21 people."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from thuocdo.org import services as org
from thuocdo.org.models import Person, Unit
from thuocdo.reviews.models import Evaluation, EvaluationState, Period, SubjectKind
from thuocdo.reviews.monthly import services

D = Decimal


def open_year(world: Any, unit: Unit | None = None, **extra: Any) -> Period:
    """Olga (organiser of Q1) opens 2026 under Quy định 366 over Q1 (or a unit inside it)."""
    return services.period_open(
        actor=world.users["olga"],
        unit=unit or world.q1,
        kind="year",
        year=2026,
        number=None,
        ruleset="qd-366-2025",
        **extra,
    )


def ready(period: Period, scores: dict[int, Decimal]) -> None:
    """Set-up shortcut: give the evaluations their verified annual scores directly, for tests
    about proposal and conclusion (the steps before are tested through their services)."""
    for ev in Evaluation.objects.filter(period=period):
        ev.score = scores.get(ev.pk, D(80))
        ev.state = EvaluationState.VERIFIED
        ev.save(update_fields=["score", "state"])


def evaluation_of(period: Period, who: Person | Unit) -> Evaluation:
    """The evaluation of a person (their first post) or of a collective."""
    if isinstance(who, Unit):
        return Evaluation.objects.get(period=period, kind=SubjectKind.COLLECTIVE, unit=who)
    return Evaluation.objects.filter(period=period, person=who).order_by("id")[0]


SCORES_OF_21 = [98, 97, 96, 93, 93, 92, 91, 90] + [80] * 13


def quota_group_of_21(world: Any) -> tuple[Unit, list[Person]]:
    """Phường Ba in Q1 with 21 công chức of one duty group, managed by BTV Thành ủy."""
    p3 = org.unit_create(actor=None, code="P3", name="Phường Ba", kind="state", parent=world.q1)
    people = []
    for i, _score in enumerate(SCORES_OF_21):
        person = org.person_create(
            None,
            code=f"CB-Q{i:02d}",
            full_name=f"Phạm Văn Mười {i:02d}",
            birth_date=datetime.date(1985, 1, 1),
            gender="male",
            category="civil_servant",
            is_party_member=False,
        )
        org.post_create(
            None,
            person=person,
            unit=p3,
            title="Công chức Địa chính",
            duty_group="CC-DC",
            managed_by=world.btv,
            start_date=datetime.date(2020, 1, 1),
        )
        people.append(person)
    return p3, people


def appeal_window_passes(period: Period) -> None:
    """Time passes: the period's appeal window after publication is over."""
    assert period.published_at is not None
    period.published_at -= datetime.timedelta(days=period.appeal_days + 1)
    Period.objects.filter(pk=period.pk).update(published_at=period.published_at)

"""Set-up shortcuts of the careers tests: published results, history, votes and targets are
written directly (their own services are tested in their apps)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from thuocdo.ballots.models import Campaign, Candidate, ConsequenceFlag
from thuocdo.org.models import Person, Post, Unit
from thuocdo.reports.models import HistoricalResult
from thuocdo.reviews.models import Evaluation, EvaluationState, Period, PeriodState
from thuocdo.rules import confidence
from thuocdo.targets.models import Indicator, IndicatorActual, TargetSet, TargetSetState

D = Decimal


def published_level(
    person: Person, year: int, level: str, *, group: str = "civil_servant", state: str = "published"
) -> Evaluation:
    """A concluded, published annual evaluation of the person's first post."""
    post = Post.objects.filter(person=person).order_by("id")[0]
    root = Unit.objects.get(code="TP")
    period, _ = Period.objects.get_or_create(
        kind="year",
        year=year,
        number=None,
        unit=root,
        defaults={"ruleset": "qd-366-2025", "state": state},
    )
    return Evaluation.objects.create(
        period=period,
        kind="individual",
        person=person,
        post=post,
        unit=post.unit,
        group=group,
        ruleset="qd-366-2025",
        quota_group="G",
        state=EvaluationState.PUBLISHED
        if state in (PeriodState.PUBLISHED, PeriodState.LOCKED)
        else EvaluationState.CONCLUDED,
        score=D(40) if level == "KHT" else D(80),
        proposed_level=level,
        level=level,
    )


def past_level(person: Person, year: int, level: str, group: str = "civil_servant") -> None:
    """A result imported from the years before the system."""
    post = Post.objects.filter(person=person).order_by("id")[0]
    HistoricalResult.objects.create(
        year=year,
        group=group,
        subject_code=person.code,
        person=person,
        full_name=person.full_name,
        unit=post.unit,
        level=level,
    )


def low_vote(
    person: Person, unit: Unit, by: Any, on: datetime.date, *, state: str = "published"
) -> ConsequenceFlag:
    """A counted confidence vote in which the person got over half low-confidence ballots."""
    campaign = Campaign.objects.create(
        unit=unit,
        title=f"Lấy phiếu tín nhiệm năm {on.year}",
        meeting_date=on,
        state=state,
        created_by=by,
        summoned_count=30,
        participated_count=30,
        valid_count=30,
        is_valid=True,
    )
    candidate = Candidate.objects.create(
        campaign=campaign,
        person=person,
        position=1,
        post_title="Phó Chủ tịch UBND phường",
        unit_name=unit.name,
        high=2,
        trust=10,
        low=18,
    )
    return ConsequenceFlag.objects.create(
        campaign=campaign,
        candidate=candidate,
        person=person,
        consequence=confidence.OUT_OF_PLANNING,
        rule=confidence.RULE_OUT_OF_PLANNING,
        source=confidence.SOURCE,
        reason="Tín nhiệm thấp 18/30 = 60%, trên 1/2 (50%) và dưới 2/3 (66,67%).",
    )


def targets_met(unit: Unit, head: Person, year: int, *, met: int, assigned: int) -> TargetSet:
    """An assigned target set of the unit for its head, `met` of `assigned` targets met."""
    ts = TargetSet.objects.create(
        unit=unit,
        head_person=head,
        year=year,
        state=TargetSetState.ASSIGNED,
        assigned_on=datetime.date(year, 1, 15),
    )
    for i in range(assigned):
        indicator = Indicator.objects.create(
            target_set=ts, code=f"CT{i + 1:02d}", name=f"Chỉ tiêu {i + 1}", target=D(100)
        )
        IndicatorActual.objects.create(
            indicator=indicator,
            period=datetime.date(year, 12, 31),
            value=D(100) if i < met else D(60),
        )
    return ts

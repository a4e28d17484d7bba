"""The annual cycle under concurrent requests (issue 14, finding 3 and "every state change
checked against other rows holds a lock"): a quota group, a verification, a publication, an
appeal, the lock and the reopening of a period each hold when many requests arrive at once,
because every write takes its period's row lock before its checks. PostgreSQL only."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.race import postgres_only, race
from tests.reviews.annual.cycle import appeal_window_passes, evaluation_of, open_year, ready
from thuocdo.audit.models import AuditEvent
from thuocdo.org import services as org
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.selectors import quota_gauges
from thuocdo.reviews.models import (
    Appeal,
    AppealState,
    Evaluation,
    EvaluationState,
    Period,
    PeriodState,
    ResultHistory,
    SubjectKind,
)

pytestmark = [pytest.mark.django_db(transaction=True), postgres_only]
D = Decimal
GROUP = "CC:P3:CC-DC"


def _group_of_ten(world) -> Period:
    """Phường Ba: ten công chức of one duty group, all at 95 points, proposed: the engine
    cannot tell them apart at the quota's boundary, so it proposes HTT for all ten and flags
    the tie; the authority may pick up to the limit (20%: two)."""
    p3 = org.unit_create(actor=None, code="P3", name="Phường Ba", kind="state", parent=world.q1)
    for i in range(10):
        person = org.person_create(
            None,
            code=f"CB-R{i:02d}",
            full_name=f"Đỗ Văn Mạnh {i:02d}",
            birth_date=datetime.date(1986, 5, 1),
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
    period = open_year(world, unit=p3)
    ready(period, {ev.pk: D(95) for ev in Evaluation.objects.filter(period=period)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    return period


def test_concurrent_conclusions_never_break_a_quota(world):
    period = _group_of_ten(world)
    members = list(
        Evaluation.objects.filter(period=period, quota_group=GROUP)
        .order_by("id")
        .values_list("pk", flat=True)
    )
    assert len(members) == 10
    assert not Evaluation.objects.filter(period=period, proposed_level="HTXS").exists()
    tam = world.users["tam"]

    def conclude(i: int) -> None:
        evaluation = Evaluation.objects.get(pk=members[i % len(members)])
        cycle.evaluation_conclude(
            actor=tam, evaluation=evaluation, level="HTXS", reason=f"Sáng kiến {i}"
        )

    outcomes = race(16, conclude)
    group = Evaluation.objects.filter(period=period, quota_group=GROUP)
    gauge = next(g for g in quota_gauges(period, list(group)) if g.group == GROUP)
    assert gauge.limit == 2
    assert group.filter(level="HTXS").count() == 2
    assert not gauge.over
    # Every accepted request left one history row and one audit event, no more.
    changes = ResultHistory.objects.filter(evaluation__period=period, action="change").count()
    audited = AuditEvent.objects.filter(action="evaluation.conclude").count()
    assert outcomes["done"] == changes == audited
    assert outcomes["refused"] == 16 - outcomes["done"]


def _concluded(world) -> Period:
    period = open_year(world)
    ready(period, {evaluation_of(period, world.alice).pk: D(88)})
    cycle.period_propose(actor=world.users["olga"], period=period)
    cycle.evaluations_accept_all(actor=world.users["tam"], period=period)
    return period


def test_a_period_is_published_once_when_asked_at_once(world):
    period = _concluded(world)
    pk = period.pk

    def publish(i: int) -> None:
        actor = world.users["tam" if i % 2 else "olga"]
        cycle.period_publish(actor=actor, period=Period.objects.get(pk=pk))

    outcomes = race(8, publish)
    assert outcomes == {"done": 1, "refused": 7}
    assert AuditEvent.objects.filter(action="period.publish").count() == 1
    assert (
        not Evaluation.objects.filter(period=period)
        .exclude(state=EvaluationState.PUBLISHED)
        .exists()
    )


def test_verification_asked_at_once_verifies_each_evaluation_once(world):
    period = open_year(world)
    ready(period, {})
    Evaluation.objects.filter(period=period).update(state=EvaluationState.REVIEWED)
    ids = list(Evaluation.objects.filter(period=period).values_list("pk", flat=True))
    pk = period.pk

    def verify(i: int) -> None:
        cycle.evaluations_verify(
            actor=world.users["olga"], period=Period.objects.get(pk=pk), evaluation_ids=ids
        )

    outcomes = race(8, verify)
    assert outcomes == {"done": 1, "refused": 7}
    assert AuditEvent.objects.filter(action="evaluation.verify").count() == len(ids)


def test_one_appeal_and_one_decision_when_sent_at_once(world):
    period = _concluded(world)
    cycle.period_publish(actor=world.users["tam"], period=period)
    alice = evaluation_of(period, world.alice).pk

    def file(i: int) -> None:
        evaluation = Evaluation.objects.get(pk=alice)
        appeals.appeal_file(actor=world.users["alice"], evaluation=evaluation, text=f"Lần {i}")

    assert race(8, file) == {"done": 1, "refused": 7}
    appeal = Appeal.objects.get()
    appeals.appeal_reexamine(actor=world.users["olga"], appeal=appeal, note="Đã xem xét lại")

    def decide(i: int) -> None:
        appeals.appeal_decide(
            actor=world.users["tam"],
            appeal=Appeal.objects.get(pk=appeal.pk),
            level="HTNV" if i % 2 else "HTT",
            reason=f"Quyết định {i}",
        )

    assert race(8, decide) == {"done": 1, "refused": 7}
    appeal.refresh_from_db()
    assert appeal.state in (AppealState.UPHELD, AppealState.CHANGED)
    assert AuditEvent.objects.filter(action="appeal.decide").count() == 1
    # A change after the appeal was written once, by the one decision that was taken.
    changed = ResultHistory.objects.filter(evaluation_id=alice, action="appeal").count()
    assert changed == (1 if appeal.state == AppealState.CHANGED else 0)


def test_a_period_locks_once_and_reopens_once(world):
    period = _concluded(world)
    cycle.period_publish(actor=world.users["tam"], period=period)
    period.refresh_from_db()
    appeal_window_passes(period)
    pk = period.pk

    def lock(i: int) -> None:
        cycle.period_lock(actor=world.users["olga"], period=Period.objects.get(pk=pk))

    assert race(8, lock) == {"done": 1, "refused": 7}
    assert AuditEvent.objects.filter(action="period.lock").count() == 1

    def reopen(i: int) -> None:
        cycle.period_reopen(
            actor=world.users["tam"], period=Period.objects.get(pk=pk), reason=f"Lý do {i}"
        )

    assert race(8, reopen) == {"done": 1, "refused": 7}
    every = Evaluation.objects.filter(period=period).count()
    assert ResultHistory.objects.filter(evaluation__period=period, action="reopen").count() == every
    period.refresh_from_db()
    assert period.state == PeriodState.CONCLUSION


def test_a_self_review_and_its_verification_at_once_never_verify_an_unseen_review(world):
    """Carol has no account: Olga enters her self-review on her behalf while, at the same
    moment, Olga verifies: either the review lands first and is verified with its score, or
    the verification is refused; never a verified evaluation without the review."""
    period = open_year(world)
    carol = evaluation_of(period, world.carol)
    others = Evaluation.objects.filter(period=period).exclude(pk=carol.pk)
    others.filter(kind=SubjectKind.INDIVIDUAL).update(state=EvaluationState.REVIEWED, score=D(80))
    pk = period.pk

    def act(i: int) -> None:
        olga = world.users["olga"]
        if i % 2:
            cycle.evaluations_verify(
                actor=olga, period=Period.objects.get(pk=pk), evaluation_ids=[carol.pk]
            )
        else:
            cycle.evaluation_self_assess(
                actor=olga,
                evaluation=Evaluation.objects.get(pk=carol.pk),
                general=D(25),
                results=D(60),
                proposed_level="HTT",
            )

    outcomes = race(8, act)
    carol.refresh_from_db()
    if carol.state == EvaluationState.VERIFIED:
        assert carol.score == D(85)
        assert AuditEvent.objects.filter(action="evaluation.verify").count() == 1
    else:
        assert carol.state == EvaluationState.SELF_ASSESSED
    reviews = AuditEvent.objects.filter(action="annual_assessment.self.on_behalf").count()
    verified = AuditEvent.objects.filter(action="evaluation.verify").count()
    assert outcomes["done"] == reviews + verified

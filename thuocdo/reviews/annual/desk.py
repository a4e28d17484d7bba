"""The year board of one user ("Kỳ đánh giá" of a year period): what this user has to do in it,
by the hats they wear, each row with only the actions they are allowed to take now.

- their own evaluations: write (or rewrite) the self-review, confirm one entered on their
  behalf, read the result;
- as a direct leader: the people whose assessment waits on them, with their state, the
  assessment to write, or the self-review to enter on their behalf;
- as the head of a unit: the collective's report (Mẫu 01);
- as the organiser: the self-reviews still missing (to enter on behalf), what waits for
  verification, whether the proposal can run, whether the results can be published;
- as a competent authority: the proposals waiting for its conclusion.

Counts are one query each; the lists are capped (`LIMIT`), the counts are not.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, units_write_q
from thuocdo.reviews.annual.permissions import (
    can_conclude,
    can_enter_on_behalf,
    can_organise,
    can_publish,
    can_review,
    can_write_self,
    direct_evaluations_q,
    is_own,
    lock_refusal,
)
from thuocdo.reviews.annual.services import review_open, self_review_open
from thuocdo.reviews.models import (
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    Period,
    PeriodState,
    SubjectKind,
)

LIMIT = 200


@dataclass(frozen=True)
class Row:
    """One evaluation on the board, with its sheets and what the user may do about it."""

    evaluation: Evaluation
    own_sheet: AnnualAssessment | None
    leader_sheet: AnnualAssessment | None
    may_write_self: bool = False
    may_on_behalf: bool = False
    may_confirm: bool = False
    may_review: bool = False

    @property
    def on_behalf(self) -> bool:
        """The self-review was entered on the person's behalf (nhập hộ)."""
        return self.own_sheet is not None and self.own_sheet.on_behalf_by_id is not None


@dataclass(frozen=True)
class OrganiserWork:
    """The organiser's part of a year: counts, the missing self-reviews, and the next steps."""

    pending: int
    to_verify: int
    verified: int
    concluded: int
    total: int
    missing: list[Row]
    may_propose: bool


@dataclass(frozen=True)
class AuthorityWork:
    """What waits for the authority's conclusion in the period."""

    waiting: int
    concluded: int
    total: int


@dataclass(frozen=True)
class Desk:
    """The year board of one user."""

    own: list[Row]
    people: list[Row]
    people_left: int
    collectives: list[Row]
    organiser: OrganiserWork | None
    authority: AuthorityWork | None
    may_publish: bool
    may_lock: bool
    lock_waits_for: str | None  # why a published period may not lock yet, for who may lock it
    may_reopen: bool

    @property
    def has_work(self) -> bool:
        """Anything at all for this user in the period."""
        return bool(self.own or self.people or self.collectives or self.organiser or self.authority)


def _rows(actor: Any, evaluations: list[Evaluation]) -> list[Row]:
    """Rows of evaluations with their two sheets (one query) and the actor's permissions."""
    sheets = {
        (a.evaluation_id, a.source): a
        for a in AnnualAssessment.objects.filter(evaluation__in=evaluations).select_related(
            "on_behalf_by__person"
        )
    }
    rows = []
    for ev in evaluations:
        own_sheet = sheets.get((ev.pk, AssessmentSource.SELF))
        writable = self_review_open(ev)
        may_write_self = writable and can_write_self(actor, ev)
        on_behalf_free = own_sheet is None or (
            own_sheet.on_behalf_by_id is not None and own_sheet.confirmed_at is None
        )
        rows.append(
            Row(
                evaluation=ev,
                own_sheet=own_sheet,
                leader_sheet=sheets.get((ev.pk, AssessmentSource.LEADER)),
                may_write_self=may_write_self,
                may_on_behalf=writable
                and not may_write_self
                and on_behalf_free
                and can_enter_on_behalf(actor, ev),
                may_confirm=writable
                and own_sheet is not None
                and own_sheet.on_behalf_by_id is not None
                and own_sheet.confirmed_at is None
                and is_own(actor, ev),
                may_review=review_open(ev) and can_review(actor, ev),
            )
        )
    return rows


def _organiser(actor: Any, period: Period) -> OrganiserWork | None:
    if not can_organise(actor, period):
        return None
    scope = scope_for(actor)
    writable = Unit.objects.filter(units_write_q(scope)).values("pk")
    mine = Evaluation.objects.filter(period=period, unit__in=writable)
    by_state = dict(mine.values_list("state").annotate(n=Count("id")).order_by())
    every = dict(
        Evaluation.objects.filter(period=period)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    total = sum(every.values())
    ready = every.get(EvaluationState.VERIFIED, 0) + every.get(EvaluationState.PROPOSED, 0)
    concluded = every.get(EvaluationState.CONCLUDED, 0)
    missing = list(
        mine.filter(state=EvaluationState.PENDING, kind=SubjectKind.INDIVIDUAL)
        .select_related("person__user", "unit", "post")
        .order_by("unit__path", "person__sort_key", "id")[:LIMIT]
    )
    open_ = period.state not in (PeriodState.PUBLISHED, PeriodState.LOCKED)
    return OrganiserWork(
        pending=by_state.get(EvaluationState.PENDING, 0),
        to_verify=by_state.get(EvaluationState.SELF_ASSESSED, 0)
        + by_state.get(EvaluationState.REVIEWED, 0),
        # Verified and every step after it: a concluded year still has all its forms verified.
        verified=ready + concluded + every.get(EvaluationState.PUBLISHED, 0),
        concluded=concluded,
        total=total,
        missing=_rows(actor, missing),
        may_propose=open_ and total > 0 and ready == total,
    )


def _authority(actor: Any, period: Period) -> AuthorityWork | None:
    scope = scope_for(actor)
    if not scope.authority_ids and not scope.everything:
        return None
    mine = Evaluation.objects.filter(period=period)
    if not scope.everything:
        mine = mine.filter(authority_id__in=scope.authority_ids)
    by_state = dict(mine.values_list("state").annotate(n=Count("id")).order_by())
    total = sum(by_state.values())
    if not total:
        return None
    return AuthorityWork(
        waiting=by_state.get(EvaluationState.PROPOSED, 0),
        concluded=by_state.get(EvaluationState.CONCLUDED, 0)
        + by_state.get(EvaluationState.PUBLISHED, 0),
        total=total,
    )


def year_desk(*, actor: Any, period: Period) -> Desk:
    """Everything the user has to do in a year period, with the actions allowed now."""
    scope = scope_for(actor)
    related = ("person__user", "unit", "post", "period")
    own = list(
        Evaluation.objects.filter(period=period, person__user__pk=getattr(actor, "pk", None) or 0)
        .select_related(*related)
        .order_by("id")
    )
    people_q = direct_evaluations_q(scope)
    if scope.person_id:
        people_q &= ~Q(person_id=scope.person_id)
    direct = Evaluation.objects.filter(people_q, period=period)
    people = list(
        direct.select_related(*related).order_by("unit__path", "-is_head", "person__sort_key")[
            :LIMIT
        ]
    )
    people_left = direct.filter(
        state__in=[EvaluationState.PENDING, EvaluationState.SELF_ASSESSED]
    ).count()
    headed = [p for p in scope.subtree_paths if p not in scope.write_paths]
    collectives = list(
        Evaluation.objects.filter(
            period=period, kind=SubjectKind.COLLECTIVE, unit__path__in=headed
        ).select_related(*related)
    )
    published = period.state == PeriodState.PUBLISHED
    unconcluded = Evaluation.objects.filter(period=period).exclude(state=EvaluationState.CONCLUDED)
    competent = scope.everything or (
        bool(scope.authority_ids)
        and Evaluation.objects.filter(period=period, authority_id__in=scope.authority_ids).exists()
    )
    lock_role = published and can_publish(actor, period)
    refusal = lock_refusal(period) if lock_role else None
    return Desk(
        own=_rows(actor, own),
        people=_rows(actor, people),
        people_left=people_left,
        collectives=_rows(actor, collectives),
        organiser=_organiser(actor, period),
        authority=_authority(actor, period),
        may_publish=period.state not in (PeriodState.PUBLISHED, PeriodState.LOCKED)
        and can_publish(actor, period)
        and Evaluation.objects.filter(period=period).exists()
        and not unconcluded.exists(),
        may_lock=lock_role and refusal is None,
        lock_waits_for=refusal if lock_role else None,
        may_reopen=period.state == PeriodState.LOCKED and competent,
    )


def evaluation_actions(actor: Any, evaluation: Evaluation) -> Row:
    """The actions the user may take on one evaluation now (its detail page)."""
    row = _rows(actor, [evaluation])[0]
    return row


def may_conclude(actor: Any, evaluation: Evaluation) -> bool:
    """The conclusion form is shown: a competent authority, a proposal (or a conclusion to
    change) and a period not yet published."""
    return (
        evaluation.state in (EvaluationState.PROPOSED, EvaluationState.CONCLUDED)
        and evaluation.period.state not in (PeriodState.PUBLISHED, PeriodState.LOCKED)
        and can_conclude(actor, evaluation)
    )

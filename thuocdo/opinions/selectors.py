"""Reads of the opinion sources, through the actor's scope: everything the competent authority
sees on one evaluation, with anonymous answers only ever as aggregates of at least 3."""

from __future__ import annotations

import datetime
import random
from collections import Counter
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Avg,
    BooleanField,
    Case,
    Count,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.http import Http404

from thuocdo.opinions.models import (
    LEVELS,
    BodyRequest,
    Meeting,
    MeetingVote,
    Survey,
    SurveyInvitation,
    SurveyResponse,
)
from thuocdo.opinions.services import (
    can_answer_body_request,
    can_organise,
    can_run_meeting,
    criteria_of,
    survey_is_open,
)
from thuocdo.org.models import Person, Post, RoleAssignment, Unit
from thuocdo.org.scope import (
    scope_for,
    today,
    unit_in_subtree_q,
    units_subtree_q,
    units_write_q,
)
from thuocdo.org.selectors import person_search_q, unit_matches
from thuocdo.reviews.annual.selectors import access_evaluation, evaluation_scope_q
from thuocdo.reviews.models import Evaluation, Period
from thuocdo.work.models import CitizenRating

MIN_RESPONSES = 3
NOT_ENOUGH = "Chưa đủ 3 ý kiến"
_shuffle = random.SystemRandom().shuffle


# -- access ----------------------------------------------------------------------------------


def access_meeting(actor: Any, meeting_id: int | str, *, write: bool = False) -> Meeting:
    """A meeting of a unit the actor may see; 404 as if missing, 403 if read-only and write."""
    try:
        meeting = Meeting.objects.select_related("period__unit", "unit", "chair", "secretary").get(
            pk=int(meeting_id)
        )
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy cuộc họp.") from None
    scope = scope_for(actor)
    visible = can_run_meeting(actor, meeting.unit) or meeting.unit_id in scope.led_unit_ids
    if not visible:
        raise Http404("Không tìm thấy cuộc họp.")
    if write and not can_run_meeting(actor, meeting.unit):
        raise PermissionDenied("Bạn chỉ có quyền xem cuộc họp này.")
    return meeting


def access_survey(actor: Any, survey_id: int | str) -> Survey:
    """A survey the actor organises; 404 for everyone else, exactly as if missing."""
    try:
        survey = Survey.objects.select_related(
            "evaluation__period", "evaluation__unit", "evaluation__person"
        ).get(pk=int(survey_id))
    except (Survey.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy đợt lấy ý kiến.") from None
    if not can_organise(actor, survey.evaluation.unit):
        raise Http404("Không tìm thấy đợt lấy ý kiến.")
    return survey


def access_body_request(actor: Any, request_id: int | str) -> BodyRequest:
    """A request the actor may see (evaluation in scope) or must answer (member of the body)."""
    try:
        request = BodyRequest.objects.select_related(
            "evaluation__period", "evaluation__unit", "evaluation__person", "body_unit"
        ).get(pk=int(request_id))
    except (BodyRequest.DoesNotExist, ValueError, TypeError):
        raise Http404("Không tìm thấy yêu cầu xin ý kiến.") from None
    in_scope = Evaluation.objects.filter(
        evaluation_scope_q(scope_for(actor)), pk=request.evaluation_id
    ).exists()
    if not in_scope and not can_answer_body_request(actor, request):
        raise Http404("Không tìm thấy yêu cầu xin ý kiến.")
    return request


def organisable_evaluation(actor: Any, evaluation_id: int | str) -> Evaluation:
    """An evaluation the actor may see and organise opinions on (404 / 403 otherwise)."""
    evaluation = access_evaluation(actor, evaluation_id)
    if not can_organise(actor, evaluation.unit):
        raise PermissionDenied("Chỉ Ban Tổ chức lấy ý kiến về phiếu đánh giá này.")
    return evaluation


def meeting_units(*, actor: Any, period: Period) -> QuerySet[Unit]:
    """The units of the period where the actor may hold a collective meeting, in tree order:
    `can_run_meeting` (the organiser's subtrees, the head's) as one query."""
    scope = scope_for(actor)
    rows = Unit.objects.filter(unit_in_subtree_q(period.unit))
    if not scope.everything:
        rows = rows.filter(units_write_q(scope) | units_subtree_q(scope))
    return rows.order_by("path")


def meeting_unit_suggestions(*, actor: Any, period: Period, text: str) -> list[Unit]:
    """The unit picker's suggestions on the meeting page: units of `meeting_units` whose name
    or code holds the text."""
    return unit_matches(meeting_units(actor=actor, period=period), text)


def unit_members(unit: Unit, as_at: datetime.date | None = None) -> QuerySet[Person]:
    """People holding a post in the unit: who may be summoned to its meeting."""
    ids = Post.objects.active(as_at or today()).filter(unit=unit).values("person_id")
    return Person.objects.filter(pk__in=ids).order_by("sort_key", "id")


@dataclass(frozen=True)
class MemberRow:
    """One member on the meeting's attendance list: the person, the title of their post in the
    unit, and whether the name filter shows them."""

    person: Person
    title: str
    shown: bool = True


def meeting_members(
    unit: Unit, *, text: str = "", as_at: datetime.date | None = None
) -> list[MemberRow]:
    """The unit's members (`unit_members`) in name order, each with their post's title and
    whether the filter `text` shows them (every word, with or without diacritics, at the start
    of a word of the name or code): one query, however many members."""
    at = as_at or today()
    posts = Post.objects.active(at).filter(unit=unit, person=OuterRef("pk"))
    first_title = posts.order_by("-is_head", "-is_deputy", "start_date", "id").values("title")
    rows = unit_members(unit, at).annotate(title=Subquery(first_title[:1]))
    if text.strip():
        match = When(person_search_q(text), then=Value(True))
        shown = Case(match, default=Value(False), output_field=BooleanField())
        rows = rows.annotate(shown=shown)
    return [
        MemberRow(p, getattr(p, "title", None) or "", bool(getattr(p, "shown", True))) for p in rows
    ]


def meeting_evaluations(meeting: Meeting) -> list[Evaluation]:
    """The evaluations the meeting votes on: its unit's subjects in the period."""
    return list(
        Evaluation.objects.filter(period=meeting.period, unit=meeting.unit)
        .select_related("person", "unit")
        .order_by("-kind", "-is_head", "person__sort_key", "id")
    )


# -- anonymous aggregates --------------------------------------------------------------------


def _share(count: int, total: int) -> Decimal:
    return (Decimal(count) / Decimal(total)).quantize(Decimal("0.001"), ROUND_HALF_UP)


@dataclass(frozen=True)
class LevelShare:
    """How many answers gave one level, and their share."""

    level: str
    count: int
    share: Decimal


@dataclass(frozen=True)
class GroupAggregate:
    """One criterion group: counts per level, and its comments shuffled (text only)."""

    key: str
    label: str
    levels: list[LevelShare]
    comments: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class SurveyAggregate:
    """What may be read of one survey. `groups` is empty unless `shown`."""

    survey: Survey
    invited: int
    responded: int
    is_open: bool
    shown: bool
    message: str
    overall: list[LevelShare]
    groups: list[GroupAggregate]


def survey_aggregate(survey: Survey, *, with_comments: bool = True) -> SurveyAggregate:
    """Counts and shares per level, only once the survey is over with at least 3 answers:
    a live aggregate would let a watcher subtract one reading from the next."""
    answers = list(
        SurveyResponse.objects.filter(evaluation_id=survey.evaluation_id, role=survey.role)
        .order_by("pk")
        .values_list("answers", flat=True)
    )
    invited = SurveyInvitation.objects.filter(survey=survey).count()
    is_open = survey_is_open(survey)
    n = len(answers)
    if n < MIN_RESPONSES:
        return SurveyAggregate(survey, invited, n, is_open, False, NOT_ENOUGH, [], [])
    if is_open:
        message = "Kết quả tổng hợp chỉ hiển thị sau khi kết thúc lấy ý kiến."
        return SurveyAggregate(survey, invited, n, is_open, False, message, [], [])
    overall: Counter[str] = Counter()
    groups = []
    for key, label in criteria_of(survey.evaluation).items():
        counts = Counter(str(a.get(key, {}).get("level", "")) for a in answers)
        overall.update(counts)
        comments = [str(a[key]["comment"]) for a in answers if a.get(key, {}).get("comment")]
        _shuffle(comments)
        groups.append(
            GroupAggregate(
                key,
                label,
                [LevelShare(lv, counts[lv], _share(counts[lv], n)) for lv in LEVELS],
                comments if with_comments else [],
            )
        )
    total = sum(overall[lv] for lv in LEVELS) or 1
    levels = [LevelShare(lv, overall[lv], _share(overall[lv], total)) for lv in LEVELS]
    return SurveyAggregate(survey, invited, n, is_open, True, "", levels, groups)


# -- everything on one evaluation ------------------------------------------------------------


@dataclass(frozen=True)
class VoteRow:
    """One meeting's vote on the evaluation; votes of a meeting below quorum do not count."""

    meeting: Meeting
    vote: MeetingVote

    @property
    def counts(self) -> bool:
        """The meeting had its quorum."""
        return self.meeting.is_valid


@dataclass(frozen=True)
class BodyRow:
    """A request to a related body and where it stands."""

    request: BodyRequest
    status: str
    status_label: str


def body_status(request: BodyRequest, as_at: datetime.date | None = None) -> tuple[str, str]:
    """received / overdue / pending, with its Vietnamese label."""
    if request.is_received:
        return "received", "Đã có ý kiến"
    if (as_at or today()) > request.due_on:
        return "overdue", "Quá hạn"
    return "pending", "Đang chờ"


@dataclass(frozen=True)
class EvaluationOpinions:
    """Collective votes, anonymous aggregates and related bodies' opinions of one evaluation
    (the leader's assessment lives in reviews)."""

    evaluation: Evaluation
    votes: list[VoteRow]
    surveys: list[SurveyAggregate]
    bodies: list[BodyRow]
    can_organise: bool
    citizens: CitizenSummary | None = None
    can_meet: bool = False  # may record the collective meeting of the evaluation's unit


@dataclass(frozen=True)
class CitizenSummary:
    """Citizens' ratings of the person in the period's year (from one-stop counters)."""

    count: int
    average: Decimal | None
    low: int  # ratings of 1 or 2 out of 5


def citizen_summary(evaluation: Evaluation) -> CitizenSummary | None:
    """Count, mean and low ratings by citizens over the year; None for a collective."""
    if evaluation.person_id is None:
        return None
    ratings = CitizenRating.objects.filter(
        person_id=evaluation.person_id, year=evaluation.period.year
    )
    agg = ratings.aggregate(
        n=Count("id"), mean=Avg("score"), low=Count("id", filter=Q(score__lte=2))
    )
    mean = agg["mean"]
    return CitizenSummary(
        count=agg["n"] or 0,
        average=Decimal(str(mean)).quantize(Decimal("0.01")) if mean is not None else None,
        low=agg["low"] or 0,
    )


def evaluation_opinions(*, actor: Any, evaluation: Evaluation) -> EvaluationOpinions:
    """Every opinion gathered on an evaluation the actor may already see (access checked)."""
    votes = [
        VoteRow(v.meeting, v)
        for v in MeetingVote.objects.filter(evaluation=evaluation)
        .select_related("meeting__unit")
        .order_by("meeting__held_on", "meeting_id")
    ]
    own = evaluation.person_id is not None and (evaluation.person_id == scope_for(actor).person_id)
    surveys = [
        survey_aggregate(s, with_comments=not own)
        for s in Survey.objects.filter(evaluation=evaluation)
        .select_related("evaluation")
        .order_by("role")
    ]
    bodies = [
        BodyRow(r, *body_status(r))
        for r in BodyRequest.objects.filter(evaluation=evaluation).select_related("body_unit")
    ]
    return EvaluationOpinions(
        evaluation,
        votes,
        surveys,
        bodies,
        can_organise(actor, evaluation.unit),
        citizen_summary(evaluation),
        can_run_meeting(actor, evaluation.unit),
    )


def visible_evaluation(actor: Any, evaluation: Evaluation) -> bool:
    """The actor's scope reaches the evaluation (for the include fragment)."""
    return Evaluation.objects.filter(
        evaluation_scope_q(scope_for(actor)), pk=evaluation.pk
    ).exists()


def body_requests_for(actor: Any) -> list[BodyRow]:
    """Requests addressed to the bodies the actor belongs to, oldest deadline first."""
    if not getattr(actor, "is_authenticated", False):
        return []
    units = Post.objects.active(today()).filter(person__user_id=actor.pk).values("unit_id")
    roles = RoleAssignment.objects.filter(user_id=actor.pk, unit__isnull=False).values("unit_id")
    q = Q(body_unit_id__in=units) | Q(body_unit_id__in=roles)
    rows = BodyRequest.objects.filter(q).distinct()
    rows = rows.select_related("evaluation__person", "evaluation__unit")  # a collective: its unit
    return [BodyRow(r, *body_status(r)) for r in rows.order_by("due_on", "id")]

"""What a leader owes each of their people in a month ("Đơn vị của tôi"): the period the person
is scored in, their self-assessment, the leader's scoring and the score, in a few queries for a
page of people.

Scoring a person's month is their direct leader's job (the leader of their unit, the head for
the head's deputies: `work.todo.direct_posts_q`), so the count of people left to score is of
those only, as on the home page. An organiser, who oversees a whole subtree but scores nobody,
follows instead how far each unit under them is (`organised_progress`)."""

from __future__ import annotations

import calendar
import datetime
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import Substr
from django.urls import reverse

from thuocdo.org.models import PATH_SEGMENT, Person, Post, Unit
from thuocdo.org.scope import people_write_q, scope_for
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodKind,
    PeriodState,
)
from thuocdo.reviews.monthly.access import is_direct_superior, scores_from
from thuocdo.reviews.monthly.opening import ancestor_ids, month_end, month_periods_over
from thuocdo.reviews.monthly.selectors import NOT_SCORED
from thuocdo.work.models import MonthLock
from thuocdo.work.todo import direct_posts_q, head_paths


@dataclass(frozen=True)
class PersonMonth:
    """One person's month as their leader sees it."""

    period: Period
    self_assessment: MonthlyAssessment | None
    leader_assessment: MonthlyAssessment | None
    score: MonthlyScore | None
    can_score: bool
    can_on_behalf: bool

    @property
    def leader_due(self) -> bool:
        """The leader still owes this person the month's scoring."""
        return self.can_score and self.leader_assessment is None


@dataclass(frozen=True)
class TeamScoring:
    """The people of one page, and the period most of them are scored in."""

    period: Period | None
    board_unit_id: int | None
    people: dict[int, PersonMonth]
    unscored_total: int


def _deepest(paths: list[str], periods: list[Period]) -> Period | None:
    """The deepest of the periods over an ancestor of one of the paths."""
    ids = {pk for path in paths for pk in ancestor_ids(path)}
    over = [p for p in periods if p.unit_id in ids]
    return max(over, key=lambda p: len(p.unit.path), default=None)


def team_scoring(
    *,
    actor: Any,
    people: list[Person],
    year: int,
    month: int,
    locked: frozenset[int] = frozenset(),
) -> TeamScoring:
    """The month of each person of the page, and what the actor may do about it (nothing for
    the people in `locked`, whose month is closed: thuocdo.work.locking)."""
    end = datetime.date(year, month, calendar.monthrange(year, month)[1])
    scope = scope_for(actor)
    ids = [p.pk for p in people]
    posts: dict[int, list[Post]] = {}
    for post in Post.objects.active(end).filter(person_id__in=ids).select_related("unit"):
        posts.setdefault(post.person_id, []).append(post)
    all_paths = sorted({post.unit.path for plist in posts.values() for post in plist})
    periods = month_periods_over(PeriodKind.MONTH, year, month, all_paths)
    period_of = {pid: _deepest([p.unit.path for p in posts.get(pid, [])], periods) for pid in ids}
    chosen = [p for p in period_of.values() if p is not None]
    assessments = {
        (a.person_id, a.source): a
        for a in MonthlyAssessment.objects.filter(
            period__in=chosen, person_id__in=ids
        ).select_related("on_behalf_by__person")
    }
    scores = {
        (s.period_id, s.person_id): s
        for s in MonthlyScore.objects.filter(period__in=chosen, person_id__in=ids)
    }
    # Only organisers and administrators change people: no query for anyone else.
    writable = (
        set(Person.objects.filter(people_write_q(scope), pk__in=ids).values_list("pk", flat=True))
        if scope.everything or scope.write_paths
        else set()
    )
    result: dict[int, PersonMonth] = {}
    for pid in ids:
        period = period_of[pid]
        if period is None:
            continue
        open_ = period.state != PeriodState.LOCKED and pid not in locked
        direct = is_direct_superior(scope, posts.get(pid, []))
        held = posts.get(pid, [])
        result[pid] = PersonMonth(
            period=period,
            self_assessment=assessments.get((pid, AssessmentSource.SELF)),
            leader_assessment=assessments.get((pid, AssessmentSource.LEADER)),
            score=scores.get((period.pk, pid)),
            can_score=open_
            and pid != scope.person_id
            and (scope.everything or scores_from(scope, held)),
            can_on_behalf=open_
            and pid != scope.person_id
            and (scope.everything or pid in writable or direct),
        )
    main = Counter(p.pk for p in chosen).most_common(1)
    period = next((p for p in chosen if main and p.pk == main[0][0]), None)
    return TeamScoring(
        period=period,
        board_unit_id=_board_unit(scope.led_unit_ids, scope.subtree_paths, period),
        people=result,
        unscored_total=_unscored(actor, period) if period else 0,
    )


def _board_unit(
    led: tuple[int, ...], subtrees: tuple[str, ...], period: Period | None
) -> int | None:
    """The unit of the actor's own board in the period: the unit they lead or head."""
    if period is None:
        return None
    for unit in Unit.objects.filter(pk__in=led).order_by("path"):
        if unit.path.startswith(period.unit.path):
            return unit.pk
    for path in subtrees:
        if path.startswith(period.unit.path):
            return ancestor_ids(path)[-1]
    return period.unit_id


def _unscored(actor: Any, period: Period) -> int:
    """How many of the people the actor scores as their direct leader in the period have no
    leader's scoring yet (the home page's «… người chờ chấm điểm tháng …»)."""
    scope = scope_for(actor)
    if not (scope.led_unit_ids or head_paths(scope)):
        return 0
    scored = MonthlyAssessment.objects.filter(
        period=period, source=AssessmentSource.LEADER, person=OuterRef("pk")
    )
    inside = Post.objects.active(month_end(period)).filter(
        direct_posts_q(scope), person=OuterRef("pk"), unit__path__startswith=period.unit.path
    )
    people = (
        Person.objects.filter(Exists(inside))
        .exclude(pk=scope.person_id or 0)
        .exclude(Exists(scored))
    )
    # The people of a locked month are owed nothing: their month can no longer be scored.
    for path in MonthLock.objects.filter(year=period.year, month=period.number or 0).values_list(
        "unit__path", flat=True
    ):
        locked = Post.objects.active(month_end(period)).filter(
            person=OuterRef("pk"), unit__path__startswith=path
        )
        people = people.exclude(Exists(locked))
    return people.count()


@dataclass(frozen=True)
class UnitProgress:
    """How many people of one unit's subtree have no leader's scoring of the month yet."""

    unit: Unit
    people: int
    unscored: int
    board_url: str  # the month board of the unit, narrowed to the people not scored


@dataclass(frozen=True)
class OrganisedMonth:
    """An organised unit's month: its total, and each unit right under it that has people."""

    unit: Unit
    period: Period | None
    total: UnitProgress | None
    children: list[UnitProgress]


def organised_progress(*, actor: Any, year: int, month: int) -> list[OrganisedMonth]:
    """For each unit the actor organises (every top unit for an administrator): how many
    people of its subtree, and of each unit right under it, have no leader's scoring of the
    month yet, in two queries per organised unit. Empty for anyone else."""
    scope = scope_for(actor)
    if scope.everything:
        roots = list(Unit.objects.filter(parent__isnull=True).order_by("name"))
    else:
        roots = list(Unit.objects.filter(path__in=scope.write_paths).order_by("name"))
    return [_organised_month(root, year, month) for root in roots]


def _organised_month(root: Unit, year: int, month: int) -> OrganisedMonth:
    found = month_periods_over(PeriodKind.MONTH, year, month, [root.path])
    if not found:
        return OrganisedMonth(root, None, None, [])
    period = found[0]
    # Scored in any period of the month: a ward that opened its own before the city is
    # scored there.
    scored = MonthlyAssessment.objects.filter(
        person=OuterRef("person_id"),
        source=AssessmentSource.LEADER,
        period__kind=PeriodKind.MONTH,
        period__year=year,
        period__number=month,
    )
    posts = (
        Post.objects.active(month_end(period))
        .filter(unit__path__startswith=root.path)
        .annotate(scored=Exists(scored))
    )
    people = Count("person", distinct=True)
    unscored = Count("person", distinct=True, filter=Q(scored=False))
    # The path down to the unit right under the root: one id and its "/" more.
    branch = Substr("unit__path", 1, len(root.path) + PATH_SEGMENT + 1)
    rows = (
        posts.annotate(branch=branch)
        .values("branch")
        .annotate(people=people, unscored=unscored)
        .order_by()
    )
    counts = {r["branch"]: (r["people"], r["unscored"]) for r in rows}
    board = reverse("reviews:period-board", args=[period.pk])

    def progress(unit: Unit, people: int, unscored: int) -> UnitProgress:
        url = f"{board}?don-vi={unit.pk}&trang-thai={NOT_SCORED}"
        return UnitProgress(unit, people, unscored, url)

    # Each person once in the total, as on the board, even one holding posts in two units.
    total = posts.aggregate(people=people, unscored=unscored)
    children = Unit.objects.filter(path__in=[b for b in counts if b != root.path])
    return OrganisedMonth(
        unit=root,
        period=period,
        total=progress(root, total["people"], total["unscored"]),
        children=[progress(u, *counts[u.path]) for u in children.order_by("name")],
    )

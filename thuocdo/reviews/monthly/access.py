"""Who may do what in a month: see a period opened above them, score a person of it, enter a
self-assessment on a person's behalf. Out of scope answers 404 exactly like missing."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.http import Http404

from thuocdo.org.models import Person, Post, Unit
from thuocdo.org.scope import Scope, people_write_q, scope_for, today
from thuocdo.reviews.models import Period, PeriodKind
from thuocdo.reviews.monthly.opening import (
    ancestor_ids,
    month_end,
    month_periods_over,
)

SCORED_KINDS = (PeriodKind.MONTH, PeriodKind.QUARTER)


def anchor_paths(scope: Scope) -> list[str]:
    """The units a scope starts from: the subtrees it heads or organises, the units it leads,
    the units of its own posts and of the posts its authority manages."""
    at = today()
    paths = set(scope.subtree_paths)
    if scope.led_unit_ids:
        paths |= set(Unit.objects.filter(pk__in=scope.led_unit_ids).values_list("path", flat=True))
    posts = Q(pk__in=[])
    if scope.person_id:
        posts |= Q(person_id=scope.person_id)
    if scope.authority_ids:
        posts |= Q(managed_by__in=scope.authority_ids)
    paths |= set(Post.objects.active(at).filter(posts).values_list("unit__path", flat=True))
    return sorted(paths)


def periods_above_q(scope: Scope) -> Q:
    """Filter on Period: monthly and quarterly periods opened over an ancestor of a unit the
    scope starts from; such a period is the month of everyone below it."""
    ids = {pk for path in anchor_paths(scope) for pk in ancestor_ids(path)}
    return Q(kind__in=SCORED_KINDS, unit_id__in=sorted(ids))


def posts_in(person_id: int, period: Period) -> list[Post]:
    """The person's posts at the end of the period, with their units."""
    return list(
        Post.objects.active(month_end(period)).filter(person_id=person_id).select_related("unit")
    )


def period_of(person_id: int, period: Period, posts: list[Post] | None = None) -> Period | None:
    """The person's period of the same month (quarter) as `period`: the deepest one over one
    of their units at the end of it."""
    assert period.number is not None
    held = posts if posts is not None else posts_in(person_id, period)
    found = month_periods_over(period.kind, period.year, period.number, [p.unit.path for p in held])
    return found[0] if found else None


def require_in_period(period: Period, person: Person, posts: list[Post] | None = None) -> None:
    """404 unless the person belongs to this month (it is the deepest over their unit); a year
    has no monthly assessment."""
    if period.kind not in SCORED_KINDS or period.number is None:
        raise Http404("Kỳ năm không chấm điểm tháng.")
    own = period_of(person.pk, period, posts)
    if own is None or own.pk != period.pk:
        raise Http404("Cán bộ này không thuộc kỳ đánh giá này.")


def scores_from(scope: Scope, posts: list[Post]) -> bool:
    """Whether a scope scores the month of the holder of these posts: a head or organiser over
    one of their units, or the leader of their unit when they are not its head or a deputy
    (those are scored by the head, or by the level above)."""
    return any(
        any(post.unit.path.startswith(p) for p in scope.subtree_paths)
        or (post.unit_id in scope.led_unit_ids and not (post.is_head or post.is_deputy))
        for post in posts
    )


def can_score(actor: Any, person: Person, period: Period, posts: list[Post] | None = None) -> bool:
    """Whether the actor writes the leader's scoring of the person's month (never their own)."""
    scope = scope_for(actor)
    if scope.person_id == person.pk:
        return False
    held = posts if posts is not None else posts_in(person.pk, period)
    return scope.everything or scores_from(scope, held)


def is_direct_superior(scope: Scope, posts: list[Post]) -> bool:
    """The leader of the person's unit for its staff, or the head of it (not of a unit
    above); the head and the deputies are not a deputy's to enter on behalf of (as
    `scores_from`, and the year's direct leader)."""
    return any(
        (post.unit_id in scope.led_unit_ids and not (post.is_head or post.is_deputy))
        or post.unit.path in scope.subtree_paths
        for post in posts
    )


def can_enter_on_behalf(
    actor: Any, person: Person, period: Period, posts: list[Post] | None = None
) -> bool:
    """The organiser over the person, or their direct leader, may enter the person's
    self-assessment on their behalf (nhập hộ); never the person themself."""
    scope = scope_for(actor)
    if scope.person_id == person.pk:
        return False
    if scope.everything:
        return True
    if Person.objects.filter(people_write_q(scope), pk=person.pk).exists():
        return True
    held = posts if posts is not None else posts_in(person.pk, period)
    return is_direct_superior(scope, held)

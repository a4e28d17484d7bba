"""Today's work in the month, for the home page: the person's self-assessment (and one entered
on their behalf, to confirm), the people the direct leader has not scored, the levels the head
has not decided, the month an organiser has not opened. Counts only, in a few queries whatever
the size of the city, scoped through `thuocdo.org.scope`; see `thuocdo.web.todo`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Min, Q
from django.urls import reverse

from thuocdo.org.models import Post
from thuocdo.org.scope import Scope, scope_for, today
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodKind,
    PeriodState,
)
from thuocdo.reviews.monthly.opening import ancestor_ids
from thuocdo.reviews.monthly.selectors import period_list
from thuocdo.web.todo import LED, OWN, PERIODS, TodoItem, month_label, n
from thuocdo.work.models import MonthLock
from thuocdo.work.selectors import (
    locked_q,
    month_locks_in,
    month_locks_of,
    month_locks_of_months,
)
from thuocdo.work.todo import direct_posts_q, head_paths


def paths_q(field: str, paths: list[str] | tuple[str, ...]) -> Q:
    """OR of prefix filters on a path field (nothing when there is no path)."""
    return reduce(or_, (Q(**{f"{field}__startswith": p}) for p in paths), Q(pk__in=[]))


def _months(at: datetime.date) -> list[tuple[int, int]]:
    """This month and the one before (still owed until its period is locked)."""
    previous = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    return [previous, (at.year, at.month)]


def _deepest_periods(
    paths_by_person: dict[int, set[str]], months: list[tuple[int, int]]
) -> dict[tuple[int, int], Period]:
    """(person, month index) → the deepest open monthly period over one of their units: the
    month everyone below a period opened over the city belongs to."""
    ancestors = {pk for paths in paths_by_person.values() for p in paths for pk in ancestor_ids(p)}
    if not ancestors:
        return {}
    when = reduce(or_, (Q(year=y, number=m) for y, m in months))
    periods = list(
        Period.objects.filter(when, kind=PeriodKind.MONTH, unit_id__in=ancestors)
        .exclude(state=PeriodState.LOCKED)
        .select_related("unit")
    )
    found: dict[tuple[int, int], Period] = {}
    for person_id, paths in paths_by_person.items():
        for index, (y, m) in enumerate(months):
            over = [
                p
                for p in periods
                if (p.year, p.number) == (y, m) and any(x.startswith(p.unit.path) for x in paths)
            ]
            if over:
                found[(person_id, index)] = max(over, key=lambda p: len(p.unit.path))
    return found


def _own_month(person_id: int, at: datetime.date, locks: list[MonthLock]) -> list[TodoItem]:
    """The person's self-assessment of this month (and last month, until it is locked), unless
    they or their leader have already scored it; one entered on their behalf waits for them to
    read and confirm it."""
    months = _months(at)
    paths = set(
        Post.objects.active(at).filter(person_id=person_id).values_list("unit__path", flat=True)
    )
    periods = _deepest_periods({person_id: paths}, months)
    locked = month_locks_of(((person_id, *months[index]) for _, index in periods), locks)
    periods = {k: p for k, p in periods.items() if (person_id, *months[k[1]]) not in locked}
    if not periods:
        return []
    sheets = {
        (a.period_id, a.source): a
        for a in MonthlyAssessment.objects.filter(
            person_id=person_id, period__in=[p.pk for p in periods.values()]
        ).select_related("on_behalf_by__person")
    }
    items = []
    for (_, index), period in sorted(periods.items()):
        y, m = months[index]
        own = sheets.get((period.pk, AssessmentSource.SELF))
        url = reverse("reviews:assessment-edit", args=[period.pk, person_id])
        if own is not None and own.on_behalf_by_id is not None and own.confirmed_at is None:
            text = (
                f"Tự đánh giá tháng {month_label(y, m)} do {own.on_behalf_name} nhập hộ: "
                "xem và xác nhận"
            )
            key = "reviews.month-confirm"
        elif own is None and (period.pk, AssessmentSource.LEADER) not in sheets:
            text, key = f"Tự đánh giá tháng {month_label(y, m)} chưa làm", "reviews.month-self"
        else:
            continue
        past = (y, m) < (at.year, at.month)
        items.append(TodoItem(key=key, text=text, url=url, count=1, section=OWN, urgent=past))
    return items


def _to_score(scope: Scope, at: datetime.date, locks: list[MonthLock]) -> list[TodoItem]:
    """People the actor leads directly whose month has no leader's scoring yet."""
    if not (scope.led_unit_ids or head_paths(scope)):
        return []
    months = _months(at)
    rows = (
        Post.objects.active(at)
        .filter(direct_posts_q(scope))
        .exclude(person_id=scope.person_id or 0)
    ).values_list("person_id", "unit__path")
    paths: dict[int, set[str]] = defaultdict(set)
    for person_id, path in rows:
        paths[person_id].add(path)
    periods = _deepest_periods(paths, months)
    # The people of a locked month are owed nothing: their month can no longer be scored.
    locked = month_locks_of(((pid, *months[index]) for pid, index in periods), locks)
    periods = {k: p for k, p in periods.items() if (k[0], *months[k[1]]) not in locked}
    scored = set(
        MonthlyAssessment.objects.filter(
            source=AssessmentSource.LEADER,
            person_id__in=list(paths),
            period__in={p.pk for p in periods.values()},
        ).values_list("person_id", "period_id")
    )
    waiting: dict[int, int] = defaultdict(int)
    for (person_id, index), period in periods.items():
        if (person_id, period.pk) not in scored:
            waiting[index] += 1
    items = []
    for index in sorted(waiting):
        y, m = months[index]
        items.append(
            TodoItem(
                key="reviews.month-to-score",
                text=f"{n(waiting[index])} người chờ chấm điểm tháng {month_label(y, m)}",
                url=f"{reverse('work:team-detail')}?thang={y}-{m:02d}#people",
                count=waiting[index],
                section=LED,
                urgent=(y, m) < (at.year, at.month),
            )
        )
    return items


def _levels_to_decide(actor: Any, scope: Scope, at: datetime.date) -> list[TodoItem]:
    """Monthly levels of the head's units, proposed for a month that is over and not yet
    confirmed or changed by the head."""
    headed = head_paths(scope)
    if not headed:
        return []
    waiting = (
        MonthlyScore.objects.filter(
            paths_q("unit__path", headed),
            period__kind=PeriodKind.MONTH,
            decided_by__isnull=True,
        )
        .exclude(person_id=scope.person_id or 0)  # the head's own is decided above
        .exclude(proposed_level="")
        .exclude(period__state=PeriodState.LOCKED)
        .filter(Q(period__year__lt=at.year) | Q(period__year=at.year, period__number__lt=at.month))
    )
    # A locked month's levels can no longer be decided (thuocdo.work.locking).
    fields = {"person": "person", "year": "period__year", "month": "period__number"}
    locks = month_locks_in((waiting, fields["year"], fields["month"]))
    if locks:
        waiting = waiting.exclude(locked_q(locks, **fields))
    rows = list(
        waiting.values("period_id", "period__year", "period__number")
        .annotate(count=Count("id"), first=Min("id"))
        .order_by("period__year", "period__number")
    )
    if not rows:
        return []
    # The board of the month where the head can open it; else the first score to decide.
    boards = set(
        period_list(actor=actor)
        .filter(pk__in=[r["period_id"] for r in rows])
        .values_list("pk", flat=True)
    )
    return [
        TodoItem(
            key="reviews.month-levels",
            text=(
                f"{n(r['count'])} mức xếp loại tháng "
                f"{month_label(r['period__year'], r['period__number'] or 0)} chờ quyết định"
            ),
            url=reverse("reviews:period-board", args=[r["period_id"]])
            + "?trang-thai=chua-quyet-dinh"
            if r["period_id"] in boards
            else reverse("reviews:score-detail", args=[r["first"]]),
            count=r["count"],
            section=LED,
        )
        for r in rows
    ]


def _months_not_open(scope: Scope, at: datetime.date) -> list[TodoItem]:
    """An organiser's units with no monthly period over them for this month."""
    if not scope.write_paths:
        return []
    ids = {pk for path in scope.write_paths for pk in ancestor_ids(path)}
    opened = Period.objects.filter(
        kind=PeriodKind.MONTH, year=at.year, number=at.month, unit_id__in=ids
    ).values_list("unit__path", flat=True)
    over = list(opened)
    missing = [p for p in scope.write_paths if not any(p.startswith(o) for o in over)]
    if not missing:
        return []
    return [
        TodoItem(
            key="reviews.month-not-open",
            text=f"Kỳ đánh giá tháng {month_label(at.year, at.month)} chưa được mở",
            url=reverse("reviews:period-list"),
            count=len(missing),
            section=PERIODS,
        )
    ]


def todo_for(actor: Any) -> list[TodoItem]:
    """What waits for the actor in the months being scored."""
    scope = scope_for(actor)
    at = today()
    # The locks of the two months asked about, read once: nothing of a locked month is owed.
    locks = (
        month_locks_of_months(_months(at))
        if scope.person_id or scope.led_unit_ids or head_paths(scope)
        else []
    )
    items = _own_month(scope.person_id, at, locks) if scope.person_id else []
    items += _to_score(scope, at, locks) + _levels_to_decide(actor, scope, at)
    return items + _months_not_open(scope, at)

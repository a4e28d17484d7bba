"""Today's work in periods, for the home page: the month (self-assessment, the leader's scoring,
the head's levels, the months an organiser has not opened) and the year (self-review, the
leader's assessment, the collective's report, verification, proposal, conclusion, publication,
appeals). Counts only, in a few queries, scoped through `thuocdo.org.scope`; see
`thuocdo.web.todo`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse

from thuocdo.org.models import Post
from thuocdo.org.scope import Scope, scope_for, today
from thuocdo.reviews.models import (
    Appeal,
    AppealState,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    MonthlyAssessment,
    MonthlyScore,
    Period,
    PeriodKind,
    PeriodState,
    SubjectKind,
)
from thuocdo.reviews.monthly.selectors import period_list
from thuocdo.web.todo import APPEALS, LED, OWN, PERIODS, TodoItem, month_label, n
from thuocdo.work.todo import direct_posts_q, head_paths

CLOSED = (PeriodState.PUBLISHED, PeriodState.LOCKED)


def _ancestor_ids(path: str) -> list[int]:
    """The unit of a path and every unit above it (a path is the chain of ids)."""
    return [int(seg) for seg in path.strip("/").split("/") if seg]


def _paths_q(field: str, paths: list[str] | tuple[str, ...]) -> Q:
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
    ancestors = {pk for paths in paths_by_person.values() for p in paths for pk in _ancestor_ids(p)}
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


# -- the month --------------------------------------------------------------------------------


def _own_month(person_id: int, at: datetime.date) -> list[TodoItem]:
    """The person's self-assessment of this month (and last month, until it is locked), unless
    they or their leader have already scored it."""
    months = _months(at)
    paths = set(
        Post.objects.active(at).filter(person_id=person_id).values_list("unit__path", flat=True)
    )
    periods = _deepest_periods({person_id: paths}, months)
    if not periods:
        return []
    done = set(
        MonthlyAssessment.objects.filter(
            person_id=person_id, period__in=[p.pk for p in periods.values()]
        ).values_list("period_id", flat=True)
    )
    items = []
    for (_, index), period in sorted(periods.items()):
        if period.pk in done:
            continue
        y, m = months[index]
        items.append(
            TodoItem(
                key="reviews.month-self",
                text=f"Tự đánh giá tháng {month_label(y, m)} chưa làm",
                url=reverse("reviews:assessment-edit", args=[period.pk, person_id]),
                count=1,
                section=OWN,
                urgent=(y, m) < (at.year, at.month),
            )
        )
    return items


def _to_score(scope: Scope, at: datetime.date) -> list[TodoItem]:
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
                url=reverse("work:team-detail") + "#people",
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
    rows = list(
        MonthlyScore.objects.filter(
            _paths_q("unit__path", headed),
            period__kind=PeriodKind.MONTH,
            decided_by__isnull=True,
        )
        .exclude(proposed_level="")
        .exclude(period__state=PeriodState.LOCKED)
        .filter(Q(period__year__lt=at.year) | Q(period__year=at.year, period__number__lt=at.month))
        .values("period_id", "period__year", "period__number")
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
    ids = {pk for path in scope.write_paths for pk in _ancestor_ids(path)}
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


def _review_year(at: datetime.date) -> int | None:
    """The year whose review is due now: this year's in November and December, last year's in
    January; none the rest of the year."""
    if at.month >= 11:
        return at.year
    return at.year - 1 if at.month == 1 else None


def _year_not_open(scope: Scope, at: datetime.date) -> list[TodoItem]:
    """An organiser's units with no year period over them in the review season."""
    year = _review_year(at)
    if not scope.write_paths or year is None:
        return []
    ids = {pk for path in scope.write_paths for pk in _ancestor_ids(path)}
    opened = list(
        Period.objects.filter(kind=PeriodKind.YEAR, year=year, unit_id__in=ids).values_list(
            "unit__path", flat=True
        )
    )
    missing = [p for p in scope.write_paths if not any(p.startswith(o) for o in opened)]
    if not missing:
        return []
    return [
        TodoItem(
            key="reviews.year-not-open",
            text=f"Kỳ đánh giá, xếp loại năm {year} chưa được mở",
            url=reverse("reviews:period-list"),
            count=len(missing),
            section=PERIODS,
        )
    ]


# -- the year ---------------------------------------------------------------------------------


def _own_year(person_id: int, at: datetime.date) -> list[TodoItem]:
    """The person's self-reviews to write, and their published results open to appeal."""
    items = []
    own = Evaluation.objects.filter(person_id=person_id, kind=SubjectKind.INDIVIDUAL).exclude(
        period__state__in=CLOSED
    )
    pending = list(
        own.filter(state=EvaluationState.PENDING)
        .select_related("period", "person")
        .order_by("period__year", "id")
    )
    for year in sorted({ev.period.year for ev in pending}):
        of_year = [ev for ev in pending if ev.period.year == year]
        first = of_year[0]
        due = first.period.self_due
        forms = ", ".join(sorted({f"Mẫu {ev.form_code}" for ev in of_year}))
        what = "Bản tự kiểm điểm" if len(of_year) == 1 else f"{n(len(of_year))} bản tự kiểm điểm"
        deadline = f", hạn {due:%d/%m/%Y}" if due else ""
        items.append(
            TodoItem(
                key="reviews.year-self",
                text=f"{what} năm {year} ({forms}) chưa làm{deadline}",
                url=reverse("reviews:evaluation-self", args=[first.pk]),
                count=len(of_year),
                section=OWN,
                urgent=due is not None and at > due,
            )
        )
    published = (
        Evaluation.objects.filter(
            person_id=person_id,
            state=EvaluationState.PUBLISHED,
            period__state=PeriodState.PUBLISHED,
            period__published_at__isnull=False,
        )
        .exclude(Exists(Appeal.objects.filter(evaluation=OuterRef("pk"))))
        .select_related("period")
    )
    for ev in published:
        assert ev.period.published_at is not None
        end = ev.period.published_at + datetime.timedelta(days=ev.period.appeal_days)
        if end.date() < at:
            continue
        items.append(
            TodoItem(
                key="reviews.year-published",
                text=(
                    f"Kết quả xếp loại năm {ev.period.year} đã công khai: xem kết quả, "
                    f"kiến nghị đến hết ngày {end:%d/%m/%Y} nếu chưa đồng ý"
                ),
                url=reverse("reviews:evaluation-detail", args=[ev.pk]),
                count=1,
                section=OWN,
            )
        )
    return items


def _by_period(
    evaluations: Any, key: str, text: str, url_name: str, section: str
) -> list[TodoItem]:
    """One item per period of a filtered Evaluation queryset: "{count} {text} năm {year}"."""
    rows = (
        evaluations.exclude(period__state=PeriodState.LOCKED)
        .values("period_id", "period__year")
        .annotate(count=Count("id"))
        .order_by("period__year", "period_id")
    )
    return [
        TodoItem(
            key=key,
            text=text.format(count=n(r["count"]), year=r["period__year"]),
            url=reverse(url_name, args=[r["period_id"]]),
            count=r["count"],
            section=section,
        )
        for r in rows
    ]


def _led_year(scope: Scope) -> list[TodoItem]:
    """Self-reviews waiting for the direct leader's assessment, and the collective's report
    (Mẫu 01) of the units the actor heads."""
    items: list[TodoItem] = []
    if scope.led_unit_ids or head_paths(scope):
        reviewed = Evaluation.objects.filter(
            kind=SubjectKind.INDIVIDUAL,
            state=EvaluationState.SELF_ASSESSED,
            post__in=Post.objects.filter(direct_posts_q(scope)).values("pk"),
        ).exclude(person_id=scope.person_id or 0)
        items += _by_period(
            reviewed,
            "reviews.year-to-review",
            "{count} bản tự kiểm điểm năm {year} chờ lãnh đạo đánh giá",
            "reviews:period-board",
            LED,
        )
    headed = head_paths(scope)
    if headed:
        collectives = (
            Evaluation.objects.filter(
                kind=SubjectKind.COLLECTIVE, state=EvaluationState.PENDING, unit__path__in=headed
            )
            .exclude(period__state__in=CLOSED)
            .select_related("period", "unit")
        )
        items += [
            TodoItem(
                key="reviews.year-collective",
                text=(
                    f"Báo cáo kiểm điểm tập thể {ev.unit.name} năm {ev.period.year} (Mẫu 01) "
                    "chưa làm"
                ),
                url=reverse("reviews:evaluation-self", args=[ev.pk]),
                count=1,
                section=LED,
            )
            for ev in collectives
        ]
    return items


def _organised(scope: Scope, at: datetime.date) -> list[TodoItem]:
    """The organiser's year: late self-reviews, verification, proposal, publication."""
    if not scope.write_paths:
        return []
    mine = Evaluation.objects.filter(_paths_q("unit__path", scope.write_paths))
    late = mine.filter(state=EvaluationState.PENDING, period__self_due__lt=at)
    items = _by_period(
        late.exclude(period__state__in=CLOSED),
        "reviews.year-late",
        "{count} phiếu đánh giá năm {year} quá hạn tự kiểm điểm",
        "reviews:period-board",
        PERIODS,
    )
    items += _by_period(
        mine.filter(state=EvaluationState.REVIEWED),
        "reviews.year-to-verify",
        "{count} phiếu đánh giá năm {year} chờ thẩm định",
        "reviews:period-verification",
        PERIODS,
    )
    periods = Period.objects.filter(
        _paths_q("unit__path", scope.write_paths), kind=PeriodKind.YEAR
    ).select_related("unit")
    each = Evaluation.objects.filter(period=OuterRef("pk"))
    ready = periods.filter(
        Exists(each.filter(state=EvaluationState.VERIFIED)),
        ~Exists(each.exclude(state__in=[EvaluationState.VERIFIED, EvaluationState.PROPOSED])),
    ).exclude(state__in=CLOSED)
    items += [
        TodoItem(
            key="reviews.year-to-propose",
            text=(
                f"Kỳ đánh giá năm {p.year} — {p.unit.name}: đã thẩm định đủ, chờ đề xuất mức "
                "xếp loại"
            ),
            url=reverse("reviews:period-verification", args=[p.pk]),
            count=1,
            section=PERIODS,
        )
        for p in ready
    ]
    concluded = periods.filter(
        Exists(each.filter(state=EvaluationState.CONCLUDED)),
        ~Exists(each.exclude(state__in=[EvaluationState.CONCLUDED, EvaluationState.PUBLISHED])),
    ).exclude(state__in=CLOSED)
    items += [
        TodoItem(
            key="reviews.year-to-publish",
            text=f"Kỳ đánh giá năm {p.year} — {p.unit.name}: đã kết luận xong, chờ công khai",
            url=reverse("reviews:period-conclusions", args=[p.pk]),
            count=1,
            section=PERIODS,
        )
        for p in concluded
    ]
    return items


def _to_conclude(scope: Scope) -> list[TodoItem]:
    """Proposals waiting for the conclusion of the actor's authority."""
    if not scope.authority_ids:
        return []
    return _by_period(
        Evaluation.objects.filter(
            authority_id__in=scope.authority_ids, state=EvaluationState.PROPOSED
        ),
        "reviews.year-to-conclude",
        "{count} phiếu đánh giá năm {year} chờ kết luận",
        "reviews:period-conclusions",
        PERIODS,
    )


def _appeals(scope: Scope) -> list[TodoItem]:
    """Appeals the organiser re-examines, and those the authority decides."""
    items = []
    asks = [
        (
            scope.write_paths,
            Q(state=AppealState.FILED) & _paths_q("evaluation__unit__path", scope.write_paths),
            "reviews.appeals-to-reexamine",
            "kiến nghị chờ Ban Tổ chức xem xét lại",
        ),
        (
            scope.authority_ids,
            Q(state=AppealState.REEXAMINED, evaluation__authority_id__in=scope.authority_ids),
            "reviews.appeals-to-decide",
            "kiến nghị chờ cấp có thẩm quyền giải quyết",
        ),
    ]
    for reach, q, key, what in asks:
        if not reach:
            continue
        found = Appeal.objects.filter(q).aggregate(count=Count("id"), first=Min("evaluation_id"))
        if found["count"]:
            items.append(
                TodoItem(
                    key=key,
                    text=f"{n(found['count'])} {what}",
                    url=reverse("reviews:evaluation-detail", args=[found["first"]]),
                    count=found["count"],
                    section=APPEALS,
                )
            )
    return items


def todo_for(actor: Any) -> list[TodoItem]:
    """What waits for the actor in the months and years being evaluated."""
    scope = scope_for(actor)
    at = today()
    items: list[TodoItem] = []
    if scope.person_id:
        items += _own_month(scope.person_id, at) + _own_year(scope.person_id, at)
    items += _to_score(scope, at) + _levels_to_decide(actor, scope, at) + _led_year(scope)
    items += _months_not_open(scope, at) + _year_not_open(scope, at)
    items += _organised(scope, at) + _to_conclude(scope)
    return items + _appeals(scope)

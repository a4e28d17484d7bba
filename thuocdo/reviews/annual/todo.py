"""Today's work in the year, for the home page: the person's self-review (and one entered on
their behalf, to confirm) and published result, the self-reviews waiting for the direct
leader, the collective's report, the year an organiser has not opened, late self-reviews,
verification, proposal, conclusion, publication and appeals. Counts only, in a few queries,
scoped through `thuocdo.org.scope`; see `thuocdo.web.todo`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Exists, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from thuocdo.org.models import Post
from thuocdo.org.scope import Scope, scope_for, today
from thuocdo.reviews.annual.permissions import direct_evaluations_q
from thuocdo.reviews.models import (
    AnnualAssessment,
    Appeal,
    AppealState,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    Period,
    PeriodKind,
    PeriodState,
    SubjectKind,
)
from thuocdo.reviews.monthly.opening import ancestor_ids
from thuocdo.reviews.monthly.todo import paths_q
from thuocdo.web.todo import APPEALS, LED, OWN, PERIODS, TodoItem, n
from thuocdo.work.todo import direct_posts_q, head_paths

CLOSED = (PeriodState.PUBLISHED, PeriodState.LOCKED)


def _review_year(at: datetime.date) -> int | None:
    """The year whose review is due now: this year's in November and December, last year's in
    January; none the rest of the year."""
    if at.month >= 11:
        return at.year
    return at.year - 1 if at.month == 1 else None


def _year_not_open(scope: Scope, at: datetime.date) -> list[TodoItem]:
    """An organiser's units where no year period is open, above, on or inside them, in the
    review season (one opened for a ward of the district is a start: not asked again)."""
    year = _review_year(at)
    if not scope.write_paths or year is None:
        return []
    ids = {pk for path in scope.write_paths for pk in ancestor_ids(path)}
    opened = list(
        Period.objects.filter(
            Q(unit_id__in=ids) | paths_q("unit__path", scope.write_paths),
            kind=PeriodKind.YEAR,
            year=year,
        ).values_list("unit__path", flat=True)
    )
    missing = [
        p for p in scope.write_paths if not any(p.startswith(o) or o.startswith(p) for o in opened)
    ]
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
    entered = (
        AnnualAssessment.objects.filter(
            evaluation__person_id=person_id,
            evaluation__kind=SubjectKind.INDIVIDUAL,
            source=AssessmentSource.SELF,
            on_behalf_by__isnull=False,
            confirmed_at__isnull=True,
        )
        .exclude(evaluation__period__state__in=CLOSED)
        .select_related("evaluation__period", "on_behalf_by__person")
    )
    for sheet in entered:
        items.append(
            TodoItem(
                key="reviews.year-confirm",
                text=(
                    f"Bản tự kiểm điểm năm {sheet.evaluation.period.year} do "
                    f"{sheet.on_behalf_name} nhập hộ: xem và xác nhận (hoặc sửa lại)"
                ),
                url=reverse("reviews:evaluation-detail", args=[sheet.evaluation_id]) + "#on-behalf",
                count=1,
                section=OWN,
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
                    f"kiến nghị đến {timezone.localtime(end):%H:%M ngày %d/%m/%Y} nếu chưa đồng ý"
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
    """Self-reviews waiting for the direct leader's assessment (the rule of the year's board,
    `direct_evaluations_q`, on the units the actor leads or heads, not those it organises), and
    the collective's report (Mẫu 01) of the units the actor heads."""
    items: list[TodoItem] = []
    if scope.led_unit_ids or head_paths(scope):
        reviewed = Evaluation.objects.filter(
            direct_evaluations_q(scope), state=EvaluationState.SELF_ASSESSED
        ).exclude(person_id=scope.person_id or 0)
        items += _by_period(
            reviewed,
            "reviews.year-to-review",
            "{count} bản tự kiểm điểm năm {year} chờ lãnh đạo đánh giá",
            "reviews:period-board",
            LED,
        )
    if scope.led_unit_ids or head_paths(scope):
        # People without an account whose self-review nobody has entered for them yet.
        missing = Evaluation.objects.filter(
            kind=SubjectKind.INDIVIDUAL,
            state=EvaluationState.PENDING,
            person__user__isnull=True,
            post__in=Post.objects.filter(direct_posts_q(scope)).values("pk"),
        ).exclude(period__state__in=CLOSED)
        items += _by_period(
            missing,
            "reviews.year-on-behalf-led",
            "{count} người chưa có tài khoản chưa có bản tự kiểm điểm năm {year}: nhập hộ",
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
    mine = Evaluation.objects.filter(paths_q("unit__path", scope.write_paths))
    late = mine.filter(state=EvaluationState.PENDING, period__self_due__lt=at)
    items = _by_period(
        late.exclude(period__state__in=CLOSED),
        "reviews.year-late",
        "{count} phiếu đánh giá năm {year} quá hạn tự kiểm điểm",
        "reviews:period-board",
        PERIODS,
    )
    items += _by_period(
        mine.filter(
            kind=SubjectKind.INDIVIDUAL, state=EvaluationState.PENDING, person__user__isnull=True
        ).exclude(period__state__in=CLOSED),
        "reviews.year-on-behalf",
        "{count} người chưa có tài khoản chưa có bản tự kiểm điểm năm {year}: nhập hộ",
        "reviews:period-board",
        PERIODS,
    )
    items += _by_period(
        # As the verification page's queue and «Việc của Ban Tổ chức»: the self-reviews no
        # direct leader assesses (the head's, the collective's) wait for it too.
        mine.filter(state__in=[EvaluationState.SELF_ASSESSED, EvaluationState.REVIEWED]),
        "reviews.year-to-verify",
        "{count} phiếu đánh giá năm {year} chờ thẩm định",
        "reviews:period-verification",
        PERIODS,
    )
    periods = Period.objects.filter(
        paths_q("unit__path", scope.write_paths), kind=PeriodKind.YEAR
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
            Q(state=AppealState.FILED) & paths_q("evaluation__unit__path", scope.write_paths),
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
    """What waits for the actor in the years being evaluated."""
    scope = scope_for(actor)
    at = today()
    items = _own_year(scope.person_id, at) if scope.person_id else []
    items += _led_year(scope) + _year_not_open(scope, at) + _organised(scope, at)
    return items + _to_conclude(scope) + _appeals(scope)

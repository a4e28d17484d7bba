"""Pages of monthly scoring: periods, the unit's board, one person's score and its scoring.

A refused scoring or decision sends the browser back to its form with the reason and what was
typed (`thuocdo.web.retry`): no page is rendered in answer to a POST, so a reload never sends
the form again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.jobs.services import job_start
from thuocdo.jobs.views import job_follow
from thuocdo.org.models import Post, Unit
from thuocdo.org.permissions import access_person, access_unit, access_unit_by_code
from thuocdo.org.scope import scope_for, today
from thuocdo.org.selectors import unit_list
from thuocdo.reviews.annual import views as annual_views
from thuocdo.reviews.forms import DecideForm, YearOpenForm
from thuocdo.reviews.jobs import MONTH_COMPUTE, PERIOD_OPEN
from thuocdo.reviews.models import (
    AssessmentSource,
    MonthlyAssessment,
    MonthlyScore,
    MonthSchedule,
    Period,
    PeriodKind,
)
from thuocdo.reviews.monthly import schedule, selectors, services
from thuocdo.reviews.monthly.access import can_enter_on_behalf, can_score, require_in_period
from thuocdo.reviews.monthly.explain import score_explanation, score_trace
from thuocdo.reviews.monthly.export import board_workbook, self_assessment_note
from thuocdo.reviews.monthly.forms import MonthOpenForm, ScheduleForm, assessment_form
from thuocdo.reviews.monthly.opening import month_end, month_is_running
from thuocdo.reviews.monthly.scoring import scale_of
from thuocdo.web.retry import posted, refused_redirect, typed_again
from thuocdo.work.locking import lock_over, may_lock_months
from thuocdo.work.selectors import month_lock_for, month_locks_within

BOARD_PAGE = 100
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPEN_REFUSED = "Chỉ Ban Tổ chức hoặc người đứng đầu được mở kỳ đánh giá."


def _errors(error: ValidationError | PermissionDenied) -> str:
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _not_a_month(request: HttpRequest, period_id: int) -> HttpResponse:
    """A monthly page asked of a year: back to the year's own board, saying why."""
    messages.error(request, "Kỳ năm không chấm điểm tháng: xem bảng của kỳ năm.")
    return redirect("reviews:period-board", period_id=period_id)


@require_http_methods(["GET", "POST"])
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """Periods in scope, and opening a month over a subtree the user manages (the whole city
    at once, as a job), optionally letting the next months open by themselves."""
    form = MonthOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        unit = access_unit(request.user, data["unit"])
        if services.can_manage(request.user, unit):
            job = job_start(
                kind=PERIOD_OPEN,
                actor=request.user,
                unit=unit,
                params={
                    "unit_id": unit.pk,
                    "actor_id": request.user.pk,
                    "kind": data["kind"],
                    "year": data["year"],
                    "number": data["month"],
                    "ruleset": data["ruleset"],
                    "schedule_months": bool(data["schedule"]),
                },
            )
            return job_follow(job)
        messages.error(request, OPEN_REFUSED)
    scope = scope_for(request.user)
    schedules = MonthSchedule.objects.filter(
        unit__in=unit_list(actor=request.user).values("pk")
    ).select_related("unit")
    return render(
        request,
        "reviews/period_list.html",
        {
            "periods": selectors.period_list(actor=request.user)[:100],
            "form": form,
            "year_form": YearOpenForm(auto_id="id_year_%s"),
            "can_open": scope.everything or bool(scope.subtree_paths),
            "may_lock": may_lock_months(request.user),
            "schedules": schedules,
            "at": today(),
        },
    )


@require_POST
@login_required
def schedule_toggle(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Turn a unit's automatic monthly opening off or on again."""
    unit = access_unit(request.user, unit_id)
    current = MonthSchedule.objects.filter(unit=unit).first()
    form = ScheduleForm(request.POST)
    if current is None or not form.is_valid():
        raise Http404("Đơn vị này chưa đặt lịch mở kỳ tháng.")
    try:
        schedule.month_schedule_set(
            actor=request.user,
            unit=unit,
            ruleset=current.ruleset,
            enabled=form.cleaned_data["enabled"],
            options=current.options,
        )
        messages.success(request, "Đã lưu lịch mở kỳ tháng.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("reviews:period-list")


def _board_unit(request: HttpRequest, period: Period) -> Unit:
    """The board's unit: one typed in the unit picker (by code, `ma-don-vi`), else the one
    chosen by number (`don-vi`), else the actor's own (``selectors.board_unit``)."""
    code = request.GET.get("ma-don-vi", "").strip()[:60]
    if code:
        picked = str(access_unit_by_code(request.user, code).pk)
        return selectors.board_unit(request.user, period, picked)
    return selectors.board_unit(request.user, period, request.GET.get("don-vi"))


@require_GET
@login_required
def period_board(request: HttpRequest, period_id: int) -> HttpResponse:
    """The month of a unit: levels, cap gauges, each person's score and the head's decision.
    In a period over the city, each user's board is their own unit (or subtree), and any
    visible unit of it can be chosen (`don-vi`)."""
    period = selectors.access_period(request.user, period_id)
    if period.kind == PeriodKind.YEAR:
        return annual_views.year_board(request, period)
    unit = _board_unit(request, period)
    scores = selectors.score_list(actor=request.user, period=period, unit=unit)
    shown_filter = selectors.BoardFilter.of(request.GET, unit)
    page = Paginator(shown_filter.apply(scores), BOARD_PAGE).get_page(request.GET.get("trang", 1))
    shown = list(page.object_list)
    selves = {
        a.person_id: a
        for a in MonthlyAssessment.objects.filter(
            period=period,
            source=AssessmentSource.SELF,
            person_id__in=[s.person_id for s in shown],
        ).select_related("on_behalf_by__person")
    }
    for score in shown:
        score.self_note = self_assessment_note(selves.get(score.person_id))  # type: ignore[attr-defined]
    return render(
        request,
        "reviews/period_board.html",
        {
            "period": period,
            "unit": unit,
            "children": selectors.board_children(request.user, unit)[:100],
            "parent": selectors.board_parent(request.user, unit) if unit != period.unit else None,
            "scores": shown,
            "page": page,
            "board": selectors.period_board(scores, period),
            "labels": selectors.level_labels(period),
            "shown": shown_filter,
            "states": selectors.BOARD_STATES,
            "running": month_is_running(period, today()),
            "can_manage": services.can_manage(request.user, unit),
            **_board_locks(request, period, unit),
        },
    )


def _board_locks(request: HttpRequest, period: Period, unit: Unit) -> dict[str, Any]:
    """The locks of the board's month: over its unit (nothing can change, nothing is offered),
    on units inside it, and whether the user may go and close the month."""
    if period.kind != PeriodKind.MONTH or not period.number:
        return {"month_lock": None, "inner_locks": [], "may_lock": False}
    return {
        "month_lock": lock_over(unit, period.year, period.number),
        "period_locked": lock_over(period.unit, period.year, period.number) is not None,
        "inner_locks": month_locks_within(unit, period.year, period.number),
        "may_lock": may_lock_months(request.user),
        "month_key": f"{period.year}-{period.number:02d}",
    }


@require_GET
@login_required
def period_export(request: HttpRequest, period_id: int) -> HttpResponse:
    """The board shown (one unit's subtree) as an Excel workbook."""
    period = selectors.access_period(request.user, period_id)
    if period.kind == PeriodKind.YEAR:
        return _not_a_month(request, period.pk)
    unit = _board_unit(request, period)
    scores = selectors.score_list(actor=request.user, period=period, unit=unit)
    response = HttpResponse(board_workbook(period, unit, scores), content_type=XLSX)
    name = f"ket-qua-thang-{period.number:02d}-{period.year}-{unit.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_POST
@login_required
def period_compute(request: HttpRequest, period_id: int) -> HttpResponse:
    """Compute the month's scores from the work record (heads and organisers), as a job."""
    period = selectors.access_period(request.user, period_id)
    if not services.can_manage(request.user, period.unit):
        raise PermissionDenied("Chỉ người đứng đầu hoặc Ban Tổ chức được tính điểm tháng.")
    job = job_start(
        kind=MONTH_COMPUTE,
        actor=request.user,
        unit=period.unit,
        params={"period_id": period.pk, "actor_id": request.user.pk},
    )
    return job_follow(job)


@require_GET
@login_required
def score_detail(request: HttpRequest, score_id: int) -> HttpResponse:
    """One person's month: the score built up part by part, and where each point came from."""
    score = selectors.access_score(request.user, score_id)
    period = score.period
    typed = typed_again(request)  # a refused decision: the level and the reason typed
    month_lock = (
        month_lock_for(score.person, period.year, period.number)
        if period.kind == PeriodKind.MONTH and period.number
        else None
    )
    return render(
        request,
        "reviews/score_detail.html",
        {
            "month_lock": month_lock,
            "score": score,
            "explanation": score_explanation(score),
            "trace": score_trace(score),
            "labels": selectors.level_labels(period),
            "scale": scale_of(period.ruleset),
            "running": month_is_running(period, today()),
            "can_decide": services.can_manage(request.user, score.unit)
            and not services.is_own_score(request.user, score)
            and month_lock is None
            and not period.is_locked,
            "undecided_url": undecided_url(score),
            "decide_form": DecideForm(typed)
            if typed is not None
            else DecideForm(initial={"level": score.level or score.proposed_level}),
            "self_assessment": MonthlyAssessment.objects.filter(
                period=period, person=score.person, source=AssessmentSource.SELF
            ).first(),
        },
    )


@require_POST
@login_required
def score_decide(request: HttpRequest, score_id: int) -> HttpResponse:
    """The head confirms or changes a proposed level, with a reason for a change; refused, back
    to the decision with the reason and the level and reason typed."""
    score = selectors.access_score(request.user, score_id)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.month_score_decide(
                actor=request.user,
                score=score,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            # Back to the people of the unit still to decide: the head's next one is there.
            messages.success(
                request,
                f"Đã ghi quyết định {score.level} cho {score.person.full_name}.",
            )
            return redirect(undecided_url(score))
    detail = reverse("reviews:score-detail", args=[score.pk])
    return refused_redirect(request, f"{detail}#quyet-dinh", posted(request, "level", "reason"))


def undecided_url(score: MonthlyScore) -> str:
    """The month board of the score's unit, showing the people not decided yet."""
    board = reverse("reviews:period-board", args=[score.period_id])
    return f"{board}?don-vi={score.unit_id}&trang-thai=chua-quyet-dinh"


def _assessment_page(
    request: HttpRequest, period_id: int, person_id: int, *, on_behalf: bool
) -> HttpResponse:
    """The scoring form of one person's month: their own self-assessment, the leader's
    scoring, or the self-assessment entered on the person's behalf."""
    period = selectors.access_period(request.user, period_id)
    if period.kind == PeriodKind.YEAR:
        return _not_a_month(request, period.pk)
    person = access_person(request.user, person_id)
    require_in_period(period, person)
    own = scope_for(request.user).person_id == person.pk
    if on_behalf and (own or not can_enter_on_behalf(request.user, person, period)):
        raise Http404("Không tìm thấy cán bộ.")
    if not (own or on_behalf or can_score(request.user, person, period)):
        raise Http404("Không tìm thấy cán bộ.")
    source = AssessmentSource.SELF if own or on_behalf else AssessmentSource.LEADER
    current = MonthlyAssessment.objects.filter(period=period, person=person, source=source).first()
    month_lock = (
        month_lock_for(person, period.year, period.number)
        if period.kind == PeriodKind.MONTH and period.number
        else None
    )
    leads = (
        Post.objects.active(month_end(period))
        .filter(Q(is_head=True) | Q(is_deputy=True), person=person)
        .exists()
    )
    initial: dict[str, Any] = {}
    if current is not None:
        initial = {
            "general": current.general,
            "bonus": current.bonus,
            "note": current.note,
            "deductions": current.deductions,
            "organising": current.organising,
        }
    scale = scale_of(period.ruleset)
    form = assessment_form(
        request.POST or typed_again(request),
        initial,
        source=source,
        leader=leads,
        bonus=scale.bonus > 0,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                actor=request.user,
                period=period,
                person_id=person.pk,
                source=source,
                general=data["general"],
                bonus=data.get("bonus") or Decimal(0),
                deductions=data.get("deductions") or Decimal(0),
                note=data["note"],
                organising=data.get("organising"),
            )
            messages.success(request, "Đã lưu điểm; điểm tháng đã được cập nhật.")
            return _back_to_month(period, own=own)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    if request.method == "POST":  # refused: the form again, with its errors and what was typed
        return refused_redirect(request, request.path, posted(request))
    context = {
        "period": period,
        "person": person,
        "form": form,
        "own": own,
        "on_behalf": on_behalf,
        "current": current,
        "scale": scale,
        "locked": period.is_locked or month_lock is not None,
        "month_lock": month_lock,
    }
    return render(request, "reviews/assessment_form.html", context)


def _back_to_month(period: Period, *, own: bool) -> HttpResponse:
    """Back to «Tháng của tôi» or «Đơn vị của tôi» on the month just scored (last month
    stays last month), where the saved score shows."""
    page = redirect("work:month-detail" if own else "work:team-detail")
    if period.kind == PeriodKind.MONTH and period.number:
        page["Location"] += f"?thang={period.year}-{period.number:02d}"
    return page


@require_http_methods(["GET", "POST"])
@login_required
def assessment_edit(request: HttpRequest, period_id: int, person_id: int) -> HttpResponse:
    """Self-assessment (one's own month) or the leader's scoring of one of their people."""
    return _assessment_page(request, period_id, person_id, on_behalf=False)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_on_behalf(request: HttpRequest, period_id: int, person_id: int) -> HttpResponse:
    """The organiser or the direct leader enters a person's self-assessment on their behalf."""
    return _assessment_page(request, period_id, person_id, on_behalf=True)


@require_POST
@login_required
def assessment_confirm(request: HttpRequest, period_id: int) -> HttpResponse:
    """The person confirms the self-assessment entered on their behalf."""
    period = selectors.access_period(request.user, period_id)
    person_id = scope_for(request.user).person_id
    current = MonthlyAssessment.objects.filter(
        period=period, person_id=person_id or 0, source=AssessmentSource.SELF
    ).first()
    if current is None:
        raise Http404("Không có tự đánh giá nào chờ xác nhận.")
    try:
        services.assessment_confirm(actor=request.user, assessment=current)
        messages.success(request, "Đã xác nhận tự đánh giá nhập hộ.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("work:month-detail")

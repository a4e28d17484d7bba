"""Pages of monthly scoring: periods, the unit's board, one person's score and its scoring."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.org.models import Person
from thuocdo.org.permissions import access_person, access_unit
from thuocdo.reviews.annual import views as annual_views
from thuocdo.reviews.forms import AssessmentForm, DecideForm, PeriodOpenForm, YearOpenForm
from thuocdo.reviews.models import AssessmentSource, MonthlyAssessment, PeriodKind
from thuocdo.reviews.monthly import selectors, services
from thuocdo.reviews.monthly.scoring import scale_of


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@require_http_methods(["GET", "POST"])
@login_required
def period_list(request: HttpRequest) -> HttpResponse:
    """Periods in scope, and opening a monthly period for a unit the user manages."""
    form = PeriodOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        unit = access_unit(request.user, form.cleaned_data["unit"])
        try:
            period = services.period_open(
                actor=request.user,
                unit=unit,
                kind=form.cleaned_data["kind"],
                year=form.cleaned_data["year"],
                number=form.cleaned_data["month"],
                ruleset=form.cleaned_data["ruleset"],
            )
            return redirect("reviews:period-board", period_id=period.pk)
        except ValidationError as error:
            messages.error(request, _errors(error))
    periods = selectors.period_list(actor=request.user)[:100]
    return render(
        request,
        "reviews/period_list.html",
        {
            "periods": periods,
            "form": form,
            "year_form": YearOpenForm(auto_id="id_year_%s"),
        },
    )


@require_GET
@login_required
def period_board(request: HttpRequest, period_id: int) -> HttpResponse:
    """The month of a unit: levels, cap gauges, each person's score and the head's decision."""
    period = selectors.access_period(request.user, period_id)
    if period.kind == PeriodKind.YEAR:
        return annual_views.year_board(request, period)
    every = selectors.score_list(actor=request.user, period=period)
    board = selectors.period_board(list(every), period)
    labels = selectors.level_labels(period)
    shown = selectors.BoardFilter.of(request.GET)
    page = Paginator(shown.apply(every), 50).get_page(request.GET.get("trang"))
    return render(
        request,
        "reviews/period_board.html",
        {
            "period": period,
            "page": page,
            "board": board,
            "labels": labels,
            "shown": shown,
            "states": selectors.BOARD_STATES,
        },
    )


@require_POST
@login_required
def period_compute(request: HttpRequest, period_id: int) -> HttpResponse:
    """Compute the month's scores from the work record (heads and organisers)."""
    period = selectors.access_period(request.user, period_id)
    try:
        count = services.month_scores_compute(actor=request.user, period=period)
        messages.success(request, f"Đã tính điểm tháng cho {count} người.")
    except ValidationError as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-board", period_id=period.pk)


@require_GET
@login_required
def score_detail(request: HttpRequest, score_id: int) -> HttpResponse:
    """One person's month: the score built up part by part, and where each point came from."""
    score = selectors.access_score(request.user, score_id)
    return render(
        request,
        "reviews/score_detail.html",
        {
            "score": score,
            "labels": selectors.level_labels(score.period),
            "scale": scale_of(score.period.ruleset),
            "decide_form": DecideForm(initial={"level": score.level}),
        },
    )


@require_POST
@login_required
def score_decide(request: HttpRequest, score_id: int) -> HttpResponse:
    """The head confirms or changes a proposed level, with a reason for a change."""
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
            messages.success(request, "Đã ghi quyết định.")
        except ValidationError as error:
            messages.error(request, _errors(error))
    return redirect("reviews:score-detail", score_id=score.pk)


@require_http_methods(["GET", "POST"])
@login_required
def assessment_edit(request: HttpRequest, period_id: int, person_id: int) -> HttpResponse:
    """Self-assessment (one's own month) or the leader's scoring of a person in scope."""
    period = selectors.access_period(request.user, period_id)
    person = access_person(request.user, person_id)
    own = Person.objects.filter(pk=person.pk, user__pk=request.user.pk or 0).exists()
    source = AssessmentSource.SELF if own else AssessmentSource.LEADER
    current = MonthlyAssessment.objects.filter(period=period, person=person, source=source).first()
    initial = (
        {
            "general": current.general,
            "bonus": current.bonus,
            "note": current.note,
            "deductions": current.deductions,
            "organising": current.organising,
        }
        if current
        else {}
    )
    form = AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_record(
                actor=request.user,
                period=period,
                person_id=person.pk,
                source=source,
                general=data["general"],
                bonus=data["bonus"] or Decimal(0),
                deductions=data["deductions"] or Decimal(0),
                note=data["note"],
                organising=data["organising"],
            )
            messages.success(request, "Đã lưu điểm.")
            return redirect("reviews:period-board", period_id=period.pk)
        except ValidationError as error:
            messages.error(request, _errors(error))
    context = {
        "period": period,
        "person": person,
        "form": form,
        "own": own,
        "scale": scale_of(period.ruleset),
    }
    return render(request, "reviews/assessment_form.html", context)

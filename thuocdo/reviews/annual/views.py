"""Pages of the annual cycle up to the proposal: the year board of each user, the evaluation
page, the self-review (written by the person or entered on their behalf), the leader's form,
the organiser's verification queue and proposal. The end of the year (conclusions,
publication, appeals) is in `views_closing`. A refused form sends the browser back to its
page with what was typed (`thuocdo.web.retry`): no page is rendered in answer to a POST, so a
reload never sends a form again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.jobs.services import job_start
from thuocdo.jobs.views import job_follow
from thuocdo.numbers import whole_number
from thuocdo.org.permissions import access_unit
from thuocdo.org.scope import scope_for
from thuocdo.reviews.annual import documents
from thuocdo.reviews.annual import selectors as sel
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.desk import evaluation_actions, year_desk
from thuocdo.reviews.annual.export import evaluations_workbook
from thuocdo.reviews.annual.levels import FORM_CRITERIA, LEVELS
from thuocdo.reviews.annual.permissions import (
    appeal_open,
    appeal_window_end,
    can_organise,
    can_review,
)
from thuocdo.reviews.annual.tracks import criteria_labels, ruleset_get
from thuocdo.reviews.forms import (
    LeaderReviewForm,
    ReopenForm,
    SelfReviewForm,
    YearOpenForm,
    sheet_values,
)
from thuocdo.reviews.jobs import YEAR_OPEN, YEAR_PROPOSE
from thuocdo.reviews.models import (
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    Period,
    PeriodState,
)
from thuocdo.reviews.monthly import selectors, services
from thuocdo.web.retry import posted, refused_redirect, typed_again, typed_dict

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _errors(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(error.messages)


def year_board(request: HttpRequest, period: Period) -> HttpResponse:
    """The board of a year for this user: their own evaluations, the people they assess, the
    organiser's and the authority's work, and the funnel per unit."""
    scope = scope_for(request.user)
    funnel = None
    if scope.everything or scope.subtree_paths or scope.led_unit_ids or scope.authority_ids:
        funnel = sel.period_funnel(actor=request.user, period=period)
    typed = typed_again(request)  # a refused reopening: its reason, and the error shown
    reason = typed.get("reason", "") if typed is not None else ""
    return render(
        request,
        "reviews/period_year_board.html",
        {
            "period": period,
            "funnel": funnel,
            "desk": year_desk(actor=request.user, period=period),
            "reopen_form": ReopenForm(initial={"reason": reason}),
            "reopen_refused": typed is not None,
        },
    )


@require_POST
@login_required
def period_open_year(request: HttpRequest) -> HttpResponse:
    """Open a year period over a unit the user organises, creating every evaluation (a job)."""
    form = YearOpenForm(request.POST)
    if not form.is_valid():
        reasons = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Thông tin mở kỳ năm chưa hợp lệ: {reasons}")
        return redirect("reviews:period-list")
    data = form.cleaned_data
    unit = access_unit(request.user, data["unit"])
    if not services.can_manage(request.user, unit):
        messages.error(request, "Chỉ Ban Tổ chức hoặc người đứng đầu được mở kỳ đánh giá.")
        return redirect("reviews:period-list")
    job = job_start(
        kind=YEAR_OPEN,
        actor=request.user,
        unit=unit,
        params={
            "unit_id": unit.pk,
            "actor_id": request.user.pk,
            "year": data["year"],
            "ruleset": data["ruleset"],
            "rulesets": form.rulesets(),
            "self_due": data["self_due"].isoformat() if data["self_due"] else None,
            "review_due": data["review_due"].isoformat() if data["review_due"] else None,
        },
    )
    return job_follow(job)


def _detail_page(request: HttpRequest, evaluation: Evaluation) -> HttpResponse:
    """The evaluation page; after a refused appeal step, with what the user typed."""
    typed: dict[str, Any] = typed_dict(typed_again(request))
    if "appeal" in typed:
        typed["appeal"] = whole_number(typed["appeal"])
    assessments = {
        a.source: a
        for a in AnnualAssessment.objects.filter(evaluation=evaluation).select_related(
            "on_behalf_by__person"
        )
    }
    return render(
        request,
        "reviews/evaluation_detail.html",
        {
            "ev": evaluation,
            "own": assessments.get(AssessmentSource.SELF),
            "leader": assessments.get(AssessmentSource.LEADER),
            "criteria": FORM_CRITERIA[evaluation.form_code],
            "rating_labels": criteria_labels(ruleset_get(evaluation.ruleset)),
            "history": evaluation.history.select_related("concluded_by", "recorded_by"),
            "appeals": evaluation.appeals.all(),
            "window_end": appeal_window_end(evaluation.period),
            "actions": evaluation_actions(request.user, evaluation),
            "may_appeal": appeal_open(request.user, evaluation),
            "may_reexamine": can_organise(request.user, evaluation.period),
            "may_decide": cycle.can_conclude(request.user, evaluation),
            "decide_levels": LEVELS,
            "typed": typed,
        },
    )


@require_GET
@login_required
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """One evaluation: scores, the self-review, the leader's view, the engine's explanation."""
    return _detail_page(request, sel.access_evaluation(request.user, evaluation_id))


@require_GET
@login_required
def evaluation_docx(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The self-review (Mẫu 2A, 2B, 2C, 01) as a Word file, filled from the system."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    content = documents.self_review_docx(evaluation, on=timezone.localdate())
    response = HttpResponse(content, content_type=DOCX)
    name = f"mau-{evaluation.form_code}-{evaluation.period.year}-{evaluation.pk}.docx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_GET
@login_required
def period_evaluations_xlsx(request: HttpRequest, period_id: int) -> HttpResponse:
    """The evaluations of the year the user may see, as Excel (who entered each self-review)."""
    period = selectors.access_period(request.user, period_id)
    content = evaluations_workbook(period, sel.evaluation_list(actor=request.user, period=period))
    response = HttpResponse(content, content_type=XLSX)
    name = f"phieu-danh-gia-nam-{period.year}-{period.pk}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def evaluation_self(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The self-review (Mẫu 2A, 2B, 2C, 01) with its score sheet and self-proposed level,
    written by the person, or entered on their behalf (nhập hộ) by the organiser or the
    direct leader. Nothing is pre-selected: the person chooses their level."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    row = evaluation_actions(request.user, evaluation)
    if not (row.may_write_self or row.may_on_behalf):
        messages.error(request, _closed_reason(evaluation, "bản tự kiểm điểm"))
        return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)
    current = row.own_sheet
    criteria = FORM_CRITERIA[evaluation.form_code]
    initial = {}
    ratings = criteria_labels(ruleset_get(evaluation.ruleset))
    if current:
        initial = {f.name: getattr(current, f.name) for f in current._meta.concrete_fields}
        initial.update({f"strength_{k}": v for k, v in current.strengths.items()})
        initial.update({f"rating_{k}": v for k, v in current.criteria.items()})
    form = SelfReviewForm(
        request.POST or typed_again(request),
        initial=initial,
        criteria=criteria,
        form_code=evaluation.form_code,
        ratings=ratings,
    )
    if request.method == "POST":
        return _self_review_save(request, evaluation, form, row.may_on_behalf, ratings)
    return render(
        request,
        "reviews/evaluation_self_form.html",
        {"ev": evaluation, "form": form, "row": row, "current": current},
    )


def _self_review_save(
    request: HttpRequest,
    evaluation: Evaluation,
    form: SelfReviewForm,
    on_behalf: bool,
    ratings: dict[str, str] | None,
) -> HttpResponse:
    """Save the self-review; refused, back to the form with what was typed."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            cycle.evaluation_self_assess(
                actor=request.user,
                evaluation=evaluation,
                **sheet_values(form, ratings),
                proposed_level=data["proposed_level"],
                strengths=form.strengths(),
                shortcomings=data["shortcomings"],
                causes=data["causes"],
                remedies=data["remedies"],
                responsibility=data.get("responsibility", ""),
                direction=data["direction"],
            )
            done = "Đã lưu bản tự kiểm điểm nhập hộ." if on_behalf else ""
            messages.success(request, done or "Đã lưu bản tự kiểm điểm.")
            if on_behalf:
                return redirect("reviews:period-board", period_id=evaluation.period_id)
            return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    return refused_redirect(request, request.path, posted(request))


@require_POST
@login_required
def evaluation_self_confirm(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The person confirms the self-review entered on their behalf."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    try:
        cycle.evaluation_self_confirm(actor=request.user, evaluation=evaluation)
        messages.success(request, "Đã xác nhận bản tự kiểm điểm nhập hộ.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)


def _closed_reason(evaluation: Evaluation, what: str) -> str:
    """Why a form is not offered: the step is past, or the user is not the one who writes it."""
    if evaluation.period.state == PeriodState.LOCKED:
        return f"{evaluation.period} đã khóa: không sửa {what} được."
    if evaluation.state in (
        EvaluationState.VERIFIED,
        EvaluationState.PROPOSED,
        EvaluationState.CONCLUDED,
        EvaluationState.PUBLISHED,
    ):
        return f"Phiếu đã thẩm định: không sửa {what} được nữa."
    return f"Anh/chị không viết {what} của {evaluation.subject_name}."


@require_http_methods(["GET", "POST"])
@login_required
def evaluation_review(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The direct leader's score and proposed level, beside the self-review."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    row = evaluation_actions(request.user, evaluation)
    if not row.may_review:
        if evaluation.state == EvaluationState.PENDING and can_review(request.user, evaluation):
            messages.error(request, f"{evaluation.subject_name} chưa tự kiểm điểm.")
        else:
            messages.error(request, _closed_reason(evaluation, "đánh giá của lãnh đạo"))
        return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)
    ratings = criteria_labels(ruleset_get(evaluation.ruleset))
    current = row.leader_sheet
    initial: dict[str, Any] = {}
    if current:
        initial = {
            "general": current.general,
            "results": current.results,
            "note": current.note,
            "proposed_level": current.proposed_level,
            **{f"rating_{k}": v for k, v in current.criteria.items()},
        }
    form = LeaderReviewForm(request.POST or typed_again(request), initial=initial, ratings=ratings)
    if request.method == "POST":
        return _review_save(request, evaluation, form, ratings)
    return render(
        request,
        "reviews/evaluation_review_form.html",
        {"ev": evaluation, "own": row.own_sheet, "form": form, "row": row},
    )


def _review_save(
    request: HttpRequest,
    evaluation: Evaluation,
    form: LeaderReviewForm,
    ratings: dict[str, str] | None,
) -> HttpResponse:
    """Save the leader's assessment; refused, back to the form with what was typed."""
    if form.is_valid():
        data = form.cleaned_data
        try:
            cycle.evaluation_review(
                actor=request.user,
                evaluation=evaluation,
                **sheet_values(form, ratings),
                proposed_level=data["proposed_level"],
                note=data["note"],
            )
            messages.success(
                request, f"Đã lưu đánh giá của lãnh đạo cho {evaluation.subject_name}."
            )
            return redirect("reviews:period-board", period_id=evaluation.period_id)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    return refused_redirect(request, request.path, posted(request))


def _verification_page(request: HttpRequest, period: Period) -> HttpResponse:
    """The queue, with the forms ticked before a refused verification still ticked."""
    typed = typed_again(request)
    chosen = None
    if typed is not None:
        chosen = {n for i in typed.getlist("evaluation") if (n := whole_number(i)) is not None}
    evaluations = list(sel.evaluation_list(actor=request.user, period=period))
    queue = [
        ev
        for ev in evaluations
        if ev.state in (EvaluationState.SELF_ASSESSED, EvaluationState.REVIEWED)
    ]
    gauges = sel.quota_gauges(period, evaluations)
    return render(
        request,
        "reviews/period_verification.html",
        {
            "period": period,
            "queue": queue,
            "gauges": gauges,
            "ties": [g for g in gauges if g.ties],
            "chosen": chosen,
            "work": year_desk(actor=request.user, period=period).organiser,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def period_verification(request: HttpRequest, period_id: int) -> HttpResponse:
    """The verification queue with the quota gauges and tie cases; verifying selected rows."""
    period = selectors.access_period(request.user, period_id)
    if request.method == "POST":
        ids = {n for i in request.POST.getlist("evaluation") if (n := whole_number(i)) is not None}
        try:
            count = cycle.evaluations_verify(actor=request.user, period=period, evaluation_ids=ids)
            messages.success(request, f"Đã thẩm định {count} phiếu.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
            return refused_redirect(request, request.path, posted(request, "evaluation"))
        return redirect("reviews:period-verification", period_id=period.pk)
    return _verification_page(request, period)


@require_POST
@login_required
def period_propose(request: HttpRequest, period_id: int) -> HttpResponse:
    """Run the engine over the whole period (organiser), as a job."""
    period = selectors.access_period(request.user, period_id)
    if not can_organise(request.user, period):
        messages.error(request, "Chỉ Ban Tổ chức đề xuất mức xếp loại.")
        return redirect("reviews:period-verification", period_id=period.pk)
    job = job_start(
        kind=YEAR_PROPOSE,
        actor=request.user,
        unit=period.unit,
        params={"period_id": period.pk, "actor_id": request.user.pk},
    )
    return job_follow(job)

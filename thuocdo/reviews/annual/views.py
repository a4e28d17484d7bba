"""Pages of the annual cycle: the organiser's board and verification queue, the self-review,
the leader's form, the authority's conclusions, the published results."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.org.permissions import access_unit
from thuocdo.reviews.annual import appeals, documents
from thuocdo.reviews.annual import selectors as sel
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.levels import FORM_CRITERIA, LEVELS
from thuocdo.reviews.annual.permissions import appeal_window_end, can_organise, is_own
from thuocdo.reviews.annual.tracks import criteria_labels, ruleset_get
from thuocdo.reviews.forms import (
    ConcludeForm,
    LeaderReviewForm,
    ReopenForm,
    SelfReviewForm,
    YearOpenForm,
    sheet_values,
)
from thuocdo.reviews.models import (
    AnnualAssessment,
    AssessmentSource,
    Evaluation,
    EvaluationState,
    Period,
)
from thuocdo.reviews.monthly import selectors, services

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _errors(error: ValidationError | PermissionDenied) -> str:
    if isinstance(error, PermissionDenied):
        return str(error)
    return " ".join(error.messages)


def year_board(request: HttpRequest, period: Period) -> HttpResponse:
    """The organiser's board of a year: the funnel per unit and who is late."""
    funnel = sel.period_funnel(actor=request.user, period=period)
    own = Evaluation.objects.filter(period=period, person__user__pk=request.user.pk or 0)
    return render(
        request,
        "reviews/period_year_board.html",
        {"period": period, "funnel": funnel, "own": own, "reopen_form": ReopenForm()},
    )


@require_POST
@login_required
def period_open_year(request: HttpRequest) -> HttpResponse:
    """Open a year period over a unit the user organises, creating every evaluation."""
    form = YearOpenForm(request.POST)
    if not form.is_valid():
        reasons = " ".join(str(e) for errors in form.errors.values() for e in errors)
        messages.error(request, f"Thông tin mở kỳ năm chưa hợp lệ: {reasons}")
        return redirect("reviews:period-list")
    data = form.cleaned_data
    unit = access_unit(request.user, data["unit"])
    try:
        period = services.period_open(
            actor=request.user,
            unit=unit,
            kind="year",
            year=data["year"],
            number=None,
            ruleset=data["ruleset"],
            rulesets=form.rulesets(),
            self_due=data["self_due"],
            review_due=data["review_due"],
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        return redirect("reviews:period-list")
    messages.success(request, f"Đã mở {period} với {period.evaluations.count()} phiếu đánh giá.")
    return redirect("reviews:period-board", period_id=period.pk)


@require_GET
@login_required
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """One evaluation: scores, the self-review, the leader's view, the engine's explanation."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    assessments = {a.source: a for a in AnnualAssessment.objects.filter(evaluation=evaluation)}
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
            "may_appeal": is_own(request.user, evaluation),
            "may_reexamine": can_organise(request.user, evaluation.period),
            "may_decide": cycle.can_conclude(request.user, evaluation),
        },
    )


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


@require_http_methods(["GET", "POST"])
@login_required
def evaluation_self(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The self-review (Mẫu 2A, 2B, 01) with its score sheet and self-proposed level."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    current = AnnualAssessment.objects.filter(
        evaluation=evaluation, source=AssessmentSource.SELF
    ).first()
    criteria = FORM_CRITERIA[evaluation.form_code]
    initial = {}
    if current:
        initial = {f.name: getattr(current, f.name) for f in current._meta.concrete_fields}
        initial.update({f"strength_{k}": v for k, v in current.strengths.items()})
    ratings = criteria_labels(ruleset_get(evaluation.ruleset))
    if current:
        initial.update({f"rating_{k}": v for k, v in current.criteria.items()})
    form = SelfReviewForm(
        request.POST or None,
        initial=initial,
        criteria=criteria,
        form_code=evaluation.form_code,
        ratings=ratings,
    )
    if request.method == "POST" and form.is_valid():
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
            messages.success(request, "Đã lưu bản tự kiểm điểm.")
            return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    return render(request, "reviews/evaluation_self_form.html", {"ev": evaluation, "form": form})


@require_http_methods(["GET", "POST"])
@login_required
def evaluation_review(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The direct leader's score and proposed level, beside the self-review."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    own = AnnualAssessment.objects.filter(
        evaluation=evaluation, source=AssessmentSource.SELF
    ).first()
    ratings = criteria_labels(ruleset_get(evaluation.ruleset))
    form = LeaderReviewForm(request.POST or None, ratings=ratings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cycle.evaluation_review(
                actor=request.user,
                evaluation=evaluation,
                **sheet_values(form, ratings),
                proposed_level=data["proposed_level"],
                note=data["note"],
            )
            messages.success(request, "Đã lưu đánh giá của lãnh đạo.")
            return redirect("reviews:period-board", period_id=evaluation.period_id)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    return render(
        request,
        "reviews/evaluation_review_form.html",
        {"ev": evaluation, "own": own, "form": form},
    )


@require_http_methods(["GET", "POST"])
@login_required
def period_verification(request: HttpRequest, period_id: int) -> HttpResponse:
    """The verification queue with the quota gauges and tie cases; verifying selected rows."""
    period = selectors.access_period(request.user, period_id)
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("evaluation") if i.isdigit()]
        try:
            count = cycle.evaluations_verify(actor=request.user, period=period, evaluation_ids=ids)
            messages.success(request, f"Đã thẩm định {count} phiếu.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        return redirect("reviews:period-verification", period_id=period.pk)
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
        {"period": period, "queue": queue, "gauges": gauges, "ties": [g for g in gauges if g.ties]},
    )


@require_POST
@login_required
def period_propose(request: HttpRequest, period_id: int) -> HttpResponse:
    """Run the engine over the whole period (organiser)."""
    period = selectors.access_period(request.user, period_id)
    try:
        counts = cycle.period_propose(actor=request.user, period=period)
        messages.success(
            request,
            "Đã đề xuất: "
            + ", ".join(f"{lv} {counts.get(lv, 0)}" for lv in ("HTXS", "HTT", "HTNV", "KHT"))
            + f"; {counts['quota_tie']} trường hợp đồng điểm tại ngưỡng tỷ lệ.",
        )
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-verification", period_id=period.pk)


@require_GET
@login_required
def period_conclusions(request: HttpRequest, period_id: int) -> HttpResponse:
    """ "Kết luận": what the authority concludes, collectives first, members, heads last."""
    period = selectors.access_period(request.user, period_id)
    groups = sel.conclusion_groups(actor=request.user, period=period)
    every = [*groups.collectives, *groups.members, *groups.heads]
    return render(
        request,
        "reviews/period_conclusions.html",
        {
            "period": period,
            "groups": groups,
            "sections": [
                ("Tập thể", groups.collectives),
                ("Cá nhân", groups.members),
                ("Người đứng đầu (kết luận sau tập thể)", groups.heads),
            ],
            "gauges": sel.quota_gauges(period, every),
            "levels": [*LEVELS, "KXL"],
        },
    )


@require_POST
@login_required
def period_accept(request: HttpRequest, period_id: int) -> HttpResponse:
    """Accept, unchanged, every proposal the authority is competent for."""
    period = selectors.access_period(request.user, period_id)
    try:
        result = cycle.evaluations_accept_all(actor=request.user, period=period)
        text = f"Đã kết luận {result['concluded']} đề xuất."
        if result["skipped"]:
            text += f" {result['skipped']} người đứng đầu chờ kết luận riêng (theo tập thể)."
        messages.success(request, text)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-conclusions", period_id=period.pk)


@require_POST
@login_required
def evaluation_conclude(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Conclude one level; a change needs a reason and is refused, with the rule, if it
    breaks a quota, a veto or the head cap."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    form = ConcludeForm(request.POST)
    if form.is_valid():
        try:
            cycle.evaluation_conclude(
                actor=request.user,
                evaluation=evaluation,
                level=form.cleaned_data["level"],
                reason=form.cleaned_data["reason"],
            )
            messages.success(request, f"Đã kết luận: {evaluation.subject_name}.")
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
    return redirect("reviews:period-conclusions", period_id=evaluation.period_id)


@require_POST
@login_required
def period_publish(request: HttpRequest, period_id: int) -> HttpResponse:
    """Publish the concluded results inside the units."""
    period = selectors.access_period(request.user, period_id)
    try:
        count = cycle.period_publish(actor=request.user, period=period)
        messages.success(request, f"Đã công khai {count} kết quả.")
        return redirect("reviews:period-results", period_id=period.pk)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-conclusions", period_id=period.pk)


@require_POST
@login_required
def period_lock(request: HttpRequest, period_id: int) -> HttpResponse:
    """Lock a published period."""
    period = selectors.access_period(request.user, period_id)
    try:
        cycle.period_lock(actor=request.user, period=period)
        messages.success(request, "Đã khóa kỳ đánh giá.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-board", period_id=period.pk)


@require_POST
@login_required
def period_reopen(request: HttpRequest, period_id: int) -> HttpResponse:
    """Reopen a locked period (authority, with a reason)."""
    period = selectors.access_period(request.user, period_id)
    form = ReopenForm(request.POST)
    try:
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        cycle.period_reopen(actor=request.user, period=period, reason=reason)
        messages.success(request, "Đã mở lại kỳ đánh giá; kết quả trước đó được lưu lịch sử.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("reviews:period-board", period_id=period.pk)


@require_GET
@login_required
def period_results(request: HttpRequest, period_id: int) -> HttpResponse:
    """ "Công khai kết quả": levels and scores ranked among equivalent positions."""
    period = selectors.access_period(request.user, period_id)
    rows = sel.published_results(actor=request.user, period=period)
    return render(request, "reviews/period_results.html", {"period": period, "rows": rows})


def _attempt_appeal(request: HttpRequest, action: Callable[[], object], done: str) -> None:
    """Run an appeal step and report its outcome as a message."""
    try:
        action()
        messages.success(request, done)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))


@require_POST
@login_required
def appeal_file(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The evaluated person appeals the published result."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    text = request.POST.get("text", "")
    _attempt_appeal(
        request,
        lambda: appeals.appeal_file(actor=request.user, evaluation=evaluation, text=text),
        "Đã gửi kiến nghị.",
    )
    return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)


@require_POST
@login_required
def appeal_reexamine(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The organiser's re-examination of an appeal."""
    appeal = appeals.access_appeal(request.user, appeal_id)
    note = request.POST.get("note", "")
    _attempt_appeal(
        request,
        lambda: appeals.appeal_reexamine(actor=request.user, appeal=appeal, note=note),
        "Đã ghi ý kiến xem xét lại.",
    )
    return redirect("reviews:evaluation-detail", evaluation_id=appeal.evaluation_id)


@require_POST
@login_required
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The authority upholds or changes the result after an appeal."""
    appeal = appeals.access_appeal(request.user, appeal_id)
    level, reason = request.POST.get("level", ""), request.POST.get("reason", "")
    _attempt_appeal(
        request,
        lambda: appeals.appeal_decide(
            actor=request.user, appeal=appeal, level=level, reason=reason
        ),
        "Đã giải quyết kiến nghị.",
    )
    return redirect("reviews:evaluation-detail", evaluation_id=appeal.evaluation_id)

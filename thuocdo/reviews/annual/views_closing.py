"""Pages of the end of a year: the authority's conclusions (accept all, or one level with a
reason), publication, locking and reopening, the published results, and the appeals. A
refused step sends the browser back to the page of its form (Post/Redirect/Get,
`thuocdo.web.retry`), which shows the reason as an error with what the user typed: reloading
that page never sends the form again."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from thuocdo.jobs.services import job_start
from thuocdo.jobs.views import job_follow
from thuocdo.numbers import whole_number
from thuocdo.reviews.annual import appeals
from thuocdo.reviews.annual import selectors as sel
from thuocdo.reviews.annual import services as cycle
from thuocdo.reviews.annual.desk import may_conclude, year_desk
from thuocdo.reviews.annual.levels import LEVELS
from thuocdo.reviews.annual.permissions import can_publish
from thuocdo.reviews.annual.views import _errors
from thuocdo.reviews.forms import ConcludeForm, ReopenForm
from thuocdo.reviews.jobs import YEAR_PUBLISH
from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly import selectors
from thuocdo.web.retry import posted, refused_redirect, typed_again, typed_dict


def _conclusions_page(request: HttpRequest, period: Period) -> HttpResponse:
    """What the authority concludes, collectives first, members, heads last; each row with its
    form only where the user may conclude it now, and the row of a refused conclusion with the
    level and the reason the user typed."""
    typed: dict[str, Any] = typed_dict(typed_again(request))
    if typed:
        typed["evaluation"] = whole_number(typed.get("evaluation", ""))
    groups = sel.conclusion_groups(actor=request.user, period=period)
    every = [*groups.collectives, *groups.members, *groups.heads]
    open_rows = {ev.pk for ev in every if may_conclude(request.user, ev)}
    desk = year_desk(actor=request.user, period=period)
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
            "open_rows": open_rows,
            "may_accept": groups.waiting > 0 and bool(open_rows),
            "may_publish": desk.may_publish,
            "typed": typed,
        },
    )


def _conclusions_url(period_id: int, evaluation_id: int | None = None) -> str:
    """The conclusions page, at the row of one evaluation if given."""
    url = reverse("reviews:period-conclusions", args=[period_id])
    return f"{url}#ket-luan-{evaluation_id}" if evaluation_id else url


@require_GET
@login_required
def period_conclusions(request: HttpRequest, period_id: int) -> HttpResponse:
    """ "Kết luận": what the authority concludes, collectives first, members, heads last."""
    return _conclusions_page(request, selectors.access_period(request.user, period_id))


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
    breaks a quota, a veto or the head cap: the browser goes back to the conclusions, where
    the refusal shows with the level and the reason the user typed still in the row."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    form = ConcludeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Chọn một mức kết luận hợp lệ.")
        cycle.evaluation_conclude(
            actor=request.user,
            evaluation=evaluation,
            level=form.cleaned_data["level"],
            reason=form.cleaned_data["reason"],
        )
    except (ValidationError, PermissionDenied) as error:
        # Shown in the row, where the browser lands and the typed level and reason are.
        typed = {
            **posted(request, "level", "reason"),
            "evaluation": [str(evaluation.pk)],
            "subject": [evaluation.subject_name],
            "error": [_errors(error)],
        }
        url = _conclusions_url(evaluation.period_id, evaluation.pk)
        return refused_redirect(request, url, typed)
    messages.success(request, f"Đã kết luận: {evaluation.subject_name}.")
    return redirect("reviews:period-conclusions", period_id=evaluation.period_id)


@require_POST
@login_required
def period_publish(request: HttpRequest, period_id: int) -> HttpResponse:
    """Publish the concluded results inside the units, as a job."""
    period = selectors.access_period(request.user, period_id)
    if not can_publish(request.user, period):
        messages.error(request, "Chỉ cấp có thẩm quyền hoặc Ban Tổ chức công khai kết quả.")
        return redirect("reviews:period-board", period_id=period.pk)
    job = job_start(
        kind=YEAR_PUBLISH,
        actor=request.user,
        unit=period.unit,
        params={"period_id": period.pk, "actor_id": request.user.pk},
    )
    return job_follow(job)


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
        board = reverse("reviews:period-board", args=[period.pk])
        return refused_redirect(request, f"{board}#mo-lai", posted(request, "reason"))
    return redirect("reviews:period-board", period_id=period.pk)


@require_GET
@login_required
def period_results(request: HttpRequest, period_id: int) -> HttpResponse:
    """ "Công khai kết quả": levels and scores ranked among equivalent positions."""
    period = selectors.access_period(request.user, period_id)
    rows = sel.published_results(actor=request.user, period=period)
    return render(request, "reviews/period_results.html", {"period": period, "rows": rows})


def _detail_url(evaluation_id: int, anchor: str) -> str:
    return reverse("reviews:evaluation-detail", args=[evaluation_id]) + f"#{anchor}"


@require_POST
@login_required
def appeal_file(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """The evaluated person appeals the published result."""
    evaluation = sel.access_evaluation(request.user, evaluation_id)
    text = request.POST.get("text", "")
    try:
        appeals.appeal_file(actor=request.user, evaluation=evaluation, text=text)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        typed = {"appeal_text": request.POST.getlist("text")}
        return refused_redirect(request, _detail_url(evaluation.pk, "kien-nghi"), typed)
    messages.success(request, "Đã gửi kiến nghị.")
    return redirect("reviews:evaluation-detail", evaluation_id=evaluation.pk)


@require_POST
@login_required
def appeal_reexamine(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The organiser's re-examination of an appeal."""
    appeal = appeals.access_appeal(request.user, appeal_id)
    note = request.POST.get("note", "")
    try:
        appeals.appeal_reexamine(actor=request.user, appeal=appeal, note=note)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        typed = {**posted(request, "note"), "appeal": [str(appeal.pk)]}
        return refused_redirect(request, _detail_url(appeal.evaluation_id, "kien-nghi"), typed)
    messages.success(request, "Đã ghi ý kiến xem xét lại.")
    return redirect("reviews:evaluation-detail", evaluation_id=appeal.evaluation_id)


@require_POST
@login_required
def appeal_decide(request: HttpRequest, appeal_id: int) -> HttpResponse:
    """The authority upholds or changes the result after an appeal."""
    appeal = appeals.access_appeal(request.user, appeal_id)
    level, reason = request.POST.get("level", ""), request.POST.get("reason", "")
    try:
        appeals.appeal_decide(actor=request.user, appeal=appeal, level=level, reason=reason)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
        typed = {**posted(request, "level", "reason"), "appeal": [str(appeal.pk)]}
        return refused_redirect(request, _detail_url(appeal.evaluation_id, "kien-nghi"), typed)
    messages.success(request, "Đã giải quyết kiến nghị.")
    return redirect("reviews:evaluation-detail", evaluation_id=appeal.evaluation_id)

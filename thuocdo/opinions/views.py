"""Pages of the opinion sources: collective meeting and votes, anonymous surveys (organiser and
respondent), related bodies, and everything gathered on one evaluation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.opinions import selectors as sel
from thuocdo.opinions import services
from thuocdo.opinions.forms import (
    ATTENDANCE_ACTIONS,
    AnswerForm,
    BodyAnswerForm,
    BodyRequestForm,
    CodeForm,
    MeetingCloseForm,
    MeetingForm,
    MeetingUnitForm,
    MoreCodesForm,
    SurveyOpenForm,
    VotesForm,
)
from thuocdo.org.models import Unit
from thuocdo.reviews.annual.selectors import access_evaluation
from thuocdo.reviews.models import Period
from thuocdo.reviews.monthly.selectors import access_period
from thuocdo.web.throttle import code_failure_record, code_throttled

PICK_LIST = 20  # units listed as links on the meeting page; more are found with the picker


def _errors(error: ValidationError | PermissionDenied) -> str:
    return str(error) if isinstance(error, PermissionDenied) else " ".join(error.messages)


# -- the evaluation's opinions ---------------------------------------------------------------


@require_GET
@login_required
def evaluation_opinions(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Everything gathered on one evaluation (the fragment, standalone)."""
    evaluation = access_evaluation(request.user, evaluation_id)
    return render(request, "opinions/evaluation_opinions_page.html", {"evaluation": evaluation})


# -- collective meeting ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def meeting_create(request: HttpRequest, period_id: int) -> HttpResponse:
    """Pick the unit, then record the meeting's attendance, quorum rule and minutes."""
    period = access_period(request.user, period_id)
    units = sel.meeting_units(actor=request.user, period=period)
    picker = MeetingUnitForm(
        request.GET if "unit" in request.GET else None,
        units=units,
        source=reverse("opinions:meeting-units", args=[period.pk]),
    )
    if not picker.is_valid():
        # A few units are listed as links; beyond that the picker's suggestions find them.
        shortlist = list(units[: PICK_LIST + 1])
        context = {"period": period, "form": picker, "shortlist": shortlist, "max": PICK_LIST}
        return render(request, "opinions/meeting_pick.html", context)
    unit = picker.cleaned_data["unit"]
    if request.method == "GET" and request.GET["unit"] != unit.code:
        # An old link by the unit's number: on to the address the page gives it now.
        return redirect(f"{request.path}?{urlencode({'unit': unit.code})}")
    return _meeting_record(request, period, unit)


def _meeting_record(request: HttpRequest, period: Period, unit: Unit) -> HttpResponse:
    """The meeting form of the unit: an attendance button redraws it, saving records it."""
    people = sel.unit_members(unit)
    data = request.POST if request.method == "POST" else None
    text = str(request.POST.get("tim", ""))[:100]
    members = sel.meeting_members(unit, text=text)
    action = str(request.POST.get("attendance", ""))
    rule = services.meeting_quorum(period)
    if data is not None and action in ATTENDANCE_ACTIONS:
        shown = [m.person.pk for m in members if m.shown]
        form = MeetingForm.redisplay(data, people=people, action=action, shown=shown)
    else:
        initial = {"quorum_numerator": rule[0], "quorum_denominator": rule[1]}
        form = MeetingForm(data, initial=initial, people=people)
    if form.is_bound and form.is_valid():
        clean = form.cleaned_data
        try:
            meeting = services.meeting_open(
                actor=request.user,
                period=period,
                unit=unit,
                held_on=clean["held_on"],
                chair=clean["chair"],
                secretary=clean["secretary"],
                summoned=list(clean["summoned"]),
                present=list(clean["present"]),
                minutes=clean["minutes"],
                quorum=(clean["quorum_numerator"], clean["quorum_denominator"]),
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return redirect("opinions:meeting-detail", meeting_id=meeting.pk)
    context = {
        "period": period,
        "unit": unit,
        "form": form,
        "rows": form.attendance(members),
        "counts": form.counts(),
        "rule": f"{rule[0]}/{rule[1]}",
        "text": text,
        "narrowed": sum(m.shown for m in members),
    }
    return render(request, "opinions/meeting_form.html", context)


@require_GET
@login_required
def meeting_units(request: HttpRequest, period_id: int) -> HttpResponse:
    """The unit picker's suggestions on the meeting page: units where the user may hold one."""
    period = access_period(request.user, period_id)
    text = str(request.GET.get("unit", ""))[:100]
    units = sel.meeting_unit_suggestions(actor=request.user, period=period, text=text)
    return render(request, "org/_unit_options.html", {"units": units})


@require_GET
@login_required
def meeting_detail(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """The meeting: attendance, quorum, the votes recorded, the vote entry and closing."""
    meeting = sel.access_meeting(request.user, meeting_id)
    evaluations = sel.meeting_evaluations(meeting)
    recorded = {v.evaluation_id: v for v in meeting.votes.all()}
    initial: dict[str, object] = {}
    for ev_id, v in recorded.items():
        initial[f"e{ev_id}_level"] = v.proposed_level
        initial.update({f"e{ev_id}_{k.lower()}": n for k, n in v.counts.items()})
    return render(
        request,
        "opinions/meeting_detail.html",
        {
            "meeting": meeting,
            "votes": meeting.votes.select_related("evaluation__person", "evaluation__unit"),
            "form": VotesForm(initial=initial, evaluations=evaluations),
            "close_form": MeetingCloseForm(initial={"minutes": meeting.minutes}),
            "can_write": services.can_run_meeting(request.user, meeting.unit),
        },
    )


@require_POST
@login_required
def meeting_votes(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Record the levels put to the vote and the counts, evaluation by evaluation."""
    meeting = sel.access_meeting(request.user, meeting_id, write=True)
    form = VotesForm(request.POST, evaluations=sel.meeting_evaluations(meeting))
    if not form.is_valid():
        messages.error(request, "Số phiếu phải là số nguyên không âm.")
        return redirect("opinions:meeting-detail", meeting_id=meeting.pk)
    for evaluation, level, counts in form.votes():
        try:
            services.meeting_record_votes(
                actor=request.user,
                meeting=meeting,
                evaluation=evaluation,
                proposed_level=level,
                counts=counts,
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, f"{evaluation.subject_name}: {_errors(error)}")
    return redirect("opinions:meeting-detail", meeting_id=meeting.pk)


@require_POST
@login_required
def meeting_close(request: HttpRequest, meeting_id: int) -> HttpResponse:
    """Close the meeting with its final minutes."""
    meeting = sel.access_meeting(request.user, meeting_id, write=True)
    form = MeetingCloseForm(request.POST)
    minutes = form.cleaned_data["minutes"] if form.is_valid() else None
    try:
        services.meeting_close(actor=request.user, meeting=meeting, minutes=minutes)
        messages.success(request, "Đã kết thúc cuộc họp.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("opinions:meeting-detail", meeting_id=meeting.pk)


# -- anonymous surveys: the organiser --------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
@login_required
def survey_create(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Open a survey of peers or subordinates; the codes are shown once, to print."""
    evaluation = sel.organisable_evaluation(request.user, evaluation_id)
    form = SurveyOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.survey_open(
                actor=request.user,
                evaluation=evaluation,
                role=form.cleaned_data["role"],
                count=form.cleaned_data["count"],
                closes_on=form.cleaned_data["closes_on"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return render(request, "opinions/survey_codes.html", {"issued": issued})
    return render(request, "opinions/survey_form.html", {"evaluation": evaluation, "form": form})


@require_GET
@login_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """How many codes were issued and used, and the aggregate once it may be read."""
    survey = sel.access_survey(request.user, survey_id)
    return render(
        request,
        "opinions/survey_detail.html",
        {"agg": sel.survey_aggregate(survey), "more_form": MoreCodesForm()},
    )


@never_cache
@require_POST
@login_required
def survey_codes(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Issue more codes, shown once, to print."""
    survey = sel.access_survey(request.user, survey_id)
    form = MoreCodesForm(request.POST)
    if form.is_valid():
        try:
            issued = services.survey_issue_codes(
                actor=request.user, survey=survey, count=form.cleaned_data["count"]
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            return render(request, "opinions/survey_codes.html", {"issued": issued})
    return redirect("opinions:survey-detail", survey_id=survey.pk)


@require_POST
@login_required
def survey_close(request: HttpRequest, survey_id: int) -> HttpResponse:
    """End the survey: no more answers, and the aggregate (≥ 3 answers) can be read."""
    survey = sel.access_survey(request.user, survey_id)
    try:
        services.survey_close(actor=request.user, survey=survey)
        messages.success(request, "Đã kết thúc lấy ý kiến.")
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, _errors(error))
    return redirect("opinions:survey-detail", survey_id=survey.pk)


# -- anonymous surveys: the respondent (no account) ------------------------------------------


def _refused(request: HttpRequest, form: CodeForm, message: str) -> HttpResponse:
    code_failure_record("opinions", request.POST.get("code", ""))
    form.add_error("code", message)
    return render(request, "opinions/response_code.html", {"form": form}, status=400)


@never_cache
@require_http_methods(["GET", "POST"])
def response_create(request: HttpRequest) -> HttpResponse:
    """The respondent types the code, then answers; nothing about them is kept."""
    form = CodeForm(request.POST or None)
    if request.method == "GET":
        return render(request, "opinions/response_code.html", {"form": form})
    throttled = code_throttled("opinions", request.POST.get("code", ""))
    if throttled:
        context = {"form": form, "throttled": throttled}
        return render(request, "opinions/response_code.html", context, status=429)
    if not form.is_valid():
        return _refused(request, form, services.CODE_REFUSED)
    try:
        survey = services.invitation_survey(form.cleaned_data["code"])
    except ValidationError as error:
        return _refused(request, form, _errors(error))
    criteria = services.criteria_of(survey.evaluation)
    answer = AnswerForm(
        request.POST if "answering" in request.POST else None,
        initial={"code": form.cleaned_data["code"]},
        criteria=criteria,
    )
    if answer.is_bound and answer.is_valid():
        try:
            services.response_submit(code=answer.cleaned_data["code"], answers=answer.answers())
        except ValidationError as error:
            return _refused(request, form, _errors(error))
        return render(request, "opinions/response_done.html")
    return render(request, "opinions/response_form.html", {"survey": survey, "form": answer})


# -- related bodies --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def bodyrequest_create(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    """Ask a related body for its opinion on the evaluation, with a deadline."""
    evaluation = sel.organisable_evaluation(request.user, evaluation_id)
    form = BodyRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.body_request_create(
                actor=request.user,
                evaluation=evaluation,
                body_unit=data["body_unit_code"],
                body_name=data["body_name"],
                question=data["question"],
                due_on=data["due_on"],
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, "Đã gửi yêu cầu xin ý kiến.")
            return redirect("opinions:evaluation-opinions", evaluation_id=evaluation.pk)
    return render(
        request, "opinions/bodyrequest_form.html", {"evaluation": evaluation, "form": form}
    )


@require_GET
@login_required
def bodyrequest_list(request: HttpRequest) -> HttpResponse:
    """Requests addressed to the bodies the user belongs to."""
    return render(
        request, "opinions/bodyrequest_list.html", {"rows": sel.body_requests_for(request.user)}
    )


@require_http_methods(["GET", "POST"])
@login_required
def bodyrequest_answer(request: HttpRequest, request_id: int) -> HttpResponse:
    """The request, and the body's answer form for whoever may answer it."""
    body_request = sel.access_body_request(request.user, request_id)
    can_answer = services.can_answer_body_request(request.user, body_request)
    form = BodyAnswerForm(request.POST or None)
    if request.method == "POST":
        if not can_answer:
            raise PermissionDenied("Bạn chỉ có quyền xem yêu cầu này.")
        if form.is_valid():
            try:
                services.body_request_answer(
                    actor=request.user,
                    request=body_request,
                    opinion=form.cleaned_data["opinion"],
                    proposed_level=form.cleaned_data["proposed_level"],
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, _errors(error))
            else:
                messages.success(request, "Đã ghi nhận ý kiến.")
                return redirect("opinions:bodyrequest-answer", request_id=body_request.pk)
    status, label = sel.body_status(body_request)
    return render(
        request,
        "opinions/bodyrequest_answer.html",
        {
            "req": body_request,
            "status": status,
            "status_label": label,
            "form": form if can_answer else None,
        },
    )

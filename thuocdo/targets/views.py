"""Pages of targets: the list of sets in scope, the head's dashboard, uploads and records."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.jobs.models import Job
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import template_response, upload_page
from thuocdo.targets import selectors, services
from thuocdo.targets.exports import dashboard_workbook
from thuocdo.targets.forms import (
    ActualForm,
    CouncilAssessmentForm,
    TargetSetImportForm,
    TransitionForm,
)
from thuocdo.targets.imports import WORKBOOK
from thuocdo.targets.jobs import TARGETS_IMPORT
from thuocdo.targets.permissions import access_target_set, can_change, may_create_targets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _messages_of(error: ValidationError) -> list[str]:
    """A service's refusal as sentences for the page."""
    return list(error.messages)


@require_GET
@login_required
def set_list(request: HttpRequest) -> HttpResponse:
    """Target sets the user may see, each with its summary."""
    rows = selectors.target_set_summaries(actor=request.user)
    context = {"rows": rows, "may_create": may_create_targets(request.user)}
    return render(request, "targets/targetset_list.html", context)


@require_GET
@login_required
def set_detail(request: HttpRequest, set_id: int) -> HttpResponse:
    """The head's targets dashboard: achievement bars by group, missed main targets, summary."""
    target_set = access_target_set(request.user, set_id)
    context = {
        "dashboard": selectors.targets_dashboard(target_set),
        "may_manage": can_change(request.user, target_set, "manage"),
        "may_record": can_change(request.user, target_set, "actuals"),
        "may_assess": can_change(request.user, target_set, "council"),
    }
    return render(request, "targets/targetset_dashboard.html", context)


@require_GET
@login_required
def set_export(request: HttpRequest, set_id: int) -> HttpResponse:
    """The dashboard as an Excel workbook."""
    target_set = access_target_set(request.user, set_id)
    content = dashboard_workbook(selectors.targets_dashboard(target_set))
    response = HttpResponse(content, content_type=XLSX)
    name = f"chi-tieu-{target_set.unit.code}-{target_set.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_http_methods(["GET", "POST"])
@login_required
def set_import(request: HttpRequest, set_id: int) -> HttpResponse:
    """Upload indicators and actuals into a set, imported by a job: every problem is listed on
    the job's page, nothing half-written."""
    target_set = access_target_set(request.user, set_id, write=True)
    return upload_page(
        request,
        template="targets/targetset_import.html",
        start=lambda data: import_job_start(
            kind=TARGETS_IMPORT,
            actor=request.user,
            upload=data["file"],
            unit=target_set.unit,
            params={"set_id": target_set.pk},
        ),
        context={"target_set": target_set},
    )


@require_http_methods(["GET", "POST"])
@login_required
def set_import_new(request: HttpRequest) -> HttpResponse:
    """Upload a workbook for a unit and year; the set is created (as a draft) if missing."""
    if not may_create_targets(request.user):
        raise PermissionDenied("Chỉ Ban Tổ chức được giao chỉ tiêu.")

    def start(data: dict[str, Any]) -> Job:
        unit, year = data["unit"], data["year"]
        return import_job_start(
            kind=TARGETS_IMPORT,
            actor=request.user,
            upload=data["file"],
            unit=unit,
            params={"unit_id": unit.pk, "year": year},
        )

    form = TargetSetImportForm(request.POST or None, request.FILES or None, actor=request.user)
    return upload_page(request, template="targets/targetset_import.html", start=start, form=form)


@require_GET
@login_required
def template_download(request: HttpRequest) -> HttpResponse:
    """The empty targets workbook with its instruction sheet."""
    return template_response(WORKBOOK)


@require_http_methods(["GET", "POST"])
@login_required
def actual_create(request: HttpRequest, set_id: int) -> HttpResponse:
    """Record the result of an indicator for a month, with its evidence."""
    target_set = access_target_set(request.user, set_id, write=True, action="actuals")
    form = ActualForm(request.POST or None, request.FILES or None, target_set=target_set)
    if request.method == "POST" and form.is_valid():
        try:
            services.actual_record(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã ghi kết quả thực hiện.")
            return redirect("targets:set-detail", set_id=target_set.pk)
    return render(request, "targets/actual_form.html", {"form": form, "target_set": target_set})


@require_http_methods(["GET", "POST"])
@login_required
def council_record(request: HttpRequest, set_id: int) -> HttpResponse:
    """Record the advisory council's assessment of the head's results."""
    target_set = access_target_set(request.user, set_id, write=True, action="council")
    existing = getattr(target_set, "council_assessment", None)
    initial = (
        {f: getattr(existing, f) for f in CouncilAssessmentForm.base_fields} if existing else None
    )
    form = CouncilAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.council_assessment_record(
                actor=request.user, target_set=target_set, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Đã ghi đánh giá của Hội đồng tư vấn.")
            return redirect("targets:set-detail", set_id=target_set.pk)
    return render(request, "targets/council_form.html", {"form": form, "target_set": target_set})


@require_POST
@login_required
def set_transition(request: HttpRequest, set_id: int) -> HttpResponse:
    """Assign, close or reopen (with a reason) a set."""
    target_set = access_target_set(request.user, set_id, write=True)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Yêu cầu không hợp lệ.")
        return redirect("targets:set-detail", set_id=target_set.pk)
    action, data = form.cleaned_data["action"], form.cleaned_data
    try:
        if action == "assign":
            services.target_set_assign(
                actor=request.user, target_set=target_set, decision_number=data["decision_number"]
            )
        elif action == "close":
            services.target_set_close(actor=request.user, target_set=target_set)
        else:
            services.target_set_reopen(
                actor=request.user, target_set=target_set, reason=data["reason"]
            )
    except ValidationError as error:
        for message in _messages_of(error):
            messages.error(request, message)
    else:
        messages.success(request, f"Bộ chỉ tiêu: {target_set.get_state_display()}.")
    return redirect("targets:set-detail", set_id=target_set.pk)

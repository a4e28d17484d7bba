"""Pages of the work record: "Tháng của tôi" for everyone, "Đơn vị của tôi" for leaders."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.org.scope import scope_for, today
from thuocdo.reviews.monthly.selectors import month_preview
from thuocdo.spreadsheets.web import template_response, upload_page
from thuocdo.web.http import HtmxHttpRequest
from thuocdo.work import forms, selectors, services
from thuocdo.work.catalogue import WORKBOOK, catalogue_export, catalogue_import
from thuocdo.work.models import Notification
from thuocdo.work.permissions import access_exemption, access_plan, access_task

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _month_of(request: HttpRequest) -> tuple[int, int]:
    """The month worked on: `thang=YYYY-MM` may pick the previous month (finishing its record
    early in the new month, before it is locked); anything else means the current month."""
    at = today()
    current = (at.year, at.month)
    previous = (at.year - 1, 12) if at.month == 1 else (at.year, at.month - 1)
    raw = request.GET.get("thang") or request.POST.get("thang") or ""
    try:
        year, month = (int(part) for part in raw.split("-"))
    except ValueError:
        return current
    return (year, month) if (year, month) in (current, previous) else current


def _back_to_month(year: int, month: int) -> HttpResponse:
    """Return to "Tháng của tôi" on the given month."""
    return redirect(f"{reverse('work:month-detail')}?thang={year}-{month:02d}")


def _my_person(request: HttpRequest) -> Any:
    """The logged-in user's person; a login without one has no month of its own."""
    person = getattr(request.user, "person", None)
    if person is None:
        raise Http404("Tài khoản này chưa gắn với cán bộ nào.")
    return person


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service; show its Vietnamese refusal as a message instead of failing the page."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True


def _require_writer(request: HttpRequest) -> None:
    """Only organisers and administrators edit the catalogue."""
    scope = scope_for(request.user)
    if not (scope.everything or scope.write_paths):
        raise PermissionDenied("Chỉ Ban Tổ chức được nhập danh mục sản phẩm.")


def _form_errors(request: HttpRequest, form: Any) -> None:
    """Show a form's errors as one message."""
    messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))


@require_GET
@login_required
def month_detail(request: HttpRequest) -> HttpResponse:
    """My tasks this month, overdue first, with the forms to register and report."""
    person, at = _my_person(request), today()
    year, month = _month_of(request)
    context = {
        "person": person,
        "year": year,
        "month": month,
        "is_current": (year, month) == (at.year, at.month),
        "at": at,
        "plan": selectors.plan_for(person, year, month),
        "tasks": selectors.my_month_tasks(person=person, year=year, month=month, at=at),
        "register_form": forms.TaskRegisterForm(products=selectors.product_types_for(person, at)),
        "lock": selectors.month_lock_for(person, year, month),
        "score": month_preview(person, year, month),
    }
    return render(request, "work/month_detail.html", context)


@require_POST
@login_required
def task_register(request: HttpRequest) -> HttpResponse:
    """Register a task in my current (or previous) month."""
    person, at = _my_person(request), today()
    year, month = _month_of(request)
    form = forms.TaskRegisterForm(request.POST, products=selectors.product_types_for(person, at))
    if not form.is_valid():
        _form_errors(request, form)
        return _back_to_month(year, month)
    _attempt(
        request,
        lambda: services.task_register(
            actor=request.user, person=person, year=year, month=month, **form.cleaned_data
        ),
        "Đã đăng ký nhiệm vụ.",
    )
    return _back_to_month(year, month)


@require_POST
@login_required
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Send my plan to my leader."""
    plan = access_plan(request.user, plan_id)
    _attempt(request, lambda: services.plan_submit(actor=request.user, plan=plan), "Đã gửi duyệt.")
    return _back_to_month(plan.year, plan.month)


@require_POST
@login_required
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    """Record progress on one of my tasks."""
    task = access_task(request.user, task_id, write=True)
    form = forms.ProgressForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.task_progress_update(
                actor=request.user, task=task, **form.cleaned_data
            ),
            "Đã cập nhật tiến độ.",
        )
    else:
        _form_errors(request, form)
    return _back_to_month(task.plan.year, task.plan.month)


@require_POST
@login_required
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    """Report one of my tasks done, with its evidence."""
    task = access_task(request.user, task_id, write=True)
    form = forms.CompleteForm(request.POST, request.FILES)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.task_complete(actor=request.user, task=task, **form.cleaned_data),
            "Đã báo cáo hoàn thành; chờ lãnh đạo xác nhận.",
        )
    else:
        _form_errors(request, form)
    return _back_to_month(task.plan.year, task.plan.month)


@require_POST
@login_required
def exemption_request(request: HttpRequest, task_id: int) -> HttpResponse:
    """Ask an objective-cause exemption for a delay or an error."""
    task = access_task(request.user, task_id, write=True)
    form = forms.ExemptionRequestForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.exemption_request(actor=request.user, task=task, **form.cleaned_data),
            "Đã gửi đề nghị miễn trừ.",
        )
    else:
        _form_errors(request, form)
    return _back_to_month(task.plan.year, task.plan.month)


@require_GET
@login_required
def team_detail(request: HttpRequest) -> HttpResponse:
    """What waits for me as a leader, and my people's month."""
    at = today()
    rows, people_page = selectors.team_month(
        actor=request.user, year=at.year, month=at.month, at=at, page=request.GET.get("trang", 1)
    )
    context = {
        "queue": selectors.leader_queue(actor=request.user),
        "rows": rows,
        "people_page": people_page,
        "year": at.year,
        "month": at.month,
        "verdicts": forms.VERDICTS,
    }
    return render(request, "work/team_detail.html", context)


@require_POST
@login_required
def task_verify(request: HtmxHttpRequest, task_id: int) -> HttpResponse:
    """One row action on a completion: Đạt / Chưa đạt / Vượt yêu cầu / Trễ hạn (htmx)."""
    task = access_task(request.user, task_id, write=True)
    form = forms.VerifyForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            task = services.task_verify(actor=request.user, task=task, **form.service_kwargs())
        except ValidationError as refused:
            error = " ".join(refused.messages)
    else:
        error = "Lựa chọn không hợp lệ."
    context = {"task": task, "error": error, "verdicts": forms.VERDICTS}
    if request.htmx:
        return render(request, "work/team_detail.html#completion", context)
    if error:
        messages.error(request, error)
    return redirect("work:team-detail")


@require_POST
@login_required
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Approve a submitted plan as it is (amendments go through the API or the service)."""
    plan = access_plan(request.user, plan_id, write=True)
    _attempt(
        request, lambda: services.plan_approve(actor=request.user, plan=plan), "Đã duyệt kế hoạch."
    )
    return redirect("work:team-detail")


@require_POST
@login_required
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Return a submitted plan with a reason."""
    plan = access_plan(request.user, plan_id, write=True)
    form = forms.ReasonForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.plan_return(actor=request.user, plan=plan, **form.cleaned_data),
            "Đã trả lại kế hoạch.",
        )
    else:
        _form_errors(request, form)
    return redirect("work:team-detail")


@require_POST
@login_required
def exemption_decide(request: HttpRequest, exemption_id: int) -> HttpResponse:
    """Confirm or refuse an exemption request, with a reason."""
    exemption = access_exemption(request.user, exemption_id, write=True)
    form = forms.DecisionForm(request.POST)
    if form.is_valid():
        _attempt(
            request,
            lambda: services.exemption_decide(
                actor=request.user, exemption=exemption, **form.cleaned_data
            ),
            "Đã ghi quyết định.",
        )
    else:
        _form_errors(request, form)
    return redirect("work:team-detail")


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """My reminders and notices, newest first."""
    notes = selectors.notification_list(user=request.user)[:100]
    return render(request, "work/notification_list.html", {"notifications": notes})


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of my notifications read."""
    note = get_object_or_404(Notification, pk=notification_id, user_id=request.user.pk)
    services.notification_mark_read(actor=request.user, notification=note)
    return redirect(note.link or reverse("work:notification-list"))


@require_http_methods(["GET", "POST"])
@login_required
def catalogue_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a catalogue workbook; all problems listed, nothing written unless all is well."""
    _require_writer(request)
    return upload_page(
        request,
        template="work/catalogue_import.html",
        run=lambda data: catalogue_import(actor=request.user, source=data["file"]),
        context={"positions": selectors.job_positions(actor=request.user)},
    )


@require_GET
@login_required
def catalogue_template(request: HttpRequest) -> HttpResponse:
    """The empty catalogue workbook with its instruction sheet."""
    _require_writer(request)
    return template_response(WORKBOOK)


@require_GET
@login_required
def catalogue_export_view(request: HttpRequest, position_id: int) -> HttpResponse:
    """Download a job position's catalogue as the workbook the import reads."""
    position = get_object_or_404(selectors.job_positions(actor=request.user), pk=position_id)
    buffer = io.BytesIO()
    catalogue_export(position, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="danh-muc-{position.code}.xlsx"'
    return response


@require_GET
@login_required
def task_evidence(request: HttpRequest, task_id: int) -> FileResponse:
    """The evidence file of a task, only to those who may see the task (never a public URL)."""
    task = access_task(request.user, task_id)
    if not task.evidence_file:
        raise Http404("Nhiệm vụ này không có tệp minh chứng.")
    name = str(task.evidence_file.name).rsplit("/", 1)[-1]
    return FileResponse(task.evidence_file.open("rb"), as_attachment=True, filename=name)

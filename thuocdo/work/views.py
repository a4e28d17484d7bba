"""Pages of the work record: "Tháng của tôi" for everyone, "Đơn vị của tôi" for leaders.

A refused form sends the browser back to its page, on the row it was sent from, with the reason
and what the user typed (`thuocdo.web.retry`): no page is rendered in answer to a POST, so a
reload never sends a form again. The htmx row action (verifying a completion) answers its row
in place, which a reload does not send again."""

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
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.numbers import whole_number
from thuocdo.org.scope import today
from thuocdo.reviews.monthly.selectors import month_preview
from thuocdo.reviews.monthly.team import organised_progress, team_scoring
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import template_response, upload_page
from thuocdo.web.http import HtmxHttpRequest
from thuocdo.web.pagecache import page_render
from thuocdo.web.retry import posted, refused_redirect, typed_again
from thuocdo.work import forms, reminders, selectors, services
from thuocdo.work.catalogue import WORKBOOK, catalogue_export
from thuocdo.work.jobs import CATALOGUE_IMPORT, REFUSAL, may_import_catalogue
from thuocdo.work.models import Notification, PlanState
from thuocdo.work.permissions import access_exemption, access_plan, access_task, overseen_people
from thuocdo.work.todo import own_work

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
    if not may_import_catalogue(request.user):
        raise PermissionDenied(REFUSAL)


def _reason(error: ValidationError | PermissionDenied) -> str:
    """A refusal's Vietnamese reason, as one sentence."""
    return " ".join(getattr(error, "messages", None) or [str(error)])


def _refusal(request: HttpRequest, to: str, action: str, target: int, error: str) -> HttpResponse:
    """Back to the page at `to` after a refused form: what was typed, the form (`action` of
    the row `target`) and the reason wait there for the next GET (`_retry`)."""
    typed = {
        **posted(request),
        "retry-action": [action],
        "retry-id": [str(target)],
        "retry-error": [error],
    }
    return refused_redirect(request, to, typed)


def _retry(request: HttpRequest) -> dict[str, Any]:
    """The form of this page just refused: its action, its row, the reason and what was typed
    (`data`); empty when none was. Read once: a reload shows the page afresh."""
    data = typed_again(request)
    if data is None:
        return {}
    return {
        "action": data.get("retry-action", ""),
        "id": whole_number(data.get("retry-id", "")) or 0,
        "error": data.get("retry-error", ""),
        "data": data,
    }


def _month_url(year: int, month: int, anchor: str = "") -> str:
    return f"{reverse('work:month-detail')}?thang={year}-{month:02d}" + (
        f"#{anchor}" if anchor else ""
    )


def _month_page(request: HttpRequest, year: int, month: int) -> HttpResponse:
    """ "Tháng của tôi" on a month; after a refusal, with the reason in the form's row and what
    the user typed kept in the form (`retry`)."""
    person = _my_person(request)
    retry = _retry(request)

    def build() -> dict[str, Any]:
        at = today()
        plan = selectors.plan_for(person, year, month)
        lock = selectors.month_lock_for(person, year, month)
        is_current = (year, month) == (at.year, at.month)
        tasks = selectors.my_month_tasks(person=person, year=year, month=month, at=at)
        products = selectors.product_types_for(person, at)
        registering = retry.get("action") == "register"
        # The reason shows in its row, or above the tasks when the row has no form any more.
        retry["shown"] = registering or (
            lock is None and any(t.pk == retry.get("id") for t in tasks)
        )
        return {
            "person": person,
            "year": year,
            "month": month,
            "is_current": is_current,
            "at": at,
            "plan": plan,
            "tasks": tasks,
            # The plan's own tasks are among the month's tasks: no query to know it has some.
            "plan_has_tasks": plan is not None and any(t.plan_id == plan.pk for t in tasks),
            "register_form": forms.TaskRegisterForm(retry["data"], products=products)
            if registering
            else forms.TaskRegisterForm(products=products),
            "can_register": selectors.own_register_open(
                plan=plan, is_current=is_current, lock=lock
            ),
            "lock": lock,
            "score": month_preview(person, year, month),
            "retry": retry,
        }

    return page_render(request, "work/month_detail.html", build, fresh=bool(retry))


@require_GET
@login_required
def month_detail(request: HttpRequest) -> HttpResponse:
    """My tasks this month, overdue first, with the forms to register and report."""
    year, month = _month_of(request)
    return _month_page(request, year, month)


@require_POST
@login_required
def task_register(request: HttpRequest) -> HttpResponse:
    """Register a task in my current month; refused, back to the form with what was typed
    (its fields' own errors show under them)."""
    person, at = _my_person(request), today()
    year, month = _month_of(request)
    form = forms.TaskRegisterForm(request.POST, products=selectors.product_types_for(person, at))
    error = ""
    if (year, month) != (at.year, at.month):
        error = "Tháng đã qua không nhận đăng ký nhiệm vụ mới."
    elif form.is_valid():
        try:
            services.task_register(
                actor=request.user, person=person, year=year, month=month, **form.cleaned_data
            )
        except ValidationError as refused:
            error = " ".join(refused.messages)
    if error or form.errors:
        return _refusal(request, _month_url(year, month, "dang-ky"), "register", 0, error)
    messages.success(request, "Đã đăng ký nhiệm vụ.")
    return _back_to_month(year, month)


@require_POST
@login_required
def plan_submit(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Send my plan to my leader."""
    plan = access_plan(request.user, plan_id)
    _attempt(request, lambda: services.plan_submit(actor=request.user, plan=plan), "Đã gửi duyệt.")
    return _back_to_month(plan.year, plan.month)


def _task_action(
    request: HttpRequest,
    task_id: int,
    action: str,
    form: Any,
    run: Callable[[Any, Any], object],
    success: str,
) -> HttpResponse:
    """One of my task's forms: on success back to the month, on refusal back to the task's row
    with the reason, the form open and what was typed in it."""
    task = access_task(request.user, task_id, write=True)
    year, month = task.plan.year, task.plan.month
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
        run(task, form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        to = _month_url(year, month, f"nhiem-vu-{task.pk}")
        return _refusal(request, to, action, task.pk, _reason(error))
    messages.success(request, success)
    return _back_to_month(year, month)


@require_POST
@login_required
def task_progress(request: HttpRequest, task_id: int) -> HttpResponse:
    """Record progress on one of my tasks."""
    return _task_action(
        request,
        task_id,
        "progress",
        forms.ProgressForm(request.POST),
        lambda task, data: services.task_progress_update(actor=request.user, task=task, **data),
        "Đã cập nhật tiến độ.",
    )


@require_POST
@login_required
def task_complete(request: HttpRequest, task_id: int) -> HttpResponse:
    """Report one of my tasks done, with its evidence."""
    return _task_action(
        request,
        task_id,
        "complete",
        forms.CompleteForm(request.POST, request.FILES),
        lambda task, data: services.task_complete(actor=request.user, task=task, **data),
        "Đã báo cáo hoàn thành; chờ lãnh đạo xác nhận.",
    )


@require_POST
@login_required
def exemption_request(request: HttpRequest, task_id: int) -> HttpResponse:
    """Ask an objective-cause exemption for a delay or an error."""
    return _task_action(
        request,
        task_id,
        "exemption",
        forms.ExemptionRequestForm(request.POST),
        lambda task, data: services.exemption_request(actor=request.user, task=task, **data),
        "Đã gửi đề nghị miễn trừ.",
    )


def _team_person(request: HttpRequest) -> Any:
    """The one person the page is narrowed to (`can-bo`), who must be one of the actor's."""
    raw = request.GET.get("can-bo") or request.POST.get("can-bo")
    if not raw:
        return None
    person = overseen_people(request.user).filter(pk=whole_number(raw) or 0).first()
    if person is None:
        raise Http404("Không tìm thấy cán bộ.")
    return person


def _team_page(request: HttpRequest) -> HttpResponse:
    """ "Đơn vị của tôi": what waits for me, and beside each of my people what I owe them this
    month with a link to do it; after a refusal, with what I typed kept (`retry`). What is
    counted as left to do is the work of the people I lead directly (as on the home page);
    the rest listed is what I may do for others, their direct leaders' work. An organiser
    follows the progress of the units under them."""
    person = _team_person(request)
    retry = _retry(request)

    def build() -> dict[str, Any]:
        at = today()
        year, month = _month_of(request)
        rows, people_page = selectors.team_month(
            actor=request.user,
            year=year,
            month=month,
            at=at,
            page=request.GET.get("trang", 1),
            person=person,
        )
        scoring = team_scoring(
            actor=request.user,
            people=[r["person"] for r in rows],
            year=year,
            month=month,
            locked=frozenset(r["person"].pk for r in rows if r["lock"]),
        )
        own = own_work(request.user, person.pk if person is not None else None)
        for row in rows:
            row["scoring"] = scoring.people.get(row["person"].pk)
            row["direct"] = row["person"].pk in own.people
            plan = row["plan"]
            row["owed"] = (
                row["waiting"]
                + bool(plan is not None and plan.state == PlanState.SUBMITTED and not row["lock"])
                + bool(row["scoring"] is not None and row["scoring"].leader_due)
            )
        queue = selectors.leader_queue(actor=request.user, person=person, pages=request.GET)
        # The reason shows in its row, or above the lists when the row is not on the page.
        rows_of: dict[str, list[Any]] = {
            "approve": queue.plans,
            "return": queue.plans,
            "verify": queue.completions,
            "exemption": queue.exemptions,
        }
        listed = rows_of.get(retry.get("action", ""), [])
        retry["shown"] = any(item.pk == retry.get("id") for item in listed)
        return {
            "own": own,
            "progress": organised_progress(actor=request.user, year=year, month=month),
            "queue": queue,
            # Each list of the queue pages on its own: its links keep the other parameters.
            "queue_queries": {
                kind: _query_without(request, param)
                for kind, param in selectors.QUEUE_PARAMS.items()
            },
            "rows": rows,
            # The locks closing the month of people on the page, each said once above them.
            "locks": list({r["lock"].pk: r["lock"] for r in rows if r["lock"]}.values()),
            "people_page": people_page,
            "scoring": scoring,
            "person": person,
            "year": year,
            "month": month,
            "is_current": (year, month) == (at.year, at.month),
            "verdicts": forms.VERDICTS,
            "retry": retry,
        }

    return page_render(request, "work/team_detail.html", build, fresh=bool(retry))


def _query_without(request: HttpRequest, param: str) -> str:
    """The page's query string without one parameter (a list's page links keep the rest)."""
    query = request.GET.copy()
    query.pop(param, None)
    return query.urlencode()


@require_GET
@login_required
def team_detail(request: HttpRequest) -> HttpResponse:
    """What waits for me as a leader, and my people's month."""
    return _team_page(request)


def _team_url(request: HttpRequest, anchor: str = "") -> str:
    """ "Đơn vị của tôi" as the form was sent from (month and person kept), at `anchor`."""
    keep = {k: request.POST[k] for k in ("thang", "can-bo") if request.POST.get(k)}
    query = "&".join(f"{k}={v}" for k, v in keep.items())
    return (
        reverse("work:team-detail")
        + (f"?{query}" if query else "")
        + (f"#{anchor}" if anchor else "")
    )


def _back_to_team(request: HttpRequest) -> HttpResponse:
    """Back to "Đơn vị của tôi" as it was (month and person kept)."""
    return redirect(_team_url(request))


def _team_action(
    request: HttpRequest,
    action: str,
    target: int,
    form: Any,
    run: Callable[[Any], object],
    success: str,
) -> HttpResponse:
    """A form of the team page: back to it on success; on refusal back to the form's row
    (`anchor` + `target`) with the reason and what was typed."""
    try:
        if not form.is_valid():
            raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
        run(form.cleaned_data)
    except (ValidationError, PermissionDenied) as error:
        anchor = f"{'mien-tru' if action == 'exemption' else 'ke-hoach'}-{target}"
        return _refusal(request, _team_url(request, anchor), action, target, _reason(error))
    messages.success(request, success)
    return _back_to_team(request)


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
    reason = request.POST.get("reason", "")
    context = {"task": task, "error": error, "reason": reason, "verdicts": forms.VERDICTS}
    if request.htmx:
        return render(request, "work/team_detail.html#completion", context)
    if error:
        return _refusal(request, _team_url(request, f"task-{task.pk}"), "verify", task.pk, error)
    messages.success(request, "Đã ghi xác nhận.")
    return _back_to_team(request)


@require_POST
@login_required
def plan_approve(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Approve a submitted plan as it is (amendments go through the API or the service)."""
    plan = access_plan(request.user, plan_id, write=True)
    return _team_action(
        request,
        "approve",
        plan.pk,
        forms.ConfirmForm(request.POST),
        lambda data: services.plan_approve(actor=request.user, plan=plan),
        "Đã duyệt kế hoạch.",
    )


@require_POST
@login_required
def plan_return(request: HttpRequest, plan_id: int) -> HttpResponse:
    """Return a submitted plan with a reason."""
    plan = access_plan(request.user, plan_id, write=True)
    return _team_action(
        request,
        "return",
        plan.pk,
        forms.ReasonForm(request.POST),
        lambda data: services.plan_return(actor=request.user, plan=plan, **data),
        "Đã trả lại kế hoạch.",
    )


@require_POST
@login_required
def exemption_decide(request: HttpRequest, exemption_id: int) -> HttpResponse:
    """Confirm or refuse an exemption request, with a reason."""
    exemption = access_exemption(request.user, exemption_id, write=True)
    return _team_action(
        request,
        "exemption",
        exemption.pk,
        forms.DecisionForm(request.POST),
        lambda data: services.exemption_decide(actor=request.user, exemption=exemption, **data),
        "Đã ghi quyết định.",
    )


@require_GET
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    """My reminders and notices, newest first."""
    notes = selectors.notification_list(user=request.user)
    context = {
        "notifications": notes[:100],
        "unread": selectors.notification_list(user=request.user, unread_only=True).count(),
    }
    return render(request, "work/notification_list.html", context)


def _back_to(request: HttpRequest, default: str) -> HttpResponse:
    """Back to the page the form came from (`next`, on this site only), else `default`."""
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else default)


@require_POST
@login_required
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark one of my notifications read, then open what it is about ("Xem") or go back to
    where the button was ("Đã đọc")."""
    note = get_object_or_404(Notification, pk=notification_id, user_id=request.user.pk)
    reminders.notification_mark_read(actor=request.user, notification=note)
    if request.POST.get("action") != "read" and note.link:
        return redirect(note.link)
    return _back_to(request, reverse("work:notification-list"))


@require_POST
@login_required
def notification_read_all(request: HttpRequest) -> HttpResponse:
    """Mark all my notifications read."""
    count = reminders.notification_mark_all_read(actor=request.user)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return _back_to(request, reverse("work:notification-list"))


@require_http_methods(["GET", "POST"])
@login_required
def catalogue_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a catalogue workbook; all problems listed, nothing written unless all is well."""
    _require_writer(request)
    return upload_page(
        request,
        template="work/catalogue_import.html",
        start=lambda data: import_job_start(
            kind=CATALOGUE_IMPORT, actor=request.user, upload=data["file"]
        ),
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

"""The organiser's page «Khóa sổ tháng»: the locks in force for a month, closing the month for a
unit and its subtree, and reopening it with a reason (thuocdo/work/locking.py). A refused form
sends the browser back to the page with the reason and what was typed (`thuocdo.web.retry`), so
a reload never sends it again."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from thuocdo.org.models import Unit
from thuocdo.org.scope import scope_for, today, units_write_q
from thuocdo.web.retry import posted, refused_redirect, typed_again
from thuocdo.work.forms import MonthLockForm, MonthReopenForm
from thuocdo.work.locking import (
    REFUSED,
    may_lock_months,
    month_label,
    month_lock,
    month_reopen,
)
from thuocdo.work.month_locks import month_lock_history, month_lock_list
from thuocdo.work.permissions import access_month_lock
from thuocdo.work.selectors import month_bounds


def _previous(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def _next(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _chosen_month(raw: str, at: datetime.date) -> tuple[int, int]:
    """The month shown: `thang=YYYY-MM`, else last month (the one to close)."""
    try:
        year, month = (int(part) for part in raw.split("-"))
    except ValueError:
        return _previous(at.year, at.month)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return _previous(at.year, at.month)
    return year, month


def _key(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def _list_url(year: int, month: int) -> str:
    return f"{reverse('work:month-lock-list')}?thang={_key(year, month)}"


def _require_organiser(request: HttpRequest) -> None:
    if not may_lock_months(request.user):
        raise PermissionDenied(REFUSED)


def _writable(request: HttpRequest) -> Any:
    return Unit.objects.filter(units_write_q(scope_for(request.user)))


def _page(request: HttpRequest, year: int, month: int, form: MonthLockForm) -> HttpResponse:
    at = today()
    return render(
        request,
        "work/month_lock_list.html",
        {
            "year": year,
            "month": month,
            "label": month_label(year, month),
            "opens_on": month_bounds(year, month)[1] + datetime.timedelta(days=1),
            "ended": (year, month) < (at.year, at.month),
            "previous": _key(*_previous(year, month)),
            "next": _key(*_next(year, month)),
            "previous_label": month_label(*_previous(year, month)),
            "next_label": month_label(*_next(year, month)),
            "rows": month_lock_list(actor=request.user, year=year, month=month),
            "history": month_lock_history(actor=request.user, year=year, month=month),
            "form": form,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def month_lock_list_view(request: HttpRequest) -> HttpResponse:
    """The locks of the chosen month, and the form to close it for a unit; after a refusal, the
    form with its reason and what was typed (once: a reload shows the page afresh)."""
    _require_organiser(request)
    if request.method == "POST":
        return _lock(request)
    year, month = _chosen_month(request.GET.get("thang", ""), today())
    typed = typed_again(request)
    if typed is not None:
        form = MonthLockForm(typed, units=_writable(request))
        refusal = typed.getlist("refused")
        if form.is_valid() and refusal:  # refused by the rules, not by a field
            form.add_error(None, ValidationError(refusal))
        return _page(request, year, month, form)
    unit = request.GET.get("don-vi", "").strip()[:60]
    form = MonthLockForm(
        initial={"year": year, "month": month, "unit": unit}, units=_writable(request)
    )
    return _page(request, year, month, form)


def _lock(request: HttpRequest) -> HttpResponse:
    """Close the month for the unit picked."""
    form = MonthLockForm(request.POST, units=_writable(request))
    if form.is_valid():
        data = form.cleaned_data
        try:
            lock = month_lock(
                actor=request.user,
                unit=data["unit"],
                year=data["year"],
                month=data["month"],
                reason=data["reason"],
            )
        except ValidationError as error:
            year, month = data["year"], data["month"]
            typed = {**posted(request), "refused": error.messages}
            return refused_redirect(request, f"{_list_url(year, month)}#khoa-so", typed)
        else:
            messages.success(
                request,
                f"Đã khóa sổ tháng {month_label(lock.year, lock.month)} của {lock.unit.name} "
                "và các đơn vị trực thuộc.",
            )
            return redirect(_list_url(lock.year, lock.month))
    year, month = _chosen_month(f"{form.data.get('year')}-{form.data.get('month')}", today())
    return refused_redirect(request, f"{_list_url(year, month)}#khoa-so", posted(request))


@require_POST
@login_required
def month_lock_reopen(request: HttpRequest, lock_id: int) -> HttpResponse:
    """Reopen a closed month with the reason given (required). Only organisers reach it (403
    as the list); a lock out of reach answers as one that is not there (404)."""
    _require_organiser(request)
    lock = access_month_lock(request.user, lock_id, write=True)
    year, month = lock.year, lock.month
    form = MonthReopenForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        month_reopen(actor=request.user, lock=lock, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Đã mở lại tháng {month_label(year, month)} của {lock.unit.name}: công việc, tự "
            "đánh giá và điểm của tháng lại được sửa.",
        )
    return redirect(_list_url(year, month))

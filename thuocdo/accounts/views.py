"""Pages of accounts: the organiser's «Tài khoản», and «Đổi mật khẩu» for everyone."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from thuocdo.accounts import selectors, services
from thuocdo.accounts.forms import (
    AccountsCreateForm,
    AccountSearchForm,
    RoleGrantForm,
)
from thuocdo.accounts.imports import WORKBOOK
from thuocdo.accounts.jobs import ACCOUNTS_IMPORT
from thuocdo.accounts.permissions import access_account, require_account_manager
from thuocdo.accounts.workbooks import XLSX, credentials_file_name, credentials_write
from thuocdo.jobs.views import job_follow
from thuocdo.org.models import RoleAssignment, User
from thuocdo.org.scope import today
from thuocdo.spreadsheets.background import import_job_start
from thuocdo.spreadsheets.web import UploadForm, template_response
from thuocdo.web.http import HtmxHttpRequest


def _credentials(credentials: Sequence[services.Credential]) -> HttpResponse:
    """The one-time passwords, downloaded once: they are stored nowhere in clear."""
    day, buffer = today(), io.BytesIO()
    credentials_write(credentials, buffer, issued=day)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{credentials_file_name(day)}"'
    response["Cache-Control"] = "no-store"
    return response


UNLINKED_SHOWN = 100


def _results(request: HttpRequest) -> dict[str, Any]:
    """The search form, a page of accounts of people, and the first accounts of no person."""
    search = AccountSearchForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_valid() else ""
    people = selectors.account_list(actor=request.user, query=query)
    unlinked = selectors.unlinked_account_list(actor=request.user, query=query)
    return {
        "search": search,
        "page": Paginator(people, 50).get_page(request.GET.get("trang")),
        "unlinked": list(unlinked[:UNLINKED_SHOWN]),
    }


def _list_page(request: HttpRequest, **context: Any) -> HttpResponse:
    """The account list with its two forms; `context` brings bound forms and results."""
    context = {
        **_results(request),
        "import_form": UploadForm(),
        "create_form": AccountsCreateForm(actor=request.user),
        "onetime_hours": settings.ONETIME_FILE_HOURS,
        **context,
    }
    status = 400 if context.get("invalid") else 200
    return render(request, "accounts/account_list.html", context, status=status)


@require_GET
@login_required
def account_list(request: HtmxHttpRequest) -> HttpResponse:
    """Accounts in the organiser's reach, searchable, with the import and the bulk creation."""
    require_account_manager(request.user)
    if request.htmx:
        return render(request, "accounts/account_list.html#results", _results(request))
    return _list_page(request)


@require_POST
@login_required
def account_import(request: HttpRequest) -> HttpResponse:
    """Import a workbook by a job (thuocdo/accounts/jobs.py): its page shows the report or
    every problem, and the one-time passwords of new accounts to download once."""
    require_account_manager(request.user)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _list_page(request, import_form=form, invalid=True)
    job = import_job_start(
        kind=ACCOUNTS_IMPORT, actor=request.user, upload=form.cleaned_data["file"]
    )
    return job_follow(job)


@require_GET
@login_required
def account_template(request: HttpRequest) -> HttpResponse:
    """The empty import workbook."""
    require_account_manager(request.user)
    return template_response(WORKBOOK)


@require_POST
@login_required
def accounts_create(request: HttpRequest) -> HttpResponse:
    """Accounts for every person of a subtree who has none, downloaded as a workbook."""
    require_account_manager(request.user)
    form = AccountsCreateForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _list_page(request, create_form=form, invalid=True)
    unit = form.cleaned_data["unit"]
    try:
        with transaction.atomic():  # no account without its password in the download
            credentials = services.accounts_create_for_unit(
                actor=request.user,
                unit=unit,
                roles_from_posts=form.cleaned_data["roles_from_posts"],
                limit=settings.THUOCDO_ACCOUNTS_PAGE_LIMIT,
            )
            if credentials:
                return _credentials(credentials)
    except ValidationError as error:
        form.add_error("unit", error)
        return _list_page(request, create_form=form, invalid=True)
    messages.info(request, f"Mọi cán bộ của {unit.name} đều đã có tài khoản.")
    return redirect("accounts:account-list")


@require_GET
@login_required
def account_detail(request: HttpRequest, user_id: int) -> HttpResponse:
    """An account: its person, posts, roles, and what the organiser may do with it."""
    account = selectors.account_detail(access_account(request.user, user_id))
    return _detail_page(request, account)


def _detail_page(
    request: HttpRequest, account: Any, status: int = 200, **extra: Any
) -> HttpResponse:
    context = {
        "account": account,
        "grant_form": RoleGrantForm(actor=request.user),
        **extra,
    }
    return render(request, "accounts/account_detail.html", context, status=status)


@require_POST
@login_required
def account_password_reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Issue a new one-time password, shown once on the page."""
    account = access_account(request.user, user_id, write=True)
    password = services.account_password_reset(actor=request.user, user=account)
    return _detail_page(request, selectors.account_detail(account), onetime_password=password)


@require_POST
@login_required
def account_active(request: HttpRequest, user_id: int) -> HttpResponse:
    """Lock or unlock an account."""
    account = access_account(request.user, user_id, write=True)
    try:
        services.account_set_active(
            actor=request.user, user=account, active=request.POST.get("active") == "1"
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:account-detail", user_id=account.pk)


@require_POST
@login_required
def role_grant(request: HttpRequest, user_id: int) -> HttpResponse:
    """Give the account a role over a unit or an authority."""
    account = access_account(request.user, user_id, write=True)
    form = RoleGrantForm(request.POST, actor=request.user)
    if not form.is_valid():
        return _detail_page(request, selectors.account_detail(account), 400, grant_form=form)
    data = form.cleaned_data
    services.role_grant(
        actor=request.user,
        user=account,
        role=data["role"],
        unit=data["unit"],
        authority=data["authority"],
    )
    messages.success(request, "Đã giao vai trò.")
    return redirect("accounts:account-detail", user_id=account.pk)


@require_POST
@login_required
def role_revoke(request: HttpRequest, user_id: int, role_id: int) -> HttpResponse:
    """Take a role away."""
    account = access_account(request.user, user_id, write=True)
    assignment = get_object_or_404(RoleAssignment, pk=role_id, user=account)
    services.role_revoke(actor=request.user, assignment=assignment)
    messages.success(request, "Đã thu hồi vai trò.")
    return redirect("accounts:account-detail", user_id=account.pk)


@require_http_methods(["GET", "POST"])
@login_required
def password_change(request: HttpRequest) -> HttpResponse:
    """Any user changes their password; a one-time password must be replaced here first."""
    assert isinstance(request.user, User)  # login_required
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["new_password1"]
        user = services.password_change(user=request.user, password=password)
        update_session_auth_hash(request, user)
        messages.success(request, "Đã đổi mật khẩu.")
        target = request.POST.get("next") or ""
        safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
        return redirect(target if safe and target else "web:home")
    context = {"form": form, "next": request.GET.get("next", request.POST.get("next", ""))}
    return render(request, "accounts/password_change.html", context)

"""The second factor (TOTP, django-otp) for organisers, authorities and administrators.

`settings.REQUIRE_2FA` turns it on (the default as soon as a real secret key is set). After the
password, such a user enrols once (a QR code for an authenticator app, then one code to confirm
it) and types a code at each login; `TwoFactorMiddleware` keeps them from everything else until
then, and `/api/token/` asks them for the code in `otp`. A lost phone: an administrator
deletes the user's device in /quan-tri/ (audited) and the user enrols again.
"""

from __future__ import annotations

from typing import Any

import segno
from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods
from django_otp import devices_for_user, match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from thuocdo.audit.services import audit_record
from thuocdo.org.models import Role
from thuocdo.org.scope import scope_for

ROLES_NEEDING_2FA = frozenset({Role.ORGANISER, Role.AUTHORITY, Role.ADMIN})
API_REFUSAL = (
    "Tài khoản này cần xác thực hai lớp: hãy đăng nhập trên trang web và nhập mã từ ứng dụng "
    "xác thực, hoặc lấy token tại /api/token/ kèm mã trong trường «otp»."
)
DEVICE_NAME = "Ứng dụng xác thực"


def required_for(user: Any) -> bool:
    """True when this user's role needs a second factor."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or user.is_staff:
        return True
    return bool(scope_for(user).roles & ROLES_NEEDING_2FA)


def has_device(user: Any) -> bool:
    """True when the user has a confirmed authenticator."""
    return any(True for _ in devices_for_user(user, confirmed=True))


def token_check(user: Any, token: str) -> bool:
    """True when `token` is a current code of one of the user's confirmed devices."""
    return bool(token) and match_token(user, token) is not None


class CodeForm(forms.Form):
    otp_token = forms.CharField(
        label="Mã xác thực (6 chữ số)",
        min_length=6,
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@require_http_methods(["GET", "POST"])
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Type the code of the authenticator after the password."""
    if not has_device(request.user):
        return redirect("security:otp-enrol")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            otp_login(request, device)
            audit_record(actor=request.user, action="auth.otp_verify", obj=request.user)
            return redirect(_next(request))
        audit_record(actor=request.user, action="auth.otp_failed", obj=request.user)
        form.add_error("otp_token", "Mã không đúng hoặc đã hết hạn; hãy nhập mã đang hiện.")
    return render(request, "security/otp_verify.html", {"form": form, "next": _next(request)})


@require_http_methods(["GET", "POST"])
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """Set up the authenticator: a QR code, then one code to confirm it."""
    user = request.user
    if has_device(user):
        return redirect("security:otp-verify")
    with transaction.atomic():
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            audit_record(actor=user, action="auth.otp_enrol", obj=user)
            return redirect(_next(request))
        form.add_error("otp_token", "Mã không đúng; hãy quét lại mã QR và nhập mã đang hiện.")
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": _next(request),
        # segno writes the SVG itself: no user text inside it.
        "qr_svg": mark_safe(qr.svg_inline(scale=5, title="Mã QR xác thực hai lớp")),
        "secret": _base32(device.bin_key),
    }
    return render(request, "security/otp_enrol.html", context)


def _base32(key: bytes) -> str:
    """The secret in groups of four, for typing into an app that cannot scan."""
    from base64 import b32encode

    text = b32encode(key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))

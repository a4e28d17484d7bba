"""Until a user has replaced their one-time password, every page leads to the change page."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse

MUST_CHANGE = "Bạn phải đổi mật khẩu một lần trước khi dùng Thước Đo."


class PasswordChangeRequiredMiddleware:
    """Send a user flagged `must_change_password` to «Đổi mật khẩu» (the API answers 403)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "must_change_password", False):
            change = reverse("accounts:password-change")
            allowed = (
                change,
                reverse("accounts:api-password-change"),
                reverse("logout"),
                settings.STATIC_URL,
                # The second factor comes first (the middleware before this one sends there).
                reverse("security:otp-verify"),
                reverse("security:otp-enrol"),
            )
            if not request.path.startswith(allowed):
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": MUST_CHANGE}, status=403)
                query = urlencode({"next": request.get_full_path()})
                return HttpResponseRedirect(f"{change}?{query}")
        return self.get_response(request)

"""What a locked-out client is told, in Vietnamese: a page, or JSON for the API."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string


def lockout_message() -> str:
    """The refusal, with the cool-off in minutes."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        f"Tài khoản tạm thời bị khoá do nhập sai mật khẩu {settings.AXES_FAILURE_LIMIT} lần. "
        f"Hãy thử lại sau {minutes} phút, hoặc liên hệ quản trị hệ thống."
    )


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: Any
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 with the message."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [lockout_message()]}, status=429)
    html = render_to_string(
        "security/locked_out.html", {"message": lockout_message()}, request=request
    )
    return HttpResponse(html, status=429)

"""One exception handler: every API error answers JSON in Vietnamese.

Domain validation errors become 400 with their own (Vietnamese) messages; DRF's standard
errors (not found, forbidden, not signed in, wrong method, throttled…) get the Vietnamese
words of the site's error pages unless the view gave its own detail.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from thuocdo.web.errors import ERRORS

MESSAGES: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "Chưa đăng nhập: hãy gửi mã truy cập (token) hợp lệ.",
    exceptions.AuthenticationFailed: "Xác thực không thành công: mã truy cập sai hoặc đã hết hạn.",
    exceptions.PermissionDenied: ERRORS[403].title,
    exceptions.NotFound: ERRORS[404].title,
    exceptions.MethodNotAllowed: "Phương thức này không được phép cho địa chỉ này.",
    exceptions.NotAcceptable: "Không thể trả lời theo định dạng được yêu cầu.",
    exceptions.UnsupportedMediaType: "Định dạng dữ liệu gửi lên không được hỗ trợ.",
    exceptions.ParseError: "Dữ liệu gửi lên không đúng định dạng.",
    exceptions.Throttled: "Quá nhiều yêu cầu: hãy chờ một lát rồi thử lại.",
}


def _vietnamese(exc: Exception) -> str | None:
    """The Vietnamese detail for a standard DRF error, or None to keep the view's own."""
    if isinstance(exc, Http404):
        # A view's own Vietnamese words stay ("Không tìm thấy đơn vị."); Django's English go.
        words = str(exc.args[0]) if exc.args else ""
        return None if words and not words.isascii() else ERRORS[404].title
    if not isinstance(exc, exceptions.APIException) or isinstance(exc, exceptions.ValidationError):
        return None
    own = str(exc.detail) != str(exc.default_detail)
    if own and not isinstance(exc, (exceptions.MethodNotAllowed, exceptions.Throttled)):
        return None
    for kind, message in MESSAGES.items():
        if isinstance(exc, kind):
            wait = getattr(exc, "wait", None)
            if isinstance(exc, exceptions.Throttled) and wait is not None:
                return f"{message} (sau khoảng {int(wait) + 1} giây)"
            return message
    return None


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Map Django validation errors to 400 and give DRF's errors Vietnamese words."""
    if isinstance(exc, DjangoValidationError):
        detail: Any = exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        return Response({"errors": detail}, status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    message = _vietnamese(exc)
    if response is not None and message is not None and isinstance(response.data, dict):
        response.data["detail"] = message
    return response

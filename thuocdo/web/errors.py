"""Error pages in Vietnamese: what happened, what to do, the way back.

Pages answer in the site's layout; paths under ``/api/`` answer the same errors as JSON.
The 500 page is a plain template rendered without a request, so it shows even when the
database or a context processor is what failed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader


@dataclass(frozen=True)
class ErrorText:
    status: int
    title: str
    what: str
    todo: str


ERRORS = {
    400: ErrorText(
        400,
        "Yêu cầu không hợp lệ",
        "Máy chủ không hiểu yêu cầu vừa gửi (địa chỉ hoặc dữ liệu không đúng dạng).",
        "Kiểm tra lại địa chỉ hoặc quay lại trang trước và gửi lại biểu mẫu.",
    ),
    403: ErrorText(
        403,
        "Không có quyền truy cập",
        "Tài khoản của bạn không được phép thực hiện thao tác này.",
        "Nếu bạn cho rằng mình cần quyền này, hãy liên hệ Ban Tổ chức hoặc người quản trị.",
    ),
    404: ErrorText(
        404,
        "Không tìm thấy trang",
        "Trang hoặc hồ sơ này không tồn tại, hoặc nằm ngoài phạm vi bạn được xem.",
        "Kiểm tra lại địa chỉ, hoặc tìm từ trang chủ hay menu phía trên.",
    ),
    500: ErrorText(
        500,
        "Hệ thống gặp lỗi",
        "Đã có lỗi bên trong hệ thống; thao tác của bạn có thể chưa được thực hiện.",
        "Hãy thử lại sau ít phút. Nếu lỗi vẫn còn, báo cho người quản trị kèm thời điểm xảy ra.",
    ),
}
CSRF = ErrorText(
    403,
    "Phiên làm việc đã hết hạn",
    "Biểu mẫu không được chấp nhận vì mã bảo vệ của phiên đã hết hạn hoặc không khớp.",
    "Tải lại trang, đăng nhập lại nếu cần, rồi gửi lại biểu mẫu.",
)


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for the API, which answers in JSON."""
    return request.path.startswith("/api/")


def api_error(text: ErrorText) -> JsonResponse:
    """The JSON body of an API error: the same words as the page."""
    return JsonResponse(
        {"detail": text.title, "huong_dan": text.todo},
        status=text.status,
        json_dumps_params={"ensure_ascii": False},
    )


def _page(request: HttpRequest, text: ErrorText) -> HttpResponse:
    if is_api(request):
        return api_error(text)
    return render(request, "web/errors/error.html", {"error": text}, status=text.status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """400."""
    return _page(request, ERRORS[400])


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """403."""
    return _page(request, ERRORS[403])


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """404: also what an out-of-scope object answers."""
    return _page(request, ERRORS[404])


def server_error(request: HttpRequest) -> HttpResponse:
    """500: a plain template, no request context, no database."""
    text = ERRORS[500]
    if is_api(request):
        return api_error(text)
    body = loader.get_template("web/errors/500.html").render({"error": text})
    return HttpResponse(body, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent with a missing or stale CSRF token."""
    return _page(request, CSRF)

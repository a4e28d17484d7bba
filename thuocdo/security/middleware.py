"""The security middleware: input policy, no-store, session timeouts, the second factor and
the audit of sensitive reads. Each is small; the order is set in settings.MIDDLEWARE."""

from __future__ import annotations

import io
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme

from thuocdo.numbers import whole_number
from thuocdo.security import inputs
from thuocdo.security.errors import bad_request

Handler = Callable[[HttpRequest], HttpResponse]


def _clean_querydict(data: QueryDict, what: str) -> QueryDict:
    """A copy of a QueryDict whose keys and values pass the input policy."""
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        name = inputs.text_clean(key, field=what)
        cleaned.setlist(name, [inputs.text_clean(v, field=name) for v in values])
    cleaned._mutable = False
    return cleaned


class InputPolicyMiddleware:
    """Apply `thuocdo.security.inputs` to the query string, form fields and JSON bodies, and
    turn the errors a malformed request can still raise into a Vietnamese 400, never a 500."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            self._clean(request)
        except inputs.InputRefused as error:
            return bad_request(request, str(error))
        except RequestDataTooBig:
            return bad_request(request, "Dữ liệu gửi lên quá lớn.", status=413)
        except (TooManyFieldsSent, BadRequest) as error:
            return bad_request(request, f"Yêu cầu không hợp lệ: {error}")
        return self.get_response(request)

    def _clean(self, request: HttpRequest) -> None:
        length = request.META.get("CONTENT_LENGTH") or "0"
        # Far above any limit but bounded, so a length of thousands of digits still counts.
        if (whole_number(length, high=10**40) or 0) > settings.REQUEST_MAX_BYTES:
            raise RequestDataTooBig
        request.GET = _clean_querydict(request.GET, "tham số")  # type: ignore[assignment]
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        if request.content_type == "application/json":
            body = request.body
            if body.strip():
                cleaned = inputs.json_body_clean(body, settings.JSON_MAX_DEPTH)
                request._body = cleaned
                request._stream = io.BytesIO(cleaned)
                request.META["CONTENT_LENGTH"] = str(len(cleaned))
        elif request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            request._post = _clean_querydict(request.POST, "biểu mẫu")  # type: ignore[attr-defined]

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A number a database column cannot hold, or a value refused deeper down."""
        if isinstance(exception, inputs.InputRefused):
            return bad_request(request, str(exception))
        if isinstance(exception, OverflowError | DataError):
            return bad_request(
                request, "Một giá trị số hoặc văn bản vượt quá giới hạn cho phép; hãy kiểm tra lại."
            )
        return None


class NoStoreMiddleware:
    """Nothing the application answers is kept by a browser or a proxy: personnel pages, the
    dossier and its PDF, every export and the API all carry `Cache-Control: no-store`."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            patch_cache_control(response, no_store=True, private=True)
        return response


SESSION_LOGIN_AT = "thuocdo_login_at"
SESSION_SEEN_AT = "thuocdo_seen_at"


class SessionTimeoutMiddleware:
    """Close a session idle for `SESSION_IDLE_SECONDS` or older than `SESSION_MAX_SECONDS`."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            session = request.session
            login_at = session.setdefault(SESSION_LOGIN_AT, now)
            seen_at = session.get(SESSION_SEEN_AT, now)
            if (
                now - seen_at > settings.SESSION_IDLE_SECONDS
                or now - login_at > settings.SESSION_MAX_SECONDS
            ):
                request.thuocdo_logout_reason = "session_timeout"  # type: ignore[attr-defined]
                logout(request)  # flushes the session; the view then sees an anonymous user
            elif now - seen_at >= 30 or SESSION_SEEN_AT not in session:
                session[SESSION_SEEN_AT] = now  # written at most twice a minute
        return self.get_response(request)


class TwoFactorMiddleware:
    """With `REQUIRE_2FA`, a user whose role needs a second factor (`twofactor.required_for`)
    reaches nothing but the enrolment and verification pages and the logout until they have
    typed a TOTP code in this session; the API answers 403 in JSON."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        from thuocdo.security import twofactor

        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and not getattr(user, "is_verified", lambda: False)()
            and twofactor.required_for(user)
            and not self._exempt(request.path)
        ):
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": [twofactor.API_REFUSAL]}, status=403)
            target = reverse(
                "security:otp-verify" if twofactor.has_device(user) else "security:otp-enrol"
            )
            here = request.get_full_path()
            if request.method == "GET" and url_has_allowed_host_and_scheme(here, None):
                target += "?" + QueryDict.fromkeys(["next"], here).urlencode()
            if getattr(request, "htmx", False):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return redirect(target)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (
            reverse("security:otp-verify"),
            reverse("security:otp-enrol"),
            reverse("logout"),
            settings.STATIC_URL,
        )
        return path.startswith(allowed)


# Pages whose every successful read is recorded, by URL name; every attachment (an export in
# Word, Excel or PDF, the dossier's PDF) is recorded too, whatever its URL.
AUDITED_READS = {
    "careers:dossier-detail": "dossier.read",
    "org:person-detail": "person.read",
    "api:person-detail": "person.read",
    "reviews:api-evaluation-detail": "evaluation.read",
}


class ReadAuditMiddleware:
    """Record an `AuditEvent` for reads of personnel records and for every export."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 200 or request.method not in ("GET", "POST"):
            return response
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return response
        disposition = response.get("Content-Disposition", "")
        action = AUDITED_READS.get(match.view_name, "")
        if disposition.startswith("attachment"):
            action = "export"
        elif request.method != "GET":
            action = ""
        if action:
            from thuocdo.audit.services import audit_record

            audit_record(
                actor=user,
                action=action,
                object_type=match.view_name[:60],
                object_id=",".join(str(v) for v in match.kwargs.values())[:60],
                object_repr=request.get_full_path()[:255],
                note=disposition,
            )
        return response

"""API tokens (django-rest-knox): hashed at rest, expiring, revocable.

`POST /api/token/` keeps its contract (`username`, `password` → `{"token": …}`, then
`Authorization: Token …`) and adds the token's `expiry`; a user whose role needs a second
factor also sends the current code in `otp` (when `REQUIRE_2FA`). The password goes through
`authenticate`, so the lockout (django-axes) counts failures here as on the login page.
`POST /api/token/logout/` revokes the token used; `POST /api/token/logoutall/` every token of
the user; logging out of the site revokes them all too (thuocdo/security/signals.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate, user_logged_in
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from knox.views import LogoutAllView, LogoutView
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from thuocdo.audit.services import audit_record
from thuocdo.security import twofactor

REFUSED = "Tên đăng nhập hoặc mật khẩu không đúng."


class TokenInput(serializers.Serializer[Any]):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)
    otp = serializers.CharField(max_length=8, required=False, allow_blank=True)


TokenOutput = inline_serializer(
    "TokenOutput",
    fields={"token": serializers.CharField(), "expiry": serializers.DateTimeField()},
)


class TokenObtain(APIView):
    """Exchange a user name and password (and a TOTP code where required) for a token."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    @extend_schema(request=TokenInput, responses={200: TokenOutput})
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        if not data.is_valid():
            return Response({"errors": data.errors}, status=status.HTTP_400_BAD_REQUEST)
        fields = data.validated_data
        user = authenticate(
            request._request, username=fields["username"], password=fields["password"]
        )
        if user is None:
            return Response({"errors": [REFUSED]}, status=status.HTTP_400_BAD_REQUEST)
        needs_code = settings.REQUIRE_2FA and twofactor.required_for(user)
        if needs_code and not twofactor.token_check(user, fields.get("otp", "")):
            audit_record(actor=user, action="auth.otp_failed", obj=user, note="api")
            return Response({"errors": [twofactor.API_REFUSAL]}, status=status.HTTP_400_BAD_REQUEST)
        instance, token = AuthToken.objects.create(user)
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": token, "expiry": instance.expiry})


class TokenLogout(LogoutView):  # type: ignore[misc]  # knox ships no types
    """Revoke the token this request was made with."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: Any = None) -> Response:
        response: Response = super().post(request, format)
        return response


class TokenLogoutAll(LogoutAllView):  # type: ignore[misc]
    """Revoke every token of the caller."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request: Request, format: Any = None) -> Response:
        response: Response = super().post(request, format)
        return response

"""Logins, failed logins and logouts become AuditEvents; a logout revokes API tokens."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from knox.models import AuthToken
from rest_framework.request import Request

from thuocdo.audit.services import audit_record
from thuocdo.security.middleware import SESSION_LOGIN_AT, SESSION_SEEN_AT


def _client(request: Any) -> str:
    if request is None:
        return ""
    meta = getattr(request, "META", {})
    return f"{meta.get('REMOTE_ADDR', '')} {request.path}".strip()


@receiver(user_logged_in)
def login_audit(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Record the login and start the session's clocks."""
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SESSION_LOGIN_AT] = now
        session[SESSION_SEEN_AT] = now
    audit_record(actor=user, action="auth.login", obj=user, note=_client(request))


@receiver(user_login_failed)
def login_failed_audit(
    sender: Any, credentials: dict[str, Any], request: Any = None, **_: Any
) -> None:
    """Record a failed login, naming the user name tried (never the password)."""
    username = str(credentials.get("username", ""))[:150]
    user = get_user_model().objects.filter(username=username).first()
    audit_record(
        actor=user,
        action="auth.login_failed",
        object_type="org.user",
        object_id=str(user.pk) if user else "",
        object_repr=username,
        note=_client(request),
    )


@receiver(user_logged_out)
def logout_audit(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Record the logout; leaving the site revokes every API token of the user (leaving the
    API through /api/token/logout/ revokes only the token used, which knox has deleted)."""
    if user is None:
        return
    reason = getattr(request, "thuocdo_logout_reason", "")
    revoked = 0
    if not isinstance(request, Request):
        revoked, _ = AuthToken.objects.filter(user=user).delete()
    audit_record(
        actor=user,
        action="auth.logout",
        obj=user,
        after={"tokens_revoked": revoked},
        note=" ".join(x for x in (reason, _client(request)) if x),
    )

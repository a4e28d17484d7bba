"""The lockout backend: django-axes' check, first in AUTHENTICATION_BACKENDS."""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from django.http import HttpRequest


class LockoutBackend(AxesStandaloneBackend):  # type: ignore[misc]  # axes ships no types
    """Refuse a locked-out user name before any password is checked.

    Logins over HTTP (the login page, the admin, /api/token/) always pass their request and
    are counted; a login without one (the shell, the test client's `login`) is not an HTTP
    attempt and is left to the next backend instead of raising."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        super().authenticate(request, username, password, **kwargs)
        return None

"""Template context shared by every page: the user's roles for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from thuocdo.org.scope import scope_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Expose the resolved scope so the menu shows only what the user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"scope": scope_for(user)}

"""Template context shared by every page: the user's roles for the navigation, and how many
of their notifications are unread (one count query, run only if the page shows it)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from thuocdo.org.scope import scope_for
from thuocdo.work.selectors import notification_list


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Expose the resolved scope so the menu shows only what the user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def unread_notifications() -> int:
        # A template calls a callable on use: a fragment without the menu pays nothing.
        return notification_list(user=user, unread_only=True).count()

    return {"scope": scope_for(user), "unread_notifications": unread_notifications}

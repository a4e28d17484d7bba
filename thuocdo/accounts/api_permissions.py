"""The API's check that a one-time password has been replaced (kept apart from api.py: DRF
loads its default permission classes while its views are being imported)."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from thuocdo.accounts.middleware import MUST_CHANGE


class PasswordChanged(BasePermission):
    """A user still holding a one-time password may only change it (token callers too)."""

    message = MUST_CHANGE

    def has_permission(self, request: Request, view: Any) -> bool:
        """False while the user must change their password."""
        return not getattr(request.user, "must_change_password", False)

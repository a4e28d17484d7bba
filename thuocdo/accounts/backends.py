"""Login: Django's model backend, refusing a one-time password once it has expired."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.utils import timezone


class AccountBackend(ModelBackend):
    """A user whose one-time password has expired cannot log in until it is issued again."""

    def user_can_authenticate(self, user: Any) -> bool:
        """Active, and not holding an expired one-time password."""
        expires = getattr(user, "onetime_password_expires", None)
        if expires is not None and expires <= timezone.now():
            return False
        return bool(super().user_can_authenticate(user))

    def get_user(self, user_id: Any) -> Any:
        """The user of a session, with their person read in the same query (every page asks
        for it: the scope, the menu), as Django's backend gives it otherwise."""
        model = get_user_model()
        try:
            user = model._default_manager.select_related("person").get(pk=user_id)
        except model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

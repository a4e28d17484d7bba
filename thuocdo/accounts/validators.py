"""The password policy's one rule that Django lacks: the login must not be inside the password.

Django's UserAttributeSimilarityValidator compares whole strings, so «canhan123456» passes for
the login «canhan» (similarity 0,67 < 0,7); this refuses any password containing the login.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from thuocdo.org.names import fold

MIN_LOGIN = 3


class LoginInPasswordValidator:
    """Refuse a password that contains the login, ignoring case and diacritics."""

    def validate(self, password: str, user: Any = None) -> None:
        """Raise ValidationError if the login appears in the password."""
        login = fold(getattr(user, "username", "") or "")
        if len(login) >= MIN_LOGIN and login in fold(password):
            raise ValidationError(
                "Mật khẩu không được chứa tên đăng nhập.", code="password_contains_login"
            )

    def get_help_text(self) -> str:
        """The rule, as the password forms show it."""
        return "Mật khẩu không được chứa tên đăng nhập."

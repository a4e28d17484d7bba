"""The password policy's rules that Django lacks or does not say in Vietnamese.

Django's UserAttributeSimilarityValidator compares whole strings, so «canhan123456» passes for
the login «canhan» (similarity 0,67 < 0,7): LoginInPasswordValidator refuses any password
containing the login. Django 5.2's minimum length message has no Vietnamese translation yet.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
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


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Vietnamese."""

    def get_error_message(self) -> str:
        """Too short, and how long it must be."""
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        """The rule, as the password forms show it."""
        return f"Mật khẩu phải có ít nhất {self.min_length} ký tự."

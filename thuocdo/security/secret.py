"""Refuse to serve with the default secret key outside the demo, DEBUG and the tests."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

REFUSAL = (
    "Thước Đo không khởi động với khoá bí mật mặc định. Hãy đặt biến môi trường "
    "THUOCDO_SECRET_KEY thành một chuỗi ngẫu nhiên dài (ví dụ: python3 -c "
    '"import secrets; print(secrets.token_urlsafe(50))"), hoặc THUOCDO_DEMO=true cho bản '
    "chạy thử trên máy cá nhân. / Refusing to start with the default SECRET_KEY: set "
    "THUOCDO_SECRET_KEY (or THUOCDO_DEMO=true for the local demo)."
)


def secret_key_refusal() -> str | None:
    """The reason not to start, or None when the key is real or this is a demo."""
    if settings.SECRET_KEY_IS_DEFAULT and not (settings.DEMO or settings.DEBUG):
        return REFUSAL
    return None


def secret_key_require() -> None:
    """Raise `ImproperlyConfigured` when `secret_key_refusal` says so."""
    reason = secret_key_refusal()
    if reason is not None:
        raise ImproperlyConfigured(reason)

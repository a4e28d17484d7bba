"""Accounts for a whole city: import, bulk creation with one-time passwords, password change."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "thuocdo.accounts"
    label = "accounts"
    verbose_name = "Tài khoản"

"""Logins, sessions, tokens, headers and the input policy at the boundary."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SecurityConfig(AppConfig):
    default = True
    name = "thuocdo.security"
    label = "security"
    verbose_name = "Bảo mật"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from thuocdo.security import signals  # noqa: F401  (connects the receivers)


class AuditedAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` whose default site audits every write (security/admin.py)."""

    default = False
    default_site = "thuocdo.security.admin.AuditedAdminSite"

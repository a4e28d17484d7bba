"""The audit trail: who changed what, when, with the before and after."""

from __future__ import annotations

from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "thuocdo.audit"
    label = "audit"
    verbose_name = "Nhật ký thay đổi"
    default_auto_field = "django.db.models.BigAutoField"

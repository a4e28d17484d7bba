"""Results that act: planning pools, training, rotation and review flags (issue 8)."""

from __future__ import annotations

from django.apps import AppConfig


class CareersConfig(AppConfig):
    name = "thuocdo.careers"
    label = "careers"
    verbose_name = "Quy hoạch, đào tạo, luân chuyển"
    default_auto_field = "django.db.models.BigAutoField"

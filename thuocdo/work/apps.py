"""The work record: task catalogue, monthly work plans, tasks and products, verification,
and the monthly score computed from them."""

from __future__ import annotations

from django.apps import AppConfig


class WorkConfig(AppConfig):
    name = "thuocdo.work"
    label = "work"
    verbose_name = "Công việc, nhiệm vụ"
    default_auto_field = "django.db.models.BigAutoField"

"""Background jobs: long work on a real queue, with progress a page and a terminal can show."""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "thuocdo.jobs"
    label = "jobs"
    verbose_name = "Công việc chạy nền"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Import every app's `jobs` module, so the worker knows every kind of job."""
        autodiscover_modules("jobs")

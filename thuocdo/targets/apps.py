"""Targets for heads and units (evaluation by products): indicators, actuals, achievement."""

from __future__ import annotations

from django.apps import AppConfig


class TargetsConfig(AppConfig):
    name = "thuocdo.targets"
    label = "targets"
    verbose_name = "Chỉ tiêu, sản phẩm"
    default_auto_field = "django.db.models.BigAutoField"

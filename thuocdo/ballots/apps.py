"""Confidence votes (lấy phiếu tín nhiệm) by secret ballot, electronic and on paper."""

from __future__ import annotations

from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "thuocdo.ballots"
    label = "ballots"
    verbose_name = "Lấy phiếu tín nhiệm"
    default_auto_field = "django.db.models.BigAutoField"

"""Sources of opinion (đánh giá đa chiều): collective meetings, anonymous peers and
subordinates, related bodies."""

from __future__ import annotations

from django.apps import AppConfig


class OpinionsConfig(AppConfig):
    name = "thuocdo.opinions"
    label = "opinions"
    verbose_name = "Đánh giá đa chiều"
    default_auto_field = "django.db.models.BigAutoField"

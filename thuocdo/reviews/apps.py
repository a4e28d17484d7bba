"""Evaluation periods, assessments and results; for now the monthly score of each person."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "thuocdo.reviews"
    label = "reviews"
    verbose_name = "Đánh giá, xếp loại"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The monthly score follows the work record: a saved verification or exemption
        updates the person's score at once."""
        from thuocdo.reviews.monthly.compute import on_month_changed
        from thuocdo.work.signals import month_changed

        month_changed.connect(on_month_changed, dispatch_uid="reviews.monthly.refresh")

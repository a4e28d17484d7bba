"""Evaluation periods, assessments and results; for now the monthly score of each person."""

from __future__ import annotations

from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "thuocdo.reviews"
    label = "reviews"
    verbose_name = "Đánh giá, xếp loại"
    default_auto_field = "django.db.models.BigAutoField"

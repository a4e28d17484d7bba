"""Shared layout, templates, static files and the pages of the registry."""

from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "thuocdo.web"
    label = "web"
    verbose_name = "Giao diện"

"""The organisation registry: units, people, posts, authorities, discipline and rewards."""

from __future__ import annotations

from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "thuocdo.org"
    label = "org"
    verbose_name = "Tổ chức, cán bộ"
    default_auto_field = "django.db.models.BigAutoField"

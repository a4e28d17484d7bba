"""Shared layout, templates, static files and the pages of the registry."""

from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class WebConfig(AppConfig):
    name = "thuocdo.web"
    label = "web"
    verbose_name = "Giao diện"

    def ready(self) -> None:
        from django.apps import apps

        from thuocdo.web.changes import install_after_migrate

        # Sent once per app with models after the whole migration run (this app has none):
        # once, for the registry's app, is enough.
        post_migrate.connect(
            install_after_migrate,
            sender=apps.get_app_config("org"),
            dispatch_uid="thuocdo-changes",
        )

"""Operations routes: the health check and the backup page."""

from __future__ import annotations

from django.urls import path

from thuocdo.ops import health, views

app_name = "ops"
urlpatterns = [
    path("suc-khoe/", health.health, name="health"),
    path("healthz", health.health, name="healthz"),
    path("sao-luu/", views.backup_page, name="backup"),
]

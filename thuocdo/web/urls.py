"""Page routes."""

from __future__ import annotations

from django.urls import path

app_name = "web"
urlpatterns: list = []

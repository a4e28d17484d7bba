"""Routes of the second factor."""

from __future__ import annotations

from django.urls import path

from thuocdo.security import twofactor

app_name = "security"
urlpatterns = [
    path("xac-thuc/", twofactor.otp_verify, name="otp-verify"),
    path("xac-thuc/dang-ky/", twofactor.otp_enrol, name="otp-enrol"),
]

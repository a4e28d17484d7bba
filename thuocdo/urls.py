"""Root URL configuration."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("quan-tri/", admin.site.urls),
    path("", include("thuocdo.security.urls")),
    path("api/", include("thuocdo.api.urls")),
    path("", include("thuocdo.org.urls")),
    path("", include("thuocdo.accounts.urls")),
    path("", include("thuocdo.work.urls")),
    path("", include("thuocdo.targets.urls")),
    path("", include("thuocdo.reviews.urls")),
    path("", include("thuocdo.opinions.urls")),
    path("", include("thuocdo.ballots.urls")),
    path("", include("thuocdo.reports.urls")),
    path("", include("thuocdo.careers.urls")),
    path("", include("thuocdo.jobs.urls")),
    path("", include("thuocdo.ops.urls")),
    path("", include("thuocdo.web.urls")),
]

handler400 = "thuocdo.web.errors.bad_request"
handler403 = "thuocdo.web.errors.permission_denied"
handler404 = "thuocdo.web.errors.page_not_found"
handler500 = "thuocdo.web.errors.server_error"

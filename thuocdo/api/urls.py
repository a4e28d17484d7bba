"""API routes."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from thuocdo.api import rules, views
from thuocdo.security import tokens

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path(
        "schema/ui/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="schema-ui"
    ),
    path("token/", tokens.TokenObtain.as_view(), name="token"),
    path("token/logout/", tokens.TokenLogout.as_view(), name="token-logout"),
    path("token/logoutall/", tokens.TokenLogoutAll.as_view(), name="token-logout-all"),
    path("units/", views.UnitList.as_view(), name="unit-list"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit-detail"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("posts/", views.PostList.as_view(), name="post-list"),
    path("rules/", rules.RulesetList.as_view(), name="ruleset-list"),
    path("rules/classify", rules.RulesClassify.as_view(), name="rules-classify"),
]

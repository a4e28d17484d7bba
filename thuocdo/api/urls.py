"""API routes."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.authtoken.views import obtain_auth_token

from thuocdo.api import rules, views

app_name = "api"
urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema/ui/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="schema-ui"),
    path("token/", obtain_auth_token, name="token"),
    path("units/", views.UnitList.as_view(), name="unit-list"),
    path("units/<int:pk>/", views.UnitDetail.as_view(), name="unit-detail"),
    path("people/", views.PersonList.as_view(), name="person-list"),
    path("people/<int:pk>/", views.PersonDetail.as_view(), name="person-detail"),
    path("posts/", views.PostList.as_view(), name="post-list"),
    path("rules/", rules.RulesetList.as_view(), name="ruleset-list"),
    path("rules/classify", rules.RulesClassify.as_view(), name="rules-classify"),
]

"""Routes of confidence votes."""

from __future__ import annotations

from django.urls import path

from thuocdo.ballots import api, views

app_name = "ballots"
urlpatterns = [
    path("phieu-tin-nhiem/", views.campaign_list, name="campaign-list"),
    path("phieu-tin-nhiem/moi/", views.campaign_create, name="campaign-create"),
    path("phieu-tin-nhiem/<int:campaign_id>/", views.campaign_detail, name="campaign-detail"),
    path("phieu-tin-nhiem/<int:campaign_id>/mo/", views.campaign_open, name="campaign-open"),
    path(
        "phieu-tin-nhiem/<int:campaign_id>/kiem-phieu/",
        views.campaign_close,
        name="campaign-close",
    ),
    path(
        "phieu-tin-nhiem/<int:campaign_id>/cong-bo/",
        views.campaign_publish,
        name="campaign-publish",
    ),
    path(
        "phieu-tin-nhiem/<int:campaign_id>/phat-phieu-giay/",
        views.paper_issue,
        name="paper-issue",
    ),
    path("phieu-tin-nhiem/<int:campaign_id>/phieu-giay.pdf", views.paper_pdf, name="paper-pdf"),
    path(
        "phieu-tin-nhiem/<int:campaign_id>/tap-phieu/moi/",
        views.batch_create,
        name="batch-create",
    ),
    path("tap-phieu/<int:batch_id>/", views.batch_detail, name="batch-detail"),
    path("tap-phieu/<int:batch_id>/kiem-tra/", views.batch_check, name="batch-check"),
    path("tap-phieu/<int:batch_id>/huy/", views.batch_discard, name="batch-discard"),
    path(
        "phieu-tin-nhiem/<int:campaign_id>/bien-ban.<str:extension>",
        views.minutes_download,
        name="minutes-download",
    ),
    path("bo-phieu/", views.ballot_create, name="ballot-create"),
    path(
        "api/phieu-tin-nhiem/<int:campaign_id>/",
        api.CampaignDetail.as_view(),
        name="api-campaign-detail",
    ),
    path("api/bo-phieu/", api.BallotCreate.as_view(), name="api-ballot-create"),
]

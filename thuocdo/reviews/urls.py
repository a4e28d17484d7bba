"""Routes of periods: monthly scoring, the annual cycle, and the cycle's API."""

from __future__ import annotations

from django.urls import path

from thuocdo.reviews.annual import api, simulation_views
from thuocdo.reviews.annual import views as annual_views
from thuocdo.reviews.annual import views_closing as closing
from thuocdo.reviews.monthly import views

app_name = "reviews"
urlpatterns = [
    path("ky-danh-gia/", views.period_list, name="period-list"),
    path("ky-danh-gia/mo-ky-nam/", annual_views.period_open_year, name="period-open-year"),
    path("ky-danh-gia/<int:period_id>/", views.period_board, name="period-board"),
    path("ky-danh-gia/<int:period_id>/tinh-diem/", views.period_compute, name="period-compute"),
    path("ky-danh-gia/<int:period_id>/xuat.xlsx", views.period_export, name="period-export"),
    path(
        "ky-danh-gia/<int:period_id>/cham-diem/<int:person_id>/",
        views.assessment_edit,
        name="assessment-edit",
    ),
    path(
        "ky-danh-gia/<int:period_id>/nhap-ho/<int:person_id>/",
        views.assessment_on_behalf,
        name="assessment-on-behalf",
    ),
    path(
        "ky-danh-gia/<int:period_id>/xac-nhan-tu-danh-gia/",
        views.assessment_confirm,
        name="assessment-confirm",
    ),
    path("ky-danh-gia/lich-mo-ky/<int:unit_id>/", views.schedule_toggle, name="schedule-toggle"),
    path("ket-qua-thang/<int:score_id>/", views.score_detail, name="score-detail"),
    path("ket-qua-thang/<int:score_id>/quyet-dinh/", views.score_decide, name="score-decide"),
    # The annual cycle.
    path(
        "ky-danh-gia/<int:period_id>/tham-dinh/",
        annual_views.period_verification,
        name="period-verification",
    ),
    path(
        "ky-danh-gia/<int:period_id>/de-xuat/", annual_views.period_propose, name="period-propose"
    ),
    path(
        "ky-danh-gia/<int:period_id>/ket-luan/",
        closing.period_conclusions,
        name="period-conclusions",
    ),
    path("ky-danh-gia/<int:period_id>/chap-thuan/", closing.period_accept, name="period-accept"),
    path("ky-danh-gia/<int:period_id>/cong-bo/", closing.period_publish, name="period-publish"),
    path("ky-danh-gia/<int:period_id>/cong-khai/", closing.period_results, name="period-results"),
    path(
        "ky-danh-gia/<int:period_id>/danh-sach.xlsx",
        annual_views.period_evaluations_xlsx,
        name="period-evaluations-xlsx",
    ),
    path("ky-danh-gia/<int:period_id>/khoa/", closing.period_lock, name="period-lock"),
    path(
        "ky-danh-gia/<int:period_id>/mo-phong/",
        simulation_views.period_what_if,
        name="period-what-if",
    ),
    path("ky-danh-gia/<int:period_id>/mo-lai/", closing.period_reopen, name="period-reopen"),
    path("danh-gia/<int:evaluation_id>/", annual_views.evaluation_detail, name="evaluation-detail"),
    path(
        "danh-gia/<int:evaluation_id>/ban-kiem-diem.docx",
        annual_views.evaluation_docx,
        name="evaluation-docx",
    ),
    path("danh-gia/<int:evaluation_id>/kien-nghi/", closing.appeal_file, name="appeal-file"),
    path(
        "kien-nghi/<int:appeal_id>/xem-xet-lai/",
        closing.appeal_reexamine,
        name="appeal-reexamine",
    ),
    path("kien-nghi/<int:appeal_id>/giai-quyet/", closing.appeal_decide, name="appeal-decide"),
    path(
        "danh-gia/<int:evaluation_id>/tu-kiem-diem/",
        annual_views.evaluation_self,
        name="evaluation-self",
    ),
    path(
        "danh-gia/<int:evaluation_id>/tu-kiem-diem/xac-nhan/",
        annual_views.evaluation_self_confirm,
        name="evaluation-self-confirm",
    ),
    path(
        "danh-gia/<int:evaluation_id>/lanh-dao/",
        annual_views.evaluation_review,
        name="evaluation-review",
    ),
    path(
        "danh-gia/<int:evaluation_id>/ket-luan/",
        closing.evaluation_conclude,
        name="evaluation-conclude",
    ),
    # API of the annual cycle: the same services and the same scope as the pages.
    path("api/ky-danh-gia/", api.PeriodOpen.as_view(), name="api-period-open"),
    path(
        "api/ky-danh-gia/<int:period_id>/danh-gia/",
        api.EvaluationList.as_view(),
        name="api-evaluation-list",
    ),
    path(
        "api/danh-gia/<int:evaluation_id>/",
        api.EvaluationDetail.as_view(),
        name="api-evaluation-detail",
    ),
    path(
        "api/danh-gia/<int:evaluation_id>/tu-kiem-diem/",
        api.EvaluationSelfAssess.as_view(),
        name="api-evaluation-self",
    ),
    path(
        "api/danh-gia/<int:evaluation_id>/lanh-dao/",
        api.EvaluationReview.as_view(),
        name="api-evaluation-review",
    ),
    path(
        "api/ky-danh-gia/<int:period_id>/tham-dinh/",
        api.PeriodVerify.as_view(),
        name="api-period-verify",
    ),
    path(
        "api/ky-danh-gia/<int:period_id>/de-xuat/",
        api.PeriodPropose.as_view(),
        name="api-period-propose",
    ),
    path(
        "api/danh-gia/<int:evaluation_id>/ket-luan/",
        api.EvaluationConclude.as_view(),
        name="api-evaluation-conclude",
    ),
    path(
        "api/ky-danh-gia/<int:period_id>/cong-bo/",
        api.PeriodPublish.as_view(),
        name="api-period-publish",
    ),
    path("api/ky-danh-gia/<int:period_id>/khoa/", api.PeriodLock.as_view(), name="api-period-lock"),
    path(
        "api/ky-danh-gia/<int:period_id>/mo-phong/",
        api.PeriodWhatIf.as_view(),
        name="api-period-what-if",
    ),
    path(
        "api/ky-danh-gia/<int:period_id>/mo-phong/<uuid:job_id>/",
        api.PeriodWhatIfJob.as_view(),
        name="api-period-what-if-job",
    ),
    path(
        "api/ky-danh-gia/<int:period_id>/mo-lai/",
        api.PeriodReopen.as_view(),
        name="api-period-reopen",
    ),
    path(
        "api/danh-gia/<int:evaluation_id>/kien-nghi/",
        api.AppealFile.as_view(),
        name="api-appeal-file",
    ),
    path(
        "api/kien-nghi/<int:appeal_id>/xem-xet-lai/",
        api.AppealReexamine.as_view(),
        name="api-appeal-reexamine",
    ),
    path(
        "api/kien-nghi/<int:appeal_id>/giai-quyet/",
        api.AppealDecide.as_view(),
        name="api-appeal-decide",
    ),
]

"""Routes of the work app: pages, and the API under `api/work/`."""

from __future__ import annotations

from django.urls import path

from thuocdo.work import api, views, views_locks

app_name = "work"
urlpatterns = [
    path("thang-cua-toi/", views.month_detail, name="month-detail"),
    path("don-vi-cua-toi/", views.team_detail, name="team-detail"),
    path("nhiem-vu/dang-ky/", views.task_register, name="task-register"),
    path("nhiem-vu/<int:task_id>/tien-do/", views.task_progress, name="task-progress"),
    path("nhiem-vu/<int:task_id>/hoan-thanh/", views.task_complete, name="task-complete"),
    path("nhiem-vu/<int:task_id>/xac-nhan/", views.task_verify, name="task-verify"),
    path("nhiem-vu/<int:task_id>/mien-tru/", views.exemption_request, name="exemption-request"),
    path("nhiem-vu/<int:task_id>/minh-chung/", views.task_evidence, name="task-evidence"),
    path(
        "mien-tru/<int:exemption_id>/quyet-dinh/", views.exemption_decide, name="exemption-decide"
    ),
    path("ke-hoach/<int:plan_id>/gui-duyet/", views.plan_submit, name="plan-submit"),
    path("ke-hoach/<int:plan_id>/duyet/", views.plan_approve, name="plan-approve"),
    path("ke-hoach/<int:plan_id>/tra-lai/", views.plan_return, name="plan-return"),
    path("khoa-so-thang/", views_locks.month_lock_list_view, name="month-lock-list"),
    path(
        "khoa-so-thang/<int:lock_id>/mo-lai/",
        views_locks.month_lock_reopen,
        name="month-lock-reopen",
    ),
    path("thong-bao/", views.notification_list, name="notification-list"),
    path("thong-bao/da-doc-tat-ca/", views.notification_read_all, name="notification-read-all"),
    path(
        "thong-bao/<int:notification_id>/da-doc/", views.notification_read, name="notification-read"
    ),
    path("danh-muc-san-pham/", views.catalogue_import_view, name="catalogue-import"),
    path("danh-muc-san-pham/mau/", views.catalogue_template, name="catalogue-template"),
    path(
        "danh-muc-san-pham/<int:position_id>/xuat/",
        views.catalogue_export_view,
        name="catalogue-export",
    ),
    path("api/work/tasks/", api.TaskList.as_view(), name="api-task-list"),
    path("api/work/tasks/<int:pk>/", api.TaskDetail.as_view(), name="api-task-detail"),
    path("api/work/items", api.WorkItemPush.as_view(), name="api-item-push"),
    path("api/work/citizen-ratings", api.CitizenRatingPush.as_view(), name="api-rating-push"),
]

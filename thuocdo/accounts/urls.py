"""Routes of accounts: pages under /tai-khoan/ and /doi-mat-khau/, the API under /api/accounts/."""

from __future__ import annotations

from django.urls import path

from thuocdo.accounts import api, views

app_name = "accounts"
urlpatterns = [
    path("doi-mat-khau/", views.password_change, name="password-change"),
    path("tai-khoan/", views.account_list, name="account-list"),
    path("tai-khoan/nhap/", views.account_import, name="account-import"),
    path("tai-khoan/mau/", views.account_template, name="account-template"),
    path("tai-khoan/tao/", views.accounts_create, name="accounts-create"),
    path("tai-khoan/<int:user_id>/", views.account_detail, name="account-detail"),
    path(
        "tai-khoan/<int:user_id>/cap-lai-mat-khau/",
        views.account_password_reset,
        name="account-password-reset",
    ),
    path("tai-khoan/<int:user_id>/khoa/", views.account_active, name="account-active"),
    path("tai-khoan/<int:user_id>/vai-tro/", views.role_grant, name="role-grant"),
    path(
        "tai-khoan/<int:user_id>/vai-tro/<int:role_id>/thu-hoi/",
        views.role_revoke,
        name="role-revoke",
    ),
    path("api/password/", api.PasswordChange.as_view(), name="api-password-change"),
    path("api/accounts/", api.AccountList.as_view(), name="api-account-list"),
    path("api/accounts/unlinked/", api.UnlinkedAccountList.as_view(), name="api-unlinked-list"),
    path("api/accounts/import/", api.AccountsImport.as_view(), name="api-account-import"),
    path(
        "api/accounts/import/<uuid:job_id>/",
        api.AccountsImportJob.as_view(),
        name="api-account-import-job",
    ),
    path(
        "api/accounts/import/<uuid:job_id>/passwords/",
        api.AccountsImportPasswords.as_view(),
        name="api-account-import-passwords",
    ),
    path("api/accounts/create/", api.AccountsCreate.as_view(), name="api-accounts-create"),
    path("api/accounts/<int:pk>/", api.AccountDetail.as_view(), name="api-account-detail"),
    path(
        "api/accounts/<int:pk>/password-reset/",
        api.AccountPasswordReset.as_view(),
        name="api-account-password-reset",
    ),
    path("api/accounts/<int:pk>/roles/", api.RoleGrant.as_view(), name="api-role-grant"),
]

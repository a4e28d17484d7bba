"""Logins, sessions, tokens, headers and the input policy at the boundary."""

from __future__ import annotations

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SecurityConfig(AppConfig):
    default = True
    name = "thuocdo.security"
    label = "security"
    verbose_name = "Bảo mật"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from thuocdo.security import signals  # noqa: F401  (connects the receivers)

        third_party_names_in_vietnamese()


# What the administrator reads in the admin for the apps we take from others (they ship no
# Vietnamese): (app label, app name, {model name: (singular, plural)}).
THIRD_PARTY_NAMES = (
    ("knox", "Khóa truy cập API", {"authtoken": ("khóa truy cập API", "khóa truy cập API")}),
    (
        "axes",
        "Khóa đăng nhập sai",
        {
            "accessattempt": ("lần đăng nhập sai", "các lần đăng nhập sai"),
            "accesslog": ("nhật ký đăng nhập", "nhật ký đăng nhập"),
            "accessfailurelog": ("đăng nhập thất bại", "các lần đăng nhập thất bại"),
        },
    ),
    ("otp_totp", "Xác thực hai lớp", {"totpdevice": ("thiết bị TOTP", "thiết bị TOTP")}),
    (
        "django_tasks_database",
        "Hàng đợi công việc nền",
        {"dbtaskresult": ("kết quả công việc nền", "kết quả công việc nền")},
    ),
)


def third_party_names_in_vietnamese() -> None:
    """Name the third-party apps and models of the admin in Vietnamese (never "AUTH TOKEN")."""
    from django.apps import apps

    for label, app_name, models in THIRD_PARTY_NAMES:
        try:
            config = apps.get_app_config(label)
        except LookupError:  # not installed in this configuration
            continue
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            model = config.get_model(model_name, require_ready=False)
            model._meta.verbose_name = singular
            model._meta.verbose_name_plural = plural


class AuditedAdminConfig(admin_apps.AdminConfig):
    """`django.contrib.admin` whose default site audits every write (security/admin.py)."""

    default = False
    default_site = "thuocdo.security.admin.AuditedAdminSite"

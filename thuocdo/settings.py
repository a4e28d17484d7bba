"""Settings for Thước Đo, driven entirely by environment variables.

SQLite (a file next to the project) is the embedded default so that one command runs
everything; set DATABASE_URL to run on PostgreSQL, as production does.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import django_stubs_ext

# Lets admin and querysets be subscripted at runtime for type checking (ModelAdmin[Unit]).
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def envbool(name: str, default: bool) -> bool:
    """Read a yes/no environment variable."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def envlist(name: str, default: str) -> list[str]:
    """Read a comma-separated environment variable."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("THUOCDO_DEBUG", False)
# The fallback key is for local demos only; production must set THUOCDO_SECRET_KEY.
SECRET_KEY = os.environ.get("THUOCDO_SECRET_KEY", "insecure-local-demo-key-change-me-in-production")
ALLOWED_HOSTS = envlist("THUOCDO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("THUOCDO_CSRF_TRUSTED_ORIGINS", "")

AUTH_USER_MODEL = "org.User"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "thuocdo.audit",
    "thuocdo.org",
    "thuocdo.accounts",
    "thuocdo.work",
    "thuocdo.targets",
    "thuocdo.reviews",
    "thuocdo.opinions",
    "thuocdo.ballots",
    "thuocdo.reports",
    "thuocdo.careers",
    "thuocdo.web",
    "thuocdo.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thuocdo.accounts.middleware.PasswordChangeRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "thuocdo.urls"
WSGI_APPLICATION = "thuocdo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "thuocdo.web.context.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default="sqlite:///"
        + os.environ.get("THUOCDO_SQLITE_PATH", str(PROJECT_DIR / "thuocdo.sqlite3")),
        conn_max_age=int(os.environ.get("THUOCDO_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The password policy (ASVS 2.1): at least 10 characters, not like the login or the name, not
# among the 20,000 commonest passwords, not digits only, not containing the login.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "thuocdo.accounts.validators.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "thuocdo.accounts.validators.LoginInPasswordValidator"},
]
# Django's defaults, then the fast hasher that only generated one-time passwords use (never the
# default: see thuocdo/accounts/hashers.py for why it is safe for them and only for them).
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.BCryptSHA256PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "thuocdo.accounts.hashers.OneTimePasswordHasher",
]
AUTHENTICATION_BACKENDS = ["thuocdo.accounts.backends.AccountBackend"]
# Days a one-time password handed out by the organiser stays valid (ASVS 2.3.1).
THUOCDO_ONETIME_PASSWORD_DAYS = int(os.environ.get("THUOCDO_ONETIME_PASSWORD_DAYS", "30"))
# Most accounts one request of the page or the API creates (about 20 s at 25.000 people, see
# bench/accounts.py); the command line has no limit.
THUOCDO_ACCOUNTS_PAGE_LIMIT = int(os.environ.get("THUOCDO_ACCOUNTS_PAGE_LIMIT", "25000"))
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["thuocdo.formats"]
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PROJECT_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("THUOCDO_STATIC_ROOT", PROJECT_DIR / "staticfiles"))

# Uploaded evidence is never served directly: views check scope before sending a file.
MEDIA_ROOT = Path(os.environ.get("THUOCDO_MEDIA_ROOT", PROJECT_DIR / "media"))
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("THUOCDO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "thuocdo.accounts.api_permissions.PasswordChanged",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "thuocdo.api.errors.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Thước Đo API",
    "DESCRIPTION": "API đánh giá, xếp loại cán bộ (Thước Đo)",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI is served from the installed sidecar package, never from a CDN (intranets).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THUOCDO_LOG_LEVEL", "WARNING")},
}

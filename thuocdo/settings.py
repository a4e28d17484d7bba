"""Settings for Thước Đo, driven entirely by environment variables.

SQLite (a file next to the project) is the embedded default so that one command runs
everything; set DATABASE_URL to run on PostgreSQL, as production does.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

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


def envint(name: str, default: int) -> int:
    """Read a whole-number environment variable."""
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


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
    "thuocdo.work",
    "thuocdo.targets",
    "thuocdo.reviews",
    "thuocdo.opinions",
    "thuocdo.ballots",
    "thuocdo.reports",
    "thuocdo.careers",
    "thuocdo.web",
    "thuocdo.api",
    "thuocdo.jobs",
    "thuocdo.ops",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ (the vendored front end) from the app itself, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
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

DATABASES: dict[str, Any] = {
    "default": dj_database_url.config(
        default="sqlite:///"
        + os.environ.get("THUOCDO_SQLITE_PATH", str(PROJECT_DIR / "thuocdo.sqlite3")),
        conn_max_age=envint("THUOCDO_DB_CONN_MAX_AGE", 60),
    )
}
# Connection budget (docs/operations.md): each web process holds a pool of at most
# THUOCDO_DB_POOL_SIZE connections (one per thread), so the web takes at most
# workers × threads ≤ THUOCDO_DB_MAX_CONNECTIONS; `thuocdo serve` refuses to start otherwise.
DB_MAX_CONNECTIONS = envint("THUOCDO_DB_MAX_CONNECTIONS", 20)
WEB_WORKERS = envint("THUOCDO_WEB_WORKERS", 2)
WEB_THREADS = envint("THUOCDO_WEB_THREADS", 4)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the demo server read while a long import writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = "PRAGMA journal_mode=WAL;"
    DATABASES["default"]["OPTIONS"]["timeout"] = 30
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif envbool("THUOCDO_DB_POOL", False):
    # Set by `thuocdo serve`: psycopg's pool, one per process, sized to the threads; a thread
    # waits up to the timeout for a free connection instead of opening another one.
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # a pool and persistent connections exclude each other
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": envint("THUOCDO_DB_POOL_SIZE", WEB_THREADS),
        "timeout": envint("THUOCDO_DB_POOL_TIMEOUT", 10),
    }
# Background jobs write their progress through a connection of their own, so a page sees it
# while the job's work is still inside its transaction (PostgreSQL; SQLite has one writer).
DATABASES["jobs"] = {
    **{k: v for k, v in DATABASES["default"].items() if k != "OPTIONS"},
    "OPTIONS": {k: v for k, v in DATABASES["default"].get("OPTIONS", {}).items() if k != "pool"},
    "CONN_MAX_AGE": 0,
    "TEST": {"MIRROR": "default"},
}
if DATABASES["jobs"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["jobs"]["OPTIONS"]["timeout"] = 0.2
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
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
# WhiteNoise finds the files where they are (static/ and the apps), so `make run` needs no
# collectstatic; production may run collectstatic and set THUOCDO_STATIC_MANIFEST=1 for
# hashed names cached forever.
WHITENOISE_USE_FINDERS = True
# Without collectstatic there is no STATIC_ROOT folder, which is fine here (finders serve).
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if envbool("THUOCDO_STATIC_MANIFEST", False)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Uploaded evidence is never served directly: views check scope before sending a file.
MEDIA_ROOT = Path(os.environ.get("THUOCDO_MEDIA_ROOT", PROJECT_DIR / "media"))
MEDIA_URL = "/media/"

# Background jobs (thuocdo/jobs): Django's task framework (the django-tasks backport) on its
# database queue, worked by `thuocdo worker`.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("THUOCDO_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

# Backups (thuocdo/ops, docs/operations.md): where they go, when the worker takes one, how
# many it keeps.
BACKUP_DIR = Path(os.environ.get("THUOCDO_BACKUP_DIR", PROJECT_DIR / "backups"))
BACKUP_AT = os.environ.get("THUOCDO_BACKUP_AT", "02:00")  # local time; empty: no schedule
BACKUP_KEEP = envint("THUOCDO_BACKUP_KEEP", 14)
# The PostgreSQL client tools; by default those of the server's major version
# (/usr/lib/postgresql/<major>/bin), else the PATH.
PG_BIN_DIR = os.environ.get("THUOCDO_PG_BIN_DIR", "")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("THUOCDO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
# Behind nginx terminating TLS (deploy/nginx.conf): trust its X-Forwarded-Proto.
if envbool("THUOCDO_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
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

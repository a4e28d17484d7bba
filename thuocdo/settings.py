"""Settings for Thước Đo, driven entirely by environment variables.

SQLite (a file next to the project) is the embedded default so that one command runs
everything; set DATABASE_URL to run on PostgreSQL, as production does.
"""

from __future__ import annotations

import datetime
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
# `make run` sets THUOCDO_DEMO=true: the demo city on a laptop, with the README's logins.
DEMO = envbool("THUOCDO_DEMO", False)
# The fallback key is for the demo, DEBUG and the tests only: `thuocdo serve` and the WSGI
# application refuse to start with it otherwise (thuocdo/security/secret.py).
DEFAULT_SECRET_KEY = "insecure-local-demo-key-change-me-in-production"  # noqa: S105
SECRET_KEY = os.environ.get("THUOCDO_SECRET_KEY", "").strip() or DEFAULT_SECRET_KEY
SECRET_KEY_IS_DEFAULT = SECRET_KEY == DEFAULT_SECRET_KEY
ALLOWED_HOSTS = envlist("THUOCDO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = envlist("THUOCDO_CSRF_TRUSTED_ORIGINS", "")
CSRF_FAILURE_VIEW = "thuocdo.web.errors.csrf_failure"

AUTH_USER_MODEL = "org.User"

INSTALLED_APPS = [
    # Django's admin, whose site audits every write made through it (thuocdo/security/admin.py).
    "thuocdo.security.apps.AuditedAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "knox",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "template_partials",
    "thuocdo.audit",
    "thuocdo.security",
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
    "thuocdo.jobs",
    "thuocdo.ops",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Serves /static/ (the vendored front end) from the app itself, compressed and cached.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    # Malformed requests (NUL bytes, control characters, deep JSON) answer a Vietnamese 400
    # before any view sees them; personnel responses are never cached.
    "thuocdo.security.middleware.InputPolicyMiddleware",
    "thuocdo.security.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Before the user is loaded: the data stamp of a reused page (thuocdo/web/pagecache.py).
    "thuocdo.web.pagecache.StampMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "thuocdo.security.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "thuocdo.security.middleware.TwoFactorMiddleware",
    # After the second factor: a one-time password is replaced by a fully signed-in user.
    "thuocdo.accounts.middleware.PasswordChangeRequiredMiddleware",
    "thuocdo.security.middleware.ReadAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it sees the failed logins of every view (pages, admin, API token).
    "axes.middleware.AxesMiddleware",
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
    # One writer: a transaction that has read cannot begin writing once another connection
    # has committed since ("database is locked" at once, whatever the timeout), so every
    # transaction takes the write lock when it begins and waits for it up to the timeout.
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"
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
# One cache for every web process (the failed-code counters, the API's rate limits): Django's
# database cache in a table made by a migration (thuocdo/security/models.py). Room for every
# counter an hour can make: culling would forget counters (thuocdo/web/throttle.py).
CACHES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "thuocdo_cache",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
    # The busiest pages, kept in each process under the data stamp that vouches for them
    # (thuocdo/web/pagecache.py): a committed write makes them unreachable, never stale.
    "pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "thuocdo-pages",
        "TIMEOUT": 3600,
        "OPTIONS": {"MAX_ENTRIES": envint("THUOCDO_PAGE_CACHE_ENTRIES", 1000)},
    },
}
# Wrong one-time codes (survey and ballot) accepted from everyone together per minute, before
# every code is refused until the minute ends (docs/security.md, "One-time codes").
FAILED_CODES_PER_MINUTE = envint("THUOCDO_FAILED_CODES_PER_MINUTE", 120)

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out user before the password is even checked (django-axes).
    "thuocdo.security.backends.LockoutBackend",
    # Django's model backend, refusing one-time passwords past their expiry.
    "thuocdo.accounts.backends.AccountBackend",
]

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

# Files jobs make (thuocdo/jobs/files.py): an import's one-time passwords are destroyed after
# their first download or after this many hours. `thuocdo jobs prune`, and the worker every day
# at THUOCDO_JOBS_PRUNE_AT (local time; empty: never), delete the jobs finished more than
# THUOCDO_JOBS_KEEP_DAYS days ago with their results and files (0: the worker never prunes).
ONETIME_FILE_HOURS = envint("THUOCDO_ONETIME_FILE_HOURS", 24)
JOBS_KEEP_DAYS = envint("THUOCDO_JOBS_KEEP_DAYS", 30)
JOBS_PRUNE_AT = os.environ.get("THUOCDO_JOBS_PRUNE_AT", "03:30")

# "Mô phỏng" of a year with more evaluations than this runs as a background job (its page
# follows the job to the stored result) instead of inside the request.
WHAT_IF_INLINE_MAX = envint("THUOCDO_WHAT_IF_INLINE_MAX", 5000)

# Backups (thuocdo/ops, docs/operations.md): where they go, when the worker takes one, how
# many it keeps.
BACKUP_DIR = Path(os.environ.get("THUOCDO_BACKUP_DIR", PROJECT_DIR / "backups"))
BACKUP_AT = os.environ.get("THUOCDO_BACKUP_AT", "02:00")  # local time; empty: no schedule
BACKUP_KEEP = envint("THUOCDO_BACKUP_KEEP", 14)
# The PostgreSQL client tools; by default those of the server's major version
# (/usr/lib/postgresql/<major>/bin), else the PATH.
PG_BIN_DIR = os.environ.get("THUOCDO_PG_BIN_DIR", "")

# --- Transport. THUOCDO_HTTPS (or THUOCDO_SECURE_COOKIES) says the site is served over HTTPS:
# secure cookies, a redirect of plain HTTP, and HSTS for a year.
HTTPS = envbool("THUOCDO_HTTPS", False) or envbool("THUOCDO_SECURE_COOKIES", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("THUOCDO_HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = False
if envbool("THUOCDO_BEHIND_PROXY", False):
    # The reverse proxy terminates TLS and says so in X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Content-Security-Policy: scripts only from our own static files (no inline script, no eval);
# inline style attributes stay allowed for the bars and tiles whose sizes come from data.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Sessions: closed after THUOCDO_SESSION_IDLE_MINUTES without a request, and in any case
# THUOCDO_SESSION_MAX_HOURS after the login (thuocdo/security/middleware.py).
SESSION_IDLE_SECONDS = int(os.environ.get("THUOCDO_SESSION_IDLE_MINUTES", "30")) * 60
SESSION_MAX_SECONDS = int(os.environ.get("THUOCDO_SESSION_MAX_HOURS", "10")) * 3600
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Lockout (django-axes): THUOCDO_LOGIN_FAILURES wrong passwords for one user name lock it
# for THUOCDO_LOGIN_COOLOFF_MINUTES, on the login page, the admin and /api/token/ alike.
AXES_FAILURE_LIMIT = int(os.environ.get("THUOCDO_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(
    minutes=int(os.environ.get("THUOCDO_LOGIN_COOLOFF_MINUTES", "15"))
)
# By user name, not address: every guess at one account counts wherever it comes from, and
# one meeting room's Wi-Fi (one address) is never locked as a whole. axes.W006 warns about
# rotating user agents or cookies, which a user-name key does not depend on.
AXES_LOCKOUT_PARAMETERS = ["username"]
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "thuocdo.security.lockout.lockout_response"
AXES_DISABLE_ACCESS_LOG = True  # logins are recorded as AuditEvents (thuocdo/security/signals.py)
AXES_SENSITIVE_PARAMETERS = ["password", "otp"]
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("THUOCDO_PROXY_COUNT", "0")) or None

# --- Second factor (django-otp, TOTP) for organisers, authorities and administrators. On by
# default as soon as a real secret key is set; the demo (no key) logs in with a password alone.
REQUIRE_2FA = envbool("THUOCDO_REQUIRE_2FA", not SECRET_KEY_IS_DEFAULT)
OTP_TOTP_ISSUER = os.environ.get("THUOCDO_OTP_ISSUER", "Thước Đo")

# --- Bad input: the boundary's limits (thuocdo/security/inputs.py).
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024  # a request body other than files
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
JSON_MAX_DEPTH = 32
# The largest request of any kind (an import workbook, an evidence file): 413 above it.
REQUEST_MAX_BYTES = int(os.environ.get("THUOCDO_REQUEST_MAX_MB", "50")) * 1024 * 1024
EVIDENCE_MAX_BYTES = int(os.environ.get("THUOCDO_EVIDENCE_MAX_MB", "20")) * 1024 * 1024

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "knox.auth.TokenAuthentication",
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
# API tokens (django-rest-knox): stored as a SHA-512 digest, expire after
# THUOCDO_API_TOKEN_HOURS, revoked by /api/token/logout/ and by logging out of the site.
REST_KNOX = {
    "TOKEN_TTL": datetime.timedelta(hours=int(os.environ.get("THUOCDO_API_TOKEN_HOURS", "10"))),
    "TOKEN_LIMIT_PER_USER": 20,
    "AUTO_REFRESH": False,
    "AUTH_HEADER_PREFIX": "Token",
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
    # Several models have a `state` or a `kind`: each choice set gets its own name.
    "ENUM_NAME_OVERRIDES": {
        "AppealStateEnum": "thuocdo.reviews.models.AppealState",
        "EvaluationStateEnum": "thuocdo.reviews.models.EvaluationState",
        "PeriodStateEnum": "thuocdo.reviews.models.PeriodState",
        "TargetSetStateEnum": "thuocdo.targets.models.TargetSetState",
        "TaskStateEnum": "thuocdo.work.models.TaskState",
        "PeriodKindEnum": "thuocdo.reviews.models.PeriodKind",
        "SubjectKindEnum": "thuocdo.reviews.models.SubjectKind",
        "UnitKindEnum": "thuocdo.org.models.UnitKind",
        "JobStateEnum": "thuocdo.jobs.models.JobState",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("THUOCDO_LOG_LEVEL", "WARNING")},
}

"""Settings, configured by environment variables (see README, "Configuration")."""

from __future__ import annotations

import os
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from adelante import siteaddress as _siteaddress
from adelante.accounts.mailconfig import email_settings as _email_settings
from adelante.operations import environment as _environment
from adelante.operations import error_reports as _error_reports
from adelante.operations import logs as _logs
from adelante.operations import shared_state as _shared_state
from adelante.operations import storage as _storage

PACKAGE_DIR = Path(__file__).resolve().parent


def env_flag(name: str, default: bool) -> bool:
    return _environment.flag(os.environ, name, default)


DEBUG = env_flag("DEBUG", False)
# ADELANTE_DATA_DIR, or the installation's var/ (never the current folder); the secret key, or
# a development key only where one is acceptable: adelante/operations/environment.py.
DATA_DIR = _environment.data_dir()
if _environment.RUN.creates_database:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
SECRET_KEY = _environment.secret_key(debug=DEBUG, directory=DATA_DIR)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEBUG and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # The sitemap (/sitemap.xml, adelante/portal/sitemaps.py): its templates.
    "django.contrib.sitemaps",
    "simple_history",
    "adelante.catalogue",
    "adelante.partners",
    "adelante.currency",
    # Initiatives: the partnerships the installation hosts, their countries and look.
    "adelante.initiatives",
    "adelante.commitments",
    "adelante.progress",
    "adelante.figures",
    "adelante.exchange",
    "adelante.iati",
    "adelante.portal",
    "adelante.reports",
    "adelante.api",
    "adelante.workflow",
    "adelante.accounts",
    "adelante.corrections",
    # Health and readiness probes, request ids and logs, metrics, backup and restore.
    "adelante.operations",
    # django-ninja: in INSTALLED_APPS so its API docs use its bundled static files, no CDN.
    "ninja",
    # Background jobs (the staff's import; docs/import.md): Django's tasks framework, backported,
    # with its database backend and worker (`adelante worker`).
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: every request gets its id (X-Request-ID) and its log line, errors included.
    "adelante.operations.middleware.RequestIdMiddleware",
    # /healthz and /readyz, answered before the host check, redirects, sessions and limits.
    "adelante.operations.health.HealthMiddleware",
    # A body over ADELANTE_REQUEST_MAX_BYTES is refused (413) before anything reads it.
    "adelante.uploads.middleware.RequestSizeMiddleware",
    # What a request reads about initiatives (the primary one, the one in scope, its
    # countries) is read once, and forgotten when the request ends (docs/initiatives.md).
    "adelante.initiatives.middleware.RememberingMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (docs/security.md).
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Pages for anonymous readers compressed (GZip); never a signed-in reader's (BREACH).
    "adelante.portal.compression.PublicPageGZipMiddleware",
    # /api/ only: CORS, tokens, rate limit, conditional GET, problem details (docs/api.md).
    "adelante.api.middleware.ApiMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # An over-long query string: the portal's own 414 page, in the reader's language.
    "adelante.portal.middleware.QueryLengthMiddleware",
    # /<lang>/i/<slug>/…: the initiative's scope and URLs (docs/portal.md, "Initiatives").
    "adelante.portal.initiatives.InitiativeMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which signed-in user made each change in the history.
    "simple_history.middleware.HistoryRequestMiddleware",
    # A view that finds the database locked answers 503 with Retry-After, not 500.
    "adelante.uploads.middleware.DatabaseBusyMiddleware",
]

ROOT_URLCONF = "adelante.urls"
WSGI_APPLICATION = "adelante.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The project's own templates: the site's frame (adelante/base.html) every app extends.
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                # The initiative of the page: its name, look and the switcher.
                "adelante.portal.initiatives.initiative_context",
            ],
        },
    },
]


def sqlite_options(environ: Mapping[str, str]) -> dict[str, Any]:
    """The embedded SQLite database's options (tests/uploads/test_busy.py uses them too)."""
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": float(environ.get("ADELANTE_SQLITE_TIMEOUT") or 30),
    }


_default_db = f"sqlite:///{DATA_DIR / 'adelante.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(os.environ.get("DATABASE_URL") or _default_db, conn_max_age=60)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The data directory is made by the commands that create the database (`adelante migrate`,
    # `adelante restore`, the demo), never by merely loading the settings.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # WAL lets every page read while an import writes. A transaction that writes takes the
    # write lock when it begins (IMMEDIATE), so writers queue instead of failing halfway, and
    # wait for it up to ADELANTE_SQLITE_TIMEOUT seconds (docs/security.md).
    DATABASES["default"]["OPTIONS"] = sqlite_options(os.environ)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STORAGES = {
    # Uploaded and stored files: <data dir>/media, or an S3-compatible object store when
    # S3_BUCKET is set (adelante/operations/storage.py; docs/deploy.md, "Files in object storage").
    "default": _storage.default_storage(os.environ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = DATA_DIR / "media"

# Secure defaults whenever DEBUG is off, so `adelante check --deploy` is clean.
if not DEBUG:
    SECURE_SSL_REDIRECT = env_flag("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# API rate limits, "requests/seconds" per address (anonymous) and per token (docs/api.md).
API_RATE_LIMIT_ANONYMOUS = os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120/60")
API_RATE_LIMIT_TOKEN = os.environ.get("API_RATE_LIMIT_TOKEN", "1200/60")

# Accounts and roles (issue 4; docs/accounts.md).
# Argon2 first: new and changed passwords use it; older hashes still verify and are upgraded
# on the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
LOGIN_URL = "accounts:sign_in"
# After signing in, each person lands on their work (accounts.views.session.work).
LOGIN_REDIRECT_URL = "accounts:work"
LOGOUT_REDIRECT_URL = "portal:overview"
# Password-reset and invitation links stay good this long (seconds).
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", 3 * 24 * 3600))
ADELANTE_INVITATION_DAYS = int(os.environ.get("ADELANTE_INVITATION_DAYS", 7))
# Failed sign-ins (docs/accounts.md, "Sign-in protections"), within the window (seconds):
# at most this many per account and address (that address is paused on that account), per
# account from every address together (the account is paused), and per address across
# accounts (then that address waits ADELANTE_SIGNIN_SLOWDOWN_SECONDS between tries on the
# accounts it failed on; it is never shut out of the others).
ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS = int(
    os.environ.get("ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS", 5)
)
ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT = int(
    os.environ.get("ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT", 20)
)
ADELANTE_SIGNIN_FAILURES_PER_ADDRESS = int(
    os.environ.get("ADELANTE_SIGNIN_FAILURES_PER_ADDRESS", 20)
)
ADELANTE_SIGNIN_SLOWDOWN_SECONDS = int(os.environ.get("ADELANTE_SIGNIN_SLOWDOWN_SECONDS", 30))
ADELANTE_SIGNIN_LOCKOUT_SECONDS = int(os.environ.get("ADELANTE_SIGNIN_LOCKOUT_SECONDS", 15 * 60))
# Password-reset e-mails and invitations: at most this many per e-mail address and per client
# address within the window (seconds); past it the same answer is given and nothing is sent.
ADELANTE_RESETS_PER_ACCOUNT = int(os.environ.get("ADELANTE_RESETS_PER_ACCOUNT", 3))
ADELANTE_RESETS_PER_ADDRESS = int(os.environ.get("ADELANTE_RESETS_PER_ADDRESS", 10))
ADELANTE_INVITATIONS_PER_EMAIL = int(os.environ.get("ADELANTE_INVITATIONS_PER_EMAIL", 3))
ADELANTE_INVITATIONS_PER_ADDRESS = int(os.environ.get("ADELANTE_INVITATIONS_PER_ADDRESS", 30))
ADELANTE_MAIL_THROTTLE_SECONDS = int(os.environ.get("ADELANTE_MAIL_THROTTLE_SECONDS", 3600))
# Reverse proxies whose X-Forwarded-For is believed: addresses or networks (CIDR), separated
# by commas (adelante.accounts.addresses). Empty: the header is ignored, REMOTE_ADDR is used.
ADELANTE_TRUSTED_PROXIES = [
    p.strip() for p in os.environ.get("ADELANTE_TRUSTED_PROXIES", "").split(",") if p.strip()
]
# API tokens (docs/api.md, "Tokens"): lifetime in days, and how long a rotated token keeps
# working beside its successor (hours; 0: it stops at once).
ADELANTE_API_TOKEN_DAYS = int(os.environ.get("ADELANTE_API_TOKEN_DAYS", 90))
ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS = int(
    os.environ.get("ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS", 24)
)
# The join form: at most this many requests per address per day.
ADELANTE_JOIN_REQUESTS_PER_ADDRESS = int(os.environ.get("ADELANTE_JOIN_REQUESTS_PER_ADDRESS", 5))
# Public corrections: at most this many suggestions per network address, and per e-mail
# address, per day (docs/corrections.md).
ADELANTE_CORRECTIONS_PER_ADDRESS = int(os.environ.get("ADELANTE_CORRECTIONS_PER_ADDRESS", 10))
# The site's public address, for the links in e-mails (adelante/siteaddress.py): required
# with DEBUG off (`adelante check --deploy`).
SITE_URL = _siteaddress.from_environment(os.environ, debug=DEBUG)
ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT = env_flag("ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT", False)
# E-mail: console by default, SMTP from EMAIL_URL or EMAIL_HOST (adelante/accounts/mailconfig.py).
globals().update(_email_settings(os.environ))

# One JSON object per line on standard error, with the request id or the command's run id
# (LOG_FORMAT=text for a terminal): adelante/operations/logs.py, docs/deploy.md "Logs".
LOGGING = _logs.logging_config(
    log_format=os.environ.get("LOG_FORMAT", "") or ("text" if DEBUG else "json"),
    level=os.environ.get("LOG_LEVEL", "WARNING"),
)

# Prometheus metrics (docs/deploy.md, "Metrics"): off by default; with ADELANTE_METRICS=1,
# /metrics answers only the addresses or networks of ADELANTE_METRICS_ALLOWED.
ADELANTE_METRICS = env_flag("ADELANTE_METRICS", False)
ADELANTE_METRICS_ALLOWED = [
    a.strip()
    for a in os.environ.get("ADELANTE_METRICS_ALLOWED", "127.0.0.1,::1").split(",")
    if a.strip()
]
if ADELANTE_METRICS:
    INSTALLED_APPS.append("django_prometheus")
    MIDDLEWARE.insert(2, "django_prometheus.middleware.PrometheusBeforeMiddleware")
    MIDDLEWARE.insert(3, "adelante.operations.metrics.MetricsMiddleware")
    MIDDLEWARE.append("django_prometheus.middleware.PrometheusAfterMiddleware")

# Error reports to Sentry only when SENTRY_DSN is set (adelante/operations/error_reports.py).
_error_reports.start(os.environ)

# Shared state (docs/deploy.md, "Shared state"): with REDIS_URL, the cache (API rate limits,
# the portal's page cache) is Redis, shared by every process, under ADELANTE_CACHE_PREFIX, and
# sessions are read through it (cached_db); without it, Django's per-process memory cache.
globals().update(_shared_state.cache_settings(os.environ))

# The portal's page cache (docs/portal.md): how long a worker trusts the record's stamp before
# reading it again. Changes made in the same process show at once; others within this time.
PORTAL_STAMP_SECONDS = float(os.environ.get("PORTAL_STAMP_SECONDS", "2"))
# After a change, a page rendered at most this many minutes ago is served at once to anonymous
# readers, with an "updating" banner, while a background task renders it afresh (0: never).
PORTAL_STALE_MINUTES = float(os.environ.get("PORTAL_STALE_MINUTES", "10"))
# The API keeps anonymous reads in the cache by record state (docs/api.md, "Caching").
API_RESPONSE_CACHE = True

# Uploads (docs/security.md, "Uploads and the embedded database"; adelante/uploads/limits.py).
# A request body over this size is refused (413) before it is read; keep it at least the
# largest file limit (the staff's import: 20 MB) plus room for the form.
ADELANTE_REQUEST_MAX_BYTES = int(os.environ.get("ADELANTE_REQUEST_MAX_BYTES", 21 * 1024 * 1024))
# A ZIP archive (XLSX, DOCX …) is refused before it is opened if it would expand to more than
# this many bytes, if a member or the whole is compressed more than this ratio, or if it holds
# more members.
ADELANTE_ARCHIVE_MAX_BYTES = int(os.environ.get("ADELANTE_ARCHIVE_MAX_BYTES", 128 * 1024 * 1024))
ADELANTE_ARCHIVE_MAX_RATIO = float(os.environ.get("ADELANTE_ARCHIVE_MAX_RATIO", 100))
ADELANTE_ARCHIVE_MAX_MEMBERS = int(os.environ.get("ADELANTE_ARCHIVE_MAX_MEMBERS", 1000))
# A sheet is read up to its last filled row, at most this row; and at most this many cells.
ADELANTE_SHEET_MAX_ROWS = int(os.environ.get("ADELANTE_SHEET_MAX_ROWS", 100_000))
ADELANTE_SHEET_MAX_CELLS = int(os.environ.get("ADELANTE_SHEET_MAX_CELLS", 1_000_000))
# Browser policies (docs/security.md, "Browser policies, dates and downloads"). Every page, the
# admin and the API docs load scripts, styles and images from this site only; nothing inline
# (no inline script, style element or style attribute), no plugins, no framing, forms post here.
# Charts draw on a canvas; the API docs' stylesheet uses small data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
# Powerful browser features the site never uses, turned off for it and anything it embeds.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Background jobs (docs/import.md, "Background imports"): Django's tasks framework (the
# django-tasks backport of Django 6.0's django.tasks). "database" (the default): jobs wait in a
# table of the database above, and `adelante worker` processes (one or many, on any machine that
# reaches the database and the uploads) run them; scripts/demo.sh starts one. "immediate": each
# job runs inside the request that queues it (no worker; a large file may then outlast the web
# server's timeout).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
_task_backend = os.environ.get("ADELANTE_TASK_BACKEND", "database")
if _task_backend not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"ADELANTE_TASK_BACKEND must be one of {sorted(_TASK_BACKENDS)}.")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[_task_backend]}}
# A working job with no progress for this long lost its worker and is queued again.
ADELANTE_JOB_STALLED_MINUTES = float(os.environ.get("ADELANTE_JOB_STALLED_MINUTES", "15"))
# Uploads never confirmed are deleted by `adelante cleanup` after this long.
ADELANTE_UPLOAD_KEEP_HOURS = float(os.environ.get("ADELANTE_UPLOAD_KEEP_HOURS", "24"))
# Documents generated from the reports page are deleted by `adelante cleanup` after this long.
ADELANTE_REPORT_KEEP_HOURS = float(os.environ.get("ADELANTE_REPORT_KEEP_HOURS", "24"))

# Accountability rules of the figures (docs/figures.md, issue 13).
# An "about X" official statement is consistent with a record within this share of X (%).
ADELANTE_ABOUT_TOLERANCE_PERCENT = Decimal(os.environ.get("ADELANTE_ABOUT_TOLERANCE_PERCENT", "5"))
# A commitment with a reporting schedule and no report for this long after one fell due is
# silent (counted apart in the figures, active again with its next verified report).
ADELANTE_SILENCE_MONTHS = int(os.environ.get("ADELANTE_SILENCE_MONTHS", "24"))

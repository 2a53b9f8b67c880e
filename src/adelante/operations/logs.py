"""Django's LOGGING: one JSON object per line on standard error (docs/deploy.md, "Logs").

Every line has ``time`` (ISO 8601, UTC), ``level``, ``logger``, ``message``, ``request_id``
and ``run_id`` (one of them empty), ``method``, ``path``, ``status`` and ``duration_ms`` (the
last two set on the request lines of ``adelante.request``, null elsewhere); a traceback, when
there is one, is the ``exc_info`` string of the same line. ``LOG_FORMAT=text`` gives the same
fields as plain text, for a developer's terminal.

gunicorn's own lines are written the same way (adelante/operations/gunicorn_logs.py).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pythonjsonlogger.core import RESERVED_ATTRS

FIELDS = (
    "levelname",
    "name",
    "message",
    "request_id",
    "run_id",
    "method",
    "path",
    "status",
    "duration_ms",
)


def formatters() -> dict[str, Any]:
    return {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": " ".join(f"%({field})s" for field in FIELDS),
            "rename_fields": {"levelname": "level", "name": "logger"},
            "timestamp": "time",
            # Django's request log records carry the request object itself: not a field.
            "reserved_attrs": [*RESERVED_ATTRS, "request", "server_time"],
        },
        "text": {
            "format": ("%(asctime)s %(levelname)s %(name)s [%(request_id)s%(run_id)s] %(message)s"),
        },
    }


def checked(log_format: str) -> None:
    if log_format not in {"json", "text"}:
        raise ImproperlyConfigured(f"LOG_FORMAT is {log_format!r}: it may be 'json' or 'text'.")


def logging_config(*, log_format: str, level: str) -> dict[str, Any]:
    """The LOGGING setting: `log_format` "json" or "text", the root `level` (LOG_LEVEL).

    The request lines (``adelante.request``, one per request, INFO) are written whatever the
    root level, unless LOG_LEVEL is ERROR or higher."""
    checked(log_format)
    level = level.upper()
    request_level = level if level in {"ERROR", "CRITICAL"} else "INFO"
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "adelante.operations.context.ContextFilter"}},
        "formatters": formatters(),
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": log_format,
            },
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "adelante.request": {"level": request_level},
            # Django's lines once, through the same handler (its default configuration adds a
            # plain console handler with DEBUG on, which would say each one twice).
            "django": {"handlers": ["console"], "level": level, "propagate": False},
            # Each request is logged once, by adelante.request, with its id; runserver's own
            # request lines would say it again without it.
            "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        },
    }

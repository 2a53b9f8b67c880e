"""gunicorn's own log lines as the application's (docs/deploy.md, "Logs"): its master and workers
starting and stopping, a worker's timeout, and its access log when one is turned on
(``--access-logfile -``), one JSON object per line on standard error with the same fields as
Django's (adelante/operations/logs.py). deploy/gunicorn.conf.py sets `gunicorn_logging` as its
``logconfig_dict`` and `GunicornLogger` as its ``logger_class``.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.glogging import Logger

from adelante.operations.logs import checked, formatters


class GunicornAccessFilter(logging.Filter):
    """gunicorn's access lines carry their request's parts as a dict of "atoms": the method,
    path, status and duration become the same fields as Adelante's request lines."""

    def filter(self, record: logging.LogRecord) -> bool:
        atoms = record.args
        if isinstance(atoms, dict):
            record.method = str(atoms.get("m", ""))
            record.path = str(atoms.get("U", ""))
            try:
                record.status = int(atoms.get("s", ""))
            except (TypeError, ValueError):
                record.status = None
            microseconds = atoms.get("D")
            record.duration_ms = (
                round(microseconds / 1000, 1) if isinstance(microseconds, int) else None
            )
        return True


def gunicorn_logging(*, log_format: str, level: str) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its error log (``gunicorn.error``, at `level`) and its
    access log (``gunicorn.access``, written only when one is turned on) as lines of the same
    `log_format` on standard error, through the same context filter as Django's."""
    checked(log_format)
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "context": {"()": "adelante.operations.context.ContextFilter"},
            "access": {"()": "adelante.operations.gunicorn_logs.GunicornAccessFilter"},
        },
        "formatters": formatters(),
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["context"],
                "formatter": log_format,
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                # The atoms first: the context filter fills only what is still empty.
                "filters": ["access", "context"],
                "formatter": log_format,
                "stream": "ext://sys.stderr",
            },
        },
        "root": {"handlers": ["console"], "level": level.upper()},
        "loggers": {
            "gunicorn.error": {
                "handlers": ["console"],
                "level": level.upper(),
                "propagate": False,
            },
            "gunicorn.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
        },
    }


class GunicornLogger(Logger):  # type: ignore[misc]  # (gunicorn has no type hints)
    """gunicorn's logger, writing access lines only when an access log is turned on (given a
    ``logconfig_dict``, gunicorn would build and write one for every request, which
    Adelante's own request line already says)."""

    @property
    def access_log_enabled(self) -> bool:
        return bool(self.cfg.accesslog)

"""Error reports to Sentry (or a compatible service) when ``SENTRY_DSN`` is set (docs/deploy.md).

Without ``SENTRY_DSN`` nothing is imported and nothing is sent. With it, sentry-sdk's Django
integration reports unhandled exceptions and ERROR log lines, without personal data
(``send_default_pii=False``: no cookies, no user, no client address, no request bodies), tagged
with the environment (``SENTRY_ENVIRONMENT``, default "production") and Adelante's version.
Performance tracing is off unless ``SENTRY_TRACES_SAMPLE_RATE`` is above 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adelante import __version__


def options(environ: Mapping[str, str]) -> dict[str, Any] | None:
    """The options of `sentry_sdk.init`, or None when error reports are off."""
    dsn = environ.get("SENTRY_DSN", "").strip()
    if not dsn:
        return None
    return {
        "dsn": dsn,
        "environment": environ.get("SENTRY_ENVIRONMENT", "") or "production",
        "release": f"adelante@{__version__}",
        "send_default_pii": False,
        "traces_sample_rate": float(environ.get("SENTRY_TRACES_SAMPLE_RATE", "") or 0),
        # Request bodies may hold partners' data: never sent.
        "max_request_body_size": "never",
    }


def start(environ: Mapping[str, str]) -> bool:
    """Initialise sentry-sdk when SENTRY_DSN is set; True if it was."""
    settings = options(environ)
    if settings is None:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(integrations=[DjangoIntegration()], **settings)
    return True

"""E-mail settings from the environment (read by settings.py; no Django imports here).

- nothing set: the console back end (mails are printed: development and the demo);
- ``EMAIL_URL``: ``smtp://user:password@host:587`` (STARTTLS), ``smtps://…:465`` (TLS),
  ``console:`` or ``locmem:``; user and password are URL-quoted;
- or Django's own ``EMAIL_HOST``, ``EMAIL_PORT``, ``EMAIL_HOST_USER``, ``EMAIL_HOST_PASSWORD``,
  ``EMAIL_USE_TLS``, ``EMAIL_USE_SSL``: any ``EMAIL_HOST`` selects SMTP.
``DEFAULT_FROM_EMAIL`` names the sender.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

SMTP = "django.core.mail.backends.smtp.EmailBackend"
CONSOLE = "django.core.mail.backends.console.EmailBackend"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def email_settings(env: Mapping[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = {
        "DEFAULT_FROM_EMAIL": env.get("DEFAULT_FROM_EMAIL") or "adelante@localhost",
        "EMAIL_BACKEND": CONSOLE,
    }
    found["SERVER_EMAIL"] = found["DEFAULT_FROM_EMAIL"]
    url = env.get("EMAIL_URL", "").strip()
    if url:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "console":
            return found
        if scheme == "locmem":
            found["EMAIL_BACKEND"] = LOCMEM
            return found
        if scheme not in {"smtp", "smtps"}:
            raise ValueError(f"EMAIL_URL: unknown scheme {scheme!r} (smtp, smtps, console, locmem)")
        found.update(
            EMAIL_BACKEND=SMTP,
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if scheme == "smtps" else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=scheme == "smtps",
            EMAIL_USE_TLS=scheme == "smtp",
        )
        return found
    if env.get("EMAIL_HOST"):
        found.update(
            EMAIL_BACKEND=SMTP,
            EMAIL_HOST=env["EMAIL_HOST"],
            EMAIL_PORT=int(env.get("EMAIL_PORT") or 587),
            EMAIL_HOST_USER=env.get("EMAIL_HOST_USER", ""),
            EMAIL_HOST_PASSWORD=env.get("EMAIL_HOST_PASSWORD", ""),
            EMAIL_USE_TLS=_flag(env.get("EMAIL_USE_TLS", "1"))
            and not _flag(env.get("EMAIL_USE_SSL")),
            EMAIL_USE_SSL=_flag(env.get("EMAIL_USE_SSL")),
        )
    return found

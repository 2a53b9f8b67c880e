"""The site's public address (`SITE_URL`), for links in e-mails: digests, notices, invitations.

An e-mail is read outside the site, so its links must be absolute, and the address cannot come
from a request (a digest is sent by a timer; a notice may be sent by a background worker). It
comes from configuration: the `SITE_URL` environment variable (or the older
`ADELANTE_SITE_URL`). With DEBUG on, a missing address means the development server; with
DEBUG off it is refused: `adelante check --deploy` reports it (`check_site_url`, a deployment
check: every other command and the test suite's own processes run without it), and anything
about to write a link says so in one line (`SiteUrlMissing`), never a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT = "http://127.0.0.1:8000"
MESSAGE = (
    "SITE_URL must be set to the site's public address (e.g. https://adelante.example.org): "
    "e-mails link to it"
)


class SiteUrlMissing(ImproperlyConfigured):
    """No site address outside DEBUG: the message is one line, for the person deploying."""


def from_environment(environ: Mapping[str, str], *, debug: bool) -> str:
    """The configured address without its trailing slash; the development server's with DEBUG
    on and nothing set; empty (refused later) with DEBUG off and nothing set."""
    configured = (environ.get("SITE_URL") or environ.get("ADELANTE_SITE_URL") or "").strip()
    if not configured and debug:
        configured = DEVELOPMENT
    return configured.rstrip("/")


def problem(value: str) -> str:
    """Why `value` is not a usable site address ("" if it is)."""
    if not value:
        return MESSAGE
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return (
            "SITE_URL must be an http(s) address such as https://adelante.example.org, "
            f"not {value!r}"
        )
    return ""


def site_url() -> str:
    """The address links start with, without a trailing slash (SiteUrlMissing if unusable)."""
    value = str(getattr(settings, "SITE_URL", "") or "").rstrip("/")
    if not value and settings.DEBUG:
        value = DEVELOPMENT
    found = problem(value)
    if found:
        raise SiteUrlMissing(found)
    return value


def absolute(path: str) -> str:
    """`path` (from `reverse`) as an address an e-mail can link to."""
    return site_url() + path


def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[Any]:
    """`adelante check --deploy`: the site's address is set and usable whenever DEBUG is off
    (registered by the workflow app; settings import this module before checks exist)."""
    from django.core import checks

    try:
        site_url()
    except SiteUrlMissing as error:
        return [checks.Error(str(error), id="adelante.E001")]
    return []

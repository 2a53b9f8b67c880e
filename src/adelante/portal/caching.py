"""Whole-page caching keyed by the state of the record, so a page is computed once per change.

Every change to the record leaves a row in a history table (django-simple-history), so the
largest history id and the latest history date of every history table identify the record's
state; reading them is one statement of index look-ups, however large the record. A cached
page is served only while that state, the day (pages default to today) and the URL (with its
language and query string) are unchanged; any save, import or deletion makes a new key.
Synthetic data written in bulk (benchmarks/) keeps history too, and so does its note of each data
set, so a bulk load or wipe changes the key like any other change.

Confidential amounts (DOMAIN rule 7): the cache holds public pages and public figures only.
A public page is computed from public figures, which are the same whatever the confidential
amounts are, so what the cache serves cannot differ with them either. A page or a figure for
the roles allowed to see confidential amounts is never stored here nor served from here:
`remembered` computes a non-public figure afresh every time, and `cached_page` serves and
stores only anonymous requests (signed-in readers get the page computed for them, and a
response marked `private` or varying with the session is never stored).

Nobody waits for a cold page (issue 11): after a change, an anonymous reader of a page rendered
before it (same URL, language and day, rendered at most `PORTAL_STALE_MINUTES` ago) gets that
rendering at once, with a banner saying when its figures were recorded and that they are being
updated, and one background task per (page, new stamp) renders the page afresh
(`adelante.portal.refresh`); the next reader gets the fresh page. Signed-in readers never get a
stale page. Each process keeps its own copy of the pages it read from the cache (operations/
local_copies.py), and of a page it serves "updating" for a second at a time. A stored page
answers a conditional GET (If-None-Match, If-Modified-Since) with
304 without rendering anything: its ETag comes from its key and its content.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import logging
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar, cast

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.html import format_html
from django.utils.http import http_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from adelante.figures.audience import Audience
from adelante.initiatives import scope
from adelante.operations.local_copies import copies
from adelante.portal.refresh import recomputing, refresh_page
from adelante.recordstate import (
    State,
    forget_stamp,
    record_stamp,
    trusted_stamp,
    trusted_state,
)

__all__ = ["cached_page", "forget_stamp", "record_stamp", "remembered", "trusted_stamp"]

logger = logging.getLogger(__name__)

#: Seconds a page may stay in the cache; the key changes with the record anyway.
TIMEOUT = 24 * 3600
#: Seconds a page's recomputation is taken as under way (one task per page and stamp).
RECOMPUTING_SECONDS = 300
#: Seconds a process serves its own copy of a page "updating" before it looks again for the
#: fresh one (which replaces it for every reader within this time once a worker stored it).
STALE_COPY_SECONDS = 1.0
_PREFIX = "adelante.portal.page"
_MAIN = re.compile(r"<main\b[^>]*>")

View = Callable[..., HttpResponse]
T = TypeVar("T")

#: The record's stamp for the request being answered (read once per request).
_stamp: ContextVar[str | None] = ContextVar("adelante_portal_stamp", default=None)


def enabled() -> bool:
    return bool(getattr(settings, "PORTAL_PAGE_CACHE", True))


def cached_page(view: View) -> View:
    """Serve a page from the cache while the record is unchanged; cache only full 200 pages."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD") or not enabled() or _signed_in(request):
            return view(request, *args, **kwargs)
        cache = caches["default"]
        state = trusted_state()
        token = _stamp.set(state.stamp)
        try:
            return _serve(cache, state, view, request, *args, **kwargs)
        finally:
            _stamp.reset(token)

    return wrapper


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def stale_seconds() -> float:
    """How old a rendering may be and still be served while its page is computed afresh
    (`PORTAL_STALE_MINUTES`; 0 turns serving stale pages off)."""
    return float(getattr(settings, "PORTAL_STALE_MINUTES", 0)) * 60


def _serve(
    cache: Any, state: State, view: View, request: HttpRequest, *args: Any, **kwargs: Any
) -> HttpResponse:
    url = request.get_full_path()
    language = get_language()
    page = f"{timezone.localdate()}|{language}|{url}"
    key = f"{_PREFIX}.{_digest(f'{state.stamp}|{page}')}"
    latest_key = f"{_PREFIX}.latest.{_digest(page)}"
    hit = _kept(cache, key)
    if hit is not None:
        return _stored(request, hit)
    if not recomputing.get() and stale_seconds() > 0:
        # This process served the page "updating" a moment ago: the same again, with no more
        # round trips, until the fresh page is stored (checked first, above).
        served = copies.get(f"{key}.stale")
        if served is not None:
            return _stale_response(served)
        latest = cache.get(latest_key)
        if (
            isinstance(latest, dict)
            and latest["stamp"] != state.stamp
            and time.time() - latest["rendered"] <= stale_seconds()
        ):
            busy = f"{_PREFIX}.recomputing.{_digest(f'{state.stamp}|{page}')}"
            if cache.add(busy, True, RECOMPUTING_SECONDS):
                try:
                    refresh_page.enqueue(
                        path=request.path,
                        query=request.META.get("QUERY_STRING", ""),
                        language=language,
                    )
                except DatabaseError:
                    # The queue cannot be written (a locked database): the reader still gets
                    # the page at once, and the next reader queues the task.
                    logger.exception("could not queue the refresh of %s", url)
                    cache.delete(busy)
                # With the immediate backend (ADELANTE_TASK_BACKEND=immediate) it is done.
                hit = cache.get(key)
                if isinstance(hit, dict):
                    return _stored(request, hit)
            served = _stale(latest)
            copies.put(f"{key}.stale", served, size=len(served[0]), seconds=STALE_COPY_SECONDS)
            return _stale_response(served)
    response = view(request, *args, **kwargs)
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _private(response)
    ):
        content = response.content
        entry = {
            "content": content,
            "content_type": response["Content-Type"],
            "stamp": state.stamp,
            "changed": state.changed,
            "rendered": time.time(),
            "etag": f'"{_digest(key + _digest(content.decode(errors="replace")))[:32]}"',
        }
        cache.set(key, entry, TIMEOUT)
        cache.set(latest_key, entry, TIMEOUT)
        _validators(response, entry)
        # The ETag comes from the key and the content, so another process (or a cache that
        # lost the entry) renders the same page with the same ETag: still a 304.
        return _conditional(request, response, entry)
    return response


def _validators(response: HttpResponse, entry: dict[str, Any]) -> None:
    response["ETag"] = entry["etag"]
    if entry["changed"] is not None:
        response["Last-Modified"] = http_date(int(entry["changed"].timestamp()))
    # Readers' browsers ask again each time (a conditional GET: 304 while unchanged).
    patch_cache_control(response, no_cache=True)


def _stored(request: HttpRequest, entry: dict[str, Any]) -> HttpResponse:
    """A stored page, or 304 Not Modified when the reader already has it (nothing rendered)."""
    response = HttpResponse(entry["content"], content_type=entry["content_type"])
    _validators(response, entry)
    return _conditional(request, response, entry)


def _conditional(
    request: HttpRequest, response: HttpResponse, entry: dict[str, Any]
) -> HttpResponse:
    changed = entry["changed"]
    last_modified = int(changed.timestamp()) if changed is not None else None
    conditional = get_conditional_response(
        request, etag=entry["etag"], last_modified=last_modified, response=response
    )
    return conditional if conditional is not None else response


def _stale(entry: dict[str, Any]) -> tuple[bytes, str]:
    """The page as rendered before the latest change, saying so (a banner at the top of the
    page's main part), while a worker computes it afresh: its content and content type."""
    # When it was rendered: the record was then as the page shows it (and that is at most
    # PORTAL_STALE_MINUTES ago, so an hour and minute say it without a date).
    rendered = datetime.datetime.fromtimestamp(entry["rendered"], tz=datetime.UTC)
    when = formats.time_format(timezone.localtime(rendered), "H:i")
    banner = format_html(
        '<p class="notice updating" role="status">{}</p>',
        _("Figures as recorded at %(time)s, updating") % {"time": when},
    )
    html = entry["content"].decode()
    found = _MAIN.search(html)
    at = found.end() if found else 0
    return (html[:at] + banner + html[at:]).encode(), entry["content_type"]


def _stale_response(served: tuple[bytes, str]) -> HttpResponse:
    """A page served "updating". No validators: never 304 on it."""
    content, content_type = served
    response = HttpResponse(content, content_type=content_type)
    patch_cache_control(response, no_cache=True)
    return response


def _kept(cache: Any, key: str) -> dict[str, Any] | None:
    """The page kept under `key`: this process's copy, else the shared cache's (then copied:
    what is under a key never changes, adelante/operations/local_copies.py)."""
    entry = copies.get(key)
    if entry is None:
        entry = cache.get(key)
        if not isinstance(entry, dict):
            return None
        copies.put(key, entry, size=len(entry["content"]))
    return cast(dict[str, Any], entry)


def _signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


def _private(response: HttpResponse) -> bool:
    """A response meant for one reader: never stored for everyone."""
    control = response.get("Cache-Control", "").lower()
    return "private" in control or "no-store" in control


def remembered(compute: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """`compute(*args, **kwargs)` — a figures function — remembered while the record is
    unchanged, so that pages in both languages and pages that share a figure (the overview and
    the country index) compute it once. The results are small immutable values. The key has
    the initiative in scope: the same function gives each initiative its own figure."""
    if not enabled() or kwargs.get("audience", Audience.PUBLIC) is not Audience.PUBLIC:
        # Only public figures are shared between readers (rule 7).
        return compute(*args, **kwargs)
    stamp = _stamp.get() or trusted_stamp()
    name = f"{compute.__module__}.{compute.__qualname__}"
    raw = f"{stamp}|{scope.current()}|{name}|{args!r}|{sorted(kwargs.items())!r}"
    key = f"{_PREFIX}.figure.{hashlib.sha256(raw.encode()).hexdigest()}"
    found = caches["default"].get(key)
    if found is None:
        found = compute(*args, **kwargs)
        caches["default"].set(key, found, TIMEOUT)
    return cast(T, found)

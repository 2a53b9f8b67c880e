"""What every request under /api/ goes through, whatever the endpoint (docs/api.md):

1. CORS: public reads may come from any web origin; preflight requests are answered here.
2. Token: an ``Authorization: Bearer <token>`` header must name an active token (else 401);
   the token is then `request.api_token` (None for anonymous requests).
3. Rate limit per token, or per address without one (429 with Retry-After when exceeded).
4. Conditional GET: an ETag from the content and Last-Modified from the record's history;
   If-None-Match / If-Modified-Since answer 304 Not Modified.
   Anonymous reads are kept in the shared cache, keyed by the record's stamp (adelante.
   recordstate), the path and query, the language asked for, the host and the day: a read
   while the record is unchanged is answered from there, and its ETag comes from that key, so
   a matching If-None-Match is answered 304 before any endpoint runs (one query: the stamp).
   Each process keeps its own copy of what it read there (operations/local_copies.py). After
   a change, a read whose answer for the record's state before is kept (at most
   PORTAL_STALE_MINUTES old) gets that answer at once, with its own validators and
   ``X-Adelante-Updating: 1``, and one background task per answer and state computes the new
   one (adelante/api/refresh.py); with none kept, the answer is computed in the request.
   Requests with a token are never kept, so never given a previous answer.
5. The initiative: ``?initiative=<slug>`` on any request (default: the primary initiative)
   names the initiative the endpoint answers for; the endpoint runs inside
   `scope.within(initiative)`, so every figure and listing is that initiative's. The slug is
   part of the cache key; it is looked up only when an answer is computed, so a kept read still
   costs one query. An unknown slug is a 404 problem naming the initiatives there are.
6. Errors as problem details: any error response not already one (an unknown URL, a wrong
   method, a server error) is turned into ``application/problem+json``.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext as _

from adelante import __version__
from adelante.accounts.addresses import client_address
from adelante.api import problems, ratelimit
from adelante.api.conditional import record_last_changed
from adelante.api.refresh import refresh_answer, refreshing, request_parts
from adelante.api.tokens import Checked, check
from adelante.initiatives import scope
from adelante.initiatives.named import UnknownInitiative, named
from adelante.operations.local_copies import copies
from adelante.recordstate import trusted_stamp

logger = logging.getLogger(__name__)

PREFIX = "/api/"
#: Documents that change with the code, not with the record: no Last-Modified from the record.
CODE_DOCUMENTS = ("/openapi.json", "/docs")
EXPOSED_HEADERS = (
    "ETag, Last-Modified, Link, Retry-After, RateLimit-Limit, RateLimit-Remaining, "
    "RateLimit-Reset, Deprecation, Sunset, X-Adelante-Updating"
)
PUBLIC_METHODS = "GET, HEAD, OPTIONS"
#: Seconds a read stays in the cache; its key changes with the record anyway.
CACHE_SECONDS = 24 * 3600
#: Seconds an answer's background computation is taken as under way: one task per answer and
#: record state (queued again after this, if the answer is still not stored).
REFRESHING_SECONDS = 300
#: Seconds a process gives its own copy of a previous answer before it looks again for the
#: new one.
STALE_COPY_SECONDS = 1.0
#: The header of an answer given for the record's state before its latest change.
UPDATING = "X-Adelante-Updating"
_CACHE_PREFIX = "adelante.api.read"


class ApiMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            return self._cors(_preflight())
        request.api_token = None  # type: ignore[attr-defined]
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            scheme, _sep, key = header.partition(" ")
            checked = check(key.strip()) if scheme.lower() == "bearer" else Checked()
            if checked.token is None:
                return self._cors(_refused_token(request, checked))
            request.api_token = checked.token  # type: ignore[attr-defined]
        token = request.api_token  # type: ignore[attr-defined]
        if refreshing.get():
            # The background task asking as an anonymous reader would: no reader to limit.
            return self._cors(self._read(request))
        client = f"token:{token.pk}" if token else f"addr:{client_address(request)}"
        decision = ratelimit.hit(client, ratelimit.limit_for(token is not None))
        response: HttpResponseBase
        if not decision.allowed:
            limited = problems.problem_response(
                request,
                429,
                _(
                    "Too many requests: at most %(requests)d every %(seconds)d seconds. "
                    "Try again in %(reset)d seconds."
                )
                % {
                    "requests": decision.limit.requests,
                    "seconds": decision.limit.seconds,
                    "reset": decision.reset,
                },
                type=problems.RATE_LIMITED,
            )
            limited["Retry-After"] = str(decision.reset)
            response = limited
        else:
            response = self._read(request)
        response["RateLimit-Limit"] = str(decision.limit.requests)
        response["RateLimit-Remaining"] = str(decision.remaining)
        response["RateLimit-Reset"] = str(decision.reset)
        return self._cors(response)

    def _read(self, request: HttpRequest) -> HttpResponseBase:
        keys = _cache_keys(request)
        if keys is None:
            response = self._scoped(request)
            response = self._problem(request, response)
            return self._conditional(request, response)
        key, latest_key = keys
        cache = caches["default"]
        etag = f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'
        entry = _kept(cache, key)
        if entry is not None:
            return self._conditional(request, _answer(entry))
        # Not kept (or evicted): the ETag still names this state, so a match is a 304.
        answer = HttpResponse(status=200)
        answer["ETag"] = etag
        _validators(request, answer, last_modified=False)
        early = get_conditional_response(request, etag=etag, response=answer)
        if early is not None and early is not answer:  # 304 (or 412)
            return early
        if not refreshing.get():
            previous = self._previous(request, cache, key, latest_key)
            if previous is not None:
                return previous
        # Cold (no answer kept for any state of the record, or too old), or the background
        # task computing it: computed here.
        return self._conditional(request, self._afresh(request, key, latest_key, etag))

    def _previous(
        self, request: HttpRequest, cache: Any, key: str, latest_key: str
    ) -> HttpResponseBase | None:
        """After a change, the answer for the record's state before it (at most
        PORTAL_STALE_MINUTES old), marked as being updated, while one background task per
        answer and state computes the new one (adelante/api/refresh.py), rather than compute
        it here on the readers' CPUs; None when there is none to give."""
        if _stale_seconds() <= 0:
            return None
        served = copies.get(f"{key}.stale")
        if served is None:
            previous = cache.get(latest_key)
            if (
                not isinstance(previous, dict)
                or time.time() - previous.get("stored", 0) > _stale_seconds()
            ):
                return None
            if previous.get("key") == key:
                # This very state's answer, whose own entry was evicted: not stale.
                cache.set(key, previous, CACHE_SECONDS)
                return self._conditional(request, _answer(previous))
            if cache.add(f"{key}.refreshing", True, REFRESHING_SECONDS):
                try:
                    refresh_answer.enqueue(**request_parts(request))
                except DatabaseError:
                    # The queue cannot be written (a locked database): the reader still gets
                    # the previous answer at once, and the next reader queues the task.
                    logger.exception("could not queue the refresh of %s", request.get_full_path())
                    cache.delete(f"{key}.refreshing")
                # With the immediate backend (ADELANTE_TASK_BACKEND=immediate) it is done.
                fresh = cache.get(key)
                if isinstance(fresh, dict):
                    return self._conditional(request, _answer(fresh))
            # This process gives the same for a second, with no more round trips, until the
            # new answer is stored (looked for first, in _read).
            copies.put(
                f"{key}.stale", previous, size=len(previous["content"]), seconds=STALE_COPY_SECONDS
            )
            served = previous
        response = self._conditional(request, _answer(served))
        # Its own validators (a reader holding it gets a 304); a 304 says it too.
        response[UPDATING] = "1"
        return response

    def _afresh(
        self, request: HttpRequest, key: str, latest_key: str, etag: str
    ) -> HttpResponseBase:
        """The endpoint's answer computed now; a full 200 is stored under `key` (this state)
        and `latest_key` (the latest answer to the same request, given while the next state's
        is computed). The same for a reader's request and for the background task."""
        computed = self._problem(request, self._scoped(request))
        if (
            computed.status_code != 200
            or not isinstance(computed, HttpResponse)
            or computed.cookies
        ):
            return computed
        computed["ETag"] = etag
        _validators(request, computed, last_modified=True)
        stored = {
            "key": key,
            "content": computed.content,
            "headers": list(computed.items()),
            "stored": time.time(),
        }
        cache = caches["default"]
        cache.set(key, stored, CACHE_SECONDS)
        cache.set(latest_key, stored, CACHE_SECONDS)
        return computed

    def _scoped(self, request: HttpRequest) -> HttpResponseBase:
        """The endpoint's answer for the initiative the request names."""
        slug = request.GET.get("initiative", "").strip()
        if not slug:
            # The primary initiative, without a query to look it up (and without a database
            # for the documents that change with the code only).
            with scope.within(scope.PRIMARY):
                return self.get_response(request)
        try:
            initiative = named(slug)
        except UnknownInitiative as unknown:
            return problems.problem_response(
                request,
                404,
                unknown.message,
                type=problems.UNKNOWN_INITIATIVE,
                extra={"initiatives": list(unknown.known)},
            )
        with scope.within(initiative):
            return self.get_response(request)

    @staticmethod
    def _cors(response: HttpResponseBase) -> HttpResponseBase:
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        """A database without a primary initiative: 503, saying why (reads never make one)."""
        if request.path.startswith(PREFIX) and isinstance(exception, scope.NoPrimaryInitiative):
            answer = problems.problem_response(request, 503, exception.message)
            answer["Retry-After"] = "60"
            return answer
        return None

    @staticmethod
    def _problem(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if response.status_code < 400 or response.get("Content-Type", "").startswith(
            problems.CONTENT_TYPE
        ):
            return response
        status = response.status_code
        converted = problems.problem_response(request, status, problems.default_detail(status))
        for header in ("Allow", "WWW-Authenticate", "Retry-After"):
            if header in response:
                converted[header] = response[header]
        return converted

    @staticmethod
    def _conditional(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if (
            request.method not in ("GET", "HEAD")
            or response.status_code != 200
            or not isinstance(response, HttpResponse)
        ):
            return response
        if not response.has_header("ETag"):
            digest = hashlib.sha256(response.content).hexdigest()[:32]
            response["ETag"] = f'"{digest}"'
        if not response.has_header("Last-Modified"):
            _validators(request, response, last_modified=True)
        last_modified = None
        if response.has_header("Last-Modified"):
            parsed = parse_http_date_safe(response["Last-Modified"])
            last_modified = parsed
        conditional = get_conditional_response(
            request, etag=response["ETag"], last_modified=last_modified, response=response
        )
        return conditional if conditional is not None else response


def _validators(request: HttpRequest, response: HttpResponse, *, last_modified: bool) -> None:
    """Last-Modified from the record's history (one query), Cache-Control and Vary."""
    if last_modified and not request.path.endswith(CODE_DOCUMENTS):
        changed = record_last_changed()
        if changed is not None:
            response["Last-Modified"] = http_date(int(changed.timestamp()))
    private = request.api_token is not None  # type: ignore[attr-defined]
    response["Cache-Control"] = "private, no-cache" if private else "public, no-cache"
    patch_vary_headers(response, ("Authorization", "Accept-Language"))


def _cache_keys(request: HttpRequest) -> tuple[str, str] | None:
    """The key an anonymous read is kept under, and the key of the latest answer to the same
    request whatever the record's state; None for a request never kept: one with a token (its
    answers may differ with the token), not a read, or a document that changes with the code
    rather than with the record."""
    if (
        request.method != "GET"
        or request.api_token is not None  # type: ignore[attr-defined]
        or request.path.endswith(CODE_DOCUMENTS)
        or not getattr(settings, "API_RESPONSE_CACHE", True)
    ):
        return None
    meta: dict[str, Any] = request.META
    parts = (
        __version__,
        str(timezone.localdate()),
        meta.get("wsgi.url_scheme", ""),
        meta.get("HTTP_HOST", ""),
        request.path,
        # The initiative is in the query too; named apart so that the key says it.
        request.GET.get("initiative", "").strip(),
        meta.get("QUERY_STRING", ""),
        meta.get("HTTP_ACCEPT_LANGUAGE", ""),
        request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, ""),
    )
    raw = "|".join(parts)
    key = hashlib.sha256(f"{trusted_stamp()}|{raw}".encode()).hexdigest()
    return (
        f"{_CACHE_PREFIX}.{key}",
        f"{_CACHE_PREFIX}.latest.{hashlib.sha256(raw.encode()).hexdigest()}",
    )


def _kept(cache: Any, key: str) -> dict[str, Any] | None:
    """The answer kept under `key`: this process's copy, else the shared cache's (then copied:
    what is under a key never changes, adelante/operations/local_copies.py)."""
    entry = copies.get(key)
    if entry is None:
        entry = cache.get(key)
        if not isinstance(entry, dict):
            return None
        copies.put(key, entry, size=len(entry["content"]))
    return cast(dict[str, Any], entry)


def _answer(entry: dict[str, Any]) -> HttpResponse:
    response = HttpResponse(entry["content"], status=200)
    for name, value in entry["headers"]:
        response[name] = value
    return response


def _stale_seconds() -> float:
    """How old an answer may be and still be given while a background task computes the one
    for the record as it is now (the portal's PORTAL_STALE_MINUTES; 0: never)."""
    return float(getattr(settings, "PORTAL_STALE_MINUTES", 0)) * 60


def _refused_token(request: HttpRequest, checked: Checked) -> HttpResponse:
    """401: an expired token says so and when (its holder may rotate or ask for a new one);
    anything else is "not valid", without saying which of unknown, revoked or malformed."""
    if checked.expired is not None:
        expired = checked.expired.expires
        refused = problems.problem_response(
            request,
            401,
            _(
                "The API token expired on %(when)s (UTC). Ask for a new one, or rotate tokens "
                "before they expire."
            )
            % {"when": expired.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")},
            type=problems.TOKEN_EXPIRED,
            extra={"expired": expired.astimezone(datetime.UTC).isoformat()},
        )
        refused["WWW-Authenticate"] = (
            'Bearer realm="adelante", error="invalid_token", error_description="The token expired"'
        )
        return refused
    refused = problems.problem_response(
        request,
        401,
        _("The API token is not valid (revoked, unknown or malformed)."),
        type=problems.INVALID_TOKEN,
    )
    refused["WWW-Authenticate"] = 'Bearer realm="adelante", error="invalid_token"'
    return refused


def _preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = PUBLIC_METHODS
    response["Access-Control-Allow-Headers"] = (
        "Authorization, If-None-Match, If-Modified-Since, Accept, Accept-Language"
    )
    response["Access-Control-Max-Age"] = "86400"
    return response

"""Computing an API answer afresh in the background (docs/api.md, "Caching").

After a change to the record, an anonymous read whose answer for the record's previous state
is kept gets that answer at once, marked ``X-Adelante-Updating: 1`` (`adelante.api.
middleware`, which imports this module), and this task is queued, once per answer (its URL with
the query, language, host) and record state; a worker (`adelante worker`, at a lower CPU
priority than the app servers) sends the same request through the whole middleware stack, as
an anonymous reader with no token, so the middleware computes the answer exactly as it would
for a reader and stores it under the record's new state: the next reader gets the fresh one.
"""

from __future__ import annotations

import io
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpRequest
from django_tasks import task

from adelante.recordstate import forget_stamp

#: True while this task computes an answer: the middleware must compute (and store) it then,
#: not give the previous one, and no rate limit applies.
refreshing: ContextVar[bool] = ContextVar("adelante_api_refreshing", default=False)

#: What of a request an anonymous answer may depend on (the parts of its cache key, and what
#: makes the absolute links in it: host, scheme, the proxy's headers).
_CARRIED = (
    "HTTP_HOST",
    "SERVER_NAME",
    "SERVER_PORT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "wsgi.url_scheme",
)


def request_parts(request: HttpRequest) -> dict[str, Any]:
    """The arguments of `refresh_answer` that ask again what `request` asked."""
    meta: dict[str, Any] = request.META
    carried = {name: str(meta[name]) for name in _CARRIED if name in meta}
    proxy_header = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy_header and proxy_header[0] in meta:
        carried[proxy_header[0]] = str(meta[proxy_header[0]])
    language = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if language:
        carried["HTTP_COOKIE"] = f"{settings.LANGUAGE_COOKIE_NAME}={language}"
    return {
        "path": str(meta.get("PATH_INFO", request.path_info)),
        "script_name": str(meta.get("SCRIPT_NAME", "")),
        "query": str(meta.get("QUERY_STRING", "")),
        "meta": carried,
    }


def anonymous_request(
    *, path: str, script_name: str, query: str, meta: dict[str, str]
) -> WSGIRequest:
    """A GET request for `path?query` with `meta`'s headers, no token, no session."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": script_name,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": io.StringIO(),
        **meta,
    }
    return WSGIRequest(environ)


@task()
def refresh_answer(*, path: str, script_name: str, query: str, meta: dict[str, str]) -> int:
    """Compute and store the answer to GET `path?query` for the record as it is now; its
    status (200 when stored)."""
    # The record's state as it is now, not as this process last trusted it: the answer
    # computed now is stored under that state's key.
    forget_stamp()
    handler = BaseHandler()
    handler.load_middleware()
    request = anonymous_request(path=path, script_name=script_name, query=query, meta=meta)
    token = refreshing.set(True)
    try:
        response = handler.get_response(request)
    finally:
        refreshing.reset(token)
    # Not closed: closing a response sends request_finished, whose handler closes a database
    # connection left inside a transaction (a test's); the response holds nothing to release.
    return int(response.status_code)

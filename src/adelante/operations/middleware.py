"""A request id for every request, echoed in the response and on every log line it causes, and
one log line per request (docs/deploy.md, "Logs").

The id is the proxy's ``X-Request-ID`` when it is a sane one (the documented nginx site sends
its ``$request_id``, replacing whatever the client sent), otherwise a new one. It is the first
middleware, so every other one logs with the id, and the response of every request carries it,
errors included.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from adelante.operations import context

log = logging.getLogger("adelante.request")

HEADER = "X-Request-ID"
#: Probes of the load balancer: logged only when they fail.
QUIET_PATHS = frozenset({"/healthz", "/readyz"})

Handler = Callable[[HttpRequest], HttpResponseBase]


class RequestIdMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = context.request_id_from(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        with context.bound(request_id=request_id, method=request.method or "", path=request.path):
            response = self.get_response(request)
            response[HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            status = response.status_code
            if request.path not in QUIET_PATHS or status >= 400:
                level = logging.ERROR if status >= 500 else logging.INFO
                if request.path in QUIET_PATHS:
                    level = logging.WARNING
                log.log(
                    level,
                    "%s %s %s",
                    request.method,
                    request.path,
                    status,
                    extra={"status": status, "duration_ms": duration_ms},
                )
        return response

"""What every log line carries: the request id of the request being served, or the run id of the
command or job being run (docs/deploy.md, "Logs").

The ids live in a context variable, so threads and asyncio tasks each see their own. A worker
running a job wraps it in ``with run("job name"):`` to give its log lines a run id of their own.
"""

from __future__ import annotations

import contextvars
import logging
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

#: An id from the proxy is taken as it is when it looks like one: 8 to 128 letters, digits and
#: ``-._:``; anything else (empty, too long, spaces, quotes, new lines) is replaced by our own.
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{7,127}")


@dataclass(frozen=True)
class Context:
    request_id: str = ""
    run_id: str = ""
    method: str = ""
    path: str = ""


NONE = Context()
_current: contextvars.ContextVar[Context] = contextvars.ContextVar("adelante_log_context")


def new_id() -> str:
    return uuid.uuid4().hex


def request_id_from(header: str | None) -> str:
    """The proxy's X-Request-ID when it is a sane one, otherwise a new id."""
    if header and SANE_ID.fullmatch(header):
        return header
    return new_id()


def current() -> Context:
    return _current.get(NONE)


@contextmanager
def bound(**values: str) -> Iterator[Context]:
    """Log lines inside the block carry these values (request_id, run_id, method, path)."""
    context = replace(_current.get(NONE), **values)
    token = _current.set(context)
    try:
        yield context
    finally:
        _current.reset(token)


@contextmanager
def run(name: str, run_id: str | None = None) -> Iterator[str]:
    """A command's or a job's run: its log lines carry ``run_id`` (a new one unless given)."""
    the_id = run_id or new_id()
    with bound(run_id=the_id, path=name):
        yield the_id


class ContextFilter(logging.Filter):
    """Adds request_id, run_id, method, path, status and duration_ms to every record (empty or
    None outside a request or a run), so the JSON formatter always writes the same keys.

    Django logs a 4xx or 5xx response (logger ``django.request``) after the last middleware has
    returned, outside the request's context: the request it passes along gives its id."""

    def filter(self, record: logging.LogRecord) -> bool:
        context = _current.get(NONE)
        request = getattr(record, "request", None)
        from_request = {
            "request_id": getattr(request, "request_id", ""),
            "method": getattr(request, "method", "") or "",
            "path": getattr(request, "path", "") or "",
        }
        for key in ("request_id", "run_id", "method", "path"):
            if not getattr(record, key, ""):
                value = getattr(context, key) or from_request.get(key, "")
                setattr(record, key, value)
        if not hasattr(record, "status"):
            record.status = getattr(record, "status_code", None)
        if not hasattr(record, "duration_ms"):
            record.duration_ms = None
        return True

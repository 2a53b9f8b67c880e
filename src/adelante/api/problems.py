"""Errors in one JSON shape: RFC 9457 problem details (``application/problem+json``).

Every error the API answers, whether raised by an endpoint, by request validation, by the
middleware (rate limit, token) or by Django itself (unknown URL, wrong method, server error),
has ``type``, ``title``, ``status``, ``detail`` and ``instance``; validation errors add
``errors``, a list of ``{"loc": [...], "msg": "..."}``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from adelante.errors import ErrorKind, ServiceError

CONTENT_TYPE = "application/problem+json"

#: Problem types beyond the plain HTTP status (documented in docs/api.md, "Errors").
INVALID_PARAMETERS = "urn:adelante:problem:invalid-parameters"
RATE_LIMITED = "urn:adelante:problem:rate-limited"
NOT_YOUR_PARTNER = "urn:adelante:problem:not-your-partner"
CONFLICT = "urn:adelante:problem:conflict"
INVALID_TOKEN = "urn:adelante:problem:invalid-token"
TOKEN_EXPIRED = "urn:adelante:problem:token-expired"
NOT_ALLOWED = "urn:adelante:problem:not-allowed"
UNKNOWN_INITIATIVE = "urn:adelante:problem:unknown-initiative"
GENERIC = "about:blank"
#: A service's refusal with a `code` has the type ``urn:adelante:problem:<code>``.
CODED = "urn:adelante:problem:"

#: A service's refusal (`adelante.errors.ServiceError`): its kind's status and problem type.
SERVICE_ERRORS: dict[ErrorKind, tuple[int, str]] = {
    ErrorKind.INVALID: (422, INVALID_PARAMETERS),
    ErrorKind.CONFLICT: (409, CONFLICT),
    ErrorKind.NOT_ALLOWED: (403, NOT_ALLOWED),
    ErrorKind.NOT_FOUND: (404, GENERIC),
}


class Problem(Exception):
    """Raise from an endpoint to answer with a problem document."""

    def __init__(
        self,
        status: int,
        detail: str,
        *,
        type: str = GENERIC,
        title: str | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.type = type
        self.title = title
        self.extra = dict(extra or {})


def problem_response(
    request: HttpRequest,
    status: int,
    detail: str,
    *,
    type: str = GENERIC,
    title: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": type,
        "title": title or HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
    }
    body.update(extra or {})
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )


def from_exception(request: HttpRequest, problem: Problem) -> HttpResponse:
    return problem_response(
        request,
        problem.status,
        problem.detail,
        type=problem.type,
        title=problem.title,
        extra=problem.extra,
    )


def from_service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    """A service's refusal as a problem: its message the detail, its input errors in `errors`
    (``loc`` is ``["body", <input>, …]``: "value:people_trained" is
    ``["body", "value", "people_trained"]``)."""
    status, type = SERVICE_ERRORS[error.kind]
    if error.code:
        type = CODED + error.code
    extra: dict[str, Any] = {}
    if error.field_errors:
        extra["errors"] = [
            {"loc": ["body", *([] if name == "__all__" else name.split(":"))], "msg": text}
            for name, texts in error.field_errors.items()
            for text in texts
        ]
    return problem_response(request, status, error.message, type=type, extra=extra)


def default_detail(status: int) -> str:
    """A plain sentence for an error that Django answered before the API saw the request."""
    details = {
        400: _("The request could not be understood."),
        401: _("A valid API token is required (Authorization: Bearer <token>)."),
        403: _("You may not do this."),
        404: _("There is nothing at this address. The endpoints are listed at /api/v1/docs."),
        405: _("This method is not allowed here."),
        409: _("The request conflicts with the record."),
        413: _("The request is too large."),
        415: _("The request body must be JSON."),
        422: _("The request's parameters are not valid."),
        429: _("Too many requests."),
        500: _("Something went wrong on our side. It has been logged."),
    }
    return details.get(status, HTTPStatus(status).description or HTTPStatus(status).phrase)


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic/ninja validation errors, reduced to where and what (JSON-safe)."""
    reduced = []
    for error in errors:
        loc = [part if isinstance(part, int | str) else str(part) for part in error.get("loc", ())]
        reduced.append({"loc": loc, "msg": str(error.get("msg", ""))})
    return reduced


#: The Problem schema of the OpenAPI document.
PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Problem",
    "description": "RFC 9457 problem details.",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "A URI identifying the kind of problem."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The request's path and query."},
        "errors": {
            "type": "array",
            "description": "For invalid parameters: where and what.",
            "items": {
                "type": "object",
                "required": ["loc", "msg"],
                "properties": {
                    "loc": {"type": "array", "items": {"type": ["string", "integer"]}},
                    "msg": {"type": "string"},
                },
            },
        },
    },
}

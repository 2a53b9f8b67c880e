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

CONTENT_TYPE = "application/problem+json"

#: Problem types beyond the plain HTTP status (documented in docs/api.md, "Errors").
INVALID_PARAMETERS = "urn:adelante:problem:invalid-parameters"
RATE_LIMITED = "urn:adelante:problem:rate-limited"
NOT_YOUR_PARTNER = "urn:adelante:problem:not-your-partner"
CONFLICT = "urn:adelante:problem:conflict"
INVALID_TOKEN = "urn:adelante:problem:invalid-token"
GENERIC = "about:blank"


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

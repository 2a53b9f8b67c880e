"""API version 1: the NinjaAPI instance, its error handlers and its OpenAPI document."""

from __future__ import annotations

import functools
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from adelante.api import problems
from adelante.api.schemas import ApiIndexOut
from adelante.errors import ServiceError

VERSION = "1"

DESCRIPTION = """\
The published record of the commitments to the pledge initiatives this installation hosts, and
every figure computed from it. Every endpoint answers for one initiative: `?initiative=<slug>`
(the list is at /api/v1/initiatives; without it, the primary initiative). Reads are public;
writing (a partner's progress reports; the secretariat's changes to a partner's organisation
identifiers) needs an API token (`Authorization: Bearer <token>`). Money is a decimal string,
never a float. Errors are RFC 9457 problem details. See docs/api.md for pagination, caching,
rate limits and the versioning and deprecation policy.
"""


class AdelanteApi(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        return with_problem_responses(schema)


#: Error responses every operation may give (beside its own): a bad token, too many requests,
#: invalid parameters.
COMMON_ERRORS = {
    "401": "The API token is not valid.",
    "422": "A parameter is not valid.",
    "429": "Too many requests; see Retry-After.",
}


INITIATIVE_PARAMETER = {
    "name": "initiative",
    "in": "query",
    "required": False,
    "description": (
        "The initiative to answer for (its slug, from /api/v1/initiatives); default: the "
        "primary initiative. An unknown slug is a 404 listing the initiatives."
    ),
    "schema": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$", "maxLength": 60},
}


def with_problem_responses(schema: Any) -> Any:
    """Declare error responses as application/problem+json with the Problem schema."""
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            # ?initiative= is read by the middleware (adelante.api.middleware), for every
            # operation: the document says so on each.
            parameters = operation.setdefault("parameters", [])
            if not any(p.get("name") == "initiative" for p in parameters):
                parameters.append(INITIATIVE_PARAMETER)
            # django-ninja keys an operation's own responses by number (404), JSON by text:
            # one key per status, or the document would name "404" twice.
            responses = {str(k): v for k, v in operation.get("responses", {}).items()}
            operation["responses"] = responses
            for status, description in COMMON_ERRORS.items():
                responses.setdefault(str(status), {"description": description})
            responses.setdefault(
                "404",
                {"description": "Not found (an unknown initiative, or a page past the last)."},
            )
            if "requestBody" in operation:
                responses.setdefault("400", {"description": "The body is not valid JSON."})
            for status, response in responses.items():
                if int(status) >= 400:
                    response["content"] = problem
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components.setdefault("Problem", problems.PROBLEM_SCHEMA)
    return schema


api = AdelanteApi(
    title="Adelante API",
    version=VERSION,
    description=DESCRIPTION,
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
    # Swagger UI from django-ninja's bundled static files (ninja is in INSTALLED_APPS), and no
    # call to the online validator: no request leaves the server.
    docs=Swagger(settings={"validatorUrl": None, "tryItOutEnabled": True}),
)


@api.exception_handler(problems.Problem)
def _problem(request: HttpRequest, exc: problems.Problem) -> HttpResponse:
    return problems.from_exception(request, exc)


@api.exception_handler(ServiceError)
def _refused(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    return problems.from_service_error(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = problems.validation_errors(exc.errors)
    names = list(dict.fromkeys(str(e["loc"][-1]) for e in errors if len(e["loc"]) > 1))
    detail = _("Some parameters are not valid; see errors.")
    if names:
        detail = _("Some parameters are not valid (%(names)s); see errors.") % {
            "names": ", ".join(names)
        }
    return problems.problem_response(
        request,
        422,
        detail,
        type=problems.INVALID_PARAMETERS,
        extra={"errors": errors},
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = problems.problem_response(request, 401, problems.default_detail(401))
    response["WWW-Authenticate"] = 'Bearer realm="adelante"'
    return response


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return problems.problem_response(request, exc.status_code, str(exc))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problems.problem_response(request, 404, problems.default_detail(404))


PREFIX = "/api/v1"


@functools.cache
def _endpoints() -> tuple[dict[str, str], ...]:
    # The document is the same for the life of the process: read it once.
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    return tuple(
        {"method": method.upper(), "path": path, "summary": operation.get("summary", "")}
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if path != f"{PREFIX}/"
    )


@api.get("/", response=ApiIndexOut, summary="The API's index: its documents and endpoints")
def index(request: HttpRequest) -> dict[str, Any]:
    """GET /api/v1/: whoever finds /api/v1/ finds the rest (the documentation, the OpenAPI
    document, the bulk downloads and every endpoint), as JSON."""

    def absolute(path: str) -> str:
        return request.build_absolute_uri(path)

    return {
        "title": api.title,
        "version": VERSION,
        "description": " ".join(DESCRIPTION.split()),
        "documentation": absolute(f"{PREFIX}/docs"),
        "openapi": absolute(f"{PREFIX}/openapi.json"),
        "downloads": absolute(reverse("exchange:downloads")),
        "portal": absolute(reverse("portal:overview")),
        "endpoints": [
            {**e, "url": None if "{" in e["path"] else absolute(e["path"])} for e in _endpoints()
        ],
    }


def _register() -> None:
    from adelante.api.endpoints import corrections, figures, identifiers, record, reports

    api.add_router("", record.router)
    api.add_router("", corrections.router)
    api.add_router("/figures", figures.router)
    api.add_router("", reports.router)
    api.add_router("", identifiers.router)


_register()

"""What the workflow's pages share: rendering, and serving a stored file."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from adelante import web_errors
from adelante.accounts import roles
from adelante.errors import ServiceError
from adelante.workflow import files
from adelante.workflow.models import StoredFile


def actor(request: HttpRequest) -> User:
    """The signed-in person acting (the pages' gates let no one else through)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def page(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context.setdefault("is_secretariat", roles.is_secretariat(request.user))
    partner = context.get("partner")
    # The organisation's people page, from every page of the organisation, for who may invite.
    context.setdefault(
        "may_invite", partner is not None and roles.can_invite_to(request.user, partner)
    )
    response = render(request, template, context, status=status)
    # Unpublished data: never kept by a shared cache or the browser's back-forward cache.
    response["Cache-Control"] = "private, no-store"
    return response


def refused(request: HttpRequest, error: ServiceError) -> HttpResponse:
    """A page that only says why the rules refused (not allowed, not found): nothing of the
    record is shown."""
    return page(
        request,
        "workflow/refused.html",
        {"title": error.message, "refusal": error},
        status=web_errors.status(error),
    )


def file_response(stored: StoredFile) -> FileResponse:
    """The file, as an attachment of the type its content showed, never rendered inline."""
    kind = files.KINDS.get(stored.kind)
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=stored.original_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response

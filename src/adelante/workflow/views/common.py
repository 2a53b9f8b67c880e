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


#: The kinds a reviewer sees in the page (an <img>, or a sandboxed frame for PDF).
PREVIEWED = {"pdf", "png", "jpeg"}


def file_response(stored: StoredFile, *, inline: bool = False) -> FileResponse:
    """The file, as an attachment of the type its content showed. `inline`: a PDF or image
    (by its checked content, not its name) shown in a page of this site, in a CSP sandbox that
    runs no script, loads nothing and may be framed by this site only."""
    kind = files.KINDS.get(stored.kind)
    inline = inline and stored.kind in PREVIEWED
    try:
        handle = stored.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=stored.original_name,
        content_type=kind.content_type if kind else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    if not inline:
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    elif stored.kind == "pdf":
        # The browser's PDF viewer refuses to run in a sandbox (Chromium blocks it): the
        # PDF may load nothing, run no page script and be framed by this site only.
        response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'self'"
    else:
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'; sandbox"
        )
    if inline:
        # Framed by the reviewer's page (the middleware's DENY stays on everything else).
        response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response

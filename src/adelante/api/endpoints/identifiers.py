"""Write endpoints: a partner's organisation identifiers added and removed with an API token.

The same services as the admin's partner page (`partners.editing.check_add_identifier`,
`do_add_identifier`, `check_remove_identifier`, `do_remove_identifier`): the same rule of who
may (the secretariat admin), the same checks and messages. Their refusals
(`adelante.errors.ServiceError`) become problem documents in `adelante.api.v1`: 403 (may
not), 422 (an identifier no rule accepts), 409 (one the partner has already), 404.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Status

from adelante.api.auth import token_auth
from adelante.api.params import SLUG_PATTERN
from adelante.api.problems import Problem
from adelante.api.schemas import IdentifierIn, OrganisationIdentifierOut
from adelante.partners import editing
from adelante.partners.models import Partner

router = Router(tags=["partners"], auth=token_auth)

SLUG = Path(..., pattern=SLUG_PATTERN, max_length=200, description="The partner's slug.")


def _user(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


def _partner(slug: str) -> Partner:
    found = Partner.objects.filter(slug=slug).first()
    if found is None:
        raise Problem(404, _("No partner “%(slug)s”.") % {"slug": slug})
    return found


def _note(request: HttpRequest, reason: str) -> str:
    """The history's reason: the door and who, then the reason given."""
    note = _("through the API by %(user)s") % {"user": _user(request).get_username()}
    return f"{note}: {reason.strip()}" if reason.strip() else note


@router.post(
    "/partners/{slug}/identifiers",
    response={201: OrganisationIdentifierOut, 403: None, 404: None, 409: None},
    summary="Add an organisation identifier to a partner (the secretariat admin)",
)
def add_identifier(
    request: HttpRequest, body: IdentifierIn, slug: str = SLUG
) -> Status[dict[str, Any]]:
    # Who may, before whether the partner exists: no one else learns which slugs are taken.
    editing.check_identifier_editor(_user(request), adding=True)
    row = editing.do_add_identifier(
        partner=_partner(slug),
        identifier=body.identifier,
        by=_user(request),
        reason=_note(request, body.reason),
    )
    return Status(
        201, {"identifier": row.identifier, "scheme": row.scheme, "scheme_name": row.scheme_name}
    )


@router.delete(
    "/partners/{slug}/identifiers/{identifier}",
    response={204: None, 403: None, 404: None},
    summary="Remove one of a partner's organisation identifiers (the secretariat admin)",
)
def remove_identifier(
    request: HttpRequest,
    slug: str = SLUG,
    identifier: str = Path(
        ..., max_length=200, description="As stored (GT-NIT-75556057) or as written."
    ),
    reason: str = Query(
        "", max_length=500, description="Why: kept in the history beside who removed it."
    ),
) -> HttpResponse:
    editing.check_identifier_editor(_user(request), adding=False)
    editing.do_remove_identifier(
        partner=_partner(slug),
        identifier=identifier,
        by=_user(request),
        reason=_note(request, reason),
    )
    return HttpResponse(status=204)

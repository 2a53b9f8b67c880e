"""Write endpoints: a partner's member submits a progress report with an API token.

The submission is `workflow.reporting.submit_new`, the same steps, rules and review events as
the web form's; its refusals (`adelante.errors.ServiceError`) become problem documents in
`adelante.api.v1` (422, 409, 403, 404).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from adelante.accounts import roles
from adelante.api import serialize
from adelante.api.auth import token_auth
from adelante.api.problems import Problem
from adelante.api.schemas import MeOut, ProgressOut, ProgressReportIn
from adelante.commitments.models import Commitment
from adelante.errors import NotFound
from adelante.partners.models import Membership
from adelante.progress.models import ProgressReport
from adelante.workflow import reporting

router = Router(tags=["partners"], auth=token_auth)


def _user(request: HttpRequest) -> Any:
    return request.auth.user  # type: ignore[attr-defined]


@router.get("/me", response=MeOut, summary="The token's user and their organisations")
def me(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    memberships = Membership.objects.filter(user=user).select_related("partner")
    return {
        "username": user.get_username(),
        "memberships": [
            {
                "partner": {"slug": m.partner.slug, "name": m.partner.name, "type": m.partner.type},
                "role": m.role,
            }
            for m in memberships.order_by("partner__normalised_name")
        ],
    }


@router.post(
    "/progress-reports",
    response={201: ProgressOut, 403: None, 404: None, 409: None},
    summary="Submit a progress report (status submitted; the secretariat verifies it)",
)
def submit(request: HttpRequest, body: ProgressReportIn) -> Status[dict[str, Any]]:
    commitment = Commitment.objects.filter(reference=body.commitment).select_related("partner")
    found = commitment.first()
    # A commitment the user may not see (another organisation's proposal) is not there either.
    if found is None or not roles.can_view_commitment(_user(request), found):
        raise NotFound(_("No commitment with the reference “%(ref)s”.") % {"ref": body.commitment})
    report = reporting.submit_new(
        user=_user(request),
        commitment=found,
        period_start=body.period_start,
        period_end=body.period_end,
        narrative=body.narrative,
        values=[
            reporting.ValueInput(v.metric, Decimal(v.value), decrease_reason=v.decrease_reason)
            for v in body.values
        ],
        through=reporting.Through.API,
    )
    created = serialize.with_report_details(ProgressReport.objects.filter(pk=report.pk)).get()
    return Status(201, serialize.report(created))


@router.get(
    "/progress-reports/{report_id}",
    response={200: ProgressOut, 404: None},
    summary="One of your organisations' progress reports, whatever its status",
)
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    found = (
        serialize.with_report_details(ProgressReport.objects.filter(pk=report_id))
        .select_related("commitment__partner")
        .first()
    )
    # A read of the organisation's own unpublished data: its members only. For anyone else
    # the report is not there: the same 404 as a missing one, so that ids cannot be probed.
    if found is None or not roles.is_partner_member(_user(request), found.commitment.partner):
        raise Problem(404, _("No progress report %(id)d.") % {"id": report_id})
    return serialize.report(found)

"""Write endpoints: a partner's member submits a progress report with an API token."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from adelante.api import serialize
from adelante.api.problems import CONFLICT, NOT_YOUR_PARTNER, Problem
from adelante.api.schemas import MeOut, ProgressOut, ProgressReportIn
from adelante.api.v1 import token_auth
from adelante.partners.models import Membership
from adelante.progress import submission
from adelante.progress.models import ProgressReport

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
    values = [submission.SubmittedValue(v.metric, Decimal(v.value)) for v in body.values]
    try:
        report = submission.submit_report(
            _user(request),
            body.commitment,
            body.period_start,
            body.period_end,
            body.narrative,
            values,
        )
    except submission.NotFound as exc:
        raise Problem(404, str(exc)) from None
    except submission.NotAllowed as exc:
        raise Problem(403, str(exc), type=NOT_YOUR_PARTNER) from None
    except submission.Conflict as exc:
        raise Problem(409, str(exc), type=CONFLICT) from None
    except submission.Invalid as exc:
        raise Problem(422, str(exc)) from None
    found = serialize.with_report_details(ProgressReport.objects.filter(pk=report.pk)).get()
    return Status(201, serialize.report(found))


@router.get(
    "/progress-reports/{report_id}",
    response={200: ProgressOut, 403: None},
    summary="One of your organisations' progress reports, whatever its status",
)
def get_report(request: HttpRequest, report_id: int) -> dict[str, Any]:
    found = serialize.with_report_details(ProgressReport.objects.filter(pk=report_id)).first()
    if found is None:
        raise Problem(404, _("No progress report %(id)d.") % {"id": report_id})
    if not submission.may_report_for(_user(request), found.commitment):
        raise Problem(
            403,
            _("This report belongs to an organisation you are not a member of."),
            type=NOT_YOUR_PARTNER,
        )
    return serialize.report(found)

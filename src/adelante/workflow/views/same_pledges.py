"""The secretariat's same-pledge page: suggested pairs of commitments under two initiatives
that may be one pledge, confirmed or dismissed here, and the confirmed links, each with its
unlink (docs/initiatives.md, "One pledge, several initiatives").

Who may: secretariat reviewers and admins; every action calls `commitments.same_pledge`.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from adelante import web_errors
from adelante.accounts.access import secretariat_required
from adelante.commitments import same_pledge
from adelante.commitments.models import Commitment, SamePledge
from adelante.errors import Invalid, ServiceError
from adelante.workflow.views.common import actor, page

GET = ("GET", "HEAD")
#: The confirmed links listed (the newest first).
LINKS_SHOWN = 500

_SHOWN = (
    "initiative",
    "partner",
    "round",
)


@secretariat_required
@require_http_methods(GET)
def same_pledges(request: HttpRequest) -> HttpResponse:
    suggestions = same_pledge.suggest_same_pledges()
    links = (
        SamePledge.objects.select_related(
            *(f"commitment__{name}" for name in _SHOWN),
            *(f"counted_as__{name}" for name in _SHOWN),
        )
        .prefetch_related("commitment__countries", "counted_as__countries")
        .order_by("-confirmed_on", "-id")[:LINKS_SHOWN]
    )
    ids = {c.pk for s in suggestions for c in (s.commitment, s.counted_as)}
    countries = {
        c.pk: c for c in Commitment.objects.filter(pk__in=ids).prefetch_related("countries")
    }
    return page(
        request,
        "workflow/same_pledges.html",
        {
            "title": _("Same pledge under two initiatives"),
            "suggestions": [
                (s, countries[s.commitment.pk], countries[s.counted_as.pk]) for s in suggestions
            ],
            "links": list(links),
            "tolerance": int(same_pledge.AMOUNT_TOLERANCE * 100),
            "within_days": same_pledge.WITHIN_DAYS,
        },
    )


def _commitment(request: HttpRequest, name: str) -> Commitment:
    reference = (request.POST.get(name) or "").strip()
    found = Commitment.objects.filter(reference=reference).first() if reference else None
    if found is None:
        raise Invalid(
            _("No commitment has the reference “%(reference)s”.") % {"reference": reference}
        )
    return found


@secretariat_required
@require_POST
def link(request: HttpRequest) -> HttpResponse:
    """Confirm a suggestion (or any pair): `commitment` is counted as `counted_as`."""
    try:
        made = same_pledge.do_link_same_pledge(
            actor=actor(request),
            commitment=_commitment(request, "commitment"),
            counted_as=_commitment(request, "counted_as"),
            note=request.POST.get("note", ""),
        )
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(
            request,
            _("Linked: “%(reference)s” is counted as “%(other)s” across initiatives.")
            % {"reference": made.commitment.reference, "other": made.counted_as.reference},
        )
    return redirect("workflow:same_pledges")


@secretariat_required
@require_POST
def dismiss(request: HttpRequest) -> HttpResponse:
    """Not the same pledge: the pair is not suggested again."""
    try:
        same_pledge.do_dismiss_same_pledge(
            actor=actor(request),
            first=_commitment(request, "commitment"),
            second=_commitment(request, "counted_as"),
            note=request.POST.get("note", ""),
        )
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(request, _("Dismissed: this pair will not be suggested again."))
    return redirect("workflow:same_pledges")


@secretariat_required
@require_POST
def unlink(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_object_or_404(SamePledge, pk=pk)
    try:
        commitment = same_pledge.do_unlink_same_pledge(
            actor=actor(request), link=found, reason=request.POST.get("reason", "")
        )
    except ServiceError as error:
        web_errors.to_messages(request, error)
    else:
        messages.success(
            request,
            _("Unlinked: “%(reference)s” counts on its own across initiatives again.")
            % {"reference": commitment.reference},
        )
    return redirect("workflow:same_pledges")

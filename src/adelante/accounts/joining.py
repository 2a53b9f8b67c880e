"""Joining the partnership: the public request, its e-mail confirmation, the secretariat's
screening and decision, and the invitation of the organisation's contact.

Spam is kept out without any outside service: a honeypot field (in the form), a limit of
requests per address per day, and a request only enters the secretariat's queue once its
e-mail address confirmed it through a signed link.

Screening hook: `join_request_confirmed` is sent when a request enters the queue; sanctions
screening (intake) may connect to it, and the reviewer records the outcome here
(`record_screening`). An organisation is invited only once screened clear (or its hits judged
false positives).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import Signal
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adelante import history
from adelante.accounts import invitations, languages, throttle
from adelante.accounts.models import Invitation, JoinRequest, JoinStatus, ScreeningOutcome
from adelante.confirming import AddressConfirmation
from adelante.errors import Invalid
from adelante.initiatives.named import initiative_name
from adelante.partners.models import MembershipRole, Partner
from adelante.partners.naming import normalise, parse_name
from adelante.partners.slugs import partner_slug

SALT = "adelante.accounts.join"

#: Sent with ``join_request=`` when a request is confirmed and enters the queue.
join_request_confirmed = Signal()


class JoinError(Invalid):
    """Why a step cannot be taken; the message is for the user."""


CONFIRMATION = AddressConfirmation(
    model=JoinRequest,
    salt=SALT,
    key="j",
    unconfirmed=JoinStatus.UNCONFIRMED,
    confirmed=JoinStatus.NEW,
    error=JoinError,
    expired=gettext_lazy("This confirmation link has expired. Please send the form again."),
)


def rate_limited(address: str) -> int:
    """Seconds until this address may send another request (0: now); a read."""
    return throttle.retry_after(throttle.join_address(), address)


def take_slot(address: str) -> int:
    """Take one of the address's requests for the day before a request is kept: 0 if taken,
    else the seconds to wait (atomic: concurrent requests cannot pass the limit)."""
    return throttle.reserve(throttle.join_address(), address)


def submit(data: Mapping[str, Any], *, language: str) -> JoinRequest:
    """Record a request (not yet in the queue: it awaits its e-mail confirmation). The caller
    took the address's slot first (`take_slot`)."""
    request = JoinRequest(
        organisation_name=data["organisation_name"],
        organisation_type=data["organisation_type"],
        country=data["country"],
        contact_name=data["contact_name"],
        contact_email=data["contact_email"],
        intends=data["intends"],
        language=language,
        status=JoinStatus.UNCONFIRMED,
    )
    history.save(request, reason=_("sent through the join form"))
    return request


def confirmation_token(request: JoinRequest) -> str:
    return CONFIRMATION.token(request)


def confirmation_path(request: JoinRequest) -> str:
    return reverse("joining:join_confirm", args=[confirmation_token(request)])


def send_confirmation(request: JoinRequest, absolute_link: str) -> None:
    """The confirmation e-mail, in the language of the form, naming the initiative whose
    pages the form was sent from."""
    with translation.override(request.language):
        initiative = initiative_name()
        subject = _("Please confirm your request to join %(initiative)s") % {
            "initiative": initiative
        }
        body = render_to_string(
            "accounts/email/join_confirm.txt",
            {"join": request, "link": absolute_link, "initiative": initiative},
        )
    send_mail(subject, body, None, [request.contact_email])


def from_token(token: str) -> JoinRequest:
    return CONFIRMATION.row(token)


def confirm(token: str) -> JoinRequest:
    """Queue the request (once; confirming again changes nothing)."""
    request, confirmed = CONFIRMATION.confirm(token)
    if confirmed:
        join_request_confirmed.send(sender=JoinRequest, join_request=request)
    return request


def queue() -> Any:
    """The confirmed requests, oldest first."""
    return JoinRequest.objects.exclude(status=JoinStatus.UNCONFIRMED).order_by("created")


def _save(request: JoinRequest, by: Any, reason: str) -> None:
    history.save(request, user=by, reason=reason)


def record_screening(request: JoinRequest, outcome: str, note: str, *, by: Any) -> None:
    if request.status in (JoinStatus.UNCONFIRMED, JoinStatus.INVITED, JoinStatus.DECLINED):
        raise JoinError(_("This request cannot be screened in its current state."))
    if outcome in (ScreeningOutcome.FALSE_POSITIVE, ScreeningOutcome.MATCH) and not note.strip():
        raise JoinError(_("Say why: a screening hit needs a note."))
    request.status = JoinStatus.SCREENING
    request.screening_outcome = outcome
    request.screening_note = note
    request.screened_by = by
    request.screened_at = timezone.now() if outcome else None
    _save(request, by, note or _("screening recorded"))


def decline(request: JoinRequest, reason: str, *, by: Any) -> None:
    if request.status in (JoinStatus.UNCONFIRMED, JoinStatus.INVITED):
        raise JoinError(_("This request cannot be declined in its current state."))
    if not reason.strip():
        raise JoinError(_("Give the reason for declining."))
    request.status = JoinStatus.DECLINED
    request.decision_reason = reason
    _save(request, by, reason)


def _unique_slug(name: str) -> str:
    return partner_slug(name, lambda slug: Partner.objects.filter(slug=slug).exists())


def partner_for(request: JoinRequest) -> tuple[Partner, bool]:
    """The organisation as the record knows it (by name or alias), or a new one."""
    written = parse_name(request.organisation_name)
    for key in written.keys():  # noqa: SIM118 (a NameAsWritten, not a dict)
        found = Partner.objects.named(key).first()
        if found is not None:
            return found, False
    partner = Partner(
        name=written.main,
        slug=_unique_slug(written.main),
        normalised_name=normalise(written.main),
        type=request.organisation_type,
    )
    history.save(partner, reason=_("joined through the join form"))
    return partner, True


def accept_and_invite(request: JoinRequest, reason: str, *, by: Any) -> Invitation:
    """Make (or match) the partner and invite the contact as its partner admin."""
    if request.status not in (JoinStatus.NEW, JoinStatus.SCREENING):
        raise JoinError(_("This request cannot be accepted in its current state."))
    if request.screening_outcome not in (ScreeningOutcome.CLEAR, ScreeningOutcome.FALSE_POSITIVE):
        raise JoinError(_("Screen the organisation first: it must be clear to be invited."))
    with transaction.atomic():
        partner, _created = partner_for(request)
        invitation = invitations.invite(
            partner,
            request.contact_email,
            MembershipRole.ADMIN,
            invited_by=by,
            language=request.language if request.language in languages.codes() else None,
        )
        request.partner = partner
        request.status = JoinStatus.INVITED
        request.decision_reason = reason
        _save(request, by, reason or _("accepted; contact invited"))
    return invitation

"""Inviting people into a partner organisation: a signed, single-use, expiring link by e-mail.

The link carries the invitation's id and a random nonce, signed with the secret key; it is
good until the invitation expires, is accepted (once) or is revoked. Accepting creates the
account (or uses the signed-in one) and its `partners.Membership` in one transaction.
"""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from adelante import history, siteaddress
from adelante.accounts import languages, throttle
from adelante.accounts.models import Invitation
from adelante.errors import Invalid
from adelante.initiatives.named import initiative_name
from adelante.partners.models import Membership, MembershipRole, Partner

SALT = "adelante.accounts.invitation"


class InvitationInvalid(Invalid):
    """Why an invitation link cannot be used; the message is for the person holding it."""


def invite(
    partner: Partner,
    email: str,
    role: str = MembershipRole.MEMBER,
    *,
    invited_by: Any = None,
    days: int | None = None,
    language: str | None = None,
) -> Invitation:
    """A new invitation; earlier open ones for the same address and organisation are revoked.
    `language`: its e-mail's, and the new account's preferred one (default: the site's)."""
    language = language or settings.LANGUAGE_CODE
    languages.check_language(language=language)
    email = get_user_model().objects.normalize_email(email.strip())
    now = timezone.now()
    days = settings.ADELANTE_INVITATION_DAYS if days is None else days
    with transaction.atomic():
        Invitation.objects.filter(
            partner=partner,
            email__iexact=email,
            accepted_at__isnull=True,
            revoked_at__isnull=True,
        ).update(revoked_at=now)
        invitation = Invitation(
            partner=partner,
            email=email,
            role=role,
            invited_by=invited_by if invited_by and invited_by.is_authenticated else None,
            nonce=secrets.token_urlsafe(24),
            expires_at=now + datetime.timedelta(days=days),
            language=language,
        )
        history.save(invitation, reason=_("invited"))
    return invitation


def sending_wait(*, email: str, address: str) -> int:
    """Take a slot to send an invitation (or a new one: a resend) to `email` from the client
    at `address`: 0 if it may go now, else the seconds to wait (ADELANTE_INVITATIONS_PER_*).
    One address cannot be flooded with invitations, by one organisation or by several."""
    email = get_user_model().objects.normalize_email(email.strip())
    return throttle.reserve_all(
        (throttle.invitation_address(), address), (throttle.invitation_email(), email)
    )


def token_for(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def link_path(invitation: Invitation) -> str:
    return reverse("accounts:invitation", args=[token_for(invitation)])


def send(invitation: Invitation) -> None:
    """The invitation e-mail, in the invitation's language, its link to the site's address
    (`SITE_URL`) under that language's prefix."""
    with translation.override(invitation.language):
        context = {
            "invitation": invitation,
            "link": siteaddress.absolute(link_path(invitation)),
            "initiative": initiative_name(),
        }
        subject = _("Invitation to Adelante: %(partner)s") % {"partner": invitation.partner.name}
        body = render_to_string("accounts/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


def open_invitation(token: str, *, lock: bool = False) -> Invitation:
    """The invitation this link is for, if it can still be used (else InvitationInvalid)."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise InvitationInvalid(_("This invitation link is not valid.")) from None
    if not isinstance(data, dict):
        raise InvitationInvalid(_("This invitation link is not valid."))
    rows = Invitation.objects.select_related("partner")
    if lock:
        rows = rows.select_for_update(of=("self",))
    invitation = rows.filter(pk=int(data.get("i") or 0)).first()
    if invitation is None or not secrets.compare_digest(
        str(invitation.nonce), str(data.get("n", ""))
    ):
        raise InvitationInvalid(_("This invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise InvitationInvalid(_("This invitation has been used already. Sign in instead."))
    if invitation.revoked_at is not None:
        raise InvitationInvalid(_("This invitation was withdrawn or replaced by a newer one."))
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid(
            _("This invitation has expired. Ask the person who invited you for a new one.")
        )
    return invitation


def existing_account(invitation: Invitation) -> Any:
    from django.db.models import Q

    return (
        get_user_model()
        .objects.filter(Q(email__iexact=invitation.email) | Q(username__iexact=invitation.email))
        .first()
    )


def accept(token: str, *, user: Any = None, password: str = "", name: str = "") -> Any:
    """Use the invitation once: make the membership, creating the account if needed.

    `user`: an account that exists (signed in); else a new one, named by the e-mail address,
    with this password. Raises InvitationInvalid if the link was used meanwhile.
    """
    with transaction.atomic():
        invitation = open_invitation(token, lock=True)
        reason = _("invitation accepted")
        if user is None:
            user = get_user_model()(
                username=invitation.email, email=invitation.email, first_name=name[:150]
            )
            user.set_password(password)
            user.save()
        membership = Membership.objects.filter(user=user, partner=invitation.partner).first()
        if membership is None:
            membership = Membership(user=user, partner=invitation.partner, role=invitation.role)
        elif invitation.role == MembershipRole.ADMIN:
            membership.role = MembershipRole.ADMIN  # an invitation never lowers a role
        history.save(membership, user=user, reason=reason)
        # The inviter chose the language the person reads: theirs unless they chose one.
        languages.set_preferred(user=user, language=invitation.language, only_if_unset=True)
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        history.save(invitation, user=user, reason=reason)
    return user

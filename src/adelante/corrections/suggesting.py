"""Suggesting a correction: no account, the same defences as the join form
(`adelante.accounts.joining`): a honeypot field (in the form), a limit of suggestions per
network address and per e-mail address a day (`accounts.throttle`), and a suggestion only
reaches the secretariat's queue once its e-mail address confirmed it through a signed link.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import URLValidator, validate_email
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adelante import history
from adelante.accounts import throttle
from adelante.confirming import AddressConfirmation
from adelante.corrections.models import Correction, CorrectionStatus
from adelante.corrections.subjects import Target
from adelante.errors import Invalid

SALT = "adelante.corrections.confirm"
MAX_SAID = 4000
MAX_NAME = 200
MAX_URL = 200


class CorrectionError(Invalid):
    """Why a step cannot be taken; the message is for the person."""


CONFIRMATION = AddressConfirmation(
    model=Correction,
    salt=SALT,
    key="c",
    unconfirmed=CorrectionStatus.UNCONFIRMED,
    confirmed=CorrectionStatus.NEW,
    error=CorrectionError,
    expired=gettext_lazy("This confirmation link has expired. Please send the suggestion again."),
)


def _slots(address: str, email: str) -> tuple[tuple[throttle.Limit, str], ...]:
    limit = throttle.correction_address()
    return ((limit, f"ip {address}"), (limit, f"mail {email}"))


def rate_limited(address: str, email: str = "") -> int:
    """Seconds until this network address (and e-mail address) may suggest again; a read."""
    slots = _slots(address, email) if email.strip() else _slots(address, email)[:1]
    return max(throttle.retry_after(limit, key) for limit, key in slots)


def take_slot(address: str, email: str) -> int:
    """Take a slot of the network address and of the e-mail address before a suggestion is
    kept: 0 if taken, else the seconds to wait (atomic, as the join form's)."""
    return throttle.reserve_all(*_slots(address, email))


def check_suggestion(data: Mapping[str, Any]) -> dict[str, str]:
    """The suggestion's values, stripped and checked; `Invalid` with each field's errors."""
    errors: dict[str, list[str]] = {}
    said = str(data.get("said") or "").strip()
    name = " ".join(str(data.get("name") or "").split())
    email = str(data.get("email") or "").strip()
    source_url = str(data.get("source_url") or "").strip()
    if not said:
        errors["said"] = [_("Say what is wrong, and what it should say.")]
    elif len(said) > MAX_SAID or "\x00" in said:
        errors["said"] = [_("At most %(n)s characters.") % {"n": MAX_SAID}]
    if len(name) > MAX_NAME or "\x00" in name:
        errors["name"] = [_("At most %(n)s characters.") % {"n": MAX_NAME}]
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter the e-mail address we should confirm the suggestion with.")]
    if source_url:
        try:
            URLValidator(schemes=["http", "https"])(source_url)
        except ValidationError:
            errors["source_url"] = [_("Enter a web address starting with http:// or https://.")]
        if len(source_url) > MAX_URL:
            errors["source_url"] = [_("At most %(n)s characters.") % {"n": MAX_URL}]
    if errors:
        raise CorrectionError(field_errors=errors)
    return {"said": said, "name": name, "email": email, "source_url": source_url}


def do_suggest(target: Target, data: Mapping[str, Any], *, language: str) -> Correction:
    """Keep a suggestion (not yet in the queue: it awaits its e-mail confirmation). The caller
    took the slots first (`take_slot`)."""
    values = check_suggestion(data)
    correction = Correction(
        subject=target.subject,
        subject_key=target.key,
        language=language,
        status=CorrectionStatus.UNCONFIRMED,
        **values,
    )
    history.save(correction, reason=_("sent through the correction form"))
    return correction


def confirmation_token(correction: Correction) -> str:
    return CONFIRMATION.token(correction)


def confirmation_path(correction: Correction) -> str:
    return reverse("corrections:confirm", args=[confirmation_token(correction)])


def send_confirmation(correction: Correction, target: Target, absolute_link: str) -> None:
    """The confirmation e-mail, in the language of the page the suggestion was sent from."""
    with translation.override(correction.language):
        subject = _("Please confirm your suggested correction")
        body = render_to_string(
            "corrections/email/confirm.txt",
            {"correction": correction, "target": target, "link": absolute_link},
        )
    send_mail(subject, body, None, [correction.email])


def from_token(token: str) -> Correction:
    return CONFIRMATION.row(token)


def do_confirm(token: str) -> Correction:
    """Queue the suggestion (once; confirming again changes nothing)."""
    return CONFIRMATION.confirm(token)[0]

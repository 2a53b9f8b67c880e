"""Creating, checking, rotating and revoking API tokens (plain functions; the command and the
API use them).

A token works until it expires (``ADELANTE_API_TOKEN_DAYS``, 90 by default) or is revoked.
Rotating one issues a new token (same user and name, a full lifetime) and lets the old one
work for ``ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS`` more (24 by default; 0 revokes it at
once), so a script can switch to the new token without a gap.
"""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.api.models import ApiToken
from adelante.errors import Conflict

#: Tokens start with this, so that they are easy to recognise (and to find in leaked code).
PREFIX = "adl_"
PREFIX_LENGTH = 12
#: Writing last_used on every request would turn every read into a write; once a minute is enough.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    #: The token itself: shown once, never stored.
    key: str


@dataclass(frozen=True)
class Checked:
    """What a key is: `token` when it may be used; `expired` when it names a token that
    expired (not revoked, its user active), so that the answer can say so."""

    token: ApiToken | None = None
    expired: ApiToken | None = None


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def lifetime(days: int | None = None) -> datetime.timedelta:
    return datetime.timedelta(days=settings.ADELANTE_API_TOKEN_DAYS if days is None else days)


def create_token(
    user: User,
    name: str = "",
    *,
    days: int | None = None,
    now: datetime.datetime | None = None,
) -> NewToken:
    """A new token for `user`, working for `days` (default ADELANTE_API_TOKEN_DAYS)."""
    now = now or timezone.now()
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        expires=now + lifetime(days),
    )
    return NewToken(token, key)


def check(key: str, *, now: datetime.datetime | None = None) -> Checked:
    """The token with this key if it may be used (not revoked, not expired, its user active),
    noting when it was used; or the expired token; or neither."""
    if not key.startswith(PREFIX) or len(key) > 200:
        return Checked()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return Checked()
    now = now or timezone.now()
    if token.expires <= now:
        return Checked(expired=token)
    if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return Checked(token=token)


def authenticate(key: str) -> ApiToken | None:
    """The token with this key if it may be used now (see `check`)."""
    return check(key).token


def rotate(
    *,
    token: ApiToken,
    overlap_hours: int | None = None,
    now: datetime.datetime | None = None,
) -> NewToken:
    """A new token in place of `token` (same user and name, a full lifetime); the old one
    keeps working for `overlap_hours` (default ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS;
    0: revoked now), never longer than it would have. A token is rotated once."""
    now = now or timezone.now()
    hours = (
        settings.ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS
        if overlap_hours is None
        else overlap_hours
    )
    with transaction.atomic():
        old = ApiToken.objects.select_for_update().get(pk=token.pk)
        if old.revoked is not None or old.replaced_by_id is not None:
            raise Conflict(
                _("The token %(prefix)s… was already revoked or rotated.") % {"prefix": old.prefix}
            )
        new = create_token(old.user, old.name, now=now)
        old.replaced_by = new.token
        if hours <= 0:
            old.revoked = now
        else:
            old.expires = min(old.expires, now + datetime.timedelta(hours=hours))
        old.save(update_fields=["replaced_by", "revoked", "expires"])
    token.refresh_from_db()
    return new


def revoke(token: ApiToken) -> None:
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])


def state(token: ApiToken, *, now: datetime.datetime | None = None) -> str:
    """revoked, expired, rotated (still working for the overlap) or active: for listings."""
    now = now or timezone.now()
    if token.revoked is not None:
        return _("revoked")
    if token.expires <= now:
        return _("expired")
    if token.replaced_by_id is not None:
        return _("rotated")
    return _("active")

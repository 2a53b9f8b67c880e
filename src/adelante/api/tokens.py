"""Creating, checking and revoking API tokens (plain functions; the command and the API use
them)."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from adelante.api.models import ApiToken

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


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create_token(user: User, name: str = "") -> NewToken:
    key = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    return NewToken(token, key)


def authenticate(key: str) -> ApiToken | None:
    """The active token with this key, its user active too; notes when it was used."""
    if not key.startswith(PREFIX) or len(key) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), revoked__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used is None or now - token.last_used > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
    return token


def revoke(token: ApiToken) -> None:
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])

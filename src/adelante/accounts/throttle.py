"""Counting attempts within a window: failed sign-ins, wrong two-factor codes, join requests.

Attempts are rows (`accounts.Attempt`), not cache entries, so that every server process and
every restart sees the same counts; old rows are pruned as new ones are written.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone

from adelante.accounts.models import Attempt

KEY_LENGTH = 300


@dataclass(frozen=True)
class Limit:
    kind: str
    allowed: int
    window: datetime.timedelta


def signin_account() -> Limit:
    return Limit(
        "signin-account",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT,
        datetime.timedelta(seconds=settings.ADELANTE_SIGNIN_LOCKOUT_SECONDS),
    )


def signin_address() -> Limit:
    return Limit(
        "signin-address",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ADDRESS,
        datetime.timedelta(seconds=settings.ADELANTE_SIGNIN_LOCKOUT_SECONDS),
    )


def join_address() -> Limit:
    return Limit(
        "join-address", settings.ADELANTE_JOIN_REQUESTS_PER_ADDRESS, datetime.timedelta(days=1)
    )


def _key(key: str) -> str:
    return key.strip().casefold()[:KEY_LENGTH]


def record(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> None:
    now = now or timezone.now()
    Attempt.objects.filter(kind=limit.kind, at__lt=now - limit.window).delete()
    Attempt.objects.create(kind=limit.kind, key=_key(key), at=now)


def retry_after(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> int:
    """0 if another attempt is allowed now; else the seconds until one is."""
    now = now or timezone.now()
    recent = list(
        Attempt.objects.filter(kind=limit.kind, key=_key(key), at__gte=now - limit.window)
        .order_by("-at")
        .values_list("at", flat=True)[: limit.allowed]
    )
    if len(recent) < limit.allowed:
        return 0
    # The oldest of the last `allowed` attempts leaves the window first.
    frees_at = recent[-1] + limit.window
    return max(1, math.ceil((frees_at - now).total_seconds()))


def clear(limit: Limit, key: str) -> None:
    Attempt.objects.filter(kind=limit.kind, key=_key(key)).delete()


def client_address(request: object) -> str:
    """The address a request came from (REMOTE_ADDR: a proxy in front must set it right)."""
    meta = getattr(request, "META", {})
    return str(meta.get("REMOTE_ADDR") or "unknown")

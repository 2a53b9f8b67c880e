"""Counting attempts within a window, atomically: failed sign-ins, wrong two-factor codes,
password-reset e-mails, invitations, join requests, suggested corrections.

Each (kind, key) has one row (`accounts.AttemptCounter`) holding its count and the end of its
window. The counts are rows, not cache entries, so that every server process and every restart
sees the same counts (a per-process cache would count per process; a shared cache's ``incr``
is atomic on Redis but not on every backend).

`reserve` takes a slot *before* the thing it guards is done (a password is checked, an e-mail
sent) with one conditional UPDATE::

    UPDATE … SET count = count + 1 WHERE kind = … AND key = … AND count < allowed AND window open

The database applies concurrent UPDATEs of one row one after the other and re-checks the
condition each time (PostgreSQL re-reads the row a waiting UPDATE finds changed; SQLite has one
writer at a time), so N concurrent requests take at most ``allowed`` slots: never a read, then a
decision, then a write that another request can slip between. The slot that filled the count
starts a full window from that moment (the pause lasts the whole window after the last
counted attempt). `release` gives a slot back, `clear` forgets the key (a success).

On SQLite the counters are also serialised within each process (a lock around every function
here): SQLite has one writer at a time anyway, and its shared-cache in-memory databases (the
test suite's) answer "table is locked" at once instead of waiting their turn. Across processes
SQLite's own file lock and the conditional UPDATE keep the counts right.
"""

from __future__ import annotations

import contextlib
import datetime
import functools
import math
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.db import connection
from django.db.models import Case, DateTimeField, F, Q, Value, When
from django.utils import timezone

from adelante.accounts.models import AttemptCounter

KEY_LENGTH = 300

_P = ParamSpec("_P")
_R = TypeVar("_R")
_SQLITE_LOCK = threading.RLock()


@contextlib.contextmanager
def _serialised() -> Iterator[None]:
    if connection.vendor == "sqlite":
        with _SQLITE_LOCK:
            yield
    else:
        yield


def _counting(function: Callable[_P, _R]) -> Callable[_P, _R]:
    @functools.wraps(function)
    def wrapped(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with _serialised():
            return function(*args, **kwargs)

    return wrapped


@dataclass(frozen=True)
class Limit:
    kind: str
    allowed: int
    window: datetime.timedelta


def _seconds(name: str) -> datetime.timedelta:
    return datetime.timedelta(seconds=int(getattr(settings, name)))


def signin_account() -> Limit:
    """Failed sign-ins on one account, from every address together."""
    return Limit(
        "signin-account",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT,
        _seconds("ADELANTE_SIGNIN_LOCKOUT_SECONDS"),
    )


def signin_account_address() -> Limit:
    """Failed sign-ins on one account from one address."""
    return Limit(
        "signin-account-address",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        _seconds("ADELANTE_SIGNIN_LOCKOUT_SECONDS"),
    )


def signin_address() -> Limit:
    """Failed sign-ins from one address across accounts: past it, the address is slowed."""
    return Limit(
        "signin-address",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ADDRESS,
        _seconds("ADELANTE_SIGNIN_LOCKOUT_SECONDS"),
    )


def two_factor() -> Limit:
    """Wrong two-factor codes of one user (six digits must not be guessable)."""
    return Limit(
        "two-factor",
        settings.ADELANTE_SIGNIN_FAILURES_PER_ACCOUNT_AND_ADDRESS,
        _seconds("ADELANTE_SIGNIN_LOCKOUT_SECONDS"),
    )


def reset_account() -> Limit:
    return Limit(
        "reset-account",
        settings.ADELANTE_RESETS_PER_ACCOUNT,
        _seconds("ADELANTE_MAIL_THROTTLE_SECONDS"),
    )


def reset_address() -> Limit:
    return Limit(
        "reset-address",
        settings.ADELANTE_RESETS_PER_ADDRESS,
        _seconds("ADELANTE_MAIL_THROTTLE_SECONDS"),
    )


def invitation_email() -> Limit:
    return Limit(
        "invitation-email",
        settings.ADELANTE_INVITATIONS_PER_EMAIL,
        _seconds("ADELANTE_MAIL_THROTTLE_SECONDS"),
    )


def invitation_address() -> Limit:
    return Limit(
        "invitation-address",
        settings.ADELANTE_INVITATIONS_PER_ADDRESS,
        _seconds("ADELANTE_MAIL_THROTTLE_SECONDS"),
    )


def join_address() -> Limit:
    return Limit(
        "join-address", settings.ADELANTE_JOIN_REQUESTS_PER_ADDRESS, datetime.timedelta(days=1)
    )


def correction_address() -> Limit:
    """Suggested corrections from one network address, and to one e-mail address, a day."""
    return Limit(
        "correction-address",
        settings.ADELANTE_CORRECTIONS_PER_ADDRESS,
        datetime.timedelta(days=1),
    )


def key_of(*parts: str) -> str:
    """The stored key: case-folded, stripped, at most KEY_LENGTH characters."""
    return " ".join(part.strip().casefold() for part in parts)[:KEY_LENGTH]


def _rows(limit: Limit, key: str):  # type: ignore[no-untyped-def]
    return AttemptCounter.objects.filter(kind=limit.kind, key=key_of(key))


def _open_window(limit: Limit, key: str, now: datetime.datetime) -> None:
    """Make sure the key's row exists and its window is open (a new one if the last ended)."""
    AttemptCounter.objects.filter(kind=limit.kind, window_ends__lt=now - limit.window).delete()
    AttemptCounter.objects.bulk_create(
        [AttemptCounter(kind=limit.kind, key=key_of(key), count=0, window_ends=now + limit.window)],
        ignore_conflicts=True,
    )
    # Only the first of several concurrent requests matches: the others see the new window.
    _rows(limit, key).filter(window_ends__lte=now).update(
        count=0, window_ends=now + limit.window, last_at=None
    )


def _wait(until: datetime.datetime, now: datetime.datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds()))


@_counting
def reserve(
    limit: Limit,
    key: str,
    *,
    spacing: datetime.timedelta | None = None,
    now: datetime.datetime | None = None,
) -> int:
    """Take one slot for `key`: 0 if taken (the attempt may go on), else the seconds to wait.

    ``spacing``: when the key already has counted attempts in this window, the next one must
    come at least this long after the last (a slowdown rather than a pause).
    """
    for _round in range(3):
        now = now or timezone.now()
        _open_window(limit, key, now)
        full_from_now = Case(
            When(count__gte=limit.allowed - 1, then=Value(now + limit.window)),
            default=F("window_ends"),
            output_field=DateTimeField(),
        )
        allowed = _rows(limit, key).filter(count__lt=limit.allowed, window_ends__gt=now)
        if spacing is not None:
            allowed = allowed.filter(Q(count=0) | Q(last_at__lte=now - spacing))
        if allowed.update(count=F("count") + 1, last_at=now, window_ends=full_from_now):
            return 0
        row = _rows(limit, key).first()
        if row is None or row.window_ends <= now:
            now = None  # pruned or ended in between: try again with a fresh window
            continue
        if row.count >= limit.allowed:
            return _wait(row.window_ends, now)
        if spacing is not None and row.last_at is not None:
            return _wait(row.last_at + spacing, now)
    return 1


@_counting
def reserve_all(*slots: tuple[Limit, str]) -> int:
    """Take a slot in each (limit, key), or in none: 0 if all were taken, else the longest
    wait of the ones that refused (the slots already taken are given back)."""
    taken: list[tuple[Limit, str]] = []
    for limit, key in slots:
        wait = reserve(limit, key)
        if wait:
            for earlier, earlier_key in taken:
                release(earlier, earlier_key)
            return wait
        taken.append((limit, key))
    return 0


@_counting
def record(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> int:
    """Count one attempt whatever the limit; the count in the window afterwards."""
    now = now or timezone.now()
    _open_window(limit, key, now)
    _rows(limit, key).update(count=F("count") + 1, last_at=now)
    row = _rows(limit, key).first()
    return row.count if row is not None else 0


@_counting
def count(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> int:
    """Attempts counted for `key` in its current window."""
    now = now or timezone.now()
    row = _rows(limit, key).filter(window_ends__gt=now).first()
    return row.count if row is not None else 0


@_counting
def retry_after(limit: Limit, key: str, *, now: datetime.datetime | None = None) -> int:
    """0 if `reserve` could take a slot now; else the seconds until it can."""
    now = now or timezone.now()
    row = _rows(limit, key).filter(window_ends__gt=now).first()
    if row is None or row.count < limit.allowed:
        return 0
    return _wait(row.window_ends, now)


@_counting
def release(limit: Limit, key: str) -> None:
    """Give back a slot taken by `reserve` for an attempt that did not happen."""
    _rows(limit, key).filter(count__gt=0).update(count=F("count") - 1)


@_counting
def clear(limit: Limit, key: str) -> None:
    _rows(limit, key).delete()


@_counting
def clear_prefix(limit: Limit, prefix: str) -> None:
    """Forget every key that starts with `prefix` (already in stored form: `key_of`)."""
    AttemptCounter.objects.filter(kind=limit.kind, key__startswith=prefix).delete()

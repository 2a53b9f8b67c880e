"""The rules of signing in: failed-attempt limits and the two-factor step in between.

A sign-in is refused (whatever the password) while the account or the address has had too
many failures within the window; the check comes before the password is looked at, so a
locked account cannot be probed. A success clears the account's failures (not the address's).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from adelante.accounts import throttle, twofactor

#: The half-signed-in state between the password and the two-factor code.
SESSION_PENDING = "adelante_2fa_pending"
PENDING_SECONDS = 300


def lockout_wait(username: str, address: str) -> int:
    """Seconds until a sign-in may be tried for this account from this address (0: now)."""
    return max(
        throttle.retry_after(throttle.signin_account(), username),
        throttle.retry_after(throttle.signin_address(), address),
    )


def note_failure(username: str, address: str) -> None:
    if username:
        throttle.record(throttle.signin_account(), username)
    throttle.record(throttle.signin_address(), address)


def note_success(username: str) -> None:
    throttle.clear(throttle.signin_account(), username)


def needs_second_step(user: AbstractBaseUser) -> bool:
    """A confirmed device, or a role that must enrol one (then the code step enrols it)."""
    return twofactor.confirmed_device(user) is not None or twofactor.required_for(user)


def begin_second_step(request: HttpRequest, user: Any, next_url: str) -> None:
    request.session.cycle_key()
    request.session[SESSION_PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "next": next_url,
        "at": time.time(),
    }


@dataclass(frozen=True)
class Pending:
    user: Any
    backend: str
    next: str


def pending(request: HttpRequest) -> Pending | None:
    """Who passed the password and still owes a code (within five minutes)."""
    data = request.session.get(SESSION_PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        return None
    user = get_user_model().objects.filter(pk=int(data.get("user") or 0), is_active=True).first()
    if user is None:
        return None
    return Pending(user, str(data.get("backend", "")), str(data.get("next", "")))


def finish(request: HttpRequest, user: Any, backend: str | None, *, verified: bool) -> None:
    """Sign the user in (login cycles the session key); remember a passed second step."""
    request.session.pop(SESSION_PENDING, None)
    login(request, user, backend=backend or None)
    if verified:
        request.session[twofactor.SESSION_VERIFIED] = True

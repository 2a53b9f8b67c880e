"""The rules of signing in: failed-attempt limits and the two-factor step in between.

Before a password is checked, `begin` takes a slot in two counters (`adelante.accounts.throttle`,
one atomic UPDATE each): the account from this address, and the account from every address.
When either is full, the password is not checked at all and the sign-in is refused with the
seconds to wait, so N concurrent guesses make at most the limit's number of password checks. A
wrong password leaves its slots taken (they are the failures); a right one clears the account's
counters (`succeeded`).

An address that has failed many times across accounts (a shared NAT, or someone trying many
accounts) is slowed down, never shut out: on the accounts it has failed on, its tries must be
`ADELANTE_SIGNIN_SLOWDOWN_SECONDS` apart; on any other account it signs in as usual.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from adelante.accounts import throttle, twofactor

#: The half-signed-in state between the password and the two-factor code.
SESSION_PENDING = "adelante_2fa_pending"
PENDING_SECONDS = 300


def _pair(username: str, address: str) -> str:
    return throttle.key_of(username, address)


def _spacing(address: str) -> datetime.timedelta | None:
    """The slowdown asked of an address that failed on many accounts (None: none)."""
    limit = throttle.signin_address()
    if throttle.count(limit, address) < limit.allowed:
        return None
    return datetime.timedelta(seconds=settings.ADELANTE_SIGNIN_SLOWDOWN_SECONDS)


def begin(username: str, address: str) -> int:
    """Take the attempt's slots before the password is checked: 0 if it may be checked, else
    the seconds to wait (nothing is taken then)."""
    pair = _pair(username, address)
    wait = throttle.reserve(throttle.signin_account_address(), pair, spacing=_spacing(address))
    if wait:
        return wait
    wait = throttle.reserve(throttle.signin_account(), username)
    if wait:
        throttle.release(throttle.signin_account_address(), pair)
    return wait


def paused(username: str, address: str) -> int:
    """Seconds until `begin` may succeed for this account from this address (0: now); a read,
    for saying so after a failure."""
    return max(
        throttle.retry_after(throttle.signin_account_address(), _pair(username, address)),
        throttle.retry_after(throttle.signin_account(), username),
    )


def failed(username: str, address: str) -> None:
    """A wrong password: its slots stay taken; the address's failures across accounts grow."""
    throttle.record(throttle.signin_address(), address)


def succeeded(username: str, address: str) -> None:
    """A right password: the account's failures from everywhere and from this address are
    forgotten (other addresses' failures on it stay: a guesser stays paused)."""
    throttle.clear(throttle.signin_account(), username)
    throttle.clear(throttle.signin_account_address(), _pair(username, address))


def reset_done(username: str) -> None:
    """A password reset: whoever reads the account's e-mail may sign in again at once, from
    anywhere (a guesser does not know the new password)."""
    throttle.clear(throttle.signin_account(), username)
    throttle.clear_prefix(throttle.signin_account_address(), throttle.key_of(username) + " ")


def may_send_reset(*, email: str, address: str) -> bool:
    """Whether a password-reset e-mail for this address may go out to this client now (per
    e-mail address and per client address, ADELANTE_RESETS_PER_*). Asked whether or not an
    account has the address, and the page answers the same either way."""
    return not throttle.reserve_all(
        (throttle.reset_address(), address), (throttle.reset_account(), email)
    )


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

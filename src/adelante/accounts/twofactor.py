"""TOTP two-factor sign-in (RFC 6238, with pyotp): enrolment, verification, who must use it.

A code is accepted once: the device keeps the last accepted time step, so a code seen over a
shoulder or replayed from a log is refused. One step of clock drift is allowed either way.
"""

from __future__ import annotations

import time

import pyotp
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone

from adelante.accounts.models import TwoFactorDevice
from adelante.accounts.roles import AnyUser, is_secretariat

#: Set in the session once this sign-in passed a TOTP code.
SESSION_VERIFIED = "adelante_2fa_verified"
ISSUER = "Adelante"
DRIFT_STEPS = 1


def required_for(user: AnyUser | None) -> bool:
    """Secretariat roles must use two-factor when ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT is on."""
    return bool(getattr(settings, "ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT", False)) and (
        is_secretariat(user)
    )


def confirmed_device(user: AnyUser | None) -> TwoFactorDevice | None:
    if user is None or not user.is_authenticated:
        return None
    return TwoFactorDevice.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()


def is_verified(request: HttpRequest) -> bool:
    return bool(request.session.get(SESSION_VERIFIED))


def missing(request: HttpRequest) -> bool:
    """Signed in, must use two-factor, and this session has not passed a code."""
    return required_for(request.user) and not is_verified(request)


def pending_device(user: AbstractBaseUser) -> TwoFactorDevice:
    """The user's device, created with a fresh secret if there is none yet (unconfirmed)."""
    device, _created = TwoFactorDevice.objects.get_or_create(
        user_id=user.pk, defaults={"secret": pyotp.random_base32()}
    )
    return device


def provisioning_uri(device: TwoFactorDevice) -> str:
    """The otpauth:// URI an authenticator app reads (typed in, or from the QR code)."""
    return pyotp.TOTP(device.secret).provisioning_uri(
        name=device.user.get_username(), issuer_name=ISSUER
    )


def verify(device: TwoFactorDevice, code: str, *, at: float | None = None) -> bool:
    """True if the code is right now (± one step) and newer than the last accepted one."""
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return False
    totp = pyotp.TOTP(device.secret)
    now = time.time() if at is None else at
    current = int(now // totp.interval)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if device.last_used_step is not None and step <= device.last_used_step:
            continue
        if pyotp.utils.strings_equal(totp.at(step * totp.interval), code):
            # Conditional update: two requests racing with one code cannot both pass.
            claimed = (
                TwoFactorDevice.objects.filter(pk=device.pk)
                .exclude(last_used_step__gte=step)
                .update(last_used_step=step)
            )
            if not claimed:
                return False
            device.last_used_step = step
            return True
    return False


def confirm(device: TwoFactorDevice, code: str) -> bool:
    """Enrolment: the first right code confirms the device."""
    if not verify(device, code):
        return False
    device.confirmed_at = timezone.now()
    device.save(update_fields=["confirmed_at"])
    return True

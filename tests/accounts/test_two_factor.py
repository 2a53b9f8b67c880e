"""TOTP two-factor: enrolment, the code step of a sign-in, replay, required roles."""

from __future__ import annotations

import re

import pyotp
import pytest
from django.test import override_settings

from adelante.accounts import twofactor
from adelante.accounts.models import TwoFactorDevice
from tests.accounts.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db


def _enrol(client, user) -> TwoFactorDevice:
    client.force_login(user)
    page = client.get("/en/accounts/two-factor/enrol/").content.decode()
    device = TwoFactorDevice.objects.get(user=user)
    assert device.secret in page
    assert "otpauth://totp/Adelante:" in page
    assert "<svg" in page  # the QR code, drawn on the server
    wrong = client.post("/en/accounts/two-factor/enrol/", {"code": "000000"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert device.confirmed_at is None
    code = pyotp.TOTP(device.secret).now()
    assert client.post("/en/accounts/two-factor/enrol/", {"code": code}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed_at is not None
    client.post("/en/accounts/sign-out/")
    return device


def test_enrolment_then_sign_in_asks_for_a_code(client, cast: Cast) -> None:
    device = _enrol(client, cast.member)
    response = client.post("/en/accounts/sign-in/", {"username": "member", "password": PASSWORD})
    assert response["Location"] == "/en/accounts/two-factor/"
    assert "_auth_user_id" not in client.session  # not signed in before the code
    assert client.get("/en/accounts/").status_code == 302
    bad = client.post("/en/accounts/two-factor/", {"code": "123456"})
    assert bad.status_code == 200 and "not right" in bad.content.decode()
    # The enrolment's code was used: the same time step is never accepted twice.
    totp = pyotp.TOTP(device.secret)
    device.refresh_from_db()
    next_step = (device.last_used_step or 0) + 1
    code = totp.at(next_step * totp.interval)
    assert twofactor.verify(device, code, at=next_step * totp.interval)
    assert not twofactor.verify(device, code, at=next_step * totp.interval)


def test_the_code_step_signs_in(client, cast: Cast) -> None:
    device = _enrol(client, cast.member)
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=None)
    client.post("/en/accounts/sign-in/", {"username": "member", "password": PASSWORD})
    code = pyotp.TOTP(device.secret).now()
    done = client.post("/en/accounts/two-factor/", {"code": code})
    assert done["Location"] == "/en/accounts/work/"
    assert client.get("/en/accounts/").status_code == 200
    assert client.session[twofactor.SESSION_VERIFIED] is True


@override_settings(ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT=True)
def test_the_secretariat_must_enrol_when_required(client, cast: Cast) -> None:
    response = client.post("/en/accounts/sign-in/", {"username": "reviewer", "password": PASSWORD})
    assert response["Location"] == "/en/accounts/two-factor/"
    page = client.get("/en/accounts/two-factor/").content.decode()
    assert "must use two-factor" in page
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', page).group(1)
    done = client.post("/en/accounts/two-factor/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302
    assert client.get("/en/secretariat/audit/").status_code == 200


@override_settings(ADELANTE_REQUIRE_2FA_FOR_SECRETARIAT=True)
def test_a_secretariat_session_without_a_code_is_held_back(client, cast: Cast) -> None:
    client.force_login(cast.reviewer)  # e.g. signed in before the setting was turned on
    assert client.get("/en/secretariat/audit/")["Location"] == "/en/accounts/two-factor/"
    assert client.get("/en/admin/").status_code == 302
    # Partners are not required to use it.
    client.force_login(cast.member)
    assert client.get("/en/accounts/").status_code == 200


def test_wrong_codes_are_limited(client, cast: Cast) -> None:
    _enrol(client, cast.member)
    client.post("/en/accounts/sign-in/", {"username": "member", "password": PASSWORD})
    statuses = [
        client.post("/en/accounts/two-factor/", {"code": f"{n:06d}"}).status_code for n in range(7)
    ]
    assert statuses == [200] * 7
    last = client.post("/en/accounts/two-factor/", {"code": "000000"}).content.decode()
    assert "Too many failed sign-ins" in last


def test_two_factor_can_be_turned_off_with_a_code(client, cast: Cast) -> None:
    device = _enrol(client, cast.member)
    TwoFactorDevice.objects.filter(pk=device.pk).update(last_used_step=None)
    client.force_login(cast.member)
    code = pyotp.TOTP(device.secret).now()
    assert client.post("/en/accounts/two-factor/remove/", {"code": code}).status_code == 302
    assert not TwoFactorDevice.objects.filter(user=cast.member).exists()

"""API tokens: created once, stored hashed, expiring, rotated, revocable; `adelante token`."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from adelante.api.models import ApiToken
from adelante.api.tokens import authenticate, create_token, hash_key, revoke, rotate
from adelante.errors import Conflict

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash():
    user = User.objects.create_user("ana")
    new = create_token(user, "reporting script")
    assert new.key.startswith("adl_") and len(new.key) > 40
    stored = ApiToken.objects.get()
    assert stored.key_hash == hash_key(new.key) and new.key not in stored.key_hash
    assert stored.prefix == new.key[:12]
    assert stored.last_used is None
    assert authenticate(new.key) == stored
    assert ApiToken.objects.get().last_used is not None


def test_unknown_revoked_and_inactive_tokens_do_not_authenticate():
    user = User.objects.create_user("ben")
    assert authenticate("adl_unknown") is None
    assert authenticate("not-a-token") is None
    first = create_token(user)
    revoke(first.token)
    assert authenticate(first.key) is None
    second = create_token(user)
    user.is_active = False
    user.save()
    assert authenticate(second.key) is None


def test_the_token_command():
    User.objects.create_user("carla")
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "carla", "--name", "ci", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert authenticate(key) is not None
    assert "shown once" in err.getvalue()
    listing = io.StringIO()
    call_command("token", "list", stdout=listing)
    assert key[:12] in listing.getvalue() and key not in listing.getvalue()
    call_command("token", "revoke", key[:12], stdout=io.StringIO())
    assert authenticate(key) is None
    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "nobody", stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="0 active tokens"):
        call_command("token", "revoke", key[:12], stdout=io.StringIO())


def _me(client, key: str):  # type: ignore[no-untyped-def]
    return client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {key}")


def test_a_token_expires_after_its_lifetime_with_a_clear_problem(client, settings) -> None:
    settings.ADELANTE_API_TOKEN_DAYS = 90
    user = User.objects.create_user("dora")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new = create_token(user, "nightly")
        assert new.token.expires == start + datetime.timedelta(days=90)
        assert _me(client, new.key).status_code == 200
    with time_machine.travel(start + datetime.timedelta(days=90, seconds=1), tick=False):
        assert authenticate(new.key) is None
        refused = _me(client, new.key)
    assert refused.status_code == 401
    assert refused["Content-Type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["type"] == "urn:adelante:problem:token-expired"
    assert problem["status"] == 401
    assert "expired on" in problem["detail"]
    assert problem["expired"].startswith(f"{new.token.expires:%Y-%m-%d}")
    assert 'error="invalid_token"' in refused["WWW-Authenticate"]
    # An unknown token is "not valid", and says nothing more.
    unknown = _me(client, "adl_" + "x" * 43).json()
    assert unknown["type"] == "urn:adelante:problem:invalid-token"


def test_a_revoked_token_that_also_expired_is_just_not_valid(client) -> None:
    user = User.objects.create_user("eli")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        new = create_token(user, days=1)
        revoke(new.token)
    with time_machine.travel(start + datetime.timedelta(days=2), tick=False):
        assert _me(client, new.key).json()["type"] == "urn:adelante:problem:invalid-token"


def test_rotation_issues_a_new_token_and_the_old_one_works_for_the_overlap(client) -> None:
    user = User.objects.create_user("fay")
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        old = create_token(user, "ci")
    with time_machine.travel(start + datetime.timedelta(days=10), tick=False):
        new = rotate(token=old.token, overlap_hours=24)
        assert new.key != old.key
        assert new.token.name == "ci" and new.token.user == user
        assert new.token.expires == timezone.now() + datetime.timedelta(days=90)
        old.token.refresh_from_db()
        assert old.token.replaced_by == new.token
        assert old.token.expires == timezone.now() + datetime.timedelta(hours=24)
        assert _me(client, old.key).status_code == 200
        assert _me(client, new.key).status_code == 200
        with pytest.raises(Conflict):
            rotate(token=old.token)
    with time_machine.travel(start + datetime.timedelta(days=11, minutes=1), tick=False):
        assert _me(client, old.key).json()["type"] == "urn:adelante:problem:token-expired"
        assert _me(client, new.key).status_code == 200


def test_rotation_without_overlap_revokes_the_old_token_at_once(client) -> None:
    user = User.objects.create_user("gus")
    old = create_token(user)
    new = rotate(token=old.token, overlap_hours=0)
    assert _me(client, old.key).json()["type"] == "urn:adelante:problem:invalid-token"
    assert _me(client, new.key).status_code == 200


def test_the_token_command_rotates_and_lists_expiry(settings) -> None:
    settings.ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS = 2
    user = User.objects.create_user("hal")
    old = create_token(user, "ci", days=30)
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "rotate", old.key[:12], stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert authenticate(key) is not None and authenticate(old.key) is not None
    assert "keeps working until" in err.getvalue() and "shown once" in err.getvalue()
    listing = io.StringIO()
    call_command("token", "list", "hal", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert any(line.startswith(old.key[:12]) and line.endswith("rotated") for line in lines)
    assert any(line.startswith(key[:12]) and line.endswith("active") for line in lines)
    assert all("expires 20" in line for line in lines)
    with pytest.raises(CommandError, match="already revoked or rotated"):
        call_command("token", "rotate", old.key, stdout=io.StringIO(), stderr=io.StringIO())
    created = io.StringIO()
    call_command("token", "create", "hal", "--days", "7", stdout=created, stderr=io.StringIO())
    short = ApiToken.objects.get(key_hash=hash_key(created.getvalue().strip()))
    assert short.expires - short.created < datetime.timedelta(days=7, minutes=1)

"""API tokens: created once, stored hashed, revocable; `adelante token`."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.api.models import ApiToken
from adelante.api.tokens import authenticate, create_token, hash_key, revoke

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

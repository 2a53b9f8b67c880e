"""`adelante grant-role`: the first secretariat admin, and every other role."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from adelante.accounts import roles
from tests import builders

pytestmark = pytest.mark.django_db


def test_first_secretariat_admin(capsys) -> None:
    User.objects.create_superuser("boss", "boss@example.org", "x")
    plain = User.objects.create_user("ana", "ana@example.org", "x")
    call_command("grant-role", "ana", "secretariat-admin")
    plain.refresh_from_db()
    assert roles.is_secretariat_admin(plain) and plain.is_staff
    assert "secretariat-admin granted to ana" in capsys.readouterr().out
    call_command("grant-role", "ana", "secretariat-admin", "--revoke")
    plain = User.objects.get(pk=plain.pk)
    assert not roles.is_secretariat(plain) and not plain.is_staff


def test_partner_roles_need_a_partner() -> None:
    user = User.objects.create_user("p", "p@example.org", "x")
    partner = builders.partner("Acme Foods")
    with pytest.raises(CommandError, match="--partner"):
        call_command("grant-role", "p", "partner-admin")
    call_command("grant-role", "p", "partner-admin", "--partner", partner.slug)
    assert roles.is_partner_admin(user, partner)
    with pytest.raises(CommandError, match="No user"):
        call_command("grant-role", "nobody", "government-viewer")

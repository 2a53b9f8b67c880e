"""The roles API: each role's answer to each question."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User

from adelante.accounts import roles
from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_ADMIN, SECRETARIAT_REVIEWER
from adelante.commitments.choices import Status
from adelante.partners.models import Membership, MembershipRole
from tests import builders

pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 2, 6)


def _user(name: str, group: str | None = None) -> User:
    user = User.objects.create_user(name, password="x")
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


def test_groups_exist_with_admin_permissions() -> None:
    assert Group.objects.get(name=SECRETARIAT_ADMIN).permissions.filter(
        codename="change_commitment"
    )
    reviewer = Group.objects.get(name=SECRETARIAT_REVIEWER).permissions
    assert reviewer.filter(codename="view_commitment").exists()
    assert not reviewer.filter(codename="change_commitment").exists()
    assert not Group.objects.get(name=GOVERNMENT_VIEWER).permissions.exists()


def test_roles_of_each_kind_of_user() -> None:
    own = builders.commitment("Acme", "100", DAY, status=Status.PROPOSED)
    published = builders.commitment("Acme", "100", DAY)
    other = builders.commitment("Other Co", "100", DAY, status=Status.PROPOSED)
    member = _user("member")
    Membership.objects.create(user=member, partner=own.partner)
    admin = _user("padmin")
    Membership.objects.create(user=admin, partner=own.partner, role=MembershipRole.ADMIN)
    reviewer = _user("reviewer", SECRETARIAT_REVIEWER)
    sadmin = _user("sadmin", SECRETARIAT_ADMIN)
    superuser = User.objects.create_superuser("root", password="x")
    gov = _user("gov", GOVERNMENT_VIEWER)
    anonymous = AnonymousUser()

    assert [roles.is_secretariat(u) for u in (member, reviewer, sadmin, superuser, gov)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    assert roles.is_secretariat_admin(sadmin) and not roles.is_secretariat_admin(reviewer)
    assert roles.is_government_viewer(gov) and not roles.is_government_viewer(sadmin)
    assert list(roles.partners_of(member)) == [own.partner]
    assert not roles.partners_of(anonymous).exists()
    assert roles.is_partner_admin(admin, own.partner)
    assert not roles.is_partner_admin(member, own.partner)

    for user in (anonymous, gov, member, reviewer):
        assert roles.can_view_commitment(user, published)
    assert roles.can_view_commitment(member, own)
    assert not roles.can_view_commitment(member, other)
    assert not roles.can_view_commitment(gov, own)
    assert not roles.can_view_commitment(anonymous, own)
    assert roles.can_view_commitment(reviewer, other)

    assert roles.can_edit_commitment(member, own)
    assert not roles.can_edit_commitment(member, published)
    assert not roles.can_edit_commitment(member, other)
    assert not roles.can_edit_commitment(gov, own)
    assert not roles.can_edit_commitment(anonymous, published)
    assert roles.can_edit_commitment(reviewer, published)

    assert roles.may_disclose_confidential(reviewer)
    assert not roles.may_disclose_confidential(gov)
    assert roles.may_see_confidential_aggregates(gov)
    assert not roles.may_see_confidential_aggregates(member)


def test_inactive_users_have_no_role() -> None:
    sadmin = _user("sadmin", SECRETARIAT_ADMIN)
    sadmin.is_active = False
    sadmin.save()
    assert not roles.is_secretariat(sadmin)

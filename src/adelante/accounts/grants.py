"""Giving and taking roles (the `grant-role` command and tests use these)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction

from adelante import history
from adelante.accounts import roles
from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_ADMIN, SECRETARIAT_REVIEWER
from adelante.errors import Invalid
from adelante.partners.models import Membership, MembershipRole, Partner

GROUP_ROLES = {
    "secretariat-admin": SECRETARIAT_ADMIN,
    "secretariat-reviewer": SECRETARIAT_REVIEWER,
    "government-viewer": GOVERNMENT_VIEWER,
}
PARTNER_ROLES = {"partner-member": MembershipRole.MEMBER, "partner-admin": MembershipRole.ADMIN}
ROLES = {*GROUP_ROLES, *PARTNER_ROLES}


class GrantError(Invalid):
    """A role that cannot be granted as asked; the message says why."""


def _partner(slug: str | None) -> Partner:
    if not slug:
        raise GrantError("Partner roles need --partner SLUG.")
    partner = Partner.objects.filter(slug=slug).first()
    if partner is None:
        raise GrantError(f"No partner with the slug {slug!r}.")
    return partner


def _sync_staff(user: Any) -> None:
    """The secretariat works in the admin too (its group permissions say what it may do)."""
    user._adelante_groups = None
    staff = roles.is_secretariat(user) or bool(user.is_superuser)
    if user.is_staff != staff:
        user.is_staff = staff
        user.save(update_fields=["is_staff"])


@transaction.atomic
def grant(user: Any, role: str, *, partner_slug: str | None = None) -> None:
    if role in GROUP_ROLES:
        user.groups.add(Group.objects.get_or_create(name=GROUP_ROLES[role])[0])
        _sync_staff(user)
    elif role in PARTNER_ROLES:
        partner = _partner(partner_slug)
        membership = Membership.objects.filter(user=user, partner=partner).first() or Membership(
            user=user, partner=partner
        )
        membership.role = PARTNER_ROLES[role]
        history.save(membership, reason=f"grant-role {role}")
    else:
        raise GrantError(f"Unknown role {role!r}.")


@transaction.atomic
def revoke(user: Any, role: str, *, partner_slug: str | None = None) -> None:
    if role in GROUP_ROLES:
        user.groups.remove(*Group.objects.filter(name=GROUP_ROLES[role]))
        _sync_staff(user)
    elif role in PARTNER_ROLES:
        partner = _partner(partner_slug)
        for membership in Membership.objects.filter(
            user=user, partner=partner, role=PARTNER_ROLES[role]
        ):
            history.delete(membership, reason=f"grant-role --revoke {role}")
    else:
        raise GrantError(f"Unknown role {role!r}.")

"""Who may do what: the roles as plain functions that every view and API endpoint asks.

Roles (docs/accounts.md):

- public: anyone, signed in or not, reads what is published;
- partner member / partner admin: a `partners.Membership` scopes them to one organisation
  (a user may belong to several); they see and change only their organisations' unpublished
  data; a partner admin also invites people to the organisation;
- secretariat reviewer / secretariat admin: the Django groups of those names (a superuser is a
  secretariat admin); they see and review everything; the admin also manages people and roles;
- government viewer: the Django group of that name; reads everything published plus
  aggregates of confidential figures, changes nothing.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet

from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_ADMIN, SECRETARIAT_REVIEWER
from adelante.commitments.models import Commitment
from adelante.commitments.publication import is_published
from adelante.figures.audience import Audience
from adelante.partners.models import Membership, MembershipRole, Partner

#: Anything `request.user` can be.
AnyUser = AbstractBaseUser | AnonymousUser


def _active(user: AnyUser | None) -> bool:
    return user is not None and bool(user.is_authenticated) and bool(user.is_active)


def _active_id(user: AnyUser | None) -> int | None:
    """The user's id when signed in and active, else None."""
    return int(user.pk) if user is not None and _active(user) and user.pk is not None else None


def _group_names(user: Any) -> frozenset[str]:
    # Cached on the user object: one query per request, however many checks a page makes.
    cached = getattr(user, "_adelante_groups", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._adelante_groups = cached
    return cached


def is_secretariat_admin(user: AnyUser | None) -> bool:
    if not _active(user):
        return False
    return bool(getattr(user, "is_superuser", False)) or SECRETARIAT_ADMIN in _group_names(user)


def is_secretariat_reviewer(user: AnyUser | None) -> bool:
    """A reviewer (strictly); most checks want `is_secretariat`, which admins pass too."""
    return _active(user) and SECRETARIAT_REVIEWER in _group_names(user)


def is_secretariat(user: AnyUser | None) -> bool:
    """Secretariat reviewer or admin."""
    return is_secretariat_admin(user) or is_secretariat_reviewer(user)


def is_government_viewer(user: AnyUser | None) -> bool:
    return _active(user) and GOVERNMENT_VIEWER in _group_names(user)


def partners_of(user: AnyUser | None) -> QuerySet[Partner]:
    """The organisations the user is a member (or admin) of."""
    user_id = _active_id(user)
    if user_id is None:
        return Partner.objects.none()
    return Partner.objects.filter(memberships__user_id=user_id).distinct()


def is_partner_member(user: AnyUser | None, partner: Partner) -> bool:
    """A member or admin of this organisation."""
    user_id = _active_id(user)
    return (
        user_id is not None and Membership.objects.filter(user_id=user_id, partner=partner).exists()
    )


def is_partner_admin(user: AnyUser | None, partner: Partner) -> bool:
    user_id = _active_id(user)
    return (
        user_id is not None
        and Membership.objects.filter(
            user_id=user_id, partner=partner, role=MembershipRole.ADMIN
        ).exists()
    )


def can_view_commitment(user: AnyUser | None, commitment: Commitment) -> bool:
    """Published: everyone. Unpublished: the secretariat and the partner's own members."""
    if is_published(commitment) or is_secretariat(user):
        return True
    return is_partner_member(user, commitment.partner)


def can_edit_commitment(user: AnyUser | None, commitment: Commitment) -> bool:
    """The secretariat always; a partner's members while the commitment is unpublished.

    Intake workflows may narrow this further (e.g. not while under review); never widen it.
    """
    if is_secretariat(user):
        return True
    return not is_published(commitment) and is_partner_member(user, commitment.partner)


def can_invite_to(user: AnyUser | None, partner: Partner) -> bool:
    """Who may invite people into an organisation: its partner admins and the secretariat."""
    return is_secretariat(user) or is_partner_admin(user, partner)


def may_disclose_confidential(user: AnyUser | None) -> bool:
    """May see one partner's confidential amount: the secretariat only."""
    return is_secretariat(user)


def may_see_confidential_aggregates(user: AnyUser | None) -> bool:
    """May see totals that include confidential amounts, unsuppressed: secretariat, government."""
    return is_secretariat(user) or is_government_viewer(user)


def figures_audience(user: AnyUser | None) -> Audience:
    """Whom the figures a door shows this user are computed for (DOMAIN rule 7): the roles
    that may see confidential aggregates get them (with suppression), everyone else the public
    figures. The door decides and passes it to `adelante.figures`, which never asks."""
    if may_see_confidential_aggregates(user):
        return Audience.CONFIDENTIAL_ALLOWED
    return Audience.PUBLIC


def has_any_role(user: AnyUser | None) -> bool:
    """Signed in with some role beyond public: what a "home" page can be built for."""
    return is_secretariat(user) or is_government_viewer(user) or partners_of(user).exists()

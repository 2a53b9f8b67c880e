"""Editing a partner: the one service of the admin's change form and of public corrections.

A partner's name and its aliases are matched the same way (normalised, docs/import.md), so one
name may belong to one partner only: `check_partner_edit` refuses a name another partner is
known by, as its name or an alias, and a name with nothing to match (no letters or digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.editing import Edit, applied, check_editor, merge, model_errors
from adelante.errors import Invalid
from adelante.partners.models import Partner, PartnerAlias
from adelante.partners.naming import normalise

User = AbstractBaseUser | AnonymousUser

#: The fields an edit may change (the normalised name follows the name).
PARTNER_FIELDS = tuple(
    f.name for f in Partner._meta.concrete_fields if f.editable and not f.primary_key
)


def name_owner(key: str, partner: Partner | None) -> Partner | None:
    """Another partner already known by this normalised name, as its name or an alias."""
    partners = Partner.objects.filter(normalised_name=key)
    aliases = PartnerAlias.objects.filter(normalised_name=key)
    if partner is not None and partner.pk is not None:
        partners = partners.exclude(pk=partner.pk)
        aliases = aliases.exclude(partner=partner)
    hit = partners.first()
    if hit is not None:
        return hit
    alias = aliases.select_related("partner").first()
    return alias.partner if alias is not None else None


def alias_owner(key: str, alias: PartnerAlias) -> Partner | None:
    """The partner already known by this normalised name, other than through this alias."""
    partners = Partner.objects.filter(normalised_name=key)
    if alias.partner_id is not None:
        partners = partners.exclude(pk=alias.partner_id)
    aliases = PartnerAlias.objects.filter(normalised_name=key)
    if alias.pk is not None:
        aliases = aliases.exclude(pk=alias.pk)
    hit = partners.first()
    if hit is not None:
        return hit
    other = aliases.select_related("partner").first()
    return other.partner if other is not None else None


def name_problem(name: str, partner: Partner) -> str | None:
    """What is wrong with this name for the partner: nothing to match, or another's name."""
    key = normalise(name)
    if not key:
        return _("A name needs letters or digits.")
    other = name_owner(key, partner)
    if other is not None:
        return _(
            "“%(other)s” is already known by this name (names are matched without "
            "accents, case, punctuation or legal-form words)."
        ) % {"other": other}
    return None


def _checked(partner: Partner, changes: Mapping[str, Any], by: User) -> tuple[Partner, list[str]]:
    check_editor(by)
    candidate, changed = applied(partner, changes, PARTNER_FIELDS)
    if not changed:
        return candidate, changed
    errors = model_errors(candidate, changed)
    if "name" in changed and "name" not in errors:
        wrong = name_problem(candidate.name, partner)
        if wrong:
            errors = merge(errors, {"name": [wrong]})
    if errors:
        raise Invalid(field_errors=errors)
    candidate.normalised_name = normalise(candidate.name)
    return candidate, changed


def check_partner_edit(*, partner: Partner, changes: Mapping[str, Any], by: User) -> Partner:
    """The partner as the changes (field name: typed value) would leave it, its normalised name
    following its name; `Invalid` with each field's errors, `NotAllowed` if `by` may not edit.
    Nothing is written. An unsaved partner is checked as it would be added."""
    return _checked(partner, changes, by)[0]


def do_edit_partner(*, partner: Partner, changes: Mapping[str, Any], reason: str, by: User) -> Edit:
    """Change the fields of a recorded partner, with the reason and the author in its history
    (saved even when nothing differs, so that a reason given is kept)."""
    with transaction.atomic():
        stored = Partner.objects.select_for_update().get(pk=partner.pk)
        candidate, changed = _checked(stored, changes, by)
        diff = {name: (getattr(stored, name), getattr(candidate, name)) for name in changed}
        try:
            with transaction.atomic():
                history.save(candidate, user=by, reason=reason)
        except IntegrityError:
            # Another save took the name (or the slug) between the check and this one.
            message = _("Another record already has this value.")
            raise Invalid(field_errors={name: [message] for name in diff or ["name"]}) from None
    return Edit(candidate, diff)

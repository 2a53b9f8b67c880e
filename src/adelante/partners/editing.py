"""Editing a partner: the one service of the admin's change form and of public corrections.

A partner's name and its aliases are matched the same way (normalised, docs/import.md), so one
name may belong to one partner only: `check_partner_edit` refuses a name another partner is
known by, as its name or an alias, and a name with nothing to match (no letters or digits).

A partner's organisation identifiers are added and removed one at a time by
`check_add_identifier`/`do_add_identifier` and `check_remove_identifier`/`do_remove_identifier`:
the admin's partner page and the API call them (docs/partners.md). Who may is the admin's
rule: the secretariat (an active staff account) with the permission to change partners and
to add (or delete) organisation identifiers, that is the secretariat admin; a partner's own
members may not (no page of theirs changes identifiers).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.editing import Edit, applied, check_editor, may_edit, merge, model_errors
from adelante.errors import Conflict, Invalid, NotAllowed, NotFound
from adelante.partners.identifiers import IdentifierError, OrgIdentifier, check_identifier
from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier
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


#: The input an identifier error names (a form's field, the API body's member).
IDENTIFIER_FIELD = "identifier"


def may_change_identifiers(user: Any, *, adding: bool, partner: Partner | None = None) -> bool:
    """The admin's rule: staff (`adelante.editing.may_edit`) with the permission to change
    the partner (to add it, for one not saved yet) and to add, or to delete, identifiers."""
    if not may_edit(user):
        return False
    on_partner = "partners.add_partner" if partner is not None and partner.pk is None else None
    action = "add" if adding else "delete"
    return bool(
        user.has_perm(on_partner or "partners.change_partner")
        and user.has_perm(f"partners.{action}_partneridentifier")
    )


def check_identifier_editor(user: Any, *, adding: bool, partner: Partner | None = None) -> None:
    """`NotAllowed` unless the user may add (or remove) a partner's identifiers."""
    if not may_change_identifiers(user, adding=adding, partner=partner):
        raise NotAllowed(
            _("Only the secretariat's administrators change a partner's organisation identifiers.")
        )


def check_add_identifier(*, partner: Partner, identifier: str, by: Any) -> OrgIdentifier:
    """The identifier checked (`check_identifier`, the one rule of every door) and in its
    canonical form, for adding to the partner. `NotAllowed` if `by` may not; `IdentifierError`
    (invalid, on the input "identifier") with the rule's reason; `Conflict` if the partner has
    it already. Nothing is written. An unsaved partner has no identifiers yet."""
    check_identifier_editor(by, adding=True, partner=partner)
    try:
        checked = check_identifier(identifier)
    except IdentifierError as exc:
        raise IdentifierError(exc.message, field_errors={IDENTIFIER_FIELD: [exc.message]}) from None
    if (
        partner.pk is not None
        and PartnerIdentifier.objects.filter(partner=partner, identifier=checked.canonical).exists()
    ):
        message = _("“%(id)s” is already one of this partner's identifiers.") % {
            "id": checked.canonical
        }
        raise Conflict(message, field_errors={IDENTIFIER_FIELD: [message]})
    return checked


def do_add_identifier(
    *, partner: Partner, identifier: str, by: Any, reason: str = ""
) -> PartnerIdentifier:
    """Add an identifier to a recorded partner, in its canonical form, with who and why in its
    history; the row added. Refused as `check_add_identifier` refuses, nothing written."""
    with transaction.atomic():
        stored = Partner.objects.select_for_update().get(pk=partner.pk)
        checked = check_add_identifier(partner=stored, identifier=identifier, by=by)
        row = PartnerIdentifier(
            partner=stored, identifier=checked.canonical, scheme=checked.scheme.code
        )
        history.save(row, user=by, reason=reason.strip() or None)
    return row


def _stored_identifier(partner: Partner, identifier: str) -> PartnerIdentifier | None:
    """The partner's identifier written so: as typed, or in its canonical form."""
    written = identifier.strip()
    forms = {written}
    # One stored before a rule changed is still found as it is written.
    with contextlib.suppress(IdentifierError):
        forms.add(check_identifier(written).canonical)
    return PartnerIdentifier.objects.filter(partner=partner, identifier__in=forms).first()


def check_remove_identifier(*, partner: Partner, identifier: str, by: Any) -> PartnerIdentifier:
    """The partner's identifier to remove (found as written or in its canonical form).
    `NotAllowed` if `by` may not; `NotFound` if the partner has no such identifier."""
    check_identifier_editor(by, adding=False, partner=partner)
    found = _stored_identifier(partner, identifier)
    if found is None:
        raise NotFound(
            _("“%(id)s” is not one of the identifiers of “%(partner)s”.")
            % {"id": identifier.strip(), "partner": partner.name}
        )
    return found


def do_remove_identifier(
    *, partner: Partner, identifier: str, by: Any, reason: str = ""
) -> PartnerIdentifier:
    """Remove one of a partner's identifiers, with who and why in its history (the deleted
    row's historical record); the row removed. Refused as `check_remove_identifier` refuses."""
    with transaction.atomic():
        stored = Partner.objects.select_for_update().get(pk=partner.pk)
        row = check_remove_identifier(partner=stored, identifier=identifier, by=by)
        history.delete(row, user=by, reason=reason.strip() or None)
    return row

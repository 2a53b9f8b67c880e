"""Editing a stored record: what the edit service of every kind of record shares.

Each kind has one edit service in its own app (`commitments.editing`, `partners.editing`):
`check_*_edit` (nothing written) and `do_*_edit` (atomic), called by every door that changes
the record directly: the admin's change forms and an accepted public correction. This module
is their common part: who may edit, the changes applied to a copy, the model's own checks of
them (its fields' validators, its `clean`, its unique fields and constraints), and what an
edit returns. Each service saves through `history`, with the reason and the author.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.utils.translation import gettext as _

from adelante.bilingual import TranslatedText, TranslationState, text_fields, texts_edited
from adelante.errors import Invalid, NotAllowed

Record = TypeVar("Record", bound=models.Model)

#: The key of an error about the edit as a whole (`ServiceError.field_errors`).
WHOLE = "__all__"


@dataclass(frozen=True)
class Edit:
    """What an edit changed: the record as saved, and each changed field's value before and
    after, in field order (empty: nothing differed)."""

    record: models.Model
    changed: Mapping[str, tuple[Any, Any]]


def may_edit(user: Any) -> bool:
    """Who may change the record directly: the secretariat, that is an active staff account
    (`accounts.grants` keeps `is_staff` to the holders of a secretariat role and superusers).
    A door may narrow it: the admin also asks the model's change permission, so a reviewer only
    reads there, while accepting a public correction is part of reviewing."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and (getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))
    )


def check_editor(user: Any) -> None:
    if not may_edit(user):
        raise NotAllowed(_("Only the secretariat changes the record."))


def applied(
    record: Record, changes: Mapping[str, Any], editable: Collection[str]
) -> tuple[Record, list[str]]:
    """A copy of the record with the changes, and the names of the fields that differ (for a
    record not yet saved: every field given, each one is new).

    A name that is not an editable field of the record is refused on that name."""
    wrong = [name for name in changes if name not in editable]
    if wrong:
        raise Invalid(field_errors={name: [_("This field is not changed here.")] for name in wrong})
    candidate = copy.copy(record)
    changed = []
    for field in record._meta.concrete_fields:
        if field.name in changes:
            value = changes[field.name]
            if record.pk is None or _differs(getattr(record, field.name), value):
                setattr(candidate, field.name, value)
                changed.append(field.name)
    # Text in both languages: an edit of either language is the secretariat's, and the
    # translation state follows from the texts (`adelante.bilingual`), whichever door edits.
    if (
        isinstance(candidate, TranslatedText)
        and set(text_fields(candidate)) & set(changed)
        and texts_edited(candidate, translator=TranslationState.STAFF)
    ):
        changed.append("translation_state")
    return candidate, changed


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, models.Model) or isinstance(new, models.Model):
        return getattr(old, "pk", None) != getattr(new, "pk", None) or type(old) is not type(new)
    return bool(old != new)


def model_errors(candidate: models.Model, changed: Iterable[str]) -> dict[str, list[str]]:
    """The model's own objections to the changed fields: their validators and choices, the
    model's `clean`, its unique fields and constraints. Empty: none."""
    changed = set(changed)
    others = [f.name for f in candidate._meta.fields if f.name not in changed]
    try:
        candidate.full_clean(exclude=others)
    except ValidationError as error:
        return {
            (WHOLE if name == NON_FIELD_ERRORS else name): [str(m) for m in messages]
            for name, messages in error.message_dict.items()
        }
    return {}


def merge(*errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for found in errors:
        for name, messages in found.items():
            merged.setdefault(name, []).extend(m for m in messages if m not in merged[name])
    return merged

"""Changing one field of the record for an accepted correction: an adapter to the record's
edit service.

The typed text is read by the field's own form field, as the admin's form reads it (type,
length, choices, web address); then the record's edit service (`commitments.editing`,
`partners.editing`), the one the admin's change forms call, checks it and saves it: the model's
own checks, `commitments.rules`, the US$ amount and its country parts recomputed, a partner's
name unique among names and aliases. It is saved through `history`, so the change carries the
correction as its reason and the reviewer as its author, in the record's history and in the
commitment's public history. What is the corrections' own: a change must change something,
and a confidential amount is never changed from a public suggestion.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _

from adelante.commitments import editing as commitment_editing
from adelante.commitments.models import Commitment, OfficialStatement
from adelante.commitments.publication import is_withheld
from adelante.editing import Edit
from adelante.errors import Invalid, ServiceError
from adelante.partners import editing as partner_editing
from adelante.partners.models import Partner


@dataclass(frozen=True)
class Change:
    """What was changed: the field, and its stored value before and after, as text."""

    field: str
    old: str
    new: str


def stored_text(value: Any) -> str:
    """A value as the correction keeps it: ISO dates, plain decimals, choice keys."""
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral() else str(value)
    return str(value)


def _invalid(messages: list[str]) -> Invalid:
    return Invalid(field_errors={"value": messages or [_("This value cannot be saved.")]})


def _as_value(error: ServiceError) -> ServiceError:
    """The service's errors, on whichever field they name, shown on the one value typed."""
    if not isinstance(error, Invalid):
        return error
    messages: list[str] = []
    for found in error.field_errors.values():
        messages.extend(m for m in found if m not in messages)
    return _invalid(messages or ([error.message] if error.message else []))


def _read(record: models.Model, field: str, text: str) -> Any:
    """The typed value, read by the field's own form field (as the admin's form reads it);
    the model's own checks are the edit service's."""
    model_field = record._meta.get_field(field)
    assert isinstance(model_field, models.Field)
    form_field = _formfield(model_field)
    assert form_field is not None
    try:
        return form_field.clean(text)
    except ValidationError as error:
        raise _invalid([str(m) for m in error.messages]) from None


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _check(record: models.Model, changes: dict[str, Any], by: Any) -> models.Model:
    if isinstance(record, Commitment):
        return commitment_editing.check_commitment_edit(commitment=record, changes=changes, by=by)
    if isinstance(record, OfficialStatement):
        return commitment_editing.check_statement_edit(statement=record, changes=changes, by=by)
    if isinstance(record, Partner):
        return partner_editing.check_partner_edit(partner=record, changes=changes, by=by)
    raise TypeError(f"no edit service for {type(record).__name__}")


def _save(record: models.Model, changes: dict[str, Any], by: Any, reason: str) -> Edit:
    if isinstance(record, Commitment):
        return commitment_editing.do_edit_commitment(
            commitment=record, changes=changes, reason=reason, by=by
        )
    if isinstance(record, OfficialStatement):
        return commitment_editing.do_edit_statement(
            statement=record, changes=changes, reason=reason, by=by
        )
    if isinstance(record, Partner):
        return partner_editing.do_edit_partner(
            partner=record, changes=changes, reason=reason, by=by
        )
    raise TypeError(f"no edit service for {type(record).__name__}")


def check_edit(record: models.Model, field: str, text: str, *, by: Any) -> Any:
    """The value `text` gives `field` of the record, if the record's edit service accepts it
    from `by`; `Invalid` (on "value") or `NotAllowed` otherwise. Nothing is written."""
    value = _read(record, field, text.strip())
    if field == "amount" and isinstance(record, Commitment) and is_withheld(record.qualifier):
        raise _invalid(
            [_("This amount is confidential: change it in the admin, where it stays so.")]
        )
    try:
        candidate = _check(record, {field: value}, by)
    except ServiceError as error:
        raise _as_value(error) from None
    # As the service leaves it (an empty date may become the round's).
    if getattr(candidate, field) == getattr(record, field):
        raise _invalid([_("That is already the recorded value.")])
    return value


def do_edit(record: models.Model, field: str, text: str, *, by: Any, reason: str) -> Change:
    """Change one field of the record through its edit service, with the reason and the
    reviewer in its history."""
    value = check_edit(record, field, text, by=by)
    old = getattr(record, field)
    try:
        edit = _save(record, {field: value}, by, reason)
    except ServiceError as error:
        raise _as_value(error) from None
    old, value = edit.changed.get(field, (old, value))
    return Change(field, stored_text(old), stored_text(value))

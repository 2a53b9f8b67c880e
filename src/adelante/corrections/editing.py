"""Changing one field of the record for an accepted correction.

The value is read and checked as a staff edit checks it: the field's own form field (type,
length, choices, web address), the model's own `clean`, and the rules every door of that
record asks (`commitments.rules` for a commitment's amount and time horizon, the US$ amount
and its country parts recomputed by `commitments.amounts` as the admin does, a partner's name
unique among names and aliases). It is saved through `history`, so the change carries the
correction as its reason and the reviewer as its author, in the record's history and in the
commitment's public history.
"""

from __future__ import annotations

import copy
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.forms.models import modelform_factory
from django.utils.translation import gettext as _

from adelante import history
from adelante.commitments import rules
from adelante.commitments.amounts import AmountError, reallocate, usd_amount
from adelante.commitments.models import Commitment
from adelante.commitments.publication import is_withheld
from adelante.errors import Invalid
from adelante.partners.models import Partner
from adelante.partners.naming import normalise


@dataclass(frozen=True)
class Edit:
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


def _invalid(field: str, messages: list[str]) -> Invalid:
    return Invalid(field_errors={"value": messages or [_("This value cannot be saved.")]})


def _read(record: models.Model, field: str, text: str) -> Any:
    """The typed value, checked by the field's own form field (as the admin's form reads it)."""
    form_class = modelform_factory(
        type(record),
        fields=[field],
        formfield_callback=_formfield,
    )
    # A copy: a model form writes what it read onto its instance while it validates.
    form = form_class(data={field: text}, instance=copy.copy(record))
    if not form.is_valid():
        raise _invalid(field, [str(m) for m in form.errors.get(field, form.non_field_errors())])
    return form.cleaned_data[field]


def _formfield(field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


def _check_commitment(commitment: Commitment, field: str, value: Any) -> None:
    if field == "amount":
        if is_withheld(commitment.qualifier):
            raise _invalid(
                field,
                [_("This amount is confidential: change it in the admin, where it stays so.")],
            )
        wrong = rules.amount_problem(value, commitment.qualifier, required=True)
        if wrong:
            raise _invalid(field, [wrong])
    if field in ("starts_on", "ends_on"):
        starts = value if field == "starts_on" else commitment.starts_on
        ends = value if field == "ends_on" else commitment.ends_on
        wrong = rules.period_problem(starts, ends)
        if wrong:
            raise _invalid(field, [wrong])
    if field in ("amount", "announced_on"):
        amount = value if field == "amount" else commitment.amount
        day = value if field == "announced_on" else commitment.announced_on
        if day is None and field == "announced_on":
            raise _invalid(field, [_("A published commitment has an announcement date.")])
        try:
            result = usd_amount(amount, commitment.currency, day)
        except AmountError:
            raise _invalid(
                field,
                [
                    _("There is no exchange rate for %(currency)s on that date.")
                    % {"currency": commitment.currency}
                ],
            ) from None
        if amount is not None:
            commitment.amount_usd = result.amount_usd
            commitment.exchange_rate = result.exchange_rate


def _check_partner(partner: Partner, field: str, value: Any) -> None:
    if field == "name":
        key = normalise(value)
        if not key:
            raise _invalid(field, [_("A name needs letters or digits.")])
        other = Partner.objects.named(value).exclude(pk=partner.pk).first()
        if other is not None:
            raise _invalid(
                field, [_("“%(other)s” is already known by this name.") % {"other": other}]
            )


def check_edit(record: models.Model, field: str, text: str) -> Any:
    """The value `text` gives `field` of the record, if the record's rules allow it; `Invalid`
    otherwise. Nothing is written."""
    value = _read(record, field, text.strip())
    if getattr(record, field) == value:
        raise _invalid(field, [_("That is already the recorded value.")])
    if isinstance(record, Commitment):
        _check_commitment(record, field, value)
    elif isinstance(record, Partner):
        _check_partner(record, field, value)
    return value


def do_edit(record: models.Model, field: str, text: str, *, by: Any, reason: str) -> Edit:
    """Change one field of the record, with the reason and the reviewer in its history."""
    with transaction.atomic():
        record = type(record)._default_manager.select_for_update().get(pk=record.pk)
        old = getattr(record, field)
        value = check_edit(record, field, text)
        setattr(record, field, value)
        if isinstance(record, Partner):
            record.normalised_name = normalise(record.name)
        try:
            with history.change(reason=reason, user=by), transaction.atomic():
                history.save(record, user=by, reason=reason)
                if isinstance(record, Commitment) and field in ("amount", "announced_on"):
                    # The country parts follow the US$ amount, as after an admin save.
                    reallocate(record)
        except IntegrityError:
            raise _invalid(field, [_("Another record already has this value.")]) from None
        except ValidationError as error:
            raise _invalid(field, list(error.messages)) from None
    return Edit(field, stored_text(old), stored_text(value))

"""Forms of the commitments admin: the rules that keep staff edits consistent."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import EditServiceForm
from adelante.commitments import editing, geography, rules
from adelante.commitments.amounts import USD
from adelante.commitments.models import Commitment, OfficialStatement

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def clean_currency_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY_CODE.match(code):
        raise ValidationError(
            _("Enter a three-letter ISO 4217 currency code, such as USD or GTQ."),
            code="currency",
        )
    return code


class CommitmentForm(EditServiceForm):
    """The commitment's fields, checked by its edit service (`commitments.editing`): the
    amount and time horizon rules, the US$ amount and rate, the round's date when none is
    given, the status and withdrawal date of a new commitment."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance = self.instance
        # A US$ commitment recorded with only its US$ amount: show that as its amount, so that
        # saving the form keeps it.
        if (
            instance.pk
            and instance.amount is None
            and instance.amount_usd is not None
            and (instance.currency or USD).upper() == USD
        ):
            self.initial["amount"] = instance.amount_usd

    def clean_currency(self) -> str:
        return clean_currency_code(self.cleaned_data.get("currency", ""))

    def check_edit(self, stored: Any, changes: Mapping[str, Any]) -> Commitment:
        return editing.check_commitment_edit(commitment=stored, changes=changes, by=self.editor)

    def save_edit(self, stored: Any, changes: Mapping[str, Any], reason: str) -> Commitment:
        edit = editing.do_edit_commitment(
            commitment=stored, changes=changes, reason=reason, by=self.editor
        )
        assert isinstance(edit.record, Commitment)
        return edit.record


class CountryShareFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Country rows of a commitment: shares all given or none, each 0 to 100, summing to 100,
    and only the countries of the commitment's initiative.

    One country alone takes the whole amount (its share is stored as 100 %).
    """

    shares: dict[str, Decimal | None]

    def clean(self) -> None:
        super().clean()
        shares: dict[str, Decimal | None] = {}
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("country"):
                continue
            shares[data["country"]] = data.get("share_percent")
        problem = rules.shares_problem(shares) or rules.countries_problem(
            shares, self.instance.initiative if self.instance.initiative_id else None
        )
        if not problem:
            # Checked again under the initiative's lock, held until the admin's transaction
            # (which saves the rows) ends: a country removed from it meanwhile.
            foreign = geography.foreign_countries(self.instance.initiative_id, shares)
            problem = geography.foreign_message(foreign) if foreign else None
        if problem:
            raise ValidationError(problem, code="shares")
        self.shares = shares


class OfficialStatementForm(EditServiceForm):
    def check_edit(self, stored: Any, changes: Mapping[str, Any]) -> OfficialStatement:
        return editing.check_statement_edit(statement=stored, changes=changes, by=self.editor)

    def save_edit(self, stored: Any, changes: Mapping[str, Any], reason: str) -> OfficialStatement:
        edit = editing.do_edit_statement(
            statement=stored, changes=changes, reason=reason, by=self.editor
        )
        assert isinstance(edit.record, OfficialStatement)
        return edit.record

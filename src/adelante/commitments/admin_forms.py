"""Forms of the commitments admin: the rules that keep staff edits consistent."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import ChangeReasonForm
from adelante.commitments import withdrawal
from adelante.commitments.amounts import USD, MissingDate, MissingRate, usd_amount
from adelante.commitments.choices import StatementFigure
from adelante.commitments.geography import HUNDRED, SharesError, check_shares
from adelante.money import limits
from adelante.money.qualifiers import AmountQualifier

_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def clean_currency_code(value: str) -> str:
    code = (value or "").strip().upper()
    if not _CURRENCY_CODE.match(code):
        raise ValidationError(
            _("Enter a three-letter ISO 4217 currency code, such as USD or GTQ."),
            code="currency",
        )
    return code


class CommitmentForm(ChangeReasonForm):
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        fields = self.fields
        if (
            "announced_on" in fields
            and "announced_on" not in self.errors
            and data.get("announced_on") is None
        ):
            the_round = data.get("round")
            if the_round is not None:
                data["announced_on"] = the_round.announced_on
        if "amount" in fields:
            self._clean_amount(data)
        if "relates_to" in fields:
            earlier = data.get("relates_to")
            if earlier is not None and self.instance.pk and earlier.pk == self.instance.pk:
                self.add_error("relates_to", _("A commitment cannot relate to itself."))
        if "status" in fields and "withdrawn_on" in fields and data.get("status"):
            wrong = withdrawal.problem(data["status"], data.get("withdrawn_on"))
            if wrong:
                self.add_error("withdrawn_on", wrong)
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("The end comes before the start."))
        return data

    def _clean_amount(self, data: dict[str, Any]) -> None:
        amount: Decimal | None = data.get("amount")
        if amount is not None and amount < 0:
            self.add_error("amount", _("An amount cannot be negative."))
            return
        if amount is not None and limits.too_large(amount):
            self.add_error("amount", limits.too_large_message())
            return
        if data.get("qualifier") == AmountQualifier.UNDISCLOSED and amount is not None:
            self.add_error(
                "amount",
                _("An undisclosed amount has no figure: clear it or choose another qualifier."),
            )
            return
        if "currency" not in data:
            return  # the currency already has an error
        try:
            result = usd_amount(amount, data["currency"], data.get("announced_on"))
        except MissingDate:
            self.add_error(
                "announced_on",
                _(
                    "An amount in %(currency)s is converted at the rate of the announcement date: "
                    "give the date (or a round)."
                )
                % {"currency": data["currency"]},
            )
            return
        except MissingRate as missing:
            assert missing.on is not None
            self.add_error(
                "currency",
                _(
                    "There is no exchange rate for %(currency)s on %(date)s. Add it under "
                    "Exchange rates, then save again."
                )
                % {"currency": missing.currency, "date": date_format(missing.on)},
            )
            return
        # Derived, not form fields: set on the instance that the form saves.
        self.instance.amount_usd = result.amount_usd
        self.instance.exchange_rate = result.exchange_rate


def shares_problem(shares: dict[str, Decimal | None]) -> str | None:
    """What is wrong with these shares (`geography.check_shares`), in the reader's language."""
    try:
        check_shares(shares)
    except SharesError:
        given = [s for s in shares.values() if s is not None]
        if len(given) != len(shares):
            return str(_("Give a share for every country, or for none."))
        if any(s < 0 or s > HUNDRED for s in given):
            return str(_("A share is between 0 and 100."))
        return str(
            _("The shares add up to %(total)s%%; they must add up to 100%%.")
            % {"total": number_format(sum(given))}
        )
    return None


class CountryShareFormSet(forms.BaseInlineFormSet):  # type: ignore[type-arg]
    """Country rows of a commitment: shares all given or none, each 0 to 100, summing to 100.

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
        problem = shares_problem(shares)
        if problem:
            raise ValidationError(problem, code="shares")
        self.shares = shares


class OfficialStatementForm(ChangeReasonForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "figure" in self.fields and "reached_metric" in self.fields:
            figure, metric = data.get("figure"), data.get("reached_metric")
            if figure == StatementFigure.REACHED and metric is None:
                self.add_error(
                    "reached_metric", _("Say which catalogue metric this 'reached' figure is.")
                )
            elif figure != StatementFigure.REACHED and metric is not None:
                self.add_error(
                    "reached_metric", _("Only a 'reached' figure names a catalogue metric.")
                )
        return data

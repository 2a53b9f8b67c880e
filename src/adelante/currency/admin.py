"""Staff admin of exchange rates."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from adelante.admin_base import ChangeReasonForm, HistoryAdmin
from adelante.commitments.admin_forms import clean_currency_code
from adelante.commitments.amounts import reconvert
from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate


class ExchangeRateForm(ChangeReasonForm):
    def clean_currency(self) -> str:
        return clean_currency_code(self.cleaned_data.get("currency", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rate = self.instance
        if rate.pk is None or not Commitment.objects.filter(exchange_rate=rate).exists():
            return data
        for field in ("currency", "on"):
            if field in data and data[field] != getattr(rate, field):
                self.add_error(
                    field,
                    _(
                        "Commitments were converted at this rate: correct the rate itself, or "
                        "add a rate for the other currency or date."
                    ),
                )
        return data


@admin.register(ExchangeRate)
class ExchangeRateAdmin(HistoryAdmin):
    """Exchange rates. Correcting a rate converts again the commitments that used it."""

    form = ExchangeRateForm
    list_display = ("currency", "on", "units_per_usd", "source")
    list_filter = ("currency",)
    search_fields = ("currency", "source")
    date_hierarchy = "on"

    def save_model(
        self, request: HttpRequest, obj: ExchangeRate, form: ModelForm[Any], change: bool
    ) -> None:
        super().save_model(request, obj, form, change)
        if change:
            reconvert(obj)

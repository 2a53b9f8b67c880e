from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ExchangeRateQuerySet(models.QuerySet["ExchangeRate"]):
    def on(self, currency: str, day: datetime.date) -> ExchangeRate | None:
        """The rate for this currency on exactly this day, if the record has one."""
        return self.filter(currency=currency.upper(), on=day).first()


class ExchangeRate(models.Model):
    currency = models.CharField(_("currency"), max_length=3, help_text=_("ISO 4217 code"))
    on = models.DateField(_("date"))
    units_per_usd = models.DecimalField(
        _("units per US dollar"),
        max_digits=24,
        decimal_places=10,
        validators=[MinValueValidator(Decimal("0.0000000001"))],
    )
    source = models.CharField(_("source"), max_length=500)
    history = HistoricalRecords()

    objects = ExchangeRateQuerySet.as_manager()

    class Meta:
        ordering = ["currency", "-on"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "on"], name="one_rate_per_currency_day"),
            models.CheckConstraint(condition=models.Q(units_per_usd__gt=0), name="rate_positive"),
        ]
        verbose_name = _("exchange rate")
        verbose_name_plural = _("exchange rates")

    def __str__(self) -> str:
        return f"{self.currency} {self.units_per_usd} / USD ({self.on})"

"""Official development aid to Guatemala, El Salvador and Honduras, as published in IATI.

Kept apart from the record of private commitments on purpose: these rows are never summed with
commitments, and every figure made from them is labelled official aid (docs/iati.md). They are
written only by the IATI import (`adelante import iati`), which replaces an activity as a whole
when a newer version of it is imported; there is no change history of their own.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from adelante.currency.models import ExchangeRate
from adelante.money.fields import ExactDecimalField


class AidActivity(models.Model):
    iati_identifier = models.CharField(_("IATI identifier"), max_length=500, unique=True)
    publisher_ref = models.CharField(
        _("publisher identifier"), max_length=200, blank=True, help_text=_("reporting-org/@ref")
    )
    publisher_name = models.CharField(_("publisher"), max_length=500, blank=True)
    publisher_type = models.CharField(_("publisher type (IATI code)"), max_length=4, blank=True)
    title = models.TextField(_("title"), blank=True)
    title_es = models.TextField(_("title (Spanish)"), blank=True)
    status = models.CharField(
        _("status (IATI ActivityStatus code)"), max_length=2, blank=True, db_index=True
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_end = models.DateField(_("actual end"), null=True, blank=True)
    default_currency = models.CharField(_("default currency"), max_length=3, blank=True)
    last_updated = models.DateTimeField(_("last updated (by the publisher)"), null=True, blank=True)
    countries_from_transactions = models.BooleanField(
        _("countries given on transactions"),
        default=False,
        help_text=_(
            "The activity names no recipient country itself; its countries are those of its "
            "transactions."
        ),
    )
    source_file = models.CharField(_("source file"), max_length=500)
    source_version = models.CharField(_("IATI version of the file"), max_length=10)
    source_generated = models.DateTimeField(_("file generated"), null=True, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        ordering = ["iati_identifier"]
        verbose_name = _("official aid activity")
        verbose_name_plural = _("official aid activities")

    def __str__(self) -> str:
        return self.iati_identifier


class AidCountry(models.Model):
    """A recipient country of an activity, with the share of its money that goes there."""

    activity = models.ForeignKey(
        AidActivity, on_delete=models.CASCADE, related_name="countries", verbose_name=_("activity")
    )
    country = models.CharField(_("country (ISO 3166-1 alpha-2)"), max_length=2)
    percentage = models.DecimalField(
        _("percentage as published"), max_digits=9, decimal_places=4, null=True, blank=True
    )
    allocated_percent = models.DecimalField(
        _("share allocated (%)"),
        max_digits=9,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "The published percentage, or 100 for an activity's only country. Empty when "
            "several countries are named without percentages: nothing is allocated."
        ),
    )

    class Meta:
        ordering = ["activity", "country"]
        indexes = [models.Index(fields=["country"], name="aid_country")]
        constraints = [
            models.UniqueConstraint(fields=["activity", "country"], name="one_aid_country")
        ]
        verbose_name = _("recipient country")
        verbose_name_plural = _("recipient countries")

    def __str__(self) -> str:
        return self.country


class AidSector(models.Model):
    activity = models.ForeignKey(
        AidActivity, on_delete=models.CASCADE, related_name="sectors", verbose_name=_("activity")
    )
    vocabulary = models.CharField(_("vocabulary (IATI code)"), max_length=10, default="1")
    code = models.CharField(_("code"), max_length=100)
    name = models.CharField(_("name as published"), max_length=500, blank=True)
    percentage = models.DecimalField(
        _("percentage"), max_digits=9, decimal_places=4, null=True, blank=True
    )

    class Meta:
        ordering = ["activity", "vocabulary", "code"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")

    def __str__(self) -> str:
        return f"{self.vocabulary}:{self.code}"


class AidTransaction(models.Model):
    """A transaction as published, with its value in US dollars at the rate of its value date.

    `usd` is None when the record has no exchange rate for the currency on the value date:
    the original value is kept and the figures report the transaction as without US$ value.
    """

    activity = models.ForeignKey(
        AidActivity,
        on_delete=models.CASCADE,
        related_name="transactions",
        verbose_name=_("activity"),
    )
    ref = models.CharField(_("reference"), max_length=255, blank=True)
    type = models.CharField(_("type (IATI TransactionType code)"), max_length=3)
    date = models.DateField(_("transaction date"))
    value = ExactDecimalField(_("value"))
    value_text = models.CharField(
        _("value as published"), max_length=60, help_text=_("The exact decimal text of the file.")
    )
    currency = models.CharField(_("currency"), max_length=3, blank=True)
    value_date = models.DateField(_("value date"))
    usd = ExactDecimalField(_("value in US$"), null=True, blank=True)
    units_per_usd = models.DecimalField(
        _("rate used (units per US dollar)"),
        max_digits=24,
        decimal_places=10,
        null=True,
        blank=True,
    )
    exchange_rate = models.ForeignKey(
        ExchangeRate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exchange rate used"),
        # Never looked up by rate; one index less makes a large import markedly faster.
        db_index=False,
    )
    recipient_country = models.CharField(_("recipient country"), max_length=2, blank=True)

    class Meta:
        ordering = ["activity", "date", "id"]
        # Figures reach transactions through their activity (and its countries): the foreign
        # key's index is the only one, which keeps large imports fast.
        verbose_name = _("transaction")
        verbose_name_plural = _("transactions")

    def __str__(self) -> str:
        return f"{self.type} {self.date} {self.value_text} {self.currency}"

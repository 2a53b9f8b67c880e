from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.bilingual import TranslatedText
from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import (
    PUBLISHED_STATUSES,
    DatePrecision,
    MoneyKind,
    Relation,
    StatementFigure,
    StatementQualifier,
    Status,
)
from adelante.currency.models import ExchangeRate
from adelante.initiatives.countries import country_name
from adelante.initiatives.models import Initiative, check_country_code
from adelante.initiatives.scope import default_initiative_id
from adelante.money.fields import ExactDecimalField
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner


def _initiative_field() -> models.ForeignKey[Initiative, Initiative]:
    """The initiative a round, commitment or statement belongs to (the one in scope when made)."""
    return models.ForeignKey(
        Initiative,
        on_delete=models.PROTECT,
        related_name="+",
        default=default_initiative_id,
        verbose_name=_("initiative"),
    )


class Round(TranslatedText):
    """A dated public announcement of commitments."""

    initiative = _initiative_field()
    label = models.CharField(_("label"), max_length=200)
    label_es = models.CharField(_("label (Spanish)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    announced_on = models.DateField(_("announced on"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["announced_on", "label"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "announced_on", "label"], name="round_date_label"
            )
        ]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")

    BILINGUAL_FIELDS = (("label", "label_es"),)

    def __str__(self) -> str:
        return self.label


def announced_by_q(day: datetime.date) -> Q:
    """Announced on or before this day and not withdrawn by then (DOMAIN rule 2).

    A Q object, so that the same rule filters the live record and its history.
    """
    return Q(status__in=PUBLISHED_STATUSES, announced_on__lte=day) & (
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day)
    )


#: Commitments whose amount counts: a restatement of an earlier pledge counts zero.
NEW_MONEY_Q = ~Q(relation=Relation.RESTATEMENT)


class CommitmentQuerySet(models.QuerySet["Commitment"]):
    def announced_by(self, day: datetime.date) -> CommitmentQuerySet:
        return self.filter(announced_by_q(day))

    def new_money(self) -> CommitmentQuerySet:
        return self.filter(NEW_MONEY_Q)


class Commitment(TranslatedText):
    reference = models.SlugField(
        _("reference"),
        max_length=200,
        unique=True,
        help_text=_("Stable identifier, used by imports and open data."),
    )
    initiative = _initiative_field()
    partner = models.ForeignKey(
        Partner, on_delete=models.PROTECT, related_name="commitments", verbose_name=_("partner")
    )
    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="commitments",
        null=True,
        blank=True,
        verbose_name=_("round"),
    )
    announced_on = models.DateField(
        _("announced on"), null=True, blank=True, help_text=_("Usually the round's date.")
    )
    title = models.CharField(_("title"), max_length=300, blank=True)
    title_es = models.CharField(_("title (Spanish)"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    summary_es = models.TextField(_("summary (Spanish)"), blank=True)
    focus_text = models.CharField(_("focus as stated"), max_length=300, blank=True)
    focus_text_es = models.CharField(_("focus as stated (Spanish)"), max_length=300, blank=True)
    focus_areas = models.ManyToManyField(
        FocusArea, blank=True, related_name="commitments", verbose_name=_("focus areas")
    )
    kind = models.CharField(
        _("kind of money"), max_length=30, choices=MoneyKind.choices, default=MoneyKind.UNSPECIFIED
    )
    qualifier = models.CharField(
        _("amount qualifier"),
        max_length=20,
        choices=AmountQualifier.choices,
        default=AmountQualifier.EXACT,
    )
    amount = ExactDecimalField(
        _("amount"), null=True, blank=True, help_text=_("In the currency the partner stated.")
    )
    currency = models.CharField(_("currency"), max_length=3, default="USD")
    amount_usd = ExactDecimalField(_("amount in US$"), null=True, blank=True)
    exchange_rate = models.ForeignKey(
        ExchangeRate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("exchange rate used"),
    )
    relation = models.CharField(
        _("relation to earlier commitments"),
        max_length=20,
        choices=Relation.choices,
        default=Relation.NEW,
    )
    relates_to = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="followed_by",
        verbose_name=_("earlier commitment"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PROPOSED
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[focus_areas])

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["announced_on", "partner__normalised_name", "reference"]
        indexes = [
            models.Index(fields=["announced_on", "status"], name="commitment_announced"),
            # The same-pledge suggestions: a partner's commitments within a window of days.
            models.Index(fields=["partner", "announced_on"], name="commitment_partner_day"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="amount_not_negative"),
            models.CheckConstraint(condition=Q(amount_usd__gte=0), name="amount_usd_not_negative"),
            models.CheckConstraint(
                condition=~Q(qualifier=AmountQualifier.UNDISCLOSED) | Q(amount_usd__isnull=True),
                name="undisclosed_has_no_amount",
            ),
        ]
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")

    BILINGUAL_FIELDS = (
        ("title", "title_es"),
        ("summary", "summary_es"),
        ("focus_text", "focus_text_es"),
    )

    def __str__(self) -> str:
        return f"{self.partner} — {self.title or self.reference}"


class CountryShare(models.Model):
    """A country a commitment concerns, with its optional share.

    Write these rows only through `adelante.commitments.geography.set_countries`: a single
    country is stored with a share of 100; several countries without shares ("multi-country")
    have no share. `amount_usd` is the part of the commitment's US$ amount allocated to the
    country, recomputed by `set_countries` whenever the shares or the amount change.
    """

    commitment = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="countries",
        verbose_name=_("commitment"),
    )
    #: Any ISO 3166-1 code; which ones an initiative takes is data (`Initiative.countries`).
    country = models.CharField(_("country"), max_length=2, validators=[check_country_code])
    share_percent = models.DecimalField(
        _("share (%)"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    amount_usd = ExactDecimalField(_("allocated amount in US$"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "country"], name="one_share_per_country")
        ]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        share = f" {self.share_percent}%" if self.share_percent is not None else ""
        return f"{self.get_country_display()}{share}"

    def get_country_display(self) -> str:
        """The country's name in the reader's language (the code list's, as data)."""
        return country_name(self.country)


class Target(models.Model):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="targets", verbose_name=_("commitment")
    )
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, verbose_name=_("metric"))
    value = ExactDecimalField(_("value"))
    by_date = models.DateField(_("by"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric__code"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")

    def __str__(self) -> str:
        return f"{self.metric}: {self.value}"


class Source(models.Model):
    commitment = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="sources", verbose_name=_("commitment")
    )
    url = models.URLField(_("URL"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    seen_on = models.DateField(_("date seen"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "url"], name="one_source_per_url")
        ]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.title or self.url


class OfficialStatement(models.Model):
    """A figure as an authority published it: stored verbatim, never recomputed."""

    initiative = _initiative_field()
    stated_on = models.DateField(
        _("date"),
        help_text=_("For a date given as a month or a year, the last day of that month or year."),
    )
    date_precision = models.CharField(
        _("date precision"), max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    metric = models.CharField(_("what was stated"), max_length=200)
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=30)
    qualifier = models.CharField(_("qualifier"), max_length=20, choices=StatementQualifier.choices)
    note = models.TextField(_("note"), blank=True)
    source_url = models.URLField(_("source"), max_length=1000)
    figure = models.CharField(
        _("computed figure it states"),
        max_length=30,
        choices=StatementFigure.choices,
        blank=True,
        help_text=_("Empty when the record cannot back this statement."),
    )
    reached_metric = models.ForeignKey(
        Metric,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("catalogue metric"),
        help_text=_("For a 'reached' figure: which catalogue metric."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["stated_on", "metric"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "stated_on", "metric", "source_url"],
                name="one_statement_per_source",
            )
        ]
        verbose_name = _("official statement")
        verbose_name_plural = _("official statements")

    def __str__(self) -> str:
        return f"{self.stated_on} {self.metric}: {self.value}"


class SamePledge(models.Model):
    """A commitment announced under another initiative too: the same pledge, confirmed by staff.

    Each initiative still shows its own commitment; a figure across initiatives counts the
    pledge once, as `counted_as` (docs/initiatives.md, "One pledge, several initiatives").
    """

    commitment = models.OneToOneField(
        Commitment,
        on_delete=models.CASCADE,
        related_name="same_pledge",
        verbose_name=_("commitment"),
    )
    counted_as = models.ForeignKey(
        Commitment,
        on_delete=models.CASCADE,
        related_name="same_pledges",
        verbose_name=_("counted across initiatives as"),
    )
    confirmed_on = models.DateField(_("confirmed on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["counted_as", "commitment"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(commitment=models.F("counted_as")), name="same_pledge_not_itself"
            )
        ]
        verbose_name = _("same pledge")
        verbose_name_plural = _("same pledges")

    def __str__(self) -> str:
        return f"{self.commitment_id} = {self.counted_as_id}"


class SamePledgeDismissal(models.Model):
    """Two commitments staff said are not the same pledge: never suggested again.

    `first` is the commitment with the lower id, so that a pair is stored one way only.
    """

    first = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="+", verbose_name=_("commitment")
    )
    second = models.ForeignKey(
        Commitment, on_delete=models.CASCADE, related_name="+", verbose_name=_("other commitment")
    )
    dismissed_at = models.DateTimeField(_("dismissed at"), auto_now_add=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("dismissed by"),
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-dismissed_at"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="one_dismissal_per_pair"),
            models.CheckConstraint(
                condition=Q(first__lt=models.F("second")), name="dismissal_pair_ordered"
            ),
        ]
        verbose_name = _("dismissed same-pledge suggestion")
        verbose_name_plural = _("dismissed same-pledge suggestions")

    def __str__(self) -> str:
        return f"{self.first_id} ≠ {self.second_id}"

"""An initiative: one pledge-taking partnership hosted by the installation (docs/initiatives.md).

Central America Forward is one; an installation may host several. Partners are shared between
initiatives; rounds, commitments and official statements belong to one.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.bilingual import TranslatedText
from adelante.catalogue.models import Metric
from adelante.initiatives.countries import is_country_code

#: The slug of the initiative the shipped record belongs to (its migration creates it).
FIRST_INITIATIVE_SLUG = "central-america-forward"


def check_country_code(code: str) -> None:
    if not is_country_code(code):
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 country code."), params={"code": code}, code="country"
        )


class InitiativeQuerySet(models.QuerySet["Initiative"]):
    def listed(self) -> InitiativeQuerySet:
        return self.order_by("position", "id")


class Initiative(TranslatedText):
    slug = models.SlugField(
        _("slug"),
        max_length=60,
        unique=True,
        help_text=_("In the portal's addresses (/en/i/<slug>/) and the API's ?initiative=."),
    )
    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    primary = models.BooleanField(
        _("primary"),
        default=False,
        help_text=_(
            "The installation's first initiative: its portal keeps the addresses without an "
            "initiative in them (/en/explorer/), and a request that names none means it."
        ),
    )
    position = models.PositiveIntegerField(_("position in lists"), default=0)
    display_currency = models.CharField(
        _("currency for display"),
        max_length=3,
        default="USD",
        validators=[RegexValidator(r"^[A-Z]{3}$", _("An ISO 4217 code, such as USD."))],
    )
    accent_colour = models.CharField(
        _("accent colour"),
        max_length=7,
        default="#0b5394",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("A colour such as #0b5394."))],
    )
    logo = models.FileField(
        _("logo"),
        upload_to="initiatives",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg", "webp"])],
    )
    synthetic = models.BooleanField(
        _("synthetic"),
        default=False,
        help_text=_("Made-up data for demonstration; every page of it says so."),
    )
    languages_pending = models.CharField(
        _("languages pending"),
        max_length=40,
        blank=True,
        help_text=_(
            "Language codes the initiative's texts are to be published in and are not yet "
            "(for example 'fr'); the portal shows English and Spanish meanwhile."
        ),
    )
    metrics = models.ManyToManyField(
        Metric,
        blank=True,
        related_name="initiatives",
        verbose_name=_("reporting metrics"),
        help_text=_("The catalogue metrics its partners report; none means every metric."),
    )
    history = HistoricalRecords(m2m_fields=[metrics])

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["primary"], condition=Q(primary=True), name="one_primary_initiative"
            )
        ]
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")

    BILINGUAL_FIELDS = (("name", "name_es"), ("description", "description_es"))

    def __str__(self) -> str:
        return self.name

    def country_codes(self) -> tuple[str, ...]:
        """Its countries' codes, in the initiative's order."""
        return tuple(self.countries.values_list("code", flat=True))


class InitiativeCountry(models.Model):
    """A country an initiative takes commitments for."""

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="countries", verbose_name=_("initiative")
    )
    code = models.CharField(
        _("country (ISO 3166-1 code)"), max_length=2, validators=[check_country_code]
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "code"], name="one_row_per_country")
        ]
        verbose_name = _("country")
        verbose_name_plural = _("countries")

    def __str__(self) -> str:
        return self.code

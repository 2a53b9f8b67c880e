"""Managed vocabularies: the metric catalogue and the focus-area taxonomy."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from adelante.bilingual import TranslatedText


class BilingualName(models.Model):
    name_en = models.CharField(_("name (English)"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


class Metric(BilingualName):
    class Unit(models.TextChoices):
        USD = "usd", _("US dollars")
        PEOPLE = "people", _("people")
        JOBS = "jobs", _("jobs")
        ORGANISATIONS = "organisations", _("organisations")

    class Accumulation(models.TextChoices):
        CUMULATIVE = "cumulative", _("cumulative to date")
        INCREMENTAL = "incremental", _("per period")

    code = models.SlugField(_("code"), max_length=64, unique=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    accumulation = models.CharField(
        _("accumulation"),
        max_length=20,
        choices=Accumulation.choices,
        default=Accumulation.CUMULATIVE,
    )
    by_country = models.BooleanField(_("breakdown by country"), default=True)
    by_sex = models.BooleanField(_("breakdown by sex"), default=False)
    by_age = models.BooleanField(_("breakdown by age"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")


class FocusArea(BilingualName):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    keywords = models.TextField(
        _("keywords"),
        blank=True,
        help_text=_(
            "Words, separated by commas, that place a commitment's free-text focus in this area "
            "when it is imported."
        ),
    )
    dac_sector = models.CharField(
        _("DAC sector code"),
        max_length=5,
        blank=True,
        validators=[RegexValidator(r"^[0-9]{5}$", _("Give a five-digit OECD DAC purpose code."))],
        help_text=_(
            "The OECD DAC 5-digit purpose code that stands for this area in the IATI export "
            "(for example 24030, formal sector financial intermediaries). Empty: the area adds "
            "no sector of its own."
        ),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")

    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]


class StatementName(TranslatedText):
    """The name, in both languages, of what official statements state: the `metric` code of
    an official statement ("people_supported") read as words ("People supported", "Personas
    apoyadas"). A code without a name here is shown as its words in English."""

    code = models.CharField(_("code"), max_length=200, unique=True)
    name_en = models.CharField(_("name (English)"), max_length=300)
    name_es = models.CharField(_("name (Spanish)"), max_length=300, blank=True)
    history = HistoricalRecords()

    BILINGUAL_FIELDS = (("name_en", "name_es"),)

    class Meta:
        ordering = ["code"]
        verbose_name = _("statement name")
        verbose_name_plural = _("statement names")

    def __str__(self) -> str:
        return self.name_en

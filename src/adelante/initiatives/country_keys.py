"""The countries of the initiative in scope, as the keys of the by-country figures and the
values of every country filter and choice (docs/figures.md, "Countries").

An initiative's countries are rows (`InitiativeCountry`), so a fourth country, in Central
America or anywhere, is added in the admin and every page, filter, form and figure follows:
none of them names a country in code.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.initiatives.models import Initiative, InitiativeCountry


class CountryGroup(models.TextChoices):
    """Commitments that no single country takes in full (DOMAIN rule 4): the rows of the
    by-country breakdown beside the countries, and values of the country filter."""

    MULTI_COUNTRY = "multi-country", _("Several countries (no split stated)")
    REGIONAL = "regional", _("The region (no country named)")


def initiative_countries(initiative: Initiative | None = None) -> tuple[str, ...]:
    """The codes of the initiative's countries, in its order; with no initiative given, the
    initiative in scope's, and across initiatives every initiative's (each code once).

    One query, once per request, command or task (`scope.remembered`): pages and the API ask
    for them many times. A change of countries empties the memo (`scope.forget`, on every
    save of a country row), and the next request in any process reads them again.
    `scope.NoPrimaryInitiative` in the primary scope of a database without one."""
    if initiative is not None:
        return scope.remembered(("countries", initiative.pk), initiative.country_codes)
    current = scope.current()
    return scope.remembered(("countries", current), lambda: _read(current))


def _read(current: scope.Scope) -> tuple[str, ...]:
    rows = InitiativeCountry.objects.all()
    if current == scope.PRIMARY:
        rows = rows.filter(initiative__primary=True)
    elif current != scope.ACROSS:
        rows = rows.filter(initiative_id=current)
    codes = tuple(
        dict.fromkeys(
            rows.order_by("initiative__position", "initiative_id", "position", "code").values_list(
                "code", flat=True
            )
        )
    )
    if not codes and current == scope.PRIMARY:
        # No row: an initiative has at least one country, so is there a primary one at all?
        scope.primary()
    return codes


def country_keys(initiative: Initiative | None = None) -> tuple[str, ...]:
    """Every key of the by-country breakdown and value of the country filter, in that order:
    the initiative's country codes, then "several countries" and "the region"."""
    return (*initiative_countries(initiative), *CountryGroup.values)


def country_key(text: str, initiative: Initiative | None = None) -> str | None:
    """The key of `country_keys` that `text` names in any case (`gt` is `GT`, `Regional` is
    `regional`: addresses write codes in lower case); None when it names none, such as a
    country that is not the initiative's."""
    if text.lower() in CountryGroup.values:
        return text.lower()
    if text.upper() in initiative_countries(initiative):
        return text.upper()
    return None


def country_choices(initiative: Initiative | None = None) -> list[tuple[str, str]]:
    """The initiative's countries for a form's choices: (code, name in the reader's language)."""
    return [(code, country_name(code)) for code in initiative_countries(initiative)]


def key_choices(initiative: Initiative | None = None) -> list[tuple[str, str]]:
    """Every key of `country_keys` with its name: the countries, then the two groups."""
    return [*country_choices(initiative), *((g.value, str(g.label)) for g in CountryGroup)]

"""Founding an initiative: its name, countries, currency and labels, checked (docs/initiatives.md).

The one service that creates an initiative; `adelante initiative create` calls it (the admin
edits initiatives field by field, with the same field checks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.errors import Conflict, Invalid
from adelante.initiatives.countries import is_country_code
from adelante.initiatives.models import Initiative, InitiativeCountry

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")


@dataclass(frozen=True)
class Founding:
    """What a new initiative needs; the rest (logo, metrics, description) staff add later."""

    slug: str
    name: str
    countries: Sequence[str]
    name_es: str = ""
    description: str = ""
    description_es: str = ""
    display_currency: str = "USD"
    synthetic: bool = False
    languages_pending: Sequence[str] = ()


def listed_codes(text: str) -> list[str]:
    """`KE,TZ, mz;MG` as a list of codes, in the order given."""
    return [code for code in re.split(r"[,;\s]+", text.strip()) if code]


def _checked_countries(codes: Sequence[str]) -> list[str]:
    if not codes:
        raise Invalid(field_errors={"countries": [_("Name at least one country.")]})
    unknown = [code for code in codes if not is_country_code(code)]
    if unknown:
        raise Invalid(
            field_errors={
                "countries": [
                    _("Not ISO 3166-1 country codes: %(codes)s.") % {"codes": ", ".join(unknown)}
                ]
            }
        )
    repeated = sorted({code for code in codes if list(codes).count(code) > 1})
    if repeated:
        raise Invalid(
            field_errors={
                "countries": [
                    _("Countries named twice: %(codes)s.") % {"codes": ", ".join(repeated)}
                ]
            }
        )
    return list(codes)


def _next_position() -> int:
    last = Initiative.objects.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def found_initiative(
    founding: Founding, *, user: object = None, reason: str | None = None
) -> Initiative:
    """Create the initiative with its countries (never the primary one: the migration made
    it), or refuse with every field's problem."""
    countries = _checked_countries([code.upper() for code in founding.countries])
    pending = [code.strip().lower() for code in founding.languages_pending if code.strip()]
    bad_languages = [code for code in pending if not _LANGUAGE.match(code)]
    if bad_languages:
        raise Invalid(
            field_errors={
                "languages_pending": [
                    _("Not language codes (such as fr): %(codes)s.")
                    % {"codes": ", ".join(bad_languages)}
                ]
            }
        )
    initiative = Initiative(
        slug=founding.slug,
        name=founding.name.strip(),
        name_es=founding.name_es.strip(),
        description=founding.description.strip(),
        description_es=founding.description_es.strip(),
        display_currency=founding.display_currency.upper(),
        synthetic=founding.synthetic,
        languages_pending=",".join(pending),
        position=_next_position(),
    )
    try:
        initiative.full_clean(exclude=["logo"])
    except ValidationError as error:
        if "slug" in error.message_dict and Initiative.objects.filter(slug=founding.slug).exists():
            raise Conflict(
                _("There is already an initiative %(slug)s.") % {"slug": founding.slug},
                field_errors={"slug": [_("Taken.")]},
            ) from None
        raise Invalid(field_errors=error.message_dict) from None
    with transaction.atomic(), history.change(reason=reason, user=user):
        history.save(initiative)
        for position, code in enumerate(countries):
            history.save(InitiativeCountry(initiative=initiative, code=code, position=position))
    return initiative

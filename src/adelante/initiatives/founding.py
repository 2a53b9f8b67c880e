"""Founding an initiative: its name, countries, currency and labels, checked (docs/initiatives.md).

The one service that creates an initiative: `adelante initiative create` and the admin's add
form call it (`check_founding` for the form's check, nothing written; `found_initiative` to
save). Changing one afterwards is `initiatives.changing`, which shares its checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.bilingual import TranslationState, set_texts
from adelante.catalogue.models import Metric
from adelante.currency.codes import is_currency_code
from adelante.editing import check_editor
from adelante.errors import Conflict, Invalid
from adelante.initiatives import scope
from adelante.initiatives.countries import is_country_code
from adelante.initiatives.models import FIRST_INITIATIVE_SLUG, Initiative, InitiativeCountry

_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

#: The largest logo kept: a logo is shown small, a few hundred kilobytes at most.
LOGO_MAX_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Founding:
    """What a new initiative needs, and what staff may give it at once (the admin's add form):
    its look, its reporting metrics, its place in lists (default: last)."""

    slug: str
    name: str
    countries: Sequence[str]
    name_es: str = ""
    description: str = ""
    description_es: str = ""
    display_currency: str = "USD"
    synthetic: bool = False
    languages_pending: Sequence[str] = ()
    written_in: str = "en"
    accent_colour: str = "#0b5394"
    logo: Any = None
    metrics: Iterable[Metric] = ()
    position: int | None = None


def listed_codes(text: str) -> list[str]:
    """`KE,TZ, mz;MG` as a list of codes, in the order given."""
    return [code for code in re.split(r"[,;\s]+", text.strip()) if code]


def checked_countries(codes: Sequence[str]) -> list[str]:
    """The codes, upper case, if each is in the shipped code list and none is named twice;
    `Invalid` on "countries" naming the wrong ones."""
    codes = [code.strip().upper() for code in codes]
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


def checked_currency(code: str) -> str:
    """The currency for display as stored (upper case) if it is an ISO 4217 code; `Invalid` on
    "display_currency" otherwise."""
    found = (code or "").strip().upper()
    if not is_currency_code(found):
        raise Invalid(
            field_errors={
                "display_currency": [
                    _("%(code)s is not an ISO 4217 currency code (such as USD, EUR or KES).")
                    % {"code": found or "''"}
                ]
            }
        )
    return found


def checked_languages(codes: Iterable[str]) -> str:
    """Pending language codes (`fr`), as stored: lower case, separated by commas; `Invalid` on
    "languages_pending" naming the wrong ones."""
    pending = [code.strip().lower() for code in codes if code.strip()]
    wrong = [code for code in pending if not _LANGUAGE.match(code)]
    if wrong:
        raise Invalid(
            field_errors={
                "languages_pending": [
                    _("Not language codes (such as fr): %(codes)s.") % {"codes": ", ".join(wrong)}
                ]
            }
        )
    return ",".join(pending)


def _logo_kind(head: bytes) -> str | None:
    """The extension of what the first bytes are: a PNG, JPEG or WebP image (never SVG, which
    may carry script), or None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    return None


def checked_logo(logo: Any) -> Any:
    """The uploaded logo (a Django `File`), named after what its content is (`wave.png`), if it
    is a PNG, JPEG or WebP image of at most `LOGO_MAX_BYTES`; `Invalid` on "logo" otherwise.
    What a file is, is read from its first bytes, never its name; its size is asked before
    anything is read."""
    size = logo.size
    if size is None or size > LOGO_MAX_BYTES:
        raise Invalid(
            field_errors={
                "logo": [
                    _("A logo is at most %(max)d KB; this file is larger.")
                    % {"max": LOGO_MAX_BYTES // 1024}
                ]
            }
        )
    logo.seek(0)
    kind = _logo_kind(logo.read(16))
    logo.seek(0)
    if kind is None:
        raise Invalid(
            field_errors={
                "logo": [_("A logo is a PNG, JPEG or WebP image (never SVG); this file is not.")]
            }
        )
    logo.name = f"{PurePath(logo.name or 'logo').stem or 'logo'}.{kind}"
    return logo


def next_position() -> int:
    """The place in lists after every initiative's."""
    last = Initiative.objects.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def check_founding(founding: Founding, *, user: Any = None) -> Initiative:
    """The initiative the founding would make, unsaved (its countries and metrics are the
    founding's); `Invalid` or `Conflict` with every field's problem, `NotAllowed` for a person
    who is not of the secretariat (`user` None: a command run on the server). Nothing is
    written."""
    if user is not None:
        check_editor(user)
    checked_countries(founding.countries)
    currency = checked_currency(founding.display_currency)
    initiative = Initiative(
        slug=founding.slug,
        written_in=founding.written_in,
        display_currency=currency,
        accent_colour=founding.accent_colour,
        synthetic=founding.synthetic,
        languages_pending=checked_languages(founding.languages_pending),
        position=next_position() if founding.position is None else founding.position,
    )
    if founding.logo:
        initiative.logo = checked_logo(founding.logo)
    set_texts(
        initiative,
        {
            "name": founding.name.strip(),
            "name_es": founding.name_es.strip(),
            "description": founding.description.strip(),
            "description_es": founding.description_es.strip(),
        },
        translator=TranslationState.STAFF,
    )
    try:
        initiative.full_clean(exclude=[] if founding.logo else ["logo"])
    except ValidationError as error:
        if "slug" in error.message_dict and Initiative.objects.filter(slug=founding.slug).exists():
            raise Conflict(
                _("There is already an initiative %(slug)s.") % {"slug": founding.slug},
                field_errors={"slug": [_("Taken.")]},
            ) from None
        raise Invalid(field_errors=error.message_dict) from None
    return initiative


def found_initiative(
    founding: Founding, *, user: Any = None, reason: str | None = None
) -> Initiative:
    """Create the initiative with its countries and metrics (never the primary one: the
    migration made it), or refuse as `check_founding` does; one history row, with the reason."""
    initiative = check_founding(founding, user=user)
    countries = checked_countries(founding.countries)
    with transaction.atomic(), history.change(reason=reason, user=user):
        history.save(initiative, user=user, reason=reason)
        for position, code in enumerate(countries):
            history.save(InitiativeCountry(initiative=initiative, code=code, position=position))
        metrics = list(founding.metrics)
        if metrics:
            initiative.metrics.set(metrics)
    return initiative


def found_first_initiative(*, reason: str | None = None) -> Initiative:
    """The primary initiative: the one there is, or (a database emptied since its migrations,
    which make it) the shipped record's, Central America Forward with GT, SV and HN, made as
    the migration makes it, with its history rows. An initiative with its slug that is not
    primary is made primary. What the demo's loading runs first; a read never does this
    (`scope.primary()` says there is none instead)."""
    with transaction.atomic(), history.change(reason=reason):
        found = Initiative.objects.filter(primary=True).first()
        if found is not None:
            return found
        made = Initiative.objects.select_for_update().filter(slug=FIRST_INITIATIVE_SLUG).first()
        if made is not None:
            made.primary = True
            history.save(made, reason=reason)
            return made
        made = Initiative(**scope.FIRST_INITIATIVE, primary=True)
        history.save(made, reason=reason)
        for position, code in enumerate(scope.FIRST_COUNTRIES):
            history.save(
                InitiativeCountry(initiative=made, code=code, position=position), reason=reason
            )
    return made

"""What a correction can be about: the public pages it is suggested from, the thing each one
shows, and the fields of it that an accepted correction may change.

A subject is a kind (`Subject`) and a key: a published commitment's reference, a published
partner's slug, an official statement's id, or a figure page: the overview (``overview``),
the rounds' and the countries' breakdowns (``rounds``, ``countries``), a round's page
(``round:<slug>``), a country's page (``country:<code>``). Only what the public
may see can be corrected; anything else is "not found", as on the portal.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext as _

from adelante.commitments.choices import CountryGroup, country_key
from adelante.commitments.models import OfficialStatement
from adelante.commitments.publication import (
    published_commitments,
    published_partners,
    published_rounds,
    published_statements,
)
from adelante.corrections.models import Subject
from adelante.errors import NotFound
from adelante.initiatives.countries import country_name

#: The longest key a subject may have (the model's column).
MAX_KEY = 200

#: The fields an accepted correction may change, for each kind of record (in this order).
#: The amount's currency, the country shares, the status and the relations are changed in
#: the admin or the workflow, where their own rules and steps are.
FIELDS: dict[str, tuple[str, ...]] = {
    Subject.COMMITMENT: (
        "title",
        "summary",
        "focus_text",
        "amount",
        "announced_on",
        "starts_on",
        "ends_on",
    ),
    Subject.PARTNER: ("name", "website", "type"),
    Subject.STATEMENT: ("metric", "value", "unit", "note", "source_url"),
    Subject.FIGURE: (),
}


@dataclass(frozen=True)
class Target:
    """A subject as found: its record (None for a figure page), its name, its public page."""

    subject: str
    key: str
    record: models.Model | None
    name: str
    page: str

    @property
    def fields(self) -> tuple[str, ...]:
        return FIELDS[self.subject]


def _not_found() -> NotFound:
    return NotFound(_("There is no such page in the public record."))


def _figure(key: str) -> Target:
    kind, _sep, rest = key.partition(":")
    if key == "overview":
        return Target(Subject.FIGURE, key, None, _("The overview"), reverse("portal:overview"))
    if key == "rounds":
        return Target(Subject.FIGURE, key, None, _("Rounds"), reverse("portal:rounds"))
    if key == "countries":
        return Target(Subject.FIGURE, key, None, _("Countries"), reverse("portal:countries"))
    if kind == "round" and rest:
        found = published_rounds().filter(slug=rest).first()
        if found is not None:
            page = reverse("portal:round", args=[found.slug])
            return Target(Subject.FIGURE, key, None, found.label, page)
    if kind == "country" and rest:
        code = country_key(rest)
        if code is not None and code not in CountryGroup.values:
            page = reverse("portal:country", args=[code.lower()])
            return Target(Subject.FIGURE, key, None, country_name(code), page)
    raise _not_found()


def find(subject: str, key: str) -> Target:
    """The public thing a correction is about; `NotFound` if there is none."""
    key = key.strip()
    if not key or len(key) > MAX_KEY or "\x00" in key:
        raise _not_found()
    if subject == Subject.COMMITMENT:
        commitment = published_commitments().select_related("partner").filter(reference=key)
        found_commitment = commitment.first()
        if found_commitment is not None:
            name = found_commitment.title or _("Commitment of %(partner)s") % {
                "partner": found_commitment.partner.name
            }
            page = reverse("portal:commitment", args=[key])
            return Target(subject, key, found_commitment, name, page)
    elif subject == Subject.PARTNER:
        partner = published_partners().filter(slug=key).first()
        if partner is not None:
            page = reverse("portal:partner", args=[key])
            return Target(subject, key, partner, partner.name, page)
    elif subject == Subject.STATEMENT:
        if key.isascii() and key.isdigit() and len(key) <= 12:
            statement = published_statements().filter(pk=int(key)).first()
            if statement is not None:
                page = _statement_page(statement)
                return Target(subject, key, statement, _statement_name(statement), page)
    elif subject == Subject.FIGURE:
        return _figure(key)
    raise _not_found()


def _statement_page(statement: OfficialStatement) -> str:
    """Official statements are shown on the page of the round announced that day."""
    the_round = published_rounds().filter(announced_on=statement.stated_on).first()
    if the_round is None:
        return reverse("portal:rounds")
    return reverse("portal:round", args=[the_round.slug])


def _statement_name(statement: OfficialStatement) -> str:
    return _("Official statement “%(metric)s” of %(date)s") % {
        "metric": statement.metric,
        "date": statement.stated_on.isoformat(),
    }


def field_of(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """One of the correctable fields of a model (each is a field of the model itself)."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def field_label(model: type[models.Model], name: str) -> str:
    return str(field_of(model, name).verbose_name)

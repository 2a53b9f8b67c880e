"""The portal's one search: partners (and their aliases), commitments, rounds, countries and
official statements, whatever the accents and case of what the reader typed (adelante.folding),
grouped by kind.

Each kind is searched by the rule its own page uses (the explorer's `matching`, the partner
index's `name_matching`), so a kind's "all results" link lists the same things.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from adelante.bilingual import as_html
from adelante.catalogue.models import StatementName
from adelante.catalogue.names import statement_name as named_statement
from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.commitments.selectors import MAX_SEARCH_WORDS, CommitmentFilter, select_commitments
from adelante.figures.record import Record
from adelante.folding import fold, folded_contains
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.partners.models import Partner, name_matching
from adelante.portal import published

#: Longer searches are typing accidents or abuse: they are cut to this many characters.
MAX_SEARCH = 200
#: Results shown of each kind; the kind's own page lists them all.
SHOWN = 10


@dataclass(frozen=True)
class Search:
    """What the reader typed, tidied: spaces collapsed, cut to `MAX_SEARCH` characters."""

    text: str
    #: True when the text was longer and was cut (the page says so).
    shortened: bool = False


def tidy(typed: str) -> Search:
    """The search in `typed`, shortened rather than refused when it is too long. Characters
    that cannot be searched for (NUL) are left out."""
    text = " ".join(typed.replace("\x00", " ").split())
    if len(text) <= MAX_SEARCH:
        return Search(text)
    return Search(text[:MAX_SEARCH].rstrip(), shortened=True)


@dataclass(frozen=True)
class Group:
    """The results of one kind: the first `SHOWN` and how many there are in all."""

    kind: str
    title: str
    items: tuple[Any, ...]
    count: int


@dataclass(frozen=True)
class Results:
    search: Search
    groups: tuple[Group, ...] = field(default=())

    @property
    def count(self) -> int:
        return sum(g.count for g in self.groups)


def _words(text: str) -> list[str]:
    return text.split()[:MAX_SEARCH_WORDS]


def _all_words(field_names: tuple[str, ...], text: str) -> Q:
    """Every word in one of the fields, folded."""
    found = Q()
    for word in _words(text):
        either = Q()
        for name in field_names:
            either |= folded_contains(name, word)
        found &= either
    return found


def _countries(text: str) -> list[tuple[str, str]]:
    """The initiative's countries whose code or name, in English or in Spanish, holds every
    word."""
    found = []
    for code in initiative_countries():
        folded = fold(" ".join([code, country_name(code, "en"), country_name(code, "es")]))
        if all(fold(word) in folded for word in _words(text)):
            found.append((code.lower(), country_name(code)))
    return found


def statement_name(statement: OfficialStatement) -> SafeString:
    """What the statement's figure is called, in the reader's language (the catalogue's
    `StatementName`; a code it does not name reads as its words, marked as English)."""
    return as_html(named_statement(statement.metric))


def _statements_matching(text: str) -> Q:
    """Statements whose code or note holds every word, or whose name in the catalogue does,
    in English or in Spanish ("personas capacitadas" finds `people_trained`)."""
    found = Q()
    for word in _words(text):
        named = StatementName.objects.filter(
            folded_contains("name_en", word) | folded_contains("name_es", word)
        ).values("code")
        found &= (
            folded_contains("metric", word) | folded_contains("note", word) | Q(metric__in=named)
        )
    return found


def search(typed: str, as_of: datetime.date, recorded_on: datetime.date | None = None) -> Results:
    """Everything public that matches `typed`, as of a date, grouped by kind."""
    wanted = tidy(typed)
    if not wanted.text:
        return Results(wanted)
    text = wanted.text
    partners = published.partners(as_of).filter(name_matching(text)).order_by("normalised_name")
    commitments = select_commitments(CommitmentFilter(q=text, as_of=as_of)).select_related(
        "partner"
    )
    rounds = published.rounds(as_of).filter(_all_words(("label", "label_es", "slug"), text))
    statements = (
        Record(recorded_on)
        .statements()
        .filter(_statements_matching(text), stated_on__lte=as_of)
        .order_by("-stated_on", "metric")
    )
    countries = _countries(text)
    on_day = {
        r.announced_on: r
        for r in published.rounds(as_of).filter(
            announced_on__in=[s.stated_on for s in statements[:SHOWN]]
        )
    }
    groups = (
        Group("partners", _("Partners"), _first(partners), partners.count()),
        Group("commitments", _("Commitments"), _first(commitments), commitments.count()),
        Group("rounds", _("Rounds"), _first(rounds.order_by("announced_on")), rounds.count()),
        Group("countries", _("Countries"), tuple(countries), len(countries)),
        Group(
            "statements",
            _("Official statements"),
            tuple((s, statement_name(s), on_day.get(s.stated_on)) for s in statements[:SHOWN]),
            statements.count(),
        ),
    )
    return Results(wanted, tuple(g for g in groups if g.count))


def _first(items: Any) -> tuple[Partner | Commitment | Round, ...]:
    return tuple(items[:SHOWN])

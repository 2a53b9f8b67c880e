"""Matching the partner named in a row to a partner the record knows, or planning a new one.

The rule (docs/import.md): the name as written is split into a main name and a short alias in
parentheses (`adelante.partners.naming.parse_name`): "Millicom (Tigo)" is "Millicom", also
known as "Tigo". Every form (as written, main name, alias) is normalised (case, accents,
punctuation and trailing legal-form words do not count), and a row matches the partner whose
name or one of whose aliases has one of those normalised forms. So a later "Nestlé (Nescafé)"
matches the partner "Nespresso" first imported as "Nespresso (Nestlé)", through its alias
"Nestlé". Forms not yet known are added as aliases of the matched partner. A row whose forms
match two different partners is an error. A row that matches nobody creates a partner named
by the main name, with the other forms as aliases.

Identifiers come first: a row that gives organisation identifiers (the optional column
`partner_identifiers`, checked by `adelante.partners.identifiers`) matches the partner that
holds one of them, whatever name it is written under (the names not yet known become its
aliases); it is an error if its identifiers belong to two partners, or if the name belongs to
another partner than the identifier. Identifiers not yet known are added to the partner
matched or created.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from adelante.exchange import cells
from adelante.exchange.problems import CellError
from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier
from adelante.partners.naming import normalise, parse_name
from adelante.partners.slugs import partner_slug

# A large file names the same partners again and again: their forms are worked out once.
_parsed = functools.lru_cache(maxsize=65536)(parse_name)
_normalised = functools.lru_cache(maxsize=65536)(normalise)

NAME_LENGTH = 300


@dataclass(eq=False)
class NewPartner:
    """A partner the import will create."""

    name: str
    normalised_name: str
    slug: str
    type: str
    line: int
    aliases: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)


AnyPartner = Partner | NewPartner


@dataclass(frozen=True)
class Match:
    """The partner a row names, and what the row teaches the record about it."""

    partner: AnyPartner
    matched_by: str | None
    """The name or alias (as first written) that matched a known partner; None if new."""
    new_aliases: tuple[str, ...] = ()
    """Aliases this row adds to the partner."""
    matched_identifier: str | None = None
    """The identifier that matched a known partner, if the match was by identifier."""
    new_identifiers: tuple[str, ...] = ()
    """Identifiers this row adds to the partner."""

    @property
    def is_new(self) -> bool:
        return isinstance(self.partner, NewPartner)

    @property
    def slug(self) -> str:
        return self.partner.slug

    @property
    def name(self) -> str:
        return self.partner.name


class PartnerDirectory:
    """The partners the database knows plus those the file creates, by normalised form."""

    def __init__(self) -> None:
        partners = {p.pk: p for p in Partner.objects.all()}
        self._by_key: dict[str, AnyPartner] = {p.normalised_name: p for p in partners.values()}
        self._written: dict[str, str] = {p.normalised_name: p.name for p in partners.values()}
        aliases = PartnerAlias.objects.values_list("normalised_name", "name", "partner_id")
        for key, name, partner_id in aliases:
            self._by_key.setdefault(key, partners[partner_id])
            self._written.setdefault(key, name)
        self._slugs = set(Partner.objects.values_list("slug", flat=True))
        self._by_identifier: dict[str, list[AnyPartner]] = {}
        for identifier, partner_id in PartnerIdentifier.objects.values_list(
            "identifier", "partner_id"
        ):
            self._by_identifier.setdefault(identifier, []).append(partners[partner_id])
        self.new_identifiers: dict[int, list[str]] = {}
        self._first_type: dict[int, tuple[str, int]] = {}
        self.new_partners: list[NewPartner] = []
        self.new_aliases: dict[int, list[str]] = {}
        self.type_changes: dict[int, str] = {}
        self._repeated: dict[tuple[str, tuple[str, ...]], Match] = {}

    def match(self, written: str, line: int, identifiers: tuple[str, ...] = ()) -> Match:
        """The partner this row names (the existing one, or a new one planned for the file).

        `identifiers`: the row's organisation identifiers, checked and canonical.
        """
        repeated = self._repeated.get((written, identifiers))
        if repeated is not None:
            return repeated
        if not written:
            raise CellError(_("empty; the partner's name is required"))
        cells.text(written, max_length=NAME_LENGTH)
        parsed = _parsed(written)
        forms = [
            (form, _normalised(form)) for form in (parsed.written, parsed.main, *parsed.aliases)
        ]
        if not any(key for _form, key in forms):
            raise CellError(_("“%(name)s” has no letters or digits") % {"name": written})
        by_identifier = self._match_identifiers(identifiers)
        found: dict[int, tuple[AnyPartner, str]] = {}
        for _form, key in forms:
            known = self._by_key.get(key)
            if known is not None and (id(known) not in found or key == known.normalised_name):
                # Prefer the partner's own name over one of its aliases, to report the match.
                found[id(known)] = (known, key)
        if len(found) > 1:
            names = sorted(f"“{partner.name}”" for partner, _key in found.values())
            raise CellError(
                _("the name matches two different partners, %(names)s; make it unambiguous")
                % {"names": _(" and ").join(names)}
            )
        if by_identifier is not None:
            partner, identifier = by_identifier
            if found and id(partner) not in found:
                ((other, _key),) = found.values()
                raise CellError(
                    _(
                        "the identifier %(identifier)s is “%(partner)s”'s, but the name is "
                        "“%(other)s”'s; if they are one organisation, merge them first"
                    )
                    % {"identifier": identifier, "partner": partner.name, "other": other.name}
                )
            added = self._learn_aliases(partner, forms)
            new_ids = self._learn_identifiers(partner, identifiers)
            match = Match(partner, partner.name, added, identifier, new_ids)
            if not added and not new_ids:
                self._repeated[(written, identifiers)] = match
            return match
        if found:
            ((partner, key),) = found.values()
            added = self._learn_aliases(partner, forms)
            new_ids = self._learn_identifiers(partner, identifiers)
            match = Match(partner, self._written[key], added, None, new_ids)
            if not added and not new_ids:
                # Every form is known now, and what a form names never changes: the same name
                # will match the same way on every later row.
                self._repeated[(written, identifiers)] = match
            return match
        # The main name names the new partner, unless it has no letters or digits of its own.
        main = parsed.main if _normalised(parsed.main) else next(f for f, key in forms if key)
        partner = self._plan(main, line)
        aliases = self._learn_aliases(partner, forms)
        return Match(partner, None, aliases, None, self._learn_identifiers(partner, identifiers))

    def _match_identifiers(self, identifiers: tuple[str, ...]) -> tuple[AnyPartner, str] | None:
        """The one partner that holds one of these identifiers, and which; None if nobody."""
        holders: dict[int, tuple[AnyPartner, str]] = {}
        for identifier in identifiers:
            for partner in self._by_identifier.get(identifier, ()):
                holders.setdefault(id(partner), (partner, identifier))
        if len(holders) > 1:
            names = sorted(f"“{partner.name}”" for partner, _id in holders.values())
            raise CellError(
                _(
                    "the identifiers belong to two different partners, %(names)s; if they "
                    "are one organisation, merge them first"
                )
                % {"names": _(" and ").join(names)}
            )
        return next(iter(holders.values()), None)

    def _learn_identifiers(
        self, partner: AnyPartner, identifiers: tuple[str, ...]
    ) -> tuple[str, ...]:
        added: list[str] = []
        for identifier in identifiers:
            holders = self._by_identifier.setdefault(identifier, [])
            if not any(h is partner for h in holders):
                holders.append(partner)
                added.append(identifier)
        if isinstance(partner, NewPartner):
            partner.identifiers.extend(added)
        elif added:
            self.new_identifiers.setdefault(partner.pk, []).extend(added)
        return tuple(added)

    def check_type(self, match: Match, partner_type: str, line: int) -> bool:
        """Whether this row changes the type of an existing partner.

        Raises CellError if an earlier row of the file gave the same partner another type.
        """
        partner = match.partner
        first = self._first_type.setdefault(id(partner), (partner_type, line))
        if first[0] != partner_type:
            raise CellError(
                _("%(type)s, but line %(line)d gave %(other)s for the same partner “%(name)s”")
                % {"type": partner_type, "line": first[1], "other": first[0], "name": partner.name}
            )
        if isinstance(partner, NewPartner):
            partner.type = partner_type
            return False
        if first[1] == line and partner.type != partner_type:
            self.type_changes[partner.pk] = partner_type
            return True
        return False

    def _learn_aliases(self, partner: AnyPartner, forms: list[tuple[str, str]]) -> tuple[str, ...]:
        added: list[str] = []
        for form, key in forms:
            if key and key not in self._by_key:
                self._by_key[key] = partner
                self._written[key] = form
                added.append(form)
        if isinstance(partner, NewPartner):
            partner.aliases.extend(added)
        elif added:
            self.new_aliases.setdefault(partner.pk, []).extend(added)
        return tuple(added)

    def _plan(self, main: str, line: int) -> NewPartner:
        key = _normalised(main)
        partner = NewPartner(
            name=main, normalised_name=key, slug=self._unique_slug(main), type="", line=line
        )
        self._by_key[key] = partner
        self._written[key] = main
        self.new_partners.append(partner)
        return partner

    def _unique_slug(self, name: str) -> str:
        slug = partner_slug(name, self._slugs.__contains__)
        self._slugs.add(slug)
        return slug

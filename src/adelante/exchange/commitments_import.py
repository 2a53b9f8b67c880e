"""`import_commitments`: a commitments file (CSV or XLSX) into the record, all or nothing.

Each row is one commitment, identified by its reference: the round's slug and the partner's
slug, with "-2", "-3" … for a second or third row of the same partner in the same round of the
file. Importing a file again changes only what the file changes (docs/import.md).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.utils.text import slugify
from django.utils.translation import gettext as _

from adelante import history
from adelante.bilingual import Language, TranslationState, set_texts
from adelante.commitments.choices import Relation
from adelante.commitments.geography import (
    country_rows,
    foreign_countries,
    foreign_message,
    set_countries,
)
from adelante.commitments.models import Commitment, CountryShare, Round, Source
from adelante.errors import NotAllowed, ServiceError
from adelante.exchange.commitment_rows import (
    BILINGUAL_COLUMNS,
    COLUMNS,
    CommitmentRow,
    RowReader,
    resolve_qualifier,
)
from adelante.exchange.counting import CHECKED, WRITTEN, counted
from adelante.exchange.focus import focus_keywords, match_focus
from adelante.exchange.loading import ReadOptions, load_table
from adelante.exchange.partner_matching import NewPartner, PartnerDirectory
from adelante.exchange.problems import Problems
from adelante.exchange.readers import Table
from adelante.exchange.results import ImportResult, Outcome, RowOutcome
from adelante.exchange.round_matching import NewRound, RoundDirectory
from adelante.exchange.saving import (
    collector_paused,
    differences,
    import_reason,
    planned,
    save_with_reason,
    update,
)
from adelante.initiatives.scope import default_initiative_id
from adelante.partners.editing import check_identifier_editor
from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier
from adelante.partners.naming import normalise
from adelante.partners.orgid import scheme_of
from adelante.workflow import lifecycle

REFERENCE_LENGTH = 200
#: Text that `slugify` returns unchanged: lower-case ASCII letters and digits in words joined
#: by single hyphens or underscores.
_PLAIN_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")
#: A large file names the same partners again and again.
_normalised = functools.lru_cache(maxsize=65536)(normalise)
#: A recorded commitment's fields that only `workflow.lifecycle` changes.
LIFECYCLE = ("status", "withdrawn_on")
#: References looked up per query (databases limit the parameters of one query).
LOOKUP_BATCH = 500


def _scheme(identifier: str) -> str:
    """The scheme of a checked identifier (the row's check found it)."""
    found = scheme_of(identifier)
    assert found is not None, identifier
    return found.code


def _known(user: User | None) -> User | None:
    """The user to name in history rows: a stored account, or nobody."""
    return user if user is not None and user.pk is not None else None


def import_commitments(
    path: Path | str,
    *,
    dry_run: bool = False,
    progress: bool = False,
    name: str | None = None,
    reason: str | None = None,
    user: User | None = None,
    options: ReadOptions | None = None,
) -> ImportResult:
    """Import a commitments file. Raises ImportRejected, having written nothing, if any row
    has a problem. With `dry_run`, works out what would change and writes nothing.

    `user`: who imports (the web import's); None for the command line. A change of a recorded
    commitment's status goes through `workflow.lifecycle.change_status`, as on the status page.
    """
    path = Path(path)
    with collector_paused():
        table = load_table(path, columns=COLUMNS, file=name, sheet="commitments", options=options)
        reason = import_reason(path, name, reason)
        plan = planned(
            lambda: _plan(table, progress, user, reason),
            lambda plan: plan.apply(reason, progress),
            dry_run=dry_run,
        )
        return plan.result(dry_run=dry_run)


def _stored(references: list[str]) -> set[str]:
    """Which of these references the record has, in one query whatever their number (the
    list goes as one parameter: an array on PostgreSQL, a JSON array on SQLite)."""
    if not references:
        return set()
    table = connection.ops.quote_name(Commitment._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SELECT reference FROM {table} WHERE reference = ANY(%s)", [references])
        else:
            cursor.execute(
                f"SELECT reference FROM {table} WHERE reference IN "
                "(SELECT value FROM json_each(%s))",
                [json.dumps(references)],
            )
        return {reference for (reference,) in cursor.fetchall()}


def _plan(table: Table, progress: bool, user: User | None, reason: str) -> Plan:
    problems = Problems(table.file)
    COLUMNS.check(table, problems)
    problems.raise_if_any()
    problems.extend(table.problems)
    reader = RowReader(table, problems)
    rows = [
        read
        for row in counted(
            table.rows, stage=CHECKED, desc=_("Checking"), unit=_("rows"), progress=progress
        )
        if (read := reader.read(row)) is not None
    ]
    problems.raise_if_any()
    plan = Plan(table, reader.partners, reader.rounds, user=user, reason=reason)
    plan.add(rows, problems)
    problems.raise_if_any()
    return plan


@dataclass
class CommitmentPlan:
    """What to write for one row."""

    row: CommitmentRow
    reference: str
    existing: Commitment | None
    values: dict[str, Any] = field(default_factory=dict)
    """Plain fields (attribute names) to set, only those that change for an existing one."""
    round_changes: bool = False
    relates_to: str | None = None
    relates_to_changes: bool = False
    shares: dict[str, Decimal | None] = field(default_factory=dict)
    countries_change: bool = False
    add_source: bool = False
    focus_areas: set[int] | None = None
    """Focus areas to set, when they change."""
    changes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def status_changes(self) -> bool:
        """The row changes a recorded commitment's status or withdrawal date."""
        return self.existing is not None and bool(set(self.values) & set(LIFECYCLE))

    @property
    def outcome(self) -> Outcome:
        if self.existing is None:
            return Outcome.NEW
        return Outcome.CHANGED if self.changes else Outcome.UNCHANGED


class Plan:
    """Every write the file calls for, worked out before anything is written."""

    def __init__(
        self,
        table: Table,
        partners: PartnerDirectory,
        rounds: RoundDirectory,
        *,
        user: User | None = None,
        reason: str = "",
    ) -> None:
        self.table = table
        self.partners = partners
        self.rounds = rounds
        self.user = user
        self.reason = reason
        self.commitments: list[CommitmentPlan] = []
        self._focus_keywords = focus_keywords()
        #: The focus areas of each focus text met so far (a large file repeats them).
        self._focus: dict[str, frozenset[int]] = {}
        #: The initiative the file is imported into (the one in scope).
        self._initiative = default_initiative_id()

    # Planning

    def add(self, rows: list[CommitmentRow], problems: Problems) -> None:
        references = self._references(rows)
        existing: dict[str, Commitment] = {}
        stored = _stored(references)
        known = [r for r in references if r in stored]
        for start in range(0, len(known), LOOKUP_BATCH):
            batch = known[start : start + LOOKUP_BATCH]
            found_batch = (
                Commitment.objects.filter(reference__in=batch)
                .select_related("partner", "relates_to")
                .prefetch_related("countries", "sources", "focus_areas")
            )
            existing.update((c.reference, c) for c in found_batch)
        seen: dict[str, int] = {}
        for row, reference in zip(rows, references, strict=True):
            if reference in seen:
                problems.add(
                    row.line,
                    "partner",
                    _("this row has the same reference (%(reference)s) as line %(line)d")
                    % {"reference": reference, "line": seen[reference]},
                )
                continue
            seen[reference] = row.line
            found = existing.get(reference)
            partner = row.match.partner
            if found is not None and (
                isinstance(partner, NewPartner) or found.partner_id != partner.pk
            ):
                problems.add(
                    row.line,
                    "partner",
                    _("the reference %(reference)s already belongs to a commitment of “%(other)s”")
                    % {"reference": reference, "other": found.partner.name},
                )
                continue
            if found is not None and found.initiative_id != self._initiative:
                problems.add(
                    row.line,
                    "reference",
                    _("the reference %(reference)s is a commitment of another initiative")
                    % {"reference": reference},
                )
                continue
            plan = self._plan_row(row, reference, found)
            not_yours = self._identifiers_refused(row)
            if not_yours is not None:
                problems.add(row.line, "partner_identifiers", not_yours)
                continue
            if found is not None and plan.status_changes:
                try:
                    lifecycle.check_status_change(
                        user=self.user,
                        commitment=found,
                        status=row.status,
                        withdrawn_on=row.withdrawn_on,
                        reason=self.reason,
                    )
                except ServiceError as refused:
                    problems.add(row.line, "status", refused.message)
                    continue
            self.commitments.append(plan)
        self._relate(problems)

    def _identifiers_refused(self, row: CommitmentRow) -> str | None:
        """Why the importing user may not add the identifiers the row adds, or None: the
        same rule as adding one in the admin or the API (`partners.editing`), so a reviewer's
        import does not add what a reviewer may not add by hand. A command run on the server
        (no user) may."""
        if self.user is None or not row.match.new_identifiers:
            return None
        try:
            check_identifier_editor(self.user, adding=True)
        except NotAllowed as refused:
            return refused.message
        return None

    def _references(self, rows: list[CommitmentRow]) -> list[str]:
        counts: Counter[tuple[int, int]] = Counter()
        bases: dict[tuple[int, int], str] = {}
        references = []
        for row in rows:
            key = (id(row.round), id(row.match.partner))
            counts[key] += 1
            if row.reference:
                # The file names the commitment (a bulk download does): that is its identity.
                references.append(row.reference)
                continue
            base = bases.get(key)
            if base is None:
                joined = f"{row.round.slug}-{row.match.slug}"
                # Two slugs joined are mostly a slug already, which slugify leaves as it is.
                base = joined if _PLAIN_SLUG.fullmatch(joined) else slugify(joined)
                base = bases[key] = base[: REFERENCE_LENGTH - 4].strip("-")
            references.append(base if counts[key] == 1 else f"{base}-{counts[key]}")
        return references

    def _plan_row(
        self, row: CommitmentRow, reference: str, found: Commitment | None
    ) -> CommitmentPlan:
        table = self.table
        plan = CommitmentPlan(row, reference, found)
        values: dict[str, Any] = {
            "announced_on": row.announced_on,
            "summary": row.summary,
            "focus_text": row.focus_text,
            "amount": row.amount,
            "currency": row.currency,
            "amount_usd": row.amount_usd,
            "exchange_rate_id": row.exchange_rate.pk if row.exchange_rate else None,
        }
        if table.has("qualifier"):
            values["qualifier"] = row.qualifier
        else:
            current = found.qualifier if found else None
            values["qualifier"] = resolve_qualifier(current, row.amount_usd is not None)
        # Optional columns: a column the file does not have leaves the field as it is.
        if found is None or table.has("title"):
            values["title"] = row.title
        if found is None or table.has("kind"):
            values["kind"] = row.kind
        if found is None or table.has("relation"):
            values["relation"] = row.relation
        if found is None or table.has("status") or table.has("withdrawn_on"):
            values["status"] = row.status
            values["withdrawn_on"] = row.withdrawn_on
        if any(table.has(column) for column in BILINGUAL_COLUMNS):
            values.update(_languages(row, found, values))
        if found is None:
            plan.values = values
        else:
            changed = differences(found, values)
            plan.values = {name: values[name] for name in changed}
            plan.changes.extend(name.removesuffix("_id") for name in changed)
            plan.round_changes = isinstance(row.round, NewRound) or found.round_id != row.round.pk
            if plan.round_changes:
                plan.changes.append("round")
        self._plan_countries(plan, found)
        self._plan_source(plan, found)
        self._plan_focus(plan, found)
        self._plan_partner(plan)
        return plan

    def _plan_countries(self, plan: CommitmentPlan, found: Commitment | None) -> None:
        row = plan.row
        if row.shares is not None:
            shares: dict[str, Decimal | None] = dict(row.shares)
        elif found is not None and not self.table.has("shares"):
            # No shares column: shares stated earlier stay while the countries stay the same.
            stored = {c.country: c.share_percent for c in found.countries.all()}
            same = set(stored) == set(row.countries)
            shares = {c: stored[c] if same else None for c in row.countries}
        else:
            shares = dict.fromkeys(row.countries)
        plan.shares = shares
        if found is None:
            plan.countries_change = True
            return
        wanted = country_rows(row.amount_usd, shares)
        stored_rows = {c.country: (c.share_percent, c.amount_usd) for c in found.countries.all()}
        plan.countries_change = wanted != stored_rows
        if plan.countries_change:
            plan.changes.append("countries")

    def _plan_source(self, plan: CommitmentPlan, found: Commitment | None) -> None:
        url = plan.row.source_url
        if not url:
            return
        plan.add_source = found is None or url not in {s.url for s in found.sources.all()}
        if found is not None and plan.add_source:
            plan.changes.append("sources")

    def _plan_focus(self, plan: CommitmentPlan, found: Commitment | None) -> None:
        """Focus areas follow the focus text when it is new or changes; otherwise staff's
        choice of focus areas stays."""
        if found is not None and found.focus_text == plan.row.focus_text:
            return
        text = plan.row.focus_text
        if text not in self._focus:
            self._focus[text] = frozenset(match_focus(text, self._focus_keywords))
        wanted = set(self._focus[text])
        if found is None:
            plan.focus_areas = wanted
        elif wanted != {a.pk for a in found.focus_areas.all()}:
            plan.focus_areas = wanted
            plan.changes.append("focus_areas")

    def _plan_partner(self, plan: CommitmentPlan) -> None:
        match = plan.row.match
        partner = match.partner
        aliases = ", ".join(f"“{a}”" for a in match.new_aliases)
        identifiers = ", ".join(match.new_identifiers)
        if match.matched_by is None:
            plan.notes.append(
                _("new partner “%(name)s”") % {"name": partner.name}
                + (_(" with aliases %(aliases)s") % {"aliases": aliases} if aliases else "")
                + (
                    _(" with identifiers %(identifiers)s") % {"identifiers": identifiers}
                    if identifiers
                    else ""
                )
            )
            return
        if match.matched_identifier is not None:
            plan.notes.append(
                _("partner “%(name)s”, matched by its identifier %(identifier)s")
                % {"name": partner.name, "identifier": match.matched_identifier}
            )
        elif _normalised(match.matched_by) != partner.normalised_name:
            plan.notes.append(
                _("partner “%(name)s”, matched through its alias “%(alias)s”")
                % {"name": partner.name, "alias": match.matched_by}
            )
        if aliases:
            plan.notes.append(
                _("adds aliases %(aliases)s to “%(name)s”")
                % {"aliases": aliases, "name": partner.name}
            )
            if plan.existing is not None:
                plan.changes.append("partner aliases")
        if identifiers:
            plan.notes.append(
                _("adds identifiers %(identifiers)s to “%(name)s”")
                % {"identifiers": identifiers, "name": partner.name}
            )
            if plan.existing is not None:
                plan.changes.append("partner identifiers")
        if plan.row.partner_type_changes and isinstance(partner, Partner):
            plan.notes.append(
                _("changes the type of “%(name)s” from %(old)s to %(new)s")
                % {
                    "name": partner.name,
                    "old": partner.type,
                    "new": self.partners.type_changes[partner.pk],
                }
            )
            if plan.existing is not None:
                plan.changes.append("partner type")

    def _relate(self, problems: Problems) -> None:
        """An increase or restatement relates to the same partner's latest earlier commitment."""
        relating = [p for p in self.commitments if p.existing is None or self.table.has("relation")]
        relating = [p for p in relating if p.row.relation != Relation.NEW]
        timeline = self._timelines(relating)
        for plan in relating:
            earlier = [
                (day, reference)
                for day, reference in timeline[id(plan.row.match.partner)]
                if day < plan.row.announced_on
            ]
            if not earlier:
                problems.add(
                    plan.row.line,
                    "relation",
                    _("%(relation)s, but “%(partner)s” has no earlier commitment")
                    % {"relation": plan.row.relation, "partner": plan.row.match.name},
                )
                continue
            plan.relates_to = max(earlier)[1]
            current = (
                plan.existing.relates_to.reference
                if plan.existing and plan.existing.relates_to
                else None
            )
            plan.relates_to_changes = plan.existing is None or current != plan.relates_to
            if plan.existing is not None and plan.relates_to_changes:
                plan.changes.append("relates_to")
        for plan in self.commitments:
            if (
                plan.existing is not None
                and self.table.has("relation")
                and plan.row.relation == Relation.NEW
            ):
                plan.relates_to_changes = plan.existing.relates_to_id is not None
                if plan.relates_to_changes:
                    plan.changes.append("relates_to")

    def _timelines(
        self, relating: Iterable[CommitmentPlan]
    ) -> dict[int, list[tuple[datetime.date, str]]]:
        """(date, reference) of each partner's commitments, as they will stand after import."""
        wanted = {id(p.row.match.partner): p.row.match.partner for p in relating}
        timeline: dict[int, list[tuple[datetime.date, str]]] = defaultdict(list)
        in_file = {p.reference for p in self.commitments}
        for plan in self.commitments:
            if id(plan.row.match.partner) in wanted:
                timeline[id(plan.row.match.partner)].append((plan.row.announced_on, plan.reference))
        by_pk = {p.pk: key for key, p in wanted.items() if isinstance(p, Partner)}
        stored = Commitment.objects.filter(partner_id__in=by_pk, announced_on__isnull=False)
        for partner_id, reference, day in stored.values_list(
            "partner_id", "reference", "announced_on"
        ):
            if day is not None and reference not in in_file:
                timeline[by_pk[partner_id]].append((day, reference))
        return timeline

    # Writing

    def apply(self, reason: str, progress: bool, *, in_bulk: bool = True) -> None:
        """Write the plan. New partners, aliases, rounds and new commitments that relate to no
        other are written in bulk with their history (`history.insert`: the same rows and
        history rows as one by one, which `in_bulk=False` does, for the tests to compare);
        changes, relations and status changes one by one, in date order."""
        self._hold_countries()
        with history.change(reason=reason, user=self.user):
            self._apply(reason, progress, in_bulk)

    def _hold_countries(self) -> None:
        """Lock the initiative's row (`geography.foreign_countries`) and check again, under
        the lock, that every country a row adds is still one of its: a country removed from
        the initiative since the file was checked refuses the rows that name it, nothing
        written."""
        adding = [
            p for p in self.commitments if p.shares and (p.existing is None or p.countries_change)
        ]
        foreign = set(
            foreign_countries(self._initiative, {code for p in adding for code in p.shares})
        )
        if not foreign:
            return
        problems = Problems(self.table.file)
        for plan in adding:
            named = sorted(foreign & {code.upper() for code in plan.shares})
            if named:
                problems.add(plan.row.line, "countries", foreign_message(named))
        problems.raise_if_any()

    def _apply(self, reason: str, progress: bool, in_bulk: bool) -> None:
        partners = self._write_partners(reason, in_bulk)
        rounds = self._write_rounds(reason, in_bulk)
        written: dict[str, int] = {}
        ordered = sorted(self.commitments, key=lambda p: (p.row.announced_on, p.row.line))
        if in_bulk:
            new = [p for p in ordered if p.existing is None and p.relates_to is None]
            written.update(self._write_new(new, partners, rounds, reason))
        one_by_one = [
            p for p in ordered if p.outcome != Outcome.UNCHANGED and p.reference not in written
        ]
        for plan in counted(
            one_by_one, stage=WRITTEN, desc=_("Importing"), unit=_("rows"), progress=progress
        ):
            written[plan.reference] = self._write_commitment(
                plan, partners, rounds, written, reason
            )

    def _write_partners(self, reason: str, in_bulk: bool) -> dict[int, int]:
        """New partners with their aliases, and aliases and types of known partners; returns
        the new partners' ids (by `id()` of their plan)."""
        user = _known(self.user)
        new = self.partners.new_partners
        if in_bulk:
            ids = history.insert(
                Partner,
                [
                    {
                        "name": n.name,
                        "slug": n.slug,
                        "normalised_name": n.normalised_name,
                        "type": n.type,
                    }
                    for n in new
                ],
                user=user,
                reason=reason,
            )
            aliases = [
                {"partner_id": pk, "name": name, "normalised_name": normalise(name)}
                for planned_partner, pk in zip(new, ids, strict=True)
                for name in planned_partner.aliases
            ]
            history.insert(PartnerAlias, aliases, user=user, reason=reason)
            history.insert(
                PartnerIdentifier,
                [
                    {"partner_id": pk, "identifier": identifier, "scheme": _scheme(identifier)}
                    for planned_partner, pk in zip(new, ids, strict=True)
                    for identifier in planned_partner.identifiers
                ],
                user=user,
                reason=reason,
            )
        else:
            ids = []
            for n in new:
                partner = Partner(
                    name=n.name, slug=n.slug, normalised_name=n.normalised_name, type=n.type
                )
                save_with_reason(partner, reason)
                self._write_aliases(partner.pk, n.aliases, reason)
                self._write_identifiers(partner.pk, n.identifiers, reason)
                ids.append(partner.pk)
        for partner in Partner.objects.filter(
            pk__in=set(self.partners.new_aliases)
            | set(self.partners.type_changes)
            | set(self.partners.new_identifiers)
        ):
            self._write_aliases(partner.pk, self.partners.new_aliases.get(partner.pk, []), reason)
            self._write_identifiers(
                partner.pk, self.partners.new_identifiers.get(partner.pk, []), reason
            )
            if partner.pk in self.partners.type_changes:
                update(partner, {"type": self.partners.type_changes[partner.pk]}, reason)
        return {id(n): pk for n, pk in zip(new, ids, strict=True)}

    @staticmethod
    def _write_aliases(partner_id: int, names: Iterable[str], reason: str) -> None:
        for name in names:
            alias = PartnerAlias(partner_id=partner_id, name=name, normalised_name=normalise(name))
            save_with_reason(alias, reason)

    @staticmethod
    def _write_identifiers(partner_id: int, identifiers: Iterable[str], reason: str) -> None:
        for identifier in identifiers:
            row = PartnerIdentifier(
                partner_id=partner_id, identifier=identifier, scheme=_scheme(identifier)
            )
            save_with_reason(row, reason)

    def _write_rounds(self, reason: str, in_bulk: bool) -> dict[int, int]:
        """New rounds; returns their ids (by `id()` of their plan)."""
        new = self.rounds.new_rounds
        # The initiative in scope, looked up once (not once per row).
        initiative = {"initiative_id": default_initiative_id()}
        values = [{**_round_values(n), **initiative} for n in new]
        if in_bulk:
            ids = history.insert(Round, values, user=_known(self.user), reason=reason)
        else:
            made = [Round(**v) for v in values]
            for the_round in made:
                save_with_reason(the_round, reason)
            ids = [r.pk for r in made]
        return {id(n): pk for n, pk in zip(new, ids, strict=True)}

    def _write_new(
        self,
        plans: list[CommitmentPlan],
        partners: dict[int, int],
        rounds: dict[int, int],
        reason: str,
    ) -> dict[str, int]:
        """New commitments, their country rows, sources and focus areas, each table written in
        bulk with its history rows (`history.insert`): the same rows and history as one by one.
        Returns their ids by reference."""
        user = _known(self.user)
        initiative = default_initiative_id()
        ids = history.insert(
            Commitment,
            [
                {
                    "initiative_id": initiative,
                    "reference": plan.reference,
                    "partner_id": self._partner_id(plan, partners),
                    "round_id": self._round_id(plan, rounds),
                    **plan.values,
                }
                for plan in plans
            ],
            user=user,
            reason=reason,
            # As `focus_areas.set(...)` after the save: the links, and a "changed" history row.
            links={"focus_areas": [sorted(plan.focus_areas or ()) for plan in plans]},
        )
        shares: list[dict[str, Any]] = []
        sources: list[dict[str, Any]] = []
        for plan, pk in zip(plans, ids, strict=True):
            for country, (share, part) in country_rows(plan.row.amount_usd, plan.shares).items():
                shares.append(
                    {
                        "commitment_id": pk,
                        "country": country,
                        "share_percent": share,
                        "amount_usd": part,
                    }
                )
            if plan.add_source:
                sources.append({"commitment_id": pk, "url": plan.row.source_url})
        history.insert(CountryShare, shares, user=user, reason=reason)
        history.insert(Source, sources, user=user, reason=reason)
        return {plan.reference: pk for plan, pk in zip(plans, ids, strict=True)}

    @staticmethod
    def _partner_id(plan: CommitmentPlan, partners: dict[int, int]) -> int:
        partner = plan.row.match.partner
        return partners[id(partner)] if isinstance(partner, NewPartner) else partner.pk

    @staticmethod
    def _round_id(plan: CommitmentPlan, rounds: dict[int, int]) -> int:
        the_round = plan.row.round
        return rounds[id(the_round)] if isinstance(the_round, NewRound) else the_round.pk

    def _write_commitment(
        self,
        plan: CommitmentPlan,
        partners: dict[int, int],
        rounds: dict[int, int],
        written: dict[str, int],
        reason: str,
    ) -> int:
        row = plan.row
        commitment = plan.existing or Commitment(
            reference=plan.reference, partner_id=self._partner_id(plan, partners)
        )
        # A recorded commitment's status changes through the workflow, after its other fields.
        values = {
            k: v for k, v in plan.values.items() if not (plan.status_changes and k in LIFECYCLE)
        }
        fields = list(values)
        for name, value in values.items():
            setattr(commitment, name, value)
        if plan.existing is None or plan.round_changes:
            commitment.round_id = self._round_id(plan, rounds)
            fields.append("round")
        if plan.relates_to_changes:
            target = None
            if plan.relates_to is not None:
                target = written.get(plan.relates_to) or Commitment.objects.values_list(
                    "pk", flat=True
                ).get(reference=plan.relates_to)
            commitment.relates_to_id = target
            fields.append("relates_to")
        if plan.existing is None:
            save_with_reason(commitment, reason)
        elif fields:
            save_with_reason(commitment, reason, fields)
        if plan.countries_change:
            set_countries(commitment, plan.shares, reason=reason)
        if plan.add_source:
            save_with_reason(Source(commitment=commitment, url=row.source_url), reason)
        if plan.focus_areas is not None:
            with history.change(reason=reason, user=self.user):
                commitment.focus_areas.set(sorted(plan.focus_areas))
        if plan.status_changes:
            commitment = lifecycle.change_status(
                user=self.user,
                commitment=commitment,
                status=row.status,
                withdrawn_on=row.withdrawn_on,
                reason=reason,
            )
        return commitment.pk

    # Reporting

    def result(self, *, dry_run: bool) -> ImportResult:
        rows = tuple(
            RowOutcome(
                line=p.row.line,
                key=p.reference,
                outcome=p.outcome,
                changes=tuple(p.changes) if p.existing is not None else (),
                notes=tuple(p.notes) + self._round_note(p),
            )
            for p in self.commitments
        )
        return ImportResult.of(
            self.table,
            dry_run=dry_run,
            rows=rows,
            also_created=(
                ("partners", len(self.partners.new_partners)),
                ("rounds", len(self.rounds.new_rounds)),
            ),
        )

    @staticmethod
    def _round_note(plan: CommitmentPlan) -> tuple[str, ...]:
        the_round = plan.row.round
        if isinstance(the_round, NewRound) and the_round.line == plan.row.line:
            return (_("new round “%(label)s”") % {"label": the_round.label},)
        return ()


def _languages(
    row: CommitmentRow, found: Commitment | None, values: dict[str, Any]
) -> dict[str, str]:
    """The Spanish columns, the language written in and the translation state that follows
    (`bilingual.set_texts`, the one door for text in both languages), for a file that says
    anything about them."""
    # A scratch record, never saved: its initiative is given (None) so that its default, the
    # initiative in scope, is not looked up once per row.
    record = Commitment(
        initiative_id=None,
        written_in=row.written_in or (found.written_in if found else Language.EN),
        translation_state=found.translation_state if found else TranslationState.MISSING,
    )
    for english, spanish in Commitment.BILINGUAL_FIELDS:
        setattr(record, english, values.get(english, getattr(found, english, "")))
        setattr(record, spanish, getattr(found, spanish, "") if found else "")
    set_texts(record, dict(row.spanish), translator=row.translator or TranslationState.STAFF)
    fields = [spanish for _english, spanish in Commitment.BILINGUAL_FIELDS]
    return {name: getattr(record, name) for name in (*fields, "written_in", "translation_state")}


def _round_values(new: NewRound) -> dict[str, Any]:
    """A new round's fields, its Spanish label and translation state included."""
    the_round = Round(  # a scratch round, never saved: no initiative looked up for it
        initiative_id=None, label=new.label, slug=new.slug, announced_on=new.announced_on
    )
    set_texts(the_round, {"label_es": new.label_es}, translator=TranslationState.STAFF)
    return {
        "label": new.label,
        "slug": new.slug,
        "announced_on": new.announced_on,
        "label_es": the_round.label_es,
        "translation_state": the_round.translation_state,
    }

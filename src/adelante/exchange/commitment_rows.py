"""The rows of a commitments file: their columns, and each row checked and read into values."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from adelante.bilingual import Language, TranslationState
from adelante.commitments import rules, withdrawal
from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate
from adelante.exchange import cells
from adelante.exchange.columns import Columns
from adelante.exchange.partner_matching import Match, PartnerDirectory
from adelante.exchange.problems import CellError, Problems
from adelante.exchange.readers import Row, Table
from adelante.exchange.round_matching import AnyRound, NewRound, RoundDirectory
from adelante.initiatives import scope
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.identifiers import IdentifierError, check_identifiers, split_identifiers
from adelante.partners.models import PartnerType

USD = "USD"

COLUMNS = Columns(
    required=(
        "partner",
        "partner_type",
        "announced_on",
        "round",
        "amount_usd",
        "countries",
        "focus",
        "summary",
        "source_url",
    ),
    optional=(
        "reference",
        "relation",
        "amount",
        "currency",
        "qualifier",
        "kind",
        "title",
        "status",
        "withdrawn_on",
        "shares",
        # Text in both languages (docs/import.md): the columns above are the English text.
        *("round_es", "title_es", "summary_es", "focus_es", "written_in", "translation_state"),
        "partner_identifiers",
        # The initiative's slug, as downloads write it: the file's initiative must be the one
        # it is imported into.
        "initiative",
    ),
    numbers=("amount_usd", "amount"),
    dollars=("amount_usd",),
    dates=("announced_on", "withdrawn_on"),
    totals=("amount_usd",),
)

# The choices of each column, worked out once (a large file asks for them on every row).
_PARTNER_TYPES = tuple(PartnerType.values)
_RELATIONS = tuple(Relation.values)
_KINDS = tuple(MoneyKind.values)
_QUALIFIERS = tuple(AmountQualifier.values)
_STATUSES = tuple(Status.values)

#: Columns of text in Spanish, with the field each fills.
SPANISH_COLUMNS = {"title_es": "title_es", "summary_es": "summary_es", "focus_es": "focus_text_es"}
#: The columns that say anything about a row's languages.
BILINGUAL_COLUMNS = (*SPANISH_COLUMNS, "written_in", "translation_state")
ROUND_LABEL_LENGTH = 200
_LANGUAGES = tuple(Language.values)
_TRANSLATORS = (TranslationState.ORIGINAL, TranslationState.STAFF)

#: Qualifiers that go with an amount; "undisclosed" is the one that goes without.
WITH_AMOUNT = tuple(q for q in AmountQualifier.values if q != AmountQualifier.UNDISCLOSED)

T = TypeVar("T")


@dataclass(frozen=True)
class CommitmentRow:
    """A commitments row whose every cell is acceptable, as typed values."""

    line: int
    match: Match
    partner_type_changes: bool
    round: AnyRound
    announced_on: datetime.date
    amount: Decimal | None
    currency: str
    amount_usd: Decimal | None
    exchange_rate: ExchangeRate | None
    qualifier: str
    """As stated, or the default for the amount (exact, or undisclosed without an amount)."""
    countries: tuple[str, ...]
    shares: dict[str, Decimal] | None
    """Percentages by country, if the row states them."""
    focus_text: str
    summary: str
    source_url: str
    relation: str
    kind: str
    title: str
    status: str
    withdrawn_on: datetime.date | None
    reference: str = ""
    """As the file states it (a bulk download does); empty: made from the round and partner."""
    spanish: tuple[tuple[str, str], ...] = ()
    """(field, text) for each Spanish column the file has."""
    written_in: str = ""
    """"en" or "es" as the file states it; empty: as it is (English for a new commitment)."""
    translator: str = ""
    """Who wrote the other language (original, staff), as the file states it; empty: staff."""


#: Stands for the row's amount where only its presence matters to the rule.
SOME_AMOUNT = Decimal(1)


def default_qualifier(has_amount: bool) -> str:
    return AmountQualifier.EXACT if has_amount else AmountQualifier.UNDISCLOSED


def resolve_qualifier(current: str | None, has_amount: bool) -> str:
    """The qualifier to keep when the file has no qualifier column.

    The current one stays if it still fits (an amount, or none for undisclosed); otherwise the
    default for the amount applies.
    """
    if current is not None and (current == AmountQualifier.UNDISCLOSED) != has_amount:
        return current
    return default_qualifier(has_amount)


class RowReader:
    """Checks the rows of one commitments file; problems are collected, not raised."""

    def __init__(self, table: Table, problems: Problems) -> None:
        self.table = table
        self.problems = problems
        self.partners = PartnerDirectory()
        self.rounds = RoundDirectory()
        # The initiative in scope takes the file's rows: its countries are the ones a row may name.
        initiative = scope.initiative_or_primary()
        self.countries = initiative.country_codes()
        self.initiative = initiative.slug
        self._rates: dict[tuple[str, datetime.date], ExchangeRate | None] = {}
        self._columns = set(table.columns)
        self._empty: dict[str, Any] = {}

    def read(self, row: Row) -> CommitmentRow | None:
        before = len(self.problems)
        partner_type = self._cell(row, "partner_type", _partner_type)
        identifiers = self._optional(row, "partner_identifiers", _identifiers)
        match = None
        if identifiers is not None:
            match = self._cell(
                row, "partner", lambda v: self.partners.match(v, row.line, identifiers)
            )
        type_changes = False
        if match is not None and partner_type is not None:
            type_changes = bool(
                self._cell(
                    row,
                    "partner_type",
                    lambda _v: self.partners.check_type(match, partner_type, row.line),
                )
            )
        announced_on = self._cell(row, "announced_on", cells.day)
        the_round = None
        if announced_on is not None:
            the_round = self._cell(
                row, "round", lambda v: self.rounds.get(announced_on, v, row.line)
            )
        round_es = self._optional(row, "round_es", _round_es)
        if isinstance(the_round, NewRound) and round_es and not the_round.label_es:
            # A new round takes its Spanish label from the file; a known round keeps its own
            # (the admin and the translations file change it).
            the_round.label_es = round_es
        money = self._money(row, announced_on)
        qualifier = self._qualifier(row, money is not None and money[2] is not None)
        self._optional(row, "initiative", lambda v: cells.initiative(v, self.initiative))
        countries = self._cell(row, "countries", lambda v: cells.countries(v, self.countries))
        shares = None
        if countries is not None and row.get("shares"):
            shares = self._cell(row, "shares", lambda v: cells.shares(v, countries))
        focus_text = self._cell(row, "focus", lambda v: cells.text(v, max_length=300))
        source_url = self._cell(row, "source_url", lambda v: cells.url(v, required=False))
        relation = self._optional(row, "relation", _relation)
        kind = self._optional(row, "kind", _kind)
        title = self._optional(row, "title", _title)
        lifecycle = self._lifecycle(row, announced_on)
        reference = self._optional(row, "reference", _reference)
        spanish = tuple(
            (field, self._cell(row, column, _spanish_text(column)) or "")
            for column, field in SPANISH_COLUMNS.items()
            if column in self._columns
        )
        written_in = self._optional(row, "written_in", _written_in)
        translator = self._optional(row, "translation_state", _translator)
        if len(self.problems) > before:
            return None
        assert match is not None and the_round is not None and announced_on is not None
        assert money is not None and qualifier is not None and countries is not None
        assert focus_text is not None and source_url is not None and relation is not None
        assert kind is not None and title is not None and lifecycle is not None
        amount, currency, amount_usd, rate = money
        return CommitmentRow(
            line=row.line,
            match=match,
            partner_type_changes=type_changes,
            round=the_round,
            announced_on=announced_on,
            amount=amount,
            currency=currency,
            amount_usd=amount_usd,
            exchange_rate=rate,
            qualifier=qualifier,
            countries=countries,
            shares=shares,
            focus_text=focus_text,
            summary=row.get("summary"),
            source_url=source_url,
            relation=relation,
            kind=kind,
            title=title,
            status=lifecycle[0],
            withdrawn_on=lifecycle[1],
            reference=reference or "",
            spanish=spanish,
            written_in=written_in or "",
            translator=translator or "",
        )

    def _cell(self, row: Row, column: str, read: Callable[[str], T]) -> T | None:
        try:
            return read(row.get(column))
        except CellError as exc:
            self.problems.add(row.line, column, exc.reason)
            return None

    def _optional(self, row: Row, column: str, read: Callable[[str], T]) -> T | None:
        """An optional column read by `read`, which depends on the cell alone: in a file
        without the column, every row reads as empty, which is read once."""
        if column in self._columns:
            return self._cell(row, column, read)
        if column not in self._empty:
            try:
                self._empty[column] = read("")
            except CellError:
                return self._cell(row, column, read)
        value: T = self._empty[column]
        return value

    def _money(
        self, row: Row, announced_on: datetime.date | None
    ) -> tuple[Decimal | None, str, Decimal | None, ExchangeRate | None] | None:
        """(amount, currency, amount in US$, rate used), from amount_usd or amount + currency."""
        before = len(self.problems)
        usd = self._cell(row, "amount_usd", cells.money)
        amount = self._optional(row, "amount", cells.money)
        code = self._optional(row, "currency", _currency)
        if len(self.problems) > before:
            return None
        if amount is None:
            if code:
                self.problems.add(
                    row.line, "currency", _("a currency is given but the amount is empty")
                )
                return None
            return usd, USD, usd, None
        if not code:
            self.problems.add(row.line, "currency", _("empty; required when amount is given"))
            return None
        if code == USD:
            if usd is not None and usd != amount:
                self.problems.add(row.line, "amount_usd", _mismatch(usd, amount))
                return None
            return amount, USD, amount, None
        if announced_on is None:
            return None  # the date's own problem is reported already
        rate = self._rate(code, announced_on)
        if rate is None:
            self.problems.add(
                row.line,
                "currency",
                _(
                    "no exchange rate for %(currency)s on %(date)s; import one first "
                    "(adelante import rates)"
                )
                % {"currency": code, "date": announced_on.isoformat()},
            )
            return None
        converted = to_usd(amount, rate.units_per_usd)
        if usd is not None and usd != converted:
            # Both given (as a bulk download writes them): they must agree.
            self.problems.add(row.line, "amount_usd", _mismatch(usd, converted))
            return None
        return amount, code, converted, rate

    def _rate(self, currency: str, on: datetime.date) -> ExchangeRate | None:
        key = (currency, on)
        if key not in self._rates:
            self._rates[key] = ExchangeRate.objects.on(currency, on)
        return self._rates[key]

    def _qualifier(self, row: Row, has_amount: bool) -> str | None:
        stated = self._optional(row, "qualifier", _qualifier)
        if stated is None:
            return None
        if not stated:
            return default_qualifier(has_amount)
        # The rule of every door (commitments.rules); the amount itself is checked in its cell.
        wrong = rules.amount_problem(SOME_AMOUNT if has_amount else None, stated, required=True)
        if wrong:
            self.problems.add(row.line, "qualifier", wrong)
            return None
        return stated

    def _lifecycle(
        self, row: Row, announced_on: datetime.date | None
    ) -> tuple[str, datetime.date | None] | None:
        """(status, withdrawn_on): a withdrawn commitment, and only one, has a withdrawal date."""
        withdrawn_on = self._optional(row, "withdrawn_on", _withdrawn_on)
        implied = Status.WITHDRAWN if withdrawn_on else Status.ANNOUNCED
        status = self._cell(row, "status", lambda v: cells.choice(v, _STATUSES, default=implied))
        if status is None or (row.get("withdrawn_on") and withdrawn_on is None):
            return None
        wrong = withdrawal.problem(status, withdrawn_on)
        if wrong:
            self.problems.add(row.line, "withdrawn_on", wrong)
            return None
        if withdrawn_on is not None and announced_on is not None and withdrawn_on < announced_on:
            self.problems.add(row.line, "withdrawn_on", _("before the announcement date"))
            return None
        return status, withdrawn_on


def _mismatch(usd: Decimal, converted: Decimal) -> str:
    return _(
        "%(usd)s, but the amount in its currency makes %(converted)s; give one of them, or both "
        "agreeing"
    ) % {"usd": usd, "converted": converted}


def _reference(value: str) -> str:
    """A commitment's reference: lower-case letters, digits and hyphens."""
    if value and not re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", value):
        raise CellError(
            _("“%(value)s” is not a reference (lower-case letters, digits and hyphens)")
            % {"value": value}
        )
    return cells.text(value, max_length=200)


def _identifiers(value: str) -> tuple[str, ...]:
    """The partner's organisation identifiers (org-id.guide form), checked, canonical."""
    try:
        return tuple(c.canonical for c in check_identifiers(split_identifiers(value)))
    except IdentifierError as exc:
        raise CellError(exc.message) from exc


def _partner_type(value: str) -> str:
    return cells.choice(value, _PARTNER_TYPES)


def _relation(value: str) -> str:
    return cells.choice(value, _RELATIONS, default=Relation.NEW)


def _kind(value: str) -> str:
    return cells.choice(value, _KINDS, default=MoneyKind.UNSPECIFIED)


def _title(value: str) -> str:
    return cells.text(value, max_length=300)


def _spanish_text(column: str) -> Callable[[str], str]:
    length = 5000 if column == "summary_es" else 300
    return lambda value: cells.text(value, max_length=length)


def _round_es(value: str) -> str:
    return " ".join(cells.text(value, max_length=ROUND_LABEL_LENGTH).split())


def _written_in(value: str) -> str:
    return cells.choice(value, _LANGUAGES, default="")


def _translator(value: str) -> str:
    """Who wrote the translation; "missing" is read as empty (it follows from the text)."""
    if value.strip().casefold() == TranslationState.MISSING:
        return ""
    return cells.choice(value, _TRANSLATORS, default="")


def _currency(value: str) -> str:
    return cells.currency(value) if value else ""


def _qualifier(value: str) -> str:
    return cells.choice(value, _QUALIFIERS, default="")


def _withdrawn_on(value: str) -> datetime.date | None:
    return cells.day(value) if value else None

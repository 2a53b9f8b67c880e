"""Realistic synthetic data, made up at any size for the benchmarks (`python -m benchmarks synth`).

The same parameters and seed always make the same rows: every random choice comes from
`random.Random` instances seeded from the seed (never the global generator), every amount is
built from integers as an exact Decimal, and rows are handed to the writer in a fixed order, so
with ids counted from the largest id already in each table (`bulk.BulkWriter`) an empty
database gets the same ids too.

What it makes, roughly like the real record (DOMAIN.md), but at any size:

- partners of every type, a tenth of them with one or two aliases; a few partners make many
  commitments and most make one or two (a skewed choice);
- `ROUNDS` dated rounds, the first four on the real round dates, then about one a month until
  the end of 2025; exchange rates for every round date and every currency used;
- commitments with skewed amounts (two significant digits times a power of ten whose exponent
  is binomial: a discrete log-normal), about 30 % without a public amount, a few confidential,
  "at least", "about" and "up to" amounts, in US dollars and four other currencies (converted
  with `currency.conversion.to_usd` at the rate of the round date); one country (stated as
  100 %), several with shares (split with `commitments.geography.allocate`), several without
  shares, or the region; focus areas; about 5 % restatements and 5 % increases of an earlier
  commitment of the same partner; a few withdrawn, a few not announced yet;
- progress reports spread over the commitments under way or completed, each with several
  periods, mostly verified, with cumulative (non-decreasing) values of US$ invested and other
  catalogue metrics;
- reporting schedules for most commitments under way (they report through the platform), and
  evidence attached to most verified reports;
- official statements (committed, organisations, invested, reached, per round) that the
  record backs only in part, as in reality.

Each row is dated when it would have been recorded (a round's date, a report's verification),
and a withdrawn commitment is first announced, then withdrawn on its day; the writer turns
those dates into history. (Other status changes, such as "in progress" becoming "completed",
are not replayed: they change no figure.)

Writing and wiping data sets, and the note kept of them, are in `datasets`.
"""

from __future__ import annotations

import calendar
import datetime
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import (
    MoneyKind,
    Relation,
    StatementFigure,
    StatementQualifier,
    Status,
)
from adelante.commitments.geography import HUNDRED, allocate
from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    Source,
    Target,
)
from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.fields import from_hundredths, to_hundredths
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner, PartnerAlias, PartnerType
from adelante.partners.naming import normalise
from adelante.progress.models import (
    ProgressReport,
    ProgressValue,
    ReportStatus,
    VerificationLevel,
)
from adelante.workflow.models import ReportingSchedule
from benchmarks.synthetic.bulk import BulkWriter, Row

#: Bump whenever the same seed would write different data, so old data sets are not reused.
GENERATOR_VERSION = "3"

# How synthetic rows are marked, so that `datasets.wipe` removes them and nothing else. These
# are data, not names of commands: databases written by earlier versions carry them as they are.
PREFIX = "synth-"
SOURCE_URL = "https://example.org/synthetic/"
RATE_SOURCE = "synthetic rates (adelante synth)"
HISTORY_REASON = "synthetic data"

#: The first rounds fall on the real round dates; later ones about a month apart.
REAL_ROUND_DATES = (
    datetime.date(2021, 5, 27),
    datetime.date(2021, 12, 13),
    datetime.date(2022, 6, 7),
    datetime.date(2023, 2, 6),
)
ROUNDS = 36
#: No synthetic round falls after this day; the benchmark's default "as of" date.
LAST_DAY = datetime.date(2025, 12, 31)
#: Progress reports cover periods that end by this day, unless a commitment has more reports
#: than months left until then (monthly periods then run on past it).
REPORTS_UNTIL = datetime.date(2026, 6, 30)
#: History of rows that exist before any round (partners, rounds) is dated this day.
FIRST_DAY = datetime.date(2021, 5, 1)

#: Currency: (units per US dollar in ten-thousandths, typical size of an amount against US$).
CURRENCIES: Mapping[str, tuple[int, int]] = {
    "GTQ": (77_500, 8),
    "HNL": (246_000, 25),
    "EUR": (9_200, 1),
    "MXN": (185_000, 18),
}

USD_INVESTED = "usd_invested"

# Weighted choices: (value, weight).
PARTNER_TYPES = (
    (PartnerType.COMPANY, 60),
    (PartnerType.FOUNDATION, 15),
    (PartnerType.NGO, 20),
    (PartnerType.OTHER, 5),
)
STATUSES = (
    (Status.PROPOSED, 1),
    (Status.UNDER_REVIEW, 1),
    (Status.ANNOUNCED, 25),
    (Status.IN_PROGRESS, 45),
    (Status.COMPLETED, 25),
    (Status.WITHDRAWN, 3),
)
#: Statuses whose commitments report progress.
REPORTING = frozenset({Status.IN_PROGRESS, Status.COMPLETED})
QUALIFIERS = (
    (AmountQualifier.EXACT, 50),
    (AmountQualifier.UNDISCLOSED, 30),
    (AmountQualifier.AT_LEAST, 8),
    (AmountQualifier.ABOUT, 5),
    (AmountQualifier.UP_TO, 5),
    (AmountQualifier.CONFIDENTIAL, 2),
)
KINDS = (
    (MoneyKind.CAPITAL_INVESTMENT, 30),
    (MoneyKind.LOCAL_SOURCING, 15),
    (MoneyKind.LENDING, 15),
    (MoneyKind.PROGRAMME, 25),
    (MoneyKind.UNSPECIFIED, 15),
)
CURRENCY_CHOICE = (("USD", 78), ("GTQ", 8), ("HNL", 6), ("EUR", 5), ("MXN", 3))
#: Where a commitment goes: the region, one country, several with shares, several without.
GEOGRAPHY = (("region", 15), ("one", 55), ("shares", 18), ("several", 12))
REPORT_STATUSES = (
    (ReportStatus.VERIFIED, 85),
    (ReportStatus.SUBMITTED, 6),
    (ReportStatus.RETURNED, 4),
    (ReportStatus.DRAFT, 5),
)
VERIFICATION = (
    (VerificationLevel.SELF_REPORTED, 15),
    (VerificationLevel.SECRETARIAT_REVIEWED, 60),
    (VerificationLevel.INDEPENDENTLY_VERIFIED, 25),
)

NAME_WORDS = (
    "Maya", "Lempa", "Atitlán", "Copán", "Izalco", "Motagua", "Ulúa", "Pacaya", "Cuchumatán",
    "Fonseca", "Quetzal", "Ceiba", "Jaguar", "Volcán", "Caribe", "Pacífico", "Sierra", "Istmo",
)  # fmt: skip
NAME_TRADES = {
    PartnerType.COMPANY: ("Agro", "Textiles", "Digital", "Logistics", "Energy", "Foods", "Bank"),
    PartnerType.FOUNDATION: ("Foundation", "Fund", "Trust"),
    PartnerType.NGO: ("Alliance", "Network", "Initiative", "Association"),
    PartnerType.OTHER: ("Coalition", "Institute", "Partnership"),
}
LEGAL_FORMS = ("S.A.", "Inc.", "Ltd.", "")


class SynthError(Exception):
    """The data cannot be generated here (the record is not empty, bad parameters)."""


@dataclass(frozen=True)
class Spec:
    """What to generate."""

    partners: int
    commitments: int
    reports: int
    seed: int

    def __post_init__(self) -> None:
        if min(self.partners, self.commitments, self.reports) < 0:
            raise SynthError("the numbers of partners, commitments and reports cannot be negative")
        if self.commitments and not self.partners:
            raise SynthError("commitments need at least one partner")
        if self.reports and not self.commitments:
            raise SynthError("progress reports need at least one commitment")


# -- Random choices --------------------------------------------------------------------------


def _stream(seed: int, name: str) -> random.Random:
    # Seeding with a string is deterministic across processes and platforms.
    return random.Random(f"adelante-synth/{GENERATOR_VERSION}/{seed}/{name}")


class _Pick:
    """Weighted choices with precomputed cumulative weights."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._cum: dict[int, tuple[list[Any], list[int]]] = {}

    def __call__(self, choices: Sequence[tuple[Any, int]]) -> Any:
        key = id(choices)
        if key not in self._cum:
            values = [v for v, _ in choices]
            cum, total = [], 0
            for _, weight in choices:
                total += weight
                cum.append(total)
            self._cum[key] = (values, cum)
        values, cum = self._cum[key]
        ticket = self.rng.randrange(cum[-1])
        for value, bound in zip(values, cum, strict=True):
            if ticket < bound:
                return value
        raise AssertionError("unreachable")


def usd_cents(rng: random.Random) -> int:
    """A skewed amount in US cents: mostly round figures, some precise ones."""
    ticket = rng.randrange(200)
    if ticket < 30:
        # A precise figure from a company release: $50,000 to $20 million, with cents.
        return rng.randrange(5_000_000, 2_000_000_000)
    if ticket == 30:
        # Now and then a pledge of billions.
        return rng.randint(10, 99) * 10**8 * 100
    # Two significant digits times 10^4..10^7 dollars, the exponent binomial: from $100,000 to
    # $990 million, most between $1 and $99 million (a discrete log-normal).
    exponent = 4 + bin(rng.getrandbits(3)).count("1")
    power: int = 10**exponent
    return rng.randint(10, 99) * power * 100


def _month_end(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: datetime.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _significant(value: int, digits: int = 2) -> int:
    """Rounded down to this many significant digits, as officials state totals."""
    if value <= 0:
        return 0
    scale: int = 10 ** max(len(str(value)) - digits, 0)
    return value // scale * scale


def _spread(total: int, slots: int, rng: random.Random) -> list[int]:
    """`total` split into `slots` non-negative parts that vary, summing exactly to `total`."""
    if slots == 0:
        return []
    base, left = divmod(total, slots)
    parts = [base] * slots
    for index in rng.sample(range(slots), left):
        parts[index] += 1
    # Move some from one to its neighbour: the sum stays the same, the parts differ.
    for index in range(0, slots - 1, 2):
        move = rng.randint(-(parts[index] // 2), parts[index + 1] // 2)
        parts[index] += move
        parts[index + 1] -= move
    return parts


# -- The generator ---------------------------------------------------------------------------


@dataclass
class _Earlier:
    """What later commitments of the same partner may restate or increase."""

    commitment_id: int
    announced_on: datetime.date
    amount: Decimal | None
    currency: str
    qualifier: str


@dataclass
class _Tally:
    """Running figures used to make official statements plausible."""

    new_money_cents: dict[int, int] = field(default_factory=dict)
    new_partners: dict[int, int] = field(default_factory=dict)


class Generator:
    def __init__(self, spec: Spec, writer: BulkWriter) -> None:
        self.spec = spec
        self.w = writer
        self.rng = _stream(spec.seed, "commitments")
        self.pick = _Pick(self.rng)
        self.report_rng = _stream(spec.seed, "reports")
        self.report_pick = _Pick(self.report_rng)
        # Reporting obligations and evidence draw from their own stream, so that adding them
        # (generator 3) left every other choice as generator 2 made it.
        self.obligation_rng = _stream(spec.seed, "obligations")
        self.focus = list(FocusArea.objects.order_by("code").values_list("code", "id"))
        # The initiative in scope's countries, in its order (GT, SV, HN for the primary one, as
        # the synthetic data always drew them).
        self.countries = initiative_countries()
        self.metrics = dict(Metric.objects.order_by("code").values_list("code", "id"))
        if USD_INVESTED not in self.metrics:
            raise SynthError(f"the metric catalogue has no {USD_INVESTED!r}")
        self.other_metrics = [code for code in self.metrics if code != USD_INVESTED]
        #: (id, date) of each round, in order.
        self.rounds: list[tuple[int, datetime.date]] = []
        #: (currency, day): (id, units per US dollar).
        self.rates: dict[tuple[str, datetime.date], tuple[int, Decimal]] = {}
        self.partner_ids: list[int] = []
        self.earlier: dict[int, _Earlier] = {}
        self.seen_partners: set[int] = set()
        self.tally = _Tally()

    # Rounds, rates and partners come first, in one transaction.

    def round_dates(self) -> list[datetime.date]:
        rng = _stream(self.spec.seed, "rounds")
        dates = list(REAL_ROUND_DATES)
        while len(dates) < ROUNDS:
            dates.append(dates[-1] + datetime.timedelta(days=rng.randint(24, 36)))
        if dates[-1] > LAST_DAY:
            raise AssertionError("synthetic rounds must end by LAST_DAY")
        return dates

    def write_rounds_and_rates(self) -> None:
        rng = _stream(self.spec.seed, "rates")
        for number, day in enumerate(self.round_dates(), start=1):
            label = f"Synthetic round {number} ({day.isoformat()})"
            round_id = self.w.add(
                Round,
                {"label": label, "slug": f"{PREFIX}r{number:02d}", "announced_on": day},
                FIRST_DAY,
            )
            self.rounds.append((round_id, day))
            for currency, (base, _size) in CURRENCIES.items():
                # Within 3 % of the base rate, exact to 10^-8.
                units = Decimal(base * (10_000 + rng.randint(-300, 300))).scaleb(-8)
                rate_id = self.w.add(
                    ExchangeRate,
                    {
                        "currency": currency,
                        "on": day,
                        "units_per_usd": units,
                        "source": RATE_SOURCE,
                    },
                    day,
                )
                self.rates[(currency, day)] = (rate_id, units)

    def write_partners(self) -> None:
        rng = _stream(self.spec.seed, "partners")
        pick = _Pick(rng)
        for number in range(1, self.spec.partners + 1):
            kind = pick(PARTNER_TYPES)
            word = rng.choice(NAME_WORDS)
            trade = rng.choice(NAME_TRADES[kind])
            legal = rng.choice(LEGAL_FORMS) if kind == PartnerType.COMPANY else ""
            name = " ".join(p for p in (word, trade, f"{number:06d}", legal) if p)
            partner_id = self.w.add(
                Partner,
                {
                    "name": name,
                    "slug": f"{PREFIX}p{number:06d}",
                    "normalised_name": normalise(name),
                    "type": kind,
                    "website": f"{SOURCE_URL}partners/{number}",
                },
                FIRST_DAY,
            )
            self.partner_ids.append(partner_id)
            if rng.randrange(10) == 0:
                aliases = [f"{word} {number:06d}", f"{word[0]}{trade[0]} {number:06d} Group"]
                for alias in aliases[: rng.randint(1, 2)]:
                    self.w.add(
                        PartnerAlias,
                        {
                            "partner_id": partner_id,
                            "name": alias,
                            "normalised_name": normalise(alias),
                        },
                        FIRST_DAY,
                    )

    # Commitments, with their countries, focus areas, targets, sources and reports.

    def plan(self) -> tuple[list[int], list[str], list[int]]:
        """For each commitment: its round, its status and its number of progress reports."""
        m = self.spec.commitments
        rng = _stream(self.spec.seed, "plan")
        pick = _Pick(rng)
        # The launch round is small; later rounds vary.
        weights = [1] + [rng.randint(2, 10) for _ in range(ROUNDS - 1)]
        sizes = _spread_by_weight(m, weights)
        rounds = [r for r, size in enumerate(sizes) for _ in range(size)]
        statuses = [pick(STATUSES) for _ in range(m)]
        reporting = [i for i, status in enumerate(statuses) if status in REPORTING]
        if self.spec.reports and not reporting:
            statuses[0] = Status.IN_PROGRESS
            reporting = [0]
        counts = [0] * m
        for i, n in zip(reporting, _spread(self.spec.reports, len(reporting), rng), strict=True):
            counts[i] = n
        return rounds, statuses, counts

    def commitment(self, index: int, round_index: int, status: str, reports: int) -> None:
        rng, pick = self.rng, self.pick
        number = index + 1
        partners = self.partner_ids
        # Skewed: a few partners make many commitments, most make one or two.
        partner_id = partners[min(int(len(partners) * rng.random() ** 2.5), len(partners) - 1)]
        round_id: int | None
        announced: datetime.date | None
        round_id, announced = self.rounds[round_index]
        if status in (Status.PROPOSED, Status.UNDER_REVIEW):
            round_id, announced = None, None
        qualifier = pick(QUALIFIERS)
        kind = pick(KINDS)
        currency = pick(CURRENCY_CHOICE)
        relation, relates_to = Relation.NEW, None
        earlier = self.earlier.get(partner_id)
        if announced is not None and earlier is not None and earlier.announced_on < announced:
            ticket = rng.randrange(100)
            if ticket < 5:
                relation, relates_to = Relation.RESTATEMENT, earlier.commitment_id
            elif ticket < 10:
                relation, relates_to = Relation.INCREASE, earlier.commitment_id
        amount: Decimal | None = None
        if relation == Relation.RESTATEMENT and earlier is not None:
            amount, currency, qualifier = earlier.amount, earlier.currency, earlier.qualifier
        elif qualifier != AmountQualifier.UNDISCLOSED:
            cents = usd_cents(rng)
            if currency != "USD":
                cents *= CURRENCIES[currency][1]
            amount = from_hundredths(cents)
        rate = None
        if announced is not None and currency != "USD":
            rate = self.rates[(currency, announced)]
        else:
            currency = "USD"
        amount_usd = None
        if amount is not None:
            amount_usd = to_usd(amount, rate[1]) if rate is not None else amount
        withdrawn_on = None
        if status == Status.WITHDRAWN and announced is not None:
            later = announced + datetime.timedelta(days=rng.randint(90, 700))
            withdrawn_on = min(later, LAST_DAY)
        focus = self._focus()
        place, shares = self._geography()
        label = str(MoneyKind(kind).label)
        row: Row = {
            "reference": f"{PREFIX}c{number:08d}",
            "partner_id": partner_id,
            "round_id": round_id,
            "announced_on": announced,
            "title": f"{label.capitalize()} {number}",
            "summary": f"Synthetic commitment {number}: {label} ({place}).",
            "focus_text": ", ".join(code.replace("_", " ") for code, _ in focus),
            "kind": kind,
            "qualifier": qualifier,
            "amount": amount,
            "currency": currency,
            "amount_usd": amount_usd,
            "exchange_rate_id": rate[0] if rate is not None else None,
            "relation": relation,
            "relates_to_id": relates_to,
            "status": status,
            "withdrawn_on": withdrawn_on,
            "starts_on": announced,
            "ends_on": (
                announced.replace(year=announced.year + rng.randint(1, 5), day=1)
                if announced
                else None
            ),
        }
        recorded = announced or LAST_DAY
        if withdrawn_on is None:
            commitment_id = self.w.add(Commitment, row, recorded)
        else:
            # Announced first; the withdrawal is a later change in the history.
            commitment_id = self.w.add(
                Commitment,
                row,
                recorded,
                created_as={"status": Status.IN_PROGRESS, "withdrawn_on": None},
                changed_on=withdrawn_on,
            )
        for _code, focus_id in focus:
            self.w.add_focus(row, focus_id)
        for country, (share, part) in _country_rows(amount_usd, shares).items():
            self.w.add(
                CountryShare,
                {
                    "commitment_id": commitment_id,
                    "country": country,
                    "share_percent": share,
                    "amount_usd": part,
                },
                recorded,
            )
        self.w.add(
            Source,
            {
                "commitment_id": commitment_id,
                "url": f"{SOURCE_URL}{row['reference']}",
                "title": f"Synthetic fact sheet {number}",
                "seen_on": recorded,
            },
            recorded,
        )
        if rng.randrange(5) == 0:
            code = rng.choice(self.other_metrics)
            self.w.add(
                Target,
                {
                    "commitment_id": commitment_id,
                    "metric_id": self.metrics[code],
                    "value": Decimal(rng.randint(50, 100_000)),
                    "by_date": row["ends_on"],
                },
                recorded,
            )
        if announced is not None:
            self.earlier[partner_id] = _Earlier(
                commitment_id, announced, amount, currency, qualifier
            )
            tally = self.tally
            if relation != Relation.RESTATEMENT and amount_usd is not None:
                tally.new_money_cents[round_index] = tally.new_money_cents.get(
                    round_index, 0
                ) + to_hundredths(amount_usd)
            if partner_id not in self.seen_partners:
                self.seen_partners.add(partner_id)
                tally.new_partners[round_index] = tally.new_partners.get(round_index, 0) + 1
        if reports:
            self._reports(commitment_id, announced or LAST_DAY, amount_usd, reports)
        # Most commitments under way report through the platform (a schedule); the rest, like
        # the shipped record's, do not.
        if (
            announced is not None
            and relation != Relation.RESTATEMENT
            and (status in REPORTING or status == Status.ANNOUNCED)
            and self.obligation_rng.randrange(10) < 8
        ):
            self.w.add(ReportingSchedule, {"commitment_id": commitment_id}, announced)

    def _focus(self) -> list[tuple[str, int]]:
        how_many = self.pick(((0, 5), (1, 50), (2, 30), (3, 15)))
        chosen = self.rng.sample(range(len(self.focus)), min(how_many, len(self.focus)))
        return [self.focus[i] for i in sorted(chosen)]

    def _geography(self) -> tuple[str, dict[str, Decimal | None]]:
        rng = self.rng
        where = self.pick(GEOGRAPHY)
        codes = list(self.countries)
        if where == "region":
            return "the region", {}
        if where == "one":
            country = rng.choice(codes)
            return country, {country: None}
        chosen = sorted(rng.sample(codes, 2 if rng.randrange(10) < 6 else 3))
        if where == "several":
            return ", ".join(chosen), dict.fromkeys(chosen)
        # Shares in hundredths of a percent that add up to exactly 100 %.
        if rng.randrange(10) < 7:
            cuts = sorted(500 * c for c in rng.sample(range(1, 20), len(chosen) - 1))
        else:
            cuts = sorted(rng.sample(range(1, 10_000), len(chosen) - 1))
        bounds = [0, *cuts, 10_000]
        shares: dict[str, Decimal | None] = {
            country: Decimal(bounds[i + 1] - bounds[i]).scaleb(-2)
            for i, country in enumerate(chosen)
        }
        return ", ".join(chosen), shares

    def _reports(
        self, commitment_id: int, start: datetime.date, amount_usd: Decimal | None, count: int
    ) -> None:
        rng, pick = self.report_rng, self.report_pick
        first_year, first_month = _add_months(start, 1)
        first = datetime.date(first_year, first_month, 1)
        # Monthly, quarterly or half-yearly periods, ending by REPORTS_UNTIL if they can.
        months = rng.choice((1, 3, 3, 6))
        room = (REPORTS_UNTIL.year - first.year) * 12 + REPORTS_UNTIL.month - first.month + 1
        if count * months > room:
            months = 1
        codes = [USD_INVESTED] if rng.randrange(10) < 9 else []
        codes += rng.sample(self.other_metrics, rng.randint(0 if codes else 1, 2))
        # Where each metric is heading by the last report, in hundredths.
        goals: dict[str, int] = {}
        for code in codes:
            if code == USD_INVESTED:
                known = to_hundredths(amount_usd) if amount_usd is not None else usd_cents(rng) // 2
                goals[code] = known * rng.randint(20, 110) // 100
            else:
                goals[code] = rng.randint(10, 20_000) * 100
        values = dict.fromkeys(codes, 0)
        for k in range(count):
            year, month = _add_months(first, k * months)
            end_year, end_month = _add_months(first, k * months + months - 1)
            period_end = _month_end(end_year, end_month)
            status = pick(REPORT_STATUSES)
            recorded = period_end + datetime.timedelta(days=rng.randint(15, 75))
            report_id = self.w.add(
                ProgressReport,
                {
                    "commitment_id": commitment_id,
                    "period_start": datetime.date(year, month, 1),
                    "period_end": period_end,
                    "status": status,
                    "verification_level": (
                        pick(VERIFICATION)
                        if status == ReportStatus.VERIFIED
                        else VerificationLevel.SELF_REPORTED
                    ),
                    "return_reason": (
                        "Evidence for the period is missing."
                        if status == ReportStatus.RETURNED
                        else ""
                    ),
                    "evidence_attached": (
                        status == ReportStatus.VERIFIED and self.obligation_rng.randrange(10) < 6
                    ),
                },
                recorded,
            )
            for code in codes:
                # Cumulative to date: never falls. People are whole.
                step = rng.randint(0, 2 * goals[code] // count)
                if code != USD_INVESTED:
                    step -= step % 100
                values[code] += step
                self.w.add(
                    ProgressValue,
                    {
                        "report_id": report_id,
                        "metric_id": self.metrics[code],
                        "value": from_hundredths(values[code]),
                    },
                    recorded,
                )

    # Official statements come last: they depend on what was generated.

    def write_statements(self) -> None:
        rng = _stream(self.spec.seed, "statements")
        number = 0

        def statement(day: datetime.date, metric: str, value: int, unit: str, **kw: Any) -> None:
            nonlocal number
            number += 1
            self.w.add(
                OfficialStatement,
                {
                    "stated_on": day,
                    "metric": metric,
                    "value": Decimal(value),
                    "unit": unit,
                    "source_url": f"{SOURCE_URL}statements/{number}",
                    "note": "Synthetic statement.",
                    **kw,
                },
                day,
            )

        committed_cents = 0
        partners = 0
        for index, (_round_id, day) in enumerate(self.rounds):
            committed_cents += self.tally.new_money_cents.get(index, 0)
            partners += self.tally.new_partners.get(index, 0)
            if index % 4 == 0 or index == len(self.rounds) - 1:
                statement(
                    day,
                    "cumulative_committed_usd",
                    _significant(committed_cents // 100 * rng.randint(110, 190) // 100),
                    "USD",
                    qualifier=StatementQualifier.AT_LEAST,
                    figure=StatementFigure.COMMITTED_USD,
                )
                statement(
                    day,
                    "companies_and_orgs_with_commitments",
                    partners + rng.randint(0, 10),
                    "count",
                    qualifier=StatementQualifier.EXACT,
                    figure=StatementFigure.PARTNERS,
                )
            if index in (1, 3):
                statement(
                    day,
                    "round_committed_usd",
                    _significant(self.tally.new_money_cents.get(index, 0) // 100 * 3 // 2),
                    "USD",
                    qualifier=StatementQualifier.AT_LEAST,
                    figure=StatementFigure.ROUND_COMMITTED_USD,
                )
                statement(
                    day,
                    "new_companies_committing",
                    self.tally.new_partners.get(index, 0) + rng.randint(0, 3),
                    "count",
                    qualifier=StatementQualifier.EXACT,
                    figure=StatementFigure.ROUND_NEW_PARTNERS,
                )
        for year in (2022, 2023, 2024, 2025):
            statement(
                datetime.date(year, 12, 31),
                "cumulative_invested_usd",
                _significant(committed_cents // 100 * rng.randint(5, 40) // 100),
                "USD",
                qualifier=StatementQualifier.AT_LEAST,
                figure=StatementFigure.INVESTED_USD,
            )
        reached = (
            (datetime.date(2024, 12, 31), "jobs_created"),
            (datetime.date(2025, 6, 30), "people_trained"),
        )
        for day, code in reached:
            if code in self.metrics:
                statement(
                    day,
                    code,
                    _significant(rng.randint(10_000, 10_000_000)),
                    "people",
                    qualifier=StatementQualifier.ABOUT,
                    figure=StatementFigure.REACHED,
                    reached_metric_id=self.metrics[code],
                )
        # A statement that the record cannot back (a target).
        statement(
            REAL_ROUND_DATES[3],
            "jobs_expected",
            _significant(rng.randint(100_000, 1_000_000)),
            "jobs",
            qualifier=StatementQualifier.TARGET,
        )


def _spread_by_weight(total: int, weights: Sequence[int]) -> list[int]:
    """`total` split in proportion to `weights`, by largest remainder (exact sum)."""
    whole = sum(weights)
    parts = [total * w // whole for w in weights]
    order = sorted(range(len(weights)), key=lambda i: (-(total * weights[i] % whole), i))
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def _country_rows(
    amount_usd: Decimal | None, shares: Mapping[str, Decimal | None]
) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """(share, allocated amount) of each country row, as `geography.set_countries` writes them:
    a single country is stated as 100 % and takes the whole amount."""
    if len(shares) == 1:
        shares = dict.fromkeys(shares, HUNDRED)
    parts = allocate(amount_usd, shares)
    return {country: (share, parts[country]) for country, share in shares.items()}

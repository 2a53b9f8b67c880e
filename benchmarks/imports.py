"""Benchmark of the commitments import (`python -m benchmarks exchange --import-rows 50000`).

A commitments CSV of `rows` realistic rows (a partner per 8 rows, 36 rounds, one to three
countries or the region, a focus text, a source each, a few amounts in cents) is generated, then
imported by `adelante.exchange.commitments_import.import_commitments` and, as the **floor**,
written by a bare bulk insert of the same rows: Django's `bulk_create` of the partners, rounds,
commitments, country rows and sources, with values computed beforehand, no checks and no
history. Each runs in a transaction that is rolled back, so the database is left as it was
(run it on an empty database or on a synthetic one). Goals (issue 10): at least 5,000 rows/s,
and at most 3 times the floor.
"""

from __future__ import annotations

import csv
import datetime
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from adelante.commitments.geography import country_rows
from adelante.commitments.models import Commitment, CountryShare, Round, Source
from adelante.exchange.commitments_import import import_commitments
from adelante.partners.models import Partner
from adelante.partners.naming import normalise
from benchmarks.figures import database_label

DEFAULT_ROWS = 50_000
MIN_ROWS_PER_SECOND = 5000
MAX_IMPORT_RATIO = 3.0
COLUMNS = (
    "partner",
    "partner_type",
    "announced_on",
    "round",
    "amount_usd",
    "countries",
    "focus",
    "summary",
    "source_url",
)
FOCUS = (
    "textile manufacturing",
    "women's financial inclusion / health",
    "coffee supply chain",
    "digital skills for youth",
    "agriculture and food security",
    "renewable energy",
    "auto parts",
    "banking for small businesses",
)
COUNTRIES = ("GT", "SV", "HN", "GT;SV", "GT;HN", "GT;SV;HN", "REGION")
TYPES = ("company", "company", "company", "foundation", "ngo", "other")
PREFIX = "Import Bench"


def write_rows(path: Path, rows: int, seed: int = 1) -> Path:
    """A commitments CSV of `rows` rows, the same for the same seed."""
    rng = random.Random(seed)
    partners = max(1, rows // 8)
    start = datetime.date(2021, 5, 27)
    rounds = [
        (start + datetime.timedelta(days=30 * i), f"{PREFIX} round {i + 1}") for i in range(36)
    ]
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(COLUMNS)
        for i in range(rows):
            day, label = rounds[rng.randrange(len(rounds))]
            partner = rng.randrange(partners)
            amount = Decimal(rng.randint(1, 99) * 10 ** rng.randint(3, 7))
            if rng.random() < 0.1:
                amount += Decimal(rng.randint(1, 99)) / 100
            writer.writerow(
                (
                    f"{PREFIX} Partner {partner}",
                    TYPES[partner % len(TYPES)],
                    day.isoformat(),
                    label,
                    "" if rng.random() < 0.3 else str(amount),
                    rng.choice(COUNTRIES),
                    rng.choice(FOCUS),
                    f"Commitment {i} of partner {partner}.",
                    f"https://example.org/import-bench/{i}",
                )
            )
    return path


def floor_insert(path: Path) -> int:
    """The same rows written by a bare bulk insert: values computed first, then
    `bulk_create` of partners, rounds, commitments, country rows and sources (no checks, no
    history). Returns the number of commitments written."""
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    partners: dict[str, Partner] = {}
    rounds: dict[tuple[str, str], Round] = {}
    for row in rows:
        if row["partner"] not in partners:
            name = row["partner"]
            partners[name] = Partner(
                name=name,
                slug=slugify(name),
                normalised_name=normalise(name),
                type=row["partner_type"],
            )
        key = (row["announced_on"], row["round"])
        if key not in rounds:
            rounds[key] = Round(
                label=row["round"],
                slug=slugify(f"{key[0]}-{key[1]}"),
                announced_on=datetime.date.fromisoformat(key[0]),
            )
    Partner.objects.bulk_create(partners.values(), batch_size=2000)
    Round.objects.bulk_create(rounds.values(), batch_size=2000)
    commitments = []
    seen: dict[str, int] = {}
    for row in rows:
        the_round = rounds[(row["announced_on"], row["round"])]
        partner = partners[row["partner"]]
        base = f"{the_round.slug}-{partner.slug}"
        seen[base] = seen.get(base, 0) + 1
        amount = Decimal(row["amount_usd"]) if row["amount_usd"] else None
        commitments.append(
            Commitment(
                reference=base if seen[base] == 1 else f"{base}-{seen[base]}",
                partner=partner,
                round=the_round,
                announced_on=the_round.announced_on,
                amount=amount,
                currency="USD",
                amount_usd=amount,
                qualifier="exact" if amount is not None else "undisclosed",
                focus_text=row["focus"],
                summary=row["summary"],
                status="announced",
            )
        )
    Commitment.objects.bulk_create(commitments, batch_size=2000)
    shares = []
    sources = []
    for row, commitment in zip(rows, commitments, strict=True):
        countries = [] if row["countries"] == "REGION" else row["countries"].split(";")
        wanted = country_rows(commitment.amount_usd, dict.fromkeys(countries))
        for country, (share, amount_usd) in wanted.items():
            shares.append(
                CountryShare(
                    commitment=commitment,
                    country=country,
                    share_percent=share,
                    amount_usd=amount_usd,
                )
            )
        sources.append(Source(commitment=commitment, url=row["source_url"]))
    CountryShare.objects.bulk_create(shares, batch_size=2000)
    Source.objects.bulk_create(sources, batch_size=2000)
    return len(commitments)


class _RolledBack(Exception):
    pass


def _rolled_back(call: Callable[[], Any]) -> float:
    """Seconds `call` takes, in a transaction that is then rolled back."""
    started = time.perf_counter()
    try:
        with transaction.atomic():
            call()
            elapsed = time.perf_counter() - started
            raise _RolledBack
    except _RolledBack:
        pass
    return elapsed


@dataclass(frozen=True)
class ImportTiming:
    database: str
    rows: int
    import_s: float
    floor_s: float

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.import_s if self.import_s else float("inf")

    @property
    def ratio(self) -> float:
        return self.import_s / self.floor_s if self.floor_s else float("inf")

    @property
    def goal(self) -> str:
        met = self.rows_per_second >= MIN_ROWS_PER_SECOND and self.ratio <= MAX_IMPORT_RATIO
        return "met" if met else "missed"


def measure_import(rows: int, repeat: int = 3, seed: int = 1) -> ImportTiming:
    """The import and its floor, `repeat` times each, alternating which goes first."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_rows(Path(folder) / "commitments.csv", rows, seed)
        ours: list[float] = []
        floor: list[float] = []
        for run in range(repeat):
            pair = [
                (ours, lambda: import_commitments(path, reason="benchmark")),
                (floor, lambda: floor_insert(path)),
            ]
            for times, call in pair if run % 2 == 0 else reversed(pair):
                times.append(_rolled_back(call))
    return ImportTiming(database_label(), rows, statistics.median(ours), statistics.median(floor))


def format_import(timings: list[ImportTiming], *, markdown: bool) -> str:
    columns = ("database", "rows", "import s", "rows/s", "bulk insert s", "ratio", "goal")
    lines = [
        (
            t.database,
            str(t.rows),
            f"{t.import_s:.2f}",
            f"{t.rows_per_second:.0f}",
            f"{t.floor_s:.2f}",
            f"{t.ratio:.2f}",
            t.goal,
        )
        for t in timings
    ]
    if markdown:
        out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(r) + " |" for r in lines]
        return "\n".join(out)
    return "\n".join("  ".join(r) for r in [columns, *lines])

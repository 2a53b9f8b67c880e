"""Benchmark of the commitments import (`python -m benchmarks exchange --import-rows 5000,50000`).

A commitments CSV of `rows` realistic rows (a partner per 8 rows, 36 rounds, one to three
countries or the region, a focus text, a source each, a few amounts in cents) is generated, then
imported by `adelante.exchange.commitments_import.import_commitments` and, as the **floor**,
written by a bare bulk insert of the same rows: the partners, rounds, commitments, focus links,
country rows and sources, and the history row of each (the focus areas' "changed" history rows
and their copies of the links included), with values computed straight from the CSV (no
checks), written by the database driver (COPY on PostgreSQL, executemany on SQLite). The
benchmark checks that both write the same number of rows in every table. Each runs in a
transaction that is rolled back, so the database is left as it was (run it on an empty database
or on a synthetic one). Goals (issue 10): at least 5,000 rows/s, and at most 3 times the floor.
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

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from adelante.commitments.geography import country_rows
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.focus import focus_keywords, match_focus
from adelante.initiatives.scope import default_initiative_id
from adelante.partners.naming import normalise
from benchmarks.figures import database_label

DEFAULT_ROWS = 50_000
#: The sizes measured by default, to see how the cost grows.
DEFAULT_SIZES = [5_000, 20_000, DEFAULT_ROWS]
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


def _new_ids(cursor: Any, table: str, count: int, pk: str = "id") -> list[int]:
    """`count` new ids (column `pk`) of `table`, as the database would give them."""
    if connection.vendor == "postgresql":
        cursor.execute(
            "WITH q AS MATERIALIZED (SELECT pg_get_serial_sequence(%s, %s)::regclass AS s) "
            "SELECT nextval(q.s) FROM q, generate_series(1, %s)",
            [table, pk, count],
        )
        return sorted(row[0] for row in cursor.fetchall())
    cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
    given = cursor.fetchone()
    cursor.execute(f"SELECT MAX({pk}) FROM {table}")
    start = max(given[0] if given else 0, cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def _insert(cursor: Any, table: str, columns: str, rows: list[tuple[Any, ...]]) -> None:
    """The rows, as they are, by the driver: COPY on PostgreSQL, executemany on SQLite."""
    if connection.vendor == "postgresql":
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * (columns.count(",") + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)


def _with_history(
    cursor: Any,
    table: str,
    columns: str,
    rows: list[tuple[Any, ...]],
    kind: str,
    stamp: Any,
    with_ids: bool = False,
) -> list[int]:
    """The history rows of these rows (their id first); returns their ids if `with_ids`
    (otherwise the database gives them)."""
    history = table.replace("_", "_historical", 1)
    extra = "history_date, history_change_reason, history_type"
    if not with_ids:
        _insert(cursor, history, f"{columns}, {extra}", [(*r, stamp, REASON, kind) for r in rows])
        return []
    ids = _new_ids(cursor, history, len(rows), "history_id")
    _insert(
        cursor,
        history,
        f"{columns}, history_id, {extra}",
        [(*row, i, stamp, REASON, kind) for row, i in zip(rows, ids, strict=True)],
    )
    return ids


REASON = "benchmark"
#: What the floor writes, said with its figures.
FLOOR = (
    "bulk insert: the same rows (partners, rounds, commitments, focus links, country rows, "
    "sources) and their history rows, values computed from the CSV without checks, written "
    "by the driver (COPY on PostgreSQL, executemany on SQLite)"
)


#: The Spanish of a partner's description or a round's label, and the language and translation
#: state of the text, as the import leaves them (`adelante.bilingual`): none yet, English.
NO_TEXT = ("", "en", "missing")


def floor_insert(path: Path) -> int:
    """The rows the import writes, history rows included, by a bare bulk insert: values
    computed straight from the CSV (no checks), written by the database driver. Returns the
    number of commitments written. The focus areas of the benchmark's focus texts are
    looked up once, before."""
    focus = _focus_areas()
    stamp = _stamp()
    initiative = default_initiative_id()
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    partners: dict[str, tuple[Any, ...]] = {}
    rounds: dict[tuple[str, str], tuple[Any, ...]] = {}
    with connection.cursor() as cursor:
        for row in rows:
            if row["partner"] not in partners:
                name = row["partner"]
                partners[name] = (
                    name, slugify(name), normalise(name), row["partner_type"], "", "", *NO_TEXT
                )  # fmt: skip
            key = (row["announced_on"], row["round"])
            if key not in rounds:
                rounds[key] = (
                    row["round"], slugify(f"{key[0]}-{key[1]}"), _day(key[0]), *NO_TEXT,
                    initiative,
                )  # fmt: skip
        new_partners = _new_ids(cursor, "partners_partner", len(partners))
        partner_ids = dict(zip(partners, new_partners, strict=True))
        round_ids = dict(
            zip(rounds, _new_ids(cursor, "commitments_round", len(rounds)), strict=True)
        )
        partner_rows = [(partner_ids[k], *v) for k, v in partners.items()]
        round_rows = [(round_ids[k], *v) for k, v in rounds.items()]
        for table, columns, made in (
            (
                "partners_partner",
                "id, name, slug, normalised_name, type, website, description, description_es, "
                "written_in, translation_state",
                partner_rows,
            ),
            (
                "commitments_round",
                "id, label, slug, announced_on, label_es, written_in, translation_state, "
                "initiative_id",
                round_rows,
            ),
        ):
            _insert(cursor, table, columns, made)
            _with_history(cursor, table, columns, made, "+", stamp)
        seen: dict[str, int] = {}
        references = []
        for row in rows:
            base = f"{rounds[(row['announced_on'], row['round'])][1]}-{slugify(row['partner'])}"
            seen[base] = seen.get(base, 0) + 1
            references.append(base if seen[base] == 1 else f"{base}-{seen[base]}")
        order = sorted(range(len(rows)), key=lambda i: rows[i]["announced_on"])
        ids = _new_ids(cursor, "commitments_commitment", len(rows))
        commitments = []
        for pk, i in zip(ids, order, strict=True):
            row = rows[i]
            amount = Decimal(row["amount_usd"]) if row["amount_usd"] else None
            hundredths = int(amount * 100) if amount is not None else None
            commitments.append(
                (
                    pk,
                    references[i],
                    partner_ids[row["partner"]],
                    round_ids[(row["announced_on"], row["round"])],
                    _day(row["announced_on"]),
                    "",
                    row["summary"],
                    row["focus"],
                    "unspecified",
                    "exact" if amount is not None else "undisclosed",
                    hundredths,
                    "USD",
                    hundredths,
                    None,
                    "new",
                    None,
                    "announced",
                    None,
                    None,
                    None,
                    "",
                    "",
                    "",
                    "en",
                    "missing",
                    initiative,
                )
            )
        columns = (
            "id, reference, partner_id, round_id, announced_on, title, summary, focus_text, kind, "
            "qualifier, amount, currency, amount_usd, exchange_rate_id, relation, relates_to_id, "
            "status, withdrawn_on, starts_on, ends_on, title_es, summary_es, focus_text_es, "
            "written_in, translation_state, initiative_id"
        )
        _insert(cursor, "commitments_commitment", columns, commitments)
        _with_history(cursor, "commitments_commitment", columns, commitments, "+", stamp)
        with_focus = [c for c in commitments if focus[c[7]]]
        links = [(c[0], area) for c in with_focus for area in focus[c[7]]]
        link_ids = _new_ids(cursor, "commitments_commitment_focus_areas", len(links))
        _insert(
            cursor,
            "commitments_commitment_focus_areas",
            "id, commitment_id, focusarea_id",
            [(i, *link) for i, link in zip(link_ids, links, strict=True)],
        )
        changed = _with_history(
            cursor, "commitments_commitment", columns, with_focus, "~", stamp, with_ids=True
        )
        history_of = dict(zip((c[0] for c in with_focus), changed, strict=True))
        _insert(
            cursor,
            "commitments_historicalcommitment_focus_areas",
            "id, commitment_id, focusarea_id, history_id",
            [(i, *link, history_of[link[0]]) for i, link in zip(link_ids, links, strict=True)],
        )
        shares = []
        sources = []
        for commitment, i in zip(commitments, order, strict=True):
            row = rows[i]
            amount = Decimal(row["amount_usd"]) if row["amount_usd"] else None
            named = [] if row["countries"] == "REGION" else row["countries"].split(";")
            for country, (share, part) in country_rows(amount, dict.fromkeys(named)).items():
                shares.append(
                    (
                        commitment[0],
                        country,
                        share,
                        int(part * 100) if part is not None else None,
                    )
                )
            sources.append((commitment[0], row["source_url"], "", None))
        for table, columns, made in (
            (
                "commitments_countryshare",
                "id, commitment_id, country, share_percent, amount_usd",
                shares,
            ),
            ("commitments_source", "id, commitment_id, url, title, seen_on", sources),
        ):
            made = [(i, *r) for i, r in zip(_new_ids(cursor, table, len(made)), made, strict=True)]
            _insert(cursor, table, columns, made)
            _with_history(cursor, table, columns, made, "+", stamp)
    return len(commitments)


def _focus_areas() -> dict[str, list[int]]:
    """The focus areas of each focus text of the benchmark's files, in the order `set` adds
    them."""
    keywords = focus_keywords()
    return {text: list(set(match_focus(text, keywords))) for text in FOCUS}


def _day(text: str) -> Any:
    day = datetime.date.fromisoformat(text)
    return day if connection.vendor == "postgresql" else text


def _stamp() -> Any:
    now = timezone.now()
    if connection.vendor == "postgresql":
        return now
    return str(timezone.make_naive(now, datetime.UTC))


def table_rows() -> dict[str, int]:
    """The number of rows of each table the import writes."""
    tables = (
        "partners_partner",
        "commitments_round",
        "commitments_commitment",
        "commitments_commitment_focus_areas",
        "commitments_countryshare",
        "commitments_source",
    )
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in tables:
            for name in (table, table.replace("_", "_historical", 1)):
                cursor.execute(f"SELECT COUNT(*) FROM {name}")
                counts[name] = cursor.fetchone()[0]
    return counts


class _RolledBack(Exception):
    pass


@dataclass(frozen=True)
class Run:
    wall_s: float
    cpu_s: float
    """This process's CPU time (the database server's, on PostgreSQL, is not in it)."""
    rows: dict[str, int]
    """Rows of each table written."""


def _rolled_back(call: Callable[[], Any]) -> Run:
    """The time `call` takes, in a transaction that is then rolled back, and what it wrote."""
    before = table_rows()
    started, cpu = time.perf_counter(), time.process_time()
    try:
        with transaction.atomic():
            call()
            elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
            after = table_rows()
            raise _RolledBack
    except _RolledBack:
        pass
    return Run(elapsed, cpu, {t: after[t] - before[t] for t in after})


@dataclass(frozen=True)
class ImportTiming:
    database: str
    rows: int
    import_s: float
    floor_s: float
    import_cpu_s: float = 0.0
    floor_cpu_s: float = 0.0
    written: int = 0
    """Rows written by each (commitments, the other tables, history rows)."""

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.import_s if self.import_s else float("inf")

    @property
    def ratio(self) -> float:
        return self.import_s / self.floor_s if self.floor_s else float("inf")

    @property
    def cpu_ratio(self) -> float:
        return self.import_cpu_s / self.floor_cpu_s if self.floor_cpu_s else float("inf")

    @property
    def goal(self) -> str:
        met = self.rows_per_second >= MIN_ROWS_PER_SECOND and self.ratio <= MAX_IMPORT_RATIO
        return "met" if met else "missed"


def measure_import(rows: int, repeat: int = 3, seed: int = 1) -> ImportTiming:
    """The import and its floor, `repeat` times each, alternating which goes first (medians).
    Stops with an error if the floor does not write the same number of rows in each table."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_rows(Path(folder) / "commitments.csv", rows, seed)
        ours: list[Run] = []
        floor: list[Run] = []
        for run in range(repeat):
            pair = [
                (ours, lambda: import_commitments(path, reason=REASON)),
                (floor, lambda: floor_insert(path)),
            ]
            for runs, call in pair if run % 2 == 0 else reversed(pair):
                runs.append(_rolled_back(call))
    if ours[0].rows != floor[0].rows:
        raise RuntimeError(f"the floor wrote {floor[0].rows}, the import {ours[0].rows}")
    return ImportTiming(
        database_label(),
        rows,
        statistics.median(r.wall_s for r in ours),
        statistics.median(r.wall_s for r in floor),
        statistics.median(r.cpu_s for r in ours),
        statistics.median(r.cpu_s for r in floor),
        sum(ours[0].rows.values()),
    )


def format_import(timings: list[ImportTiming], *, markdown: bool) -> str:
    columns = (
        "database",
        "rows",
        "rows written",
        "import s",
        "rows/s",
        "bulk insert s",
        "ratio",
        "import CPU s",
        "bulk insert CPU s",
        "CPU ratio",
        "growth",
        "goal",
    )
    lines = []
    previous: ImportTiming | None = None
    for t in timings:
        growth = ""
        if previous is not None and previous.database == t.database and previous.import_s:
            growth = f"{t.import_s / previous.import_s:.1f}x (rows {t.rows / previous.rows:.1f}x)"
        lines.append(
            (
                t.database,
                str(t.rows),
                str(t.written),
                f"{t.import_s:.2f}",
                f"{t.rows_per_second:.0f}",
                f"{t.floor_s:.2f}",
                f"{t.ratio:.2f}",
                f"{t.import_cpu_s:.2f}",
                f"{t.floor_cpu_s:.2f}",
                f"{t.cpu_ratio:.2f}",
                growth,
                t.goal,
            )
        )
        previous = t
    note = f"Floor: {FLOOR}."
    if markdown:
        out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(r) + " |" for r in lines]
        return "\n".join([*out, "", note])
    return "\n".join(["  ".join(r) for r in [columns, *lines]] + [note])

"""Benchmark of the bulk CSV export and the API (`python -m benchmarks exchange`).

- **Full CSV export** (`adelante.exchange.exports.write_csv_folder`: every table of the
  published record) against its floor: for each table one SQL query run on the driver's
  cursor, its rows written by `csv.writer` as the driver returns them (the commitments'
  countries, shares and first source aggregated in SQL). Goal: at most 2x.
- **API endpoints** (a list and the figures) against a bare Django view that returns a fixed
  string, through the same server stack in the same process. Reported as ratios.

Run it on a database filled by `python -m benchmarks synth` (e.g. the 500k-commitment database
that `python -m benchmarks figures` creates: `DATABASE_URL=… python -m benchmarks exchange`).
"""

from __future__ import annotations

import csv
import datetime
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, override_settings
from django.urls import path

from adelante.commitments.choices import PUBLISHED_STATUSES
from adelante.commitments.models import Commitment, CountryShare, Source, Target
from adelante.commitments.publication import (
    published_commitments,
    published_partners,
    published_rounds,
    published_statements,
)
from adelante.exchange import exports
from adelante.exchange.tables import TABLES
from adelante.progress.publication import published_reports
from benchmarks.figures import database_label

MAX_EXPORT_RATIO = 2.0

API_ENDPOINTS = (
    "/api/v1/commitments?page_size=50",
    "/api/v1/commitments?country=GT&kind=lending&page_size=50",
    "/api/v1/figures/committed?as_of={day}",
    "/api/v1/figures/committed/by/country?as_of={day}",
    "/api/v1/figures/invested?as_of={day}",
)
BARE = "/bench-bare/"


@dataclass(frozen=True)
class Timing:
    database: str
    commitments: int
    what: str
    median_ms: float
    floor_ms: float
    floor: str
    goal: str

    @property
    def ratio(self) -> float:
        return self.median_ms / self.floor_ms if self.floor_ms else float("inf")


def _median_ms(call: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


# -- The export and its floor ---------------------------------------------------------------


def _commitments_sql() -> str:
    c = Commitment._meta.db_table
    s = CountryShare._meta.db_table
    src = Source._meta.db_table
    partner = Commitment._meta.get_field("partner").related_model._meta.db_table
    rnd = Commitment._meta.get_field("round").related_model._meta.db_table
    statuses = ", ".join(f"'{v}'" for v in PUBLISHED_STATUSES)
    if connection.vendor == "postgresql":
        countries = f"(SELECT string_agg(x.country, ';' ORDER BY x.country) FROM {s} x WHERE x.commitment_id = c.id)"
        shares = f"(SELECT string_agg(x.country || ':' || x.share_percent, ';' ORDER BY x.country) FROM {s} x WHERE x.commitment_id = c.id)"
    else:
        countries = f"(SELECT group_concat(country, ';') FROM (SELECT x.country FROM {s} x WHERE x.commitment_id = c.id ORDER BY x.country))"
        shares = f"(SELECT group_concat(v, ';') FROM (SELECT x.country || ':' || x.share_percent AS v FROM {s} x WHERE x.commitment_id = c.id ORDER BY x.country))"
    first_source = f"(SELECT y.url FROM {src} y WHERE y.commitment_id = c.id ORDER BY y.id LIMIT 1)"
    return (
        f"SELECT c.reference, p.name, p.type, c.announced_on, r.label, c.amount_usd, {countries}, "
        f"c.focus_text, c.summary, {first_source}, c.relation, c.amount, c.currency, c.qualifier, "
        f"c.kind, c.title, c.status, c.withdrawn_on, {shares} "
        f"FROM {c} c JOIN {partner} p ON p.id = c.partner_id LEFT JOIN {rnd} r ON r.id = c.round_id "
        f"WHERE c.status IN ({statuses}) ORDER BY c.id"
    )


#: Tables of figures (the delivery ladder, the statements beside the record) and the public
#: log of corrections (read through corrections.log: names and labels as the portal words
#: them; a few rows): there is no bare query to compare them with, so the floor writes them
#: as the export does.
COMPUTED = frozenset({"delivery_ladder", "reconciliation", "corrections"})


def floor_export(folder: Path) -> int:
    """Every table by one SQL query each, written with csv.writer as the driver returns it."""
    rows = 0
    for table in TABLES:
        with (folder / f"{table.name}.csv").open("w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(table.header)
            if table.name in COMPUTED:
                # Not rows of one table: computed as the export computes them.
                for row in table.rows(None):
                    writer.writerow(row)
                    rows += 1
                continue
            if table.name == "commitments":
                sql, params = _commitments_sql(), ()
            else:
                sql, params = _table_sql(table.name)
            with connection.chunked_cursor() as cursor:
                cursor.execute(sql, params)
                while batch := cursor.fetchmany(2000):
                    writer.writerows(batch)
                    rows += len(batch)
    return rows


def _table_sql(name: str) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the export's own queryset for a table (all rows, by primary key)."""
    from adelante.exchange import tables

    querysets: dict[str, Any] = {
        "partners": (published_partners(None), ("slug", "name", "type", "website")),
        "partner_aliases": (tables._aliases(None), ("partner__slug", "name")),
        "partner_identifiers": (
            tables._identifiers(None),
            ("partner__slug", "identifier", "scheme"),
        ),
        "statement_names": (
            tables._statement_names(None),
            ("code", "name_en", "name_es", "translation_state"),
        ),
        "rounds": (published_rounds(None), ("slug", "label", "announced_on")),
        "commitment_countries": (
            tables._of_published(CountryShare)(None),
            (
                "commitment__reference",
                "country",
                "share_percent",
                "amount_usd",
                "commitment__qualifier",
            ),
        ),
        "commitment_focus_areas": (
            tables._focus_links(None),
            ("commitment__reference", "focusarea__code"),
        ),
        "commitment_sources": (
            tables._of_published(Source)(None),
            ("commitment__reference", "url", "title", "seen_on"),
        ),
        "commitment_targets": (
            tables._of_published(Target)(None),
            ("commitment__reference", "metric__code", "value", "by_date"),
        ),
        "statements": (
            published_statements(None),
            (
                "stated_on",
                "date_precision",
                "metric",
                "value",
                "unit",
                "qualifier",
                "note",
                "source_url",
                "figure",
            ),
        ),
        "progress_reports": (
            published_reports(None),
            (
                "pk",
                "commitment__reference",
                "period_start",
                "period_end",
                "verification_level",
                "narrative",
            ),
        ),
        "progress_values": (tables._values(None), ("report_id", "metric__code", "value")),
        "exchange_rates": (tables._rates(None), ("currency", "on", "units_per_usd", "source")),
        "metrics": (
            tables._all_metrics(None),
            ("code", "name_en", "name_es", "unit", "accumulation"),
        ),
        "focus_areas": (tables._all_areas(None), ("code", "name_en", "name_es")),
    }
    queryset, fields = querysets[name]
    sql, params = queryset.order_by("pk").values_list(*fields).query.sql_with_params()
    return sql, tuple(params)


def measure_export(repeat: int = 3) -> Timing:
    commitments = published_commitments().count()
    with tempfile.TemporaryDirectory() as ours_dir, tempfile.TemporaryDirectory() as floor_dir:
        ours: list[float] = []
        floor: list[float] = []
        for run in range(repeat):
            pair = [
                (ours, lambda: exports.write_csv_folder(Path(ours_dir), None)),
                (floor, lambda: floor_export(Path(floor_dir))),
            ]
            for times, call in pair if run % 2 == 0 else reversed(pair):
                times.append(_median_ms(call, 1))
        for table in TABLES:
            mine = _lines(Path(ours_dir) / f"{table.name}.csv")
            bare = _lines(Path(floor_dir) / f"{table.name}.csv")
            if table.name != "commitments" and abs(mine - bare) > 0 and not _multiline(table.name):
                raise AssertionError(f"{table.name}: {mine} lines exported, {bare} by the floor")
    median, floor_ms = statistics.median(ours), statistics.median(floor)
    ratio = median / floor_ms if floor_ms else float("inf")
    return Timing(
        database_label(),
        commitments,
        "full CSV export",
        median,
        floor_ms,
        "one SQL query per table, csv.writer",
        "met" if ratio <= MAX_EXPORT_RATIO else "missed",
    )


def _lines(path: Path) -> int:
    with path.open(encoding="utf-8") as f:
        return sum(1 for _ in f)


def _multiline(name: str) -> bool:
    # Free text may hold line breaks (quoted): line counts then differ in the same way.
    return name in {"commitments", "statements", "progress_reports", "commitment_sources"}


# -- The API and the bare view --------------------------------------------------------------


def _bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


def _urlpatterns() -> list[Any]:
    from adelante.urls import urlpatterns as project

    return [path(BARE.strip("/") + "/", _bare), *project]


urlpatterns = _urlpatterns()


def measure_api(day: datetime.date, repeat: int = 20) -> list[Timing]:
    commitments = published_commitments().count()
    client = Client()
    overrides = override_settings(
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["*"],
        API_RATE_LIMIT_ANONYMOUS="100000000/60",
        DEBUG=False,
    )
    results = []
    with overrides:
        # secure=True: as behind HTTPS (production settings redirect plain HTTP).
        bare = _getter(client, BARE)
        bare()
        bare_ms = _median_ms(bare, repeat * 5)
        for template in API_ENDPOINTS:
            url = template.format(day=day.isoformat())
            first = client.get(url, secure=True)
            if first.status_code != 200:
                raise AssertionError(f"{url}: {first.status_code}")
            median = _median_ms(_getter(client, url), repeat)
            results.append(
                Timing(
                    database_label(),
                    commitments,
                    f"GET {url}",
                    median,
                    bare_ms,
                    "bare Django view",
                    "",
                )
            )
            module = _module_call(url, day)
            if module is not None:
                # The API's own share: the same endpoint against the figures function alone.
                module_ms = _median_ms(module, repeat)
                label = "the figures module call alone"
                results.append(
                    Timing(
                        database_label(), commitments, f"GET {url}", median, module_ms, label, ""
                    )
                )
    return results


def _module_call(url: str, day: datetime.date) -> Callable[[], Any] | None:
    from adelante.figures.committed import committed, committed_by
    from adelante.figures.reached import invested

    if "/figures/committed/by/country" in url:
        return lambda: committed_by("country", day)
    if "/figures/committed" in url:
        return lambda: committed(day)
    if "/figures/invested" in url:
        return lambda: invested(day)
    return None


def _getter(client: Client, url: str) -> Callable[[], Any]:
    return lambda: client.get(url, secure=True)


def format_rows(timings: list[Timing], *, markdown: bool) -> str:
    columns = ("database", "size", "what", "median ms", "floor ms", "floor", "ratio", "goal")
    rows = [
        (
            t.database,
            f"{t.commitments}",
            t.what,
            f"{t.median_ms:.1f}",
            f"{t.floor_ms:.2f}",
            t.floor,
            f"{t.ratio:.2f}",
            t.goal,
        )
        for t in timings
    ]
    if markdown:
        out = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(out)
    return "\n".join("  ".join(r) for r in [columns, *rows])

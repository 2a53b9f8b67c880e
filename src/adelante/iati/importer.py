"""`adelante import iati FILE...`: official aid to GT, SV and HN from IATI activity files.

Streaming: each file is read one activity at a time (`xmlsafe.ActivityStream`) and written in
batches, so memory stays the same whatever the file size. All or nothing: every file of one
import is written in one database transaction, and any error (a truncated or malformed file,
a hostile one, an unsupported version) rolls all of it back. See docs/iati.md ("Import").
"""

from __future__ import annotations

import datetime
import itertools
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, reset_queries, transaction
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate
from adelante.errors import Invalid
from adelante.iati import reading
from adelante.iati.models import AidActivity, AidCountry, AidSector, AidTransaction
from adelante.iati.xmlsafe import ACTIVITIES, ActivityStream, XmlFileError
from adelante.money.fields import to_hundredths
from adelante.uploads.busy import import_lock

#: Activities per database round trip: bounded, so memory is too.
BATCH = 500
#: Warnings listed in full; the rest are only counted.
MAX_WARNINGS = 100
ONE = Decimal(1)


class IatiImportError(Invalid):
    """The import stopped and wrote nothing: which file, which line, why."""

    def __init__(self, file: Path, error: XmlFileError) -> None:
        super().__init__(f"{file}: {error}")
        self.file = file
        self.error = error

    def __str__(self) -> str:
        if self.error.line:
            return f"{self.file}:{self.error.line}: {self.error.message}"
        return f"{self.file}: {self.error.message}"


@dataclass
class IatiImportResult:
    files: int = 0
    #: Activities read in the files.
    activities: int = 0
    #: Of those, activities naming Guatemala, El Salvador or Honduras.
    kept: int = 0
    created: int = 0
    updated: int = 0
    #: The same version (or an older one) was already stored.
    unchanged: int = 0
    #: Stored activities whose newer version no longer names any of the three countries.
    removed: int = 0
    transactions: int = 0
    transactions_without_usd: int = 0
    warning_count: int = 0
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def warn(self, text: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_WARNINGS:
            self.warnings.append(text)

    def __str__(self) -> str:
        text = ngettext(
            "%(files)d IATI file: %(activities)d activities read, %(kept)d for Guatemala, "
            "El Salvador or Honduras (%(created)d new, %(updated)d updated, %(unchanged)d "
            "unchanged), %(removed)d removed; %(transactions)d transactions, "
            "%(without_usd)d without a US$ value.",
            "%(files)d IATI files: %(activities)d activities read, %(kept)d for Guatemala, "
            "El Salvador or Honduras (%(created)d new, %(updated)d updated, %(unchanged)d "
            "unchanged), %(removed)d removed; %(transactions)d transactions, "
            "%(without_usd)d without a US$ value.",
            self.files,
        ) % {
            "files": self.files,
            "activities": self.activities,
            "kept": self.kept,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "transactions": self.transactions,
            "without_usd": self.transactions_without_usd,
        }
        if self.warning_count:
            text += " " + ngettext(
                "%(count)d warning.", "%(count)d warnings.", self.warning_count
            ) % {"count": self.warning_count}
        if self.dry_run:
            text += " " + _("Dry run: nothing was written.")
        return text


class Rates:
    """US dollar rates of the record, looked up by currency and value date (exact day).

    Each currency's rates are read once, when it is first met: bounded by the rates table,
    not by the file.
    """

    def __init__(self) -> None:
        self._by_currency: dict[str, dict[datetime.date, tuple[int, Decimal]]] = {}

    def on(self, currency: str, day: datetime.date) -> tuple[int, Decimal] | None:
        rates = self._by_currency.get(currency)
        if rates is None:
            rates = {
                on: (pk, units)
                for pk, on, units in ExchangeRate.objects.filter(currency=currency).values_list(
                    "id", "on", "units_per_usd"
                )
            }
            self._by_currency[currency] = rates
        return rates.get(day)


def convert(
    rates: Rates, value: Decimal, currency: str, day: datetime.date
) -> tuple[Decimal | None, Decimal | None, int | None]:
    """(US$ value, units per US$, rate id) at the rate of the value date; Nones without one."""
    if currency == "USD":
        return to_usd(value, ONE), ONE, None
    if not currency:
        return None, None, None
    found = rates.on(currency, day)
    if found is None:
        return None, None, None
    pk, units = found
    return to_usd(value, units), units, pk


@dataclass
class _Seen:
    """An activity of the file that names none of the three countries."""

    identifier: str
    last_updated: datetime.datetime | None


class _Writer:
    """Decides, batch by batch, what to create, replace, keep or remove, and writes it."""

    def __init__(
        self, result: IatiImportResult, rates: Rates, source: dict[str, Any], force: bool
    ) -> None:
        self.result = result
        self.force = force
        self.rates = rates
        self.source = source
        self.kept: dict[str, reading.ParsedActivity] = {}
        self.seen: dict[str, _Seen] = {}

    def add(self, activity: reading.ParsedActivity) -> None:
        earlier = self.kept.get(activity.identifier)
        if earlier is not None:
            # The same activity twice in one batch: the newer version counts.
            if not reading.is_newer(activity.last_updated, earlier.last_updated):
                self.result.unchanged += 1
                return
            self.result.updated += 1
        earlier_seen = self.seen.get(activity.identifier)
        if earlier_seen is not None:
            if not reading.is_newer(activity.last_updated, earlier_seen.last_updated):
                self.result.unchanged += 1
                return
            del self.seen[activity.identifier]
        self.kept[activity.identifier] = activity
        if len(self.kept) + len(self.seen) >= BATCH:
            self.flush()

    def skip(self, identifier: str, last_updated: datetime.datetime | None) -> None:
        earlier = self.kept.get(identifier)
        if earlier is not None:
            # Kept earlier in this batch: a newer version that names none of the countries
            # removes it.
            if not reading.is_newer(last_updated, earlier.last_updated):
                return
            del self.kept[identifier]
            self.result.removed += 1
        self.seen[identifier] = _Seen(identifier, last_updated)
        if len(self.kept) + len(self.seen) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.kept and not self.seen:
            return
        identifiers = list(self.kept) + list(self.seen)
        stored = {
            identifier: (pk, last_updated)
            for identifier, pk, last_updated in AidActivity.objects.filter(
                iati_identifier__in=identifiers
            ).values_list("iati_identifier", "id", "last_updated")
        }
        replaced: list[int] = []
        new: list[reading.ParsedActivity] = []
        for identifier, activity in self.kept.items():
            if identifier in stored:
                pk, last_updated = stored[identifier]
                if self.force or reading.is_newer(activity.last_updated, last_updated):
                    replaced.append(pk)
                    self.result.updated += 1
                    new.append(activity)
                else:
                    self.result.unchanged += 1
            else:
                self.result.created += 1
                new.append(activity)
        for identifier, seen in self.seen.items():
            if identifier in stored:
                pk, last_updated = stored[identifier]
                if reading.is_newer(seen.last_updated, last_updated):
                    replaced.append(pk)
                    self.result.removed += 1
        if replaced:
            AidActivity.objects.filter(id__in=replaced).delete()
        self._create(new)
        self.kept.clear()
        self.seen.clear()
        if settings.DEBUG:
            # Django keeps the SQL of every query when DEBUG is on: not for a whole file.
            reset_queries()

    def _create(self, activities: list[reading.ParsedActivity]) -> None:
        """Insert the activities and their rows: plain multi-row inserts, no model objects."""
        if not activities:
            return
        adapt = connection.ops.adapt_datetimefield_value
        source = (
            self.source["source_file"],
            self.source["source_version"],
            adapt(self.source["source_generated"]),
            adapt(self.source["imported_at"]),
        )
        bulk_insert(
            AidActivity,
            ACTIVITY_COLUMNS,
            [
                (
                    a.identifier,
                    *(a.fields[name] for name in ACTIVITY_FIELDS),
                    adapt(a.last_updated),
                    *source,
                )
                for a in activities
            ],
        )
        ids = dict(
            AidActivity.objects.filter(
                iati_identifier__in=[a.identifier for a in activities]
            ).values_list("iati_identifier", "id")
        )
        countries: list[tuple[Any, ...]] = []
        sectors: list[tuple[Any, ...]] = []
        transactions: list[tuple[Any, ...]] = []
        convert_value = self._convert
        for activity in activities:
            pk = ids[activity.identifier]
            countries += [(pk, *country) for country in activity.countries]
            sectors += [(pk, *sector) for sector in activity.sectors]
            transactions += [convert_value(pk, t) for t in activity.transactions]
        bulk_insert(AidCountry, COUNTRY_COLUMNS, countries)
        bulk_insert(AidSector, SECTOR_COLUMNS, sectors)
        bulk_insert(AidTransaction, TRANSACTION_COLUMNS, transactions)
        self.result.transactions += len(transactions)

    def _convert(self, pk: int, t: reading.ParsedTransaction) -> tuple[Any, ...]:
        value = to_hundredths(t.value)
        if t.currency == "USD":
            usd: int | None = value
            units: Decimal | None = ONE
            rate_id = None
        else:
            in_usd, units, rate_id = convert(self.rates, t.value, t.currency, t.value_date)
            usd = to_hundredths(in_usd) if in_usd is not None else None
            if usd is None:
                self.result.transactions_without_usd += 1
        return (
            pk,
            t.ref,
            t.type,
            t.date,
            value,
            t.value_text,
            t.currency,
            t.value_date,
            usd,
            units,
            rate_id,
            t.recipient_country,
        )


#: The columns each insert writes, in order (names of model fields).
ACTIVITY_FIELDS = (
    "publisher_ref",
    "publisher_name",
    "publisher_type",
    "title",
    "title_es",
    "status",
    "planned_start",
    "actual_start",
    "planned_end",
    "actual_end",
    "default_currency",
    "countries_from_transactions",
)
ACTIVITY_COLUMNS = (
    "iati_identifier",
    *ACTIVITY_FIELDS,
    "last_updated",
    "source_file",
    "source_version",
    "source_generated",
    "imported_at",
)
COUNTRY_COLUMNS = ("activity", "country", "percentage", "allocated_percent")
SECTOR_COLUMNS = ("activity", "vocabulary", "code", "name", "percentage")
TRANSACTION_COLUMNS = (
    "activity",
    "ref",
    "type",
    "date",
    "value",
    "value_text",
    "currency",
    "value_date",
    "usd",
    "units_per_usd",
    "exchange_rate",
    "recipient_country",
)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column
    return field.column


#: Rows per INSERT statement on SQLite (well under its limit of 32766 parameters).
SQLITE_ROWS = 400


def bulk_insert(model: type[Model], fields: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """Insert rows into the model's table, as fast as the database allows, in the transaction.

    PostgreSQL: COPY. SQLite: INSERT statements of many rows each. Values are given as the
    drivers take them: dates and Decimals as they are, ExactDecimalFields as whole hundredths
    (`to_hundredths`), date-times through the connection's own adapter.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # The driver's own execute, with its "?" marks: Django's would rewrite every "%s" of
        # these long statements with a regular expression, each time. Two statements only per
        # table (full chunks, then single rows), so the driver's statement cache stays small.
        raw = cursor.cursor
        one = "(" + ", ".join(["?"] * len(fields)) + ")"
        insert = f"INSERT INTO {table} ({columns}) VALUES "
        full = len(rows) - len(rows) % SQLITE_ROWS
        if full:
            many = insert + ", ".join([one] * SQLITE_ROWS)
            for start in range(0, full, SQLITE_ROWS):
                chunk = rows[start : start + SQLITE_ROWS]
                sqlite3.Cursor.execute(raw, many, list(itertools.chain.from_iterable(chunk)))
        if full < len(rows):
            sqlite3.Cursor.executemany(raw, insert + one, rows[full:])


def _check_root(root: Any) -> dict[str, Any]:
    """The file's version and generation time; XmlFileError if it is not a 2.0x activity file."""
    if root is None or root.tag != ACTIVITIES:
        tag = root.tag if root is not None else "?"
        raise XmlFileError(
            _("not an IATI activity file: the document element is <%(tag)s>, not <%(expected)s>")
            % {"tag": tag, "expected": ACTIVITIES},
            line=root.sourceline if root is not None else None,
        )
    version = (root.get("version") or "").strip()
    if version not in reading.VERSIONS:
        raise XmlFileError(
            _("IATI version “%(version)s” is not supported; this import reads %(versions)s.")
            % {"version": version, "versions": ", ".join(reading.VERSIONS)},
            line=root.sourceline,
        )
    return {
        "source_version": version,
        "source_generated": reading.parse_datetime(root.get("generated-datetime")),
    }


def _import_file(path: Path, result: IatiImportResult, rates: Rates, now: Any, force: bool) -> None:
    stream = ActivityStream(path)
    writer: _Writer | None = None
    # The countries of the initiatives hosted here, read once per file (not per activity).
    countries = reading.hosted_countries()
    for element in stream:
        if writer is None:
            source = {"source_file": path.name[:500], "imported_at": now}
            source.update(_check_root(stream.root))
            writer = _Writer(result, rates, source, force)
        result.activities += 1
        activity = reading.read_activity(element, countries)
        if not activity.identifier:
            result.warn(
                _("%(file)s:%(line)d: an activity without an iati-identifier, left out")
                % {"file": path.name, "line": activity.line}
            )
            continue
        if not activity.concerns:
            writer.skip(activity.identifier, activity.last_updated)
            continue
        result.kept += 1
        for warning in activity.warnings:
            result.warn(f"{path.name}: {warning}")
        writer.add(activity)
    if writer is None:
        _check_root(stream.root)
    else:
        writer.flush()


def import_iati(
    files: Iterable[Path | str],
    *,
    dry_run: bool = False,
    force: bool = False,
    progress: Callable[[Path], None] | None = None,
) -> IatiImportResult:
    """Import activity files, all in one transaction: any error rolls every file back.

    With `force`, stored activities are replaced even by a version that is not newer (to
    convert values again once the missing exchange rates are in the record).

    Raises IatiImportError (file, line, reason) when a file cannot be read; nothing is
    written then.
    """
    result = IatiImportResult(dry_run=dry_run)
    rates = Rates()
    now = timezone.now()
    # One import at a time (ImportBusy if another is running; uploads/busy.py).
    with import_lock(), transaction.atomic():
        for name in files:
            path = Path(name)
            if progress is not None:
                progress(path)
            if not path.is_file():
                raise IatiImportError(path, XmlFileError(_("no such file")))
            try:
                _import_file(path, result, rates, now, force)
            except XmlFileError as exc:
                raise IatiImportError(path, exc) from None
            result.files += 1
        if dry_run:
            transaction.set_rollback(True)
    return result

"""`adelante import iati FILE...`: official aid to GT, SV and HN from IATI activity files.

Streaming: each file is read one activity at a time (`xmlsafe.ActivityStream`) and written in
batches, so memory stays the same whatever the file size. All or nothing: every file of one
import is written in one database transaction, and any error (a truncated or malformed file,
a hostile one, an unsupported version) rolls all of it back. See docs/iati.md ("Import").
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.currency.conversion import to_usd
from adelante.currency.models import ExchangeRate
from adelante.iati import reading
from adelante.iati.models import AidActivity, AidCountry, AidSector, AidTransaction
from adelante.iati.xmlsafe import ACTIVITIES, ActivityStream, XmlFileError

#: Activities per database round trip: bounded, so memory is too.
BATCH = 500
#: Warnings listed in full; the rest are only counted.
MAX_WARNINGS = 100
ONE = Decimal(1)


class IatiImportError(Exception):
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

    def __init__(self, result: IatiImportResult, rates: Rates, source: dict[str, Any]) -> None:
        self.result = result
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
                if reading.is_newer(activity.last_updated, last_updated):
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

    def _create(self, activities: list[reading.ParsedActivity]) -> None:
        if not activities:
            return
        made = AidActivity.objects.bulk_create(
            [
                AidActivity(
                    iati_identifier=a.identifier,
                    last_updated=a.last_updated,
                    **a.fields,
                    **self.source,
                )
                for a in activities
            ]
        )
        countries: list[AidCountry] = []
        sectors: list[AidSector] = []
        transactions: list[AidTransaction] = []
        for row, activity in zip(made, activities, strict=True):
            countries += [
                AidCountry(
                    activity_id=row.pk, country=code, percentage=pct, allocated_percent=share
                )
                for code, pct, share in activity.countries
            ]
            sectors += [
                AidSector(activity_id=row.pk, vocabulary=v, code=c, name=n, percentage=p)
                for v, c, n, p in activity.sectors
            ]
            for t in activity.transactions:
                usd, units, rate_id = convert(self.rates, t.value, t.currency, t.value_date)
                if usd is None:
                    self.result.transactions_without_usd += 1
                transactions.append(
                    AidTransaction(
                        activity_id=row.pk,
                        ref=t.ref,
                        type=t.type,
                        date=t.date,
                        value=t.value,
                        value_text=t.value_text,
                        currency=t.currency,
                        value_date=t.value_date,
                        usd=usd,
                        units_per_usd=units,
                        exchange_rate_id=rate_id,
                        recipient_country=t.recipient_country,
                    )
                )
        AidCountry.objects.bulk_create(countries)
        AidSector.objects.bulk_create(sectors)
        AidTransaction.objects.bulk_create(transactions, batch_size=2000)
        self.result.transactions += len(transactions)


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


def _import_file(path: Path, result: IatiImportResult, rates: Rates, now: Any) -> None:
    stream = ActivityStream(path)
    writer: _Writer | None = None
    for element in stream:
        if writer is None:
            source = {"source_file": path.name[:500], "imported_at": now}
            source.update(_check_root(stream.root))
            writer = _Writer(result, rates, source)
        result.activities += 1
        identifier = (element.findtext("iati-identifier") or "").strip()
        if not identifier:
            result.warn(
                _("%(file)s:%(line)d: an activity without an iati-identifier, left out")
                % {"file": path.name, "line": element.sourceline or 0}
            )
            continue
        codes = [code for code, _pct in reading.activity_countries(element)]
        if not codes:
            codes = reading.transaction_countries(element)
        if not reading.concerns(codes):
            writer.skip(identifier, reading.parse_datetime(element.get("last-updated-datetime")))
            continue
        result.kept += 1
        activity = reading.read_activity(element)
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
    progress: Callable[[Path], None] | None = None,
) -> IatiImportResult:
    """Import activity files, all in one transaction: any error rolls every file back.

    Raises IatiImportError (file, line, reason) when a file cannot be read; nothing is
    written then.
    """
    result = IatiImportResult(dry_run=dry_run)
    rates = Rates()
    now = timezone.now()
    with transaction.atomic():
        for name in files:
            path = Path(name)
            if progress is not None:
                progress(path)
            if not path.is_file():
                raise IatiImportError(path, XmlFileError(_("no such file")))
            try:
                _import_file(path, result, rates, now)
            except XmlFileError as exc:
                raise IatiImportError(path, exc) from None
            result.files += 1
        if dry_run:
            transaction.set_rollback(True)
    return result

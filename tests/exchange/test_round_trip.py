"""Round trip: the demo record exported as CSV and as XLSX imports into an empty database
with identical figures (and exports again identically)."""

from __future__ import annotations

import datetime
import io
import zipfile
from pathlib import Path

import pytest

from adelante.commitments.models import Commitment, CountryShare, OfficialStatement, Round, Source
from adelante.currency.models import ExchangeRate
from adelante.exchange import exports
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.rates_import import import_rates
from adelante.exchange.real_record import load_real_record
from adelante.exchange.statements_import import import_statements
from adelante.figures.committed import committed, committed_by
from adelante.figures.reconcile import reconcile
from adelante.partners.models import Partner, PartnerAlias
from tests.exchange.conftest import COMMITMENT_COLUMNS, RATE_COLUMNS, commitment, write_csv

pytestmark = pytest.mark.django_db


def _extra_rows(tmp_path: Path) -> None:
    """Beyond the demo: an amount in quetzales, text that looks like a formula, a restatement."""
    write_csv(
        tmp_path / "rates.csv",
        [{"currency": "GTQ", "date": "2023-02-06", "units_per_usd": "7.8125", "source": "Banguat"}],
        RATE_COLUMNS,
    )
    assert import_rates(tmp_path / "rates.csv")
    rows = [
        commitment(
            partner="Quetzal Co",
            announced_on="2023-02-06",
            round="2023-02 Central America Forward launch",
            amount_usd="",
            amount="1000000",
            currency="GTQ",
            summary='=HYPERLINK("http://x")',
            countries="GT;SV",
            shares="GT:75;SV:25",
        ),
        commitment(
            partner="Quetzal Co",
            announced_on="2023-03-01",
            round="2023-03 Later",
            amount_usd="500",
            relation="restatement",
            summary="-5% emissions",
            title="@mention",
        ),
    ]
    columns = [*COMMITMENT_COLUMNS, "relation", "amount", "currency", "shares", "title"]
    write_csv(tmp_path / "extra.csv", rows, columns)
    assert import_commitments(tmp_path / "extra.csv")


def _figures() -> dict[str, object]:
    days = sorted(set(Round.objects.values_list("announced_on", flat=True)))
    last = days[-1]
    return {
        "committed": [committed(day) for day in days],
        "by country": [committed_by("country", day).rows for day in days],
        "by kind": committed_by("kind", last).rows,
        "by focus": committed_by("focus", last).rows,
        "reconcile": reconcile(datetime.date(2030, 1, 1)),
    }


def _empty_the_record() -> None:
    Commitment.objects.update(relates_to=None)
    for model in (
        Source,
        CountryShare,
        Commitment,
        Round,
        PartnerAlias,
        Partner,
        OfficialStatement,
        ExchangeRate,
    ):
        model.objects.all().delete()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_into_an_empty_database_gives_the_same_figures(tmp_path, fmt):
    load_real_record()
    _extra_rows(tmp_path)
    before = _figures()
    first_csv = b"".join(exports.csv_zip(None))
    if fmt == "csv":
        folder = tmp_path / "download"
        with zipfile.ZipFile(io.BytesIO(first_csv)) as archive:
            archive.extractall(folder)
        files = {
            kind: folder / f"{kind}.csv" for kind in ("exchange_rates", "commitments", "statements")
        }
    else:
        workbook = tmp_path / "record.xlsx"
        exports.write_xlsx(workbook, None)
        files = dict.fromkeys(("exchange_rates", "commitments", "statements"), workbook)
    _empty_the_record()
    assert committed(datetime.date(2030, 1, 1)).commitments == 0
    import_rates(files["exchange_rates"])
    result = import_commitments(files["commitments"])
    assert result.created == 43 and result.updated == 0
    import_statements(files["statements"])
    after = _figures()
    assert _ids_free(after) == _ids_free(before)
    assert after["committed"] == before["committed"]
    # The same record exports the same CSV, but for the partners' other names: the
    # commitments table names each partner by its name, so aliases are not imported back.
    again = _members(b"".join(exports.csv_zip(None)))
    first = _members(first_csv)
    del again["partner_aliases.csv"], first["partner_aliases.csv"]
    assert again == first


def _ids_free(figures: dict[str, object]) -> object:
    """The figures without database ids (statement ids change with a new import)."""
    reconciled = [
        (r.stated_on, r.metric, r.stated_value, r.figure, r.computed_value, r.computed_qualifier)
        for r in figures["reconcile"]  # type: ignore[attr-defined]
    ]
    return ({k: v for k, v in figures.items() if k != "reconcile"}, reconciled)


def _members(data: bytes) -> dict[str, list[bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        # Rows come in primary-key order, which a new import may change: compare sorted lines.
        return {name: sorted(archive.read(name).splitlines()) for name in archive.namelist()}

"""The IATI import of official aid: what it keeps, updates, converts and refuses."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from adelante.currency.models import ExchangeRate
from adelante.iati import importer
from adelante.iati.importer import IatiImportError, import_iati
from adelante.iati.models import AidActivity, AidCountry, AidSector, AidTransaction
from adelante.iati.xmlsafe import ActivityStream
from tests.iati import files
from tests.iati.files import activity, document, transaction

pytestmark = pytest.mark.django_db

D = datetime.date
UTC = datetime.UTC


def test_the_sample_is_kept_exactly(sample):
    result = import_iati([sample])
    assert (result.files, result.activities, result.kept, result.created) == (1, 3, 3, 3)
    assert (result.transactions, result.transactions_without_usd) == (10, 0)
    assert result.warnings == []
    first = AidActivity.objects.get(iati_identifier="US-GOV-12-1131PL22GH51312-128148")
    assert (first.publisher_ref, first.publisher_name, first.publisher_type) == (
        "US-GOV-12",
        "Trade and Development Agency",
        "10",
    )
    assert first.title == (
        "Technical Assistance - Port Digitalization Technical Assistance, through Enterprise - "
        "United States Unknown"
    )
    assert first.title_es == ""
    assert first.status == "3"
    assert (first.planned_start, first.actual_start, first.planned_end, first.actual_end) == (
        D(2021, 10, 1),
        D(2021, 10, 1),
        D(2026, 9, 22),
        None,
    )
    assert first.default_currency == "USD"
    assert first.last_updated == datetime.datetime(2024, 12, 27, 14, 46, 17, tzinfo=UTC)
    assert (first.source_file, first.source_version) == ("ustda-honduras.xml", "2.03")
    assert first.source_generated == datetime.datetime(2024, 12, 27, 14, 46, 52, tzinfo=UTC)
    # The country is given on the transactions only.
    assert first.countries_from_transactions is True
    assert list(first.countries.values_list("country", "percentage", "allocated_percent")) == [
        ("HN", None, Decimal("100.0000"))
    ]
    assert sorted(first.sectors.values_list("vocabulary", "code", "name", "percentage")) == [
        ("1", "21040", "Water transport", None),
        ("99", "28", "Infrastructure", None),
    ]
    [commitment] = first.transactions.all()
    assert (commitment.ref, commitment.type, commitment.date, commitment.value_date) == (
        "0811E6F57D4F",
        "2",
        D(2022, 9, 21),
        D(2022, 9, 21),
    )
    assert (commitment.value, commitment.value_text, commitment.currency) == (
        Decimal("1152940.00"),
        "1152940",
        "USD",
    )
    assert (commitment.usd, commitment.units_per_usd, commitment.exchange_rate_id) == (
        Decimal("1152940.00"),
        Decimal(1),
        None,
    )
    assert commitment.recipient_country == "HN"
    third = AidActivity.objects.get(iati_identifier="US-GOV-12-1131PL22GH51312-128150")
    assert list(third.transactions.values_list("date", "type", "usd")) == [
        (D(2023, 4, 25), "3", Decimal("174817.00")),
        (D(2023, 6, 23), "3", Decimal("331502.00")),
        (D(2023, 8, 21), "3", Decimal("31322.00")),
        (D(2023, 9, 21), "3", Decimal("23337.00")),
        (D(2024, 1, 30), "3", Decimal("70814.00")),
        (D(2024, 2, 26), "3", Decimal("66066.00")),
        (D(2024, 3, 8), "3", Decimal("44267.00")),
        (D(2024, 4, 18), "3", Decimal("44833.00")),
    ]


def test_importing_the_same_file_again_changes_nothing(sample):
    import_iati([sample])
    before = list(AidTransaction.objects.values_list("id", flat=True))
    again = import_iati([sample])
    assert (again.created, again.updated, again.unchanged, again.transactions) == (0, 0, 3, 0)
    assert AidActivity.objects.count() == 3
    assert list(AidTransaction.objects.values_list("id", flat=True)) == before


def test_a_newer_version_replaces_an_activity_and_an_older_one_does_not(tmp_path):
    old = files.write(
        tmp_path,
        "v1.xml",
        document(
            activity(
                "XX-1",
                updated="2024-01-01T00:00:00Z",
                transactions=transaction("2", "2023-01-01", "100"),
            )
        ),
    )
    new = files.write(
        tmp_path,
        "v2.xml",
        document(
            activity(
                "XX-1",
                updated="2024-03-01T00:00:00Z",
                countries='<recipient-country code="GT"/>',
                transactions=transaction("2", "2023-01-01", "150")
                + transaction("3", "2023-06-01", "40"),
            )
        ),
    )
    import_iati([old])
    result = import_iati([new])
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    stored = AidActivity.objects.get()
    assert stored.last_updated == datetime.datetime(2024, 3, 1, tzinfo=UTC)
    assert list(stored.countries.values_list("country", flat=True)) == ["GT"]
    assert sorted(stored.transactions.values_list("usd", flat=True)) == [
        Decimal("40.00"),
        Decimal("150.00"),
    ]
    assert AidCountry.objects.count() == 1 and AidTransaction.objects.count() == 2
    back = import_iati([old])
    assert (back.updated, back.unchanged) == (0, 1)
    assert AidActivity.objects.get().last_updated == datetime.datetime(2024, 3, 1, tzinfo=UTC)


def test_the_newer_version_within_one_file_wins(tmp_path):
    path = files.write(
        tmp_path,
        "twice.xml",
        document(
            activity(
                "XX-1",
                updated="2024-03-01T00:00:00Z",
                transactions=transaction("2", "2023-01-01", "300"),
            ),
            activity(
                "XX-1",
                updated="2024-01-01T00:00:00Z",
                transactions=transaction("2", "2023-01-01", "100"),
            ),
        ),
    )
    import_iati([path])
    assert list(AidTransaction.objects.values_list("usd", flat=True)) == [Decimal("300.00")]


def test_an_activity_that_leaves_the_three_countries_is_removed(tmp_path):
    import_iati([files.write(tmp_path, "a.xml", document(activity("XX-1")))])
    moved = files.write(
        tmp_path,
        "b.xml",
        document(
            activity(
                "XX-1", updated="2024-05-01T00:00:00Z", countries='<recipient-country code="NI"/>'
            )
        ),
    )
    result = import_iati([moved])
    assert (result.kept, result.removed) == (0, 1)
    assert not AidActivity.objects.exists()


def test_only_activities_for_guatemala_el_salvador_or_honduras_are_kept(tmp_path):
    path = files.write(
        tmp_path,
        "mixed.xml",
        document(
            activity("XX-NI", countries='<recipient-country code="NI"/>'),
            activity("XX-REGION", countries='<recipient-region code="389"/>'),
            activity(
                "XX-SPLIT",
                countries='<recipient-country code="GT" percentage="25"/>'
                '<recipient-country code="NI" percentage="75"/>',
                transactions=transaction("2", "2023-01-01", "1000"),
            ),
            activity(
                "XX-TX",
                countries="",
                transactions=transaction("3", "2023-01-01", "10", country="CR")
                + transaction("3", "2023-02-01", "20", country="SV"),
            ),
        ),
    )
    result = import_iati([path])
    assert (result.activities, result.kept) == (4, 2)
    assert sorted(AidActivity.objects.values_list("iati_identifier", flat=True)) == [
        "XX-SPLIT",
        "XX-TX",
    ]
    split = AidActivity.objects.get(iati_identifier="XX-SPLIT")
    assert list(split.countries.values_list("country", "percentage", "allocated_percent")) == [
        ("GT", Decimal("25.0000"), Decimal("25.0000")),
        ("NI", Decimal("75.0000"), Decimal("75.0000")),
    ]
    by_transactions = AidActivity.objects.get(iati_identifier="XX-TX")
    assert by_transactions.countries_from_transactions
    assert list(by_transactions.countries.values_list("country", "allocated_percent")) == [
        ("CR", None),
        ("SV", None),
    ]


def test_values_are_converted_at_the_rate_of_the_value_date(tmp_path):
    rate = ExchangeRate.objects.create(
        currency="EUR", on=D(2023, 3, 1), units_per_usd=Decimal("0.9"), source="test"
    )
    path = files.write(
        tmp_path,
        "eur.xml",
        document(
            activity(
                "XX-EUR",
                currency="EUR",
                transactions=transaction("2", "2023-03-01", "900.005")
                + transaction("3", "2023-04-01", "90", value_date="2023-03-02")
                + transaction("3", "2023-04-01", "50", currency="GTQ"),
            )
        ),
    )
    result = import_iati([path])
    assert result.transactions_without_usd == 2
    rows = list(
        AidTransaction.objects.order_by("id").values_list(
            "value", "value_text", "currency", "usd", "units_per_usd", "exchange_rate_id"
        )
    )
    assert rows == [
        (Decimal("900.00"), "900.005", "EUR", Decimal("1000.01"), Decimal("0.9"), rate.id),
        (Decimal("90.00"), "90", "EUR", None, None, None),
        (Decimal("50.00"), "50", "GTQ", None, None, None),
    ]


def test_2_01_files_are_read(tmp_path):
    path = files.write(tmp_path, "old.xml", document(activity("XX-201"), version="2.01"))
    import_iati([path])
    assert AidActivity.objects.get().source_version == "2.01"


def test_empty_organisation_refs_and_extension_elements(tmp_path):
    path = files.write(
        tmp_path,
        "odd.xml",
        document(
            activity(
                "XX-ODD",
                reporting='<reporting-org ref="" type="80"><narrative xml:lang="fr">Institut'
                "</narrative></reporting-org>",
                extra='<x:note xmlns:x="https://example.org/x">ignored</x:note>',
            )
        ),
    )
    import_iati([path])
    stored = AidActivity.objects.get()
    assert (stored.publisher_ref, stored.publisher_name, stored.publisher_type) == (
        "",
        "Institut",
        "80",
    )


def test_bad_transactions_are_left_out_with_a_warning(tmp_path):
    path = files.write(
        tmp_path,
        "bad.xml",
        document(
            activity(
                "XX-BAD",
                transactions=transaction("2", "2023-01-01", "1,000")
                + transaction("2", "not a date", "10")
                + transaction("3", "2023-01-01", "5"),
            )
        ),
    )
    result = import_iati([path])
    assert result.transactions == 1
    assert result.warning_count == 2
    assert "“1,000” is not a decimal number" in result.warnings[0]
    assert result.warnings[0].startswith("bad.xml: line 3:")


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03">
<iati-activity><iati-identifier>XX-&lol9;</iati-identifier>
<recipient-country code="HN"/></iati-activity>
</iati-activities>
"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE iati-activities [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>
<iati-activities version="2.03">
<iati-activity><iati-identifier>XX-1</iati-identifier>
<title><narrative>&secret;</narrative></title>
<recipient-country code="HN"/></iati-activity>
</iati-activities>
"""

EXTERNAL_DTD = """<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://127.0.0.1:9/evil.dtd">
<iati-activities version="2.03">
<iati-activity><iati-identifier>XX-1</iati-identifier>
<recipient-country code="HN"/></iati-activity>
</iati-activities>
"""


@pytest.mark.parametrize("text", [BILLION_LAUGHS, XXE, EXTERNAL_DTD], ids=["laughs", "xxe", "dtd"])
def test_hostile_files_are_refused_and_nothing_is_imported(tmp_path, sample, text):
    hostile = files.write(tmp_path, "hostile.xml", text)
    with pytest.raises(IatiImportError) as refused:
        import_iati([sample, hostile])
    assert "declares a document type (DTD)" in str(refused.value)
    assert "hostile.xml" in str(refused.value)
    assert not AidActivity.objects.exists()
    assert "root:" not in str(refused.value)


def test_a_truncated_file_leaves_nothing_half_imported(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "BATCH", 10)
    text = document(
        *(activity(f"XX-{n}", transactions=transaction("2", "2023-01-01", "1")) for n in range(50))
    )
    path = files.write(tmp_path, "cut.xml", text[: len(text) * 3 // 4])
    with pytest.raises(IatiImportError) as failed:
        import_iati([path])
    message = str(failed.value)
    assert message.startswith(f"{path}:")
    assert "not well-formed XML" in message
    line = int(message[len(str(path)) + 1 :].split(":")[0])
    assert line == text[: len(text) * 3 // 4].count("\n") + 1
    assert not AidActivity.objects.exists()
    assert not AidTransaction.objects.exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (document(activity("XX-1"), version="1.05"), "IATI version “1.05” is not supported"),
        ('<?xml version="1.0"?><iati-organisations version="2.03"/>', "not an IATI activity file"),
        ("<iati-activities version='2.03'><iati-activity>", "not well-formed"),
        ("", "not well-formed"),
    ],
    ids=["version", "root", "malformed", "empty"],
)
def test_files_that_are_not_iati_activity_files(tmp_path, text, reason):
    path = files.write(tmp_path, "odd.xml", text)
    with pytest.raises(IatiImportError, match=reason):
        import_iati([path])


def test_a_missing_file(tmp_path):
    with pytest.raises(IatiImportError, match="no such file"):
        import_iati([tmp_path / "nothing.xml"])


def test_dry_run_writes_nothing(sample):
    result = import_iati([sample], dry_run=True)
    assert result.created == 3
    assert "Dry run" in str(result)
    assert not AidActivity.objects.exists()


def test_memory_stays_constant_while_streaming(tmp_path):
    text = document(*(activity(f"XX-{n}") for n in range(200)))
    stream = ActivityStream(files.write(tmp_path, "many.xml", text))
    positions, held, emptied = [], [], []
    for element in stream:
        positions.append(stream.root.index(element))
        held.append(len(stream.root))
        previous = element.getprevious()
        emptied.append(previous is None or len(previous) == 0)
    # Every activity read before is gone but the last one, emptied; after the current one the
    # root holds at most what the parser has read ahead (one buffer), however long the file.
    assert positions == [0] + [1] * 199
    assert all(emptied)
    assert max(held) < 100


def test_the_command(tmp_path, sample):
    out, err = io.StringIO(), io.StringIO()
    call_command("import", "iati", str(sample), stdout=out, stderr=err)
    assert "3 activities read, 3 for Guatemala, El Salvador or Honduras (3 new" in out.getvalue()
    hostile = files.write(tmp_path, "bad.xml", XXE)
    with pytest.raises(CommandError) as failed:
        call_command("import", "iati", str(sample), str(hostile), stdout=out, stderr=err)
    assert failed.value.returncode == 1
    assert "nothing was imported" in str(failed.value)
    assert f"{hostile}: the file declares a document type" in err.getvalue()
    assert AidSector.objects.count() == 6


def test_other_transaction_types_are_read_past(tmp_path):
    path = files.write(
        tmp_path,
        "types.xml",
        document(
            activity(
                "XX-TYPES",
                transactions=transaction("1", "2023-01-01", "5")
                + transaction("2", "2023-01-01", "10")
                + transaction("3", "2023-02-01", "4")
                + transaction("4", "2023-03-01", "3"),
            )
        ),
    )
    result = import_iati([path])
    assert result.transactions == 2
    assert sorted(AidTransaction.objects.values_list("type", flat=True)) == ["2", "3"]


def test_force_converts_again_once_the_rate_is_there(tmp_path):
    path = files.write(
        tmp_path,
        "eur.xml",
        document(
            activity("XX-EUR", currency="EUR", transactions=transaction("2", "2023-03-01", "90"))
        ),
    )
    import_iati([path])
    assert AidTransaction.objects.get().usd is None
    ExchangeRate.objects.create(
        currency="EUR", on=D(2023, 3, 1), units_per_usd=Decimal("0.9"), source="test"
    )
    assert import_iati([path]).unchanged == 1
    assert AidTransaction.objects.get().usd is None
    again = import_iati([path], force=True)
    assert (again.updated, again.transactions_without_usd) == (1, 0)
    assert AidTransaction.objects.get().usd == Decimal("100.00")

"""The files people actually have: each read as it is and said in the dry run, or refused with
the cause named when how to read it cannot be told (exchange.readers, exchange.formats)."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from adelante.commitments.models import Commitment
from adelante.exchange.columns import Columns
from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.formats import interpret
from adelante.exchange.loading import ReadOptions
from adelante.exchange.problems import ImportRejected
from adelante.exchange.readers import Row, Table
from tests.exchange.conftest import COMMITMENT_COLUMNS, commitment, run_import, table_counts

pytestmark = pytest.mark.django_db


def text_file(
    path: Path,
    rows: list[dict[str, str]],
    *,
    separator: str = ",",
    encoding: str = "utf-8",
    above: tuple[str, ...] = (),
    below: tuple[str, ...] = (),
) -> Path:
    """A delimited file of commitment rows, as a spreadsheet program writes it: lines `above`
    the header, then the rows, then lines `below`."""
    out = io.StringIO(newline="")
    out.write("".join(line + "\r\n" for line in above))
    writer = csv.writer(out, delimiter=separator)
    writer.writerow(COMMITMENT_COLUMNS)
    writer.writerows([row[c] for c in COMMITMENT_COLUMNS] for row in rows)
    out.write("".join(line + "\r\n" for line in below))
    path.write_bytes(out.getvalue().encode(encoding))
    return path


def rejected(path: Path, **options: bool) -> list[tuple[int, str, str]]:
    with pytest.raises(ImportRejected) as caught:
        import_commitments(path, dry_run=True, options=ReadOptions(**options))
    return [(p.line, p.column, p.reason) for p in caught.value.problems]


def test_spanish_excel_csv_utf8_with_bom(tmp_path):
    rows = [
        commitment(amount_usd="1.500.000,00", announced_on="27/03/2024"),
        commitment(partner="Beta SA", amount_usd="250.000,50", announced_on="27/03/2024"),
    ]
    path = text_file(tmp_path / "es.csv", rows, separator=";", encoding="utf-8-sig")
    result = import_commitments(path, dry_run=True)
    assert result.read_as == (
        "Read as: semicolon-separated, UTF-8, decimal comma, thousands separators, "
        "dates day/month/year."
    )
    assert result.created == 2
    import_commitments(path)
    assert sorted(Commitment.objects.values_list("amount_usd", "announced_on")) == [
        (Decimal("250000.50"), datetime.date(2024, 3, 27)),
        (Decimal("1500000.00"), datetime.date(2024, 3, 27)),
    ]


def test_windows_1252_with_title_rows_and_a_total_row(tmp_path):
    rows = [
        commitment(partner="Fundación Café", amount_usd="1.500.000,00"),
        commitment(partner="Niños SA", amount_usd="500.000"),
    ]
    path = text_file(
        tmp_path / "cp1252.csv",
        rows,
        separator=";",
        encoding="cp1252",
        above=("Compromisos 2024;;", ""),
        below=("Total;;;;2.000.000,00;;;;",),
    )
    result = import_commitments(path, dry_run=True)
    assert result.read_as == (
        "Read as: semicolon-separated, Windows-1252, header on line 3, decimal comma, "
        "thousands separators, total row on line 6 skipped."
    )
    assert [(r.line, r.outcome) for r in result.rows] == [(4, "new"), (5, "new")]
    import_commitments(path)
    assert set(Commitment.objects.values_list("partner__name", "amount_usd")) == {
        ("Fundación Café", Decimal("1500000.00")),
        ("Niños SA", Decimal("500000.00")),
    }


def test_a_total_row_that_is_not_the_sum_is_an_error_naming_both(tmp_path):
    rows = [commitment(amount_usd="1500000"), commitment(partner="Beta", amount_usd="500000")]
    path = text_file(tmp_path / "t.csv", rows, below=("TOTALES:,,,,1900000,,,,",))
    assert rejected(path) == [
        (
            4,
            "amount_usd",
            "this looks like a total row (“TOTALES:”), but 1900000 is not the sum of the rows "
            "above it, 2000000; correct it or remove the row",
        )
    ]


def test_a_partner_named_total_is_a_record_not_a_total_row(tmp_path):
    rows = [commitment(amount_usd="1500000"), commitment(partner="Total", amount_usd="10")]
    result = import_commitments(text_file(tmp_path / "t.csv", rows), dry_run=True)
    assert result.created == 2


def test_excel_unicode_text_utf16_tab_separated(tmp_path):
    rows = [commitment(partner="Café Ñandú", countries="Guatemala")]
    path = text_file(tmp_path / "unicode.txt", rows, separator="\t", encoding="utf-16")
    assert path.read_bytes()[:2] == b"\xff\xfe"
    result = import_commitments(path, dry_run=True)
    assert result.read_as == "Read as: tab-separated, UTF-16."
    import_commitments(path)
    assert Commitment.objects.get().partner.name == "Café Ñandú"


def test_dollar_signs_thousands_and_spaces(tmp_path):
    rows = [
        commitment(amount_usd="$1,500,000"),
        commitment(partner="B", amount_usd="US$ 2,000,000.50"),
        commitment(partner="C", amount_usd="1,250 USD"),
        commitment(partner="D", amount_usd="1 000 000"),
    ]
    path = text_file(tmp_path / "usd.csv", rows)
    result = import_commitments(path, dry_run=True)
    assert result.read_as == (
        "Read as: comma-separated, UTF-8, decimal point, thousands separators, "
        "spaces between thousands, currency signs ($, US$, USD) taken out."
    )
    import_commitments(path)
    assert sorted(Commitment.objects.values_list("amount_usd", flat=True)) == [
        Decimal("1250.00"),
        Decimal("1000000.00"),
        Decimal("1500000.00"),
        Decimal("2000000.50"),
    ]


def test_country_names_in_english_or_spanish(tmp_path):
    rows = [
        commitment(countries="Guatemala; EL SALVADOR"),
        commitment(partner="B", countries="honduras"),
        commitment(partner="C", countries="Región"),
        commitment(partner="D", countries="Guatemala", shares="Guatemala:100"),
    ]
    path = tmp_path / "names.csv"
    columns = (*COMMITMENT_COLUMNS, "shares")
    lines = [",".join(columns)] + [",".join(r.get(c, "") for c in columns) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    import_commitments(path)
    got = {
        c.partner.name: sorted(c.countries.values_list("country", flat=True))
        for c in Commitment.objects.all()
    }
    assert got == {"Acme Textiles": ["GT", "SV"], "B": ["HN"], "C": [], "D": ["GT"]}


def test_month_first_dates_when_the_file_shows_it(tmp_path):
    rows = [
        commitment(announced_on="03/27/2024"),
        commitment(partner="B", announced_on="2024-03-27"),
    ]
    result = import_commitments(text_file(tmp_path / "us.csv", rows), dry_run=True)
    assert result.read_as == "Read as: comma-separated, UTF-8, dates month/day/year."


def test_ambiguous_dates_refused_unless_day_first(tmp_path):
    rows = [
        commitment(announced_on="03/04/2024"),
        commitment(partner="B", announced_on="05/04/2024"),
    ]
    path = text_file(tmp_path / "dates.csv", rows)
    assert rejected(path) == [
        (
            2,
            "announced_on",
            "“03/04/2024” could be day/month or month/day, and no date in the file has a day "
            "above 12 to tell; if the dates are day/month, import with the day-first option "
            "(--day-first), otherwise write them as YYYY-MM-DD",
        )
    ]
    run = run_import("commitments", path, "--dry-run", "--day-first")
    assert run.ok, run.stderr
    assert "Read as: comma-separated, UTF-8, dates day/month/year (as asked)." in run.stdout
    import_commitments(path, options=ReadOptions(day_first=True))
    assert set(Commitment.objects.values_list("announced_on", flat=True)) == {
        datetime.date(2024, 4, 3),
        datetime.date(2024, 4, 5),
    }


def test_dates_written_both_ways_are_refused(tmp_path):
    rows = [
        commitment(announced_on="27/03/2024"),
        commitment(partner="B", announced_on="03/27/2024"),
    ]
    [(line, column, reason)] = rejected(text_file(tmp_path / "d.csv", rows))
    assert (line, column) == (3, "announced_on")
    assert reason.startswith("the file writes dates two ways: “27/03/2024” (line 2) day first")


@pytest.mark.parametrize(
    ("amounts", "line", "reason"),
    [
        (("1,500", "2,000"), 2, "“1,500” could be 1500 or 1.5, and no number in the file shows"),
        (("1.500", "2000"), 2, "“1.500” could be 1500 or 1.5"),
        (("1,5", "1.5"), 2, "the file writes numbers two ways: “1.5” (line 3) with a decimal "),
    ],
)
def test_numbers_that_cannot_be_told_are_refused(tmp_path, amounts, line, reason):
    rows = [commitment(partner=f"P{i}", amount_usd=a) for i, a in enumerate(amounts)]
    path = text_file(tmp_path / "n.csv", rows, separator=";")
    [(got_line, column, got)] = rejected(path)
    assert (got_line, column) == (line, "amount_usd")
    assert got.startswith(reason)


def test_one_decisive_number_decides_the_whole_file(tmp_path):
    # "1,500" alone could be either; "2,000.00" shows the comma separates thousands.
    rows = [commitment(amount_usd="1,500"), commitment(partner="B", amount_usd="2,000.00")]
    path = text_file(tmp_path / "n.csv", rows, separator=";")
    import_commitments(path)
    assert sorted(Commitment.objects.values_list("amount_usd", flat=True)) == [
        Decimal("1500.00"),
        Decimal("2000.00"),
    ]


def test_exact_duplicates_refused_or_merged(tmp_path):
    rows = [commitment(), commitment(partner="B"), commitment()]
    path = text_file(tmp_path / "dup.csv", rows)
    before = table_counts()
    assert rejected(path) == [
        (
            4,
            "(file)",
            "exactly the same row as line 2; remove one, or import with --allow-duplicates to "
            "count it once",
        )
    ]
    assert table_counts() == before
    run = run_import("commitments", path, "--allow-duplicates")
    assert run.ok, run.stderr
    assert run.stdout.endswith(
        "2 created, 0 updated, 0 unchanged. New partners: 2; new rounds: 1. "
        "1 row repeated exactly was counted once (line 4 = 2).\n"
    )
    assert Commitment.objects.count() == 2


def test_future_dates_refused_unless_allowed(tmp_path):
    today = timezone.localdate()
    far = today.replace(year=today.year + 2).isoformat()
    near = (today + datetime.timedelta(days=300)).isoformat()
    rows = [commitment(announced_on=far), commitment(partner="B", announced_on=near)]
    path = text_file(tmp_path / "future.csv", rows)
    assert rejected(path) == [
        (
            2,
            "announced_on",
            f"{far} is more than a year in the future; check the year, or import with "
            "--allow-future if it is right",
        )
    ]
    assert run_import("commitments", path, "--allow-future").ok
    assert Commitment.objects.count() == 2


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        (
            "|".join(COMMITMENT_COLUMNS).encode() + b"\nx|y\n",
            1,
            "the header seems to be on line 1, but its columns are not separated by a comma, a "
            "semicolon or a tab",
        ),
        (
            ",".join(COMMITMENT_COLUMNS).encode("utf-16-le"),
            1,
            "this file seems to be UTF-16 text without a byte-order mark",
        ),
        (
            b"Compromisos\nsocio,tipo,fecha\nAcme,empresa,2024\n",
            1,
            "no header found: none of the first 10 lines names the columns (partner, "
            "partner_type, announced_on, round, …); the first line reads “Compromisos”",
        ),
    ],
    ids=["pipes", "utf-16 without BOM", "no known column"],
)
def test_a_header_that_does_not_parse_gets_one_message_naming_the_cause(
    tmp_path, content, line, reason
):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    [(got_line, column, got)] = rejected(path)
    assert (got_line, column) == (line, "(file)")
    assert got.startswith(reason)


def test_title_rows_then_a_header_missing_a_column_name_the_header_line(tmp_path):
    columns = [c for c in COMMITMENT_COLUMNS if c != "focus"]
    path = tmp_path / "t.csv"
    row = commitment()
    path.write_text(
        "Our commitments\n\n" + ";".join(columns) + "\n" + ";".join(row[c] for c in columns),
        encoding="utf-8",
    )
    assert rejected(path) == [(3, "focus", "required column missing from the header")]


def test_xlsx_title_row_typed_cells_and_text_formats(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Commitments, March 2024"])
    sheet.append(list(COMMITMENT_COLUMNS))
    typed = commitment()
    typed["amount_usd"] = 1500000.5  # type: ignore[assignment]
    typed["announced_on"] = datetime.datetime(2024, 3, 27)  # type: ignore[assignment]  # noqa: DTZ001
    as_text = commitment(partner="B", amount_usd="2.000.000,00", announced_on="27/03/2024")
    sheet.append([typed[c] for c in COMMITMENT_COLUMNS])
    sheet.append([as_text[c] for c in COMMITMENT_COLUMNS])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    result = import_commitments(path, dry_run=True)
    assert result.read_as == (
        "Read as: XLSX, sheet “Sheet”, header on line 2, decimal comma, thousands separators, "
        "dates day/month/year."
    )
    import_commitments(path)
    assert sorted(Commitment.objects.values_list("amount_usd", "announced_on")) == [
        (Decimal("1500000.50"), datetime.date(2024, 3, 27)),
        (Decimal("2000000.00"), datetime.date(2024, 3, 27)),
    ]


NUMBERS = Columns(required=("n",), numbers=("n",))


def _interpreted(texts: list[str]) -> list[str]:
    rows = tuple(Row(line, {"n": text}) for line, text in enumerate(texts, 2))
    table = interpret(Table("f.csv", ("n",), rows), NUMBERS)
    return [row.get("n") for row in table.rows]


def _grouped(whole: int, separator: str) -> str:
    text = str(whole)
    groups = []
    while len(text) > 3:
        groups.insert(0, text[-3:])
        text = text[:-3]
    return separator.join([text, *groups])


@given(
    amounts=st.lists(
        st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False), min_size=1
    ),
    style=st.sampled_from([(",", "."), (".", ","), (" ", ","), (" ", ".")]),
)
def test_every_amount_written_with_separators_reads_back_exactly(amounts, style):
    """Written with thousands separators and a decimal mark, and one number with cents that
    decides the file, every amount reads back as the same Decimal."""
    thousands, mark = style
    texts = [_grouped(int(a), thousands) + mark + f"{a:.2f}".split(".")[1] for a in amounts] + [
        "1" + thousands + "234" + mark + "56"
    ]
    assert [Decimal(t) for t in _interpreted(texts)] == [*amounts, Decimal("1234.56")]

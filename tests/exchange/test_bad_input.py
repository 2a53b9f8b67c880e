"""All or nothing: a file with any bad row writes nothing, and says what is wrong where."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from tests.exchange.conftest import (
    COMMITMENT_COLUMNS,
    commitment,
    run_import,
    table_counts,
    write_csv,
)

pytestmark = pytest.mark.django_db

OPTIONAL = (
    "relation",
    "amount",
    "currency",
    "qualifier",
    "kind",
    "shares",
    "status",
    "withdrawn_on",
)


def problems(stderr: str) -> list[tuple[str, int, str, str]]:
    """Every stderr line, parsed as file:line: column: reason (a line that is not is an error)."""
    found = []
    for line in stderr.splitlines():
        match = re.fullmatch(
            r"(?P<file>.+?):(?P<line>\d+): (?P<column>[^:]+): (?P<reason>.+)", line
        )
        assert match, f"not file:line: column: reason: {line!r}"
        found.append((match["file"], int(match["line"]), match["column"], match["reason"]))
    return found


# (cells of the bad row, the column reported, words the reason contains)
BAD_ROWS = [
    ({"countries": "GT;QQ"}, "countries", "unknown country “QQ”"),
    # A real country, not one of the initiative's (GT, SV, HN).
    (
        {"countries": "GT;MX"},
        "countries",
        "MX is not one of the initiative's countries (GT, SV, HN)",
    ),
    ({"countries": ""}, "countries", "empty"),
    ({"countries": "REGION;GT"}, "countries", "cannot be combined"),
    ({"amount_usd": "-5"}, "amount_usd", "must be more than zero"),
    ({"amount_usd": "five million"}, "amount_usd", "not a number"),
    ({"amount_usd": "1e3"}, "amount_usd", "scientific notation"),
    ({"amount_usd": "1000000000000.01"}, "amount_usd", "too large (more than 1,000,000,000,000)"),
    ({"amount_usd": "1,500"}, "amount_usd", "could be 1500 or 1.5"),
    ({"amount_usd": "10.0051"}, "amount_usd", "decimal places"),
    ({"announced_on": "2024-02-30"}, "announced_on", "not a valid date"),
    ({"announced_on": "03/01/2024"}, "announced_on", "could be day/month or month/day"),
    ({"announced_on": "30/02/2024"}, "announced_on", "“2024-02-30” is not a valid date"),
    ({"announced_on": "2099-03-01"}, "announced_on", "more than a year in the future"),
    ({"announced_on": "1 March 2024"}, "announced_on", "not a date"),
    ({"announced_on": ""}, "announced_on", "empty"),
    ({"partner": ""}, "partner", "empty"),
    ({"partner": "()"}, "partner", "no letters or digits"),
    ({"partner_type": "government"}, "partner_type", "not one of company, foundation, ngo"),
    ({"round": ""}, "round", "empty"),
    ({"source_url": "not a url"}, "source_url", "not a web address"),
    ({"qualifier": "roughly"}, "qualifier", "not one of exact, at_least"),
    ({"qualifier": "undisclosed"}, "qualifier", "An undisclosed amount is left empty"),
    ({"qualifier": "at_least", "amount_usd": ""}, "qualifier", "Give the amount, or choose"),
    ({"amount_usd": "0"}, "amount_usd", "The amount must be more than zero."),
    ({"relation": "renewal"}, "relation", "not one of new, increase, restatement"),
    ({"relation": "increase"}, "relation", "has no earlier commitment"),
    ({"kind": "donation"}, "kind", "not one of capital_investment"),
    (
        {"amount": "100", "currency": "GTQ", "amount_usd": ""},
        "currency",
        "no exchange rate for GTQ",
    ),
    ({"amount": "100", "currency": "", "amount_usd": ""}, "currency", "required when amount"),
    ({"amount": "100", "currency": "USD"}, "amount_usd", "makes 100"),
    ({"currency": "GTQ"}, "currency", "amount is empty"),
    ({"currency": "quetzal", "amount": "5", "amount_usd": ""}, "currency", "not a currency code"),
    ({"countries": "GT;SV", "shares": "GT:60;SV:30"}, "shares", "add up to 90"),
    ({"countries": "GT;SV", "shares": "GT:100"}, "shares", "but the countries are"),
    ({"status": "withdrawn"}, "withdrawn_on", "required when the status is withdrawn"),
    ({"withdrawn_on": "2024-01-01"}, "withdrawn_on", "before the announcement date"),
    ({"status": "announced", "withdrawn_on": "2024-05-01"}, "withdrawn_on", "status is announced"),
    ({"status": "forgotten"}, "status", "not one of proposed"),
]


@pytest.mark.parametrize(
    ("cells", "column", "reason"), BAD_ROWS, ids=[b[1] + ":" + b[2] for b in BAD_ROWS]
)
def test_bad_row(real_record, tmp_path, cells, column, reason):
    path = write_csv(
        tmp_path / "bad.csv",
        [commitment(partner="Good Row Ltd"), commitment(**cells)],
        COMMITMENT_COLUMNS + OPTIONAL,
    )
    before = table_counts()

    run = run_import("commitments", path)

    assert not run.ok
    assert "nothing was imported" in run.error
    [(file, line, reported, text)] = problems(run.stderr)
    assert (file, line, reported) == (str(path), 3, column)
    assert reason in text
    assert table_counts() == before


def test_every_problem_of_the_file_is_reported(real_record, tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [
            commitment(amount_usd="-1", countries="XX"),
            commitment(partner="Fine Co"),
            commitment(partner="", announced_on="2024-13-01"),
        ],
    )
    before = table_counts()
    run = run_import("commitments", path)
    assert [(line, column) for _f, line, column, _r in problems(run.stderr)] == [
        (2, "amount_usd"),
        (2, "countries"),
        (4, "partner"),
        (4, "announced_on"),
    ]
    assert "4 problems" in run.error
    assert table_counts() == before


def test_a_name_matching_two_partners_is_an_error(real_record, tmp_path):
    # "Tigo" is Millicom's alias, "Nestlé" Nespresso's.
    path = write_csv(tmp_path / "bad.csv", [commitment(partner="Tigo (Nestlé)")])
    before = table_counts()
    run = run_import("commitments", path)
    [(_file, line, column, reason)] = problems(run.stderr)
    assert (line, column) == (2, "partner")
    assert "matches two different partners, “Millicom” and “Nespresso”" in reason
    assert table_counts() == before


def test_the_same_partner_with_two_types_is_an_error(tmp_path):
    path = write_csv(
        tmp_path / "bad.csv",
        [commitment(), commitment(partner="ACME TEXTILES", partner_type="ngo")],
    )
    run = run_import("commitments", path)
    [(_file, line, column, reason)] = problems(run.stderr)
    assert (line, column) == (3, "partner_type")
    assert "line 2 gave company" in reason


def test_missing_required_column(real_record, tmp_path):
    columns = [c for c in COMMITMENT_COLUMNS if c != "amount_usd"]
    path = write_csv(tmp_path / "bad.csv", [commitment()], columns)
    before = table_counts()
    run = run_import("commitments", path)
    assert problems(run.stderr) == [
        (str(path), 1, "amount_usd", "required column missing from the header")
    ]
    assert table_counts() == before


def test_unknown_and_duplicate_columns(tmp_path):
    path = tmp_path / "bad.csv"
    header = ",".join((*COMMITMENT_COLUMNS, "qualifer"))
    path.write_text(f"{header}\n", encoding="utf-8")
    [(_f, line, column, reason)] = problems(run_import("commitments", path).stderr)
    assert (line, column) == (1, "qualifer")
    assert reason.startswith("unknown column")

    path.write_text(",".join((*COMMITMENT_COLUMNS, "partner")) + "\n", encoding="utf-8")
    [(_f, line, column, reason)] = problems(run_import("commitments", path).stderr)
    assert (line, column, reason) == (1, "partner", "this column appears twice in the header")


def test_not_utf8_and_not_windows_1252(real_record, tmp_path):
    """Bytes that are not UTF-8 are read as Windows-1252 only when that gives the characters
    Spanish or English text holds; DOS's "é" (0x82) is Windows-1252's low quote: refused."""
    path = tmp_path / "dos.csv"
    text = ",".join(COMMITMENT_COLUMNS) + "\n" + ",".join(commitment().values()) + "\n"
    text += ",".join(commitment(partner="Café Terra").values()) + "\n"
    path.write_bytes(text.encode("cp850"))
    before = table_counts()
    run = run_import("commitments", path)
    [(file, line, column, reason)] = problems(run.stderr)
    assert (file, line, column) == (str(path), 3, "(file)")
    assert reason.startswith("not UTF-8 text (byte 0x82 on line 3), and read as Windows-1252")
    assert "holds “\u201a”, which suggests another encoding" in reason
    assert table_counts() == before
    # "Fundación" in DOS: "ó" is 0xa2, Windows-1252's "¢", a sign between letters: refused too.
    text = ",".join(COMMITMENT_COLUMNS) + "\n" + ",".join(commitment(partner="Fundación").values())
    path.write_bytes(text.encode("cp850"))
    [(file, line, column, reason)] = problems(run_import("commitments", path).stderr)
    assert (line, column) == (2, "(file)")
    assert "holds “¢”, which suggests another encoding" in reason


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("report.pdf", b"%PDF-1.7\n...", "not a CSV or XLSX file"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "old binary Excel file"),
        ("broken.xlsx", b"partner,round\n", "not a valid XLSX file"),
        ("archive.csv", b"PK\x03\x04" + bytes(100), "not a valid XLSX file"),
        ("binary.csv", b"partner\x00\x01", "not a text file"),
        ("empty.csv", b"", "no header row"),
        ("quote.csv", b'partner,round\n"unclosed,x\n', "not valid CSV"),
    ],
)
def test_not_csv_or_xlsx(real_record, tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    before = table_counts()
    run = run_import("commitments", path)
    [(file, _line, column, text)] = problems(run.stderr)
    assert (file, column) == (str(path), "(file)")
    assert reason in text
    assert table_counts() == before


def test_missing_file(tmp_path):
    run = run_import("commitments", tmp_path / "nowhere.csv")
    [(_f, line, column, reason)] = problems(run.stderr)
    assert (line, column) == (1, "(file)")
    assert reason.startswith("cannot read the file")


def test_bad_xlsx_row_reports_the_row_number(real_record, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(COMMITMENT_COLUMNS)
    sheet.append(list(commitment().values()))
    sheet.append([])
    sheet.append(list(commitment(partner="Other", amount_usd="-3").values()))
    path = Path(tmp_path / "bad.xlsx")
    workbook.save(path)
    before = table_counts()
    run = run_import("commitments", path)
    assert problems(run.stderr) == [
        (str(path), 4, "amount_usd", "The amount must be more than zero.")
    ]
    assert table_counts() == before

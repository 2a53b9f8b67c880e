"""Reading CSV and XLSX files into rows of text cells with their line numbers."""

from __future__ import annotations

import openpyxl
import pytest

from adelante.exchange.problems import ImportRejected
from adelante.exchange.readers import read_table


def test_csv_with_byte_order_mark_and_multiline_cells(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(
        '\ufeffPartner , Summary\r\nAcme,"two\r\nlines"\r\n\r\n,\r\nBeta , b \r\n'.encode()
    )
    table = read_table(path)
    assert table.columns == ("partner", "summary")
    # Line numbers are where each row starts; blank rows are skipped; cells are stripped.
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"partner": "Acme", "summary": "two\r\nlines"}),
        (6, {"partner": "Beta", "summary": "b"}),
    ]


def test_short_rows_read_as_empty_cells_and_extra_values_are_problems(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text("a,b\n1\n1,2,3\n1,2,,\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_table(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: column 3: a value in a column that has no name in the header"
    ]
    path.write_text("a,b\n1\n1,2,,\n", encoding="utf-8")
    assert [row.cells for row in read_table(path).rows] == [{"a": "1"}, {"a": "1", "b": "2"}]


def test_xlsx_first_sheet_with_row_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Partner", "Amount_USD", None])
    sheet.append(["Acme", 1500000, None])
    sheet.append([None, None])
    sheet.append(["Beta", 0.1])
    workbook.create_sheet("other").append(["x"])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.columns == ("partner", "amount_usd")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, {"partner": "Acme", "amount_usd": "1500000"}),
        (4, {"partner": "Beta", "amount_usd": "0.1"}),
    ]


def test_xlsx_content_decides_the_format_whatever_the_name(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["partner"])
    workbook.active.append(["Acme"])
    path = tmp_path / "named-like-a.csv"
    workbook.save(path)
    assert read_table(path).rows[0].cells == {"partner": "Acme"}


def test_problem_names_the_file_as_given(tmp_path):
    path = tmp_path / "x.json"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        read_table(path, file="x.json")
    [problem] = caught.value.problems
    assert str(problem).startswith("x.json:1: (file): not a CSV or XLSX file")

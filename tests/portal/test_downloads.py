"""The explorer's selection as CSV and XLSX: the same rows, no confidential amount, and text
that a spreadsheet cannot run as a formula."""

import csv
import io

import pytest
from openpyxl import load_workbook

from adelante.commitments.models import Commitment
from adelante.portal.downloads import COLUMNS, safe_text
from tests.portal.conftest import SCRIPT

pytestmark = pytest.mark.django_db


def csv_rows(client, **params):
    response = client.get("/en/commitments/download.csv", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def xlsx_rows(client, **params):
    response = client.get("/en/commitments/download.xlsx", params)
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    # The headings are in the reader's language; the second sheet names each column.
    names = [name for _heading, name in list(book.worksheets[1].iter_rows(values_only=True))[1:]]
    assert len(names) == len(rows[0])
    # Read-only workbooks leave out empty cells at the end of a row.
    return [
        dict(zip(names, row + (None,) * (len(names) - len(row)), strict=True)) for row in rows[1:]
    ]


def test_csv_has_the_selection_in_order_with_stable_columns(client, record):
    rows = csv_rows(client, country="gt", sort="reference")
    expected = sorted(
        Commitment.objects.exclude(status="proposed")
        .filter(countries__country="GT")
        .values_list("reference", flat=True)
    )
    assert [r["reference"] for r in rows] == expected
    assert tuple(rows[0]) == COLUMNS
    alpha = next(r for r in rows if r["reference"] == record.alpha.reference)
    assert alpha["amount_usd"] == "300000000.00"
    assert alpha["countries"] == "GT;SV"
    assert alpha["shares_percent"] == "GT:60;SV:40"
    assert alpha["focus_areas"] == "agriculture;financial_inclusion"
    assert alpha["url"] == f"http://testserver/en/commitments/{record.alpha.reference}/"


def test_no_confidential_amount_in_either_download(client, record):
    for rows in (csv_rows(client), xlsx_rows(client)):
        secret = next(r for r in rows if r["reference"] == record.secret.reference)
        assert secret["qualifier"] == "confidential"
        assert secret["amount_usd"] in ("", None)
        assert secret["amount"] in ("", None)
        assert all("12345678" not in str(value) for value in secret.values())
    assert record.proposal.reference not in {r["reference"] for r in csv_rows(client)}


def test_formula_injection_is_defused(client, record):
    for rows in (csv_rows(client, q="HYPERLINK"), xlsx_rows(client, q="HYPERLINK")):
        (evil,) = rows
        assert evil["title"] == '\'=HYPERLINK("http://evil.example")'
        assert evil["summary"].startswith("'@SUM(1+1)")
        assert evil["partner"] == SCRIPT  # harmless in a cell; escaped on pages


def test_xlsx_cells_are_text_not_formulas(client, record):
    response = client.get("/en/commitments/download.xlsx", {"q": "HYPERLINK"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    types = {c.value: c.data_type for row in book.active.iter_rows() for c in row if c.value}
    assert all(kind != "f" for kind in types.values())


def test_xlsx_has_the_same_rows_as_csv(client, record):
    by_csv = csv_rows(client, sort="reference")
    by_xlsx = xlsx_rows(client, sort="reference")
    assert [r["reference"] for r in by_csv] == [r["reference"] for r in by_xlsx]
    alpha = next(r for r in by_xlsx if r["reference"] == record.alpha.reference)
    assert alpha["amount_usd"] == 300000000


def test_downloads_take_the_date_and_refuse_bad_parameters(client, record):
    rows = csv_rows(client, as_of="2021-12-13")
    assert {r["reference"] for r in rows} == {
        record.alpha.reference,
        record.beta.reference,
        record.withdrawn.reference,
    }
    assert client.get("/en/commitments/download.csv", {"country": "xx"}).status_code == 400
    assert client.get("/en/commitments/download.xlsx", {"as_of": "nope"}).status_code == 400


def test_the_explorer_links_its_downloads_with_its_filters(client, record):
    page = client.get("/en/commitments/", {"country": "gt", "page": "1"}).content.decode()
    assert 'href="/en/commitments/download.csv?country=gt"' in page
    assert 'href="/en/commitments/download.xlsx?country=gt"' in page


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_safe_text(text, safe):
    assert safe_text(text) == safe

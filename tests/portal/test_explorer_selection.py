"""The explorer's selection: its total (from the figures module) equals the sum of its CSV,
its sortable column headers, its XLSX (formats, frozen header, filter, the reader's language),
and the 400, 404 and 414 pages that help the reader on."""

from __future__ import annotations

import csv
import datetime
import io
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from adelante.figures.committed import committed, committed_within
from adelante.money.qualifiers import TotalQualifier
from adelante.portal.downloads import COLUMNS
from adelante.portal.explorer import ExplorerQuery, select

FILTERS = [
    {},
    {"country": "gt"},
    {"country": "hn"},
    {"country": "regional"},
    {"kind": "lending"},
    {"partner_type": "foundation"},
    {"q": "alpha"},
    {"q": "corp", "country": "sv"},
    {"status": "withdrawn"},
    {"as_of": "2021-12-31"},
]


def counts(row, day):
    """A CSV row whose amount is in the total: new money (a restatement counts zero), not
    withdrawn by the day (DOMAIN rule 2), with a public amount (a confidential one is blank)."""
    withdrawn = row["withdrawn_on"] and datetime.date.fromisoformat(row["withdrawn_on"]) <= day
    return bool(row["amount_usd"]) and row["relation"] != "restatement" and not withdrawn


def csv_sum(client, params):
    response = client.get("/en/commitments/download.csv", params)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    day = min(datetime.date.fromisoformat(params.get("as_of", "2100-01-01")), timezone.localdate())
    counted = [r for r in rows if counts(r, day)]
    return sum((Decimal(r["amount_usd"]) for r in counted), Decimal(0)), counted


def shown_total(page):
    found = re.search(r'data-figure="selection-total">.*?<strong>(.*?)</strong>', page, re.S)
    return found.group(1)


@pytest.mark.parametrize("params", FILTERS)
def test_the_selection_total_is_the_sum_of_its_csv(client, record, params):
    page = client.get("/en/commitments/", params).content.decode()
    expected, counted = csv_sum(client, params)
    text = shown_total(page)
    assert Decimal(re.sub(r"[^\d.]", "", text) or "0") == expected, (params, text)
    # The count beside it: the commitments whose amount is in it.
    assert f"the amounts of {len(counted)} commitment" in page


def test_the_total_carries_its_qualifier_and_leaves_confidential_out(client, record):
    page = client.get("/en/commitments/", {"country": "hn"}).content.decode()
    # Beta is "at least": so is any total that includes it.
    assert shown_total(page).startswith("at least")
    assert "12,345,678" not in page
    assert "confidential amount" in page
    spanish = client.get("/es/commitments/", {"country": "hn"}).content.decode()
    assert "Comprometido en esta selección" in spanish


def test_the_whole_record_total_is_the_committed_figure(record):
    day = datetime.date(2030, 1, 1)
    everything = committed_within(select(ExplorerQuery(), day), day)
    assert everything.amount_usd == committed(day).amount_usd
    assert everything.qualifier == committed(day).qualifier


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    country=st.sampled_from([None, "GT", "SV", "HN", "regional", "multi-country"]),
    kind=st.sampled_from([None, "lending", "programme", "capital_investment"]),
    day=st.dates(datetime.date(2021, 1, 1), datetime.date(2024, 1, 1)),
)
def test_a_selection_total_never_exceeds_the_committed_total(record, country, kind, day):
    chosen = committed_within(select(ExplorerQuery(country=country, kind=kind), day), day)
    whole = committed(day)
    assert Decimal(0) <= chosen.amount_usd <= whole.amount_usd
    assert chosen.commitments <= whole.commitments
    assert chosen.qualifier in TotalQualifier.values
    assert isinstance(chosen.amount_usd, Decimal)


def headers(page):
    """{label: the header's attributes}"""
    head = re.search(r"<thead>(.*?)</thead>", page, re.S).group(1)
    cells = re.findall(r"<th scope=\"col\"([^>]*)>(.*?)</th>", head, re.S)
    return {re.sub(r"<[^>]*>", " ", label).split()[0]: attrs for attrs, label in cells}


def test_sortable_headers_link_to_the_sort_and_say_which_is_current(client, record):
    page = client.get("/en/commitments/", {"country": "gt"}).content.decode()
    cells = headers(page)
    # The default sort (newest first) is the round column, descending.
    assert 'aria-sort="descending"' in cells["Round"]
    assert sum("aria-sort" in attrs for attrs in cells.values()) == 1
    links = dict(re.findall(r'<a href="([^"]+)" class="sort">([A-Za-z]+)', page))
    amount = next(url for url, label in links.items() if label == "Amount")
    query = parse_qs(urlsplit(amount.replace("&amp;", "&")).query)
    assert query == {"country": ["gt"], "sort": ["-amount_usd"]}
    largest = client.get("/en/commitments/" + amount.replace("&amp;", "&")).content.decode()
    cells = headers(largest)
    assert 'aria-sort="descending"' in cells["Amount"]
    # Clicking again sorts the other way.
    again = dict(re.findall(r'<a href="([^"]+)" class="sort">([A-Za-z]+)', largest))
    smallest = next(url for url, label in again.items() if label == "Amount")
    assert "sort=amount_usd" in smallest
    # The status and countries columns are not sortable.
    assert not any(label == "Status" for label in links.values())


def test_the_xlsx_speaks_the_readers_language_with_formats_and_a_filter(client, record):
    for language, sheet, heading in (
        ("en", "Commitments", "Reference"),
        ("es", "Compromisos", "Referencia"),
    ):
        response = client.get(f"/{language}/commitments/download.xlsx", {"sort": "reference"})
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        main = book.worksheets[0]
        assert main.title == sheet
        assert main["A1"].value == heading
        assert main.freeze_panes == "A2"
        assert main.auto_filter.ref == f"A1:V{main.max_row}"
        amount = COLUMNS.index("amount_usd") + 1
        announced = COLUMNS.index("announced_on") + 1
        cells = [row[amount - 1] for row in main.iter_rows(min_row=2) if row[amount - 1].value]
        assert cells and all(c.number_format == "#,##0.00" for c in cells)
        assert all(
            row[announced - 1].number_format == "yyyy-mm-dd" for row in main.iter_rows(min_row=2)
        )
        names = [row[1].value for row in book.worksheets[1].iter_rows(min_row=2)]
        assert tuple(names) == COLUMNS


def test_the_400_link_leaves_out_every_bad_parameter_at_once(client, record):
    response = client.get(
        "/en/commitments/",
        {"country": "xx", "kind": "gold", "as_of": "nope", "recorded_on": "never", "q": "alpha"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    for name in ("country", "kind", "as_of", "recorded_on"):
        assert name in page or "not a" in page
    retry = re.search(r'<a href="([^"]+)">Try the same page without it', page).group(1)
    assert retry.replace("&amp;", "&") == "/en/commitments/?q=alpha"
    assert client.get(retry.replace("&amp;", "&")).status_code == 200
    partners = client.get("/en/partners/", {"type": "pirate", "as_of": "nope", "q": "a"})
    retry = re.search(r'<a href="([^"]+)">Try', partners.content.decode()).group(1)
    assert retry == "/en/partners/?q=a"


def test_an_over_long_query_string_gets_the_portals_own_414_page(client, record):
    for language, words in (
        ("en", "This address is too long"),
        ("es", "Esta dirección es demasiado larga"),
    ):
        response = client.get(f"/{language}/commitments/", {"q": "x" * 3000})
        assert response.status_code == 414
        page = response.content.decode()
        assert words in page
        assert f'href="/{language}/commitments/">' in page
        assert "xxxxxxxxxx" not in page
    # The API answers for itself.
    assert client.get("/api/v1/commitments", {"q": "x" * 3000}).status_code != 414


def test_page_counts_are_singular_or_plural(client, record):
    one = client.get("/en/commitments/", {"page": "9"}).content.decode()
    assert "this selection has 1 page." in one
    spanish = client.get("/es/commitments/", {"page": "9"}).content.decode()
    assert "1 página." in spanish
    api = client.get("/api/v1/commitments", {"page": "9"}).json()
    assert "there is 1." in api["detail"]

"""The commitments explorer: filters, search, sorting, pages, and bad parameters."""

import re

import pytest

from adelante.commitments.models import Commitment
from adelante.portal.explorer import ExplorerQuery, parse
from adelante.portal.problems import BadParameters
from tests.portal.conftest import DEC, SCRIPT

pytestmark = pytest.mark.django_db


def listed(client, **params):
    response = client.get("/en/commitments/", params)
    assert response.status_code == 200, response.content.decode()[:2000]
    page = response.content.decode()
    return re.findall(r'href="/en/commitments/([^/"?]+)/', page), page


def refs(*commitments):
    return {c.reference for c in commitments}


def test_lists_every_published_commitment_and_no_proposal(client, record):
    found, page = listed(client)
    published = Commitment.objects.exclude(status="proposed")
    assert set(found) == set(published.values_list("reference", flat=True))
    assert record.proposal.reference not in found
    assert "Epsilon" not in page
    assert f"{published.count()} commitments" in page


def test_confidential_amount_reads_confidential(client, record):
    found, page = listed(client, q="Gamma")
    assert found == [record.secret.reference]
    assert "confidential" in page
    assert "12,345,678" not in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"country": "hn"}, ("beta", "secret")),
        ({"country": "HN"}, ("beta", "secret")),
        ({"country": "regional"}, ("regional",)),
        ({"kind": "lending"}, ("secret",)),
        ({"focus": "agriculture"}, ("alpha", "beta")),
        ({"partner_type": "foundation"}, ("beta",)),
        ({"status": "withdrawn"}, ("withdrawn",)),
        ({"country": "gt", "kind": "capital_investment"}, ("alpha",)),
        ({"q": "alphabet soup"}, ("alpha", "restated")),  # an alias
        ({"q": "HYPERLINK"}, ("evil",)),  # the title
        ({"q": "@sum"}, ("evil",)),  # the summary
        ({"q": "beta found"}, ("beta",)),  # words of the partner's name
        ({"q": "100%_"}, ()),  # LIKE wildcards are searched as text
    ],
)
def test_filters_and_search(client, record, params, expected):
    found, _ = listed(client, **params)
    assert set(found) == refs(*(getattr(record, name) for name in expected))


def test_round_and_partner_filters(client, record):
    found, _ = listed(client, round=record.beta.round.slug)
    assert set(found) == refs(record.beta, record.withdrawn)
    found, page = listed(client, partner=record.alpha.partner.slug)
    assert set(found) == refs(record.alpha, record.restated)
    assert "Commitments of Alpha Corp" in page


def test_as_of_lists_what_was_announced_by_then(client, record):
    found, page = listed(client, as_of=DEC.isoformat())
    assert set(found) == refs(record.alpha, record.beta, record.withdrawn)
    assert "Past view." in page


@pytest.mark.parametrize(
    ("sort", "first"),
    [("amount_usd", "evil"), ("-amount_usd", "alpha"), ("partner", "alpha"), ("-partner", "pesos")],
)
def test_sorting(client, record, sort, first):
    found, _ = listed(client, sort=sort)
    assert found[0] == getattr(record, first).reference or (
        first == "alpha" and found[0] in refs(record.alpha, record.restated)
    )


def test_a_confidential_amount_sorts_as_no_amount(client, record):
    found, _ = listed(client, sort="-amount_usd")
    with_amounts = [r for r in found if r not in refs(record.secret, record.regional)]
    assert found.index(record.secret.reference) >= len(with_amounts)


def test_pages(client, record):
    found, page = listed(client, per_page="25")
    assert len(found) == Commitment.objects.exclude(status="proposed").count()
    for number in range(1, 40):  # more rows, to page through them
        Commitment.objects.create(
            reference=f"bulk-{number:02d}",
            partner=record.alpha.partner,
            round=record.alpha.round,
            announced_on=record.alpha.announced_on,
            title=f"Bulk {number}",
            status="announced",
        )
    first, page = listed(client, sort="reference")
    second, page2 = listed(client, sort="reference", page="2")
    everything = sorted(
        Commitment.objects.exclude(status="proposed").values_list("reference", flat=True)
    )
    assert first == everything[:25]
    assert second == everything[25:50]
    assert "page 2 of 2" in page2
    assert 'rel="prev"' in page2 and 'aria-current="page"' in page2
    # Page links keep the sort.
    assert "sort=reference" in re.search(r'href="([^"]*page=2[^"]*)"', page).group(1)


def test_a_page_beyond_the_last_is_a_helpful_404(client, record):
    response = client.get("/en/commitments/", {"page": "99999", "country": "gt"})
    assert response.status_code == 404
    page = response.content.decode()
    assert "There is no page 99,999" in page
    assert "last page" in page and "country=gt" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"country": "xx"}, "There is no country"),
        ({"kind": "gold"}, "is not a choice"),
        ({"status": "proposed"}, "not a status of a published commitment"),
        ({"round": "no-such-round"}, "There is no round"),
        ({"focus": "nope"}, "There is no focus area"),
        ({"partner": "nobody"}, "There is no partner"),
        ({"sort": "title; DROP TABLE"}, "not a way to sort"),
        ({"page": "0"}, "is not a page number"),
        ({"page": "-1"}, "is not a page number"),
        ({"page": "1e3"}, "is not a page number"),
        ({"page": "9" * 2000}, "is not a page number"),
        ({"page": "\u0663"}, "is not a page number"),
        ({"per_page": "1000000"}, "commitments a page"),
        ({"q": "a\x00b"}, "cannot be searched"),
        ({"as_of": "2022-13-45"}, "is not a date"),
        ({"as_of": "yesterday"}, "is not a date"),
        ({"as_of": "0001-01-01"}, "too early"),
    ],
)
def test_bad_parameters_are_a_400_page_that_says_why(client, record, params, message):
    response = client.get("/en/commitments/", params)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Try the same page without it" in page


def test_several_problems_are_reported_together_and_the_retry_link_drops_them(client, record):
    response = client.get("/en/commitments/", {"country": "xx", "kind": "gold", "q": "ok"})
    page = response.content.decode()
    assert "There is no country" in page and "is not a choice" in page
    retry = re.search(r'href="([^"]*)">Try the same page', page).group(1)
    assert retry == "/en/commitments/?q=ok"


def test_search_text_is_escaped(client, record):
    found, page = listed(client, q=SCRIPT)
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert set(found) == refs(record.evil)


def test_the_query_parser():
    query = parse({"country": "GT", "kind": "lending", "sort": "-amount_usd", "page": "3"})
    assert query == ExplorerQuery(country="GT", kind="lending", sort="-amount_usd", page=3)
    assert query.params() == {
        "country": "gt",
        "kind": "lending",
        "sort": "-amount_usd",
        "page": "3",
    }
    assert query.params(page=1) == {"country": "gt", "kind": "lending", "sort": "-amount_usd"}
    assert parse({}) == ExplorerQuery()
    with pytest.raises(BadParameters) as raised:
        parse({"kind": "x", "per_page": "7"})
    assert raised.value.drop == ("kind", "per_page")

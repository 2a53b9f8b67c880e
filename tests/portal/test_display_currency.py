"""An initiative whose currency for display is not US$: its overview (committed and invested)
and the installation's list of initiatives (committed) show the total in that currency beside
the US$ figure, with the rate, its day and its source, in the reader's language
(docs/initiatives.md); nothing for a US$ initiative or a currency the record has no rate for."""

from __future__ import annotations

import datetime
import html
import re
from decimal import Decimal

import pytest

from adelante.commitments.models import Commitment
from adelante.currency.models import ExchangeRate
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative, InitiativeCountry
from tests import builders
from tests.portal.conftest import PortalRecord, figure

SLUG = "coastal"
DAY = datetime.date(2023, 2, 7)
RATE_DAY = datetime.date(2023, 2, 3)
SOURCE = "https://example.org/synthetic-rates"
CONVERTED = "display-currency"


def _initiative(currency: str) -> Initiative:
    made = Initiative.objects.create(
        slug=SLUG, name="Coastal", name_es="Costero", position=1, display_currency=currency
    )
    InitiativeCountry.objects.create(initiative=made, code="KE", position=0)
    with scope.within(made):
        builders.commitment("Mombasa Ports", "4000000", DAY, countries=["KE"])
        builders.commitment("Lamu Fish", "170000.25", DAY, countries=["KE"])
    return made


@pytest.fixture
def coastal(record: PortalRecord) -> Initiative:
    ExchangeRate.objects.create(
        currency="KES", on=RATE_DAY, units_per_usd=Decimal("129.50"), source=SOURCE
    )
    return _initiative("KES")


def converted(page: str) -> str:
    """The paragraph with the total in the initiative's currency, as text."""
    found = re.search(rf'data-figure="committed-{CONVERTED}"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no total in the initiative's currency on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_overview_shows_the_total_in_its_currency_beside_the_us_dollars(client, coastal):
    page = _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    assert figure(page, "committed") == "US$4,170,000.25"
    # 4,170,000.25 * 129.5 = 540,015,032.375 → 540,015,032.38 (half-even).
    assert converted(page) == (
        f"≈ KES 540,015,032.38 at 129.5 KES per US$ on Feb. 3, 2023 (source: {SOURCE})"
    )
    assert f'<a href="{SOURCE}">{SOURCE}</a>' in page


def test_the_spanish_overview_says_it_in_spanish(client, coastal):
    page = _page(client, f"/es/i/{SLUG}/?as_of=2023-03-01")
    assert converted(page) == (
        f"≈ KES 540,015,032.38 a 129.5 KES por US$, tasa del 3 de febrero de 2023 "
        f"(fuente: {SOURCE})"
    )


def test_before_the_rates_day_nothing_is_converted(client, coastal):
    page = _page(client, f"/en/i/{SLUG}/?as_of=2023-02-03")
    assert f'data-figure="committed-{CONVERTED}"' in page
    early = _page(client, f"/en/i/{SLUG}/?as_of=2023-02-02")
    assert f"committed-{CONVERTED}" not in early


def test_a_us_dollar_initiative_shows_no_conversion(client, record):
    ExchangeRate.objects.create(currency="KES", on=RATE_DAY, units_per_usd=Decimal("129.5"),
                                source=SOURCE)  # fmt: skip
    _initiative("USD")
    assert f"committed-{CONVERTED}" not in _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    # The primary initiative (US$) neither.
    assert f"committed-{CONVERTED}" not in _page(client, "/en/?as_of=2023-03-01")


def test_a_currency_without_a_rate_shows_no_conversion(client, record):
    _initiative("TZS")
    assert f"committed-{CONVERTED}" not in _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", f"≈ KES 540,015,032.38 at 129.5 KES per US$ on Feb. 3, 2023 (source: {SOURCE})"),
        (
            "es",
            "≈ KES 540,015,032.38 a 129.5 KES por US$, tasa del 3 de febrero de 2023 "
            f"(fuente: {SOURCE})",
        ),
    ],
)
def test_the_list_of_initiatives_shows_it_for_that_initiative_only(
    client, coastal, language, expected
):
    page = _page(client, f"/{language}/initiatives/?as_of=2023-03-01")
    ours = page.split(f'data-initiative="{SLUG}"')[1].split("</li>")[0]
    assert converted(ours) == expected
    primary = page.split('data-initiative="central-america-forward"')[1].split("</li>")[0]
    assert f"committed-{CONVERTED}" not in primary


def test_a_source_that_is_no_address_is_shown_as_text_escaped(client, record):
    ExchangeRate.objects.create(currency="KES", on=RATE_DAY, units_per_usd=Decimal("100"),
                                source="<b>Central Bank</b>")  # fmt: skip
    _initiative("KES")
    page = _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    assert "&lt;b&gt;Central Bank&lt;/b&gt;" in page
    assert "<b>Central Bank</b>" not in page


def test_a_confidential_amount_changes_nothing_in_the_converted_total(client, coastal):
    """DOMAIN rule 7: only the public total is converted."""
    with scope.within(coastal):
        secret = builders.commitment(
            "Hidden Harbour", "900000", DAY, countries=["KE"], qualifier="confidential"
        )
    url = f"/en/i/{SLUG}/?as_of=2023-03-01"
    before = converted(_page(client, url))
    secret.amount = secret.amount_usd = Decimal("123456789.01")
    secret.save()
    assert converted(_page(client, url)) == before
    assert "540,015,032.38" in before


def invested_converted(page: str) -> str:
    found = re.search(rf'data-figure="invested-{CONVERTED}"[^>]*>(.*?)</p>', page, re.S)
    assert found, "no invested total in the initiative's currency on the page"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", found.group(1))).split())


def _invest(initiative: Initiative, amount: str) -> None:
    with scope.within(initiative):
        mombasa = Commitment.objects.get(partner__name="Mombasa Ports")
        builders.report(mombasa, DAY, {"usd_invested": amount})


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        # 250,000.25 * 129.5 = 32,375,032.375 → 32,375,032.38 (half-even).
        ("en", f"≈ KES 32,375,032.38 at 129.5 KES per US$ on Feb. 3, 2023 (source: {SOURCE})"),
        (
            "es",
            "≈ KES 32,375,032.38 a 129.5 KES por US$, tasa del 3 de febrero de 2023 "
            f"(fuente: {SOURCE})",
        ),
    ],
)
def test_the_overview_shows_invested_in_its_currency_too(client, coastal, language, expected):
    _invest(coastal, "250000.25")
    page = _page(client, f"/{language}/i/{SLUG}/?as_of=2023-03-01")
    assert figure(page, "invested") == "US$250,000.25"
    assert invested_converted(page) == expected


def test_invested_is_not_converted_for_us_dollars_nor_before_the_rate(client, record):
    ExchangeRate.objects.create(currency="KES", on=RATE_DAY, units_per_usd=Decimal("129.5"),
                                source=SOURCE)  # fmt: skip
    plain = _initiative("USD")
    _invest(plain, "1000")
    assert f"invested-{CONVERTED}" not in _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    plain.display_currency = "KES"
    plain.save()
    assert f"invested-{CONVERTED}" in _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    assert f"invested-{CONVERTED}" not in _page(client, f"/en/i/{SLUG}/?as_of=2023-02-02")


def test_the_breakdown_tables_stay_in_us_dollars(client, coastal):
    """The rows are in US$ only (docs/figures.md says why); the rate is said once, beside the
    totals."""
    page = _page(client, f"/en/i/{SLUG}/?as_of=2023-03-01")
    table = page.split('data-key="KE"')[1].split("</td>")[0]
    assert "KES" not in table and "US$" in table

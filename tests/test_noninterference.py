"""DOMAIN rule 7, non-interference: every public output is the same, byte for byte, whatever
the confidential amounts are.

A small record is built once (with a history over two days, so that "as recorded on" has
something to show), and every public output is read from it: each portal page type
(enumerated from the portal's URL conf), each API endpoint (enumerated from the OpenAPI
document), each download format, the IATI file and each report kind, at several as-of dates
and as recorded on several days. Then hypothesis rewrites every confidential amount in the
record — in the live tables and in every historical version whose qualifier is confidential,
with the country parts that follow from it — to new amounts (tiny, huge, none at all, or the
same), as if the record had been built with those amounts from the start; and every output is
read again and compared with the first reading.

Bytes are compared as they are, except where a format carries the time it was made: XLSX
files are compared cell by cell, ZIP archives member by member, and the IATI file without its
generation time (and the JSON download and the data package without theirs).
"""

from __future__ import annotations

import datetime
import io
import json
import re
import zipfile
from collections.abc import Iterator
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any, ClassVar

import openpyxl
import time_machine
from django.test import Client, override_settings
from django.urls import URLPattern, reverse
from django.utils import timezone, translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.catalogue.models import Metric
from adelante.commitments.choices import MoneyKind, Relation, StatementFigure, Status
from adelante.commitments.geography import allocate
from adelante.commitments.models import (
    Commitment,
    CountryShare,
    OfficialStatement,
    Round,
    Source,
    Target,
)
from adelante.corrections.models import Correction, CorrectionStatus, Subject
from adelante.currency.models import ExchangeRate
from adelante.figures.audience import Audience
from adelante.figures.committed import DIMENSIONS, committed
from adelante.history import save as save_with_history
from adelante.initiatives.models import Initiative
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner
from adelante.portal import urls as portal_urlconf
from adelante.portal.charts import CHARTS
from adelante.reports.build import generate
from adelante.reports.editions import KINDS, PARTNER, PROGRESS, ROUND
from tests import builders

CONFIDENTIAL = AmountQualifier.CONFIDENTIAL
CENT = Decimal("0.01")

MAY = datetime.date(2021, 5, 27)
DEC = datetime.date(2021, 12, 13)
JUN = datetime.date(2022, 6, 7)
H2 = datetime.date(2022, 12, 31)

#: The record is written on DAY1, corrected on DAY2 (both before any test runs).
DAY1 = datetime.date(2024, 1, 10)
DAY2 = datetime.date(2024, 1, 20)

#: (as_of, recorded_on) pairs every output is read at: before, on and after the confidential
#: commitments' announcements, live and as recorded on the two days. None: today.
WHEN: tuple[tuple[datetime.date | None, datetime.date | None], ...] = (
    (None, None),
    (DEC, None),
    (JUN, DAY1),
    (H2, DAY2),
)


def at(day: datetime.date) -> Any:
    return time_machine.travel(datetime.datetime.combine(day, datetime.time(12)), tick=False)


def build_record() -> None:
    """Public and confidential commitments in every geography, kind and round; a confidential
    restatement, a confidential withdrawal, a confidential amount in another currency, one made
    public on DAY2 and one corrected on DAY2; progress, targets, sources and statements; and
    public corrections decided on DAY2 (one of a confidential commitment's amount). The
    initiative's currency for display is the quetzal, so that its committed and invested totals
    and the breakdowns' rows are converted (figures.display) in every output that shows them."""
    with at(DAY1):
        initiative = Initiative.objects.get(primary=True)
        initiative.display_currency = "GTQ"
        save_with_history(initiative, reason="read in quetzales too")
        alpha = builders.commitment(
            "Alpha Corp",
            "300000000",
            MAY,
            countries={"GT": Decimal(60), "SV": Decimal(40)},
            kind=MoneyKind.CAPITAL_INVESTMENT,
            focus=["financial_inclusion"],
        )
        builders.commitment(
            "Beta Foundation",
            "40000000",
            DEC,
            countries=["GT", "HN"],
            qualifier=AmountQualifier.AT_LEAST,
            kind=MoneyKind.PROGRAMME,
            partner_type="foundation",
            focus=["agriculture"],
        )
        secret = builders.commitment(
            "Gamma Bank",
            "12345678",
            JUN,
            countries=["HN"],
            qualifier=CONFIDENTIAL,
            kind=MoneyKind.LENDING,
            focus=["health"],
        )
        builders.commitment(
            "Gamma Bank",
            "500000",
            MAY,
            countries={"GT": Decimal(50), "SV": Decimal(50)},
            qualifier=CONFIDENTIAL,
            kind=MoneyKind.LENDING,
        )
        builders.commitment(
            "Gamma Bank",
            "12345678",
            JUN,
            countries=["SV", "HN"],
            qualifier=CONFIDENTIAL,
            relation=Relation.RESTATEMENT,
        )
        builders.commitment(
            "Delta NGO",
            "2000000",
            DEC,
            countries=[],
            qualifier=CONFIDENTIAL,
            kind=MoneyKind.PROGRAMME,
            partner_type="ngo",
            status=Status.WITHDRAWN,
            withdrawn_on=JUN,
        )
        rate = ExchangeRate.objects.create(
            currency="GTQ", on=DEC, units_per_usd=Decimal("7.8"), source="Banco de Guatemala"
        )
        quetzal = builders.commitment(
            "Zeta Quetzal", "1000000", DEC, countries=["GT"], qualifier=CONFIDENTIAL
        )
        quetzal.currency, quetzal.amount, quetzal.exchange_rate = "GTQ", Decimal("7800000"), rate
        quetzal.save()
        # Confidential on DAY1, made public on DAY2 (regional: no country parts).
        opened = builders.commitment("Eta Open", "777", JUN, countries=[], qualifier=CONFIDENTIAL)
        builders.commitment("Theta", None, JUN, countries=["SV"])
        Source.objects.create(commitment=secret, url="https://example.org/gamma", title="Gamma")
        Target.objects.create(
            commitment=alpha, metric=Metric.objects.get(code="people_trained"), value=Decimal(1000)
        )
        builders.report(alpha, H2, {"usd_invested": "1000000", "people_trained": "300"})
        builders.report(secret, H2, {"usd_invested": "5000"})
        for day, value, figure, metric in (
            (MAY, "750000000", StatementFigure.COMMITTED_USD, "cumulative_committed_usd"),
            (JUN, "950000000", StatementFigure.COMMITTED_USD, "cumulative_committed_usd"),
            (JUN, "90000000", StatementFigure.ROUND_COMMITTED_USD, "new_commitments_usd"),
        ):
            OfficialStatement.objects.create(
                stated_on=day,
                metric=metric,
                value=Decimal(value),
                unit="USD",
                qualifier="at_least",
                source_url=f"https://example.org/{metric}/{day}",
                figure=figure,
            )
    with at(DAY2):
        secret.amount = secret.amount_usd = Decimal("23456789")
        save_with_history(secret, reason="corrected in confidence")
        opened.qualifier = AmountQualifier.EXACT
        save_with_history(opened, reason="the partner published it")
        decided = {"status": CorrectionStatus.ACCEPTED, "decided_at": timezone.now()}
        # Accepted while the amount was public, confidential since: the log must withhold it.
        Correction.objects.create(
            subject=Subject.COMMITMENT, subject_key=secret.reference, said="The amount is wrong.",
            email="someone@example.org", changed_field="amount", old_value="12345678",
            new_value="23456789", decision_reason="The partner's letter.", **decided,
        )  # fmt: skip
        Correction.objects.create(
            subject=Subject.COMMITMENT, subject_key=alpha.reference, said="A typo.",
            email="someone@example.org", changed_field="title", old_value="Alpah",
            new_value="Alpha", decision_reason="Indeed.", **decided,
        )  # fmt: skip
        Correction.objects.create(
            subject=Subject.FIGURE, subject_key="overview", said="The total is too low.",
            email="someone@example.org", status=CorrectionStatus.DECLINED,
            decided_at=timezone.now(), decision_reason="Confidential amounts are left out.",
        )  # fmt: skip


# -- Rewriting the confidential amounts ----------------------------------------------------


def _usd(amount: Decimal | None, currency: str, rate: Decimal | None) -> Decimal | None:
    if amount is None or currency == "USD" or rate is None:
        return amount
    return (amount / rate).quantize(CENT, rounding=ROUND_HALF_EVEN)


def rewrite_confidential_amounts(amounts: Iterator[Decimal | None]) -> None:
    """Give every confidential version of every commitment (live and historical) a new amount,
    and their country parts the allocation that follows, without leaving any history: the
    record as it would have been, had those been the amounts all along."""
    rates = dict(ExchangeRate.objects.values_list("id", "units_per_usd"))
    changed: dict[int, Decimal | None] = {}
    for c in Commitment.objects.filter(qualifier=CONFIDENTIAL).order_by("id"):
        amount = next(amounts)
        usd = _usd(amount, c.currency, rates.get(c.exchange_rate_id))
        Commitment.objects.filter(id=c.id).update(amount=amount, amount_usd=usd)
        changed[c.id] = usd
        # A correction of its amount held amounts too: the new ones, as if they were those.
        Correction.objects.filter(
            subject=Subject.COMMITMENT, subject_key=c.reference, changed_field="amount"
        ).update(
            old_value="" if amount is None else str(amount),
            new_value="" if usd is None else str(usd),
        )
    versions = Commitment.history.filter(qualifier=CONFIDENTIAL).order_by("history_id")
    for version in versions:
        amount = next(amounts)
        usd = _usd(amount, version.currency, rates.get(version.exchange_rate_id))
        Commitment.history.filter(history_id=version.history_id).update(
            amount=amount, amount_usd=usd
        )
    # Country parts of commitments that were confidential in every version (a commitment
    # that turned public has none in this record).
    always = set(changed) - set(
        Commitment.history.exclude(qualifier=CONFIDENTIAL).values_list("id", flat=True)
    )
    for cid in sorted(always):
        shares = dict(
            CountryShare.objects.filter(commitment_id=cid).values_list("country", "share_percent")
        )
        parts = allocate(changed[cid], shares)
        for country, part in parts.items():
            CountryShare.objects.filter(commitment_id=cid, country=country).update(amount_usd=part)
            CountryShare.history.filter(commitment_id=cid, country=country).update(amount_usd=part)


# -- Reading every public output ------------------------------------------------------------


def _query(as_of: datetime.date | None, recorded_on: datetime.date | None) -> str:
    params = []
    if as_of is not None:
        params.append(f"as_of={as_of.isoformat()}")
    if recorded_on is not None:
        params.append(f"recorded_on={recorded_on.isoformat()}")
    return "&".join(params)


def _secret_references() -> list[str]:
    """The commitments that ever had a confidential amount, and one public commitment."""
    ids = set(Commitment.history.filter(qualifier=CONFIDENTIAL).values_list("id", flat=True))
    secret = list(
        Commitment.objects.filter(id__in=ids)
        .order_by("reference")
        .values_list("reference", flat=True)
    )
    public = Commitment.objects.exclude(id__in=ids).order_by("reference").first()
    assert public is not None
    return [*secret, public.reference]


def _slugs(model: Any) -> list[str]:
    return list(model.objects.order_by("slug").values_list("slug", flat=True))


def portal_urls() -> list[str]:
    """Every kind of page of the portal's URL conf (detail pages for every partner, round and
    country, and for every commitment that ever had a confidential amount)."""
    values: dict[str, dict[str, list[str]]] = {
        "commitment": {"reference": _secret_references()},
        "partner": {"slug": _slugs(Partner)},
        "round": {"slug": _slugs(Round)},
        "country": {"code": ["gt", "sv", "hn"]},
        "chart_csv": {"chart": list(CHARTS)},
        "chart_svg": {"chart": [*CHARTS, "country-map"]},
    }
    extra = {
        # The explorer sorted by amount: a confidential amount must not move its line.
        "commitments": ["sort=-amount_usd", "sort=amount_usd&country=HN"],
        "commitments_csv": ["sort=-amount_usd"],
        # The search lists commitments and partners whatever their amounts.
        "search": ["q=a", "q=bank"],
    }
    # The sharing cards draw each page's headline figure (issue 12).
    cards = (
        [{"kind": "overview", "key": "all"}]
        + [{"kind": "commitment", "key": r} for r in _secret_references()]
        + [{"kind": "partner", "key": s} for s in _slugs(Partner)]
        + [{"kind": "round", "key": s} for s in _slugs(Round)]
        + [{"kind": "country", "key": c} for c in ("gt", "sv", "hn")]
    )
    urls: list[str] = []
    names = [p.name for p in portal_urlconf.urlpatterns if isinstance(p, URLPattern) and p.name]
    assert len(names) >= 12, "the portal's pages were not found"
    for name in names:
        kwargs_sets: list[dict[str, str]] = [{}]
        for key, choices in values.get(name, {}).items():
            kwargs_sets = [{**k, key: v} for k in kwargs_sets for v in choices]
        if name == "card":
            kwargs_sets = cards
        for kwargs in kwargs_sets:
            url = reverse(f"portal:{name}", kwargs=kwargs)
            urls.append(url)
            urls += [f"{url}?{q}" for q in extra.get(name, [])]
    return urls


def api_urls(client: Client) -> list[str]:
    """Every public GET operation of the OpenAPI document (those needing a token are no
    public output), with every value of its path parameters."""
    document = client.get("/api/v1/openapi.json").json()
    values = {
        "dimension": list(DIMENSIONS),
        "metric": ["usd_invested", "people_trained"],
        "reference": _secret_references(),
    }
    slugs = {"partners": _slugs(Partner), "rounds": _slugs(Round)}
    urls = []
    for path, operations in sorted(document["paths"].items()):
        if "get" not in operations or operations["get"].get("security"):
            continue
        filled = [path]
        for name in re.findall(r"{(\w+)}", path):
            if name == "slug":
                choices = slugs[path.split("/")[3]]
            else:
                assert name in values, f"add values for {{{name}}} ({path}) to this test"
                choices = values[name]
            filled = [f.replace(f"{{{name}}}", v) for f in filled for v in choices]
        urls += filled
    assert len(urls) >= 20, "the API's operations were not found"
    urls += [
        "/api/v1/commitments?sort=-amount_usd",
        "/api/v1/commitments?country=HN&sort=amount_usd",
        "/api/v1/iati/activities.xml",
    ]
    return urls


def download_urls() -> list[str]:
    from adelante.exchange.views import FILES

    return [reverse("downloads:file", args=[name]) for name in FILES]


def _normalised(url: str, content_type: str, body: bytes) -> Any:
    """What a response says, without the moment it was made."""
    if "spreadsheetml" in content_type:
        book = openpyxl.load_workbook(io.BytesIO(body), read_only=True)
        return {
            sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets
        }
    if "zip" in content_type:
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return {name: _untimed(archive.read(name)) for name in sorted(archive.namelist())}
    return _untimed(body)


def _untimed(body: bytes) -> bytes:
    """Without the moment a file was made: IATI's generated-datetime, the JSON download's
    "generated" and the data package's "created"."""
    body = re.sub(rb'generated-datetime="[^"]*"', b"", body)
    return re.sub(rb'"(generated|created)": ?"[^"]*"', b"", body)


def _body(response: Any) -> bytes:
    if response.streaming:
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _get(client: Client, url: str, query: str) -> tuple[int, Any]:
    separator = "&" if "?" in url else "?"
    response = client.get(url + (separator + query if query else ""))
    return response.status_code, _normalised(url, response.get("Content-Type", ""), _body(response))


#: (kind, subject, as_of, recorded_on) of the reports read: every kind, live and as recorded.
REPORTS = (
    (PROGRESS, "", JUN, DAY1),
    (PROGRESS, "", None, None),
    (ROUND, "2022-06-07-round-of-2022-06-07", None, DAY1),
    (PARTNER, "gamma-bank", H2, DAY2),
    (PARTNER, "zeta-quetzal", None, None),
)

#: What to read: ("get", URL, query) or ("report", kind, subject, as_of, recorded_on).
Item = tuple[Any, ...]


def reading_plan(client: Client) -> list[Item]:
    """Every output to read. An output of its own kind (a page without parameters, an API
    operation, a download) at two dates of `WHEN`, one of each instance of a kind (a
    partner's page, a country's) at one date, taken in turn, so that every kind meets every
    date; the Spanish figure pages; and the reports."""
    with translation.override("en"):
        urls = [*portal_urls(), *api_urls(client), *download_urls()]
    queries = [_query(as_of, recorded_on) for as_of, recorded_on in WHEN]
    plan: list[Item] = []
    turn: dict[str, int] = {}
    for url in urls:
        kind = re.sub(r"/[^/?]*[-_.][^/?]*(/|$)", "/*/", url)  # instances share a kind
        n = turn[kind] = turn.get(kind, -1) + 1
        if n == 0 and "?" not in url:
            plan += [("get", url, queries[0]), ("get", url, queries[2 + len(url) % 2])]
        else:
            plan.append(("get", url, queries[n % 4]))
    plan += [("get", url, "") for url in ("/es/", "/es/rounds/", "/es/countries/hn/")]
    assert {kind for kind, *_rest in REPORTS} == set(KINDS), "a report kind is not read"
    plan += [("report", *report) for report in REPORTS]
    return plan


def read(client: Client, item: Item) -> Any:
    if item[0] == "get":
        return _get(client, item[1], item[2])
    kind, subject, as_of, recorded_on = item[1:]
    # HTML: PDF and DOCX carry the time they were made.
    return generate(kind, subject, as_of=as_of, recorded_on=recorded_on, language="en").content


amounts = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=99).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.integers(min_value=0, max_value=10**15).map(lambda cents: Decimal(cents).scaleb(-2)),
    st.just(Decimal("12345678.00")),
)

#: Amounts at the ends of the range: none, nothing, a cent, more than the world's income.
EXTREMES = [None, Decimal("0.00"), Decimal("0.01"), Decimal("9999999999999.99")]


@override_settings(PORTAL_PAGE_CACHE=False, API_RATE_LIMIT_ANONYMOUS="1000000/60")
class NonInterference(TestCase):
    """One record for every test (setUpTestData); each test, and each hypothesis example,
    rewrites the amounts inside its own transaction, rolled back after it."""

    #: Each output as read from the record as built (the same for every test).
    baseline: ClassVar[dict[Item, Any]] = {}

    @classmethod
    def setUpTestData(cls) -> None:
        build_record()
        cls.baseline = {}

    def unchanged(self, items: list[Item]) -> None:
        """Read the items (from the record as built the first time, then after the
        rewrite) and check that none changed."""
        client = Client()
        after = {item: read(client, item) for item in items}
        differing = [item for item in items if after[item] != self.baseline[item]]
        assert not differing, f"these outputs depend on confidential amounts: {differing}"

    def read_baseline(self, items: list[Item]) -> None:
        client = Client()
        for item in items:
            if item not in self.baseline:
                self.baseline[item] = read(client, item)

    def test_every_public_output_is_the_same_with_extreme_amounts(self):
        plan = reading_plan(Client())
        self.read_baseline(plan)
        rewrite_confidential_amounts(iter(EXTREMES * 10))
        self.unchanged(plan)

    @settings(
        max_examples=5,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.lists(amounts, min_size=16, max_size=16), st.data())
    def test_every_public_output_is_the_same_whatever_the_confidential_amounts(self, drawn, data):
        # Every output is read in the test above; here hypothesis also draws which outputs
        # to read again (a sixth of them), so that the whole takes seconds, not minutes.
        plan = reading_plan(Client())
        chosen = data.draw(
            st.lists(st.sampled_from(plan), min_size=len(plan) // 6, max_size=len(plan) // 6)
        )
        chosen = list(dict.fromkeys(chosen))
        self.read_baseline(chosen)
        rewrite_confidential_amounts(iter(drawn + drawn))
        self.unchanged(chosen)

    def test_the_public_totals_and_rows_are_read_in_the_initiatives_currency(self):
        # So that the properties above check the conversions too (they are public outputs).
        client = Client()
        query = f"as_of={H2.isoformat()}&recorded_on={DAY2.isoformat()}"
        by_kind = client.get(f"/api/v1/figures/committed/by/kind?{query}").json()
        assert by_kind["display_currency"]["code"] == "GTQ"
        assert all(row["display_amount"] is not None for row in by_kind["rows"])
        assert by_kind["total"]["display_currency"]["code"] == "GTQ"
        invested = client.get(f"/api/v1/figures/invested?{query}").json()
        assert invested["display_currency"]["code"] == "GTQ"
        page = client.get(f"/en/?{query}").content.decode()
        assert 'data-figure="committed-display-currency"' in page
        assert 'data-figure="invested-display-currency"' in page

    def test_the_rewriting_reaches_every_confidential_amount(self):
        # So that the properties above can fail: the allowed roles' figures do change.
        allowed = Audience.CONFIDENTIAL_ALLOWED
        before = committed(JUN, audience=allowed).amount_usd
        old = committed(JUN, recorded_on=DAY1, audience=allowed).amount_usd
        corrected = Correction.objects.get(changed_field="amount")
        rewrite_confidential_amounts(iter([Decimal("1.00")] * 30))
        assert committed(JUN, audience=allowed).amount_usd != before
        corrected.refresh_from_db()
        assert (corrected.old_value, corrected.new_value) == ("1.00", "1.00")
        assert committed(JUN, recorded_on=DAY1, audience=allowed).amount_usd != old
        assert committed(JUN).amount_usd == committed(JUN, recorded_on=DAY2).amount_usd

    def test_the_downloads_carry_the_corrections_with_the_amount_withheld(self):
        # So that the downloads' `corrections` table is among what the properties compare.
        body = _body(Client().get(reverse("downloads:file", args=["adelante-record.json"])))
        rows = json.loads(body)["tables"]["corrections"]
        assert len(rows) == 3
        [amount] = [r for r in rows if r["field"] == "amount"]
        assert (amount["old"], amount["new"], amount["confidential"]) == (None, None, "yes")

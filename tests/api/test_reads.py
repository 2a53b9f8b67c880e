"""Read endpoints: only the published record, confidential amounts withheld, whitelisted
filters, ordering that reveals nothing, pages."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import Status
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import ReportStatus
from tests import builders
from tests.api.conftest import CAF, LAUNCH, get_json

pytestmark = pytest.mark.django_db

DAY = datetime.date(2024, 3, 1)


def _refs(payload: dict) -> list[str]:
    return [c["reference"] for c in payload["results"]]


def test_the_demo_record_is_listed_with_money_as_decimal_strings(demo, client):
    page = get_json(client, "/api/v1/commitments?page_size=200")
    assert page["count"] == 41 and page["pages"] == 1 and page["next"] is None
    amounts = [c["amount_usd"] for c in page["results"] if c["amount_usd"] is not None]
    assert len(amounts) == 22
    assert all(
        isinstance(a, str) and a.endswith(tuple(f".{n:02d}" for n in range(100))) for a in amounts
    )
    assert sum(Decimal(a) for a in amounts) == Decimal("3641600000.00")
    millicom = get_json(client, "/api/v1/commitments?q=millicom&page_size=200")["results"]
    assert millicom and all(c["partner"]["slug"] == "millicom" for c in millicom)


def test_unpublished_commitments_partners_and_rounds_are_not_public(db, client):
    shown = builders.commitment("Shown Co", "100", DAY)
    hidden = builders.commitment("Hidden Co", "200", DAY, status=Status.PROPOSED)
    builders.commitment("Review Co", "300", DAY, status=Status.UNDER_REVIEW)
    assert _refs(get_json(client, "/api/v1/commitments")) == [shown.reference]
    get_json(client, f"/api/v1/commitments/{hidden.reference}", 404)
    assert [p["slug"] for p in get_json(client, "/api/v1/partners")["results"]] == ["shown-co"]
    get_json(client, "/api/v1/partners/hidden-co", 404)
    partner = get_json(client, "/api/v1/partners/shown-co")
    assert partner["commitments"] == 1


def test_a_confidential_amount_is_never_shown_nor_ranked(db, client):
    secret = builders.commitment(
        "Secret Co", "999999", DAY, qualifier=AmountQualifier.CONFIDENTIAL, countries=("GT",)
    )
    builders.commitment("Small Co", "10", DAY)
    builders.commitment("Big Co", "5000", DAY)
    shown = get_json(client, f"/api/v1/commitments/{secret.reference}")
    assert shown["qualifier"] == "confidential"
    assert shown["amount"] is None and shown["amount_usd"] is None
    assert shown["countries"] == [{"country": "GT", "share_percent": "100.00", "amount_usd": None}]
    assert "999999" not in get_json(client, "/api/v1/commitments").__repr__()
    for ordering in ("amount_usd", "-amount_usd"):
        order = [
            c["partner"]["slug"]
            for c in get_json(client, f"/api/v1/commitments?ordering={ordering}")["results"]
        ]
        assert order[-1] == "secret-co", ordering  # withheld amounts sort last, like no amount


def test_filters_are_whitelisted_and_combine(db, client):
    builders.commitment("Alpha", "100", DAY, countries=("GT",), kind="lending")
    builders.commitment("Beta", "200", DAY, countries=("SV", "HN"), partner_type="foundation")
    builders.commitment("Gamma", None, DAY, countries=(), status=Status.COMPLETED)

    def partners(query: str) -> list[str]:
        page = get_json(client, f"/api/v1/commitments?{query}")
        return sorted(c["partner"]["slug"] for c in page["results"])

    assert partners("country=GT") == ["alpha"]
    assert partners("country=HN") == ["beta"]
    assert partners("kind=lending") == ["alpha"]
    assert partners("partner_type=foundation") == ["beta"]
    assert partners("status=completed") == ["gamma"]
    assert partners("partner=beta&country=SV") == ["beta"]
    assert partners("q=gamma") == ["gamma"]
    assert partners("as_of=2024-02-29") == []
    # Not a whitelisted value: refused, never passed to the database.
    for bad in ("country=MX", "status=proposed", "ordering=partner__name", "kind=x", "page=0"):
        problem = get_json(client, f"/api/v1/commitments?{bad}", 422)
        assert problem["status"] == 422 and problem["errors"], bad
    # An unknown parameter is ignored, not a filter.
    assert partners("partner__type=company") == ["alpha", "beta", "gamma"]


def test_focus_and_round_filters(demo, client):
    rounds = get_json(client, "/api/v1/rounds")["results"]
    assert next(r["announced_on"] for r in rounds) == LAUNCH.isoformat()
    assert sum(r["commitments"] for r in rounds) == 41
    launch = rounds[0]["slug"]
    in_launch = get_json(client, f"/api/v1/commitments?round={launch}&page_size=200")
    assert in_launch["count"] == rounds[0]["commitments"]
    assert get_json(client, f"/api/v1/rounds/{launch}")["label"] == rounds[0]["label"]
    areas = {a["code"] for a in get_json(client, "/api/v1/focus-areas")}
    code = sorted(areas)[0]
    focused = get_json(client, f"/api/v1/commitments?focus={code}&page_size=200")["results"]
    assert all(code in c["focus_areas"] for c in focused)


def test_pages_are_stable_and_bounded(db, client):
    for n in range(5):
        builders.commitment(f"Partner {n}", "100", DAY)
    first = get_json(client, "/api/v1/commitments?page_size=2&ordering=partner")
    assert first["count"] == 5 and first["pages"] == 3
    assert first["next"].endswith("page_size=2&ordering=partner&page=2")
    second = get_json(client, "/api/v1/commitments?page_size=2&ordering=partner&page=2")
    assert second["previous"] and not set(_refs(first)) & set(_refs(second))
    problem = get_json(client, "/api/v1/commitments?page=4&page_size=2", 404)
    assert "there are 3" in problem["detail"]
    get_json(client, "/api/v1/commitments?page_size=201", 422)
    get_json(client, "/api/v1/commitments?page=99999999999999999999", 422)


def test_statements_as_published(demo, client):
    page = get_json(client, "/api/v1/statements?page_size=200")
    assert page["count"] == 28
    values = {(s["stated_on"], s["metric"]): s["value"] for s in page["results"]}
    assert values[("2021-05-27", "cumulative_committed_usd")] == "750000000.0000"
    by_caf = get_json(client, f"/api/v1/statements?as_of={CAF}")["results"]
    assert 0 < len(by_caf) < 28 and all(s["stated_on"] <= CAF.isoformat() for s in by_caf)


def test_progress_shows_verified_reports_of_published_commitments_only(db, client):
    shown = builders.commitment("Shown Co", "100", DAY)
    hidden = builders.commitment("Hidden Co", "100", DAY, status=Status.PROPOSED)
    builders.report(shown, datetime.date(2024, 6, 30), {"usd_invested": "50.5"})
    builders.report(
        shown, datetime.date(2024, 12, 31), {"usd_invested": "80"}, status=ReportStatus.SUBMITTED
    )
    builders.report(hidden, datetime.date(2024, 6, 30), {"usd_invested": "70"})
    page = get_json(client, "/api/v1/progress")
    assert [(r["commitment"], r["period_end"]) for r in page["results"]] == [
        (shown.reference, "2024-06-30")
    ]
    assert page["results"][0]["values"] == [{"metric": "usd_invested", "value": "50.50"}]
    assert get_json(client, "/api/v1/progress?as_of=2024-06-29")["count"] == 0
    assert get_json(client, "/api/v1/progress?metric=usd_invested")["count"] == 1
    get_json(client, "/api/v1/progress?metric=no_such_metric", 422)


def test_vocabularies(db, client):
    metrics = get_json(client, "/api/v1/metrics")
    assert {"code": "usd_invested"}.items() <= next(
        m for m in metrics if m["code"] == "usd_invested"
    ).items()
    assert get_json(client, "/api/v1/focus-areas")

"""Importing the real public record (../shared/data/commitments.csv)."""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal

import pytest

from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import Relation, Status
from adelante.commitments.models import Commitment, CountryShare, Round, Source
from adelante.exchange.commitments_import import import_commitments
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner, PartnerAlias
from tests.exchange.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(real_commitments_csv):
    return import_commitments(real_commitments_csv)


def test_counts(imported, real_commitments_csv):
    rows = read_csv(real_commitments_csv)
    assert len(rows) == 41
    assert (imported.created, imported.updated, imported.unchanged) == (41, 0, 0)
    assert dict(imported.also_created) == {"partners": 36, "rounds": 5}
    assert Commitment.objects.count() == 41
    assert Partner.objects.count() == 36
    assert Round.objects.count() == 5
    assert Source.objects.count() == 41
    assert PartnerAlias.objects.count() == 6


def test_rounds_come_from_date_and_label(imported):
    assert list(Round.objects.values_list("announced_on", "label", "slug")) == [
        (
            datetime.date(2021, 5, 27),
            "2021-05 Call to Action launch",
            "2021-05-27-2021-05-call-to-action-launch",
        ),
        (
            datetime.date(2021, 12, 13),
            "2021-12 Call to Action round 2",
            "2021-12-13-2021-12-call-to-action-round-2",
        ),
        (
            datetime.date(2022, 6, 7),
            "2022-06 In Her Hands (women)",
            "2022-06-07-2022-06-in-her-hands-women",
        ),
        (
            datetime.date(2022, 6, 7),
            "2022-06 Summit of the Americas",
            "2022-06-07-2022-06-summit-of-the-americas",
        ),
        (
            datetime.date(2023, 2, 6),
            "2023-02 Central America Forward launch",
            "2023-02-06-2023-02-central-america-forward-launch",
        ),
    ]


def test_millicom_in_two_rounds_is_one_partner(imported):
    millicom = Partner.objects.get(name="Millicom")
    assert millicom.normalised_name == "millicom"
    assert sorted(millicom.aliases.values_list("name", flat=True)) == ["Millicom (Tigo)", "Tigo"]
    assert list(
        millicom.commitments.order_by("announced_on").values_list("reference", "amount_usd")
    ) == [
        ("2022-06-07-2022-06-summit-of-the-americas-millicom", Decimal("700000000.00")),
        ("2023-02-06-2023-02-central-america-forward-launch-millicom", Decimal("350000000.00")),
    ]
    assert Partner.objects.named("Tigo").get() == millicom


@pytest.mark.parametrize("name", ["Mastercard", "Microsoft", "Nespresso"])
def test_partners_named_again_in_2021_are_matched(imported, name):
    partner = Partner.objects.get(name=name)
    assert list(partner.commitments.values_list("round__announced_on", flat=True)) == [
        datetime.date(2021, 5, 27),
        datetime.date(2021, 12, 13),
    ] + ([datetime.date(2023, 2, 6)] if name == "Nespresso" else [])


def test_nestle_nescafe_is_matched_to_nespresso_through_its_alias(imported):
    nespresso = Partner.objects.get(slug="nespresso")
    nescafe = Commitment.objects.get(
        reference="2023-02-06-2023-02-central-america-forward-launch-nespresso"
    )
    assert nescafe.partner == nespresso
    assert sorted(nespresso.aliases.values_list("name", flat=True)) == [
        "Nescafé",
        "Nespresso (Nestlé)",
        "Nestlé",
        "Nestlé (Nescafé)",
    ]
    assert not Partner.objects.filter(name__startswith="Nestl").exists()
    row = next(r for r in imported.rows if r.line == 39)
    assert "partner “Nespresso”, matched through its alias “Nestlé”" in row.notes


def test_coalition_name_is_kept_whole(imported):
    coalition = Partner.objects.get(name__startswith="In Her Hands")
    assert coalition.name == (
        "In Her Hands coalition (PCA with CARE, Cargill, Mastercard, Microsoft, PepsiCo, Accion)"
    )
    assert coalition.type == "other"
    assert not coalition.aliases.exists()
    # Naming CARE, Cargill … in its description does not match it to those partners.
    assert Partner.objects.get(name="Cargill").commitments.count() == 1


def test_commitment_values(imported, real_commitments_csv):
    with real_commitments_csv.open(encoding="utf-8") as f:
        source = next(
            r
            for r in csv.DictReader(f)
            if r["partner"] == "Nespresso (Nestlé)" and r["announced_on"] == "2021-05-27"
        )
    nespresso = Commitment.objects.get(
        reference="2021-05-27-2021-05-call-to-action-launch-nespresso"
    )
    assert nespresso.announced_on == datetime.date(2021, 5, 27)
    assert nespresso.status == Status.ANNOUNCED
    assert nespresso.relation == Relation.NEW
    # The qualifier and kind of money are the record's own (columns of the shared CSV).
    assert nespresso.qualifier == source.get("qualifier", AmountQualifier.EXACT)
    assert (nespresso.amount, nespresso.currency, nespresso.amount_usd) == (
        Decimal("150000000.00"),
        "USD",
        Decimal("150000000.00"),
    )
    assert nespresso.exchange_rate is None
    assert nespresso.kind == source.get("kind", "unspecified")
    assert nespresso.focus_text == "coffee sourcing / agriculture"
    assert nespresso.summary.startswith("Planned to start buying coffee")
    assert list(nespresso.sources.values_list("url", "title")) == [
        (
            "https://www.voanews.com/usa/microsoft-mastercard-sign-vp-harris-central-america-strategy",
            "",
        )
    ]
    accion = Commitment.objects.get(partner__name="Accion")
    assert accion.qualifier == AmountQualifier.UNDISCLOSED
    assert accion.amount is None and accion.amount_usd is None


def test_countries(imported, real_commitments_csv):
    def countries(partner, day):
        c = Commitment.objects.get(partner__name=partner, announced_on=day)
        return list(c.countries.values_list("country", "share_percent", "amount_usd"))

    # One country takes the whole amount.
    assert countries("Parkdale Mills", "2021-12-13") == [
        ("HN", Decimal("100.00"), Decimal("150000000.00"))
    ]
    # Several countries without shares: multi-country, nothing allocated.
    assert countries("Yazaki", "2022-06-07") == [("GT", None, None), ("SV", None, None)]
    # REGION: no country rows.
    assert countries("Visa", "2022-06-07") == []
    rows = read_csv(real_commitments_csv)
    named = [r["countries"].split(";") for r in rows if r["countries"] != "REGION"]
    assert CountryShare.objects.count() == sum(len(codes) for codes in named)


def test_focus_areas_from_keywords(imported):
    def codes(partner, day):
        c = Commitment.objects.get(partner__name=partner, announced_on=day)
        return sorted(c.focus_areas.values_list("code", flat=True))

    assert codes("Accion", "2021-05-27") == ["digital_connectivity", "financial_inclusion"]
    assert codes("Pro Mujer", "2021-05-27") == ["financial_inclusion", "health", "women"]
    assert codes("Yazaki", "2022-06-07") == ["jobs", "manufacturing_sourcing"]
    assert codes("Nespresso", "2023-02-06") == ["agriculture", "climate"]
    # Every row of the real record lands in at least one focus area.
    assert not Commitment.objects.filter(focus_areas__isnull=True).exists()
    assert FocusArea.objects.filter(commitments__isnull=False).distinct().count() >= 10


def test_history_records_the_import(imported):
    reasons = set(Commitment.history.values_list("history_change_reason", flat=True))
    assert reasons == {"import commitments.csv"}
    assert set(Partner.history.values_list("history_change_reason", flat=True)) == reasons
    assert set(CountryShare.history.values_list("history_change_reason", flat=True)) == reasons

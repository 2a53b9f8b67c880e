"""DOMAIN rules 4 and 7: breakdowns and the suppression of confidential cells."""

import datetime
from decimal import Decimal

import pytest

from adelante.commitments.choices import MoneyKind, Relation
from adelante.figures.audience import Audience
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL, UNCLASSIFIED, committed_by
from adelante.money.qualifiers import AmountQualifier, TotalQualifier
from tests import builders

pytestmark = pytest.mark.django_db

DAY = datetime.date(2022, 6, 7)


def amounts(breakdown):
    return {row.key: row.amount_usd for row in breakdown.rows}


def test_by_country_with_shares_single_country_multi_country_and_regional():
    builders.commitment("Split", "100.00", DAY, countries={"GT": Decimal(60), "SV": Decimal(40)})
    builders.commitment("Single", "7.50", DAY, countries=["HN"])
    builders.commitment("Multi", "30.00", DAY, countries=["GT", "SV", "HN"])
    builders.commitment("Region", "11.00", DAY, countries=[])
    breakdown = committed_by("country", DAY)
    assert amounts(breakdown) == {
        "GT": Decimal("60.00"),
        "SV": Decimal("40.00"),
        "HN": Decimal("7.50"),
        MULTI_COUNTRY: Decimal("30.00"),
        REGIONAL: Decimal("11.00"),
    }
    assert sum(amounts(breakdown).values()) == breakdown.total.amount_usd == Decimal("148.50")


def test_uneven_shares_still_add_up_to_the_cent():
    builders.commitment(
        "Thirds",
        "100.00",
        DAY,
        countries={"GT": Decimal("33.33"), "SV": Decimal("33.33"), "HN": Decimal("33.34")},
    )
    breakdown = committed_by("country", DAY)
    assert sum(amounts(breakdown).values()) == Decimal("100.00")
    assert amounts(breakdown)["HN"] == Decimal("33.34")


def test_country_rows_carry_their_own_qualifier():
    builders.commitment("A", "10", DAY, countries=["GT"], qualifier=AmountQualifier.AT_LEAST)
    builders.commitment("B", "10", DAY, countries=["SV"])
    rows = {row.key: row for row in committed_by("country", DAY).rows}
    assert rows["GT"].qualifier == TotalQualifier.AT_LEAST
    assert rows["SV"].qualifier == TotalQualifier.EXACT


def test_restatements_and_undisclosed_amounts_do_not_add_money():
    builders.commitment("A", "10", DAY, countries=["GT"])
    builders.commitment("A", "10", DAY, countries=["GT"], relation=Relation.RESTATEMENT)
    builders.commitment("B", None, DAY, countries=["GT"])
    breakdown = committed_by("country", DAY)
    assert amounts(breakdown) == {"GT": Decimal("10.00")}
    assert breakdown.rows[0].commitments == 2  # the restatement is not in breakdowns


@pytest.mark.parametrize("dimension", ["kind", "round", "partner-type"])
def test_additive_breakdowns_sum_to_the_total(dimension):
    builders.commitment("A", "10", DAY, kind=MoneyKind.LENDING, partner_type="ngo")
    builders.commitment("B", "20", DAY - datetime.timedelta(days=30), kind=MoneyKind.PROGRAMME)
    builders.commitment("C", "30.05", DAY, kind=MoneyKind.LENDING, partner_type="foundation")
    breakdown = committed_by(dimension, DAY)
    assert not breakdown.overlapping
    assert sum(amounts(breakdown).values()) == breakdown.total.amount_usd == Decimal("60.05")


def test_by_kind_keys():
    builders.commitment("A", "10", DAY, kind=MoneyKind.LENDING)
    builders.commitment("B", "20", DAY, kind=MoneyKind.LENDING)
    builders.commitment("C", "5", DAY, kind=MoneyKind.LOCAL_SOURCING)
    assert amounts(committed_by("kind", DAY)) == {
        "lending": Decimal("30.00"),
        "local_sourcing": Decimal("5.00"),
    }


def test_by_partner_type_keys():
    builders.commitment("A", "10", DAY, partner_type="ngo")
    builders.commitment("B", "20", DAY, partner_type="company")
    assert amounts(committed_by("partner-type", DAY)) == {
        "company": Decimal("20.00"),
        "ngo": Decimal("10.00"),
    }


def test_focus_areas_overlap_and_have_no_total():
    builders.commitment("A", "10", DAY, focus=["women", "financial_inclusion"])
    builders.commitment("B", "20", DAY, focus=["women"])
    builders.commitment("C", "5", DAY)
    breakdown = committed_by("focus", DAY)
    assert breakdown.overlapping
    assert breakdown.total is None
    assert amounts(breakdown) == {
        "financial_inclusion": Decimal("10.00"),
        "women": Decimal("30.00"),
        UNCLASSIFIED: Decimal("5.00"),
    }


def test_unknown_dimension_is_refused():
    with pytest.raises(ValueError, match="unknown dimension"):
        committed_by("colour", DAY)


class TestConfidentialAmountsInPublicBreakdowns:
    """Rule 7: public cells hold no confidential amount at all; they count them apart."""

    def test_a_confidential_amount_is_left_out_of_its_cell_and_the_total(self):
        builders.commitment("Secret", "500", DAY, countries=["HN"], qualifier="confidential")
        builders.commitment("A", "10", DAY, countries=["GT"])
        builders.commitment("B", "25", DAY, countries=["GT"])
        builders.commitment("C", "30", DAY, countries=["SV"])
        breakdown = committed_by("country", DAY)
        rows = {row.key: row for row in breakdown.rows}
        assert [(k, r.amount_usd, r.commitments, r.confidential) for k, r in rows.items()] == [
            ("GT", Decimal("35.00"), 2, 0),
            ("HN", Decimal("0.00"), 1, 1),
            ("SV", Decimal("30.00"), 1, 0),
        ]
        assert not any(row.suppressed for row in breakdown.rows)
        assert breakdown.total.amount_usd == Decimal("65.00")
        assert breakdown.total.commitments_confidential == 1
        assert breakdown.audience is Audience.PUBLIC

    def test_regional_and_focus_cells_leave_them_out_too(self):
        builders.commitment(
            "Secret", "500", DAY, countries=[], qualifier="confidential", focus=["health"]
        )
        builders.commitment("A", "10", DAY, countries=["GT"], focus=["women"])
        country = {row.key: row for row in committed_by("country", DAY).rows}
        assert (country[REGIONAL].amount_usd, country[REGIONAL].confidential) == (
            Decimal("0.00"),
            1,
        )
        focus = {row.key: row for row in committed_by("focus", DAY).rows}
        assert (focus["health"].amount_usd, focus["health"].confidential) == (Decimal("0.00"), 1)
        assert focus["women"].amount_usd == Decimal("10.00")


ALLOWED = Audience.CONFIDENTIAL_ALLOWED


class TestConfidentialCellsForAllowedRoles:
    """The secretariat and government viewers: cells include confidential amounts, and those
    that would reveal fewer than three partners' confidential amounts are suppressed."""

    def test_a_cell_revealing_one_partners_confidential_amount_is_suppressed(self):
        builders.commitment("Secret", "500", DAY, countries=["HN"], qualifier="confidential")
        builders.commitment("A", "10", DAY, countries=["GT"])
        builders.commitment("B", "25", DAY, countries=["GT"])
        builders.commitment("C", "30", DAY, countries=["SV"])
        breakdown = committed_by("country", DAY, audience=ALLOWED)
        rows = {row.key: row for row in breakdown.rows}
        assert rows["HN"].suppressed and rows["HN"].amount_usd is None
        # The smallest other cell hides too, or HN would follow from the total.
        assert rows["SV"].suppressed and rows["SV"].amount_usd is None
        assert rows["GT"].amount_usd == Decimal("35.00")
        assert breakdown.total.amount_usd == Decimal("565.00")

    def test_a_cell_with_three_partners_confidential_amounts_is_published(self):
        for name in ("Secret", "Hidden", "Quiet"):
            builders.commitment(name, "500", DAY, countries=["HN"], qualifier="confidential")
        builders.commitment("A", "10", DAY, countries=["HN"])
        rows = {row.key: row for row in committed_by("country", DAY, audience=ALLOWED).rows}
        assert rows["HN"].amount_usd == Decimal("1510.00")
        assert not rows["HN"].suppressed

    def test_public_partners_in_the_cell_do_not_make_up_for_it(self):
        # The cell's public part is public: the allowed figure minus it is the secret.
        builders.commitment("Secret", "500", DAY, countries=["HN"], qualifier="confidential")
        builders.commitment("A", "10", DAY, countries=["HN"])
        builders.commitment("B", "20", DAY, countries=["HN"])
        rows = {row.key: row for row in committed_by("country", DAY, audience=ALLOWED).rows}
        assert rows["HN"].suppressed

    def test_one_partner_with_several_commitments_is_one_contributor(self):
        for _ in range(3):
            builders.commitment("Secret", "500", DAY, kind="lending", qualifier="confidential")
        builders.commitment("A", "10", DAY, kind="programme")
        builders.commitment("B", "20", DAY, kind="local_sourcing")
        rows = {row.key: row for row in committed_by("kind", DAY, audience=ALLOWED).rows}
        assert rows["lending"].suppressed

    def test_the_secondary_cell_is_one_that_hides_something(self):
        # A secondary cell without a confidential amount would hide nothing (its value is
        # public); one with confidential amounts is chosen, until three partners are hidden.
        builders.commitment("Secret", "500", DAY, kind="lending", qualifier="confidential")
        for name in ("P", "Q"):
            builders.commitment(name, "900", DAY, kind="programme", qualifier="confidential")
        builders.commitment("A", "1", DAY, kind="local_sourcing")
        rows = {row.key: row for row in committed_by("kind", DAY, audience=ALLOWED).rows}
        assert rows["lending"].suppressed and rows["programme"].suppressed
        assert rows["local_sourcing"].amount_usd == Decimal("1.00")

    def test_regional_and_focus_cells_are_protected_too(self):
        builders.commitment(
            "Secret", "500", DAY, countries=[], qualifier="confidential", focus=["health"]
        )
        builders.commitment("A", "10", DAY, countries=["GT"], focus=["women"])
        country = {row.key: row for row in committed_by("country", DAY, audience=ALLOWED).rows}
        assert country[REGIONAL].suppressed
        focus = {row.key: row for row in committed_by("focus", DAY, audience=ALLOWED).rows}
        assert focus["health"].suppressed
        assert focus["women"].amount_usd == Decimal("10.00")

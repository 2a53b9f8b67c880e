"""Property tests of the figure rules (hypothesis), on the real database."""

import datetime
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.figures.audience import Audience
from adelante.figures.committed import committed, committed_by
from adelante.money.qualifiers import AmountQualifier
from tests import builders

START = datetime.date(2021, 1, 1)
QUALIFIERS = [q for q in AmountQualifier if q != AmountQualifier.UNDISCLOSED]

amounts = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=10**13).map(lambda cents: Decimal(cents).scaleb(-2)),
)


@st.composite
def geographies(draw):
    countries = draw(st.lists(st.sampled_from(["GT", "SV", "HN"]), unique=True, max_size=3))
    if len(countries) < 2 or draw(st.booleans()):
        return countries
    # Integer percentages that add up to 100.
    cuts = sorted(
        draw(
            st.lists(st.integers(0, 100), min_size=len(countries) - 1, max_size=len(countries) - 1)
        )
    )
    bounds = [0, *cuts, 100]
    return {c: Decimal(bounds[i + 1] - bounds[i]) for i, c in enumerate(countries)}


commitments = st.lists(
    st.fixed_dictionaries(
        {
            "amount": amounts,
            "countries": geographies(),
            "qualifier": st.sampled_from(QUALIFIERS),
            "relation": st.sampled_from(list(Relation)),
            "kind": st.sampled_from(list(MoneyKind)),
            "day": st.integers(0, 900),
            "partner": st.integers(0, 6),
            "withdrawn_after": st.one_of(st.none(), st.integers(1, 400)),
            "focus": st.lists(st.sampled_from(["women", "health", "climate"]), unique=True),
        }
    ),
    max_size=12,
)

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def build(specs):
    for spec in specs:
        day = START + datetime.timedelta(days=spec["day"])
        withdrawn = spec["withdrawn_after"]
        builders.commitment(
            f"Partner {spec['partner']}",
            spec["amount"],
            day,
            countries=spec["countries"],
            qualifier=spec["qualifier"] if spec["amount"] is not None else None,
            relation=spec["relation"],
            kind=spec["kind"],
            status=Status.WITHDRAWN if withdrawn else Status.ANNOUNCED,
            withdrawn_on=day + datetime.timedelta(days=withdrawn) if withdrawn else None,
            focus=spec["focus"],
        )


class FigureProperties(TestCase):
    @SETTINGS
    @given(commitments, st.integers(0, 1400))
    def test_breakdown_rows_always_sum_to_the_total(self, specs, offset):
        build(specs)
        day = START + datetime.timedelta(days=offset)
        for dimension in ("country", "kind", "round", "partner-type"):
            # Public: no cell is suppressed (none holds a confidential amount).
            breakdown = committed_by(dimension, day)
            assert breakdown.total is not None
            assert not any(r.suppressed for r in breakdown.rows)
            assert sum(r.amount_usd for r in breakdown.rows) == breakdown.total.amount_usd
            assert sum(r.commitments for r in breakdown.rows) >= 0

    @SETTINGS
    @given(commitments, st.integers(0, 1400))
    def test_totals_are_exact_decimals(self, specs, offset):
        build(specs)
        day = START + datetime.timedelta(days=offset)
        counted = [
            s
            for s in specs
            if s["amount"] is not None
            and s["relation"] != Relation.RESTATEMENT
            and s["day"] <= offset
            and (s["withdrawn_after"] is None or s["day"] + s["withdrawn_after"] > offset)
        ]
        secret = AmountQualifier.CONFIDENTIAL
        public = sum((s["amount"] for s in counted if s["qualifier"] != secret), Decimal("0.00"))
        result = committed(day).amount_usd
        assert isinstance(result, Decimal)
        assert result == public
        allowed = sum((s["amount"] for s in counted), Decimal("0.00"))
        assert committed(day, audience=Audience.CONFIDENTIAL_ALLOWED).amount_usd == allowed

    @SETTINGS
    @given(commitments, amounts, st.integers(0, 900), st.integers(0, 1400))
    def test_adding_a_restatement_never_changes_the_committed_figure(
        self, specs, amount, restated_day, offset
    ):
        build(specs)
        day = START + datetime.timedelta(days=offset)
        before = committed(day)
        builders.commitment(
            "Partner 0",
            amount,
            START + datetime.timedelta(days=restated_day),
            relation=Relation.RESTATEMENT,
        )
        after = committed(day)
        assert after.amount_usd == before.amount_usd
        assert after.qualifier == before.qualifier

    @SETTINGS
    @given(commitments)
    def test_committed_never_falls_as_the_date_grows_without_withdrawals(self, specs):
        build([{**s, "withdrawn_after": None} for s in specs])
        totals = [
            committed(START + datetime.timedelta(days=d)).amount_usd for d in range(0, 1000, 50)
        ]
        assert totals == sorted(totals)

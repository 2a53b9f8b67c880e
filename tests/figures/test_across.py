"""Committed across initiatives: a same pledge counted once (figures.across), as a property
of random records (hypothesis) and on examples."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.commitments.choices import Relation, Status
from adelante.commitments.models import Commitment, SamePledge
from adelante.commitments.same_pledge import do_link_same_pledge, do_unlink_same_pledge
from adelante.errors import ServiceError
from adelante.figures.across import committed_across
from adelante.figures.labels import across_sentence
from adelante.figures.record import Record
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.money.qualifiers import AmountQualifier
from tests import builders

START = datetime.date(2022, 1, 1)
SETTINGS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])

specs = st.lists(
    st.fixed_dictionaries(
        {
            "initiative": st.integers(0, 2),
            "amount": st.one_of(st.none(), st.integers(0, 10**9).map(Decimal)),
            "confidential": st.booleans(),
            "restatement": st.booleans(),
            "day": st.integers(0, 600),
            "withdrawn_after": st.one_of(st.none(), st.integers(1, 300)),
        }
    ),
    min_size=1,
    max_size=10,
)
links = st.lists(st.tuples(st.integers(0, 9), st.integers(0, 9)), max_size=8)


def _initiatives() -> list[Initiative]:
    return [
        scope.primary(),
        Initiative.objects.create(slug="ocean-pledges", name="Ocean pledges", position=1),
        Initiative.objects.create(slug="nutrition", name="Nutrition", position=2),
    ]


def _build(spec: dict, initiative: Initiative) -> Commitment:
    day = START + datetime.timedelta(days=spec["day"])
    withdrawn = spec["withdrawn_after"]
    qualifier = None
    if spec["amount"] is not None:
        qualifier = AmountQualifier.CONFIDENTIAL if spec["confidential"] else AmountQualifier.EXACT
    with scope.within(initiative):
        return builders.commitment(
            "Acme Foods",  # one partner: every pair may be linked
            spec["amount"],
            day,
            qualifier=qualifier,
            relation=Relation.RESTATEMENT if spec["restatement"] else Relation.NEW,
            status=Status.WITHDRAWN if withdrawn else Status.ANNOUNCED,
            withdrawn_on=day + datetime.timedelta(days=withdrawn) if withdrawn else None,
        )


def _public_amount(c: Commitment, as_of: datetime.date) -> Decimal:
    """What one commitment adds to a public total as of the day (computed here, not by the
    figures): announced by then, not withdrawn by then, new money, a public amount."""
    counts = (
        c.announced_on is not None
        and c.announced_on <= as_of
        and (c.withdrawn_on is None or c.withdrawn_on > as_of)
    )
    if not counts or c.relation == Relation.RESTATEMENT or c.amount_usd is None:
        return Decimal(0)
    return Decimal(0) if c.qualifier == AmountQualifier.CONFIDENTIAL else c.amount_usd


class AcrossProperties(TestCase):
    @SETTINGS
    @given(specs, links, st.integers(0, 1000))
    def test_a_linked_pledge_counts_once(self, specs, pairs, day) -> None:
        staff = User.objects.create_user("staff", is_staff=True)
        initiatives = _initiatives()
        made = [_build(spec, initiatives[spec["initiative"]]) for spec in specs]
        for i, j in pairs:
            if i < len(made) and j < len(made):
                # Refused (itself, same initiative, linked already): no link.
                with contextlib.suppress(ServiceError):
                    do_link_same_pledge(actor=staff, commitment=made[i], counted_as=made[j])
        as_of = START + datetime.timedelta(days=day)
        across = committed_across(as_of)

        linked = set(SamePledge.objects.values_list("commitment_id", flat=True))
        by_initiative = {
            row.initiative.pk: row.committed.amount_usd for row in across.by_initiative
        }
        for initiative in initiatives:
            mine = [c for c in made if c.initiative_id == initiative.pk]
            assert by_initiative[initiative.pk] == sum(
                (_public_amount(c, as_of) for c in mine), Decimal(0)
            )
        left_out = sum((_public_amount(c, as_of) for c in made if c.pk in linked), Decimal(0))
        whole = sum(by_initiative.values(), Decimal(0))
        assert across.total.amount_usd == whole - left_out
        assert across.counted_once_usd == left_out
        assert across.total.amount_usd <= whole
        # Never twice: of each group of same pledges, at most one commitment is counted across.
        with scope.within(scope.ACROSS):
            counted = set(Record().commitments().values_list("id", flat=True))
        for rep in set(SamePledge.objects.values_list("counted_as_id", flat=True)):
            group = {
                rep,
                *SamePledge.objects.filter(counted_as_id=rep).values_list(
                    "commitment_id", flat=True
                ),
            }
            assert len(group & counted) == 1
            assert rep in counted

    @SETTINGS
    @given(specs, st.lists(st.integers(0, 2), min_size=1, max_size=4), st.integers(0, 1000))
    def test_across_is_at_least_each_initiative_when_pledges_are_restated_alike(
        self, specs, copies, day
    ) -> None:
        """A pledge told to several initiatives with the same amount, date and status: the
        total across is at least each initiative's and at most their sum."""
        staff = User.objects.create_user("staff", is_staff=True)
        initiatives = _initiatives()
        made = [_build(spec, initiatives[spec["initiative"]]) for spec in specs]
        for n, target in enumerate(copies):
            original = made[n % len(made)]
            if (
                target == original.initiative_id
                or SamePledge.objects.filter(commitment=original).exists()
            ):
                continue
            spec = {**specs[n % len(specs)]}
            copy = _build(spec, initiatives[target])
            try:
                do_link_same_pledge(actor=staff, commitment=copy, counted_as=original)
            except ServiceError:
                copy.delete()  # the pledge is under that initiative already
        as_of = START + datetime.timedelta(days=day)
        across = committed_across(as_of)
        totals = [row.committed.amount_usd for row in across.by_initiative]
        assert all(across.total.amount_usd >= total for total in totals)
        assert across.total.amount_usd <= sum(totals, Decimal(0))


@pytest.mark.django_db
def test_the_sentence_says_what_was_counted_once() -> None:
    staff = User.objects.create_user("staff", is_staff=True)
    first, second, _third = _initiatives()
    day = datetime.date(2023, 3, 1)
    with scope.within(first):
        a = builders.commitment("Acme Foods", "1000000", day)
        builders.commitment("Beta Bank", "500000", day)
    with scope.within(second):
        b = builders.commitment("Acme Foods", "1050000", day + datetime.timedelta(days=30))
    as_of = datetime.date(2023, 12, 31)
    before = committed_across(as_of)
    assert before.total.amount_usd == Decimal("2550000")
    assert before.counted_once == 0
    with translation.override("en"):
        assert across_sentence(before) == "US$2,550,000 across initiatives."

    link = do_link_same_pledge(actor=staff, commitment=b, counted_as=a)
    after = committed_across(as_of)
    assert after.total.amount_usd == Decimal("1500000")
    assert [row.committed.amount_usd for row in after.by_initiative] == [
        Decimal("1500000"),
        Decimal("1050000"),
        Decimal("0.00"),
    ]
    assert (after.counted_once, after.counted_once_usd) == (1, Decimal("1050000"))
    with translation.override("en"):
        assert across_sentence(after) == (
            "US$1,500,000 across initiatives; 1 commitment also announced under another "
            "initiative is counted once (US$1,050,000 not added again)."
        )
    with translation.override("es"):
        assert "se cuenta una sola vez" in across_sentence(after)

    # As recorded before the link: it counted twice then.
    assert committed_across(as_of, recorded_on=datetime.date(2000, 1, 1)).total.amount_usd == 0
    do_unlink_same_pledge(actor=staff, link=link)
    assert committed_across(as_of).total.amount_usd == Decimal("2550000")

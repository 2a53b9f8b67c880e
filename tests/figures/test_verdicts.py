"""Reconciliation verdicts respect the statement's qualifier (issue 13, item 5)."""

import datetime
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import translation

from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import OfficialStatement
from adelante.figures.labels import verdict_label
from adelante.figures.reconcile import reconcile
from adelante.figures.verdicts import Judgement, Verdict, judge
from tests import builders

D = Decimal
X = D("1000")


@pytest.mark.parametrize(
    ("qualifier", "record", "verdict", "by"),
    [
        # "more than X": the record at or above X bears it out; below, short by at least N
        ("at_least", D("999.99"), Verdict.SHORT, D("0.01")),
        ("at_least", X, Verdict.CONSISTENT, None),
        ("at_least", D("5000"), Verdict.CONSISTENT, None),
        # "about X": within 5% either side
        ("about", D("949.99"), Verdict.SHORT, D("50.01")),
        ("about", D("950"), Verdict.CONSISTENT, None),
        ("about", X, Verdict.CONSISTENT, None),
        ("about", D("1050"), Verdict.CONSISTENT, None),
        ("about", D("1050.01"), Verdict.ABOVE, D("50.01")),
        # exact X: only X
        ("exact", D("999.99"), Verdict.SHORT, D("0.01")),
        ("exact", X, Verdict.CONSISTENT, None),
        ("exact", D("1000.01"), Verdict.ABOVE, D("0.01")),
        # intentions and figures the record cannot compute
        ("target", X, Verdict.NOT_COMPUTABLE, None),
        ("projection", X, Verdict.NOT_COMPUTABLE, None),
        ("exact", None, Verdict.NOT_COMPUTABLE, None),
    ],
)
def test_each_qualifier_at_below_and_above_its_boundary(qualifier, record, verdict, by):
    assert judge(X, qualifier, record) == Judgement(verdict, by)


def test_the_tolerance_is_a_setting():
    with override_settings(ADELANTE_ABOUT_TOLERANCE_PERCENT=D("10")):
        assert judge(X, "about", D("905")).verdict == Verdict.CONSISTENT
    assert judge(X, "about", D("905")) == Judgement(Verdict.SHORT, D("95"))
    assert judge(X, "about", D("905"), tolerance_percent=D("10")).verdict == Verdict.CONSISTENT


@pytest.mark.parametrize(
    ("judgement", "qualifier", "english", "spanish"),
    [
        (Judgement(Verdict.CONSISTENT), "at_least", "consistent with the record", "coherente"),
        (
            Judgement(Verdict.SHORT, D("5")),
            "at_least",
            "record short by at least 5",
            "al registro le faltan al menos 5",
        ),
        (Judgement(Verdict.SHORT, D("5")), "exact", "record short by 5", "le faltan 5"),
        (Judgement(Verdict.ABOVE, D("5")), "about", "record above by 5", "supera en 5"),
        (Judgement(Verdict.NOT_COMPUTABLE), "target", "not computable", "no calculable"),
    ],
)
def test_verdicts_in_both_languages(judgement, qualifier, english, spanish):
    with translation.override("en"):
        assert english in verdict_label(judgement, qualifier, "5")
    with translation.override("es"):
        assert spanish in verdict_label(judgement, qualifier, "5")


@pytest.mark.django_db
def test_a_record_above_a_more_than_statement_is_consistent_never_negative():
    # The shipped record's case: "more than X" with the record beyond X.
    day = datetime.date(2021, 12, 13)
    builders.commitment("Alpha", "1013900000", day)
    OfficialStatement.objects.create(
        stated_on=day,
        metric="cumulative_committed_usd",
        value=D("1000000000"),
        unit="USD",
        qualifier="at_least",
        source_url="https://example.org/s",
        figure=StatementFigure.COMMITTED_USD,
    )
    [row] = reconcile(day)
    assert row.gap == D("-13900000.00")  # the signed difference, for the API's readers
    assert row.judgement == Judgement(Verdict.CONSISTENT)

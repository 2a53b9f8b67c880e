"""The delivery ladder (issue 13, item 1) and graded invested figures (item 2)."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.figures.committed import committed
from adelante.figures.ladder import (
    ANNOUNCED,
    COMPLETED,
    EVIDENCE_BACKED,
    INDEPENDENTLY_VERIFIED,
    REPORTING,
    STEPS,
    WITH_AMOUNT,
    Selection,
    ladder,
)
from adelante.figures.reached import INDEPENDENTLY_VERIFIED as INDEPENDENT_GRADE
from adelante.figures.reached import Grade, graded, invested
from adelante.money.qualifiers import AmountQualifier
from adelante.progress.models import ReportStatus, VerificationLevel
from tests import builders

START = datetime.date(2021, 1, 1)
LEVELS = list(VerificationLevel)
QUALIFIERS = [q for q in AmountQualifier if q != AmountQualifier.UNDISCLOSED]

specs = st.lists(
    st.fixed_dictionaries(
        {
            "amount": st.one_of(st.none(), st.integers(0, 10**9).map(Decimal)),
            "qualifier": st.sampled_from(QUALIFIERS),
            "relation": st.sampled_from(list(Relation)),
            "kind": st.sampled_from([MoneyKind.UNSPECIFIED, MoneyKind.CAPITAL_INVESTMENT]),
            "day": st.integers(0, 700),
            "completed": st.booleans(),
            "countries": st.sampled_from([("GT",), ("GT", "HN"), ()]),
            "reports": st.lists(
                st.tuples(
                    st.integers(0, 900),  # period end, days after START
                    st.sampled_from(LEVELS),
                    st.booleans(),  # evidence
                    st.sampled_from([ReportStatus.VERIFIED, ReportStatus.SUBMITTED]),
                    st.integers(0, 10**6),  # US$ invested
                ),
                max_size=3,
                unique_by=lambda r: r[0],
            ),
        }
    ),
    max_size=8,
)


def build(items):
    for i, spec in enumerate(items):
        made = builders.commitment(
            f"Partner {i % 3}",
            spec["amount"],
            START + datetime.timedelta(days=spec["day"]),
            qualifier=spec["qualifier"] if spec["amount"] is not None else None,
            relation=spec["relation"],
            kind=spec["kind"],
            countries=spec["countries"],
            status=Status.COMPLETED if spec["completed"] else Status.ANNOUNCED,
        )
        for end, level, evidence, status, value in spec["reports"]:
            report = builders.report(
                made,
                START + datetime.timedelta(days=end),
                {"usd_invested": str(value)},
                status=status,
            )
            report.verification_level = level
            report.evidence_attached = evidence
            report.save()


class LadderProperties(TestCase):
    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(specs, st.integers(0, 1000), st.sampled_from([None, "GT", "regional", "kind"]))
    def test_steps_never_increase_and_the_first_is_committed(self, items, day, narrowing):
        build(items)
        as_of = START + datetime.timedelta(days=day)
        selection = Selection()
        if narrowing == "kind":
            selection = Selection(kind=MoneyKind.CAPITAL_INVESTMENT)
        elif narrowing:
            selection = Selection(country=narrowing)
        found = ladder(as_of, selection=selection)
        assert [s.step for s in found.steps] == list(STEPS)
        for before, after in zip(found.steps, found.steps[1:], strict=False):
            assert after.commitments <= before.commitments
            assert after.committed_usd <= before.committed_usd
            assert after.invested_usd <= before.invested_usd
        if selection == Selection():
            total = committed(as_of)
            first = found.step(ANNOUNCED)
            assert first.commitments == total.commitments
            assert first.committed_usd == total.amount_usd
            assert found.step(WITH_AMOUNT).commitments == total.commitments_with_amount
            assert found.step(WITH_AMOUNT).committed_usd == total.amount_usd
            # the figure at a grade is a part of the figure, never more
            whole = invested(as_of)
            for level in LEVELS:
                for evidence in (False, True):
                    part = invested(as_of, grade=Grade(level, evidence))
                    assert part.value <= whole.value
                    assert part.commitments <= whole.commitments


pytestmark = pytest.mark.django_db
DAY = datetime.date(2023, 2, 6)


def test_each_step_on_a_small_record():
    builders.commitment("Hidden", None, DAY)  # announced, no public amount
    builders.commitment("Secret", "999", DAY, qualifier=AmountQualifier.CONFIDENTIAL)
    quiet = builders.commitment("Quiet", "100", DAY)  # with an amount, no report
    told = builders.commitment("Told", "200", DAY)  # self-reported, no evidence
    builders.report(told, datetime.date(2023, 6, 30), {"usd_invested": "20"})
    shown = builders.commitment("Shown", "300", DAY)  # evidence, reviewed
    r = builders.report(shown, datetime.date(2023, 6, 30), {"usd_invested": "30"})
    r.evidence_attached, r.verification_level = True, VerificationLevel.SECRETARIAT_REVIEWED
    r.save()
    audited = builders.commitment("Audited", "400", DAY, status=Status.COMPLETED)
    r = builders.report(audited, datetime.date(2023, 6, 30), {"usd_invested": "40"})
    r.evidence_attached, r.verification_level = True, VerificationLevel.INDEPENDENTLY_VERIFIED
    r.save()
    found = ladder(datetime.date(2024, 1, 1))
    rows = {s.step: (s.commitments, s.committed_usd, s.invested_usd) for s in found.steps}
    assert rows == {
        ANNOUNCED: (6, Decimal("1000"), Decimal("90")),
        WITH_AMOUNT: (4, Decimal("1000"), Decimal("90")),
        REPORTING: (3, Decimal("900"), Decimal("90")),
        EVIDENCE_BACKED: (2, Decimal("700"), Decimal("70")),
        INDEPENDENTLY_VERIFIED: (1, Decimal("400"), Decimal("40")),
        COMPLETED: (1, Decimal("400"), Decimal("40")),
    }
    assert found.confidential == 1
    assert quiet.id  # no schedule anywhere: nobody is silent, nobody owes a report
    assert (found.silent, found.with_obligation, found.reporting_rate.due) == (0, 0, 0)
    # before the reports' periods ended, nothing reports yet
    early = ladder(datetime.date(2023, 6, 29))
    assert early.step(REPORTING).commitments == 0
    # by partner and by round
    assert ladder(datetime.date(2024, 1, 1), selection=Selection(partner_id=shown.partner_id))
    assert (
        ladder(datetime.date(2024, 1, 1), selection=Selection(round_id=shown.round_id))
        .step(ANNOUNCED)
        .commitments
        == 6
    )


def test_invested_of_which_independently_verified():
    a = builders.commitment("A", "100", DAY)
    b = builders.commitment("B", "100", DAY)
    builders.report(a, datetime.date(2023, 6, 30), {"usd_invested": "10"})
    r = builders.report(b, datetime.date(2023, 6, 30), {"usd_invested": "25"})
    r.verification_level = VerificationLevel.INDEPENDENTLY_VERIFIED
    r.save()
    # a later self-reported value replaces b's: the figure counts it, at its own grade
    builders.report(b, datetime.date(2023, 12, 31), {"usd_invested": "30"}).save()
    as_of = datetime.date(2024, 1, 1)
    assert invested(as_of).value == Decimal("40")
    assert invested(as_of, grade=INDEPENDENT_GRADE).value == Decimal("0")
    early = datetime.date(2023, 7, 1)
    assert invested(early, grade=INDEPENDENT_GRADE).value == Decimal("25")
    assert invested(early, grade=Grade(VerificationLevel.SELF_REPORTED, True)).value == 0
    parts = graded("usd_invested", early)
    assert parts.total.value == invested(early).value == Decimal("35")

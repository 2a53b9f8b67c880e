"""The delivery ladder: from announcement to delivery, step by step (issue 13).

For a selection of commitments (the whole record, a round, a country, a partner, a kind of
money) as of a date and as recorded on a day, each step counts the commitments that reached
it and their money, committed and invested:

1. *announced*: the commitments that count as of the date (`committed`: announced, not
   withdrawn; restatements included, at zero);
2. *with a public amount*: of those, new money whose amount is public (not undisclosed, not
   confidential, not a restatement);
3. *reporting*: of those, with at least one verified progress report by the date;
4. *evidence-backed*: of those, with a verified value from a report with evidence attached;
5. *independently verified*: of those, with a value from an independently verified report
   with evidence;
6. *completed*: of those, completed.

Each step is within the one before, so no step ever holds more than the one before it, and
the first step is the `committed` figure of the selection (count and amount). Committed money
is the public amounts (confidential ones are in no step: DOMAIN rule 7); invested money is the
selection's `invested` figure (DOMAIN rule 3) over the step's commitments. Beside the steps,
the commitments that are silent (`figures.silence`) are counted apart, still committed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)

from adelante.commitments.choices import Status
from adelante.commitments.models import NEW_MONEY_Q
from adelante.figures import silence
from adelante.figures.committed import CONFIDENTIAL_Q, REGIONAL, counted
from adelante.figures.reached import USD_INVESTED, graded
from adelante.figures.record import Record
from adelante.figures.silence import ReportingRate
from adelante.progress.models import ReportStatus, VerificationLevel

ZERO = Decimal("0.00")

ANNOUNCED = "announced"
WITH_AMOUNT = "with_amount"
REPORTING = "reporting"
EVIDENCE_BACKED = "evidence_backed"
INDEPENDENTLY_VERIFIED = "independently_verified"
COMPLETED = "completed"
STEPS = (ANNOUNCED, WITH_AMOUNT, REPORTING, EVIDENCE_BACKED, INDEPENDENTLY_VERIFIED, COMPLETED)


@dataclass(frozen=True)
class Selection:
    """Which commitments a ladder is of: every one by default, or one round, one country (a
    country code: the commitments naming it, alone or among others, at their whole amounts;
    or `regional`: those naming no country), one partner, one kind of money."""

    round_id: int | None = None
    country: str | None = None
    partner_id: int | None = None
    kind: str | None = None

    def narrow(self, commitments: QuerySet[Any], record: Record) -> QuerySet[Any]:
        if self.round_id is not None:
            commitments = commitments.filter(round_id=self.round_id)
        if self.partner_id is not None:
            commitments = commitments.filter(partner_id=self.partner_id)
        if self.kind is not None:
            commitments = commitments.filter(kind=self.kind)
        if self.country is not None:
            shares = record.country_shares()
            named = Exists(shares.filter(commitment_id=OuterRef("id")))
            if self.country == REGIONAL:
                commitments = commitments.filter(~named)
            else:
                here = shares.filter(commitment_id=OuterRef("id"), country=self.country)
                commitments = commitments.filter(Exists(here))
        return commitments


@dataclass(frozen=True)
class Step:
    step: str
    commitments: int
    #: Public committed new money of the step's commitments.
    committed_usd: Decimal
    #: Verified US$ invested by the step's commitments.
    invested_usd: Decimal


@dataclass(frozen=True)
class Ladder:
    as_of: datetime.date
    recorded_on: datetime.date | None
    selection: Selection
    steps: tuple[Step, ...]
    #: Of the announced commitments, those silent as of the date (still committed).
    silent: int
    silent_usd: Decimal
    #: Of the announced commitments, those with a reporting obligation (a schedule).
    with_obligation: int
    #: New money whose amount is confidential: in the first step's count, in no money.
    confidential: int
    reporting_rate: ReportingRate = field(compare=False)

    def step(self, name: str) -> Step:
        return next(s for s in self.steps if s.step == name)


def ladder(
    as_of: datetime.date,
    *,
    recorded_on: datetime.date | None = None,
    selection: Selection | None = None,
) -> Ladder:
    """The delivery ladder of a selection as of a date (for the public)."""
    record = Record(recorded_on)
    chosen = selection or Selection()
    base = chosen.narrow(counted(as_of, record), record)
    public_amount = NEW_MONEY_Q & Q(amount_usd__isnull=False) & ~CONFIDENTIAL_Q
    amounts: dict[int, Decimal] = {}
    completed: set[int] = set()
    confidential = 0
    announced: list[int] = []
    for c in base.values("id", "amount_usd", "status", "relation", "qualifier").annotate(
        public=_q_flag(public_amount), secret=_q_flag(NEW_MONEY_Q & CONFIDENTIAL_Q)
    ):
        announced.append(c["id"])
        if c["public"]:
            amounts[c["id"]] = c["amount_usd"]
        if c["secret"]:
            confidential += 1
        if c["status"] == Status.COMPLETED:
            completed.add(c["id"])
    reports = _verified_reports(as_of, record, base)
    invested: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for v in graded(USD_INVESTED, as_of, recorded_on=recorded_on, within=base.values("id")).values:
        invested[v.commitment_id] += v.value
    with_amount = [c for c in announced if c in amounts]
    reporting = [c for c in with_amount if c in reports]
    backed = [c for c in reporting if reports[c][0]]
    independent = [c for c in backed if reports[c][1]]
    done = [c for c in independent if c in completed]
    members = (announced, with_amount, reporting, backed, independent, done)
    steps = tuple(
        Step(
            name,
            len(ids),
            sum((amounts.get(c, ZERO) for c in ids), ZERO),
            sum((invested[c] for c in ids), ZERO),
        )
        for name, ids in zip(STEPS, members, strict=True)
    )
    obligations = silence.summary(base, as_of, record)
    return Ladder(
        as_of=as_of,
        recorded_on=recorded_on,
        selection=chosen,
        steps=steps,
        silent=len(obligations.silent),
        silent_usd=sum((amounts.get(c, ZERO) for c in obligations.silent), ZERO),
        with_obligation=obligations.with_obligation,
        confidential=confidential,
        reporting_rate=obligations.rate,
    )


def _q_flag(condition: Q) -> Any:
    return Case(
        When(condition, then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def _verified_reports(
    as_of: datetime.date, record: Record, commitments: QuerySet[Any]
) -> dict[int, tuple[bool, bool]]:
    """The commitments with a verified report by the date, each with whether one of those
    reports has a value and evidence, and whether one has a value, evidence and an
    independent verification (one row per commitment, grouped in the database)."""
    reports = record.reports().filter(
        status=ReportStatus.VERIFIED,
        period_end__lte=as_of,
        commitment_id__in=commitments.values("id"),
    )
    # Each report's grade, reading its values once: 2 with evidence, a value and an
    # independent verification; 1 with evidence and a value; 0 otherwise.
    has_value = Exists(record.values().filter(report_id=OuterRef("id")))
    independent = Case(
        When(verification_level=VerificationLevel.INDEPENDENTLY_VERIFIED, then=Value(2)),
        default=Value(1),
    )
    grade = Case(
        When(
            evidence_attached=True,
            then=Case(When(has_value, then=independent), default=Value(0)),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )
    grouped = (
        reports.order_by()
        .values("commitment_id")
        .annotate(best=Max(grade))
        .values_list("commitment_id", "best")
    )
    return {c: (best >= 1, best == 2) for c, best in grouped}

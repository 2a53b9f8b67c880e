"""A partner submits a progress report (through the API): who may, and what lands.

A user may submit only for commitments of a partner organisation they belong to
(`partners.Membership`). The report lands as *submitted*, self-reported; only the
secretariat verifies it, and only verified values count in the figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from adelante.catalogue.models import Metric
from adelante.commitments.models import Commitment
from adelante.partners.models import Membership
from adelante.progress.models import (
    ProgressReport,
    ProgressValue,
    ReportStatus,
    VerificationLevel,
)


class SubmissionError(Exception):
    """Why a report cannot be submitted; the message is for the user."""


class NotFound(SubmissionError):
    pass


class NotAllowed(SubmissionError):
    pass


class Conflict(SubmissionError):
    pass


class Invalid(SubmissionError):
    pass


@dataclass(frozen=True)
class SubmittedValue:
    metric: str
    value: Decimal


def partner_ids(user: User) -> set[int]:
    """The partner organisations the user belongs to."""
    return set(Membership.objects.filter(user=user).values_list("partner_id", flat=True))


def may_report_for(user: User, commitment: Commitment) -> bool:
    return commitment.partner_id in partner_ids(user)


def submit_report(
    user: User,
    reference: str,
    period_start: datetime.date,
    period_end: datetime.date,
    narrative: str,
    values: Sequence[SubmittedValue],
) -> ProgressReport:
    """Create a submitted report for the commitment with this reference.

    Raises NotFound (no such commitment), NotAllowed (not the user's partner), Invalid (a bad
    period or value) or Conflict (a report for that period exists).
    """
    commitment = Commitment.objects.filter(reference=reference).first()
    if commitment is None:
        raise NotFound(_("No commitment with the reference “%(ref)s”.") % {"ref": reference})
    if not may_report_for(user, commitment):
        raise NotAllowed(
            _("You may only report for commitments of the organisations you belong to.")
        )
    if period_end < period_start:
        raise Invalid(_("The period ends before it starts."))
    metrics = dict(Metric.objects.values_list("code", "id"))
    seen: set[str] = set()
    for item in values:
        if item.metric not in metrics:
            raise Invalid(_("Unknown metric “%(code)s”.") % {"code": item.metric})
        if item.metric in seen:
            raise Invalid(_("The metric “%(code)s” is given twice.") % {"code": item.metric})
        if item.value < 0:
            raise Invalid(_("Values must be zero or more."))
        seen.add(item.metric)
    if ProgressReport.objects.filter(commitment=commitment, period_end=period_end).exists():
        raise Conflict(_("A report for this commitment and period end exists already."))
    reason = _("submitted through the API by %(user)s") % {"user": user.get_username()}
    try:
        with transaction.atomic():
            report = ProgressReport(
                commitment=commitment,
                period_start=period_start,
                period_end=period_end,
                status=ReportStatus.SUBMITTED,
                verification_level=VerificationLevel.SELF_REPORTED,
                narrative=narrative,
            )
            report._change_reason = reason  # type: ignore[attr-defined]
            report._history_user = user  # type: ignore[attr-defined]
            report.save()
            for item in values:
                value = ProgressValue(
                    report=report, metric_id=metrics[item.metric], value=item.value
                )
                value._change_reason = reason  # type: ignore[attr-defined]
                value._history_user = user  # type: ignore[attr-defined]
                value.save()
    except IntegrityError:  # a concurrent submission for the same period
        raise Conflict(_("A report for this commitment and period end exists already.")) from None
    return report

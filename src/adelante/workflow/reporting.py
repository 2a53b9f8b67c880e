"""Progress reports: the partner fills and submits; the secretariat verifies or returns.

    draft ──submit──▶ submitted ──verify──▶ verified (counts in the figures)
      ▲                   │                    │
      └──── returned ◀────┘ return (reason)    └── correct a value (secretariat, reason;
            (edit, submit again)                    the old value stays in the history)

Values are cumulative to date (for a cumulative metric) and may be broken down by country and
by sex where the metric allows it; the parts of one breakdown add up to at most the total. A
cumulative value lower than the last verified one is allowed only when the partner confirms
it with a reason. Counts (people, jobs, organisations) are whole numbers.

This module is the one write path for progress reports: the partner's web form, the API
(`submit_new`) and anything later call these functions, which check who may act (`check_*`),
validate, write in one transaction and record the review event. They refuse with
`adelante.errors.ServiceError` (Invalid, Conflict, NotAllowed), which each door shows its way.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante import history
from adelante.accounts import roles
from adelante.catalogue.models import Metric
from adelante.commitments.choices import REPORTING_STATUSES, Status
from adelante.commitments.models import Commitment
from adelante.errors import Conflict, Invalid, NotAllowed
from adelante.figures.reached import USD_INVESTED
from adelante.initiatives.metrics import metric_refused, reporting_metrics
from adelante.money import limits
from adelante.money.formatting import format_number
from adelante.progress.models import (
    BreakdownDimension,
    ProgressBreakdown,
    ProgressReport,
    ProgressValue,
    ReportStatus,
    Sex,
    VerificationLevel,
)
from adelante.workflow import files, notices, reasons, recording
from adelante.workflow.locking import locked
from adelante.workflow.models import Action, Evidence

#: Upper bounds that no real report reaches: anything above is a typing slip.
MAX_USD = limits.MAX_AMOUNT
MAX_COUNT = Decimal("1000000000")

EDITABLE = (ReportStatus.DRAFT, ReportStatus.RETURNED)
#: A commitment reports its progress while it is announced or in progress.
#: The `code` of a refusal to report for another organisation (the API's problem type).
NOT_YOUR_PARTNER = "not-your-partner"


class Through(StrEnum):
    """The door a submission came through: said in the history, never in the review event."""

    WEB = "web"
    API = "api"


@dataclass(frozen=True)
class Decrease:
    metric: str
    last_verified: Decimal
    last_period_end: datetime.date
    new: Decimal


def needs_confirmation(found: Sequence[Decrease]) -> Invalid:
    """The refusal of cumulative values lower than the last verified ones, not confirmed with
    a reason: a message per value, and the decreases in `extra["decreases"]`."""
    return Invalid(
        field_errors={
            f"value:{d.metric}": [
                _(
                    "Lower than the last verified value (%(old)s, period ending %(date)s): "
                    "confirm it with a reason."
                )
                % {"old": d.last_verified, "date": d.last_period_end.isoformat()}
            ]
            for d in found
        },
        extra={"decreases": list(found)},
    )


@dataclass(frozen=True)
class ValueInput:
    metric: str
    value: Decimal
    #: (dimension, part) → value: ("country", "GT"), ("sex", "female").
    breakdowns: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)
    #: Why a cumulative value is lower than the last verified one.
    decrease_reason: str = ""


def totals_to_report(commitment: Commitment) -> list[Metric]:
    """The metrics a spreadsheet row or catch-up column is offered for: the commitment's target
    metrics that its initiative reports on, else US dollars invested, else (an initiative
    without that metric) its first metric."""
    allowed = reporting_metrics(commitment.initiative_id).order_by("code")
    codes = list(commitment.targets.values_list("metric__code", flat=True))
    found = list(allowed.filter(code__in=codes or [USD_INVESTED]))
    return found or list(allowed.filter(code=USD_INVESTED)) or list(allowed[:1])


def breakdown_parts(metric: Metric, commitment: Commitment) -> dict[str, list[str]]:
    """The breakdowns a metric allows for this commitment, and their parts."""
    parts: dict[str, list[str]] = {}
    if metric.by_country:
        named = sorted(commitment.countries.values_list("country", flat=True))
        # A regional commitment reports by any of its initiative's countries.
        parts[BreakdownDimension.COUNTRY] = named or list(commitment.initiative.country_codes())
    if metric.by_sex:
        parts[BreakdownDimension.SEX] = list(Sex.values)
    return parts


def _limit(metric: Metric) -> Decimal:
    return MAX_USD if metric.unit == Metric.Unit.USD else MAX_COUNT


def _whole(metric: Metric) -> bool:
    return metric.unit != Metric.Unit.USD


def value_problems(
    commitment: Commitment, values: Sequence[ValueInput], *, complete: bool = True
) -> dict[str, list[str]]:
    """What is wrong with the values. `complete=False` (a draft being saved): only what cannot
    be stored (an unknown metric or breakdown, a metric twice, a number past the limits); the
    rest (signs, whole numbers, parts above the total) stops the submission, not the draft."""
    errors: dict[str, list[str]] = {}
    # Only the metrics of the commitment's initiative (initiatives.metrics).
    metrics = {m.code: m for m in reporting_metrics(commitment.initiative_id)}
    seen: set[str] = set()
    for item in values:
        key = f"value:{item.metric}"
        metric = metrics.get(item.metric)
        if metric is None:
            errors.setdefault("__all__", []).append(
                metric_refused(commitment.initiative_id, item.metric)
            )
            continue
        if item.metric in seen:
            errors.setdefault(key, []).append(_("The metric is given twice."))
        seen.add(item.metric)
        mine = errors.setdefault(key, [])
        numbers = [item.value, *item.breakdowns.values()]
        if any(n < 0 for n in numbers):  # never stored (a check constraint)
            mine.append(_("Values must be zero or more."))
        elif any(abs(n) > _limit(metric) for n in numbers):
            if metric.unit == Metric.Unit.USD:
                # An amount of money: the limit and the words of every door (money.limits).
                mine.append(limits.too_large_message())
            else:
                mine.append(_("The value is too large: check the number of digits."))
        elif complete and _whole(metric) and any(n != n.to_integral_value() for n in numbers):
            mine.append(_("Give a whole number."))
        allowed = breakdown_parts(metric, commitment)
        sums: dict[str, Decimal] = {}
        for (dimension, part), amount in item.breakdowns.items():
            if part not in allowed.get(dimension, []):
                mine.append(_("This metric has no such breakdown."))
                break
            sums[dimension] = sums.get(dimension, Decimal(0)) + amount
        for dimension, total in sums.items():
            if complete and total > item.value:
                # Which breakdown, and its sums: the partner sees what to change.
                mine.append(
                    _(
                        "The parts by %(dimension)s add up to %(sum)s, more than the total "
                        "%(total)s (by %(difference)s)."
                    )
                    % {
                        "dimension": BreakdownDimension(dimension).label,
                        "sum": format_number(total),
                        "total": format_number(item.value),
                        "difference": format_number(total - item.value),
                    }
                )
        if not mine:
            del errors[key]
    return errors


def last_verified(
    commitment: Commitment, before: datetime.date
) -> dict[str, tuple[Decimal, datetime.date]]:
    """Per metric, the latest verified value with a period ending before `before`."""
    found: dict[str, tuple[Decimal, datetime.date]] = {}
    rows = (
        ProgressValue.objects.filter(
            report__commitment=commitment,
            report__status=ReportStatus.VERIFIED,
            report__period_end__lt=before,
        )
        .order_by("report__period_end")
        .values_list("metric__code", "value", "report__period_end")
    )
    for code, value, end in rows:
        found[code] = (value, end)
    return found


def last_verified_breakdowns(
    commitment: Commitment, before: datetime.date
) -> dict[str, dict[tuple[str, str], Decimal]]:
    """Per metric, the breakdown of its latest verified value before `before` (for "copy the
    previous breakdown")."""
    found: dict[str, dict[tuple[str, str], Decimal]] = {}
    rows = (
        ProgressBreakdown.objects.filter(
            value__report__commitment=commitment,
            value__report__status=ReportStatus.VERIFIED,
            value__report__period_end__lt=before,
        )
        .order_by("value__report__period_end")
        .values_list(
            "value__metric__code", "value__report__period_end", "dimension", "key", "amount"
        )
    )
    latest: dict[str, datetime.date] = {}
    for code, end, dimension, key, amount in rows:
        if latest.get(code) != end:
            latest[code], found[code] = end, {}
        found[code][(dimension, key)] = amount
    return found


def decreases(report: ProgressReport, values: Sequence[ValueInput]) -> list[Decrease]:
    """Cumulative values lower than the commitment's last verified ones."""
    previous = last_verified(report.commitment, report.period_end)
    cumulative = set(
        Metric.objects.filter(accumulation=Metric.Accumulation.CUMULATIVE).values_list(
            "code", flat=True
        )
    )
    result = []
    for item in values:
        if item.metric in cumulative and item.metric in previous:
            old, end = previous[item.metric]
            if item.value < old:
                result.append(Decrease(item.metric, old, end, item.value))
    return result


def unconfirmed(report: ProgressReport, values: Sequence[ValueInput]) -> list[Decrease]:
    reasons = {v.metric: v.decrease_reason.strip() for v in values}
    return [d for d in decreases(report, values) if not reasons.get(d.metric)]


def stored_values(report: ProgressReport) -> list[ValueInput]:
    result = []
    for value in report.values.select_related("metric").prefetch_related("breakdowns"):
        result.append(
            ValueInput(
                value.metric.code,
                value.value,
                {(b.dimension, b.key): b.amount for b in value.breakdowns.all()},
                value.decrease_reason,
            )
        )
    return result


def returned_values(report: ProgressReport) -> list[ValueInput] | None:
    """The values as they stood when the report was last returned (from the history), for the
    reviewer's comparison; None if it was never returned."""
    event = (
        report.review_events.filter(action=Action.REPORT_RETURNED).order_by("-at", "-pk").first()
    )
    if event is None:
        return None
    at = event.at
    rows = [
        row
        for row in ProgressValue.history.filter(report_id=report.pk, history_date__lte=at).order_by(
            "id", "-history_date", "-history_id"
        )
    ]
    latest: dict[int, Any] = {}
    for row in rows:
        latest.setdefault(row.id, row)
    codes = dict(Metric.objects.values_list("id", "code"))
    parts: dict[int, dict[tuple[str, str], Decimal]] = {}
    seen: set[int] = set()
    for part in ProgressBreakdown.history.filter(
        value_id__in=list(latest), history_date__lte=at
    ).order_by("-history_date", "-history_id"):
        if part.id in seen:
            continue
        seen.add(part.id)
        if part.history_type != "-":
            parts.setdefault(part.value_id, {})[(part.dimension, part.key)] = part.amount
    return [
        ValueInput(codes[row.metric_id], row.value, parts.get(row.id, {}), row.decrease_reason)
        for row in latest.values()
        if row.history_type != "-"
    ]


# -- Who may -----------------------------------------------------------------------------------


def may_report_for(user: Any, commitment: Commitment) -> bool:
    """A member of the commitment's organisation, or the secretariat acting for it."""
    return roles.is_secretariat(user) or roles.is_partner_member(user, commitment.partner)


def check_may_report(*, user: Any, commitment: Commitment) -> None:
    if not may_report_for(user, commitment):
        raise NotAllowed(
            _("You may only report for commitments of the organisations you belong to."),
            code=NOT_YOUR_PARTNER,
        )


def check_may_review(*, user: Any) -> None:
    if not roles.is_secretariat(user):
        raise NotAllowed(_("Only the secretariat reviews progress reports."))


# -- Checks ------------------------------------------------------------------------------------


def check_reporting(*, commitment: Commitment) -> None:
    """The commitment takes reports: announced, or in progress."""
    if commitment.status not in REPORTING_STATUSES:
        raise Conflict(_("Progress is reported for announced commitments in progress."))


def check_new_report(
    *,
    user: Any,
    commitment: Commitment,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date,
) -> None:
    """Who may, the commitment's status, an ended period, one report per period end."""
    check_may_report(user=user, commitment=commitment)
    check_reporting(commitment=commitment)
    if period_end < period_start:
        raise Invalid(field_errors={"period": [_("The period ends before it starts.")]})
    if period_end >= today:
        raise Invalid(field_errors={"period": [_("Report for a period once it has ended.")]})
    if ProgressReport.objects.filter(commitment=commitment, period_end=period_end).exists():
        raise Conflict(_("A report for this period exists already."))


def check_values(
    *, commitment: Commitment, values: Sequence[ValueInput], complete: bool = True
) -> None:
    errors = value_problems(commitment, values, complete=complete)
    if errors:
        raise Invalid(field_errors=errors)


def check_editable(*, report: ProgressReport) -> None:
    if report.status not in EDITABLE:
        raise Conflict(_("This report is with the secretariat and cannot be changed."))


# -- The partner's steps -----------------------------------------------------------------------


def start_report(
    *,
    user: User,
    commitment: Commitment,
    period_start: datetime.date,
    period_end: datetime.date,
    today: datetime.date | None = None,
) -> ProgressReport:
    """A draft report for the period (one per commitment and period end)."""
    today = today or timezone.localdate()
    check_new_report(
        user=user,
        commitment=commitment,
        period_start=period_start,
        period_end=period_end,
        today=today,
    )
    reason = _("report started by %(user)s") % {"user": user.get_username()}
    try:
        with transaction.atomic():
            report = ProgressReport(
                commitment=commitment,
                period_start=period_start,
                period_end=period_end,
                status=ReportStatus.DRAFT,
                verification_level=VerificationLevel.SELF_REPORTED,
            )
            history.save(report, user=user, reason=reason)
            recording.log(Action.REPORT_SAVED, user, commitment, report=report)
    except IntegrityError:  # a concurrent start for the same period end
        raise Conflict(_("A report for this period exists already.")) from None
    return report


def _write_values(
    report: ProgressReport, values: Sequence[ValueInput], user: Any, reason: str
) -> None:
    metrics = dict(Metric.objects.values_list("code", "id"))
    wanted = {v.metric: v for v in values}
    existing = {v.metric.code: v for v in report.values.select_related("metric")}
    for code, row in existing.items():
        if code not in wanted:
            history.delete(row, user=user, reason=reason)
    for code, item in wanted.items():
        row = existing.get(code) or ProgressValue(report=report, metric_id=metrics[code])
        reason_text = item.decrease_reason.strip()
        if row.pk is None or row.value != item.value or row.decrease_reason != reason_text:
            row.value, row.decrease_reason = item.value, reason_text
            history.save(row, user=user, reason=reason)
        parts = {(b.dimension, b.key): b for b in row.breakdowns.all()}
        for stored_key, stored in parts.items():
            if stored_key not in item.breakdowns:
                history.delete(stored, user=user, reason=reason)
        for (dimension, part_key), amount in item.breakdowns.items():
            part = parts.get((dimension, part_key)) or ProgressBreakdown(
                value=row, dimension=dimension, key=part_key
            )
            if part.pk is None or part.amount != amount:
                part.amount = amount
                history.save(part, user=user, reason=reason)


def save_report(
    *,
    user: User,
    report: ProgressReport,
    narrative: str,
    values: Sequence[ValueInput],
    version: str | None = None,
) -> ProgressReport:
    """The partner's values and narrative, saved on a draft or returned report.

    `version`: the report's version the form was loaded from (accounts.concurrency); if
    someone saved since, nothing is saved and the `Conflict` carries what they changed.
    """
    with transaction.atomic():
        report = locked(report)
        check_may_report(user=user, commitment=report.commitment)
        check_editable(report=report)
        recording.check_version(
            report, version, {"narrative": narrative}, _value_changes(report, values)
        )
        # A draft keeps whatever was typed that can be stored: the rest waits for submission.
        check_values(commitment=report.commitment, values=values, complete=False)
        reason = _("report edited by %(user)s") % {"user": user.get_username()}
        with history.change(reason=reason):
            report.narrative = narrative.strip()
            history.save(report, user=user, reason=reason)
            _write_values(report, values, user, reason)
            recording.log(Action.REPORT_SAVED, user, report.commitment, report=report)
    return report


def _value_changes(
    report: ProgressReport, values: Sequence[ValueInput]
) -> list[tuple[str, str, str]]:
    stored = {v.metric: v for v in stored_values(report)}
    yours = {v.metric: v for v in values}
    names = dict(Metric.objects.values_list("code", "name_en"))
    rows = []
    for code in sorted(set(stored) | set(yours)):
        theirs = stored.get(code)
        mine = yours.get(code)
        if (theirs.value if theirs else None) != (mine.value if mine else None) or (
            dict(theirs.breakdowns) if theirs else {}
        ) != (dict(mine.breakdowns) if mine else {}):
            rows.append(
                (
                    names.get(code, code),
                    str(theirs.value) if theirs else "—",
                    str(mine.value) if mine else "—",
                )
            )
    return rows


def submit_report(
    *, user: User, report: ProgressReport, through: Through = Through.WEB
) -> ProgressReport:
    """Hand the report to the secretariat: at least one value, lower values confirmed."""
    with transaction.atomic():
        report = locked(report)
        check_may_report(user=user, commitment=report.commitment)
        if report.status not in EDITABLE:
            raise Conflict(_("This report has already been submitted."))
        values = stored_values(report)
        if not values:
            raise Invalid(
                field_errors={"__all__": [_("Give at least one value before submitting.")]}
            )
        check_values(commitment=report.commitment, values=values)
        missing = unconfirmed(report, values)
        if missing:
            raise needs_confirmation(missing)
        texts = {
            Through.WEB: _("submitted by %(user)s"),
            Through.API: _("submitted through the API by %(user)s"),
        }
        reason = texts[through] % {"user": user.get_username()}
        report.status = ReportStatus.SUBMITTED
        report.verification_level = VerificationLevel.SELF_REPORTED
        history.save(report, user=user, reason=reason)
        for decrease in decreases(report, values):
            why = next(v.decrease_reason for v in values if v.metric == decrease.metric)
            recording.log(
                Action.DECREASE_CONFIRMED,
                user,
                report.commitment,
                report=report,
                reason=why,
                metric=decrease.metric,
                last_verified=decrease.last_verified,
                new=decrease.new,
            )
        recording.log(Action.REPORT_SUBMITTED, user, report.commitment, report=report)
    return report


def submit_new(
    *,
    user: User,
    commitment: Commitment,
    period_start: datetime.date,
    period_end: datetime.date,
    narrative: str,
    values: Sequence[ValueInput],
    through: Through,
    today: datetime.date | None = None,
) -> ProgressReport:
    """Start, fill and submit a report in one step, all or nothing (what an API client does):
    the same three steps, checks and review events as the web form's."""
    with transaction.atomic():
        report = start_report(
            user=user,
            commitment=commitment,
            period_start=period_start,
            period_end=period_end,
            today=today,
        )
        save_report(user=user, report=report, narrative=narrative, values=values)
        return submit_report(user=user, report=report, through=through)


# -- The secretariat's review ------------------------------------------------------------------


def return_report(*, reviewer: User, report: ProgressReport, reason: str) -> ProgressReport:
    """Back to the partner with the reason: editable again."""
    check_may_review(user=reviewer)
    reason = reasons.for_partner(reason)
    with transaction.atomic():
        report = locked(report)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict(_("Only a submitted report can be returned."))
        report.status = ReportStatus.RETURNED
        report.return_reason = reason
        history.save(report, user=reviewer, reason=reason)
        recording.log(
            Action.REPORT_RETURNED, reviewer, report.commitment, report=report, reason=reason
        )
        _tell_partner(report)
    return report


def _tell_partner(report: ProgressReport) -> None:
    """E-mail the partner's people the outcome once it is committed (workflow.notices)."""
    decided = report
    transaction.on_commit(lambda: notices.report_decided(decided))


VERIFIED_LEVELS = (
    VerificationLevel.SECRETARIAT_REVIEWED,
    VerificationLevel.INDEPENDENTLY_VERIFIED,
)


def verify_report(
    *,
    reviewer: User,
    report: ProgressReport,
    level: str = VerificationLevel.SECRETARIAT_REVIEWED,
    note: str = "",
) -> ProgressReport:
    """Verified values count in the figures (invested, reached) from now on; the first
    verified report moves an announced commitment to *in progress*."""
    check_may_review(user=reviewer)
    if level not in VERIFIED_LEVELS:
        raise Invalid(field_errors={"level": [_("Choose how the report was verified.")]})
    with transaction.atomic():
        report = locked(report)
        if report.status != ReportStatus.SUBMITTED:
            raise Conflict(_("Only a submitted report can be verified."))
        reason = note.strip() or _("verified by %(user)s") % {"user": reviewer.get_username()}
        report.status = ReportStatus.VERIFIED
        report.verification_level = level
        # The grade of evidence of the figures: evidence is fixed from here on.
        report.evidence_attached = report.evidence.exists()
        history.save(report, user=reviewer, reason=reason)
        commitment = report.commitment
        if commitment.status == Status.ANNOUNCED:
            commitment.status = Status.IN_PROGRESS
            history.save(commitment, user=reviewer, reason=reason, update_fields=["status"])
        recording.log(
            Action.REPORT_VERIFIED, reviewer, commitment, report=report, reason=note, level=level
        )
        _tell_partner(report)
    return report


def correct_value(
    *,
    reviewer: User,
    report: ProgressReport,
    metric: str,
    value: Decimal,
    reason: str,
) -> ProgressValue:
    """Correct a verified value: a reason is required; the old value stays in the history."""
    check_may_review(user=reviewer)
    reason = reason.strip()
    if not reason:
        raise Invalid(field_errors={"reason": [_("Say why the verified value is corrected.")]})
    with transaction.atomic():
        report = locked(report)
        if report.status != ReportStatus.VERIFIED:
            raise Conflict(_("Only a verified value is corrected; edit the report instead."))
        row = (
            ProgressValue.objects.select_for_update()
            .select_related("metric")
            .filter(report=report, metric__code=metric)
            .first()
        )
        if row is None:
            raise Invalid(field_errors={"metric": [_("The report has no value for this metric.")]})
        breakdowns = {(b.dimension, b.key): b.amount for b in row.breakdowns.all()}
        errors = value_problems(report.commitment, [ValueInput(metric, value, breakdowns)])
        if errors:
            raise Invalid(field_errors={"value": [m for msgs in errors.values() for m in msgs]})
        old = row.value
        if old == value:
            raise Invalid(field_errors={"value": [_("The value is unchanged.")]})
        row.value = value
        history.save(row, user=reviewer, reason=reason)
        recording.log(
            Action.VALUE_CORRECTED,
            reviewer,
            report.commitment,
            report=report,
            reason=reason,
            metric=metric,
            old=old,
            new=value,
        )
    return row


# -- Evidence ----------------------------------------------------------------------------------


def add_evidence(
    *,
    user: User,
    report: ProgressReport,
    upload: UploadedFile[bytes],
    description: str = "",
) -> Evidence:
    """Check the file by its content and store it (Django's storage API)."""
    check_may_report(user=user, commitment=report.commitment)
    checked = files.check(upload)
    with transaction.atomic():
        report = locked(report)
        if report.status not in EDITABLE:
            raise Conflict(_("Evidence is added while the report is with the partner."))
        evidence = Evidence(
            report=report,
            original_name=checked.original_name,
            kind=checked.kind.code,
            size=checked.size,
            uploaded_by=user,
            description=description.strip()[:300],
        )
        evidence.file.save(
            checked.storage_name(f"evidence/{report.pk}"), checked.upload, save=False
        )
        evidence.save()
        recording.log(
            Action.EVIDENCE_UPLOADED,
            user,
            report.commitment,
            report=report,
            file=checked.original_name,
            type=checked.kind.code,
            size=checked.size,
        )
    return evidence


def remove_evidence(*, user: User, evidence: Evidence) -> None:
    with transaction.atomic():
        report = locked(evidence.report)
        check_may_report(user=user, commitment=report.commitment)
        if report.status not in EDITABLE:
            raise Conflict(_("Evidence is removed while the report is with the partner."))
        name = evidence.file.name or ""
        recording.log(
            Action.EVIDENCE_REMOVED,
            user,
            report.commitment,
            report=report,
            file=evidence.original_name,
        )
        evidence.delete()
        if name:
            transaction.on_commit(lambda: evidence.file.storage.delete(name))

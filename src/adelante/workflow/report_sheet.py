"""A spreadsheet of progress values, for partners with many commitments (docs/workflow.md).

One row per value: the commitment's reference, the end of the period, the metric, the part of a
breakdown (empty for the total; a country or sex, by code or name) and the value, written as
people write numbers (`money.reading`); an optional reason for a value lower than the last
verified one. The rows go through the same service as the web form and the API
(`reporting.start_report`, `save_report`, `submit_report`): the same rules, the same refusals,
the same review events. The whole sheet is taken, or none of it.
"""

from __future__ import annotations

import datetime
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from adelante.commitments.models import Commitment
from adelante.errors import Invalid, ServiceError
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.reading import Unreadable, read_number
from adelante.partners.models import Partner
from adelante.progress.models import BreakdownDimension, ProgressReport, Sex
from adelante.workflow import files, queues, reporting, schedule

COLUMNS = ("commitment", "period_end", "metric", "part", "value", "decrease_reason")
#: At most this many rows: a sheet is a partner's reporting, not a data dump.
MAX_ROWS = 5000


@dataclass(frozen=True)
class SheetRow:
    line: int
    commitment: str
    period_end: datetime.date
    metric: str
    #: (dimension, key) of a breakdown's part; None for the total.
    part: tuple[str, str] | None
    value: Decimal
    decrease_reason: str = ""


def _parts() -> dict[str, tuple[str, str]]:
    """What a "part" cell may say, folded: codes and names in English and Spanish."""
    found: dict[str, tuple[str, str]] = {}
    # Every initiative's countries: which of them a commitment takes is checked per line.
    with scope.within(scope.ACROSS):
        countries = initiative_countries()
    for language in ("en", "es"):
        with translation.override(language):
            for code in countries:
                found[code.casefold()] = found[country_name(code, language).casefold()] = (
                    BreakdownDimension.COUNTRY,
                    code,
                )
            for code, name in Sex.choices:
                found[code.casefold()] = found[str(name).casefold()] = (
                    BreakdownDimension.SEX,
                    code,
                )
    return found


def _text(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


def _value(cell: Any) -> Decimal:
    if isinstance(cell, bool):
        raise Unreadable(_("“%(text)s” is not a number.") % {"text": cell})
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, float):
        # A spreadsheet's number cell: its shortest decimal spelling, never float arithmetic.
        return Decimal(repr(cell))
    found = read_number(_text(cell))
    if found is None:
        raise Unreadable(_("empty; a number is required"))
    return found.value


def _date(cell: Any) -> datetime.date:
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    try:
        return datetime.date.fromisoformat(_text(cell))
    except ValueError:
        raise Unreadable(
            _("“%(value)s” is not a date (use YYYY-MM-DD)") % {"value": _text(cell)}
        ) from None


def read_rows(table: Iterable[Sequence[Any]]) -> list[SheetRow]:
    """The sheet's rows (the first is the header, with `COLUMNS`); `Invalid` naming every
    line in error."""
    lines = iter(table)
    header = [_text(c).casefold() for c in next(lines, ())]
    missing = [c for c in COLUMNS[:5] if c not in header]
    if missing:
        raise Invalid(
            field_errors={
                "file": [
                    _("The first row must name the columns: %(columns)s.")
                    % {"columns": ", ".join(COLUMNS)}
                ]
            }
        )
    where = {name: header.index(name) for name in COLUMNS if name in header}
    parts = _parts()
    rows: list[SheetRow] = []
    problems: list[str] = []
    for number, cells in enumerate(lines, start=2):
        cell = {name: (cells[i] if i < len(cells) else None) for name, i in where.items()}
        if all(_text(v) == "" for v in cell.values()):
            continue
        if len(rows) >= MAX_ROWS:
            problems.append(_("More than %(n)d rows: send several sheets.") % {"n": MAX_ROWS})
            break
        try:
            part_text = _text(cell["part"]).casefold()
            if part_text and part_text not in parts:
                raise Unreadable(
                    _("“%(part)s” is not a country or sex.") % {"part": _text(cell["part"])}
                )
            rows.append(
                SheetRow(
                    line=number,
                    commitment=_text(cell["commitment"]),
                    period_end=_date(cell["period_end"]),
                    metric=_text(cell["metric"]),
                    part=parts[part_text] if part_text else None,
                    value=_value(cell["value"]),
                    decrease_reason=_text(cell.get("decrease_reason")),
                )
            )
        except Unreadable as error:
            problems.append(_("Row %(n)d: %(problem)s") % {"n": number, "problem": error.message})
    if problems:
        raise Invalid(field_errors={"file": problems})
    return rows


def read_file(upload: UploadedFile[bytes]) -> list[SheetRow]:
    """The rows of an uploaded XLSX file (checked by its content, as any upload)."""
    checked = files.check(upload)
    if checked.kind != files.XLSX:
        raise Invalid(field_errors={"file": [_("Send an Excel workbook (.xlsx).")]})
    from openpyxl import load_workbook  # only needed here

    upload.seek(0)
    try:
        book = load_workbook(io.BytesIO(upload.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a damaged workbook
        raise Invalid(field_errors={"file": [_("The workbook cannot be read.")]}) from None
    try:
        return read_rows(book.worksheets[0].iter_rows(values_only=True))
    finally:
        book.close()


def values_of(rows: Sequence[SheetRow]) -> list[reporting.ValueInput]:
    """One report's rows as the form's values: a total per metric, with its parts."""
    totals: dict[str, Decimal] = {}
    parts: dict[str, dict[tuple[str, str], Decimal]] = {}
    reasons: dict[str, str] = {}
    for row in rows:
        if row.part is None:
            totals[row.metric] = row.value
        else:
            parts.setdefault(row.metric, {})[row.part] = row.value
        if row.decrease_reason:
            reasons[row.metric] = row.decrease_reason
    missing = sorted(set(parts) - set(totals))
    if missing:
        raise Invalid(
            field_errors={
                f"value:{code}": [_("Give the total as well as its parts.")] for code in missing
            }
        )
    return [
        reporting.ValueInput(code, total, parts.get(code, {}), reasons.get(code, ""))
        for code, total in totals.items()
    ]


def apply(
    *,
    user: User,
    partner: Partner,
    rows: Sequence[SheetRow],
    submit: bool,
    today: datetime.date,
) -> list[ProgressReport]:
    """Save the sheet's values on each commitment's report for the period (started if need
    be) and, with `submit`, hand them to the secretariat; all of it or, on any refusal,
    nothing (`Invalid` naming the commitment, period and reason of every refusal)."""
    groups: dict[tuple[str, datetime.date], list[SheetRow]] = {}
    for row in rows:
        groups.setdefault((row.commitment, row.period_end), []).append(row)
    if not groups:
        raise Invalid(field_errors={"file": [_("The sheet has no values.")]})
    problems: list[str] = []
    done: list[ProgressReport] = []
    with transaction.atomic():
        for (reference, end), group in groups.items():
            where = _("%(commitment)s, period ending %(date)s") % {
                "commitment": reference,
                "date": end.isoformat(),
            }
            try:
                with transaction.atomic():
                    done.append(_one(user, partner, reference, end, group, submit, today))
            except ServiceError as error:
                problems.extend(f"{where}: {m}" for m in error.messages())
        if problems:
            # Nothing is kept: the partner corrects the sheet and sends it again.
            transaction.set_rollback(True)
    if problems:
        raise Invalid(field_errors={"file": problems})
    return done


def _one(
    user: User,
    partner: Partner,
    reference: str,
    end: datetime.date,
    rows: Sequence[SheetRow],
    submit: bool,
    today: datetime.date,
) -> ProgressReport:
    commitment = Commitment.objects.filter(reference=reference).select_related("partner").first()
    if commitment is None:
        raise Invalid(field_errors={"file": [_("No commitment has this reference.")]})
    reporting.check_may_report(user=user, commitment=commitment)
    if commitment.partner_id != partner.pk:
        raise Invalid(field_errors={"file": [_("This commitment is another organisation's.")]})
    values = values_of(rows)
    report = ProgressReport.objects.filter(commitment=commitment, period_end=end).first()
    if report is None:
        period = schedule.period_ending(commitment, end)
        if period is None:
            raise Invalid(
                field_errors={"period": [_("No reporting period of this commitment ends then.")]}
            )
        report = reporting.start_report(
            user=user,
            commitment=commitment,
            period_start=period.start,
            period_end=period.end,
            today=today,
        )
    reporting.save_report(user=user, report=report, narrative=report.narrative, values=values)
    if submit:
        reporting.submit_report(user=user, report=report)
    return report


def template(partner: Partner, today: datetime.date) -> bytes:
    """A workbook to fill: a row per due period and target metric of the partner's
    commitments (the totals; parts are rows of their own)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "values"
    sheet.append(list(COLUMNS))
    found = queues.workspace(partner, today)
    for commitment, period in found.due:
        for metric in reporting.totals_to_report(commitment):
            sheet.append([commitment.reference, period.period.end, metric.code, "", None, ""])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

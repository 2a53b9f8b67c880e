"""`adelante figures`: the headline figures and a breakdown, as the figures module gives them."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.figures.audience import Audience
from adelante.figures.committed import DIMENSIONS, committed, committed_by
from adelante.figures.display import (
    BreakdownInDisplayCurrency,
    InDisplayCurrency,
    breakdown_in_display_currency,
    committed_in_display_currency,
    invested_in_display_currency,
)
from adelante.figures.labels import (
    confidential_note,
    display_currency_text,
    ladder_step_label,
    row_labels,
)
from adelante.figures.ladder import ladder
from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_date_options,
    add_initiative_option,
    render_table,
)
from adelante.figures.reached import invested
from adelante.figures.results import Breakdown, Committed, Reached
from adelante.initiatives import scope
from adelante.money.formatting import format_number, format_usd, with_qualifier

#: The committed and invested totals in the initiative's currency for display, and the rate
#: they were read at.
DISPLAY_FIELDS = (
    "display_currency",
    "committed_in_display_currency",
    "invested_in_display_currency",
    "display_rate",
    "display_rate_on",
    "display_rate_source",
)


class Command(InitiativeCommand):
    help = _("Print the committed and invested figures as of a date, optionally broken down.")

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_options(parser)
        add_initiative_option(parser)
        parser.add_argument("--by", choices=DIMENSIONS, help=_("Break the committed figure down."))
        parser.add_argument(
            "--show-confidential",
            action="store_true",
            help=_(
                "Staff only: include confidential amounts in the totals (cells that would "
                "reveal fewer than three partners' confidential amounts are suppressed)."
            ),
        )
        parser.add_argument(
            "--ladder",
            action="store_true",
            help=_(
                "Also print the delivery ladder: each step's commitments, committed and "
                "invested, the silent commitments and the reporting rate (public figures)."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        recorded_on: datetime.date | None = options["recorded_on"]
        if options["ladder"] and options["by"] and options["format"] == "csv":
            raise CommandError(
                _("In CSV, choose either --by or --ladder: each is a table of its own.")
            )
        audience = (
            Audience.CONFIDENTIAL_ALLOWED if options["show_confidential"] else Audience.PUBLIC
        )
        total = committed(as_of, recorded_on=recorded_on, audience=audience)
        money_in = invested(as_of, recorded_on=recorded_on)
        converted, invested_converted = self._in_display_currency(total, money_in)
        data: dict[str, Any] = {
            "as_of": as_of.isoformat(),
            "recorded_on": recorded_on.isoformat() if recorded_on else None,
            "committed_usd": str(total.amount_usd),
            "committed_qualifier": str(total.qualifier),
            "commitments": total.commitments,
            "commitments_with_amount": total.commitments_with_amount,
            "commitments_without_amount": total.commitments_without_amount,
            "commitments_confidential": total.commitments_confidential,
            "confidential_included": audience.includes_confidential,
            "restatements": total.restatements,
            "partners": total.partners,
            "invested_usd": str(money_in.value),
            **self._display_fields(converted, invested_converted),
        }
        if options["by"]:
            breakdown = committed_by(
                options["by"],
                as_of,
                recorded_on=recorded_on,
                audience=audience,
            )
            labels = row_labels(breakdown)
            rows_converted = self._breakdown_in_display_currency(breakdown)
            data["by"] = options["by"]
            data["overlapping"] = breakdown.overlapping
            data["rows"] = [
                {
                    "key": row.key,
                    "label": labels[row.key],
                    "committed_usd": None if row.amount_usd is None else str(row.amount_usd),
                    "qualifier": str(row.qualifier),
                    "commitments": row.commitments,
                    "confidential": row.confidential,
                    "suppressed": row.suppressed,
                    **self._row_display_fields(rows_converted, row.key),
                }
                for row in breakdown.rows
            ]
        if options["ladder"]:
            data["ladder"] = self._ladder(as_of, recorded_on)
        self.stdout.write(self._render(data, options["format"], converted, invested_converted))

    @staticmethod
    def _in_display_currency(
        total: Committed, money_in: Reached
    ) -> tuple[InDisplayCurrency | None, InDisplayCurrency | None]:
        """The committed and invested totals in the initiative's currency for display, as the
        portal and the API show them (`figures.display`): None for US$, without a rate by the
        date, across initiatives; the committed total also when it has confidential amounts
        in it (only public totals are converted; invested always is public)."""
        initiative = scope.resolve()
        if initiative is None:
            return None, None
        return (
            committed_in_display_currency(total, initiative.pk),
            invested_in_display_currency(money_in, initiative.pk),
        )

    @staticmethod
    def _breakdown_in_display_currency(breakdown: Breakdown) -> BreakdownInDisplayCurrency | None:
        """The breakdown's rows in the initiative's currency (None as for the totals, and for
        a breakdown with confidential amounts)."""
        initiative = scope.resolve()
        return (
            None if initiative is None else breakdown_in_display_currency(breakdown, initiative.pk)
        )

    @staticmethod
    def _display_fields(
        converted: InDisplayCurrency | None, invested_converted: InDisplayCurrency | None
    ) -> dict[str, Any]:
        """Flat fields, so that the CSV row has them too. Both totals are read at one rate
        (same initiative, as-of date and day recorded); committed has none when it includes
        confidential amounts."""
        either = converted or invested_converted
        if either is None:
            return dict.fromkeys(DISPLAY_FIELDS)
        values = (
            either.currency,
            None if converted is None else str(converted.amount),
            None if invested_converted is None else str(invested_converted.amount),
            str(either.rate.units_per_usd),
            either.rate.on.isoformat(),
            either.rate.source,
        )
        return dict(zip(DISPLAY_FIELDS, values, strict=True))

    @staticmethod
    def _row_display_fields(
        converted: BreakdownInDisplayCurrency | None, key: str
    ) -> dict[str, str | None]:
        """A row's amount in the initiative's currency (the rate is the totals' one, said in
        the flat fields and beside the totals); the code on every row, for the CSV."""
        if converted is None:
            return {"display_currency": None, "committed_in_display_currency": None}
        amount = converted.rows[key]
        return {
            "display_currency": converted.currency,
            "committed_in_display_currency": None if amount is None else str(amount),
        }

    @staticmethod
    def _ladder(as_of: datetime.date, recorded_on: datetime.date | None) -> dict[str, Any]:
        """The delivery ladder of the whole record (public: no confidential amount in it)."""
        found = ladder(as_of, recorded_on=recorded_on)
        rate = found.reporting_rate
        return {
            "steps": [
                {
                    "step": s.step,
                    "label": ladder_step_label(s.step),
                    "commitments": s.commitments,
                    "committed_usd": str(s.committed_usd),
                    "invested_usd": str(s.invested_usd),
                }
                for s in found.steps
            ],
            "silent": found.silent,
            "silent_usd": str(found.silent_usd),
            "with_obligation": found.with_obligation,
            "confidential": found.confidential,
            "reporting_rate": {
                "due": rate.due,
                "reported": rate.reported,
                "rate": None if rate.rate is None else str(rate.rate),
            },
        }

    @staticmethod
    def _ladder_lines(found: dict[str, Any]) -> list[str]:
        table = [
            [
                step["label"],
                str(step["commitments"]),
                format_usd(Decimal(step["committed_usd"])),
                format_usd(Decimal(step["invested_usd"])),
            ]
            for step in found["steps"]
        ]
        header = [_("Step"), _("Commitments"), _("Committed"), _("Invested (verified)")]
        lines = ["", _("From announcement to delivery"), render_table(header, table)]
        if not found["with_obligation"]:
            lines.append(
                _(
                    "None of these commitments reports through the platform (no reporting "
                    "schedule was set), so none is counted late or silent."
                )
            )
            return lines
        lines.append(
            ngettext(
                "Of the committed money, %(amount)s is silent: %(n)s commitment with no report "
                "for the set time after one was due (still counted as committed).",
                "Of the committed money, %(amount)s is silent: %(n)s commitments with no "
                "report for the set time after one was due (still counted as committed).",
                found["silent"],
            )
            % {"amount": format_usd(Decimal(found["silent_usd"])), "n": found["silent"]}
        )
        rate = found["reporting_rate"]
        if rate["rate"] is None:
            lines.append(_("Reporting rate: no commitment was due a report in the last 12 months."))
        else:
            lines.append(
                _(
                    "Reporting rate: %(rate)s%% (%(reported)s of the %(due)s commitments due a "
                    "report in the last 12 months reported)."
                )
                % rate
            )
        return lines

    @staticmethod
    def _confidential_line(data: dict[str, Any]) -> list[str]:
        n = data["commitments_confidential"]
        if not n:
            return []
        if data["confidential_included"]:
            return [_("Including %(n)d commitments with a confidential amount") % {"n": n}]
        return [confidential_note(n)]

    def _render(
        self,
        data: dict[str, Any],
        fmt: str,
        converted: InDisplayCurrency | None = None,
        invested_converted: InDisplayCurrency | None = None,
    ) -> str:
        if fmt == "json":
            return json.dumps(data, indent=2, ensure_ascii=False)
        rows = data.get("rows")
        if fmt == "csv":
            out = io.StringIO()
            if "ladder" in data:
                rows = data["ladder"]["steps"]
            if rows:
                writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
                writer.writeheader()
                writer.writerows(rows)
            else:
                writer = csv.DictWriter(out, fieldnames=list(data), lineterminator="\n")
                writer.writeheader()
                writer.writerow(data)
            return out.getvalue().rstrip("\n")
        committed_text = with_qualifier(
            format_usd(Decimal(data["committed_usd"])), data["committed_qualifier"]
        )
        lines = [
            _("As of %(date)s") % {"date": data["as_of"]}
            + (
                " " + _("(as recorded on %(date)s)") % {"date": data["recorded_on"]}
                if data["recorded_on"]
                else ""
            ),
            _("Committed: %(amount)s") % {"amount": committed_text},
            *(
                [display_currency_text(converted, data["committed_qualifier"])]
                if converted is not None
                else []
            ),
            _(
                "Commitments: %(n)d (%(with)d with an amount, %(without)d without, "
                "%(re)d restatements)"
            )
            % {
                "n": data["commitments"],
                "with": data["commitments_with_amount"],
                "without": data["commitments_without_amount"],
                "re": data["restatements"],
            },
            *self._confidential_line(data),
            _("Partners: %(n)d") % {"n": data["partners"]},
            _("Invested (verified): %(amount)s")
            % {"amount": format_usd(Decimal(data["invested_usd"]))},
            *([display_currency_text(invested_converted)] if invested_converted else []),
        ]
        if rows:
            table = [
                [
                    row["label"],
                    _("suppressed")
                    if row["suppressed"]
                    else with_qualifier(
                        format_usd(Decimal(row["committed_usd"])), row["qualifier"]
                    ),
                    str(row["commitments"]),
                ]
                for row in rows
            ]
            header = [_("Row"), _("Committed"), _("Commitments")]
            currency = rows[0]["display_currency"]
            if currency:
                # The rows in the initiative's currency, at the rate said beside the totals.
                header.append(f"≈ {currency}")
                for line, row in zip(table, rows, strict=True):
                    amount = row["committed_in_display_currency"]
                    line.append(
                        ""
                        if amount is None
                        else with_qualifier(format_number(Decimal(amount)), row["qualifier"])
                    )
            lines += ["", render_table(header, table)]
            if data["overlapping"]:
                lines.append(_("Focus areas overlap: rows are not added up."))
        if "ladder" in data:
            lines += self._ladder_lines(data["ladder"])
        return "\n".join(lines)

"""`adelante figures`: the headline figures and a breakdown, as the figures module gives them."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.figures.audience import Audience
from adelante.figures.committed import DIMENSIONS, committed, committed_by
from adelante.figures.labels import confidential_note, row_labels
from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_date_options,
    add_initiative_option,
    render_table,
)
from adelante.figures.reached import invested
from adelante.money.formatting import format_usd, with_qualifier


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

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        recorded_on: datetime.date | None = options["recorded_on"]
        audience = (
            Audience.CONFIDENTIAL_ALLOWED if options["show_confidential"] else Audience.PUBLIC
        )
        total = committed(as_of, recorded_on=recorded_on, audience=audience)
        money_in = invested(as_of, recorded_on=recorded_on)
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
        }
        if options["by"]:
            breakdown = committed_by(
                options["by"],
                as_of,
                recorded_on=recorded_on,
                audience=audience,
            )
            labels = row_labels(breakdown)
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
                }
                for row in breakdown.rows
            ]
        self.stdout.write(self._render(data, options["format"]))

    @staticmethod
    def _confidential_line(data: dict[str, Any]) -> list[str]:
        n = data["commitments_confidential"]
        if not n:
            return []
        if data["confidential_included"]:
            return [_("Including %(n)d commitments with a confidential amount") % {"n": n}]
        return [confidential_note(n)]

    def _render(self, data: dict[str, Any], fmt: str) -> str:
        if fmt == "json":
            return json.dumps(data, indent=2, ensure_ascii=False)
        rows = data.get("rows")
        if fmt == "csv":
            out = io.StringIO()
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
            lines += ["", render_table([_("Row"), _("Committed"), _("Commitments")], table)]
            if data["overlapping"]:
                lines.append(_("Focus areas overlap: rows are not added up."))
        return "\n".join(lines)

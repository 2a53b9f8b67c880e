"""`adelante reconcile`: each official statement beside the record's figure and the gap."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.figures.management.commands._options import add_date_options, render_table
from adelante.figures.reconcile import reconcile
from adelante.money.formatting import format_number


class Command(BaseCommand):
    help = _(
        "Print every official statement made by a date beside the figure the record backs "
        "for the statement's date, and the gap (the part not itemised)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_options(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        as_of: datetime.date = options["as_of"] or timezone.localdate()
        rows = [
            {
                "stated_on": r.stated_on.isoformat(),
                "metric": r.metric,
                "stated_value": str(r.stated_value.normalize()),
                "stated_qualifier": r.stated_qualifier,
                "unit": r.unit,
                "figure": r.figure,
                "computed_value": None if r.computed_value is None else str(r.computed_value),
                "computed_qualifier": None
                if r.computed_qualifier is None
                else str(r.computed_qualifier),
                "gap": None if r.gap is None else str(r.gap),
                "source_url": r.source_url,
            }
            for r in reconcile(as_of, recorded_on=options["recorded_on"])
        ]
        fmt = options["format"]
        if fmt == "json":
            payload = {
                "as_of": as_of.isoformat(),
                "recorded_on": options["recorded_on"].isoformat()
                if options["recorded_on"]
                else None,
                "statements": rows,
            }
            self.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False))
        elif fmt == "csv":
            out = io.StringIO()
            fields = list(rows[0]) if rows else ["stated_on", "metric", "stated_value"]
            writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
            self.stdout.write(out.getvalue().rstrip("\n"))
        else:
            self.stdout.write(self._table(rows))

    def _table(self, rows: list[dict[str, Any]]) -> str:
        def number(text: str | None) -> str:
            return "—" if text is None else format_number(Decimal(text))

        header = [_("Date"), _("Statement"), _("Stated"), _("Record"), _("Not itemised")]
        body = [
            [
                r["stated_on"],
                r["metric"],
                f"{_qualifier_word(r['stated_qualifier'])}{number(r['stated_value'])}",
                _qualifier_word(r["computed_qualifier"] or "exact") + number(r["computed_value"]),
                number(r["gap"]),
            ]
            for r in rows
        ]
        note = _("— : the record cannot compute this statement.")
        return render_table(header, body) + "\n" + note


def _qualifier_word(qualifier: str) -> str:
    words = {"at_least": _("more than") + " ", "about": _("about") + " ", "up_to": _("up to") + " "}
    return words.get(qualifier, "")

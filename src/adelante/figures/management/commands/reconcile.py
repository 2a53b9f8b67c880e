"""`adelante reconcile`: each official statement beside the record's figure and its verdict."""

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

from adelante.figures.labels import verdict_label
from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_date_options,
    add_initiative_option,
    render_table,
)
from adelante.figures.reconcile import reconcile
from adelante.figures.results import Reconciliation
from adelante.money.formatting import format_number


class Command(InitiativeCommand):
    help = _(
        "Print every official statement made by a date beside the figure the record backs "
        "for the statement's date, and the verdict (consistent, record short by N, record above "
        "by N, or not computable)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_date_options(parser)
        add_initiative_option(parser)

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
                "verdict": str(r.judgement.verdict),
                "verdict_by": None if r.judgement.by is None else str(r.judgement.by),
                "verdict_text": _verdict_text(r),
                "date_precision": r.date_precision,
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

        header = [_("Date"), _("Statement"), _("Stated"), _("Record"), _("Verdict")]
        body = [
            [
                _loose(r["stated_on"], r["date_precision"]),
                r["metric"],
                f"{_qualifier_word(r['stated_qualifier'])}{number(r['stated_value'])}",
                _qualifier_word(r["computed_qualifier"] or "exact") + number(r["computed_value"]),
                r["verdict_text"],
            ]
            for r in rows
        ]
        note = _("— : the record cannot compute this statement.")
        return render_table(header, body) + "\n" + note


def _loose(day: str, precision: str) -> str:
    """The date as precisely as the source gave it: 2024, 2024-03 or 2024-03-31."""
    return {"year": day[:4], "month": day[:7]}.get(precision, day)


def _verdict_text(r: Reconciliation) -> str:
    judgement = r.judgement
    amount = "" if judgement.by is None else format_number(judgement.by.normalize())
    return verdict_label(judgement, r.stated_qualifier, amount)


def _qualifier_word(qualifier: str) -> str:
    words = {"at_least": _("more than") + " ", "about": _("about") + " ", "up_to": _("up to") + " "}
    return words.get(qualifier, "")

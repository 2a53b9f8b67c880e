"""Options shared by the figure commands: dates and output formats."""

from __future__ import annotations

import argparse
import datetime

from django.utils.translation import gettext as _

FORMATS = ("table", "csv", "json")


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(
            _("“%(text)s” is not a date; write it as YYYY-MM-DD.") % {"text": text}
        ) from exc


def add_date_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--as-of", type=iso_date, default=None, help=_("Figures as of this date (default: today).")
    )
    parser.add_argument(
        "--recorded-on",
        type=iso_date,
        default=None,
        help=_("Compute from the record as it stood at the end of this day."),
    )
    parser.add_argument("--format", choices=FORMATS, default="table", help=_("Output format."))


def render_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)

"""Options shared by the commands: dates, output formats and the initiative."""

from __future__ import annotations

import argparse
import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from adelante.initiatives import scope
from adelante.initiatives.named import UnknownInitiative, named

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


#: Exit status for an unknown initiative: a usage error, as argparse's.
USAGE_ERROR = 2


def add_initiative_option(parser: argparse.ArgumentParser) -> None:
    """`--initiative SLUG`: the initiative the command is about (default: the primary one)."""
    parser.add_argument(
        "--initiative",
        metavar="SLUG",
        default=None,
        help=_("The initiative (its slug); default: the installation's primary initiative."),
    )


class InitiativeCommand(BaseCommand):
    """A command that runs inside the scope of the initiative `--initiative` names (every figure,
    listing and file it makes is that initiative's); an unknown slug is one line and exit 2, and
    so is a database without a primary initiative when none is named. What it reads about
    initiatives is read once (`scope.remembering`: an import asks for the countries per row)."""

    def execute(self, *args: Any, **options: Any) -> Any:
        with scope.remembering():
            try:
                initiative = named(options.get("initiative"))
            except UnknownInitiative as unknown:
                raise CommandError(unknown.message, returncode=USAGE_ERROR) from None
            except scope.NoPrimaryInitiative as none:
                raise CommandError(none.message) from None
            with scope.within(initiative):
                return super().execute(*args, **options)


def render_table(header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return "\n".join(lines)

"""`adelante import commitments|statements|rates FILE [--dry-run]` (docs/import.md),
`adelante import record [--dry-run]` (the real record shipped with the package), and
`adelante import iati FILE... [--dry-run]` (docs/iati.md), and
`adelante import sanctions FILE... --list NAME --format sdn|names` (docs/workflow.md)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop, ngettext

from adelante.exchange.commitments_import import import_commitments
from adelante.exchange.loading import ReadOptions
from adelante.exchange.problems import ImportRejected
from adelante.exchange.rates_import import import_rates
from adelante.exchange.real_record import FILES as RECORD_FILES
from adelante.exchange.results import ImportResult, Outcome
from adelante.exchange.statements_import import import_statements
from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_initiative_option,
)
from adelante.iati.cli import add_import_parser as add_iati_import_parser
from adelante.iati.cli import run_import as run_iati_import
from adelante.uploads.busy import ImportBusy, busy_message, is_busy
from adelante.workflow.cli import add_import_parser as add_sanctions_import_parser
from adelante.workflow.cli import run_import as run_sanctions_import

Importer = Callable[..., ImportResult]

IMPORTERS: dict[str, tuple[Importer, Any]] = {
    "commitments": (
        import_commitments,
        gettext_lazy("Commitments: one row per commitment announced in a round."),
    ),
    "statements": (
        import_statements,
        gettext_lazy("Official statements: headline figures as officials published them."),
    ),
    "rates": (
        import_rates,
        gettext_lazy("Exchange rates: units of a currency per US dollar on a date."),
    ),
}


def _plain(text: str) -> str:
    return text


RECORD_HELP = gettext_lazy(
    "The real public record shipped with Adelante: its commitments and official statements "
    "through February 2023, each with its source. Importing it again changes nothing."
)

HELP = gettext_noop(
    "Import commitments, official statements or exchange rates from a CSV or XLSX file. "
    "All or nothing: if any row has a problem, nothing is written and every problem "
    "is printed as file:line: column: reason."
)


def _add_dry_run(parser: CommandParser) -> None:
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help=_("show what would change, row by row, and write nothing"),
    )


def _add_read_options(parser: CommandParser) -> None:
    parser.add_argument(
        "--day-first",
        action="store_true",
        help=_("dates such as 03/04/2024 are day/month/year (3 April)"),
    )
    parser.add_argument(
        "--allow-duplicates",
        action="store_true",
        help=_("count a row repeated exactly once, rather than refuse the file"),
    )
    parser.add_argument(
        "--allow-future",
        action="store_true",
        help=_("accept dates more than a year in the future"),
    )


def read_options(options: dict[str, Any]) -> ReadOptions:
    return ReadOptions(
        day_first=bool(options.get("day_first")),
        allow_duplicates=bool(options.get("allow_duplicates")),
        allow_future=bool(options.get("allow_future")),
    )


class Command(InitiativeCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs plain strings: translate now, in the language that is active.
        self.help = _(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(
            dest="what",
            required=True,
            metavar="{commitments,statements,rates,record,iati,sanctions}",
        )
        for name, (_importer, help_text) in IMPORTERS.items():
            sub = kinds.add_parser(name, help=str(help_text), description=str(help_text))
            sub.add_argument(
                "file",
                help=_(
                    "a CSV file (comma, semicolon or tab; UTF-8, UTF-16 or Windows-1252) or an "
                    "XLSX file"
                ),
            )
            _add_dry_run(sub)
            _add_read_options(sub)
            if name != "rates":  # exchange rates are the installation's, not an initiative's
                add_initiative_option(sub)
        record = kinds.add_parser("record", help=str(RECORD_HELP), description=str(RECORD_HELP))
        _add_dry_run(record)
        add_initiative_option(record)
        add_iati_import_parser(kinds)
        add_sanctions_import_parser(kinds)

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "iati":
            run_iati_import(self, options)
            return
        if what == "sanctions":
            run_sanctions_import(self, options)
            return
        if what == "record":
            # Both files of the shipped record, each exactly as if imported on its own.
            for importer, path in RECORD_FILES:
                self._import(importer, path, str(path), options)
            return
        self._import(IMPORTERS[what][0], Path(options["file"]), options["file"], options)

    def _import(self, importer: Importer, path: Path, file: str, options: dict[str, Any]) -> None:
        dry_run = options["dry_run"]
        try:
            result = importer(path, dry_run=dry_run, progress=True, options=read_options(options))
        except ImportRejected as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem), style_func=_plain)
            raise CommandError(
                ngettext(
                    "%(count)d problem in %(file)s; nothing was imported.",
                    "%(count)d problems in %(file)s; nothing was imported.",
                    len(exc.problems),
                )
                % {"count": len(exc.problems), "file": file},
                returncode=1,
            ) from None
        except ImportBusy as busy:
            raise CommandError(busy.message, returncode=1) from None
        except DatabaseError as exc:
            if not is_busy(exc):
                raise
            raise CommandError(busy_message(), returncode=1) from None
        verbosity = int(options.get("verbosity", 1))
        if dry_run or verbosity >= 2:
            self._rows(result, show_unchanged=dry_run)
        if dry_run and result.reading:
            # How the file was read (separator, encoding, formats): for a person to confirm.
            self.stdout.write(result.read_as)
        self.stdout.write(str(result))

    def _rows(self, result: ImportResult, *, show_unchanged: bool) -> None:
        for row in result.rows:
            if row.outcome == Outcome.UNCHANGED and not show_unchanged:
                continue
            text = _("line %(line)d: %(outcome)s %(key)s") % {
                "line": row.line,
                "outcome": row.outcome.label,
                "key": row.key,
            }
            if row.changes:
                text += " (" + ", ".join(row.changes) + ")"
            for note in row.notes:
                text += "; " + note
            self.stdout.write(text)

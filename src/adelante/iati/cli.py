"""The IATI parts of the command line, called from `adelante import` (and `adelante export`)."""

from __future__ import annotations

import datetime
import os
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adelante.figures.management.commands._options import add_initiative_option
from adelante.iati.export import write_activities
from adelante.iati.importer import IatiImportError, import_iati
from adelante.uploads.busy import ImportBusy

IMPORT_HELP = gettext_lazy(
    "Official aid from IATI activity files (2.01 to 2.03): activities for Guatemala, "
    "El Salvador or Honduras, kept apart from commitments."
)


def add_import_parser(subparsers: Any) -> None:
    """The `iati` subcommand of `adelante import`."""
    help_text = str(IMPORT_HELP)
    sub = subparsers.add_parser("iati", help=help_text, description=help_text)
    sub.add_argument("files", nargs="+", metavar="FILE", help=_("IATI activity XML files"))
    sub.add_argument(
        "--dry-run",
        action="store_true",
        help=_("read every file and report what would change, writing nothing"),
    )
    sub.add_argument(
        "--force",
        action="store_true",
        help=_(
            "replace stored activities even when the file's version is not newer (to convert "
            "values again after importing missing exchange rates)"
        ),
    )


def run_import(command: BaseCommand, options: dict[str, Any]) -> None:
    """Import the files; on any error print file:line: reason and exit with status 1."""

    def announce(path: Path) -> None:
        if int(options.get("verbosity", 1)) >= 1 and sys.stderr.isatty():
            command.stderr.write(_("reading %(file)s") % {"file": path})

    try:
        result = import_iati(
            options["files"],
            dry_run=options["dry_run"],
            force=options["force"],
            progress=announce,
        )
    except IatiImportError as exc:
        command.stderr.write(str(exc))
        raise CommandError(_("nothing was imported."), returncode=1) from None
    except ImportBusy as busy:
        raise CommandError(busy.message, returncode=1) from None
    if int(options.get("verbosity", 1)) >= 1:
        for warning in result.warnings:
            command.stderr.write(warning)
    command.stdout.write(str(result))


EXPORT_HELP = gettext_lazy(
    "The IATI 2.03 activity file: one activity per published commitment (docs/iati.md)."
)


def add_export_arguments(parser: Any) -> None:
    """Arguments of the IATI export, for `adelante export_iati` or an `export iati` subparser."""
    parser.add_argument(
        "--output", "-o", required=True, help=_("the XML file to write ('-' for standard output)")
    )
    parser.add_argument(
        "--as-of",
        type=datetime.date.fromisoformat,
        default=None,
        help=_("commitments announced and progress verified by this date (default today)"),
    )
    add_initiative_option(parser)


def run_export(command: BaseCommand, options: dict[str, Any]) -> None:
    """Write the file; say how many activities, and warn when there are none."""
    output = options["output"]
    as_of = options.get("as_of")
    if output == "-":
        try:
            count = write_activities(sys.stdout.buffer, as_of)
        except BrokenPipeError:
            # The reader stopped reading (`| head`): not an error; say nothing more.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            return
    else:
        path = Path(output)
        if path.parent and not path.parent.is_dir():
            raise CommandError(_("no such folder: %(folder)s") % {"folder": path.parent})
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as out:
            count = write_activities(out, as_of)
        partial.replace(path)
    if count == 0:
        command.stderr.write(
            _(
                "No published commitment as of that date: the file has no activity, and IATI "
                "requires at least one."
            )
        )
    if output != "-":
        command.stdout.write(
            _("%(count)d activities written to %(file)s.") % {"count": count, "file": output}
        )

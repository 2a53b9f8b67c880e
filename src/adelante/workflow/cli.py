"""`adelante import sanctions FILE... --list NAME --format sdn|names` (docs/workflow.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from adelante.workflow.models import ListFormat
from adelante.workflow.sanctions import SanctionsError, import_list

IMPORT_HELP = gettext_lazy(
    "A sanctions list to screen organisations against: the US Treasury SDN list (sdn.csv and "
    "its aliases alt.csv, as published) or a CSV with one name per row. Replaces the list of "
    "that name, all or nothing."
)


def add_import_parser(subparsers: Any) -> None:
    """The `sanctions` subcommand of `adelante import`."""
    help_text = str(IMPORT_HELP)
    sub = subparsers.add_parser("sanctions", help=help_text, description=help_text)
    sub.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=_("sdn.csv and/or alt.csv (format sdn), or one CSV of names (format names)"),
    )
    sub.add_argument("--list", required=True, dest="list_name", help=_("the list's name"))
    sub.add_argument("--format", required=True, choices=list(ListFormat.values), dest="list_format")
    sub.add_argument("--dry-run", action="store_true", help=_("read the files and write nothing"))


def run_import(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        summary = import_list(
            options["list_name"],
            options["list_format"],
            [Path(f) for f in options["files"]],
            dry_run=options["dry_run"],
        )
    except SanctionsError as exc:
        command.stderr.write(str(exc))
        raise CommandError(_("nothing was imported."), returncode=1) from None
    command.stdout.write(str(summary))

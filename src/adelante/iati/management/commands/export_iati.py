"""`adelante export_iati --output FILE [--as-of D]`: the IATI 2.03 activity file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandParser

from adelante.figures.management.commands._options import InitiativeCommand
from adelante.iati.cli import EXPORT_HELP, add_export_arguments, run_export


class Command(InitiativeCommand):
    help = str(EXPORT_HELP)

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_export(self, options)

"""`adelante export_iati --output FILE [--as-of D]`: the IATI 2.03 activity file."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from adelante.iati.cli import EXPORT_HELP, add_export_arguments, run_export


class Command(BaseCommand):
    help = str(EXPORT_HELP)

    def add_arguments(self, parser: CommandParser) -> None:
        add_export_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_export(self, options)

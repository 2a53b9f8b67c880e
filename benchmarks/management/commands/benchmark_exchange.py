"""`python -m benchmarks exchange`: the commitments import against a bare bulk insert, the full
CSV export against a bare SQL-to-CSV floor, and API endpoints against a bare view, on the
configured database (docs/benchmarks.md)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from benchmarks import exchange as bench
from benchmarks import imports
from benchmarks.synthetic.generator import LAST_DAY


class Command(BaseCommand):
    help = (
        "Time the commitments import (vs a bare bulk insert), the full CSV export (vs bare SQL "
        "to CSV) and API endpoints (vs a bare view)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--repeat", type=int, default=3, help="timed runs of the export")
        parser.add_argument("--api-repeat", type=int, default=20, help="timed API requests")
        parser.add_argument(
            "--as-of", type=datetime.date.fromisoformat, default=LAST_DAY, help="figures' date"
        )
        parser.add_argument("--skip-export", action="store_true", help="no export")
        parser.add_argument(
            "--import-rows",
            type=_sizes,
            default=imports.DEFAULT_SIZES,
            help="rows of the generated commitments files, comma-separated (0: no import "
            "benchmark)",
        )
        parser.add_argument("--import-repeat", type=int, default=3, help="timed imports")
        parser.add_argument("--skip-api", action="store_true", help="no API endpoints")
        parser.add_argument("--format", choices=("table", "markdown"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        markdown = options["format"] == "markdown"
        sizes = [n for n in options["import_rows"] if n > 0]
        if sizes:
            timings = []
            for size in sizes:
                timings.append(imports.measure_import(size, options["import_repeat"]))
            self.stdout.write(imports.format_import(timings, markdown=markdown))
            self.stdout.flush()
        if not options["skip_export"]:
            # Printed at once: the export of a large record takes a while.
            export = bench.measure_export(options["repeat"])
            self.stdout.write(bench.format_rows([export], markdown=markdown))
            self.stdout.flush()
        if not options["skip_api"]:
            api = bench.measure_api(options["as_of"], options["api_repeat"])
            self.stdout.write(bench.format_rows(api, markdown=markdown))


def _sizes(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]

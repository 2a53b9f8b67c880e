"""`python -m benchmarks uploads`: the worst uploads (bombs, styled empty rows) against a floor.

The corpus (benchmarks/uploads.py) is built once into --dir (never into the repository). Each
file is read in a child process of this command, as an upload of its kind is read, so that
each peak of memory belongs to one file; the table gives time and peak memory, each as a ratio
against the floor of its kind (a normal workbook of one row, a normal document). No database
is used. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks import children
from benchmarks.uploads import CORPUS, Measurement, build, format_table, measure

DEFAULT_DIR = Path("/tmp/adelante-uploads-bench")


class Command(BaseCommand):
    help = (
        "Read the worst uploads (a ZIP bomb, a workbook declaring the largest sheet, one with "
        "empty rows styled down to row 1,048,576, a DOCX bomb) and report their time and peak "
        "memory against reading a normal file."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir",
            type=Path,
            default=DEFAULT_DIR,
            help=f"where the corpus is built (default {DEFAULT_DIR})",
        )
        parser.add_argument(
            "--format", choices=("table", "markdown", "json"), default="table", help="output"
        )
        parser.add_argument("--child", type=Path, help="(internal) measure this file here")
        parser.add_argument("--kind", default="xlsx", help="(internal) the file's kind")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["child"] is not None:
            measured = measure(options["child"], options["kind"])
            self.stdout.write(json.dumps(measured.as_json()))
            return
        folder: Path = options["dir"]
        self.stderr.write(f"== corpus in {folder}")
        paths = build(folder)
        measurements = []
        for name, (_builder, kind) in CORPUS.items():
            self.stderr.write(f"== {name}")
            done = subprocess.run(
                children.command("uploads", f"--child={paths[name]}", f"--kind={kind}"),
                env=children.environment(f"sqlite:///{(folder / 'unused.sqlite3').resolve()}"),
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise CommandError(f"{name}: the child failed ({done.returncode})")
            measurements.append(Measurement(**json.loads(done.stdout)))
        if options["format"] == "json":
            self.stdout.write(json.dumps([m.as_json() for m in measurements], indent=2))
            return
        self.stdout.write(format_table(measurements, markdown=options["format"] == "markdown"))

"""`python -m benchmarks iati`: the IATI import against a bare lxml parse, and its peak memory.

For each size (megabytes) a realistic IATI file is generated once into --dir (never into the
repository). For each database (an SQLite file in --dir, a PostgreSQL database
adelante_bench_iati) and each file, a child process of this command imports the file on
emptied tables after a bare iterparse pass over it, and reports both times and its own peak
memory: one process per file, so each peak belongs to one file. See docs/benchmarks.md.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks import children
from benchmarks.iati import Measurement, benchmark_file, format_table, measure_file

DEFAULT_SIZES = "20,200"
DEFAULT_DIR = Path("/tmp/adelante-iati-bench")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
ENGINES = ("sqlite", "postgresql")


class Command(BaseCommand):
    help = (
        "Time the IATI import of large generated files against a bare lxml iterparse pass "
        "over the same files, and measure its peak memory, on SQLite and PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes",
            default=DEFAULT_SIZES,
            help=f"file sizes in megabytes, separated by commas (default {DEFAULT_SIZES})",
        )
        parser.add_argument(
            "--databases",
            default=",".join(ENGINES),
            help="engines to run on (default sqlite,postgresql)",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=DEFAULT_DIR,
            help=f"where the generated files and the SQLite database go (default {DEFAULT_DIR})",
        )
        parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
        parser.add_argument(
            "--repeat", type=int, default=3, help="timed runs of each pass (default 3)"
        )
        parser.add_argument(
            "--postgres-url",
            default=os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES),
            help="PostgreSQL server without a database name; the benchmark creates the database "
            "adelante_bench_iati there",
        )
        parser.add_argument(
            "--format", choices=("table", "markdown", "json"), default="table", help="output"
        )
        parser.add_argument("--child", type=Path, help="(internal) measure this file here")
        parser.add_argument("--label", default="", help="(internal) the database's label")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["child"] is not None:
            measured = measure_file(options["child"], options["label"], repeat=options["repeat"])
            self.stdout.write(json.dumps(measured.as_json()))
            return
        try:
            sizes = [float(s) for s in options["sizes"].split(",") if s.strip()]
        except ValueError as exc:
            raise CommandError(f"--sizes: {exc}") from exc
        if not sizes or min(sizes) <= 0 or options["repeat"] < 1:
            raise CommandError("--sizes: positive megabytes; --repeat: at least 1")
        engines = [e.strip() for e in options["databases"].split(",") if e.strip()]
        if not engines or set(engines) - set(ENGINES):
            raise CommandError(f"--databases: choose from {', '.join(ENGINES)}")
        folder: Path = options["dir"]
        files = []
        for size in sizes:
            self.stderr.write(f"== file of {size:g} MB in {folder}")
            files.append(benchmark_file(folder, size, options["seed"]))
        measurements = []
        for engine in engines:
            url = self._database(engine, folder, options["postgres_url"])
            self._run(url, ["migrate", "--no-input", "-v0"])
            for path in files:
                self.stderr.write(f"== {engine}: {path.name}")
                done = self._run(
                    url,
                    [
                        "iati",
                        f"--child={path}",
                        f"--label={self._label(engine)}",
                        f"--repeat={options['repeat']}",
                    ],
                )
                measurements.append(Measurement(**json.loads(done)))
        if options["format"] == "json":
            self.stdout.write(json.dumps([m.as_json() for m in measurements], indent=2))
            return
        self.stdout.write(format_table(measurements, markdown=options["format"] == "markdown"))

    @staticmethod
    def _label(engine: str) -> str:
        if engine == "sqlite":
            import sqlite3

            return f"SQLite {sqlite3.sqlite_version}"
        return "PostgreSQL"

    @staticmethod
    def _database(engine: str, folder: Path, server: str) -> str:
        if engine == "sqlite":
            folder.mkdir(parents=True, exist_ok=True)
            return f"sqlite:///{(folder / 'bench.sqlite3').resolve()}"
        return children.postgres_database(server, "adelante_bench_iati")

    def _run(self, url: str, arguments: list[str]) -> str:
        done = subprocess.run(
            children.command(*arguments, "--skip-checks"),
            env=children.environment(url),
            stdout=subprocess.PIPE,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise CommandError(f"{' '.join(arguments)} on {url} failed ({done.returncode})")
        return done.stdout

"""`python -m benchmarks figures` (and `pages`): the main figure queries against hand-written
SQL floors, or the portal's pages against a bare view.

Without --in-place, every size runs on its own database (an SQLite file, a PostgreSQL database)
that the benchmark creates, fills with synthetic data and reuses on later runs; each runs in a
child process of this command, with DATABASE_URL pointing at it. With --in-place, it measures
on the database configured for this process (what the tests do).
"""

from __future__ import annotations

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from benchmarks import children, pages, same_pledges
from benchmarks.figures import FloorMismatch, Measurement, format_table, measure
from benchmarks.synthetic import datasets
from benchmarks.synthetic.generator import GENERATOR_VERSION, LAST_DAY, Spec

DEFAULT_SIZES = "1000,50000,500000"
ENGINES = ("sqlite", "postgresql")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part.replace("_", "")) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise CommandError(f"--sizes: {exc}") from exc
    if not sizes or min(sizes) < 1:
        raise CommandError("--sizes: give positive numbers of commitments, separated by commas")
    return sizes


def spec_for(size: int, reports_per_commitment: int, seed: int) -> Spec:
    """The synthetic data set of a size: a partner for every eight commitments."""
    return Spec(
        partners=max(1, size // 8),
        commitments=size,
        reports=size * reports_per_commitment,
        seed=seed,
    )


class Command(BaseCommand):
    # Nothing here depends on the URLs, templates or admin that the system checks look at.
    requires_system_checks: list[str] = []
    help = (
        "Time the main figure queries (committed by country, committed, invested, reconcile) "
        "against one hand-written SQL query each, at several sizes, on SQLite and PostgreSQL."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes",
            default=DEFAULT_SIZES,
            help=f"numbers of commitments, separated by commas (default {DEFAULT_SIZES})",
        )
        parser.add_argument(
            "--reports-per-commitment",
            type=int,
            default=10,
            help="progress reports per commitment, in total (default 10)",
        )
        parser.add_argument("--seed", type=int, default=1, help="synthetic data seed (default 1)")
        parser.add_argument(
            "--repeat", type=int, default=5, help="timed runs of each query (default 5)"
        )
        parser.add_argument(
            "--as-of",
            type=datetime.date.fromisoformat,
            default=LAST_DAY,
            help=f"date of the figures (default {LAST_DAY}, after every synthetic round)",
        )
        parser.add_argument(
            "--databases",
            default=",".join(ENGINES),
            help="engines to run on, each size on its own database (default sqlite,postgresql)",
        )
        parser.add_argument(
            "--sqlite-dir",
            type=Path,
            help="where the SQLite databases go (default <data directory>/benchmarks)",
        )
        parser.add_argument(
            "--postgres-url",
            default=os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES),
            help="PostgreSQL server, without a database name; the benchmark creates databases "
            f"named adelante_bench_* there (default $BENCHMARK_POSTGRES_URL or {DEFAULT_POSTGRES})",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="measure on the configured database instead (DATABASE_URL), filling it with "
            "synthetic data as needed; refuses a database that holds real data",
        )
        parser.add_argument(
            "--migrate", action="store_true", help="with --in-place: migrate the database first"
        )
        parser.add_argument(
            "--format",
            choices=("table", "markdown", "json"),
            default="table",
            help="output format (default table)",
        )
        parser.add_argument(
            "--pages",
            action="store_true",
            help="time the portal's pages (overview, explorer, a commitment) against a bare "
            "view instead of the figures against their floors (benchmarks.pages)",
        )
        parser.add_argument(
            "--same-pledges",
            action="store_true",
            help="time the same-pledge suggestions, with half of the commitments under a second "
            "initiative, against a bare SQL join instead (benchmarks.same_pledges)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = _sizes(options["sizes"])
        if options["repeat"] < 1 or options["reports_per_commitment"] < 0:
            raise CommandError("--repeat must be at least 1, --reports-per-commitment at least 0")
        if options["in_place"]:
            runs = [self._in_place(sizes, options)]
        else:
            runs = self._separate(sizes, options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(runs, indent=2))
            return
        if options["pages"]:
            timings = [pages.PageTiming(**m) for run in runs for m in run["measurements"]]
            markdown = options["format"] == "markdown"
            self.stdout.write(pages.format_table(timings, markdown=markdown))
            return
        measurements = [Measurement(**m) for run in runs for m in run["measurements"]]
        self.stdout.write(format_table(measurements, markdown=options["format"] == "markdown"))
        self.stdout.write("")
        for run in runs:
            filled = run["fill_seconds"]
            how = "reused" if filled is None else f"filled in {filled:.0f} s"
            load = ", ".join(f"{before:.1f} to {after:.1f}" for before, after in run["load"])
            self.stdout.write(
                f"{run['database']}, {run['commitments']} commitments: data {how}; "
                f"{options['repeat']} timed runs each; every floor equals the figures module; "
                f"load average {load}."
            )

    # -- Measuring here ----------------------------------------------------------------------

    def _in_place(self, sizes: list[int], options: dict[str, Any]) -> dict[str, Any]:
        if options["migrate"]:
            call_command("migrate", verbosity=0, interactive=False)
        measurements: list[dict[str, Any]] = []
        fill_seconds: float | None = None
        database = ""
        loads: list[tuple[float, float]] = []
        for size in sizes:
            spec = spec_for(size, options["reports_per_commitment"], options["seed"])
            filled = self._ensure(spec, quiet=options["format"] == "json")
            if filled is not None:
                fill_seconds = (fill_seconds or 0) + filled
            load_before = os.getloadavg()[0]
            if options["pages"]:
                timed = pages.measure_pages(commitments=spec.commitments, repeat=options["repeat"])
                database = timed[0].database
                measurements += [t.as_json() for t in timed]
                loads.append((load_before, os.getloadavg()[0]))
                continue
            try:
                results = (
                    same_pledges.measure_same_pledges if options["same_pledges"] else measure
                )(
                    options["as_of"],
                    commitments=spec.commitments,
                    reports=spec.reports,
                    repeat=options["repeat"],
                )
            except FloorMismatch as exc:
                raise CommandError(str(exc)) from exc
            database = results[0].database
            measurements += [m.as_json() for m in results]
            loads.append((load_before, os.getloadavg()[0]))
        return {
            "database": database,
            "commitments": ",".join(map(str, sizes)),
            "fill_seconds": fill_seconds,
            # The machine's 1-minute load average before and after measuring each size.
            "load": loads,
            "measurements": measurements,
        }

    def _ensure(self, spec: Spec, *, quiet: bool) -> float | None:
        """Fill the database with this data set unless it holds it already; seconds taken."""
        if datasets.matches(datasets.latest_dataset(), spec):
            return None
        foreign = datasets.foreign_counts()
        if foreign:
            listed = ", ".join(f"{n} {name}" for name, n in sorted(foreign.items()))
            raise CommandError(f"the database holds real data ({listed}); not touching it")
        started = time.monotonic()
        datasets.wipe()
        bar = tqdm(
            total=spec.commitments,
            unit=" commitments",
            desc=f"synth {spec.commitments}",
            file=sys.stderr,
            disable=quiet and not sys.stderr.isatty(),
        )
        with bar:
            datasets.generate(spec, progress=bar.update)
        return time.monotonic() - started

    # -- Measuring on separate databases, one child process each -----------------------------

    def _separate(self, sizes: list[int], options: dict[str, Any]) -> list[dict[str, Any]]:
        engines = [e.strip() for e in options["databases"].split(",") if e.strip()]
        unknown = set(engines) - set(ENGINES)
        if unknown or not engines:
            raise CommandError(f"--databases: choose from {', '.join(ENGINES)}")
        runs = []
        for engine in engines:
            for size in sizes:
                name = (
                    f"bench_{size}x{options['reports_per_commitment']}"
                    f"_s{options['seed']}_g{GENERATOR_VERSION}"
                )
                if engine == "sqlite":
                    url = self._sqlite_url(options, name)
                else:
                    url = children.postgres_database(options["postgres_url"], f"adelante_{name}")
                self.stderr.write(f"== {engine}, {size} commitments ({url})")
                runs.append(self._child(url, size, options))
        return runs

    def _sqlite_url(self, options: dict[str, Any], name: str) -> str:
        directory: Path = options["sqlite_dir"] or Path(settings.DATA_DIR) / "benchmarks"
        directory.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{(directory / f'{name}.sqlite3').resolve()}"

    def _child(self, url: str, size: int, options: dict[str, Any]) -> dict[str, Any]:
        command = children.command(
            "figures",
            "--in-place",
            "--migrate",
            "--format=json",
            f"--sizes={size}",
            f"--reports-per-commitment={options['reports_per_commitment']}",
            f"--seed={options['seed']}",
            f"--repeat={options['repeat']}",
            f"--as-of={options['as_of'].isoformat()}",
            *(["--pages"] if options["pages"] else []),
            *(["--same-pledges"] if options["same_pledges"] else []),
        )
        done = subprocess.run(
            command, env=children.environment(url), stdout=subprocess.PIPE, text=True, check=False
        )
        if done.returncode != 0:
            raise CommandError(f"the benchmark on {url} failed (exit status {done.returncode})")
        runs: list[dict[str, Any]] = json.loads(done.stdout)
        return runs[0]

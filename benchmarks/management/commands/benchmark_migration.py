"""`python -m benchmarks migration`: the migration to initiatives (commitments 0005 and the
initiatives app) timed on a large synthetic record (issue 14: "the migration's timing on
50,000 synthetic commitments"; docs/benchmarks.md, "The migration to initiatives").

Each engine gets a database of its own (an SQLite file, a PostgreSQL database), migrated to the
latest schema and filled by `synth` (reused on later runs); in a child process, the database is
migrated back to the schema before initiatives (the reverse migration drops the initiative
columns and tables, and keeps every other row), then forward again, each direction timed. The
synthetic writer only knows the current models, so the record is written before going back,
exactly as the shipped record in tests/initiatives/test_migration.py. After the forward run,
every round, commitment and statement, and every version in their history, must belong to the
primary initiative, or the benchmark fails.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations import Migration
from django.db.migrations.executor import MigrationExecutor
from tqdm import tqdm

from benchmarks import children
from benchmarks.synthetic import datasets
from benchmarks.synthetic.generator import GENERATOR_VERSION, Spec

#: The schema before initiatives (as tests/initiatives/test_migration.py).
BEFORE = [("commitments", "0004_accent_insensitive_search"), ("initiatives", None)]
ENGINES = ("sqlite", "postgresql")
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"
#: Tables that take an initiative, with their history: every row must have joined the primary.
JOINED = (
    "commitments_round",
    "commitments_commitment",
    "commitments_officialstatement",
    "commitments_historicalround",
    "commitments_historicalcommitment",
    "commitments_historicalofficialstatement",
)


def _count(table: str, where: str = "") -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)} {where}")
        return int(cursor.fetchone()[0])


def _migrate(targets: list[tuple[str, str | None]]) -> tuple[float, dict[str, float]]:
    """Seconds for the whole run (the migration graph and model states included), and for each
    migration's own operations (Django's progress callback: from its start to its success)."""
    steps: dict[str, float] = {}
    begun: dict[str, float] = {}

    def progress(
        action: str, migration: Migration | None = None, fake: bool | None = False, /
    ) -> None:
        if migration is None:
            return
        name = f"{migration.app_label}.{migration.name}"
        if action in ("apply_start", "unapply_start"):
            begun[name] = time.monotonic()
        elif action in ("apply_success", "unapply_success"):
            steps[name] = time.monotonic() - begun.pop(name)

    executor = MigrationExecutor(connection, progress_callback=progress)
    started = time.monotonic()
    executor.migrate(targets)
    return time.monotonic() - started, steps


def _latest() -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = "Time the migration to initiatives, back and forward, on a synthetic record."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commitments", type=int, default=50000, help="default 50000")
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument(
            "--databases", default="sqlite,postgresql", help="default sqlite,postgresql"
        )
        parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
        parser.add_argument("--sqlite-dir", type=Path, default=None)
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="measure on the configured database (DATABASE_URL), filling it if it holds no "
            "synthetic data set of this size",
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["commitments"] < 1:
            raise CommandError("--commitments must be at least 1")
        runs = [self._in_place(options)] if options["in_place"] else self._separate(options)
        if options["format"] == "json":
            self.stdout.write(json.dumps(runs, indent=2))
            return
        self.stdout.write(
            "| database | commitments | history rows | back (s) | forward (s) "
            "| forward: operations of each migration (s) | load average |"
        )
        self.stdout.write("| --- | ---: | ---: | ---: | ---: | --- | --- |")
        for run in runs:
            steps = ", ".join(
                f"{name.split('.')[1][:4]} {seconds:.1f}"
                for name, seconds in run["forward_steps"].items()
            )
            self.stdout.write(
                f"| {run['database']} | {run['commitments']:,} | {run['history_rows']:,} "
                f"| {run['back_seconds']:.1f} | {run['forward_seconds']:.1f} | {steps} "
                f"| {run['load'][0]:.1f} to {run['load'][1]:.1f} |"
            )

    def _in_place(self, options: dict[str, Any]) -> dict[str, Any]:
        _migrate(_latest())  # a new database, or one a failed run left behind
        size = options["commitments"]
        spec = Spec(
            partners=max(1, size // 8), commitments=size, reports=3 * size, seed=options["seed"]
        )
        if not datasets.matches(datasets.latest_dataset(), spec):
            foreign = datasets.foreign_counts()
            if foreign:
                raise CommandError(f"the database holds real data ({foreign}); not touching it")
            datasets.wipe()
            with tqdm(total=size, unit=" commitments", disable=None) as bar:
                datasets.generate(spec, progress=bar.update)
        commitments = _count("commitments_commitment")
        history = sum(_count(t) for t in JOINED if "historical" in t)
        load_before = os.getloadavg()[0]
        back, back_steps = _migrate(BEFORE)
        forward, forward_steps = _migrate(_latest())
        load_after = os.getloadavg()[0]
        with connection.cursor() as cursor:
            cursor.execute('SELECT id FROM initiatives_initiative WHERE "primary"')
            primary = cursor.fetchone()[0]
        strays = {
            t: _count(t, f"WHERE initiative_id IS NULL OR initiative_id <> {int(primary)}")
            for t in JOINED
        }
        if any(strays.values()):
            raise CommandError(f"rows outside the primary initiative after migrating: {strays}")
        if _count("commitments_commitment") != commitments:
            raise CommandError("the migration lost commitments")
        return {
            "database": connection.vendor,
            "commitments": commitments,
            "history_rows": history,
            "back_seconds": back,
            "forward_seconds": forward,
            "back_steps": back_steps,
            "forward_steps": forward_steps,
            "load": [load_before, load_after],
        }

    def _separate(self, options: dict[str, Any]) -> list[dict[str, Any]]:
        engines = [e.strip() for e in options["databases"].split(",") if e.strip()]
        if not engines or set(engines) - set(ENGINES):
            raise CommandError(f"--databases: choose from {', '.join(ENGINES)}")
        size = options["commitments"]
        # A database of its own (never the figures benchmark's, which may be in use), kept and
        # reused by later runs: each run goes back and forward, leaving it at the latest schema.
        name = f"bench_migration_{size}x3_s{options['seed']}_g{GENERATOR_VERSION}"
        runs = []
        for engine in engines:
            if engine == "sqlite":
                directory: Path = options["sqlite_dir"] or Path(settings.DATA_DIR) / "benchmarks"
                directory.mkdir(parents=True, exist_ok=True)
                url = f"sqlite:///{(directory / f'{name}.sqlite3').resolve()}"
            else:
                url = children.postgres_database(options["postgres_url"], f"adelante_{name}")
            self.stderr.write(f"== {engine}, {size} commitments ({url})")
            done = subprocess.run(
                children.command(
                    "migration",
                    "--in-place",
                    "--format=json",
                    f"--commitments={size}",
                    f"--seed={options['seed']}",
                ),
                env=children.environment(url),
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                raise CommandError(f"the benchmark on {url} failed (exit {done.returncode})")
            runs += json.loads(done.stdout)
        return runs

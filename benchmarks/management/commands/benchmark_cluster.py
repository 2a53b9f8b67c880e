"""`python -m benchmarks cluster`: reads through nginx and two app servers, before and right
after a write (benchmarks/cluster.py, docs/benchmarks.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from tqdm import tqdm

from benchmarks import children
from benchmarks import cluster as bench
from benchmarks.synthetic import datasets
from benchmarks.synthetic.generator import GENERATOR_VERSION, Spec

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432"


class Command(BaseCommand):
    requires_system_checks: list[str] = []
    help = (
        "Requests/s and p50/p95/p99 of the overview, the explorer and the API list through "
        "nginx and two app servers, at several numbers of readers, before and after a write."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commitments", type=int, default=50_000, help="default 50000")
        parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
        parser.add_argument("--readers", default="1,10,50", help="comma-separated (1,10,50)")
        parser.add_argument("--seed", type=int, default=1, help="synthetic data seed")
        parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers each")
        parser.add_argument(
            "--web-threads", type=int, default=1, help="threads per gunicorn worker (gthread)"
        )
        parser.add_argument(
            "--postgres-url",
            default=os.environ.get("BENCHMARK_POSTGRES_URL", DEFAULT_POSTGRES),
            help="the PostgreSQL server (no database name); the benchmark's database, "
            "adelante_cluster_<size>_s<seed>_g<generator>, is created there and reused",
        )
        parser.add_argument(
            "--in-place",
            action="store_true",
            help="on the database of DATABASE_URL (filled with synthetic data as needed; "
            "refuses one that holds real data)",
        )
        parser.add_argument("--format", choices=("table", "markdown"), default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            readers = [int(n) for n in options["readers"].split(",") if n.strip()]
        except ValueError as exc:
            raise CommandError(f"--readers: {exc}") from exc
        if not readers or min(readers) < 1:
            raise CommandError("--readers: positive numbers, separated by commas")
        if not options["in_place"]:
            self._child(options)
            return
        if connection.vendor != "postgresql":
            raise CommandError("the cluster shares a PostgreSQL database: give one")
        call_command("migrate", verbosity=0, interactive=False)
        spec = Spec(
            partners=max(1, options["commitments"] // 8),
            commitments=options["commitments"],
            reports=options["commitments"] * 2,
            seed=options["seed"],
        )
        self._ensure(spec)
        url = _database_url()
        load_before = os.getloadavg()
        with tempfile.TemporaryDirectory(prefix="adelante-cluster-") as folder:
            try:
                with bench.cluster(
                    Path(folder),
                    url,
                    web_workers=options["web_workers"],
                    web_threads=options["web_threads"],
                ) as running:
                    measured = self._measure(running.nginx, readers, options["seconds"])
                    replaced = running.replaced_workers()
            except (RuntimeError, subprocess.CalledProcessError) as exc:
                raise CommandError(f"the cluster did not start: {exc}") from exc
        load_after = os.getloadavg()
        self.stdout.write(bench.format_table(measured, markdown=options["format"] == "markdown"))
        self.stdout.write("")
        for line in bench.goals(measured):
            self.stdout.write(line)
        self.stdout.write(
            f"{spec.commitments} commitments; {options['seconds']:g} s per measurement "
            f"(load from {bench.generator()}); "
            f"2 app servers x {options['web_workers']} gunicorn workers "
            f"x {options['web_threads']} thread(s) behind nginx; "
            f"{os.cpu_count()} CPUs; load average before {_load(load_before)}, "
            f"after {_load(load_after)}; gunicorn workers replaced during the run: {replaced}."
        )

    def _measure(self, port: int, readers: list[int], seconds: float) -> list[bench.Load]:
        # Each page computed once, then one round of each: the first request of each worker is
        # not measured.
        bench.prime(port, [path for _name, path in bench.PAGES])
        bench.measure(port, readers=[max(readers)], seconds=min(1.0, seconds), phase="warm")
        measured = bench.measure(port, readers=readers, seconds=seconds, phase="before")
        after: list[bench.Load] = []
        for count in readers:
            for name, path in (bench.FLOOR, *bench.PAGES):
                # A write right before each measurement: every one starts out of date.
                bench.write_one()
                after.append(
                    bench.load(
                        port, name, path, phase="after write", readers=count, seconds=seconds
                    )
                )
        return measured + after

    def _ensure(self, spec: Spec) -> None:
        if datasets.matches(datasets.latest_dataset(), spec):
            return
        foreign = datasets.foreign_counts()
        if foreign:
            listed = ", ".join(f"{n} {name}" for name, n in sorted(foreign.items()))
            raise CommandError(f"the database holds real data ({listed}); not touching it")
        datasets.wipe()
        started = time.monotonic()
        with tqdm(total=spec.commitments, desc=f"synth {spec.commitments}", file=sys.stderr) as bar:
            datasets.generate(spec, progress=bar.update)
        self.stderr.write(f"filled in {time.monotonic() - started:.0f} s")

    def _child(self, options: dict[str, Any]) -> None:
        name = f"adelante_cluster_{options['commitments']}_s{options['seed']}_g{GENERATOR_VERSION}"
        url = children.postgres_database(options["postgres_url"], name)
        self.stderr.write(f"== {options['commitments']} commitments ({url})")
        command = children.command(
            "cluster",
            "--in-place",
            f"--commitments={options['commitments']}",
            f"--seconds={options['seconds']}",
            f"--readers={options['readers']}",
            f"--seed={options['seed']}",
            f"--web-workers={options['web_workers']}",
            f"--web-threads={options['web_threads']}",
            f"--format={options['format']}",
        )
        done = subprocess.run(command, env=children.environment(url), check=False)
        if done.returncode != 0:
            raise CommandError(f"the benchmark on {url} failed (exit status {done.returncode})")


def _database_url() -> str:
    """The URL of this process's database, for the app servers."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _load(average: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.2f}" for x in average)

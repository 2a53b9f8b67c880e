"""`python -m benchmarks synth`: fill the database with realistic synthetic data
(made up by `benchmarks.synthetic.generator`, written by `benchmarks.synthetic.datasets`)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from benchmarks.synthetic import datasets
from benchmarks.synthetic.generator import Spec, SynthError


class Command(BaseCommand):
    # Nothing here depends on the URLs, templates or admin that the system checks look at.
    requires_system_checks: list[str] = []
    help = (
        "Fill an empty record with realistic synthetic data, the same for the same seed. "
        "Refuses a record that holds anything; --wipe first deletes earlier synthetic data "
        "(and only that)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--commitments", type=int, default=1000, help="default 1000")
        parser.add_argument(
            "--partners", type=int, help="default one for every eight commitments (at least 1)"
        )
        parser.add_argument(
            "--reports",
            type=int,
            help="total progress reports, spread over commitments under way or completed "
            "(default three per commitment)",
        )
        parser.add_argument("--seed", type=int, default=1, help="default 1")
        parser.add_argument(
            "--wipe",
            action="store_true",
            help="delete earlier synthetic data and its history first; real data is kept, "
            "and the command still refuses if any remains",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        commitments: int = options["commitments"]
        partners = options["partners"]
        reports = options["reports"]
        try:
            spec = Spec(
                partners=partners if partners is not None else max(1, commitments // 8),
                commitments=commitments,
                reports=reports if reports is not None else 3 * commitments,
                seed=options["seed"],
            )
        except SynthError as exc:
            raise CommandError(str(exc)) from exc
        if options["wipe"]:
            deleted = datasets.wipe()
            self.stdout.write(f"Deleted {deleted} rows of earlier synthetic data.")
        started = time.monotonic()
        bar = tqdm(
            total=spec.commitments,
            unit=" commitments",
            disable=options["no_progress"] or None,
            file=self.stderr._out,
        )
        try:
            with bar:
                written = datasets.generate(spec, progress=bar.update)
        except SynthError as exc:
            raise CommandError(f"{exc}; use --wipe to replace earlier synthetic data") from exc
        seconds = time.monotonic() - started
        self.stdout.write(
            f"Synthetic record (seed {spec.seed}): {spec.partners} partners, "
            f"{spec.commitments} commitments, {spec.reports} progress reports; "
            f"{sum(written.values())} rows with history in {seconds:.1f} s."
        )
        for name, count in sorted(written.items()):
            self.stdout.write(f"  {name}: {count}")

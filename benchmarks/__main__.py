"""`python -m benchmarks figures|pages|exchange|iati|uploads|cluster|migration|synth [OPTIONS]`,
from a clone.

| command | what it runs |
| --- | --- |
| figures | the main figures against hand-written SQL floors, each size on its own database |
| pages | the portal's pages against a bare view (the same command with --pages) |
| exchange | the full CSV export and API endpoints against their floors, on DATABASE_URL |
| iati | the IATI import of large generated files against a bare parse, and its memory |
| uploads | the worst uploads (ZIP bombs, styled empty rows) against a normal file, memory |
| cluster | reads through nginx and two app servers at 1/10/50 readers, and after a write |
| migration | the migration to initiatives, back and forward, on 50,000 synthetic commitments |
| synth | fill the database of DATABASE_URL with realistic synthetic data |

`python -m benchmarks COMMAND --help` lists a command's options (docs/benchmarks.md). Any other
name goes to Django as it is (`python -m benchmarks migrate`), with the same settings.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

#: Each command: the management command of this app it runs, and options it always gets.
COMMANDS: dict[str, tuple[str, ...]] = {
    "figures": ("benchmark",),
    "pages": ("benchmark", "--pages"),
    "exchange": ("benchmark_exchange",),
    "iati": ("benchmark_iati",),
    "uploads": ("benchmark_uploads",),
    "cluster": ("benchmark_cluster",),
    "migration": ("benchmark_migration",),
    "synth": ("synth",),
}


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        sys.stdout.write(__doc__ or "")
        return
    # The benchmarks app must be installed whatever DJANGO_SETTINGS_MODULE says (production and
    # the demo leave it out); --settings still chooses other settings.
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    from django.core.management import execute_from_command_line

    execute_from_command_line(
        ["python -m benchmarks", *COMMANDS.get(args[0], (args[0],)), *args[1:]]
    )


if __name__ == "__main__":
    main()

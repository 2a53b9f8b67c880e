"""`python -m benchmarks figures|pages|same-pledges|exchange|iati|uploads|cluster|migration|synth
[OPTIONS]`,
from a clone.

| command | what it runs |
| --- | --- |
| figures | the main figures against hand-written SQL floors, each size on its own database |
| pages | the portal's pages against a bare view (the same command with --pages) |
| same-pledges | the same-pledge suggestions against a bare SQL join (with --same-pledges) |
| exchange | the full CSV export and API endpoints against their floors, on DATABASE_URL |
| iati | the IATI import of large generated files against a bare parse, and its memory |
| uploads | the worst uploads (ZIP bombs, styled empty rows) against a normal file, memory |
| cluster | reads through nginx and two app servers at 1/10/50 readers, and after a write |
| migration | the migration to initiatives, back and forward, on 50,000 synthetic commitments |
| synth | fill the database of DATABASE_URL with realistic synthetic data |

`python -m benchmarks COMMAND --help` lists a command's options (docs/benchmarks.md). Any other
name goes to Django as it is (`python -m benchmarks migrate`), with the same settings.

Without `SECRET_KEY` a key for this run only is used, said in one line (the servers and child
processes a benchmark starts get it too); with `ADELANTE_ENV=production` a missing key, like any
other setting that cannot load, is one line and exit status 2, never a traceback.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Sequence
from typing import NoReturn

PROGRAM = "python -m benchmarks"
#: Exit status of a run refused before the command starts (as the `adelante` command's).
REFUSED = 2

#: Each command: the management command of this app it runs, and options it always gets.
COMMANDS: dict[str, tuple[str, ...]] = {
    "figures": ("benchmark",),
    "pages": ("benchmark", "--pages"),
    "same-pledges": ("benchmark", "--same-pledges"),
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
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        _development_key()
        settings.INSTALLED_APPS  # noqa: B018  (loads the settings here, not in a traceback)
    except ImproperlyConfigured as exc:
        refuse(str(exc))
    from django.core.management import execute_from_command_line

    execute_from_command_line([PROGRAM, *COMMANDS.get(args[0], (args[0],)), *args[1:]])


def _development_key() -> None:
    """A key for this run only when none is set, outside production: the benchmarks run from a
    clone on a developer's machine, and what they sign (sessions of the measured servers)
    lives no longer than the run."""
    from adelante.operations import environment

    if os.environ.get("SECRET_KEY") or environment.deployment() == "production":
        return
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(50)
    print(f"{PROGRAM}: SECRET_KEY is not set: using a key for this run only.", file=sys.stderr)


def refuse(message: str) -> NoReturn:
    print(f"{PROGRAM}: {message}", file=sys.stderr)
    raise SystemExit(REFUSED)


if __name__ == "__main__":
    main()

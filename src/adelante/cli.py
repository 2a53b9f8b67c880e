"""The `adelante` command: Django's management commands plus the project's own.

Before running a command it makes sure of two things, each said in one line on standard error
with a non-zero exit status rather than a traceback (README, "The command line"):

* the settings load: without ``SECRET_KEY`` a development key is used only where
  `adelante.operations.environment` allows one;
* the embedded database exists: a command other than `migrate` or `restore` never creates an
  empty one by accident; it says where it looked and how to create it.

Every log line of the run carries the run's id (docs/deploy.md, "Logs").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NoReturn

#: Commands that create the database (and the data directory).
CREATES_DATABASE = frozenset({"migrate", "restore"})
#: Django's commands that never open the database.
NO_DATABASE = frozenset(
    {
        "help",
        "version",
        "check",
        "collectstatic",
        "findstatic",
        "compilemessages",
        "makemessages",
        "diffsettings",
        "sendtestemail",
        "startapp",
        "startproject",
    }
)
#: Exit status of a run refused before the command starts (as Django's for a usage error).
REFUSED = 2


def subcommand(argv: Sequence[str]) -> str:
    """The command's name, "help" for none or an option (``--help``, ``--version``)."""
    if len(argv) < 2 or argv[1].startswith("-"):
        return "help"
    return argv[1]


def asks_for_help(argv: Sequence[str]) -> bool:
    return any(arg in {"-h", "--help", "--version"} for arg in argv[2:])


def missing_database(database: Mapping[str, Any]) -> Path | None:
    """The embedded database's file when it does not exist (None for any other database)."""
    if database.get("ENGINE") != "django.db.backends.sqlite3":
        return None
    name = str(database.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    path = Path(name)
    return None if path.exists() else path


def refuse(message: str) -> NoReturn:
    print(f"adelante: {message}", file=sys.stderr)
    raise SystemExit(REFUSED)


def main(argv: Sequence[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    command = subcommand(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adelante.settings")
    from adelante.operations import context, environment

    environment.RUN.command_line = command != "runserver"
    environment.RUN.creates_database = command in CREATES_DATABASE

    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        database = settings.DATABASES["default"]
    except ImproperlyConfigured as exc:
        refuse(str(exc))
    missing = missing_database(database)
    if (
        missing is not None
        and command not in CREATES_DATABASE | NO_DATABASE
        and not asks_for_help(argv)
    ):
        refuse(
            f"no database at {missing} (the data directory is ADELANTE_DATA_DIR, or the "
            "installation's var/); create it with `adelante migrate`, or point "
            "ADELANTE_DATA_DIR or DATABASE_URL at the existing one."
        )

    from django.core.management import execute_from_command_line

    with context.run(f"adelante {command}"):
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()

"""Where the data lives and which secret key to use, decided before Django's settings load.

Read by `adelante.settings`, by the `adelante` command (`adelante.cli`) and by the demo; it
imports nothing of Django's settings, so the command can ask it before configuring Django.

**The data directory** (the embedded SQLite database, uploaded files, collected static files):
``ADELANTE_DATA_DIR`` if set; otherwise the installation's own ``var/``: the ``var/`` folder at
the top of a source checkout (where `scripts/demo.sh` puts its database) when Adelante runs
from one, or ``<python prefix>/var/adelante`` (the virtual environment's) when it is installed
as a package. Never the current folder: the same command gives the same answer from anywhere.

**A development secret key** is used when ``SECRET_KEY`` is not set, and only when

1. ``DEBUG`` is on, or
2. ``ADELANTE_ENV=development``, or
3. a command-line run (the `adelante` command, not the web server, not `runserver`) finds a
   development key already kept in the data directory: one that a run under 1 or 2 (such as
   `scripts/demo.sh`) made there.

``ADELANTE_ENV=production`` turns all three off. The key is kept in ``<data dir>/secret_key``
(so sessions survive a restart) when the data directory exists, and is said once, one line on
standard error. Anywhere else a missing ``SECRET_KEY`` is an error, said in one line.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: The key file's name in the data directory.
KEY_FILE = "secret_key"
#: Set in the environment once the development key has been said, so that the processes a run
#: starts (runserver's, a subprocess) do not say it again.
SAID = "ADELANTE_DEVELOPMENT_KEY_SAID"


@dataclass
class Run:
    """What kind of run this process is; the `adelante` command fills it in before the settings
    load (the web server leaves it as it is)."""

    command_line: bool = False
    #: The command creates the database (`migrate`, `restore`, the demo): the data directory
    #: may be made.
    creates_database: bool = False


RUN = Run()


def installation_data_dir() -> Path:
    """The installation's `var/`: a source checkout's top folder, or the Python prefix's."""
    checkout = PACKAGE_DIR.parents[1]
    if PACKAGE_DIR.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    return Path(sys.prefix) / "var" / "adelante"


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    given = environ.get("ADELANTE_DATA_DIR", "")
    return (Path(given).expanduser() if given else installation_data_dir()).resolve()


def flag(environ: Mapping[str, str], name: str, default: bool) -> bool:
    value = environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def deployment(environ: Mapping[str, str] = os.environ) -> str:
    """``ADELANTE_ENV``: "development", "production" or "" (not said)."""
    value = environ.get("ADELANTE_ENV", "").strip().lower()
    if value not in {"", "development", "production"}:
        raise ImproperlyConfigured(
            f"ADELANTE_ENV is {value!r}: it may be 'development', 'production' or unset."
        )
    return value


def secret_key(
    environ: Mapping[str, str] = os.environ, *, debug: bool, directory: Path, run: Run = RUN
) -> str:
    """SECRET_KEY, or a development key where one is acceptable (see the module's text)."""
    key = environ.get("SECRET_KEY", "")
    if key:
        return key
    env = deployment(environ)
    key_file = directory / KEY_FILE
    development = env != "production" and (
        debug or env == "development" or (run.command_line and key_file.is_file())
    )
    if not development:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (in the environment, e.g. the service's "
            "environment file); for development only, set DEBUG=1 or ADELANTE_ENV=development."
        )
    if key_file.is_file():
        kept = key_file.read_text(encoding="utf-8").strip()
        where = f"the development key kept in {key_file}"
    elif directory.is_dir():
        kept = secrets.token_urlsafe(50)
        key_file.write_text(kept, encoding="utf-8")
        key_file.chmod(0o600)
        where = f"a new development key, kept in {key_file}"
    else:
        kept = secrets.token_urlsafe(50)
        where = "a development key for this run only (the data directory does not exist yet)"
    if not environ.get(SAID):
        print(f"adelante: SECRET_KEY is not set: using {where}.", file=sys.stderr)
        os.environ[SAID] = "1"
    return kept

"""`python -m adelante.demo`: migrate, load the real public record and the synthetic second
initiative, print a staff login, serve.

What `scripts/demo.sh` runs after installing. It runs with the production settings (the demo
is no app of its own: nothing here is installed in a deployment) and only the project's
ordinary commands: `migrate`, `import record` (which changes nothing when run again),
`initiative create` and `import commitments|statements` for the second initiative
(adelante.demo.second_initiative; again, nothing twice), `runserver`, and `worker` (in a
second process) for the background jobs.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

DEMO_STAFF = "demo-staff"


@dataclass(frozen=True)
class StaffLogin:
    username: str
    password: str


#: Where the demo keeps its staff password, in the data directory (beside the database).
PASSWORD_FILE = "demo-staff-password"


def demo_password(directory: Path) -> str:
    """The demo's staff password: made once, at random, and kept in the data directory
    (readable by its owner only), so every run prints the same one."""
    kept = directory / PASSWORD_FILE
    if kept.exists():
        password = kept.read_text(encoding="utf-8").strip()
        if password:
            return password
    password = secrets.token_urlsafe(12)
    directory.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(password + "\n")
    return password


def demo_staff_login() -> StaffLogin:
    """A staff account for the demo's admin, with the same password every run
    (`demo_password`)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model

    password = demo_password(Path(settings.DATA_DIR))
    user, _created = get_user_model().objects.get_or_create(username=DEMO_STAFF)
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    return StaffLogin(DEMO_STAFF, password)


def _exit(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "adelante.settings")
    import django
    from django.core.exceptions import ImproperlyConfigured

    from adelante.operations import environment

    # The demo creates its database (and the data directory) on purpose.
    environment.RUN.creates_database = True
    try:
        django.setup()
    except ImproperlyConfigured as exc:
        raise SystemExit(f"adelante: {exc}") from None
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.core.management.color import color_style
    from django.utils.translation import gettext as _

    from adelante.demo.second_initiative import load_second_initiative
    from adelante.initiatives.founding import found_first_initiative

    parser = argparse.ArgumentParser(
        prog="python -m adelante.demo",
        description=_("Load the real public record into this database and serve the portal."),
    )
    parser.add_argument(
        "--addrport", default="127.0.0.1:8000", help=_("Where to serve (default %(default)s).")
    )
    parser.add_argument("--no-serve", action="store_true", help=_("Load the record, then stop."))
    options = parser.parse_args(argv)

    call_command("migrate", interactive=False, verbosity=0)
    # The migration made the primary initiative; a database emptied since gets it again.
    found_first_initiative(reason="the demo's record")
    call_command("import", "record")
    try:
        load_second_initiative(sys.stdout)
    except CommandError as refused:
        # The real record is loaded: serve it, and say plainly what was not loaded and why
        # (the import printed each problem above).
        print(
            color_style().WARNING(
                _("The second demo initiative was not loaded: %(reason)s") % {"reason": refused}
            ),
            file=sys.stderr,
            flush=True,
        )
    login = demo_staff_login()
    address = options.addrport
    print(color_style().SUCCESS(_("Portal: http://%(address)s/") % {"address": address}))
    print(
        _("Admin: http://%(address)s/en/admin/ (user %(user)s, password %(password)s)")
        % {"address": address, "user": login.username, "password": login.password},
        flush=True,
    )
    if not options.no_serve:
        # The background jobs (the staff's web imports) run in a worker beside the server;
        # it stops with the server (Ctrl+C, or SIGTERM: made an exit so `finally` runs).
        signal.signal(signal.SIGTERM, _exit)
        worker = subprocess.Popen(
            [sys.executable, "-m", "adelante.cli", "worker", "--no-reload", "--verbosity", "0"]
        )
        try:
            call_command("runserver", address, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=30)


if __name__ == "__main__":
    main()

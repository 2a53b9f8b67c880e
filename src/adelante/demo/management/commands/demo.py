"""`adelante demo`: migrate, load the real public record, print a staff login and serve."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from adelante.demo.loader import demo_staff_login, load_real_record


class Command(BaseCommand):
    help = _("Load the real public record into this database and serve the portal.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--addrport", default="127.0.0.1:8000", help=_("Where to serve (default %(default)s).")
        )
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Load the record, then stop.")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        for line in load_real_record():
            self.stdout.write(line)
        login = demo_staff_login()
        address = options["addrport"]
        self.stdout.write(
            self.style.SUCCESS(_("Portal: http://%(address)s/") % {"address": address})
        )
        self.stdout.write(
            _("Admin: http://%(address)s/en/admin/ (user %(user)s, password %(password)s)")
            % {"address": address, "user": login.username, "password": login.password}
        )
        if not options["no_serve"]:
            call_command("runserver", address, use_reloader=False)

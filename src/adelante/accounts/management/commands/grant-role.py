"""`adelante grant-role USER ROLE [--partner SLUG] [--revoke]`: give (or take) a role.

The first secretariat admin: ``adelante createsuperuser`` then
``adelante grant-role USER secretariat-admin`` (README, "Roles and accounts").
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from adelante.accounts import grants


class Command(BaseCommand):
    help = "Give a user a role (or take it away with --revoke)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="username")
        parser.add_argument("role", choices=sorted(grants.ROLES))
        parser.add_argument("--partner", help="the organisation's slug (partner roles)")
        parser.add_argument("--revoke", action="store_true", help="take the role away")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user {options['user']!r}.")
        try:
            if options["revoke"]:
                grants.revoke(user, options["role"], partner_slug=options["partner"])
            else:
                grants.grant(user, options["role"], partner_slug=options["partner"])
        except grants.GrantError as exc:
            raise CommandError(str(exc)) from None
        verb = "revoked from" if options["revoke"] else "granted to"
        self.stdout.write(f"{options['role']} {verb} {user.get_username()}")

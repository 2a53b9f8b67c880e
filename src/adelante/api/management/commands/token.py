"""`adelante token create USERNAME`, `adelante token list [USERNAME]`, `adelante token revoke
PREFIX`: per-user API tokens (docs/api.md, "Tokens")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from adelante.api.models import ApiToken
from adelante.api.tokens import PREFIX_LENGTH, create_token, hash_key, revoke


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,revoke}"
        )
        create = actions.add_parser("create", help="create a token for a user and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        listing = actions.add_parser("list", help="list tokens (never the tokens themselves)")
        listing.add_argument("username", nargs="?")
        revoking = actions.add_parser("revoke", help="revoke the token starting with PREFIX")
        revoking.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(options["username"], options["name"])
        elif action == "list":
            self._list(options.get("username"))
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("no user named “%(name)s”") % {"name": username})
        new = create_token(user, name)
        self.stderr.write(
            _("Token for %(user)s (shown once; keep it secret):") % {"user": username}
        )
        self.stdout.write(new.key)

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            state = _("revoked") if token.revoked else _("active")
            used = token.last_used.isoformat() if token.last_used else _("never used")
            self.stdout.write(
                f"{token.prefix}…  {token.user.get_username()}  {token.name or '-'}  "
                f"{token.created:%Y-%m-%d}  {used}  {state}"
            )

    def _revoke(self, prefix: str) -> None:
        """Revoke by the prefix `list` shows, or by the whole token."""
        active = ApiToken.objects.filter(revoked=None)
        if len(prefix) > PREFIX_LENGTH:
            matching = list(active.filter(key_hash=hash_key(prefix)))
        else:
            matching = list(active.filter(prefix=prefix))
        if len(matching) != 1:
            raise CommandError(
                _("%(count)d active tokens match “%(prefix)s”")
                % {"count": len(matching), "prefix": prefix}
            )
        revoke(matching[0])
        self.stdout.write(_("Revoked %(prefix)s…") % {"prefix": matching[0].prefix})

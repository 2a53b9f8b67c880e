"""`adelante token create USERNAME`, `adelante token list [USERNAME]`, `adelante token rotate
PREFIX`, `adelante token revoke PREFIX`: per-user API tokens (docs/api.md, "Tokens")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from adelante.api.models import ApiToken
from adelante.api.tokens import PREFIX_LENGTH, create_token, hash_key, revoke, rotate, state
from adelante.errors import ServiceError


class Command(BaseCommand):
    help = "Create, list or revoke API tokens."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,rotate,revoke}"
        )
        create = actions.add_parser("create", help="create a token for a user and print it once")
        create.add_argument("username")
        create.add_argument("--name", default="", help="what the token is for")
        create.add_argument(
            "--days", type=int, default=None, help="how long it works (ADELANTE_API_TOKEN_DAYS)"
        )
        rotating = actions.add_parser(
            "rotate", help="issue a new token in place of the one starting with PREFIX"
        )
        rotating.add_argument("prefix")
        rotating.add_argument(
            "--overlap-hours",
            type=int,
            default=None,
            help="how long the old token keeps working (ADELANTE_API_TOKEN_ROTATION_OVERLAP_HOURS)",
        )
        listing = actions.add_parser("list", help="list tokens (never the tokens themselves)")
        listing.add_argument("username", nargs="?")
        revoking = actions.add_parser("revoke", help="revoke the token starting with PREFIX")
        revoking.add_argument("prefix")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(options["username"], options["name"], options["days"])
        elif action == "rotate":
            self._rotate(options["prefix"], options["overlap_hours"])
        elif action == "list":
            self._list(options.get("username"))
        else:
            self._revoke(options["prefix"])

    def _create(self, username: str, name: str, days: int | None) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("no user named “%(name)s”") % {"name": username})
        if days is not None and days < 1:
            raise CommandError(_("--days must be 1 or more"))
        new = create_token(user, name, days=days)
        self._show(new.key, username, new.token.expires)

    def _show(self, key: str, username: str, expires: Any) -> None:
        self.stderr.write(
            _("Token for %(user)s, valid until %(expires)s (shown once; keep it secret):")
            % {"user": username, "expires": f"{expires:%Y-%m-%d %H:%M %Z}"}
        )
        self.stdout.write(key)

    def _rotate(self, prefix: str, overlap_hours: int | None) -> None:
        old = self._one(prefix)
        try:
            new = rotate(token=old, overlap_hours=overlap_hours)
        except ServiceError as error:
            raise CommandError(error.message) from None
        if old.revoked is not None:
            ending = _("%(prefix)s… is revoked.") % {"prefix": old.prefix}
        else:
            ending = _("%(prefix)s… keeps working until %(until)s.") % {
                "prefix": old.prefix,
                "until": f"{old.expires:%Y-%m-%d %H:%M %Z}",
            }
        self.stderr.write(ending)
        self._show(new.key, old.user.get_username(), new.token.expires)

    def _one(self, prefix: str) -> ApiToken:
        """The one active token with this prefix (as `list` shows it), or this whole token."""
        active = ApiToken.objects.filter(revoked=None).select_related("user")
        if len(prefix) > PREFIX_LENGTH:
            matching = list(active.filter(key_hash=hash_key(prefix)))
        else:
            matching = list(active.filter(prefix=prefix))
        if len(matching) != 1:
            raise CommandError(
                _("%(count)d active tokens match “%(prefix)s”")
                % {"count": len(matching), "prefix": prefix}
            )
        return matching[0]

    def _list(self, username: str | None) -> None:
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for token in tokens:
            used = token.last_used.isoformat() if token.last_used else _("never used")
            self.stdout.write(
                f"{token.prefix}…  {token.user.get_username()}  {token.name or '-'}  "
                f"{token.created:%Y-%m-%d}  {used}  "
                + _("expires %(date)s") % {"date": f"{token.expires:%Y-%m-%d}"}
                + f"  {state(token)}"
            )

    def _revoke(self, prefix: str) -> None:
        """Revoke by the prefix `list` shows, or by the whole token."""
        token = self._one(prefix)
        revoke(token)
        self.stdout.write(_("Revoked %(prefix)s…") % {"prefix": token.prefix})

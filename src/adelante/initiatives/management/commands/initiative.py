"""`adelante initiative create --slug … --name … --countries KE,TZ,…` and `adelante initiative
list`: the initiatives an installation hosts (docs/initiatives.md)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from adelante.errors import ServiceError
from adelante.initiatives.founding import Founding, found_initiative, listed_codes
from adelante.initiatives.models import Initiative

HELP = gettext_noop("Create an initiative, or list the initiatives this installation hosts.")


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs plain strings: translate now, in the language that is active.
        self.help = _(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{create,list}")
        create = actions.add_parser(
            "create", help=_("create an initiative with its countries (never the primary one)")
        )
        create.add_argument("--slug", required=True, help=_("its address: /en/i/<slug>/"))
        create.add_argument("--name", required=True, help=_("its name in English"))
        create.add_argument("--name-es", default="", help=_("its name in Spanish"))
        create.add_argument("--description", default="", help=_("a description in English"))
        create.add_argument("--description-es", default="", help=_("a description in Spanish"))
        create.add_argument(
            "--countries",
            required=True,
            help=_("ISO 3166-1 codes separated by commas, in the order pages list them"),
        )
        create.add_argument(
            "--currency", default="USD", help=_("currency for display (default %(default)s)")
        )
        create.add_argument(
            "--synthetic",
            action="store_true",
            help=_("made-up data for demonstration: every page of it says so"),
        )
        create.add_argument(
            "--languages-pending",
            default="",
            help=_("language codes its texts are still to be published in, such as fr"),
        )
        create.add_argument(
            "--if-missing",
            action="store_true",
            help=_("if an initiative with this slug exists, leave it as it is"),
        )
        create.add_argument("--reason", default="", help=_("the reason, kept in the history"))
        actions.add_parser("list", help=_("list the initiatives, primary first"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(options)
        else:
            self._list()

    def _create(self, options: dict[str, Any]) -> None:
        slug = options["slug"]
        if options["if_missing"] and Initiative.objects.filter(slug=slug).exists():
            self.stdout.write(_("Initiative %(slug)s exists; left as it is.") % {"slug": slug})
            return
        founding = Founding(
            slug=slug,
            name=options["name"],
            name_es=options["name_es"],
            description=options["description"],
            description_es=options["description_es"],
            countries=listed_codes(options["countries"]),
            display_currency=options["currency"],
            synthetic=options["synthetic"],
            languages_pending=listed_codes(options["languages_pending"]),
        )
        try:
            made = found_initiative(founding, reason=options["reason"] or None)
        except ServiceError as error:
            raise CommandError("; ".join(self._messages(error)), returncode=1) from None
        self.stdout.write(
            _("Created initiative %(slug)s (%(countries)s).")
            % {"slug": made.slug, "countries": ", ".join(made.country_codes())}
        )

    @staticmethod
    def _messages(error: ServiceError) -> list[str]:
        found = [error.message] if error.message else []
        for field, messages in error.field_errors.items():
            found += [f"{field}: {message}" for message in messages if message != error.message]
        return found or [_("The initiative was refused.")]

    def _list(self) -> None:
        for initiative in Initiative.objects.listed().prefetch_related("countries"):
            labels = []
            if initiative.primary:
                labels.append(_("primary"))
            if initiative.synthetic:
                labels.append(_("synthetic"))
            if initiative.languages_pending:
                labels.append(
                    _("pending: %(languages)s") % {"languages": initiative.languages_pending}
                )
            codes = ",".join(country.code for country in initiative.countries.all())
            self.stdout.write(
                "\t".join(
                    [initiative.slug, initiative.name, codes, initiative.display_currency]
                    + ([", ".join(labels)] if labels else [])
                )
            )

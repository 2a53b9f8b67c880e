"""`adelante initiative create --slug … --name … --countries KE,TZ,…`, `adelante initiative
change SLUG --countries … --name …` and `adelante initiative list`: the initiatives an
installation hosts (docs/initiatives.md)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from adelante.catalogue.models import Metric
from adelante.errors import Invalid, ServiceError
from adelante.initiatives.changing import COUNTRIES, METRICS, do_change_initiative
from adelante.initiatives.founding import Founding, found_initiative, listed_codes
from adelante.initiatives.models import Initiative

HELP = gettext_noop(
    "Create or change an initiative, or list the initiatives this installation hosts."
)


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # argparse needs plain strings: translate now, in the language that is active.
        self.help = _(HELP)
        return super().create_parser(prog_name, subcommand, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(
            dest="action", required=True, metavar="{create,change,list}"
        )
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
            "--logo", metavar="FILE", help=_("its logo: a PNG, JPEG or WebP image (never SVG)")
        )
        create.add_argument(
            "--if-missing",
            action="store_true",
            help=_("if an initiative with this slug exists, leave it as it is"),
        )
        create.add_argument("--reason", default="", help=_("the reason, kept in the history"))
        self._add_change(actions)
        actions.add_parser("list", help=_("list the initiatives, primary first"))

    @staticmethod
    def _add_change(actions: Any) -> None:
        change = actions.add_parser(
            "change", help=_("change an initiative: only the options given change")
        )
        change.add_argument("initiative", metavar="SLUG", help=_("the initiative to change"))
        change.add_argument("--slug", help=_("a new address (only before it has commitments)"))
        change.add_argument("--name", help=_("its name in English"))
        change.add_argument("--name-es", help=_("its name in Spanish"))
        change.add_argument("--description", help=_("a description in English"))
        change.add_argument("--description-es", help=_("a description in Spanish"))
        change.add_argument(
            "--countries",
            help=_(
                "all its countries, ISO 3166-1 codes separated by commas, in the order pages "
                "list them (add, remove or reorder)"
            ),
        )
        change.add_argument("--currency", help=_("currency for display"))
        change.add_argument("--accent-colour", help=_("its colour on its pages, such as #0b5394"))
        change.add_argument(
            "--synthetic",
            action=argparse.BooleanOptionalAction,
            default=None,
            help=_("made-up data for demonstration: every page of it says so"),
        )
        change.add_argument(
            "--languages-pending",
            help=_("language codes its texts are still to be published in (empty: none)"),
        )
        change.add_argument("--position", type=int, help=_("its place in lists"))
        change.add_argument(
            "--primary",
            action="store_true",
            help=_("make it the primary initiative (the present one stops being it)"),
        )
        change.add_argument(
            "--metrics",
            help=_("codes of the catalogue metrics its partners report (empty: every metric)"),
        )
        logo = change.add_mutually_exclusive_group()
        logo.add_argument(
            "--logo", metavar="FILE", help=_("a new logo: a PNG, JPEG or WebP image (never SVG)")
        )
        logo.add_argument("--no-logo", action="store_true", help=_("remove its logo"))
        change.add_argument("--reason", default="", help=_("the reason, kept in the history"))

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "create":
            self._create(options)
        elif action == "change":
            self._change(options)
        else:
            self._list()

    def _create(self, options: dict[str, Any]) -> None:
        slug = options["slug"]
        if options["if_missing"] and Initiative.objects.filter(slug=slug).exists():
            self.stdout.write(_("Initiative %(slug)s exists; left as it is.") % {"slug": slug})
            return
        with self._logo(options["logo"]) as logo:
            self._found(options, logo)

    def _found(self, options: dict[str, Any], logo: File[bytes] | None) -> None:
        founding = Founding(
            slug=options["slug"],
            name=options["name"],
            name_es=options["name_es"],
            description=options["description"],
            description_es=options["description_es"],
            countries=listed_codes(options["countries"]),
            display_currency=options["currency"],
            synthetic=options["synthetic"],
            languages_pending=listed_codes(options["languages_pending"]),
            logo=logo,
        )
        try:
            made = found_initiative(founding, reason=options["reason"] or None)
        except ServiceError as error:
            raise CommandError("; ".join(self._messages(error)), returncode=1) from None
        self.stdout.write(
            _("Created initiative %(slug)s (%(countries)s).")
            % {"slug": made.slug, "countries": ", ".join(made.country_codes())}
        )

    def _change(self, options: dict[str, Any]) -> None:
        initiative = Initiative.objects.filter(slug=options["initiative"]).first()
        if initiative is None:
            raise CommandError(
                _("No initiative “%(slug)s”; the initiatives are: %(known)s.")
                % {
                    "slug": options["initiative"],
                    "known": ", ".join(Initiative.objects.listed().values_list("slug", flat=True)),
                },
                returncode=1,
            )
        try:
            with self._logo(options["logo"]) as logo:
                changes = self._changes(options)
                if logo is not None:
                    changes["logo"] = logo
                elif options["no_logo"]:
                    changes["logo"] = False  # cleared, as a form's "clear" box
                edit = do_change_initiative(
                    initiative=initiative, changes=changes, reason=options["reason"], by=None
                )
        except ServiceError as error:
            raise CommandError("; ".join(self._messages(error)), returncode=1) from None
        changed = ", ".join(edit.changed) or _("nothing")
        self.stdout.write(
            _("Changed initiative %(slug)s: %(changed)s.")
            % {"slug": edit.record.slug, "changed": changed}  # type: ignore[attr-defined]
        )

    @staticmethod
    @contextmanager
    def _logo(path: str | None) -> Iterator[File[bytes] | None]:
        """The logo file named, open while the service reads it (it checks what it is and its
        size); a file that cannot be opened is one line, nothing written."""
        if path is None:
            yield None
            return
        try:
            opened = Path(path).open("rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise CommandError(
                _("Cannot read the logo %(path)s: %(reason)s.")
                % {"path": path, "reason": error.strerror or error},
                returncode=1,
            ) from None
        with opened:
            yield File(opened, name=Path(path).name)

    @staticmethod
    def _changes(options: dict[str, Any]) -> dict[str, Any]:
        """The options given, as the change service's fields."""
        names = {
            "slug": "slug",
            "name": "name",
            "name_es": "name_es",
            "description": "description",
            "description_es": "description_es",
            "currency": "display_currency",
            "accent_colour": "accent_colour",
            "synthetic": "synthetic",
            "languages_pending": "languages_pending",
            "position": "position",
        }
        changes = {
            field: options[option] for option, field in names.items() if options[option] is not None
        }
        if options["primary"]:
            changes["primary"] = True
        if options["countries"] is not None:
            changes[COUNTRIES] = listed_codes(options["countries"])
        if options["metrics"] is not None:
            codes = listed_codes(options["metrics"])
            metrics = list(Metric.objects.filter(code__in=codes))
            unknown = sorted(set(codes) - {metric.code for metric in metrics})
            if unknown:
                raise Invalid(
                    field_errors={
                        METRICS: [
                            _("No catalogue metric %(codes)s.") % {"codes": ", ".join(unknown)}
                        ]
                    }
                )
            changes[METRICS] = metrics
        return changes

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

"""`adelante report progress|round|partner`: a document from the record, in a language and
format, reproducible from the history with --recorded-on."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_initiative_option,
    iso_date,
)
from adelante.reports.build import LANGUAGES, generate
from adelante.reports.editions import KINDS, PROGRESS, ROUND, ReportError
from adelante.reports.render import FORMATS


class Command(InitiativeCommand):
    help = _(
        "Generate a progress report, a round fact sheet (ROUND: slug or label) or a partner "
        "scorecard (PARTNER: slug, name or alias) as HTML, PDF or DOCX."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=KINDS, help=_("Which document."))
        parser.add_argument(
            "subject", nargs="?", default="", help=_("The round or the partner it is about.")
        )
        parser.add_argument(
            "--as-of",
            default=None,
            help=_("Figures as of this date (default: today; a round sheet uses its own date)."),
        )
        parser.add_argument(
            "--recorded-on",
            default=None,
            help=_("Regenerate from the record as it stood at the end of this day."),
        )
        add_initiative_option(parser)
        parser.add_argument("--lang", choices=LANGUAGES, default="en", help=_("Language."))
        parser.add_argument("--format", choices=FORMATS, default="html", help=_("File format."))
        parser.add_argument(
            "--output", default=None, help=_("File to write (default: a name in this folder).")
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Dates are read here, not by the option parser, so a bad one is exit status 1 too.
        dates = {}
        for name in ("as_of", "recorded_on"):
            try:
                dates[name] = iso_date(options[name]) if options[name] else None
            except argparse.ArgumentTypeError as exc:
                raise CommandError(str(exc)) from exc
        kind: str = options["kind"]
        subject: str = options["subject"] or ""
        if kind == PROGRESS and subject:
            raise CommandError(_("A progress report takes no round or partner name."))
        if kind == ROUND and dates["as_of"] is not None:
            raise CommandError(_("A round fact sheet is always as of the round's own date."))
        output = Path(options["output"]) if options["output"] else None
        if output is not None:
            self._check_writable(output)
        try:
            result = generate(
                kind,
                subject,
                as_of=dates["as_of"],
                recorded_on=dates["recorded_on"],
                language=options["lang"],
                fmt=options["format"],
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        path = output or Path(result.filename)
        try:
            path.write_bytes(result.content)
        except OSError as exc:
            raise CommandError(
                _("Cannot write %(path)s: %(reason)s") % {"path": path, "reason": exc.strerror}
            ) from exc
        edition = result.edition
        self.stdout.write(
            _("Wrote %(path)s: as of %(as_of)s, recorded on %(recorded_on)s, sha256 %(checksum)s")
            % {
                "path": path,
                "as_of": edition.as_of.isoformat(),
                "recorded_on": edition.recorded_on.isoformat(),
                "checksum": edition.checksum,
            }
        )

    def _check_writable(self, path: Path) -> None:
        """Fail before the work, with a plain reason, when the file cannot be written."""
        if path.is_dir():
            raise CommandError(_("Cannot write %(path)s: it is a folder.") % {"path": path})
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise CommandError(
                _("Cannot write %(path)s: the folder %(folder)s does not exist.")
                % {"path": path, "folder": folder}
            )
        target = path if path.exists() else folder
        if not os.access(target, os.W_OK):
            raise CommandError(_("Cannot write %(path)s: permission denied.") % {"path": path})

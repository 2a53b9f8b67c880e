"""`adelante backup --output DIR`: the database and the stored files, with a manifest of
checksums (docs/deploy.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from adelante.errors import ServiceError
from adelante.operations.backup import create_backup


class Command(BaseCommand):
    help = _(
        "Back up the database (in its engine's own format) and the stored files into a new "
        "folder, with a manifest of their checksums."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            required=True,
            help=_("the folder to write (new, or empty)"),
        )

    def handle(self, *args: Any, output: Path, **options: Any) -> None:
        try:
            manifest = create_backup(output=output, progress=True)
        except ServiceError as error:
            raise CommandError(error.message) from None
        files = manifest["files"]
        self.stdout.write(
            _(
                "Backed up the %(engine)s database (%(migrations)d migrations applied) and "
                "%(files)d files (%(bytes)d bytes) to %(path)s"
            )
            % {
                "engine": manifest["database"]["engine"],
                "migrations": len(manifest["migrations"]),
                "files": len(files),
                "bytes": sum(f["size"] for f in files),
                "path": output,
            }
        )

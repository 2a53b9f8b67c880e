"""`adelante restore DIR [--force]`: a backup put back into an empty database and storage
(docs/deploy.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from adelante.errors import ServiceError
from adelante.operations.backup import restore_backup


class Command(BaseCommand):
    help = _(
        "Restore a backup made by `adelante backup` into an empty database and file storage, "
        "after checking every file against the manifest."
    )
    # The database may be empty: nothing to check against it before restoring.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help=_("the backup's folder"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("replace what the database and the storage hold"),
        )

    def handle(self, *args: Any, directory: Path, force: bool, **options: Any) -> None:
        try:
            manifest = restore_backup(directory=directory, force=force, progress=True)
        except ServiceError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            _("Restored the %(engine)s database of %(date)s and %(files)d files from %(path)s")
            % {
                "engine": manifest["database"]["engine"],
                "date": manifest["created_at"],
                "files": len(manifest["files"]),
                "path": directory,
            }
        )
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                _("The backup is older than this version: run `adelante migrate` next.")
            )

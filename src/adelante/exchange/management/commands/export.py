"""`adelante export csv|xlsx|json|datapackage|template --output PATH [--as-of D]` (docs/exports.md).

`csv` writes a ZIP archive when PATH ends in .zip, otherwise a folder of CSV files. The IATI
export (`adelante export iati`) comes from `adelante.iati.cli` when that app is installed.
"""

from __future__ import annotations

import datetime
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from tqdm import tqdm

from adelante.exchange import exports
from adelante.exchange.datapackage import datapackage_zip
from adelante.exchange.template import write_template
from adelante.figures.management.commands._options import (
    InitiativeCommand,
    add_initiative_option,
)

try:  # the IATI export is another part of the project (adelante.iati)
    from adelante.iati import cli as iati_cli
except ImportError:  # pragma: no cover - without the IATI app
    iati_cli = None  # type: ignore[assignment]

FORMATS = {
    "csv": "the published record, one CSV file per table (a folder, or a .zip)",
    "xlsx": "the published record, one sheet per table",
    "json": "the published record as one JSON document",
    "datapackage": "a Frictionless data package: CSV files, datapackage.json (English, Spanish)",
    "template": "the XLSX template for importing commitments (drop-down lists, examples)",
}


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            _("--as-of: “%(value)s” is not a date (YYYY-MM-DD)") % {"value": text}
        ) from None


class Command(InitiativeCommand):
    help = "Export the published record (CSV, XLSX, JSON, data package) or the import template."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="what", required=True)
        for name, help_text in FORMATS.items():
            sub = kinds.add_parser(name, help=help_text, description=help_text)
            sub.add_argument("--output", "-o", required=True, type=Path, help="where to write")
            # The template's countries are the initiative's too.
            add_initiative_option(sub)
            if name != "template":
                sub.add_argument(
                    "--as-of", type=_date, default=None, help="only what was announced by this date"
                )
        if iati_cli is not None:
            iati = kinds.add_parser("iati", help=str(iati_cli.EXPORT_HELP))
            iati_cli.add_export_arguments(iati)

    def handle(self, *args: Any, what: str, **options: Any) -> None:
        if what == "iati":
            assert iati_cli is not None
            iati_cli.run_export(self, options)
            return
        output: Path = options["output"]
        if what == "template":
            write_template(output)
            self.stdout.write(_("Wrote the import template to %(path)s") % {"path": output})
            return
        as_of = options.get("as_of")
        total = exports.total_rows(as_of)
        bar = tqdm(total=total, unit=" rows", desc=f"export {what}", file=sys.stderr, disable=None)
        with bar:
            try:
                self._write(what, output, as_of, bar.update)
            except exports.ExportTooLarge as exc:
                raise CommandError(str(exc)) from None
        self.stdout.write(_("Exported %(rows)d rows to %(path)s") % {"rows": total, "path": output})

    @staticmethod
    def _write(what: str, output: Path, as_of: datetime.date | None, progress: Any) -> None:
        if what == "csv" and output.suffix.lower() != ".zip":
            exports.write_csv_folder(output, as_of, progress)
            return
        if what == "xlsx":
            exports.write_xlsx(output, as_of, progress)
            return
        output.parent.mkdir(parents=True, exist_ok=True)
        if what == "json":
            with output.open("w", encoding="utf-8") as f:
                for part in exports.json_stream(as_of, progress):
                    f.write(part)
            return
        stream = (
            datapackage_zip(as_of, progress)
            if what == "datapackage"
            else exports.csv_zip(as_of, progress)
        )
        with output.open("wb") as f:
            for chunk in stream:
                f.write(chunk)

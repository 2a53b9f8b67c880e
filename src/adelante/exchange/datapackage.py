"""The Frictionless data package: `datapackage.json` describing every CSV table, with a data
dictionary in English and Spanish (`title`/`description` in English, `title_es`/
`description_es` in Spanish, on the package, each resource and each field), zipped with the
CSV files and `data_dictionary.csv`."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from adelante.exchange.exports import Progress, _noop, csv_zip
from adelante.exchange.tables import TABLES, Table, in_language
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative

LICENSE = {"name": "CC-BY-4.0", "path": "https://creativecommons.org/licenses/by/4.0/"}


# The initiative's name in each language (the initiative in scope: the package is its).
TITLE = _("Commitments to %(initiative)s: the published record")
DESCRIPTION = _(
    "Commitments of companies and organisations to %(initiative)s, their sources, "
    "verified progress, the official statements and the public log of corrections, as "
    "published by Adelante. Confidential amounts are withheld (qualifier 'confidential')."
)
DESCRIPTION_AS_OF = _(
    "Commitments of companies and organisations to %(initiative)s, their sources, "
    "verified progress, the official statements and the public log of corrections, as "
    "published by Adelante, as of %(date)s. Confidential amounts are withheld (qualifier "
    "'confidential')."
)


def _name(initiative: Initiative, language: str) -> str:
    return (initiative.name_es or initiative.name) if language == "es" else initiative.name


def _description(language: str, as_of: datetime.date | None, initiative: Initiative) -> str:
    name = _name(initiative, language)
    if as_of is None:
        return in_language(language, DESCRIPTION) % {"initiative": name}
    return in_language(language, DESCRIPTION_AS_OF) % {
        "date": as_of.isoformat(),
        "initiative": name,
    }


def descriptor(as_of: datetime.date | None) -> dict[str, Any]:
    initiative = scope.initiative_or_primary()
    return {
        "profile": "tabular-data-package",
        "name": f"adelante-{initiative.slug}",
        "title": in_language("en", TITLE) % {"initiative": _name(initiative, "en")},
        "title_es": in_language("es", TITLE) % {"initiative": _name(initiative, "es")},
        "description": _description("en", as_of, initiative),
        "description_es": _description("es", as_of, initiative),
        "created": timezone.now().isoformat(timespec="seconds"),
        # The initiative's currency for display (ISO 4217): its pages show totals in it too;
        # every amount here is in US$, and the rates table holds the rates.
        "display_currency": initiative.display_currency,
        "licenses": [LICENSE],
        "resources": [_resource(table) for table in TABLES],
    }


def _resource(table: Table) -> dict[str, Any]:
    fields = []
    for column in table.columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "title": column.title_en,
            "title_es": column.title_es,
        }
        if column.description_en:
            field["description"] = column.description_en
            field["description_es"] = column.description_es
        if column.type == "number":
            field["bareNumber"] = True
        fields.append(field)
    return {
        "name": table.name.replace("_", "-"),
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "title": table.title_en,
        "title_es": table.title_es,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, "missingValues": [""]},
    }


def dictionary_csv() -> str:
    """The data dictionary as a table: one row per field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        ["table", "field", "type", "title_en", "title_es", "description_en", "description_es"]
    )
    for table in TABLES:
        for c in table.columns:
            writer.writerow(
                [
                    table.name,
                    c.name,
                    c.type,
                    c.title_en,
                    c.title_es,
                    c.description_en,
                    c.description_es,
                ]
            )
    return buffer.getvalue()


def datapackage_zip(as_of: datetime.date | None, progress: Progress = _noop) -> Iterator[bytes]:
    extra = [
        ("datapackage.json", json.dumps(descriptor(as_of), ensure_ascii=False, indent=2) + "\n"),
        ("data_dictionary.csv", dictionary_csv()),
    ]
    return csv_zip(as_of, progress, extra=extra)

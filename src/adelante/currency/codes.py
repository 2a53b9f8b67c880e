"""The currencies an initiative may be shown in: ISO 4217 codes, as data.

The list ships with the package (`data/currencies.csv`, built from IATI's Currency codelist,
which replicates ISO 4217, by `scripts/build_code_lists.py currencies`; names from CLDR), so a code
typed for an initiative is checked against the standard, not only its shape.
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

_LIST = Path(__file__).resolve().parent / "data" / "currencies.csv"


@cache
def code_list() -> dict[str, tuple[str, str]]:
    """Every known code, with its names in English and Spanish."""
    with _LIST.open(encoding="utf-8") as rows:
        return {row["code"]: (row["name_en"], row["name_es"]) for row in csv.DictReader(rows)}


def is_currency_code(code: str) -> bool:
    """Whether the code (as typed: any case, spaces around) is an ISO 4217 currency's."""
    return code.strip().upper() in code_list()

"""The countries an initiative may name: ISO 3166-1 alpha-2 codes, as data.

The list ships with the package (`data/countries.csv`, built from IATI's Country codelist by
`scripts/build_code_lists.py countries`, names from CLDR), so adding a country to an
initiative is a row in the database, never a code change (docs/initiatives.md).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from adelante.bilingual import reader_language

_LIST = Path(__file__).resolve().parent / "data" / "countries.csv"


@dataclass(frozen=True)
class CountryName:
    code: str
    en: str
    es: str

    def in_language(self, language: str | None = None) -> str:
        return self.es if reader_language(language) == "es" else self.en


@cache
def code_list() -> dict[str, CountryName]:
    """Every known code, with its names."""
    with _LIST.open(encoding="utf-8") as rows:
        return {
            row["code"]: CountryName(row["code"], row["name_en"], row["name_es"])
            for row in csv.DictReader(rows)
        }


def is_country_code(code: str) -> bool:
    return code in code_list()


def country_name(code: str, language: str | None = None) -> str:
    """The country's name in the reader's language; the code itself when it is unknown."""
    known = code_list().get(code.upper())
    return known.in_language(language) if known else code

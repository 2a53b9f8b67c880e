"""Writes the ISO code lists the package ships, from IATI's codelists (which follow the ISO
standards; withdrawn codes left out), with each code's name in English and Spanish from CLDR
(Babel), so names follow the same source as the portal's numbers. Run once when a codelist
changes:

    .venv/bin/python scripts/build_code_lists.py countries ../shared/iati/codelists/Country.xml
    .venv/bin/python scripts/build_code_lists.py currencies ../shared/iati/codelists/Currency.xml

- countries: src/adelante/initiatives/data/countries.csv, ISO 3166-1 alpha-2, what an
  initiative's countries are chosen from;
- currencies: src/adelante/currency/data/currencies.csv, ISO 4217, what an initiative's
  currency for display is chosen from.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel import Locale
from lxml import etree

SRC = Path(__file__).resolve().parent.parent / "src/adelante"

#: Each list: where it is written, the IATI codelist it comes from, and the CLDR names to use.
LISTS = {
    "countries": (SRC / "initiatives/data/countries.csv", "Country.xml", "territories"),
    "currencies": (SRC / "currency/data/currencies.csv", "Currency.xml", "currencies"),
}


def main(kind: str, codelist: str | None = None) -> None:
    out_path, source, names = LISTS[kind]
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(codelist or f"../shared/iati/codelists/{source}", parser).getroot()
    english = getattr(Locale("en"), names)
    spanish = getattr(Locale("es", "419"), names)
    rows = []
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = item.findtext("code", "").strip()
        iati_name = item.findtext("name/narrative", "").strip()
        rows.append((code, english.get(code, iati_name), spanish.get(code, iati_name)))
    with out_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name_en", "name_es"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} {kind} written to {out_path}")


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in LISTS:
        sys.exit(f"usage: build_code_lists.py {{{'|'.join(LISTS)}}} [CODELIST.xml]")
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else None)

"""Writes src/adelante/currency/data/currencies.csv: the ISO 4217 codes an initiative's currency
for display is chosen from (IATI's Currency codelist, which replicates ISO 4217; withdrawn codes
left out), with each currency's name in English and Spanish from CLDR (Babel). Run once when the
codelist changes:

    .venv/bin/python scripts/build_currencies.py ../shared/iati/codelists/Currency.xml
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel import Locale
from lxml import etree

OUT = Path(__file__).resolve().parent.parent / "src/adelante/currency/data/currencies.csv"


def main(codelist: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(codelist, parser).getroot()
    english, spanish = Locale("en").currencies, Locale("es", "419").currencies
    rows = []
    for item in root.iter("codelist-item"):
        if item.get("status") == "withdrawn":
            continue
        code = item.findtext("code", "").strip()
        iati_name = item.findtext("name/narrative", "").strip()
        rows.append((code, english.get(code, iati_name), spanish.get(code, iati_name)))
    with OUT.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["code", "name_en", "name_es"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} currencies written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/iati/codelists/Currency.xml")

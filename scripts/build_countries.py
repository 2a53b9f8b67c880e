"""Writes src/adelante/initiatives/data/countries.csv: the ISO 3166-1 alpha-2 code list an
initiative's countries are chosen from (IATI's Country codelist, which follows ISO 3166-1),
with each country's name in English and Spanish from CLDR (Babel), so that names follow the
same source as the portal's numbers. Run once when the codelist changes:

    .venv/bin/python scripts/build_countries.py ../shared/iati/codelists/Country.xml
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from babel import Locale
from lxml import etree

OUT = Path(__file__).resolve().parent.parent / "src/adelante/initiatives/data/countries.csv"


def main(codelist: str) -> None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    root = etree.parse(codelist, parser).getroot()
    english, spanish = Locale("en").territories, Locale("es", "419").territories
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
    print(f"{len(rows)} countries written to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/iati/codelists/Country.xml")

"""The XLSX template for staff who keep commitments in a spreadsheet: the columns of the
commitments import (docs/import.md), allowed values as drop-down lists, example rows, and a
sheet that explains each column. Staff replace the example rows with their own (the third
example, in quetzales, imports only where a GTQ rate for its date exists).

The countries of the lists and examples are the initiative in scope's (the download's
`?initiative=`, the command's `--initiative`): a template for Kenya's initiative says KE."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.exchange.cells import REGION
from adelante.exchange.commitment_rows import COLUMNS
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import PartnerType

SHEET = "commitments"
#: Rows the drop-down lists cover.
ROWS = 2000

#: Columns with a closed list of values (the importer also accepts case and space variants).
CHOICES: dict[str, list[str]] = {
    "partner_type": list(PartnerType.values),
    "qualifier": list(AmountQualifier.values),
    "kind": list(MoneyKind.values),
    "relation": list(Relation.values),
    "status": list(Status.values),
}
#: Up to this many countries, the countries' list offers every pair too.
PAIRS_UP_TO = 5


def country_values(codes: Sequence[str]) -> list[str]:
    """The countries' drop-down list: each country, each pair (for a few countries), all of
    them, and REGION; for GT, SV, HN: GT, SV, HN, GT;SV, GT;HN, SV;HN, GT;SV;HN, REGION."""
    values = list(codes)
    if len(codes) <= PAIRS_UP_TO:
        values += [f"{a};{b}" for i, a in enumerate(codes) for b in codes[i + 1 :]]
    if len(codes) > 2:
        values.append(";".join(codes))
    return [*values, REGION]


def example_countries(codes: Sequence[str]) -> tuple[str, str]:
    """An example's countries and shares: two of the initiative's (the first and third, as
    "GT;HN", "GT:60;HN:40" for GT, SV, HN), its one ("KE", "KE:100") or none (REGION)."""
    if len(codes) >= 2:
        first, second = codes[0], codes[2] if len(codes) >= 3 else codes[1]
        return f"{first};{second}", f"{first}:60;{second}:40"
    if codes:
        return codes[0], f"{codes[0]}:100"
    return REGION, ""


def choices(codes: Sequence[str]) -> dict[str, list[str]]:
    """Every column with a closed list of values, the countries' being the initiative's."""
    return {**CHOICES, "countries": country_values(codes)}


# The reference and the initiative are what a download writes; a new file has neither.
TEMPLATE_COLUMNS = [c for c in COLUMNS.known if c not in ("reference", "initiative")]

_EXAMPLES: list[dict[str, str]] = [
    {
        "partner": "Example Textiles S.A.",
        "partner_type": "company",
        "announced_on": "2024-03-01",
        "round": "2024-03 Example round",
        "amount_usd": "25000000",
        "countries": "GT;HN",
        "focus": "textile manufacturing / jobs",
        "summary": "Will open a plant employing 2,000 people.",
        "source_url": "https://example.org/announcement",
        "relation": "new",
        "qualifier": "at_least",
        "kind": "capital_investment",
        "title": "New plant",
        "status": "announced",
        "shares": "GT:60;HN:40",
        "partner_identifiers": "GT-NIT-7555605-7",
    },
    {
        "partner": "Example Foundation",
        "partner_type": "foundation",
        "announced_on": "2024-03-01",
        "round": "2024-03 Example round",
        "amount_usd": "",
        "countries": "REGION",
        "focus": "education",
        "summary": "Scholarships for young women; amount not made public.",
        "source_url": "https://example.org/foundation",
        "kind": "programme",
    },
    {
        "partner": "Ejemplo Banco",
        "partner_type": "company",
        "announced_on": "2024-03-01",
        "round": "2024-03 Example round",
        "amount_usd": "",
        "amount": "78125000",
        "currency": "GTQ",
        "countries": "GT",
        "focus": "financial inclusion",
        "summary": "Loans to small businesses (needs a GTQ rate: adelante import rates).",
        "source_url": "https://example.org/banco",
        "kind": "lending",
    },
]


def examples(codes: Sequence[str]) -> list[dict[str, str]]:
    """The example rows, naming the initiative's countries (GT;HN and GT for GT, SV, HN)."""
    countries, shares = example_countries(codes)
    first = codes[0] if codes else REGION
    made = [dict(row) for row in _EXAMPLES]
    made[0].update(countries=countries, shares=shares)
    made[2]["countries"] = first
    return made


def help_rows(codes: Sequence[str] | None = None) -> list[tuple[str, str, str]]:
    codes = initiative_countries() if codes is None else codes
    required = set(COLUMNS.required)
    allowed = {name: ", ".join(values) for name, values in choices(codes).items()}
    shares = example_countries(codes)[1] or "GT:60;SV:40"
    notes = {
        "announced_on": "YYYY-MM-DD",
        "withdrawn_on": "YYYY-MM-DD",
        "amount_usd": _("number, at most 2 decimals; empty when no amount was made public"),
        "amount": _("an amount in another currency, instead of amount_usd"),
        "currency": _("ISO 4217 code of amount, e.g. GTQ"),
        "shares": _("percentages for the countries, adding up to 100, e.g. %(shares)s")
        % {"shares": shares},
        "round": _("the round's label; same date and label = same round"),
        "partner": _("the organisation as the source names it; “Name (Alias)” adds an alias"),
        "partner_identifiers": _(
            "the organisation's identifiers in the org-id.guide form, separated by “;”, "
            "e.g. GT-NIT-7555605-7;XI-LEI-724500PMK2A2M1SQQ228; matched before the name"
        ),
    }
    return [
        (
            name,
            _("required") if name in required else _("optional"),
            allowed.get(name) or notes.get(name, ""),
        )
        for name in TEMPLATE_COLUMNS
    ]


def write_template(target: IO[bytes] | Path, codes: Sequence[str] | None = None) -> None:
    """The template; `codes`: the countries (default: the initiative in scope's)."""
    codes = initiative_countries() if codes is None else codes
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = SHEET
    sheet.append(TEMPLATE_COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for example in examples(codes):
        row = []
        for column in TEMPLATE_COLUMNS:
            cell_value = example.get(column, "")
            row.append(cell_value)
        sheet.append(row)
    # Every cell is text (the importer reads numbers and dates typed as such too).
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"
            cell.number_format = "@"
    # Lists of allowed values: a hidden sheet holds them, the validations point at it.
    lists = workbook.create_sheet("lists")
    for index, (name, values) in enumerate(choices(codes).items(), 1):
        letter = get_column_letter(index)
        lists.cell(row=1, column=index, value=name)
        for offset, value in enumerate(values, 2):
            lists.cell(row=offset, column=index, value=value)
        target_column = get_column_letter(TEMPLATE_COLUMNS.index(name) + 1)
        validation = DataValidation(
            type="list",
            formula1=f"=lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=name not in COLUMNS.required,
            showErrorMessage=name != "countries",  # countries may combine freely
            errorTitle=_("Not an allowed value"),
            error=_("Choose one of the values in the list."),
        )
        validation.add(f"{target_column}2:{target_column}{ROWS}")
        sheet.add_data_validation(validation)
    lists.sheet_state = "hidden"
    for index, column in enumerate(TEMPLATE_COLUMNS, 1):
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(column) + 4)
    sheet.freeze_panes = "A2"
    guide = workbook.create_sheet(_("help"))
    guide.append([_("column"), _("required?"), _("values")])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for line in help_rows(codes):
        guide.append(list(line))
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["C"].width = 90
    workbook.save(target)

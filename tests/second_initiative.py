"""A second initiative made in a test: four countries, one of them outside Central America
(KE, TZ, UG, GT), with its own round, partners and commitments (issue 14: nothing is
Central-American by code)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from adelante.commitments.models import OfficialStatement
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative, InitiativeCountry
from tests import builders

SLUG = "east-africa-pledge"
NAME = "East Africa Pledge"
NAME_ES = "Compromiso de África Oriental"
COUNTRIES = ("KE", "TZ", "UG", "GT")
#: Its round's day: no round of the primary initiative's record is on it.
ON = datetime.date(2024, 4, 16)


def second_initiative() -> Initiative:
    scope.primary()  # the primary initiative exists first, as in any installation
    made = Initiative.objects.create(
        slug=SLUG, name=NAME, name_es=NAME_ES, position=1, synthetic=True
    )
    for position, code in enumerate(COUNTRIES):
        InitiativeCountry.objects.create(initiative=made, code=code, position=position)
    return made


def second_record(initiative: Initiative) -> dict[str, Any]:
    """Its commitments (one partner shared with the primary initiative's record: Shared Co)."""
    with scope.within(initiative):
        made = {
            "kenya": builders.commitment("Nairobi Mills", "2000000", ON, countries=("KE",)),
            "split": builders.commitment(
                "Shared Co", "3000000", ON, countries={"TZ": Decimal(50), "UG": Decimal(50)}
            ),
            "regional": builders.commitment("Lake Region Trust", "500000", ON, countries=()),
            "guatemala": builders.commitment("Quetzal Foods", "700000", ON, countries=("GT",)),
        }
        made["statement"] = OfficialStatement.objects.create(
            stated_on=ON, metric="cumulative_committed_usd", value=Decimal(6200000), unit="USD",
            qualifier="exact", source_url="https://example.org/eap", figure="committed_usd",
        )  # fmt: skip
    return made


def primary_record() -> dict[str, Any]:
    """A small record of the primary initiative (GT, SV, HN)."""
    day = datetime.date(2021, 5, 27)
    return {
        "gt": builders.commitment("Shared Co", "1000000", day, countries=("GT",)),
        "sv": builders.commitment("Cuscatlan SA", "4000000", day, countries=("SV",)),
    }

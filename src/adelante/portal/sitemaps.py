"""The sitemap (/sitemap.xml): every public page in both languages, each with its other
language as an absolute `hreflang` alternate (django.contrib.sitemaps, i18n).

One set of sections per initiative: the primary initiative's sections keep their names
(`pages`, `rounds`…), another initiative's are named after it (`pages-<slug>`), and list its
pages at its own addresses (/<lang>/i/<slug>/…).
"""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap

from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.portal import published
from adelante.portal.initiatives import address_in


class _Bilingual(Sitemap):  # type: ignore[type-arg]
    # Every page in English and Spanish, each naming the other (and English as x-default).
    i18n = True
    alternates = True
    x_default = True
    view_name = ""

    def __init__(self, initiative: Initiative) -> None:
        self.initiative = initiative

    def location(self, item: str) -> str:
        return address_in(self.initiative, self.view_name, item)


class PagesSitemap(_Bilingual):
    """The portal's sections."""

    priority = 1.0
    changefreq = "daily"

    def items(self) -> list[str]:
        names = [
            "portal:overview",
            "portal:commitments",
            "portal:partners",
            "portal:rounds",
            "portal:countries",
            "portal:methodology",
        ]
        if self.initiative.primary:
            # Pages of the installation, not of an initiative: listed once.
            names += ["exchange:downloads", "portal:initiatives"]
        return names

    def location(self, item: str) -> str:
        return address_in(self.initiative, item)


class CommitmentsSitemap(_Bilingual):
    changefreq = "weekly"
    view_name = "portal:commitment"

    def items(self) -> Any:
        with scope.within(self.initiative):
            found = published.commitments().order_by("reference")
            return list(found.values_list("reference", flat=True))


class PartnersSitemap(_Bilingual):
    changefreq = "weekly"
    view_name = "portal:partner"

    def items(self) -> Any:
        with scope.within(self.initiative):
            return list(published.partners().order_by("slug").values_list("slug", flat=True))


class RoundsSitemap(_Bilingual):
    changefreq = "monthly"
    view_name = "portal:round"

    def items(self) -> Any:
        with scope.within(self.initiative):
            return list(published.rounds().order_by("slug").values_list("slug", flat=True))


class CountriesSitemap(_Bilingual):
    changefreq = "weekly"
    view_name = "portal:country"

    def items(self) -> list[str]:
        return [code.lower() for code in self.initiative.country_codes()]


SECTIONS: dict[str, type[_Bilingual]] = {
    "pages": PagesSitemap,
    "countries": CountriesSitemap,
    "rounds": RoundsSitemap,
    "partners": PartnersSitemap,
    "commitments": CommitmentsSitemap,
}


def sitemaps() -> dict[str, type[Sitemap] | Sitemap]:  # type: ignore[type-arg]
    """Every section of the sitemap, the primary initiative's first."""
    found: dict[str, type[Sitemap] | Sitemap] = {}  # type: ignore[type-arg]
    initiatives = sorted(Initiative.objects.listed(), key=lambda i: not i.primary)
    for initiative in initiatives:
        for name, section in SECTIONS.items():
            key = name if initiative.primary else f"{name}-{initiative.slug}"
            found[key] = section(initiative)
    return found

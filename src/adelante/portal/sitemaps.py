"""The sitemap (/sitemap.xml): every public page in both languages, each with its other
language as an absolute `hreflang` alternate (django.contrib.sitemaps, i18n)."""

from __future__ import annotations

from typing import Any

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from adelante.commitments.publication import (
    published_commitments,
    published_partners,
    published_rounds,
)
from adelante.initiatives.country_keys import initiative_countries


class _Bilingual(Sitemap):  # type: ignore[type-arg]
    # Every page in English and Spanish, each naming the other (and English as x-default).
    i18n = True
    alternates = True
    x_default = True


class PagesSitemap(_Bilingual):
    """The portal's sections."""

    priority = 1.0
    changefreq = "daily"

    def items(self) -> list[str]:
        return [
            "portal:overview",
            "portal:commitments",
            "portal:partners",
            "portal:rounds",
            "portal:countries",
            "portal:methodology",
            "exchange:downloads",
        ]

    def location(self, item: str) -> str:
        return reverse(item)


class CommitmentsSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> Any:
        return published_commitments().order_by("reference").values_list("reference", flat=True)

    def location(self, item: str) -> str:
        return reverse("portal:commitment", args=[item])


class PartnersSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> Any:
        return published_partners().order_by("slug").values_list("slug", flat=True)

    def location(self, item: str) -> str:
        return reverse("portal:partner", args=[item])


class RoundsSitemap(_Bilingual):
    changefreq = "monthly"

    def items(self) -> Any:
        return published_rounds().order_by("slug").values_list("slug", flat=True)

    def location(self, item: str) -> str:
        return reverse("portal:round", args=[item])


class CountriesSitemap(_Bilingual):
    changefreq = "weekly"

    def items(self) -> list[str]:
        # The primary initiative's country pages (the addresses without an initiative in them).
        return [code.lower() for code in initiative_countries()]

    def location(self, item: str) -> str:
        return reverse("portal:country", args=[item])


SITEMAPS: dict[str, type[Sitemap] | Sitemap] = {  # type: ignore[type-arg]
    "pages": PagesSitemap,
    "countries": CountriesSitemap,
    "rounds": RoundsSitemap,
    "partners": PartnersSitemap,
    "commitments": CommitmentsSitemap,
}

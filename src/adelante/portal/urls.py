"""The portal's URLs, under the language prefix (/en/…, /es/…); docs/portal.md lists them.

The primary initiative's pages are at /<lang>/…, any other initiative's at /<lang>/i/<slug>/…
(`for_initiative`); the installation's overview of its initiatives is outside both.
"""

from django.urls import URLPattern, URLResolver, include, path

from adelante.portal.views import (
    cards,
    charts,
    commitment,
    countries,
    explorer,
    installation,
    methodology,
    overview,
    partners,
    rounds,
    search,
)

app_name = "portal"
#: The pages of one initiative's portal.
pages = [
    path("", overview.overview, name="overview"),
    path("commitments/", explorer.explorer, name="commitments"),
    path("commitments/download.csv", explorer.commitments_csv, name="commitments_csv"),
    path("commitments/download.xlsx", explorer.commitments_xlsx, name="commitments_xlsx"),
    path("commitments/<slug:reference>/", commitment.commitment, name="commitment"),
    path("partners/", partners.partners, name="partners"),
    path("partners/<slug:slug>/", partners.partner, name="partner"),
    path("rounds/", rounds.rounds, name="rounds"),
    path("rounds/<slug:slug>/", rounds.round_page, name="round"),
    path("countries/", countries.countries, name="countries"),
    path("countries/<str:code>/", countries.country, name="country"),
    path("methodology/", methodology.methodology, name="methodology"),
    path("search/", search.search_page, name="search"),
    # The picture of each page's headline figure, for shared links (Open Graph, Twitter).
    path("cards/<slug:kind>/<str:key>.png", cards.card, name="card"),
    path("data/<slug:chart>.csv", charts.chart_csv, name="chart_csv"),
    path("data/<slug:chart>.svg", charts.chart_svg, name="chart_svg"),
]


def for_initiative(slug: str | None) -> list[URLPattern | URLResolver]:
    """The portal's URLs with an initiative's pages under i/<slug>/ (None: the primary's,
    unprefixed)."""
    outside = [path("initiatives/", installation.initiatives, name="initiatives")]
    if slug is None:
        return [*outside, *pages]
    return [*outside, path(f"i/{slug}/", include(pages))]


urlpatterns = for_initiative(None)

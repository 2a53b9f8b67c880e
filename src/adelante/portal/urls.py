"""The portal's URLs, under the language prefix (/en/…, /es/…); docs/portal.md lists them."""

from django.urls import path

from adelante.portal.views import (
    cards,
    charts,
    commitment,
    countries,
    explorer,
    methodology,
    overview,
    partners,
    rounds,
    search,
)

app_name = "portal"
urlpatterns = [
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

"""What the charts draw (a true time axis, dates in words, no flat line to today), the map of the
three countries (shading, table, SVG) and the phone-first markup, through the Django client."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation

from adelante.figures.results import Breakdown, BreakdownRow
from adelante.figures.timeline import StatedTotal, Timeline, TimelinePoint
from adelante.money.qualifiers import TotalQualifier
from adelante.portal.charts import CHARTS, timeline_chart
from adelante.portal.country_map import NO_AMOUNT, SHADES, map_areas, map_svg, picture

EXACT = TotalQualifier.EXACT
D1, D2, TODAY = datetime.date(2021, 5, 27), datetime.date(2021, 7, 8), datetime.date(2026, 1, 5)


def point(day: datetime.date, amount: int, rounds: tuple[str, ...] = ("R",)) -> TimelinePoint:
    return TimelinePoint(day, rounds, Decimal(amount), EXACT, 1)


def timeline(*points: TimelinePoint, statements: tuple[StatedTotal, ...] = ()) -> Timeline:
    return Timeline(TODAY, None, points, statements)


def test_the_timeline_is_drawn_on_its_days_with_dates_in_words_in_the_page_language():
    stated = StatedTotal(D2, Decimal(900), "at_least", "https://example.org/s")
    made = timeline(point(D1, 100), point(D2, 300), point(TODAY, 300, ()), statements=(stated,))
    with translation.override("es"):
        drawing = timeline_chart(made, "t")
    itemised, official = drawing["datasets"]
    # Six weeks apart are six weeks apart: the days themselves, not evenly spaced labels.
    assert [p["day"] for p in itemised["points"]] == ["2021-05-27", "2021-07-08"]
    assert itemised["points"][0]["date"] == "27 de mayo de 2021"
    assert official["points"] == [
        {
            "day": "2021-07-08",
            "date": "8 de julio de 2021",
            "value": "900",
            "text": official["points"][0]["text"],
        }
    ]
    assert "900" in official["points"][0]["text"]


def test_no_flat_line_to_today_unless_the_total_changed_after_the_last_round():
    unchanged = timeline_chart(timeline(point(D1, 100), point(TODAY, 100, ())), "t")
    assert [p["day"] for p in unchanged["datasets"][0]["points"]] == ["2021-05-27"]
    withdrawn = timeline_chart(timeline(point(D1, 100), point(TODAY, 40, ())), "t")
    assert [p["day"] for p in withdrawn["datasets"][0]["points"]] == ["2021-05-27", "2026-01-05"]


THREE = ("GT", "SV", "HN")


def breakdown(*rows: BreakdownRow) -> Breakdown:
    return Breakdown("country", TODAY, None, rows, None)


def test_the_map_shades_each_country_by_its_quarter_of_the_largest_amount():
    areas = map_areas(
        breakdown(
            BreakdownRow("GT", Decimal(400), EXACT, 2),
            BreakdownRow("HN", Decimal(90), EXACT, 1),
            BreakdownRow("SV", None, EXACT, 1, suppressed=True),
            BreakdownRow("regional", Decimal(10_000), EXACT, 3),
        ),
        current="HN",
        countries=THREE,
    )
    by_code = {a.code: a for a in areas}
    assert set(by_code) == {"GT", "SV", "HN"}  # the region is not a place on the map
    assert by_code["GT"].fill == SHADES[3]
    assert by_code["HN"].fill == SHADES[0]
    assert by_code["SV"].fill == NO_AMOUNT
    assert by_code["SV"].amount == "withheld (confidential)"
    assert by_code["HN"].current and not by_code["GT"].current
    svg = map_svg(areas, "Map <of> three")
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "Map &lt;of&gt; three" in svg and "<of>" not in svg
    for code in THREE:
        assert picture(("GT", "HN", "SV")).countries[code].path in svg


def test_a_country_with_no_row_is_drawn_without_an_amount():
    areas = map_areas(breakdown(BreakdownRow("GT", Decimal(5), EXACT, 1)), countries=THREE)
    assert {a.code: a.fill for a in areas} == {"GT": SHADES[3], "HN": NO_AMOUNT, "SV": NO_AMOUNT}


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_overview_and_a_country_page_show_the_map_and_its_table(client, record, language):
    for url in (f"/{language}/", f"/{language}/countries/hn/"):
        page = client.get(url).content.decode()
        assert page.count('class="country-map"') == 1, url
        assert "data-map-table" in page
        for name in ("Guatemala", "Honduras", "El Salvador"):
            assert name in page
        assert f"/{language}/data/country-map.svg" in page


@pytest.mark.django_db
@pytest.mark.parametrize("chart", [*CHARTS, "country-map"])
def test_every_chart_downloads_as_svg(client, record, chart):
    response = client.get(f"/es/data/{chart}.svg")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("<svg") and "<title>" in body
    assert "attachment" in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_chart_svg_says_its_labels_in_the_page_language(client, record):
    assert (
        "Comprometido por país" in client.get("/es/data/committed-by-country.svg").content.decode()
    )
    assert (
        "Committed by country" in client.get("/en/data/committed-by-country.svg").content.decode()
    )


@pytest.mark.django_db
def test_svg_of_no_chart_or_a_bad_date(client, record):
    assert client.get("/en/data/no-such-chart.svg").status_code == 404
    assert client.get("/en/data/country-map.svg", {"as_of": "yesterday"}).status_code == 400


@pytest.mark.django_db
def test_the_overview_links_each_chart_and_offers_png_svg_and_csv(client, record):
    page = client.get("/en/", {"as_of": "2022-06-07"}).content.decode()
    for chart in CHARTS:
        assert f'data-png-for="{chart}"' in page
        assert f"/en/data/{chart}.svg?as_of=2022-06-07" in page
        assert f'href="?as_of=2022-06-07#{chart}"' in page


@pytest.mark.django_db
def test_the_explorer_counts_first_and_folds_its_filters(client, record):
    page = client.get("/en/commitments/", {"country": "GT", "kind": "programme"}).content.decode()
    assert page.index('id="results"') < page.index('<form class="filters')
    assert "Filter (2)" in page
    assert "Filtros (0)" in client.get("/es/commitments/").content.decode()


@pytest.mark.django_db
def test_list_cells_carry_their_column_names_for_the_phone_cards(client, record):
    page = client.get("/es/commitments/").content.decode()
    assert 'class="commitments stack"' in page
    assert 'data-label="Monto"' in page and 'data-label="Estado"' in page


def test_a_bar_svg_leaves_room_for_the_longest_amount_beside_the_longest_bar():
    from adelante.portal.chart_svg import WIDTH, bar_svg

    text = "alrededor de US$1,850,000,000"
    drawing = {
        "kind": "bar",
        "title": "t",
        "labels": ["Manufactura y abastecimiento", "Salud"],
        "datasets": [{"label": "x", "values": ["1850000000", "0"], "texts": [text, "US$0"]}],
    }
    svg = bar_svg(drawing)
    bar = re.search(r'<rect x="16" y="[^"]+" width="([^"]+)"', svg)
    assert bar is not None
    assert 16 + float(bar.group(1)) + 6 + len(text) * 7.5 <= WIDTH

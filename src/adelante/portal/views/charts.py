"""Each overview chart's data as CSV, from the same figures call as the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from adelante.figures.committed import committed_by
from adelante.portal.caching import remembered
from adelante.portal.chart_svg import chart_svg as draw_svg
from adelante.portal.charts import CHARTS, chart_drawing, chart_table
from adelante.portal.country_map import map_areas, map_svg
from adelante.portal.downloads import csv_lines, safe_text
from adelante.portal.problems import BadParameters
from adelante.portal.views.common import bad_parameters, date_of
from adelante.recordstate import conditional_on_record


@conditional_on_record
def chart_csv(request: HttpRequest, chart: str) -> HttpResponse:
    if chart not in CHARTS:
        raise Http404(chart)
    try:
        when = date_of(request)
    except BadParameters as problem:
        return bad_parameters(request, problem)
    table = chart_table(chart, when.as_of, when.recorded_on)
    cells = ([safe_text(c) if isinstance(c, str) else c for c in row] for row in table.rows)
    response = HttpResponse(
        "".join(csv_lines(cells, table.columns)), content_type="text/csv; charset=utf-8"
    )
    name = f"{chart}-{when.as_of.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


#: The overview's map of the initiative's countries, downloadable beside the charts.
MAP = "country-map"


def chart_svg(request: HttpRequest, chart: str) -> HttpResponse:
    """A chart (or the map) as an SVG picture, drawn on the server from the same figures."""
    if chart not in CHARTS and chart != MAP:
        raise Http404(chart)
    try:
        when = date_of(request)
    except BadParameters as problem:
        return bad_parameters(request, problem)
    if chart == MAP:
        by_country = remembered(committed_by, "country", when.as_of, recorded_on=when.recorded_on)
        picture = map_svg(
            map_areas(by_country), _("Committed in each of the initiative's countries")
        )
    else:
        picture = draw_svg(chart_drawing(chart, when.as_of, when.recorded_on))
    response = HttpResponse(picture, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart}-{when.as_of.isoformat()}.svg"'
    return response

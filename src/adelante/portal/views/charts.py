"""Each overview chart's data as CSV, from the same figures call as the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from adelante.portal.charts import CHARTS, chart_table
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

"""The commitments explorer: filters, search, sorting and pages, and its downloads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext as _

from adelante.bilingual import as_plain
from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import PUBLISHED_STATUSES, MoneyKind
from adelante.commitments.selectors import CommitmentSort
from adelante.figures.committed import committed_within
from adelante.initiatives.country_keys import key_choices
from adelante.money.formatting import format_number
from adelante.partners.models import Partner, PartnerType
from adelante.portal import downloads, published
from adelante.portal.explorer import PAGE_SIZES, ExplorerQuery, parse, select
from adelante.portal.problems import BadParameters
from adelante.portal.views.common import (
    bad_parameters,
    date_of,
    hidden_params,
    page,
    portal_page,
    read_both,
)
from adelante.recordstate import conditional_on_record


def _choices() -> dict[str, list[tuple[str, str]]]:
    # Country codes in lower case, as the portal's addresses write them (any case is read).
    return {
        "country": [(key.lower(), name) for key, name in key_choices()],
        "focus": [(a.code, a.name) for a in FocusArea.objects.all()],
        "kind": [(k.value, str(k.label)) for k in MoneyKind],
        "partner_type": [(t.value, str(t.label)) for t in PartnerType],
        "status": [(s.value, str(s.label)) for s in PUBLISHED_STATUSES],
        "sort": [(s.value, str(s.label)) for s in CommitmentSort],
        "page_size": [(str(n), str(n)) for n in PAGE_SIZES],
    }


@portal_page
def explorer(request: HttpRequest) -> HttpResponse:
    when, query = read_both(lambda: date_of(request), lambda: parse(request.GET))
    selection = (
        select(query, when.as_of).select_related("partner", "round").prefetch_related("countries")
    )
    paginator = Paginator(selection, query.page_size)
    if query.page > max(paginator.num_pages, 1):
        return page(
            request,
            "portal/404.html",
            {
                "page_out_of_range": True,
                "requested_page": query.page,
                "last_page": paginator.num_pages,
                "last_page_url": _page_url(query, when.query(), paginator.num_pages),
                "first_page_url": _page_url(query, when.query(), 1),
            },
            status=404,
        )
    current = paginator.page(query.page)
    partner = Partner.objects.filter(slug=query.partner).first() if query.partner else None
    # Each round's label in the reader's language; one only in the other language says so,
    # and its option carries that language (an option takes no markup).
    rounds = []
    for the_round in published.rounds().order_by("announced_on", "label"):
        shown = the_round.in_language("label")
        rounds.append((the_round.slug, as_plain(shown), shown.language if shown.fallback else ""))
    # The downloads take the same filters and date, and every page.
    download = urlencode({**query.params(page=1), **when.query()})
    dated = when.query()
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "query": query,
        "page_obj": current,
        "paginator": paginator,
        "choices": _choices(),
        "rounds": rounds,
        "partner": partner,
        "download_query": f"?{download}" if download else "",
        "page_links": _page_links(query, when.query(), current.number, paginator.num_pages),
        # The selection's total, by the figures' rules (restatements count zero, confidential
        # amounts left out): the explorer only asks the figures module.
        "total": committed_within(select(query, when.as_of), when.as_of),
        "headers": _headers(query, dated),
    }
    return page(request, "portal/explorer.html", context)


@dataclass(frozen=True)
class Header:
    """A column header of the explorer's table; a sortable one links to its sort."""

    label: str
    css: str = ""
    #: The URL that sorts by this column (the other way when it is the current sort).
    url: str = ""
    #: What that link does ("Largest amount first"), for screen readers.
    hint: str = ""
    #: aria-sort: "ascending" or "descending" on the current sort's column.
    aria_sort: str = ""


#: The sortable columns: (label, its ascending sort, its descending sort, the sort a first
#: click asks for).
_SORTABLE = {
    "partner": (CommitmentSort.PARTNER, CommitmentSort.PARTNER_DESCENDING),
    "commitment": (CommitmentSort.REFERENCE, CommitmentSort.REFERENCE_DESCENDING),
    "round": (CommitmentSort.OLDEST, CommitmentSort.NEWEST),
    "amount": (CommitmentSort.SMALLEST, CommitmentSort.LARGEST),
}
#: A first click sorts dates and amounts from the largest, names from A.
_FIRST = {"round": 1, "amount": 1}


def _headers(query: ExplorerQuery, dated: dict[str, str]) -> list[Header]:
    labels = {
        "partner": _("Partner"),
        "commitment": _("Commitment"),
        "round": _("Round"),
        "amount": _("Amount"),
        "countries": _("Countries"),
        "status": _("Status"),
    }
    headers = []
    for name, label in labels.items():
        css = "num" if name == "amount" else ""
        if name not in _SORTABLE:
            headers.append(Header(label, css))
            continue
        ways = _SORTABLE[name]
        if query.sort in ways:
            now = ways.index(CommitmentSort(query.sort))
            aria, wanted = ("ascending", "descending")[now], ways[1 - now]
        else:
            aria, wanted = "", ways[_FIRST.get(name, 0)]
        url = "?" + urlencode({**query.params(sort=wanted.value, page=1), **dated})
        headers.append(Header(label, css, url, str(wanted.label), aria))
    return headers


def _page_url(query: ExplorerQuery, dated: dict[str, str], number: int) -> str:
    return "?" + urlencode({**query.params(page=number), **dated})


def _page_links(
    query: ExplorerQuery, dated: dict[str, str], number: int, last: int
) -> list[tuple[int | None, str]]:
    """Page numbers to link to around the current one (None: a gap)."""
    wanted = sorted(
        {1, 2, number - 1, number, number + 1, last - 1, last} & set(range(1, last + 1))
    )
    links: list[tuple[int | None, str]] = []
    previous = 0
    for n in wanted:
        if n - previous > 1:
            links.append((None, ""))
        links.append((n, _page_url(query, dated, n)))
        previous = n
    return links


@conditional_on_record
def commitments_csv(request: HttpRequest) -> HttpResponseBase:
    """The whole selection (every page) as CSV, streamed row by row."""
    try:
        when, query = read_both(lambda: date_of(request), lambda: parse(request.GET))
    except BadParameters as problem:
        return bad_parameters(request, problem)
    url_of = _url_maker(request)
    table = downloads.rows(select(query, when.as_of), url_of)
    response = StreamingHttpResponse(
        downloads.csv_lines(table), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="commitments-{when.as_of.isoformat()}.csv"'
    )
    return response


@conditional_on_record
def commitments_xlsx(request: HttpRequest) -> HttpResponseBase:
    """The whole selection as an XLSX workbook (up to `XLSX_MAX_ROWS` commitments)."""
    try:
        when, query = read_both(lambda: date_of(request), lambda: parse(request.GET))
    except BadParameters as problem:
        return bad_parameters(request, problem)
    selection = select(query, when.as_of)
    count = selection.count()
    if count > downloads.XLSX_MAX_ROWS:
        too_many = BadParameters(
            [
                _(
                    "The selection has %(count)s commitments; a spreadsheet download holds at "
                    "most %(limit)s. Narrow the filters, or download the CSV, which has no limit."
                )
                % {"count": format_number(count), "limit": format_number(downloads.XLSX_MAX_ROWS)}
            ]
        )
        return bad_parameters(request, too_many)
    workbook = downloads.xlsx_file(downloads.rows(selection, _url_maker(request)), _("Commitments"))
    return FileResponse(
        workbook,
        as_attachment=True,
        filename=f"commitments-{when.as_of.isoformat()}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _url_maker(request: HttpRequest) -> Callable[[str], str]:
    """The absolute URL of a commitment page, without a `reverse` per row."""
    marker = "REFERENCE-PLACEHOLDER"
    template = request.build_absolute_uri(reverse("portal:commitment", args=[marker]))
    return lambda reference: template.replace(marker, reference)

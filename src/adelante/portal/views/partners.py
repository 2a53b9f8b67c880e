"""The partners: an index to search, and one page per partner."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from adelante.catalogue.models import Metric
from adelante.commitments.choices import country_key
from adelante.commitments.publication import published_commitments, published_partners
from adelante.commitments.selectors import in_country
from adelante.corrections import pages as corrections
from adelante.figures.committed import counted
from adelante.figures.ladder import Selection, ladder
from adelante.figures.listing import partner_total
from adelante.figures.partner_counts import commitments_per_partner
from adelante.figures.progress import values_by_commitment, verified_points
from adelante.figures.reached import INDEPENDENTLY_VERIFIED, invested, reached_all
from adelante.figures.record import Record
from adelante.figures.silence import period_record
from adelante.initiatives import scope
from adelante.initiatives.country_keys import key_choices
from adelante.initiatives.models import Initiative
from adelante.partners.models import PartnerMerge, PartnerType, name_matching
from adelante.portal import published
from adelante.portal.caching import remembered
from adelante.portal.initiatives import address_in
from adelante.portal.problems import BadParameters
from adelante.portal.search import Search, tidy
from adelante.portal.views.common import date_of, hidden_params, page, portal_page, read_both

PER_PAGE = 50
#: A partner page lists this many commitments; the explorer has them all.
LISTED = 200


def _index_query(request: HttpRequest) -> tuple[Search, str, str, int]:
    problems, drop = [], []
    # Too long: shortened (and the page says so) rather than refused.
    q = tidy(request.GET.get("q", ""))
    kind = request.GET.get("type", "").strip()
    if kind and kind not in PartnerType.values:
        problems.append(_("“%(value)s” is not a type of partner.") % {"value": kind[:60]})
        drop.append("type")
    country = request.GET.get("country", "").strip()
    if country and not country_key(country):
        problems.append(
            _("There is no country “%(value)s” in the record.") % {"value": country.upper()[:60]}
        )
        drop.append("country")
    number = request.GET.get("page", "1").strip() or "1"
    if not (number.isascii() and number.isdigit() and len(number) <= 10 and int(number) >= 1):
        problems.append(_("“%(value)s” is not a page number.") % {"value": number[:60]})
        drop.append("page")
    if problems:
        raise BadParameters(problems, drop=drop)
    return q, kind, country_key(country) or "", int(number)


@portal_page
def partners(request: HttpRequest) -> HttpResponse:
    when, (searched, kind, country, number) = read_both(
        lambda: date_of(request), lambda: _index_query(request)
    )
    q = searched.text
    found = published.partners(when.as_of)
    if q:
        found = found.filter(name_matching(q))
    if kind:
        found = found.filter(type=kind)
    if country:
        mine = published.commitments(when.as_of).filter(in_country(country))
        found = found.filter(Exists(mine.filter(partner_id=OuterRef("pk"))))
    paginator = Paginator(found.order_by("normalised_name"), PER_PAGE)
    if number > max(paginator.num_pages, 1):
        return page(
            request,
            "portal/404.html",
            {"page_out_of_range": True, "requested_page": number, "last_page": paginator.num_pages},
            status=404,
        )
    current = paginator.page(number)
    counts = commitments_per_partner(
        [p.id for p in current], when.as_of, recorded_on=when.recorded_on
    )
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "page_obj": current,
        "paginator": paginator,
        "rows": [(p, counts.get(p.id, 0)) for p in current],
        "q": q,
        "shortened": searched.shortened,
        "type": kind,
        "country": country.lower(),
        "types": [(t.value, str(t.label)) for t in PartnerType],
        "countries": [(key.lower(), name) for key, name in key_choices()],
    }
    return page(request, "portal/partners.html", context)


@portal_page
def _merged_away(request: HttpRequest, slug: str) -> HttpResponse:
    """A partner merged into another (docs/partners.md): its old address leads to the partner
    kept, if that one is public; any other unknown slug is not found."""
    merge = PartnerMerge.objects.filter(absorbed__slug=slug, undone_at__isnull=True).first()
    if merge is None or not published_partners().filter(pk=merge.keep_id).exists():
        raise Http404
    kept = reverse("portal:partner", args=[merge.keep.slug])
    query = request.META.get("QUERY_STRING", "")
    return HttpResponseRedirect(f"{kept}?{query}" if query else kept)


def partner(request: HttpRequest, slug: str) -> HttpResponse:
    when = date_of(request)
    found = published_partners().filter(slug=slug).first()
    if found is None:
        return _merged_away(request, slug)
    record = Record(when.recorded_on)
    everything = record.commitments().filter(partner_id=found.id).values("id")
    listed = list(
        published.commitments(when.as_of)
        .filter(partner=found)
        .select_related("round")
        .prefetch_related("countries")
        .order_by("announced_on", "reference")[:LISTED]
    )
    points = verified_points(when.as_of, record, commitment_ids=[c.id for c in listed])
    metrics = {m.code: m for m in Metric.objects.all()}
    progress: dict[int, list[tuple[Metric, object]]] = {}
    for code in sorted({p.metric for p in points}):
        values = values_by_commitment(points, code, metrics[code].accumulation)
        for cid, value in values.items():
            progress.setdefault(cid, []).append((metrics[code], value))
    context = {
        "view_date": when,
        "keep": hidden_params(request, ("as_of",)),
        "partner": found,
        "aliases": list(found.aliases.all()),
        "identifiers": list(found.identifiers.all()),
        "total": remembered(partner_total, found.id, when.as_of, recorded_on=when.recorded_on),
        "invested": invested(when.as_of, recorded_on=when.recorded_on, within=everything),
        "invested_verified": invested(
            when.as_of,
            recorded_on=when.recorded_on,
            within=everything,
            grade=INDEPENDENTLY_VERIFIED,
        ),
        "ladder": remembered(
            ladder,
            when.as_of,
            recorded_on=when.recorded_on,
            selection=Selection(partner_id=found.id),
        ),
        "periods": period_record(
            counted(when.as_of, record).filter(partner_id=found.id), when.as_of, record
        ),
        "reached": reached_all(when.as_of, recorded_on=when.recorded_on, within=everything),
        "metrics": metrics,
        "rows": [(c, progress.get(c.id, [])) for c in listed],
        "more": published.commitments(when.as_of).filter(partner=found).count() > LISTED,
        "elsewhere": _elsewhere(found.id, found.slug),
        "corrections": corrections.for_partner(found.slug),
    }
    return page(request, "portal/partner.html", context)


def _elsewhere(partner_id: int, slug: str) -> list[tuple[Initiative, int, str]]:
    """The partner's public commitments in the other initiatives (partners are shared): each
    initiative, how many, and the partner's page there."""
    counts = dict(
        published_commitments()
        .filter(partner_id=partner_id)
        .exclude(scope.initiative_q())
        .order_by()
        .values("initiative")
        .annotate(n=Count("id"))
        .values_list("initiative", "n")
    )
    return [
        (other, counts[other.id], address_in(other, "portal:partner", slug))
        for other in Initiative.objects.listed().filter(id__in=counts)
    ]

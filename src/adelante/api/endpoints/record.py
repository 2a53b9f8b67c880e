"""Read endpoints of the published record: partners, rounds, commitments, statements,
progress, and the vocabularies (metrics, focus areas)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router

from adelante.api import serialize
from adelante.api.enums import Kind, PartnerTypeCode, PublishedStatus, Sort
from adelante.api.isodate import IsoDate
from adelante.api.pagination import paginate
from adelante.api.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    SLUG_PATTERN,
    check_country,
    check_date,
    check_text,
    invalid,
    one_of_names,
)
from adelante.api.problems import Problem
from adelante.api.schemas import (
    CommitmentOut,
    CommitmentPage,
    FocusAreaOut,
    InitiativeOut,
    MetricOut,
    PartnerOut,
    PartnerPage,
    ProgressPage,
    RoundOut,
    RoundPage,
    StatementPage,
)
from adelante.bilingual import humanise_code
from adelante.catalogue.models import FocusArea, Metric, StatementName
from adelante.commitments.choices import PUBLISHED_STATUSES, CountryGroup
from adelante.commitments.models import Commitment, CountryShare
from adelante.commitments.publication import (
    STATEMENT_FIELDS,
    published_commitments,
    published_partners,
    published_rounds,
    published_statements,
)
from adelante.commitments.selectors import DEFAULT_SORT, CommitmentFilter, select_commitments
from adelante.initiatives import scope
from adelante.initiatives.models import Initiative
from adelante.partners.models import Partner, PartnerIdentifier, name_matching
from adelante.progress.publication import published_reports

router = Router(tags=["record"])

PAGE = Query(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
PAGE_SIZE = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")
AS_OF = Query(None, description="Only what was announced (stated, reported) by this date.")
SLUG = Path(..., pattern=SLUG_PATTERN, max_length=200)


# The publication rules and the selectors query the models directly, whatever initiative is in
# scope: here every listing is narrowed to the initiative the request names (middleware).


def _commitments() -> QuerySet[Commitment]:
    return published_commitments().filter(scope.initiative_q())


def _partners() -> QuerySet[Partner]:
    """Partners with a published commitment in the initiative (partners are shared)."""
    mine = _commitments().filter(partner_id=OuterRef("pk"))
    return published_partners().filter(Exists(mine))


def _not_found(what: str, key: str) -> Problem:
    return Problem(404, _("No published %(what)s “%(key)s”.") % {"what": what, "key": key})


# -- Partners -------------------------------------------------------------------------------


@router.get("/partners", response=PartnerPage, summary="Partners with published commitments")
def list_partners(
    request: HttpRequest,
    q: str | None = Query(
        None,
        max_length=200,
        description="Part of the name, an alias or an organisation identifier (GT-NIT-…).",
    ),
    type: PartnerTypeCode | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    items = _partners()
    if check_text("q", q):
        assert q is not None
        identifier = PartnerIdentifier.objects.filter(
            partner_id=OuterRef("pk"), identifier__icontains=q.strip()
        )
        items = items.filter(name_matching(q) | Q(Exists(identifier)))
    if type:
        items = items.filter(type=type)
    items = serialize.with_partner_details(items.order_by("normalised_name", "id"))
    return paginate(request, items, page, page_size, serialize.partners)


@router.get("/partners/{slug}", response=PartnerOut, summary="One partner")
def get_partner(request: HttpRequest, slug: str = SLUG) -> dict[str, Any]:
    found = serialize.with_partner_details(_partners().filter(slug=slug)).first()
    if found is None:
        raise _not_found(_("partner"), slug)
    return serialize.partner(found)


# -- Rounds ---------------------------------------------------------------------------------


def _rounds() -> Any:
    return (
        published_rounds()
        .filter(scope.initiative_q())
        .annotate(
            published=Count("commitments", filter=Q(commitments__status__in=PUBLISHED_STATUSES)),
            initiative_slug=F("initiative__slug"),
        )
    )


def _round(r: Any) -> dict[str, Any]:
    return {
        "slug": r.slug,
        "label": r.label,
        "label_es": r.label_es,
        "translation_state": r.translation_state,
        "announced_on": r.announced_on,
        "commitments": r.published,
        "initiative": r.initiative_slug,
    }


@router.get("/rounds", response=RoundPage, summary="Announcement rounds")
def list_rounds(
    request: HttpRequest, page: int = PAGE, page_size: int = PAGE_SIZE
) -> dict[str, Any]:
    items = _rounds().order_by("announced_on", "label", "id")
    return paginate(request, items, page, page_size, lambda rows: [_round(r) for r in rows])


@router.get("/rounds/{slug}", response=RoundOut, summary="One round")
def get_round(request: HttpRequest, slug: str = SLUG) -> dict[str, Any]:
    found = _rounds().filter(slug=slug).first()
    if found is None:
        raise _not_found(_("round"), slug)
    return _round(found)


# -- Commitments ----------------------------------------------------------------------------


@router.get("/commitments", response=CommitmentPage, summary="Published commitments")
def list_commitments(
    request: HttpRequest,
    country: str | None = Query(
        None,
        max_length=40,
        description="Names this country (one of the initiative's ISO 3166-1 codes, e.g. GT; "
        "alone, with a share or among several); multi-country: several countries without a "
        "split; regional: no country. Any case.",
    ),
    focus: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=64, description="Focus area code."
    ),
    kind: Kind | None = None,
    round: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=120, description="Round slug."
    ),
    partner: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=120, description="Partner slug."
    ),
    partner_type: PartnerTypeCode | None = None,
    status: PublishedStatus | None = None,
    q: str | None = Query(
        None, max_length=200, description="Words in the partner, title or summary."
    ),
    as_of: IsoDate | None = AS_OF,
    sort: Sort | None = Query(
        None, description=f"Sort order; '-' for descending (default {DEFAULT_SORT})."
    ),
    ordering: Sort | None = Query(
        None, deprecated=True, description="The old name of `sort`; it still works."
    ),
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    key = check_country("country", country)
    code = key if key is not None and key not in CountryGroup.values else None
    chosen = CommitmentFilter(
        # A country code is selected here (the initiative's countries are any ISO codes); the
        # groups as the selectors define them.
        country=None if code else key,
        focus=focus,
        kind=kind,
        round=round,
        partner=partner,
        partner_type=partner_type,
        status=status,
        q=check_text("q", q),
        as_of=check_date("as_of", as_of),
        sort=one_of_names("sort", sort, "ordering", ordering) or DEFAULT_SORT,
    )
    items = select_commitments(chosen).filter(scope.initiative_q())
    if code is not None:
        shares = CountryShare.objects.filter(commitment_id=OuterRef("pk"), country=code)
        items = items.filter(Exists(shares))
    items = serialize.with_commitment_details(items)
    return paginate(request, items, page, page_size, serialize.commitments)


@router.get("/commitments/{reference}", response=CommitmentOut, summary="One commitment")
def get_commitment(request: HttpRequest, reference: str = SLUG) -> dict[str, Any]:
    found = serialize.with_commitment_details(_commitments().filter(reference=reference)).first()
    if found is None:
        raise _not_found(_("commitment"), reference)
    return serialize.commitment(found)


# -- Official statements --------------------------------------------------------------------


@router.get("/statements", response=StatementPage, summary="Official statements, as published")
def list_statements(
    request: HttpRequest,
    as_of: IsoDate | None = AS_OF,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    items = (
        published_statements(check_date("as_of", as_of))
        .filter(scope.initiative_q())
        .order_by("stated_on", "metric", "id")
    )
    rows = items.values("id", *STATEMENT_FIELDS, initiative_slug=F("initiative__slug"))
    return paginate(request, rows, page, page_size, _named)


def _named(rows: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Statements with the name of what they state, in both languages (the catalogue's, else
    the code read as English words)."""
    names = {
        n.code: n for n in StatementName.objects.filter(code__in={row["metric"] for row in rows})
    }
    named = []
    for row in rows:
        found = names.get(row["metric"])
        english = found.name_en if found else humanise_code(row["metric"])
        named.append(
            {
                **{k: v for k, v in row.items() if k != "initiative_slug"},
                "initiative": row["initiative_slug"],
                "name_en": english,
                "name_es": found.name_es if found else "",
            }
        )
    return named


# -- Progress -------------------------------------------------------------------------------


@router.get("/progress", response=ProgressPage, summary="Verified progress reports")
def list_progress(
    request: HttpRequest,
    commitment: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=200, description="A commitment's reference."
    ),
    metric: str | None = Query(
        None, pattern=SLUG_PATTERN, max_length=64, description="Reports with this metric."
    ),
    as_of: IsoDate | None = Query(None, description="Periods ended by this date."),
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    items = published_reports(check_date("as_of", as_of)).filter(
        scope.initiative_q(field="commitment__initiative")
    )
    if commitment:
        items = items.filter(commitment__reference=commitment)
    if metric:
        if not Metric.objects.filter(code=metric).exists():
            raise invalid("metric", _("Unknown metric “%(code)s”.") % {"code": metric})
        items = items.filter(values__metric__code=metric)
    items = serialize.with_report_details(
        items.order_by("commitment__reference", "period_end", "id")
    )
    return paginate(request, items, page, page_size, serialize.reports)


# -- Initiatives ----------------------------------------------------------------------------


@router.get(
    "/initiatives", response=list[InitiativeOut], summary="The initiatives this installation hosts"
)
def list_initiatives(request: HttpRequest) -> Any:
    """Every initiative, whatever ?initiative= says: the one to name in ?initiative= is here."""
    overview = reverse("portal:overview")
    downloads = reverse("exchange:downloads")
    found = []
    for initiative in Initiative.objects.listed().prefetch_related("countries"):
        portal = overview if initiative.primary else f"{overview}i/{initiative.slug}/"
        query = f"?{urlencode({'initiative': initiative.slug})}"
        found.append(
            {
                "slug": initiative.slug,
                "name": initiative.name,
                "name_es": initiative.name_es,
                "description": initiative.description,
                "description_es": initiative.description_es,
                "primary": initiative.primary,
                "countries": [c.code for c in initiative.countries.all()],
                "currency": initiative.display_currency,
                "synthetic": initiative.synthetic,
                "links": {
                    "portal": request.build_absolute_uri(portal),
                    "commitments": request.build_absolute_uri(
                        reverse("api-v1:list_commitments") + query
                    ),
                    "downloads": request.build_absolute_uri(downloads + query),
                },
            }
        )
    return found


# -- Vocabularies ---------------------------------------------------------------------------


@router.get("/metrics", response=list[MetricOut], summary="The metric catalogue")
def list_metrics(request: HttpRequest) -> Any:
    return list(
        Metric.objects.order_by("code").values("code", "name_en", "name_es", "unit", "accumulation")
    )


@router.get("/focus-areas", response=list[FocusAreaOut], summary="The focus-area taxonomy")
def list_focus_areas(request: HttpRequest) -> Any:
    return list(FocusArea.objects.order_by("code").values("code", "name_en", "name_es"))

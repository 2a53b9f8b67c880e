"""Rows of the record as the API shows them, with the publication rules applied."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from adelante.commitments.choices import PUBLISHED_STATUSES
from adelante.commitments.models import Commitment, CountryShare
from adelante.commitments.publication import is_withheld, public_amount
from adelante.initiatives import scope
from adelante.partners.models import Partner
from adelante.progress.models import ProgressReport, ProgressValue


def with_commitment_details(items: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return items.select_related("partner", "round", "relates_to", "initiative").prefetch_related(
        Prefetch("countries", queryset=CountryShare.objects.order_by("country")),
        "focus_areas",
        "sources",
        "targets__metric",
    )


def commitment(c: Commitment) -> dict[str, Any]:
    withheld = is_withheld(c.qualifier)
    return {
        "reference": c.reference,
        "initiative": c.initiative.slug,
        "title": c.title,
        "title_es": c.title_es,
        "summary": c.summary,
        "summary_es": c.summary_es,
        "written_in": c.written_in,
        "translation_state": c.translation_state,
        "partner": {"slug": c.partner.slug, "name": c.partner.name, "type": c.partner.type},
        "round": (
            {
                "slug": c.round.slug,
                "label": c.round.label,
                "label_es": c.round.label_es,
                "announced_on": c.round.announced_on,
            }
            if c.round
            else None
        ),
        "announced_on": c.announced_on,
        "status": c.status,
        "withdrawn_on": c.withdrawn_on,
        "kind": c.kind,
        "relation": c.relation,
        "relates_to": c.relates_to.reference if c.relates_to else None,
        "qualifier": c.qualifier,
        "amount": public_amount(c.qualifier, c.amount),
        "currency": c.currency,
        "amount_usd": public_amount(c.qualifier, c.amount_usd),
        "countries": [
            {
                "country": share.country,
                "share_percent": share.share_percent,
                "amount_usd": None if withheld else share.amount_usd,
            }
            for share in c.countries.all()
        ],
        "focus_text": c.focus_text,
        "focus_text_es": c.focus_text_es,
        "focus_areas": sorted(area.code for area in c.focus_areas.all()),
        "sources": [{"url": s.url, "title": s.title} for s in c.sources.all()],
        "targets": [
            {"metric": t.metric.code, "value": t.value, "by_date": t.by_date}
            for t in c.targets.all()
        ],
    }


def commitments(rows: Sequence[Commitment]) -> list[dict[str, Any]]:
    return [commitment(c) for c in rows]


def with_partner_details(items: QuerySet[Partner]) -> QuerySet[Partner]:
    """With the count of its published commitments in the initiative in scope."""
    return items.prefetch_related("aliases", "identifiers").annotate(
        published=Count("commitments", filter=_published("commitments"))
    )


def _published(relation: str) -> Any:
    return Q(**{f"{relation}__status__in": PUBLISHED_STATUSES}) & scope.initiative_q(
        field=f"{relation}__initiative"
    )


def partner(p: Partner) -> dict[str, Any]:
    return {
        "slug": p.slug,
        "name": p.name,
        "type": p.type,
        "website": p.website,
        "aliases": [a.name for a in p.aliases.all()],
        "description": p.description,
        "description_es": p.description_es,
        "identifiers": [
            {"identifier": i.identifier, "scheme": i.scheme, "scheme_name": i.scheme_name}
            for i in p.identifiers.all()
        ],
        "commitments": p.published,  # type: ignore[attr-defined]
    }


def partners(rows: Sequence[Partner]) -> list[dict[str, Any]]:
    return [partner(p) for p in rows]


def with_report_details(items: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    return items.select_related("commitment").prefetch_related(
        Prefetch("values", queryset=ProgressValue.objects.select_related("metric"))
    )


def report(r: ProgressReport) -> dict[str, Any]:
    return {
        "id": r.pk,
        "commitment": r.commitment.reference,
        "period_start": r.period_start,
        "period_end": r.period_end,
        "status": r.status,
        "verification_level": r.verification_level,
        "narrative": r.narrative,
        "values": sorted(
            ({"metric": v.metric.code, "value": v.value} for v in r.values.all()),
            key=lambda v: str(v["metric"]),
        ),
    }


def reports(rows: Sequence[ProgressReport]) -> list[dict[str, Any]]:
    return [report(r) for r in rows]

"""The public log of corrections (docs/corrections.md): what was said, decided and why, and
what changed, newest decision first; the same corrections, through the same functions, as the
portal's log at /<lang>/corrections/ (`adelante.corrections.log`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router

from adelante.api.endpoints.record import PAGE, PAGE_SIZE
from adelante.api.enums import CorrectionSubject
from adelante.api.pagination import paginate
from adelante.api.params import check_text
from adelante.api.schemas import CorrectionPage
from adelante.corrections import log
from adelante.corrections.models import Correction

router = Router(tags=["corrections"])


def _items(request: HttpRequest, rows: Sequence[Correction]) -> list[dict[str, Any]]:
    """The page's corrections as the public reads them (`log.entries`), with raw values for
    machines; never who suggested them."""
    return [
        {
            "number": e.number,
            "decided_at": e.decided_at,
            "suggested_at": e.suggested_at,
            "subject": e.subject,
            "subject_label": e.subject_label,
            "subject_key": e.subject_key,
            "name": e.name or None,
            "url": request.build_absolute_uri(e.page) if e.page else None,
            "said": e.said,
            "source_url": e.source_url or None,
            "accepted": e.accepted,
            "reason": e.reason,
            "field": {"code": e.field_code, "label": e.field} if e.field_code else None,
            "old": e.old_value,
            "new": e.new_value,
            "confidential": e.confidential,
        }
        for e in log.entries(rows)
    ]


@router.get(
    "/corrections", response=CorrectionPage, summary="The public log of decided corrections"
)
def list_corrections(
    request: HttpRequest,
    subject: CorrectionSubject | None = Query(None, description="Only those about this kind."),
    key: str | None = Query(
        None,
        max_length=200,
        description="Only those about the thing with this key (a commitment's reference, a "
        "partner's slug, a statement's id, a figure page's key).",
    ),
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
) -> dict[str, Any]:
    items = log.decided()
    if subject is not None:
        items = items.filter(subject=subject)
    if check_text("key", key) is not None:
        items = items.filter(subject_key=key)
    return paginate(request, items, page, page_size, lambda rows: _items(request, rows))

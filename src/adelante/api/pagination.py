"""Page-number pagination: `?page=N&page_size=M`, with the count and links to the neighbours."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import ngettext

from adelante.api.problems import Problem

T = TypeVar("T")


def paginate(
    request: HttpRequest,
    items: QuerySet[Any],
    page: int,
    page_size: int,
    serialize: Callable[[Sequence[Any]], list[T]],
) -> dict[str, Any]:
    """One page of `items` (ordered), with `count`, `pages`, `next` and `previous`.

    A page beyond the last is 404 (page 1 of nothing is an empty page).
    """
    count = items.count()
    pages = max(1, math.ceil(count / page_size))
    if page > pages:
        raise Problem(
            404,
            ngettext(
                "Page %(page)d does not exist; there is %(pages)d.",
                "Page %(page)d does not exist; there are %(pages)d.",
                pages,
            )
            % {"page": page, "pages": pages},
        )
    start = (page - 1) * page_size
    rows = list(items[start : start + page_size])
    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "pages": pages,
        "next": _link(request, page + 1) if page < pages else None,
        "previous": _link(request, page - 1) if page > 1 else None,
        "results": serialize(rows),
    }


def _link(request: HttpRequest, page: int) -> str:
    query = request.GET.copy()
    query["page"] = str(page)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

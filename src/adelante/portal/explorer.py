"""The commitments explorer's query: its URL parameters parsed into a checked, frozen value.

Every parameter is whitelisted; an unknown value is a `BadParameters` (a 400 page that says
which parameter is wrong and links to the explorer without it), never a server error. The
selection itself is the API's (`adelante.api.filters`), so the explorer, its downloads and
the API list the same commitments for the same filters.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, cast

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from adelante.api.filters import DEFAULT_ORDERING, ORDERINGS, CommitmentFilter, filtered_commitments
from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import Country, MoneyKind
from adelante.commitments.models import Commitment, CountryShare, Round
from adelante.commitments.publication import PUBLISHED_STATUSES
from adelante.partners.models import Partner, PartnerType
from adelante.portal.problems import BadParameters

#: The explorer's "country" also offers the commitments that name no country.
REGIONAL = "regional"
PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25
#: Longer searches are typing accidents or abuse; they would only slow the database down.
MAX_SEARCH = 200
#: Pages beyond this are not a page number anyone typed on purpose.
MAX_PAGE = 10**9
FILTERS = ("country", "focus", "kind", "round", "partner", "partner_type", "status")


@dataclass(frozen=True)
class ExplorerQuery:
    country: str | None = None
    focus: str | None = None
    kind: str | None = None
    round: str | None = None
    partner: str | None = None
    partner_type: str | None = None
    status: str | None = None
    q: str = ""
    sort: str = DEFAULT_ORDERING
    page: int = 1
    per_page: int = DEFAULT_PAGE_SIZE

    def params(self, **changes: Any) -> dict[str, str]:
        """URL parameters for this query (with changes), leaving defaults out."""
        query = replace(self, **changes)
        params = {name: getattr(query, name) for name in FILTERS if getattr(query, name)}
        if query.q:
            params["q"] = query.q
        if query.sort != DEFAULT_ORDERING:
            params["sort"] = query.sort
        if query.per_page != DEFAULT_PAGE_SIZE:
            params["per_page"] = str(query.per_page)
        if query.page != 1:
            params["page"] = str(query.page)
        return {k: str(v).lower() if k == "country" else str(v) for k, v in params.items()}

    @property
    def filtered(self) -> bool:
        return bool(self.q) or any(getattr(self, name) for name in FILTERS)


def _one(params: Mapping[str, str], name: str) -> str:
    return params.get(name, "").strip()


def parse(params: Mapping[str, str]) -> ExplorerQuery:
    """The query in these URL parameters; every problem at once in one `BadParameters`."""
    problems: list[str] = []
    drop: list[str] = []

    def bad(name: str, message: str) -> None:
        problems.append(message)
        drop.append(name)

    values: dict[str, Any] = {}
    country = _one(params, "country").upper()
    if country:
        if country in Country.values:
            values["country"] = country
        elif country == REGIONAL.upper():
            values["country"] = REGIONAL
        else:
            bad(
                "country",
                _("There is no country “%(value)s” in the record.") % _v(params, "country"),
            )
    choices = {
        "kind": MoneyKind.values,
        "partner_type": PartnerType.values,
        "status": list(PUBLISHED_STATUSES),
    }
    for name, allowed in choices.items():
        value = _one(params, name)
        if value and value not in allowed:
            if name == "status":
                bad(
                    name,
                    _("“%(value)s” is not a status of a published commitment.") % _v(params, name),
                )
            else:
                bad(name, _("“%(value)s” is not a choice for this filter.") % _v(params, name))
        elif value:
            values[name] = value
    lookups: dict[str, QuerySet[Any]] = {
        "focus": FocusArea.objects.filter(code=_one(params, "focus")),
        "round": Round.objects.filter(slug=_one(params, "round")),
        "partner": Partner.objects.filter(slug=_one(params, "partner")),
    }
    messages = {
        "focus": _("There is no focus area “%(value)s”."),
        "round": _("There is no round “%(value)s”."),
        "partner": _("There is no partner “%(value)s”."),
    }
    for name, found in lookups.items():
        value = _one(params, name)
        if value and (len(value) > 200 or not found.exists()):
            bad(name, messages[name] % _v(params, name))
        elif value:
            values[name] = value
    q = " ".join(params.get("q", "").split())
    if "\x00" in q:
        bad("q", _("The search contains a character that cannot be searched for."))
    elif len(q) > MAX_SEARCH:
        bad("q", _("The search is too long: at most %(n)s characters.") % {"n": MAX_SEARCH})
    else:
        values["q"] = q
    sort = _one(params, "sort")
    if sort and sort not in ORDERINGS:
        bad("sort", _("“%(value)s” is not a way to sort commitments.") % _v(params, "sort"))
    elif sort:
        values["sort"] = sort
    per_page = _one(params, "per_page")
    if per_page and per_page not in {str(n) for n in PAGE_SIZES}:
        bad(
            "per_page",
            _("Show %(sizes)s commitments a page.") % {"sizes": ", ".join(map(str, PAGE_SIZES))},
        )
    elif per_page:
        values["per_page"] = int(per_page)
    page = _one(params, "page")
    # Digits only, and few of them, before int(): a huge number must not cost a conversion.
    if page and not (
        page.isascii() and page.isdigit() and len(page) <= 10 and 1 <= int(page) <= MAX_PAGE
    ):
        bad("page", _("“%(value)s” is not a page number.") % _v(params, "page"))
    elif page:
        values["page"] = int(page)
    if problems:
        raise BadParameters(problems, drop=drop)
    return ExplorerQuery(**values)


def _v(params: Mapping[str, str], name: str) -> dict[str, str]:
    # Quoted back to the reader, shortened; the template escapes it.
    value = params.get(name, "").strip()
    return {"value": value if len(value) <= 60 else value[:60] + "…"}


def select(query: ExplorerQuery, as_of: datetime.date) -> QuerySet[Commitment]:
    """The published commitments the query selects, announced by the date, in its order."""
    country = query.country if query.country != REGIONAL else None
    selection = filtered_commitments(
        CommitmentFilter(
            country=cast(Any, country),
            focus=query.focus,
            kind=cast(Any, query.kind),
            round=query.round,
            partner=query.partner,
            partner_type=cast(Any, query.partner_type),
            status=cast(Any, query.status),
            q=query.q or None,
            as_of=as_of,
            ordering=cast(Any, query.sort),
        )
    )
    if query.country == REGIONAL:
        selection = selection.filter(
            ~Exists(CountryShare.objects.filter(commitment_id=OuterRef("pk")))
        )
    return selection

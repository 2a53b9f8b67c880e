"""The commitments explorer's query: its URL parameters parsed into a checked, frozen value.

Every parameter is whitelisted; an unknown value is a `BadParameters` (a 400 page that says
which parameter is wrong and links to the explorer without it), never a server error. The
parameters are the API's, by the same names; the selection itself is the domain's
(`adelante.commitments.selectors`), so the explorer, its downloads and the API list the same
commitments for the same filters.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import PUBLISHED_STATUSES, MoneyKind, country_key
from adelante.commitments.models import Commitment, Round
from adelante.commitments.selectors import (
    DEFAULT_SORT,
    CommitmentFilter,
    CommitmentSort,
    select_commitments,
)
from adelante.initiatives import scope
from adelante.partners.models import Partner, PartnerType
from adelante.portal.problems import BadParameters
from adelante.portal.search import tidy

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 25
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
    sort: str = DEFAULT_SORT
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    #: The search was longer than `search.MAX_SEARCH` and was cut (the page says so).
    shortened: bool = False

    def params(self, **changes: Any) -> dict[str, str]:
        """URL parameters for this query (with changes), leaving defaults out."""
        query = replace(self, **changes)
        params = {name: getattr(query, name) for name in FILTERS if getattr(query, name)}
        if query.q:
            params["q"] = query.q
        if query.sort != DEFAULT_SORT:
            params["sort"] = query.sort
        if query.page_size != DEFAULT_PAGE_SIZE:
            params["page_size"] = str(query.page_size)
        if query.page != 1:
            params["page"] = str(query.page)
        return {k: str(v).lower() if k == "country" else str(v) for k, v in params.items()}

    @property
    def filtered(self) -> bool:
        return bool(self.q) or any(getattr(self, name) for name in FILTERS)

    @property
    def filters_applied(self) -> int:
        """How many filters (besides the search words) narrow the selection: the "Filter (n)"
        control that folds them away on a phone says it."""
        return sum(1 for name in FILTERS if getattr(self, name))

    def selection(self, as_of: datetime.date) -> CommitmentFilter:
        """The domain's filter for this query, announced by the date."""
        return CommitmentFilter(
            country=self.country,
            focus=self.focus,
            kind=self.kind,
            round=self.round,
            partner=self.partner,
            partner_type=self.partner_type,
            status=self.status,
            q=self.q or None,
            as_of=as_of,
            sort=self.sort,
        )


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
    country = _one(params, "country")
    if country:
        if country_key(country):
            values["country"] = country_key(country)
        else:
            bad(
                "country",
                _("There is no country “%(value)s” in the record.") % _v(params, "country"),
            )
    choices = {
        "kind": MoneyKind.values,
        "partner_type": PartnerType.values,
        "status": [str(s) for s in PUBLISHED_STATUSES],
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
        # The initiative's rounds only: another's round is not a choice here.
        "round": Round.objects.filter(scope.initiative_q(), slug=_one(params, "round")),
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
    else:
        # Too long: shortened (and the page says so) rather than refused.
        searched = tidy(q)
        values["q"], values["shortened"] = searched.text, searched.shortened
    sort = _one(params, "sort")
    if sort and sort not in CommitmentSort.values:
        bad("sort", _("“%(value)s” is not a way to sort commitments.") % _v(params, "sort"))
    elif sort:
        values["sort"] = sort
    # `per_page` is the old name of `page_size` (the API's); it still works.
    page_size, size_name = _one(params, "page_size"), "page_size"
    old_size = _one(params, "per_page")
    if page_size and old_size and page_size != old_size:
        bad(
            "per_page",
            _("%(old)s is the old name of %(name)s: give only one of them.")
            % {"old": "per_page", "name": "page_size"},
        )
    else:
        if not page_size:
            page_size, size_name = old_size, "per_page"
        if page_size and page_size not in {str(n) for n in PAGE_SIZES}:
            bad(
                size_name,
                _("Show %(sizes)s commitments a page.")
                % {"sizes": ", ".join(map(str, PAGE_SIZES))},
            )
        elif page_size:
            values["page_size"] = int(page_size)
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
    return select_commitments(query.selection(as_of))

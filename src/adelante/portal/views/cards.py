"""The picture of a page's headline figure for shared links (adelante.portal.cards): the
overview's committed total, a commitment's amount, a partner's, a country's or a round's
total, as of today, in the reader's language."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from adelante.commitments.choices import CountryGroup, country_key
from adelante.commitments.publication import (
    is_withheld,
)
from adelante.figures.committed import committed
from adelante.figures.country import country_figures
from adelante.figures.listing import partner_total
from adelante.figures.rounds import round_figures
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.money.formatting import format_number, format_usd, with_qualifier
from adelante.money.qualifiers import TotalQualifier
from adelante.portal import published
from adelante.portal.caching import remembered
from adelante.portal.cards import Card, png
from adelante.portal.views.common import portal_page

#: The kinds of page with a card of their own; every other page shares the overview's.
KINDS = ("overview", "commitment", "partner", "country", "round")


def _money(amount: object, qualifier: str) -> str:
    if amount is None:
        return _("withheld (confidential)")
    return with_qualifier(format_usd(amount, compact=True), qualifier)  # type: ignore[arg-type]


def _commitments(n: int) -> str:
    return ngettext("%(n)s commitment", "%(n)s commitments", n) % {"n": format_number(n)}


def card_of(kind: str, key: str) -> Card:
    """The card of a page, as of today; Http404 when there is no such public page."""
    today = timezone.localdate()
    initiative = scope.resolve()
    name = initiative.in_language("name").text if initiative is not None else _("Adelante")
    site = f"{_('Adelante')} · {name}"
    when = _("Committed as of %(date)s") % {"date": formats.date_format(today, "DATE_FORMAT")}
    if kind == "overview":
        total = remembered(committed, today)
        return Card(
            _("Commitments to %(initiative)s") % {"initiative": name},
            _money(total.amount_usd, total.qualifier),
            f"{when} · {_commitments(total.commitments)}",
            site,
        )
    if kind == "commitment":
        found = get_object_or_404(published.commitments().select_related("partner"), reference=key)
        if is_withheld(found.qualifier):
            figure = _("confidential amount")
        elif found.amount_usd is None:
            figure = _("amount not disclosed")
        else:
            figure = with_qualifier(format_usd(found.amount_usd, compact=True), found.qualifier)
        title = found.partner.name + (f": {found.title}" if found.title else "")
        return Card(title, figure, _("A commitment to %(initiative)s") % {"initiative": name}, site)
    if kind == "partner":
        partner = get_object_or_404(published.partners(), slug=key)
        mine = remembered(partner_total, partner.id, today)
        return Card(
            partner.name,
            _money(mine.amount_usd, mine.qualifier),
            f"{when} · {_commitments(mine.commitments)}",
            site,
        )
    if kind == "country":
        code = country_key(key)
        if code is None or code in CountryGroup.values:
            raise Http404(key)
        figures = remembered(country_figures, code, today)
        part = figures.allocated
        return Card(
            country_name(code),
            _money(part.amount_usd, part.qualifier),
            f"{when} · {_commitments(figures.commitments)}",
            site,
        )
    if kind == "round":
        found_round = get_object_or_404(published.rounds(), slug=key)
        of_round = remembered(round_figures, found_round.id, today)
        return Card(
            found_round.label,
            _money(of_round.amount_usd, of_round.qualifier or TotalQualifier.EXACT),
            f"{when} · {_commitments(of_round.commitments)}",
            site,
        )
    raise Http404(kind)


@portal_page
def card(request: HttpRequest, kind: str, key: str) -> HttpResponse:
    return HttpResponse(png(card_of(kind, key)), content_type="image/png")

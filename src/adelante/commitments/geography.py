"""How a commitment's US$ amount is split across the countries it names (DOMAIN rule 4)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import ROUND_FLOOR, Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from adelante import history
from adelante.errors import Conflict
from adelante.initiatives.countries import country_name
from adelante.initiatives.models import Initiative, InitiativeCountry
from adelante.money.fields import from_hundredths, to_hundredths

if TYPE_CHECKING:
    from adelante.commitments.models import Commitment, CountryShare

HUNDRED = Decimal(100)


class SharesError(ValueError):
    pass


def check_shares(shares: Mapping[str, Decimal | None]) -> None:
    """Shares are all given or all absent; given ones are between 0 and 100 and sum to 100."""
    given = [s for s in shares.values() if s is not None]
    if not given:
        return
    if len(given) != len(shares):
        raise SharesError("give a share for every country or for none")
    if any(s < 0 or s > HUNDRED for s in given):
        raise SharesError("a share must be between 0 and 100")
    if sum(given) != HUNDRED:
        raise SharesError(f"shares add up to {sum(given)}, not 100")


def allocate(
    amount_usd: Decimal | None, shares: Mapping[str, Decimal | None]
) -> dict[str, Decimal | None]:
    """The part of the amount that goes to each country, exact to the cent.

    One country takes the whole amount. Several countries with shares split it by
    largest remainder, so the parts always add up to the amount. Several countries without
    shares, or no amount, allocate nothing (None): the amount is "multi-country".
    """
    check_shares(shares)
    if amount_usd is None or not shares:
        return {country: None for country in shares}
    if len(shares) == 1:
        return {country: amount_usd for country in shares}
    if any(s is None for s in shares.values()):
        return {country: None for country in shares}
    cents = to_hundredths(amount_usd)
    exact = {c: Decimal(cents) * s / HUNDRED for c, s in shares.items() if s is not None}
    floors = {c: int(v.to_integral_value(rounding=ROUND_FLOOR)) for c, v in exact.items()}
    left = cents - sum(floors.values())
    # Largest remainder first; ties broken by country code so the split is reproducible.
    for country in sorted(exact, key=lambda c: (floors[c] - exact[c], c))[:left]:
        floors[country] += 1
    return {c: from_hundredths(v) for c, v in floors.items()}


def country_rows(
    amount_usd: Decimal | None, shares: Mapping[str, Decimal | None]
) -> dict[str, tuple[Decimal | None, Decimal | None]]:
    """The (share_percent, amount_usd) that each country row should hold.

    A single country is stated with a share of 100 and takes the whole amount.
    """
    if len(shares) == 1:
        # One country takes the whole amount: its share is stated as 100 %.
        shares = dict.fromkeys(shares, HUNDRED)
    parts = allocate(amount_usd, shares)
    return {country: (share, parts[country]) for country, share in shares.items()}


def foreign_countries(initiative_id: int | None, codes: Iterable[str]) -> list[str]:
    """Which of these codes are not (or no longer) the initiative's countries, after taking a
    lock on the initiative's row until the transaction ends (call it inside one).

    Every writer of country rows calls it before adding a country, and
    `initiatives.changing` takes the same row's lock before it removes one: whichever comes
    second sees what the first wrote, so a commitment never names a country its initiative
    no longer has (docs/initiatives.md). On PostgreSQL the lock is the row's (`FOR NO KEY
    UPDATE`); SQLite's transactions take the write lock when they begin (settings:
    `BEGIN IMMEDIATE`), so there the check already sees every committed change."""
    wanted = sorted({code.upper() for code in codes})
    if initiative_id is None or not wanted:
        return []
    list(Initiative.objects.select_for_update(no_key=True).filter(pk=initiative_id).values("pk"))
    held = set(
        InitiativeCountry.objects.filter(initiative_id=initiative_id, code__in=wanted).values_list(
            "code", flat=True
        )
    )
    return [code for code in wanted if code not in held]


def foreign_message(codes: Iterable[str]) -> str:
    """The refusal of a share for countries the initiative does not have (any more)."""
    return _(
        "Not among the initiative's countries (removed meanwhile?): %(codes)s. Nothing was saved."
    ) % {"codes": ", ".join(f"{country_name(code)} ({code})" for code in codes)}


def hold_countries(initiative_id: int | None, codes: Iterable[str]) -> None:
    """`foreign_countries`, refused: `Conflict` naming each country the initiative does not
    have (any more)."""
    foreign = foreign_countries(initiative_id, codes)
    if foreign:
        message = foreign_message(foreign)
        raise Conflict(message, field_errors={"countries": [message]}, code="country-removed")


def set_countries(
    commitment: Commitment,
    shares: Mapping[str, Decimal | None],
    *,
    reason: str | None = None,
) -> bool:
    """Make the commitment's country rows match `shares`, with allocated amounts.

    `shares` maps country codes to a percentage or None; an empty mapping means the region.
    Rows with a share are "allocated"; rows without one are "multi-country".
    Only rows that differ are written, so history records real changes only. Returns whether
    anything changed. Call it again whenever the commitment's US$ amount changes.
    `reason`, if given, is the change reason recorded in the rows' history.
    A country it adds is checked under the initiative's lock first (`hold_countries`:
    `Conflict`, nothing written, if the initiative no longer has it), whichever door calls it;
    a service that wants the refusal on its own form's field checks before, in the same
    transaction (the lock is then already held).
    """
    wanted = country_rows(commitment.amount_usd, shares)
    existing = {row.country: row for row in commitment.countries.all()}
    added = [country for country in wanted if country not in existing]
    # The check and the writing in one transaction (the caller's, if it has one): the lock is
    # held until the rows are written, and PostgreSQL takes no row lock outside a transaction.
    with transaction.atomic(savepoint=False):
        if added:
            hold_countries(commitment.initiative_id, added)
        return _write_country_rows(commitment, existing, wanted, reason)


def _write_country_rows(
    commitment: Commitment,
    existing: Mapping[str, CountryShare],
    wanted: Mapping[str, tuple[Decimal | None, Decimal | None]],
    reason: str | None,
) -> bool:
    from adelante.commitments.models import CountryShare

    changed = False
    for country, row in existing.items():
        if country not in wanted:
            history.delete(row, reason=reason)
            changed = True
    for country, (share, part) in wanted.items():
        current = existing.get(country)
        if current is None:
            made = CountryShare(
                commitment=commitment, country=country, share_percent=share, amount_usd=part
            )
            history.save(made, reason=reason)
            changed = True
        elif current.share_percent != share or current.amount_usd != part:
            current.share_percent, current.amount_usd = share, part
            history.save(current, reason=reason, update_fields=["share_percent", "amount_usd"])
            changed = True
    return changed

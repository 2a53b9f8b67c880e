"""One pledge announced under several initiatives (docs/initiatives.md, "One pledge, several
initiatives").

A partner may announce the same pledge to two initiatives (a company's investment in a
country, told to a regional partnership and to a global conference). Each initiative keeps and
shows its own commitment; staff link them (`SamePledge`), and a figure across initiatives
counts the pledge once, as the commitment it is `counted_as` (`figures.record.Record` under
`scope.ACROSS` leaves the linked ones out).

A group of commitments that are one pledge has one representative, the commitment the others
are counted as: a link always points at it (no chains), and the group has at most one
commitment per initiative.

`suggest_same_pledges` lists likely pairs for staff to confirm (`do_link_same_pledge`) or
dismiss (`do_dismiss_same_pledge`, remembered so the pair is not suggested again). A pair is
suggested when the two commitments are under different initiatives and
- have the same partner,
- name at least one country in common,
- have US$ amounts within `AMOUNT_TOLERANCE` (10%) of the larger one; two commitments with no
  US$ amount (undisclosed) match on the other criteria alone, since a pledge whose amount
  neither initiative published is still one pledge; one amount and one none never match
  (nothing to compare),
- were announced at most `WITHIN_DAYS` (365) days apart (a commitment with no announcement
  date is not suggested).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante import history
from adelante.commitments.models import Commitment, CountryShare, SamePledge, SamePledgeDismissal
from adelante.editing import may_edit
from adelante.errors import Conflict, Invalid, NotAllowed
from adelante.money.fields import from_hundredths

#: Amounts within this fraction of the larger one may be the same pledge.
AMOUNT_TOLERANCE = Decimal("0.10")
#: Announcements at most this many days apart may be the same pledge.
WITHIN_DAYS = 365
#: How many suggestions a page shows by default.
SUGGESTIONS_SHOWN = 200


@dataclass(frozen=True)
class Suggestion:
    """Two commitments that may be one pledge: `commitment` would be linked and counted as
    `counted_as` (the group's representative, else the earlier announcement)."""

    commitment: Commitment
    counted_as: Commitment
    countries: tuple[str, ...]
    """The countries both name."""
    days_apart: int
    difference: Decimal | None
    """The amounts' difference as a fraction of the larger (None: neither has an amount)."""

    @property
    def difference_percent(self) -> Decimal | None:
        """The difference in percent of the larger amount, to one decimal."""
        if self.difference is None:
            return None
        return (self.difference * 100).quantize(Decimal("0.1"))

    @property
    def pair(self) -> tuple[int, int]:
        low, high = sorted((self.commitment.pk, self.counted_as.pk))
        return low, high


def check_staff(actor: Any) -> None:
    """Only the secretariat links pledges (an active staff account: `editing.may_edit`)."""
    if not may_edit(actor):
        raise NotAllowed(_("Only the secretariat links commitments as the same pledge."))


def amounts_match(first: Decimal | None, second: Decimal | None) -> bool:
    """Within `AMOUNT_TOLERANCE` of the larger amount; two missing amounts match."""
    if first is None and second is None:
        return True
    if first is None or second is None:
        return False
    larger = max(first, second)
    return abs(first - second) <= AMOUNT_TOLERANCE * larger


def _difference(first: Decimal | None, second: Decimal | None) -> Decimal | None:
    if first is None or second is None:
        return None
    larger = max(first, second)
    return (abs(first - second) / larger) if larger else Decimal(0)


def representative(commitment: Commitment) -> Commitment:
    """The commitment a group of same pledges is counted as (itself when not linked)."""
    link = SamePledge.objects.filter(commitment=commitment).select_related("counted_as").first()
    return link.counted_as if link is not None else commitment


def group_of(commitment: Commitment) -> list[Commitment]:
    """Every commitment of the pledge's group, the representative first."""
    rep = representative(commitment)
    others = Commitment.objects.filter(same_pledge__counted_as=rep).select_related("initiative")
    return [rep, *others.order_by("announced_on", "id")]


def _countries(ids: Iterable[int]) -> dict[int, set[str]]:
    found: dict[int, set[str]] = defaultdict(set)
    for commitment_id, code in CountryShare.objects.filter(commitment_id__in=list(ids)).values_list(
        "commitment_id", "country"
    ):
        found[commitment_id].add(code)
    return found


#: The bands of days apart the candidate pairs are read in, closest first: reading stops after
#: the band in which `limit` suggestions are reached (real announcements come in rounds, so
#: most likely pairs are on the same day).
DAY_BANDS: tuple[tuple[int, int], ...] = ((0, 0), (1, 30), (31, 91), (92, 182), (183, WITHIN_DAYS))

#: A candidate pair as the database gives it: (earlier id, later id, days apart, the earlier's
#: and the later's US$ amounts in hundredths, their initiatives).
_Row = tuple[int, int, int, int | None, int | None, int, int]


def suggest_same_pledges(*, limit: int | None = SUGGESTIONS_SHOWN) -> list[Suggestion]:
    """Likely same pledges not yet linked nor dismissed, the closest first (fewest days apart,
    then the smallest difference in amount, then the pair's ids).

    The database finds the candidate pairs (`_candidate_pairs`: a join of the commitments on
    their partner, every criterion above in SQL, exactly), one band of days apart at a time
    (`DAY_BANDS`); Python orders each band (`_order`), leaves out the pairs the groups
    already settle (`_Groups.orient`), and stops at `limit`: a later band's pairs are further
    apart, so none could enter the first `limit`. Only the suggestions returned are loaded as
    objects. The result is the same as pairing every commitment with every other
    (tests/commitments/test_same_pledge.py checks it against such a reading of the rules over
    random records)."""
    if limit is not None and limit <= 0:
        return []
    bands = DAY_BANDS if limit is not None else ((0, WITHIN_DAYS),)
    chosen: list[tuple[tuple[int, Decimal, tuple[int, int]], int, int]] = []
    for low, high in bands:
        rows = _candidate_pairs(low, high)
        groups = _Groups.of({pk for row in rows for pk in row[:2]})
        for key, row in sorted(((_order(row), row) for row in rows), key=lambda pair: pair[0]):
            oriented = groups.orient(row)
            if oriented is not None:
                chosen.append((key, *oriented))
                if limit is not None and len(chosen) >= limit:
                    return _suggestions(chosen)
    return _suggestions(chosen)


def _order(row: _Row) -> tuple[int, Decimal, tuple[int, int]]:
    """The page's order: days apart, the amounts' difference (none: 0), the pair's ids."""
    a, b, days, amount_a, amount_b = row[:5]
    difference = _difference(_amount(amount_a), _amount(amount_b))
    return days, difference or Decimal(0), (min(a, b), max(a, b))


def _amount(hundredths: int | None) -> Decimal | None:
    return None if hundredths is None else from_hundredths(hundredths)


def _candidate_pairs_sql(vendor: str, low: int, high: int) -> str:
    """Pairs of commitments of one partner under different initiatives, announced `low` to
    `high` days apart (the earlier: by date, then id), with a country in common and matching
    amounts, not dismissed.

    The amounts are BIGINT hundredths (`money.fields`), so the tolerance is exact integer
    arithmetic: with d = |a - b| and m the smaller, d <= t * (m + d) is d <= m * t / (1 - t),
    that is d <= floor(m * p / (q - p)) for t = p / q (integer division; p = 1 for 10 %, so
    nothing can overflow)."""
    p, q = AMOUNT_TOLERANCE.as_integer_ratio()
    low, high = int(low), int(high)
    if vendor == "sqlite":
        days = "CAST(julianday(b.announced_on) - julianday(a.announced_on) AS INTEGER)"
        first = f"date(a.announced_on, '+{low} days')"
        last = f"date(a.announced_on, '+{high} days')"
    else:  # PostgreSQL: date - date is an integer of days, date + integer a date.
        days = "(b.announced_on - a.announced_on)"
        first = f"(a.announced_on + {low})"
        last = f"(a.announced_on + {high})"
    if low == 0:  # the same day: the later is the one with the larger id
        window = f"""b.announced_on BETWEEN a.announced_on AND {last}
         AND (b.announced_on > a.announced_on OR b.id > a.id)"""
    else:
        window = f"b.announced_on BETWEEN {first} AND {last}"
    smaller = "CASE WHEN a.amount_usd < b.amount_usd THEN a.amount_usd ELSE b.amount_usd END"
    commitments = Commitment._meta.db_table
    shares = CountryShare._meta.db_table
    dismissals = SamePledgeDismissal._meta.db_table
    return f"""
        SELECT a.id, b.id, {days}, a.amount_usd, b.amount_usd, a.initiative_id, b.initiative_id
        FROM {commitments} a
        JOIN {commitments} b
          ON b.partner_id = a.partner_id
         AND {window}
         AND b.initiative_id <> a.initiative_id
        WHERE a.announced_on IS NOT NULL
          AND ((a.amount_usd IS NULL AND b.amount_usd IS NULL)
               OR ABS(a.amount_usd - b.amount_usd) <= ({smaller}) * {int(p)} / {int(q - p)})
          AND EXISTS (
              SELECT 1 FROM {shares} sa
              JOIN {shares} sb ON sb.country = sa.country AND sb.commitment_id = b.id
              WHERE sa.commitment_id = a.id)
          AND NOT EXISTS (
              SELECT 1 FROM {dismissals} d
              WHERE (d.first_id = a.id AND d.second_id = b.id)
                 OR (d.first_id = b.id AND d.second_id = a.id))"""


def _candidate_pairs(low: int, high: int) -> list[_Row]:
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The join's estimated cost makes PostgreSQL compile it (JIT): about 0.3 s at
            # 50,000 commitments, more than the query itself takes.
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(_candidate_pairs_sql(connection.vendor, low, high))
        return [
            (
                int(a),
                int(b),
                int(days),
                None if amount_a is None else int(amount_a),
                None if amount_b is None else int(amount_b),
                int(initiative_a),
                int(initiative_b),
            )
            for a, b, days, amount_a, amount_b, initiative_a, initiative_b in cursor.fetchall()
        ]


@dataclass(frozen=True)
class _Groups:
    """The groups of same pledges the candidates are in: each linked commitment's
    representative, and the initiatives each group has a commitment under (its
    representative's and every member's, dated or not)."""

    links: dict[int, int]
    representatives: set[int]
    initiatives: dict[int, set[int]]

    @classmethod
    def of(cls, ids: set[int]) -> _Groups:
        if not ids:
            return cls({}, set(), {})
        links = dict(
            SamePledge.objects.filter(
                Q(commitment_id__in=ids) | Q(counted_as_id__in=ids)
            ).values_list("commitment_id", "counted_as_id")
        )
        representatives = set(links.values())
        initiatives: dict[int, set[int]] = defaultdict(set)
        for rep, initiative_id in SamePledge.objects.filter(
            counted_as_id__in=representatives
        ).values_list("counted_as_id", "commitment__initiative_id"):
            initiatives[rep].add(initiative_id)
        for rep, initiative_id in Commitment.objects.filter(pk__in=representatives).values_list(
            "pk", "initiative_id"
        ):
            initiatives[rep].add(initiative_id)
        return cls(links, representatives, initiatives)

    def orient(self, row: _Row) -> tuple[int, int] | None:
        """(the commitment to link, what it is counted as), or None when the pair cannot be
        linked as it stands (linked already, both in groups, or the group has a commitment
        under that initiative already).

        The counted-as side is a group's representative when one of them is in a group, else
        the earlier announcement (the pledge as first made)."""
        earlier, later, _days, _a, _b, earlier_initiative, later_initiative = row
        rep_of = {pk: self.links.get(pk, pk) for pk in (earlier, later)}
        if rep_of[earlier] == rep_of[later]:
            return None  # linked already
        grouped = [pk for pk in (earlier, later) if pk in self.links or pk in self.representatives]
        if len(grouped) == 2:
            return None  # two groups: staff unlink one first
        if grouped:
            member, initiative = (
                (later, later_initiative)
                if grouped[0] == earlier
                else (earlier, earlier_initiative)
            )
            rep = rep_of[grouped[0]]
            if initiative in self.initiatives.get(rep, set()):
                return None
            return member, rep
        return later, earlier


def _suggestions(
    chosen: list[tuple[tuple[int, Decimal, tuple[int, int]], int, int]],
) -> list[Suggestion]:
    paired = {pk for key, _member, _counted_as in chosen for pk in key[2]}
    ids = paired | {counted_as for _key, _member, counted_as in chosen}
    commitments = Commitment.objects.select_related("initiative", "partner").in_bulk(ids)
    countries = _countries(paired)
    found = []
    for (days, _difference_or_zero, (a, b)), member, counted_as in chosen:
        first, second = commitments[a], commitments[b]
        found.append(
            Suggestion(
                commitment=commitments[member],
                counted_as=commitments[counted_as],
                countries=tuple(sorted(countries[a] & countries[b])),
                days_apart=days,
                difference=_difference(first.amount_usd, second.amount_usd),
            )
        )
    return found


def check_link(*, actor: Any, commitment: Commitment, counted_as: Commitment) -> Commitment:
    """Refuse a link that cannot be made (nothing written); returns the commitment the link
    points at: `counted_as`, or its group's representative if it is linked itself."""
    check_staff(actor)
    if commitment.pk == counted_as.pk:
        raise Invalid(_("A commitment cannot be the same pledge as itself."))
    rep = representative(counted_as)
    if rep.pk == representative(commitment).pk:
        raise Conflict(_("These commitments are linked as the same pledge already."))
    if SamePledge.objects.filter(commitment=commitment).exists():
        raise Conflict(
            _(
                "Commitment “%(reference)s” is linked as the same pledge as another one "
                "already; unlink it first."
            )
            % {"reference": commitment.reference}
        )
    followers = SamePledge.objects.filter(counted_as=commitment).count()
    if followers:
        raise Conflict(
            _("Other commitments are counted as “%(reference)s”; link “%(other)s” to it instead.")
            % {"reference": commitment.reference, "other": rep.reference}
        )
    if commitment.partner_id != rep.partner_id:
        raise Invalid(_("The same pledge is made by the same partner; these partners differ."))
    taken = {c.initiative_id: c for c in group_of(rep)}
    if commitment.initiative_id in taken:
        other = taken[commitment.initiative_id]
        raise Invalid(
            _(
                "Commitment “%(other)s” is this pledge under the same initiative as "
                "“%(reference)s”: one pledge has one commitment per initiative."
            )
            % {"other": other.reference, "reference": commitment.reference}
        )
    return rep


def do_link_same_pledge(
    *, actor: Any, commitment: Commitment, counted_as: Commitment, note: str = ""
) -> SamePledge:
    """Link `commitment` as the same pledge as `counted_as` (or its group's representative),
    all or nothing, with a history row saying who and why."""
    with transaction.atomic():
        # Two staff confirming the same pair at once: the second waits, then sees the first.
        locked = {
            c.pk: c
            for c in Commitment.objects.select_for_update().filter(
                pk__in=[commitment.pk, counted_as.pk]
            )
        }
        if len(locked) != len({commitment.pk, counted_as.pk}):
            raise Conflict(_("One of the commitments no longer exists."))
        commitment, counted_as = locked[commitment.pk], locked[counted_as.pk]
        rep = check_link(actor=actor, commitment=commitment, counted_as=counted_as)
        note = (note or "").strip()
        reason = _("Confirmed “%(reference)s” as the same pledge as “%(other)s”") % {
            "reference": commitment.reference,
            "other": rep.reference,
        }
        if note:
            reason = f"{reason}: {note}"
        link = SamePledge(
            commitment=commitment,
            counted_as=rep,
            confirmed_on=timezone.localdate(),
            note=note,
        )
        try:
            with transaction.atomic():
                history.save(link, user=actor, reason=reason)
        except IntegrityError:
            raise Conflict(_("These commitments were linked meanwhile.")) from None
        return link


def do_unlink_same_pledge(*, actor: Any, link: SamePledge, reason: str = "") -> Commitment:
    """Remove a link: the commitment counts on its own across initiatives again. Returns it."""
    check_staff(actor)
    with transaction.atomic():
        found = SamePledge.objects.select_for_update().filter(pk=link.pk).first()
        if found is None:
            raise Conflict(_("This link was removed already."))
        commitment = found.commitment
        text = _("Unlinked “%(reference)s” from “%(other)s”: not the same pledge") % {
            "reference": commitment.reference,
            "other": found.counted_as.reference,
        }
        if reason.strip():
            text = f"{text}: {reason.strip()}"
        history.delete(found, user=actor, reason=text)
        return commitment


def do_dismiss_same_pledge(
    *, actor: Any, first: Commitment, second: Commitment, note: str = ""
) -> SamePledgeDismissal:
    """Staff say two commitments are not the same pledge: the pair is not suggested again."""
    check_staff(actor)
    if first.pk == second.pk:
        raise Invalid(_("A commitment cannot be the same pledge as itself."))
    low, high = sorted((first.pk, second.pk))
    dismissal, _made = SamePledgeDismissal.objects.get_or_create(
        first_id=low,
        second_id=high,
        defaults={
            "dismissed_by": actor if getattr(actor, "pk", None) is not None else None,
            "note": (note or "").strip(),
        },
    )
    return dismissal


def also_announced_under(commitment: Commitment) -> list[Commitment]:
    """The other commitments of the same pledge (under other initiatives), published or not:
    the page that shows them decides what it may show."""
    return [c for c in group_of(commitment) if c.pk != commitment.pk]

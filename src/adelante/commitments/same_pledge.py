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

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante import history
from adelante.commitments.models import Commitment, CountryShare, SamePledge, SamePledgeDismissal
from adelante.editing import may_edit
from adelante.errors import Conflict, Invalid, NotAllowed

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


def suggest_same_pledges(*, limit: int | None = SUGGESTIONS_SHOWN) -> list[Suggestion]:
    """Likely same pledges not yet linked nor dismissed, the closest first (fewest days apart,
    then the smallest difference in amount). Only partners with commitments under two or more
    initiatives are read (grouped in the database), and only their commitments are paired."""
    partners = (
        Commitment.objects.filter(announced_on__isnull=False)
        .values("partner_id")
        .annotate(initiatives=Count("initiative_id", distinct=True))
        .filter(initiatives__gte=2)
        .values("partner_id")
    )
    commitments = list(
        Commitment.objects.filter(partner_id__in=partners, announced_on__isnull=False)
        .select_related("initiative", "partner")
        .order_by("partner_id", "announced_on", "id")
    )
    if not commitments:
        return []
    ids = [c.pk for c in commitments]
    countries = _countries(ids)
    links = dict(
        SamePledge.objects.filter(Q(commitment_id__in=ids) | Q(counted_as_id__in=ids)).values_list(
            "commitment_id", "counted_as_id"
        )
    )
    representatives = set(links.values())
    dismissed = set(
        SamePledgeDismissal.objects.filter(first_id__in=ids).values_list("first_id", "second_id")
    )
    # The initiatives each group already has a commitment under.
    group_initiatives: dict[int, set[int]] = defaultdict(set)
    by_id = {c.pk: c for c in commitments}
    for linked, rep in links.items():
        for pk in (linked, rep):
            if pk in by_id:
                group_initiatives[rep].add(by_id[pk].initiative.pk)
    if set(links.values()) - set(by_id):
        # A representative outside the read partners: not possible (same partner), but safe.
        for pk, initiative_id in Commitment.objects.filter(
            pk__in=set(links.values()) - set(by_id)
        ).values_list("pk", "initiative_id"):
            group_initiatives[pk].add(initiative_id)

    by_partner: dict[int, list[Commitment]] = defaultdict(list)
    for c in commitments:
        by_partner[c.partner_id].append(c)

    found: list[Suggestion] = []
    for mine in by_partner.values():
        for i, a in enumerate(mine):
            for b in mine[i + 1 :]:
                assert a.announced_on is not None and b.announced_on is not None
                days = (b.announced_on - a.announced_on).days  # ordered by date: never negative
                if days > WITHIN_DAYS:
                    break  # every later one is further away
                if a.initiative_id == b.initiative_id:
                    continue
                if (min(a.pk, b.pk), max(a.pk, b.pk)) in dismissed:
                    continue
                shared = countries.get(a.pk, set()) & countries.get(b.pk, set())
                if not shared or not amounts_match(a.amount_usd, b.amount_usd):
                    continue
                oriented = _orient(a, b, links, representatives, group_initiatives)
                if oriented is None:
                    continue
                member, counted_as = oriented
                found.append(
                    Suggestion(
                        commitment=member,
                        counted_as=counted_as,
                        countries=tuple(sorted(shared)),
                        days_apart=days,
                        difference=_difference(a.amount_usd, b.amount_usd),
                    )
                )
    found.sort(key=lambda s: (s.days_apart, s.difference or Decimal(0), s.pair))
    return found if limit is None else found[:limit]


def _orient(
    earlier: Commitment,
    later: Commitment,
    links: dict[int, int],
    representatives: set[int],
    group_initiatives: dict[int, set[int]],
) -> tuple[Commitment, Commitment] | None:
    """(the commitment to link, what it is counted as), or None when the pair cannot be linked
    as it stands (both in groups already, or the group has a commitment under that initiative).

    The counted-as side is a group's representative when one of them is in a group, else the
    earlier announcement (the pledge as first made)."""
    rep_of = {c.pk: links.get(c.pk, c.pk) for c in (earlier, later)}
    if rep_of[earlier.pk] == rep_of[later.pk]:
        return None  # linked already
    grouped = [c for c in (earlier, later) if c.pk in links or c.pk in representatives]
    if len(grouped) == 2:
        return None  # two groups: staff unlink one first
    if grouped:
        in_group = grouped[0]
        member = later if in_group is earlier else earlier
        rep_pk = rep_of[in_group.pk]
        if member.initiative_id in group_initiatives.get(rep_pk, set()):
            return None
        counted_as = in_group if rep_pk == in_group.pk else _load(rep_pk)
        return member, counted_as
    return later, earlier


def _load(pk: int) -> Commitment:
    return Commitment.objects.select_related("initiative", "partner").get(pk=pk)


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

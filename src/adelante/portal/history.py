"""A commitment's public history: what changed and when, from django-simple-history.

Only what was public is shown: versions before the commitment was first published (a proposal
under review, its draft amounts) are left out, and so are versions while it was not public.
Who made a change and the internal reason are not shown. A confidential amount is never shown,
in either version of a change: the change says "confidential" instead.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adelante.catalogue.models import FocusArea
from adelante.commitments.choices import PUBLISHED_STATUSES
from adelante.commitments.models import Commitment, Round
from adelante.commitments.publication import is_withheld
from adelante.currency.models import ExchangeRate
from adelante.money.formatting import format_number, format_usd
from adelante.partners.models import Partner

#: The fields a reader may see change, in the order they are listed.
PUBLIC_FIELDS = (
    "status",
    "withdrawn_on",
    "partner",
    "round",
    "announced_on",
    "title",
    "summary",
    "focus_text",
    "focus_areas",
    "kind",
    "qualifier",
    "amount",
    "currency",
    "amount_usd",
    "exchange_rate",
    "relation",
    "relates_to",
    "starts_on",
    "ends_on",
)
_AMOUNTS = {"amount", "amount_usd", "exchange_rate"}
#: Versions saved within this time of each other are one change (one save, one import row).
SAME_CHANGE = datetime.timedelta(seconds=60)


@dataclass(frozen=True)
class Change:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    #: True for the version in which the commitment was first published.
    published: bool
    changes: tuple[Change, ...]


def public_history(commitment: Commitment) -> tuple[HistoryEntry, ...]:
    """Newest first: each public change against the public state before it.

    Versions saved moments apart (an import writes the commitment, then its focus areas) are
    one change: a group of versions within `SAME_CHANGE` of its first counts as one entry.
    """
    versions = list(commitment.history.order_by("history_date", "history_id"))
    public = [v for v in versions if v.status in PUBLISHED_STATUSES and v.history_type != "-"]
    groups: list[list[Any]] = []
    for version in public:
        if groups and version.history_date - groups[-1][0].history_date <= SAME_CHANGE:
            groups[-1].append(version)
        else:
            groups.append([version])
    entries: list[HistoryEntry] = []
    for i, group in enumerate(groups):
        if i == 0:
            entries.append(HistoryEntry(group[0].history_date, True, ()))
            continue
        changes = _changes(groups[i - 1][-1], group[-1])
        if changes:
            entries.append(HistoryEntry(group[0].history_date, False, changes))
    return tuple(reversed(entries))


def _changes(old: Any, new: Any) -> tuple[Change, ...]:
    delta = new.diff_against(old, included_fields=PUBLIC_FIELDS)
    by_field = {change.field: change for change in delta.changes}
    labels = {
        f.name: str(f.verbose_name)
        for f in Commitment._meta.get_fields()
        if hasattr(f, "verbose_name")
    }
    result = []
    old_hidden, new_hidden = is_withheld(old.qualifier), is_withheld(new.qualifier)
    for name in PUBLIC_FIELDS:
        change = by_field.get(name)
        if name in _AMOUNTS and (old_hidden or new_hidden):
            # Whether a confidential amount changed is a fact about it: an amount's line
            # appears only when it turns confidential or public, and then whatever it was.
            change = _amount_change(name, old, new, old_hidden, new_hidden)
        if change is None:
            continue
        show = _formatter(name)
        result.append(
            Change(
                field=labels.get(name, name),
                old=_shown(name, change.old, old.qualifier, show),
                new=_shown(name, change.new, new.qualifier, show),
            )
        )
    return tuple(result)


@dataclass(frozen=True)
class _AmountChange:
    old: Any
    new: Any


def _amount_change(
    name: str, old: Any, new: Any, old_hidden: bool, new_hidden: bool
) -> _AmountChange | None:
    """The change of an amount field when either version is confidential (rule 7): none
    between two confidential versions, and otherwise one that does not depend on the
    confidential value (only on the public one: shown when there is one)."""
    if old_hidden and new_hidden:
        return None
    public_value = getattr(new if old_hidden else old, _column(name))
    if public_value is None:
        return None
    return _AmountChange(getattr(old, _column(name)), getattr(new, _column(name)))


def _column(name: str) -> str:
    return "exchange_rate_id" if name == "exchange_rate" else name


def _shown(name: str, value: Any, qualifier: str, show: Callable[[Any], str]) -> str:
    if name in _AMOUNTS and is_withheld(qualifier):
        return str(_("confidential"))
    if value is None or value == "" or value == []:
        return "—"
    return show(value)


def _formatter(name: str) -> Callable[[Any], str]:
    field = Commitment._meta.get_field(name)
    choices = dict(getattr(field, "choices", None) or ())
    if choices:
        return lambda value: str(choices.get(value, value))
    if name == "amount_usd":
        return lambda value: format_usd(Decimal(value))
    if name == "amount":
        return lambda value: format_number(Decimal(value))
    if name in {"withdrawn_on", "announced_on", "starts_on", "ends_on"}:
        return lambda value: date_format(value, "DATE_FORMAT")
    if name == "partner":
        return lambda value: _name(Partner.objects.filter(id=value).values_list("name", flat=True))
    if name == "round":
        return lambda value: _name(Round.objects.filter(id=value).values_list("label", flat=True))
    if name == "relates_to":
        return lambda value: _name(
            Commitment.objects.filter(id=value).values_list("reference", flat=True)
        )
    if name == "exchange_rate":
        return _rate
    if name == "focus_areas":
        return _focus_areas
    return str


def _name(found: Iterable[str]) -> str:
    return next(iter(found), "—")


def _rate(value: Any) -> str:
    rate = ExchangeRate.objects.filter(id=value).first()
    if rate is None:
        return "—"
    return _("%(units)s %(currency)s per US dollar (%(day)s)") % {
        "units": format_number(rate.units_per_usd),
        "currency": rate.currency,
        "day": date_format(rate.on, "DATE_FORMAT"),
    }


def _focus_areas(value: Any) -> str:
    ids = [int(row["focusarea"]) for row in value if isinstance(row, dict) and row.get("focusarea")]
    names = [a.name for a in FocusArea.objects.filter(id__in=ids)]
    return ", ".join(sorted(names)) or "—"

"""Editions: every figure a document shows, gathered from the figures module, with its dates and
the checksum of those figures.

An edition knows nothing of languages or formats; `compose` turns it into a document in one
language and `render_*` into HTML, PDF or DOCX. Regenerating an edition from the record as it
stood on its recorded-on day gives the same figures, so the same checksum.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from adelante.commitments.models import Round
from adelante.errors import ErrorKind, Invalid
from adelante.figures.committed import committed, committed_by
from adelante.figures.ladder import Ladder, ladder
from adelante.figures.listing import (
    CommitmentLine,
    PartnerTotal,
    commitment_lines,
    partner_total,
)
from adelante.figures.progress import (
    Punctuality,
    ReachedBreakdown,
    SeriesPoint,
    TargetProgress,
    partner_series,
    punctuality,
    reached_by,
    target_progress,
)
from adelante.figures.reached import INDEPENDENTLY_VERIFIED, USD_INVESTED, invested, reached_all
from adelante.figures.reconcile import reconcile
from adelante.figures.record import Record
from adelante.figures.results import Breakdown, Committed, Reached, Reconciliation
from adelante.figures.rounds import RoundSheet, round_sheet
from adelante.initiatives import scope
from adelante.partners.models import Partner

PROGRESS = "progress"
ROUND = "round"
PARTNER = "partner"
KINDS = (PROGRESS, ROUND, PARTNER)

BREAKDOWNS = ("country", "kind", "focus")


class ReportError(Invalid):
    """Input that cannot make a report: an unknown round or partner, a date out of range."""


@dataclass(frozen=True)
class ProgressFigures:
    committed: Committed
    invested: Reached
    #: The part of `invested` from independently verified reports.
    invested_verified: Reached
    ladder: Ladder
    reached: tuple[Reached, ...]
    statements: tuple[Reconciliation, ...]
    committed_by: tuple[Breakdown, ...]
    invested_by: tuple[ReachedBreakdown, ...]
    reached_by: tuple[ReachedBreakdown, ...]
    commitments: tuple[CommitmentLine, ...]
    targets: tuple[TargetProgress, ...]


@dataclass(frozen=True)
class RoundFigures:
    sheet: RoundSheet
    #: New money by round up to this one (for the chart).
    by_round: Breakdown


@dataclass(frozen=True)
class PartnerFigures:
    name: str
    slug: str
    type: str
    total: PartnerTotal
    commitments: tuple[CommitmentLine, ...]
    targets: tuple[TargetProgress, ...]
    series: tuple[SeriesPoint, ...]
    punctuality: tuple[Punctuality, ...]


Figures = ProgressFigures | RoundFigures | PartnerFigures


@dataclass(frozen=True)
class Edition:
    """One document's figures, as of a date and as the record stood on a day."""

    kind: str
    #: The round's or the partner's slug; empty for a progress report.
    subject: str
    as_of: datetime.date
    #: The day whose record the figures come from: the day of generation for a live edition.
    recorded_on: datetime.date
    #: True when regenerated from the history (`--recorded-on`), False when read live.
    from_history: bool
    figures: Figures
    #: SHA-256 of the canonical JSON of the figures (see `canonical_json`).
    checksum: str


# --- Checksums --------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Dataclasses, tuples, Decimals and dates as JSON values; `recorded_on` left out, since
    the same figures read live or from the history are the same edition."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.name != "recorded_on"
        }
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, Decimal):
        # One spelling for one number: 150, 150.0 and 150.00 are the same figure.
        text = format(value.normalize(), "f")
        return "0" if text in ("-0", "0") else text
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str | int | bool) or value is None:
        return str(value) if isinstance(value, str) else value
    raise TypeError(f"cannot put {type(value).__name__} in a checksum")


def canonical_json(kind: str, subject: str, as_of: datetime.date, figures: Figures) -> str:
    """The figures as JSON with sorted keys and no spaces: what the checksum is taken of."""
    payload = {
        "kind": kind,
        "subject": subject,
        "as_of": as_of.isoformat(),
        "figures": _plain(figures),
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def checksum_of(kind: str, subject: str, as_of: datetime.date, figures: Figures) -> str:
    return hashlib.sha256(canonical_json(kind, subject, as_of, figures).encode()).hexdigest()


# --- Input ------------------------------------------------------------------------------------


def first_round_date() -> datetime.date | None:
    rounds = Round.objects.filter(scope.initiative_q())
    first: datetime.date | None = rounds.aggregate(first=Min("announced_on"))["first"]
    return first


def check_dates(
    as_of: datetime.date | None, recorded_on: datetime.date | None
) -> tuple[datetime.date, datetime.date | None]:
    """The as-of date (today by default) after checking both dates; raises ReportError."""
    today = timezone.localdate()
    first = first_round_date()
    if first is None:
        raise ReportError(
            _("The record has no rounds yet: there is nothing to report."), kind=ErrorKind.CONFLICT
        )
    as_of = as_of or today
    if as_of > today:
        raise ReportError(
            _("The date %(date)s is in the future; choose a date up to today (%(today)s).")
            % {"date": as_of.isoformat(), "today": today.isoformat()}
        )
    if as_of < first:
        raise ReportError(
            _(
                "The date %(date)s is before the first round (%(first)s); "
                "choose a date on or after it."
            )
            % {"date": as_of.isoformat(), "first": first.isoformat()}
        )
    if recorded_on is not None and recorded_on > today:
        raise ReportError(
            _("The recorded-on date %(date)s is in the future; choose a day up to today.")
            % {"date": recorded_on.isoformat()}
        )
    return as_of, recorded_on


def find_round(text: str) -> Round:
    """A round by slug or label (case does not matter)."""
    text = text.strip()
    # The initiative's rounds only: another initiative may have a round of the same name.
    rounds = Round.objects.filter(scope.initiative_q())
    found = rounds.filter(slug=text).first() or (
        rounds.filter(label__iexact=text).order_by("announced_on").first()
    )
    if found is None:
        known = ", ".join(rounds.values_list("slug", flat=True))
        raise ReportError(
            _("No round is called “%(name)s”. Known rounds: %(known)s.")
            % {"name": text, "known": known or _("none")},
            kind=ErrorKind.NOT_FOUND,
        )
    return found


def find_partner(text: str) -> Partner:
    """A partner by slug, name or alias."""
    text = text.strip()
    found = Partner.objects.filter(slug=text).first() or Partner.objects.named(text).first()
    if found is None:
        raise ReportError(
            _("No partner is called “%(name)s” (by slug, name or alias).") % {"name": text},
            kind=ErrorKind.NOT_FOUND,
        )
    return found


# --- Gathering --------------------------------------------------------------------------------


def progress_edition(
    as_of: datetime.date | None = None, *, recorded_on: datetime.date | None = None
) -> Edition:
    as_of, recorded_on = check_dates(as_of, recorded_on)
    on = recorded_on
    others = reached_all(as_of, recorded_on=on)
    figures = ProgressFigures(
        committed=committed(as_of, recorded_on=on),
        invested=invested(as_of, recorded_on=on),
        invested_verified=invested(as_of, recorded_on=on, grade=INDEPENDENTLY_VERIFIED),
        ladder=ladder(as_of, recorded_on=on),
        reached=others,
        statements=reconcile(as_of, recorded_on=on),
        committed_by=tuple(committed_by(d, as_of, recorded_on=on) for d in BREAKDOWNS),
        invested_by=tuple(reached_by(USD_INVESTED, d, as_of, recorded_on=on) for d in BREAKDOWNS),
        reached_by=tuple(
            reached_by(r.metric, d, as_of, recorded_on=on) for r in others for d in BREAKDOWNS
        ),
        commitments=commitment_lines(as_of, recorded_on=on),
        targets=target_progress(as_of, recorded_on=on),
    )
    return _edition(PROGRESS, "", as_of, recorded_on, figures)


def round_edition(name: str, *, recorded_on: datetime.date | None = None) -> Edition:
    found = find_round(name)
    recorded_on = check_dates(found.announced_on, recorded_on)[1]
    try:
        sheet = round_sheet(found.id, recorded_on=recorded_on)
    except LookupError:
        raise ReportError(
            _("The round “%(name)s” was not yet in the record on %(date)s.")
            % {"name": found.label, "date": recorded_on.isoformat() if recorded_on else ""}
        ) from None
    by_round = committed_by("round", sheet.announced_on, recorded_on=recorded_on)
    return _edition(
        ROUND, sheet.slug, sheet.announced_on, recorded_on, RoundFigures(sheet, by_round)
    )


def partner_edition(
    name: str,
    as_of: datetime.date | None = None,
    *,
    recorded_on: datetime.date | None = None,
) -> Edition:
    found = find_partner(name)
    as_of, recorded_on = check_dates(as_of, recorded_on)
    recorded = Record(recorded_on).partners().filter(id=found.id).values("name", "slug", "type")
    partner = recorded.first()
    if partner is None:
        raise ReportError(
            _("The partner “%(name)s” was not yet in the record on %(date)s.")
            % {"name": found.name, "date": recorded_on.isoformat() if recorded_on else ""}
        )
    on = recorded_on
    figures = PartnerFigures(
        name=partner["name"],
        slug=partner["slug"],
        type=partner["type"],
        total=partner_total(found.id, as_of, recorded_on=on),
        commitments=commitment_lines(as_of, recorded_on=on, partner_id=found.id),
        targets=target_progress(as_of, recorded_on=on, partner_id=found.id),
        series=partner_series(found.id, as_of, recorded_on=on),
        punctuality=punctuality(found.id, as_of, recorded_on=on),
    )
    return _edition(PARTNER, partner["slug"], as_of, recorded_on, figures)


def _edition(
    kind: str,
    subject: str,
    as_of: datetime.date,
    recorded_on: datetime.date | None,
    figures: Figures,
) -> Edition:
    return Edition(
        kind=kind,
        subject=subject,
        as_of=as_of,
        recorded_on=recorded_on or timezone.localdate(),
        from_history=recorded_on is not None,
        figures=figures,
        checksum=checksum_of(kind, subject, as_of, figures),
    )


def gather(
    kind: str,
    subject: str = "",
    as_of: datetime.date | None = None,
    recorded_on: datetime.date | None = None,
) -> Edition:
    """The edition of a document of this kind (progress, round or partner)."""
    if kind == PROGRESS:
        return progress_edition(as_of, recorded_on=recorded_on)
    if not subject.strip():
        raise ReportError(_("Name the round.") if kind == ROUND else _("Name the partner."))
    if kind == ROUND:
        return round_edition(subject, recorded_on=recorded_on)
    if kind == PARTNER:
        return partner_edition(subject, as_of, recorded_on=recorded_on)
    raise ReportError(_("Unknown kind of report: %(kind)s.") % {"kind": kind})

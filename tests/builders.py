"""Builds real rows of the record for tests (no mocks): partners, rounds, commitments, reports."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal

from django.utils.text import slugify

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import MoneyKind, Relation, Status
from adelante.commitments.geography import set_countries
from adelante.commitments.models import Commitment, Round
from adelante.initiatives.models import InitiativeCountry
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.models import Partner
from adelante.partners.naming import normalise
from adelante.progress.models import ProgressReport, ProgressValue, ReportStatus
from adelante.workflow.models import ReportingSchedule


def partner(name: str, type: str = "company") -> Partner:
    found = Partner.objects.filter(normalised_name=normalise(name)).first()
    if found:
        return found
    return Partner.objects.create(
        name=name, slug=slugify(name), normalised_name=normalise(name), type=type
    )


def round_on(day: datetime.date, label: str | None = None) -> Round:
    label = label or f"Round of {day.isoformat()}"
    found = Round.objects.filter(announced_on=day, label=label).first()
    return found or Round.objects.create(
        label=label, slug=slugify(f"{day.isoformat()}-{label}"), announced_on=day
    )


def commitment(
    partner_name: str,
    amount: str | Decimal | None,
    on: datetime.date,
    *,
    countries: Mapping[str, Decimal | None] | Iterable[str] = ("GT",),
    qualifier: str | None = None,
    relation: str = Relation.NEW,
    kind: str = MoneyKind.UNSPECIFIED,
    status: str = Status.ANNOUNCED,
    withdrawn_on: datetime.date | None = None,
    focus: Iterable[str] = (),
    partner_type: str = "company",
    reporting: bool = False,
) -> Commitment:
    """A commitment; `reporting`: with the default reporting schedule (it reports through the
    platform, as one accepted through intake does)."""
    amount_usd = Decimal(amount) if amount is not None else None
    if qualifier is None:
        qualifier = AmountQualifier.EXACT if amount_usd is not None else AmountQualifier.UNDISCLOSED
    owner = partner(partner_name, partner_type)
    the_round = round_on(on)
    n = Commitment.objects.count() + 1
    made = Commitment.objects.create(
        reference=f"{the_round.slug}-{owner.slug}-{n}",
        partner=owner,
        round=the_round,
        announced_on=on,
        title=f"{partner_name} commitment {n}",
        amount=amount_usd,
        amount_usd=amount_usd,
        qualifier=qualifier,
        relation=relation,
        kind=kind,
        status=status,
        withdrawn_on=withdrawn_on,
    )
    shares = countries if isinstance(countries, Mapping) else dict.fromkeys(countries)
    # A commitment names only its initiative's countries (set_countries refuses others): the
    # initiative gets the countries the test names.
    for code in shares:
        InitiativeCountry.objects.get_or_create(
            initiative_id=made.initiative_id, code=code, defaults={"position": 99}
        )
    set_countries(made, shares)
    if focus:
        made.focus_areas.set(FocusArea.objects.filter(code__in=list(focus)))
    if reporting:
        ReportingSchedule.objects.create(commitment=made)
    return made


def report(
    of: Commitment,
    period_end: datetime.date,
    values: Mapping[str, str | Decimal],
    *,
    status: str = ReportStatus.VERIFIED,
) -> ProgressReport:
    made = ProgressReport.objects.create(
        commitment=of,
        period_start=period_end.replace(day=1),
        period_end=period_end,
        status=status,
    )
    for code, value in values.items():
        ProgressValue.objects.create(
            report=made, metric=Metric.objects.get(code=code), value=Decimal(value)
        )
    return made

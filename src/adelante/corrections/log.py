"""The public log of corrections: what was said, what was decided and why, what changed, when.

Only decided corrections are shown (the secretariat has read them), newest decision first;
a declined one marked hidden (spam, abuse) is left out. Nothing about who suggested it is
shown: neither the name nor the e-mail address. A change of a confidential amount is never
shown (DOMAIN rule 7): the log says "confidential" instead.

One rule, three doors: `decided` is which corrections are public (a queryset, so a caller can
filter and page it) and `entries` what the public reads of them; the portal (`public_log`), the
API (GET /api/v1/corrections) and the bulk downloads (`for_download`, the `corrections` table)
all call the two.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import models
from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from adelante.commitments.models import Commitment, OfficialStatement, Round
from adelante.commitments.publication import (
    is_withheld,
    published_commitments,
    published_partners,
    published_statements,
)
from adelante.corrections import subjects
from adelante.corrections.models import DECIDED, Correction, CorrectionStatus, Subject
from adelante.errors import ServiceError
from adelante.initiatives import scope
from adelante.initiatives.country_keys import initiative_countries
from adelante.money.fields import ExactDecimalField
from adelante.money.formatting import format_number
from adelante.partners.models import Partner

#: The site-wide log lists this many decisions, newest first.
LISTED = 500

_MODELS: dict[str, type[models.Model]] = {
    Subject.COMMITMENT: Commitment,
    Subject.PARTNER: Partner,
    Subject.STATEMENT: OfficialStatement,
}


@dataclass(frozen=True)
class LogEntry:
    number: int
    decided_at: datetime.datetime
    suggested_at: datetime.datetime
    subject: str
    subject_label: str
    subject_key: str
    #: The thing's name and public page ("" when it is no longer public).
    name: str
    page: str
    said: str
    source_url: str
    accepted: bool
    reason: str
    #: The field changed (its label in the reader's language), before and after; "" if none.
    field: str
    old: str
    new: str
    #: The same for machines: the field's code ("" if none), and the stored values before and
    #: after (None when no field was changed, or when they are a confidential amount).
    field_code: str
    old_value: str | None
    new_value: str | None
    #: The values are a confidential amount, withheld (DOMAIN rule 7).
    confidential: bool


def _shown(subject: str, field: str, raw: str, *, withheld: bool) -> str:
    """A stored value as the reader reads it, in the page's language."""
    # Withheld first: whether a confidential amount was empty is itself a fact about it.
    if withheld and field == "amount":
        return _("confidential")
    if raw == "":
        return "—"
    model = _MODELS.get(subject)
    if model is None:
        return raw
    model_field = subjects.field_of(model, field)
    if isinstance(model_field, models.DateField):
        try:
            return date_format(datetime.date.fromisoformat(raw), "DATE_FORMAT")
        except ValueError:
            return raw
    if isinstance(model_field, models.DecimalField | ExactDecimalField):
        try:
            return format_number(Decimal(raw))
        except InvalidOperation:
            return raw
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(raw, raw))
    return raw


def _label(subject: str, field: str) -> str:
    model = _MODELS.get(subject)
    if model is None or not field:
        return ""
    return subjects.field_label(model, field)


def _names(rows: list[Correction]) -> dict[tuple[str, str], tuple[str, str, bool]]:
    """Each subject's (name, page, withheld) as the public sees it now, in few queries."""
    keys: dict[str, set[str]] = {}
    for row in rows:
        keys.setdefault(row.subject, set()).add(row.subject_key)
    found: dict[tuple[str, str], tuple[str, str, bool]] = {}
    references = keys.get(Subject.COMMITMENT, set())
    for c in published_commitments().filter(reference__in=references).select_related("partner"):
        name = c.title or _("Commitment of %(partner)s") % {"partner": c.partner.name}
        page = reverse("portal:commitment", args=[c.reference])
        found[(Subject.COMMITMENT, c.reference)] = (name, page, is_withheld(c.qualifier))
    for p in published_partners().filter(slug__in=keys.get(Subject.PARTNER, set())):
        found[(Subject.PARTNER, p.slug)] = (p.name, reverse("portal:partner", args=[p.slug]), False)
    ids = [int(k) for k in keys.get(Subject.STATEMENT, set()) if k.isdigit()]
    for s in published_statements().filter(pk__in=ids):
        target = subjects.find(Subject.STATEMENT, str(s.pk))
        found[(Subject.STATEMENT, str(s.pk))] = (target.name, target.page, False)
    for key in keys.get(Subject.FIGURE, set()):
        try:
            target = subjects.find(Subject.FIGURE, key)
        except ServiceError:
            continue
        found[(Subject.FIGURE, key)] = (target.name, target.page, False)
    return found


def decided(about: Iterable[tuple[str, str]] | None = None) -> QuerySet[Correction]:
    """The corrections the public may read: decided and not hidden, newest decision first;
    all, or those about these subjects (pairs of a `Subject` and its key)."""
    rows = Correction.objects.filter(status__in=DECIDED, hidden=False)
    if about is not None:
        wanted = Q(pk__in=[])
        for subject, key in about:
            wanted |= Q(subject=subject, subject_key=key)
        rows = rows.filter(wanted)
    return rows.order_by("-decided_at", "-pk")


def entries(rows: Sequence[Correction]) -> list[LogEntry]:
    """What the public reads of these decided corrections (from `decided`), in their order;
    never who suggested them."""
    names = _names(list(rows))
    found = []
    for row in rows:
        # A commitment no longer public: its amounts are not shown either.
        gone = ("", "", row.subject == Subject.COMMITMENT)
        name, page, withheld = names.get((row.subject, row.subject_key), gone)
        field = row.changed_field
        confidential = withheld and field == "amount"
        assert row.decided_at is not None
        found.append(
            LogEntry(
                number=row.pk,
                decided_at=row.decided_at,
                suggested_at=row.created,
                subject=row.subject,
                subject_label=str(row.get_subject_display()),
                subject_key=row.subject_key,
                name=name,
                page=page,
                said=row.said,
                source_url=row.source_url,
                accepted=row.status == CorrectionStatus.ACCEPTED,
                reason=row.decision_reason,
                field=_label(row.subject, field),
                old=_shown(row.subject, field, row.old_value, withheld=withheld),
                new=_shown(row.subject, field, row.new_value, withheld=withheld),
                field_code=field,
                old_value=None if confidential or not field else row.old_value,
                new_value=None if confidential or not field else row.new_value,
                confidential=confidential,
            )
        )
    return found


def public_log(
    about: Iterable[tuple[str, str]] | None = None, *, limit: int = LISTED
) -> list[LogEntry]:
    """The portal's log: the latest `limit` public decisions, all or about these subjects."""
    return entries(list(decided(about)[:limit]))


# -- The downloads' table (adelante.exchange.tables, "corrections") --------------------------

#: The figure pages every initiative's portal has, under the same key (a correction of one is
#: listed on each initiative's page of that kind, so it is in each initiative's download).
EVERY_INITIATIVE = ("overview", "rounds", "countries")


def _about_the_initiative() -> Q:
    """Corrections about the initiative in scope: its commitments and official statements (public
    or not since: the log still lists them), the partners with a published commitment in it (as
    its `partners` table), its rounds' and countries' pages and the figure pages every
    initiative has."""
    mine = scope.initiative_q()
    commitments = Commitment.objects.filter(mine).values("reference")
    statements = (
        OfficialStatement.objects.filter(mine)
        .annotate(key=Cast("pk", output_field=CharField()))
        .values("key")
    )
    partners = published_partners().filter(
        pk__in=published_commitments().filter(mine).values("partner_id")
    )
    rounds = (
        Round.objects.filter(mine)
        .annotate(key=Concat(Value("round:"), "slug", output_field=CharField()))
        .values("key")
    )
    countries = [f"country:{code.lower()}" for code in initiative_countries()]
    return (
        Q(subject=Subject.COMMITMENT, subject_key__in=commitments)
        | Q(subject=Subject.STATEMENT, subject_key__in=statements)
        | Q(subject=Subject.PARTNER, subject_key__in=partners.values("slug"))
        | Q(subject=Subject.FIGURE, subject_key__in=rounds)
        | Q(subject=Subject.FIGURE, subject_key__in=[*EVERY_INITIATIVE, *countries])
    )


def decided_by(as_of: datetime.date | None) -> QuerySet[Correction]:
    """The public corrections of the initiative in scope (all of them across initiatives),
    decided on or before `as_of` (a day in the installation's time zone; None: every one), by
    number: the downloads' rows. A decision is dated as the other tables' rows are (announced,
    stated, dated by then), so a download as of a past day stays the same."""
    rows = decided()
    if scope.current() != scope.ACROSS:
        rows = rows.filter(_about_the_initiative())
    if as_of is not None:
        rows = rows.filter(decided_at__date__lte=as_of)
    return rows.order_by("pk")


@dataclass(frozen=True)
class DownloadEntry:
    """A log entry for the downloads: the English reading, with the Spanish of what the log
    words itself (the thing's name, the field's label). A table takes the stored values
    (`old_value`, `new_value`), never the values formatted for a page."""

    entry: LogEntry
    name_es: str
    field_es: str


def for_download(as_of: datetime.date | None, chunk: int = 2000) -> Iterator[DownloadEntry]:
    """The rows of `decided_by(as_of)`, read `chunk` at a time through one streaming cursor,
    each as `entries` reads it in English and in Spanish (so the same rule-7 treatment as the
    portal and the API: a confidential amount's values are None, `confidential` True)."""
    rows = decided_by(as_of).iterator(chunk_size=chunk)
    while batch := list(itertools.islice(rows, chunk)):
        with translation.override("en"):
            english = entries(batch)
        with translation.override("es"):
            spanish = entries(batch)
        for en, es in zip(english, spanish, strict=True):
            yield DownloadEntry(en, es.name, es.field)


def count_for_download(as_of: datetime.date | None) -> int:
    return decided_by(as_of).count()

"""The IATI 2.03 export: one activity per published commitment (docs/iati.md, "Export").

`write_activities` writes a whole file and `stream_activities` yields it in pieces (the API's
/api/v1/iati/activities.xml): both build one activity element at a time and hand it to lxml's
incremental writer, so memory does not grow with the record. `activity_element` is the
mapping itself; `codes` holds the codelist choices.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from babel.dates import format_date
from babel.lists import format_list
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from lxml import etree

from adelante.commitments.choices import Relation, Status
from adelante.commitments.models import Commitment, CountryShare, Target
from adelante.commitments.publication import published_commitments
from adelante.figures.reached import USD_INVESTED
from adelante.iati import codes
from adelante.iati.conf import ReportingOrg, publisher_in_language, reporting_org
from adelante.initiatives import scope
from adelante.initiatives.countries import country_name
from adelante.money.formatting import format_number, format_usd
from adelante.money.qualifiers import AmountQualifier
from adelante.partners.identifiers import preferred_identifier
from adelante.partners.models import PartnerType
from adelante.progress.models import ProgressReport, ProgressValue, ReportStatus

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
LANGUAGES = ("en", "es")
#: Commitments read from the database at a time.
CHUNK = 500


@dataclass(frozen=True)
class ExportContext:
    as_of: datetime.date
    generated_at: datetime.datetime
    org: ReportingOrg
    #: The initiative the file is about (the one in scope): its name in each language, its
    #: countries, and the DAC region that covers them all (None when none does).
    names: dict[str, str]
    slug: str
    countries: tuple[str, ...]
    region: str | None


def identifier(org: ReportingOrg, commitment: Commitment) -> str:
    """The activity's iati-identifier: the reporting organisation's, then the reference."""
    return f"{org.ref}-{commitment.reference}"


# -- Reading the record ----------------------------------------------------------------------


def _latest_change(model: Any, **match: Any) -> Subquery:
    history = model.history.model.objects.filter(**match).order_by("-history_date")
    return Subquery(history.values("history_date")[:1])


def commitments_for_export(as_of: datetime.date) -> QuerySet[Commitment]:
    """Published commitments as of the date, with everything an activity needs prefetched."""
    verified = (
        ProgressReport.objects.filter(status=ReportStatus.VERIFIED, period_end__lte=as_of)
        .order_by("period_end")
        .prefetch_related(
            Prefetch("values", queryset=ProgressValue.objects.select_related("metric"))
        )
    )
    return (
        published_commitments(as_of)
        .filter(scope.initiative_q())
        .select_related("partner", "round", "relates_to")
        .prefetch_related(
            "partner__identifiers",
            "countries",
            "focus_areas",
            "sources",
            Prefetch("targets", queryset=Target.objects.select_related("metric")),
            Prefetch("progress_reports", queryset=verified, to_attr="verified_reports"),
        )
        .annotate(
            changed=_latest_change(Commitment, id=OuterRef("pk")),
            shares_changed=_latest_change(CountryShare, commitment_id=OuterRef("pk")),
            targets_changed=_latest_change(Target, commitment_id=OuterRef("pk")),
            reports_changed=_latest_change(ProgressReport, commitment_id=OuterRef("pk")),
        )
        .order_by("announced_on", "reference")
    )


# -- Small builders --------------------------------------------------------------------------


def _sub(parent: Any, tag: str, attributes: dict[str, str] | None = None) -> Any:
    return etree.SubElement(parent, tag, attributes or {})


def _narratives(parent: Any, texts: dict[str, str]) -> None:
    """<narrative> children: English without xml:lang (the activity's language), others with."""
    for lang, text in texts.items():
        narrative = _sub(parent, "narrative")
        if lang != "en":
            narrative.set(XML_LANG, lang)
        narrative.text = text


def _in_languages(make: Any) -> dict[str, str]:
    """A generated text in each export language (gettext, the lead's Spanish catalogue)."""
    texts = {}
    for lang in LANGUAGES:
        with translation.override(lang):
            texts[lang] = str(make(lang))
    return texts


def _date(day: datetime.date, lang: str) -> str:
    return format_date(day, format="long", locale=lang)


def _partner_type(commitment: Commitment) -> str:
    try:
        return str(PartnerType(commitment.partner.type).label)
    except ValueError:
        return commitment.partner.type


# -- The activity ----------------------------------------------------------------------------


def last_updated(commitment: Any, fallback: datetime.datetime) -> datetime.datetime:
    """The latest change recorded to the commitment, its countries, targets or reports."""
    stamps = [
        getattr(commitment, name, None)
        for name in ("changed", "shares_changed", "targets_changed", "reports_changed")
    ]
    present = [stamp for stamp in stamps if stamp is not None]
    return min(max(present), fallback) if present else fallback


def activity_element(commitment: Any, context: ExportContext) -> Any:
    """The <iati-activity> of one published commitment."""
    org = context.org
    activity = etree.Element(
        "iati-activity",
        {
            "last-updated-datetime": last_updated(commitment, context.generated_at).isoformat(
                timespec="seconds"
            ),
            XML_LANG: "en",
            "default-currency": "USD",
        },
    )
    _sub(activity, "iati-identifier").text = identifier(org, commitment)
    reporting = _sub(activity, "reporting-org", {"ref": org.ref, "type": org.type})
    _narratives(reporting, {"en": org.name})

    _narratives(_sub(activity, "title"), _titles(commitment, context))
    _narratives(
        _sub(activity, "description", {"type": codes.GENERAL}), _general(commitment, context)
    )
    notes = _notes(commitment, context.as_of)
    if notes["en"]:
        _narratives(_sub(activity, "description", {"type": codes.OTHER_DESCRIPTION}), notes)

    partner = _sub(
        activity,
        "participating-org",
        {
            **_partner_ref(commitment),
            "role": codes.FUNDING_ROLE,
            "type": codes.organisation_type(commitment.partner.type),
        },
    )
    _narratives(partner, {"en": commitment.partner.name})

    status = codes.activity_status(commitment.status, commitment.withdrawn_on, context.as_of)
    _sub(activity, "activity-status", {"code": status})
    _activity_dates(activity, commitment, status, context)
    _geography(activity, commitment, context)
    for code, percentage in codes.sector_percentages(
        [area.dac_sector for area in commitment.focus_areas.all() if area.dac_sector]
    ).items():
        _sub(
            activity,
            "sector",
            {"vocabulary": "1", "code": code, "percentage": codes.decimal_text(percentage)},
        )
    _commitment_transaction(activity, commitment)
    _disbursements(activity, commitment)
    _result(activity, commitment, context)
    return activity


def _titles(commitment: Commitment, context: ExportContext) -> dict[str, str]:
    def make(lang: str) -> str:
        return _("Commitment by %(partner)s to %(initiative)s, announced on %(date)s") % {
            "partner": commitment.partner.name,
            "initiative": context.names[lang],
            "date": _date(commitment.announced_on, lang) if commitment.announced_on else "—",
        }

    generated = _in_languages(make)
    # The record's titles in each language where written; otherwise generated.
    return {
        "en": commitment.title or generated["en"],
        "es": commitment.title_es or generated["es"],
    }


def _names(codes: Iterable[str], lang: str) -> str:
    """Countries' names as a list in the language ("Guatemala, El Salvador and Honduras")."""
    # British English lists: no comma before "and", as the file always wrote them.
    locale = "en_GB" if lang == "en" else lang
    return format_list([country_name(code, lang) for code in codes], locale=locale)


def _country_names(commitment: Commitment, context: ExportContext, lang: str) -> str:
    shares = sorted(commitment.countries.all(), key=lambda row: row.country)
    if not shares:
        return _("the region (%(countries)s)") % {"countries": _names(context.countries, lang)}
    return ", ".join(country_name(row.country, lang) for row in shares)


def _general(commitment: Commitment, context: ExportContext) -> dict[str, str]:
    summary = commitment.summary.strip()
    summary_es = commitment.summary_es.strip()

    def make(lang: str) -> str:
        focus = [
            area.name_es if lang == "es" else area.name_en for area in commitment.focus_areas.all()
        ]
        text = _(
            "%(partner)s (%(type)s) made this commitment to %(initiative)s for %(countries)s."
        ) % {
            "partner": commitment.partner.name,
            "type": _partner_type(commitment),
            "initiative": context.names[lang],
            "countries": _country_names(commitment, context, lang),
        }
        text += " " + _("Kind of money: %(kind)s.") % {"kind": commitment.get_kind_display()}
        if focus:
            text += " " + _("Focus: %(areas)s.") % {"areas": ", ".join(sorted(focus))}
        if summary:
            text += " " + _("The summary of this commitment is recorded in English only.")
        return text

    generated = _in_languages(make)
    # Each narrative is the summary in its language when there is one (docs/iati.md).
    return {"en": summary or generated["en"], "es": summary_es or generated["es"]}


def _amount_note(commitment: Commitment, lang: str) -> str:
    qualifier = commitment.qualifier
    # Confidential first: whether the record has the amount is no business of the file either.
    if qualifier == AmountQualifier.CONFIDENTIAL:
        return _(
            "The amount of this commitment is confidential: it is not published and is in "
            "no public total, so this activity has no commitment value."
        )
    if qualifier == AmountQualifier.UNDISCLOSED or commitment.amount is None:
        return _("No amount was made public for this commitment.")
    amount = (
        format_usd(commitment.amount_usd, lang)
        if commitment.amount_usd is not None
        else f"{format_number(commitment.amount, lang)} {commitment.currency}"
    )
    stated = {
        AmountQualifier.AT_LEAST: _("Amount stated as at least %(amount)s."),
        AmountQualifier.ABOUT: _("Amount stated as about %(amount)s."),
        AmountQualifier.UP_TO: _("Amount stated as up to %(amount)s."),
    }.get(AmountQualifier(qualifier), _("Amount stated: %(amount)s."))
    text = stated % {"amount": amount}
    if commitment.currency != "USD" and commitment.amount_usd is not None:
        text += " " + _(
            "Stated as %(amount)s %(currency)s, converted at the rate of the announcement date."
        ) % {"amount": format_number(commitment.amount, lang), "currency": commitment.currency}
    return text


def _notes(commitment: Commitment, as_of: datetime.date) -> dict[str, str]:
    def make(lang: str) -> str:
        sentences = [_amount_note(commitment, lang)]
        earlier = commitment.relates_to
        if commitment.relation == Relation.RESTATEMENT:
            sentences.append(
                _(
                    "This commitment restates an earlier one (%(reference)s): its amount is "
                    "reported there and is not counted again."
                )
                % {"reference": earlier.reference if earlier else "—"}
            )
        elif commitment.relation == Relation.INCREASE and earlier is not None:
            sentences.append(
                _("This commitment adds to an earlier one (%(reference)s).")
                % {"reference": earlier.reference}
            )
        withdrawn = commitment.withdrawn_on
        if commitment.status == Status.WITHDRAWN and withdrawn is not None and withdrawn <= as_of:
            sentences.append(_("Withdrawn on %(date)s.") % {"date": _date(withdrawn, lang)})
        urls = [source.url for source in commitment.sources.all()]
        if urls:
            sentences.append(_("Sources: %(urls)s") % {"urls": " ; ".join(urls)})
        return " ".join(sentences)

    return _in_languages(make)


def _activity_dates(
    activity: Any, commitment: Commitment, status: str, context: ExportContext
) -> None:
    today = min(context.as_of, context.generated_at.date())
    start = commitment.starts_on or commitment.announced_on
    assert start is not None  # published commitments are announced on a date
    planned = _sub(activity, "activity-date", {"iso-date": start.isoformat(), "type": "1"})
    if commitment.starts_on is None:
        _narratives(
            planned,
            _in_languages(lambda lang: _("No start date was stated: the date of announcement.")),
        )
    actual_start = commitment.starts_on
    if status not in (codes.IMPLEMENTATION, codes.CLOSED) or (actual_start or today) > today:
        actual_start = None
    if actual_start is not None:
        _sub(activity, "activity-date", {"iso-date": actual_start.isoformat(), "type": "2"})
    if commitment.ends_on is not None and commitment.ends_on >= start:
        _sub(activity, "activity-date", {"iso-date": commitment.ends_on.isoformat(), "type": "3"})
    ended = None
    if status == codes.CLOSED:
        ended = commitment.ends_on
    elif status == codes.CANCELLED:
        ended = commitment.withdrawn_on
    if ended is not None and ended <= today and (actual_start is None or ended >= actual_start):
        _sub(activity, "activity-date", {"iso-date": ended.isoformat(), "type": "4"})


def _geography(activity: Any, commitment: Commitment, context: ExportContext) -> None:
    shares = {row.country: row.share_percent for row in commitment.countries.all()}
    if not shares:
        # The region: the DAC region code where one covers every country of the initiative
        # (389 for Guatemala, El Salvador and Honduras). Where none does, the initiative's own
        # region in the reporting organisation's vocabulary (99, code: the initiative's slug):
        # an activity must name a recipient country or region, and no DAC code would be true.
        attributes = (
            {"code": context.region, "vocabulary": "1"}
            if context.region is not None
            else {"code": context.slug, "vocabulary": codes.REPORTING_ORG_VOCABULARY}
        )
        region = _sub(activity, "recipient-region", {**attributes, "percentage": "100"})
        _narratives(
            region,
            _in_languages(
                lambda lang: (
                    _("%(initiative)s: %(countries)s")
                    % {
                        "initiative": context.names[lang],
                        "countries": _names(context.countries, lang),
                    }
                )
            ),
        )
        return
    for code, percentage in codes.country_percentages(shares).items():
        _sub(
            activity,
            "recipient-country",
            {"code": code, "percentage": codes.decimal_text(percentage)},
        )


def _provider(transaction: Any, commitment: Commitment) -> None:
    provider = _sub(
        transaction,
        "provider-org",
        {**_partner_ref(commitment), "type": codes.organisation_type(commitment.partner.type)},
    )
    _narratives(provider, {"en": commitment.partner.name})


def _partner_ref(commitment: Commitment) -> dict[str, str]:
    """The partner's organisation identifier as `ref`, where it has one (docs/iati.md)."""
    ref = preferred_identifier(i.identifier for i in commitment.partner.identifiers.all())
    return {"ref": ref} if ref else {}


def _transaction(
    activity: Any,
    kind: str,
    day: datetime.date,
    value: Decimal,
    currency: str,
    description: dict[str, str],
    ref: str,
) -> Any:
    transaction = _sub(activity, "transaction", {"ref": ref})
    _sub(transaction, "transaction-type", {"code": kind})
    _sub(transaction, "transaction-date", {"iso-date": day.isoformat()})
    value_element = _sub(
        transaction, "value", {"currency": currency, "value-date": day.isoformat()}
    )
    value_element.text = codes.money_text(value)
    _narratives(_sub(transaction, "description"), description)
    return transaction


def _commitment_transaction(activity: Any, commitment: Commitment) -> None:
    """Type 2, the commitment: new money with a public amount only (docs/iati.md)."""
    if commitment.relation == Relation.RESTATEMENT:
        return
    if commitment.qualifier in (AmountQualifier.UNDISCLOSED, AmountQualifier.CONFIDENTIAL):
        return
    if commitment.announced_on is None:
        return
    if commitment.amount_usd is not None:
        value, currency = commitment.amount_usd, "USD"
    elif commitment.amount is not None:
        value, currency = commitment.amount, commitment.currency
    else:
        return
    transaction = _transaction(
        activity,
        codes.TRANSACTION_COMMITMENT,
        commitment.announced_on,
        value,
        currency,
        _in_languages(lambda lang: _amount_note(commitment, lang)),
        f"{commitment.reference}-commitment",
    )
    _provider(transaction, commitment)


def _disbursements(activity: Any, commitment: Any) -> None:
    """Type 3: what verified progress says was invested, period by period."""
    values: list[tuple[datetime.date, Decimal]] = []
    incremental = False
    for report in commitment.verified_reports:
        for value in report.values.all():
            if value.metric.code == USD_INVESTED:
                values.append((report.period_end, value.value))
                incremental = value.metric.accumulation == "incremental"
    steps = values if incremental else codes.increments(values)
    for day, step in sorted(steps):
        if not step:
            continue
        transaction = _transaction(
            activity,
            codes.TRANSACTION_DISBURSEMENT,
            day,
            step,
            "USD",
            _in_languages(
                lambda lang, day=day: (
                    _("Invested in the period ending %(date)s, from verified progress reports.")
                    % {"date": _date(day, lang)}
                )
            ),
            f"{commitment.reference}-invested-{day.isoformat()}",
        )
        _provider(transaction, commitment)


def _result(activity: Any, commitment: Any, context: ExportContext) -> None:
    """Indicators of the metric catalogue: targets, and actuals from verified progress."""
    metrics: dict[str, Any] = {}
    targets: dict[str, list[Target]] = {}
    actuals: dict[str, list[tuple[ProgressReport, Decimal]]] = {}
    for target in commitment.targets.all():
        if target.metric.code != USD_INVESTED:
            metrics[target.metric.code] = target.metric
            targets.setdefault(target.metric.code, []).append(target)
    for report in commitment.verified_reports:
        for value in report.values.all():
            if value.metric.code != USD_INVESTED:
                metrics[value.metric.code] = value.metric
                actuals.setdefault(value.metric.code, []).append((report, value.value))
    if not metrics:
        return
    result = _sub(activity, "result", {"type": codes.RESULT_OUTPUT})
    _narratives(
        _sub(result, "title"),
        # To the publisher (the reporting organisation), whose secretariat verifies them.
        _in_languages(
            lambda lang: (
                _("Results reported to %(publisher)s")
                % {"publisher": publisher_in_language(context.org.name)}
            )
        ),
    )
    start = commitment.starts_on or commitment.announced_on
    for code in sorted(metrics):
        metric = metrics[code]
        indicator = _sub(result, "indicator", {"measure": codes.MEASURE_UNIT, "ascending": "1"})
        _narratives(_sub(indicator, "title"), {"en": metric.name_en, "es": metric.name_es})
        undated = [t for t in targets.get(code, []) if not (t.by_date or commitment.ends_on)]
        _narratives(
            _sub(indicator, "description"),
            _in_languages(
                lambda lang, metric=metric, undated=undated: _indicator_note(metric, undated, lang)
            ),
        )
        for target in targets.get(code, []):
            end = target.by_date or commitment.ends_on
            if end is None:
                continue
            period = _period(indicator, min(start, end), end)
            _sub(period, "target", {"value": codes.decimal_text(target.value)})
        for report, value in actuals.get(code, []):
            period = _period(indicator, report.period_start, report.period_end)
            _sub(period, "actual", {"value": codes.decimal_text(value)})


def _indicator_note(metric: Any, undated: list[Target], lang: str) -> str:
    if metric.accumulation == "incremental":
        text = _("Actual values are per period, from verified progress reports.")
    else:
        text = _(
            "Actual values are cumulative to the end of each period, from verified progress "
            "reports."
        )
    for target in undated:
        text += " " + _("Target without a date: %(value)s.") % {
            "value": format_number(target.value, lang)
        }
    return text


def _period(indicator: Any, start: datetime.date, end: datetime.date) -> Any:
    period = _sub(indicator, "period")
    _sub(period, "period-start", {"iso-date": start.isoformat()})
    _sub(period, "period-end", {"iso-date": end.isoformat()})
    return period


# -- The document ----------------------------------------------------------------------------


def _context(as_of: datetime.date | None, generated_at: datetime.datetime | None) -> ExportContext:
    generated = (generated_at or timezone.now()).replace(microsecond=0)
    initiative = scope.initiative_or_primary()
    countries = initiative.country_codes()
    return ExportContext(
        as_of=as_of or timezone.localdate(),
        generated_at=generated,
        org=reporting_org(),
        names={"en": initiative.name, "es": initiative.name_es or initiative.name},
        slug=initiative.slug,
        countries=countries,
        region=codes.region_of(countries),
    )


def write_activities(
    out: IO[bytes] | Any,
    as_of: datetime.date | None = None,
    *,
    generated_at: datetime.datetime | None = None,
) -> int:
    """Write the IATI activity file as of the date (default today) to a binary stream.

    Returns the number of activities. IATI requires at least one activity in a file: with no
    published commitment the document is empty, and not valid; the command says so.
    """
    count = 0
    for xf in _document(out, _context(as_of, generated_at)):
        count += 1
        if count % CHUNK == 0:
            xf.flush()
    return count


def _document(target: IO[bytes] | Any, context: ExportContext) -> Iterator[Any]:
    """Write the activity file to the target, giving back the writer after each activity."""
    with etree.xmlfile(target, encoding="utf-8") as xf:
        xf.write_declaration()
        root = {"version": codes.VERSION, "generated-datetime": context.generated_at.isoformat()}
        with xf.element("iati-activities", root):
            xf.write("\n")
            for commitment in commitments_for_export(context.as_of).iterator(chunk_size=CHUNK):
                xf.write(activity_element(commitment, context), pretty_print=True)
                yield xf


class _Chunks:
    """A write target that keeps what it is given until it is taken."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> None:
        self.parts.append(bytes(data))

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def stream_activities(
    as_of: datetime.date | None = None, *, generated_at: datetime.datetime | None = None
) -> Iterator[bytes]:
    """The same document as `write_activities`, in pieces of about one activity each."""
    chunks = _Chunks()
    for xf in _document(chunks, _context(as_of, generated_at)):
        xf.flush()
        data = chunks.take()
        if data:
            yield data
    data = chunks.take()
    if data:
        yield data

"""The published record as tables, for the bulk downloads (CSV, XLSX, JSON, data package).

Each table has typed columns with a title and a description in English and Spanish (the data
dictionary of the data package): written here in English, as messages of the Spanish catalogue
(locale/es), so the dictionary says in Spanish what the portal says. The `commitments`,
`statements` and `exchange_rates` tables use the import format (docs/import.md), so a download
imports back into an empty database. Rows come from the database through one streaming cursor
per table (constant memory whatever the size), with the publication rules of
`adelante.commitments.publication` applied.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone, translation
from django.utils.functional import Promise, lazy
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from adelante.catalogue.models import FocusArea, Metric, StatementName
from adelante.commitments import publication
from adelante.commitments.choices import DatePrecision
from adelante.commitments.models import Commitment, CountryShare, Source, Target
from adelante.commitments.publication import STATEMENT_FIELDS, is_withheld
from adelante.corrections import log as corrections_log
from adelante.currency.models import ExchangeRate
from adelante.exchange.cells import REGION
from adelante.exchange.template import example_countries
from adelante.figures.ladder import STEPS, ladder
from adelante.figures.reconcile import reconcile
from adelante.initiatives import scope
from adelante.initiatives.country_keys import initiative_countries
from adelante.partners.models import Partner, PartnerAlias, PartnerIdentifier
from adelante.progress import publication as progress_publication
from adelante.progress.models import ProgressValue

# The published record of the initiative in scope (the downloads' ?initiative=, the command's
# --initiative): the publication rules' querysets span every initiative, so they are narrowed
# here. Partners are shared: a partner is in an initiative's tables when it has a published
# commitment there.


def published_commitments(as_of: datetime.date | None) -> QuerySet[Commitment]:
    return publication.published_commitments(as_of).filter(scope.initiative_q())


def published_partners(as_of: datetime.date | None) -> QuerySet[Partner]:
    mine = published_commitments(as_of).filter(partner_id=OuterRef("pk"))
    return Partner.objects.filter(Exists(mine))


def published_rounds(as_of: datetime.date | None) -> QuerySet[Any]:
    return publication.published_rounds(as_of).filter(scope.initiative_q())


def published_statements(as_of: datetime.date | None) -> QuerySet[Any]:
    return publication.published_statements(as_of).filter(scope.initiative_q())


def published_reports(as_of: datetime.date | None) -> QuerySet[Any]:
    return progress_publication.published_reports(as_of).filter(
        scope.initiative_q(field="commitment__initiative")
    )


CHUNK = 2000
Cell = str | int | Decimal | datetime.date | None
#: A message of the dictionary: English, translated when it is read in a language.
Message = str | Promise


def in_language(language: str, message: Message) -> str:
    """A message in one language, whatever language is active: the dictionary carries both."""
    with translation.override(language):
        return str(message)


class _Titled:
    """A table or column of the dictionary: its title in English and in Spanish."""

    title: Message

    @property
    def title_en(self) -> str:
        return in_language("en", self.title)

    @property
    def title_es(self) -> str:
        return in_language("es", self.title)


@dataclass(frozen=True)
class Column(_Titled):
    name: str
    #: Frictionless type: string, number, integer, date, datetime.
    type: str
    title: Message
    description: Message = ""
    #: Free text typed by people: escaped against formula injection in spreadsheets.
    free_text: bool = False

    @property
    def description_en(self) -> str:
        return in_language("en", self.description)

    @property
    def description_es(self) -> str:
        return in_language("es", self.description)


def text(name: str, title: Message, description: Message = "") -> Column:
    return Column(name, "string", title, description, free_text=True)


def code(name: str, title: Message, description: Message = "") -> Column:
    return Column(name, "string", title, description)


def number(name: str, title: Message, description: Message = "") -> Column:
    return Column(name, "number", title, description)


def day(name: str, title: Message, description: Message = "") -> Column:
    return Column(name, "date", title, description)


@dataclass(frozen=True)
class Table(_Titled):
    name: str
    title: Message
    columns: tuple[Column, ...]
    rows: Callable[[datetime.date | None], Iterator[Sequence[Cell]]]
    count: Callable[[datetime.date | None], int]

    @property
    def header(self) -> list[str]:
        return [c.name for c in self.columns]


def _keyset(
    queryset: QuerySet[Any], fields: Sequence[str], chunk: int = CHUNK
) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of `fields` (the first is the primary key) by ascending primary key, in lists of
    `chunk`: one query read through a server-side cursor (PostgreSQL) or a streaming cursor
    (SQLite), so memory stays constant and the query runs once, whatever the size."""
    rows = queryset.order_by("pk").values_list(*fields).iterator(chunk_size=chunk)
    while batch := list(itertools.islice(rows, chunk)):
        yield batch


# -- Commitments (the import format, plus the reference) ------------------------------------


def _the_countries() -> str:
    # Read when the dictionary is written, inside the download's initiative scope.
    return gettext("%(codes)s separated by ';', or REGION.") % {
        "codes": ", ".join(initiative_countries()) or "—"
    }


def _the_shares() -> str:
    shares = example_countries(initiative_countries())[1] or "GT:60;SV:40"
    return gettext("Percentages per country, e.g. %(shares)s.") % {"shares": shares}


_countries_described = lazy(_the_countries, str)
_shares_described = lazy(_the_shares, str)

COMMITMENT_COLUMNS = (
    code(
        "reference",
        _("Reference"),
        _("Stable identifier of the commitment."),
    ),
    text(
        "partner",
        _("Partner"),
        _("The organisation that committed."),
    ),
    code(
        "partner_type",
        _("Partner type"),
        _("company, foundation, ngo or other."),
    ),
    day(
        "announced_on",
        _("Announced on"),
        _("Date of the announcement round."),
    ),
    text(
        "round",
        _("Round"),
        _("Label of the announcement round."),
    ),
    number(
        "amount_usd",
        _("Amount (US$)"),
        _(
            "In US dollars at the rate of the announcement date; empty when not public or "
            "confidential."
        ),
    ),
    code(
        "countries",
        _("Countries"),
        _countries_described(),
    ),
    text(
        "focus",
        _("Focus (as stated)"),
        _("The focus as the source states it."),
    ),
    text("summary", _("Summary")),
    code(
        "source_url",
        _("Source"),
        _("Where the commitment was announced (the first source)."),
    ),
    code(
        "relation",
        _("Relation"),
        _("new, increase, or restatement (counts zero)."),
    ),
    number(
        "amount",
        _("Amount (stated currency)"),
        _("For an amount stated in another currency."),
    ),
    code(
        "currency",
        _("Currency"),
        _("ISO 4217 code of `amount`."),
    ),
    code(
        "qualifier",
        _("Qualifier"),
        _("exact, at_least, about, up_to, undisclosed or confidential (amount withheld)."),
    ),
    code(
        "kind",
        _("Kind of money"),
        _("capital_investment, local_sourcing, lending, programme or unspecified."),
    ),
    text("title", _("Title")),
    code(
        "status",
        _("Status"),
        _("announced, in_progress, completed or withdrawn."),
    ),
    day("withdrawn_on", _("Withdrawn on")),
    code(
        "shares",
        _("Country shares"),
        _shares_described(),
    ),
    text("round_es", _("Round (Spanish)"), _("Label of the announcement round in Spanish.")),
    text("title_es", _("Title (Spanish)")),
    text("summary_es", _("Summary (Spanish)")),
    text("focus_es", _("Focus (as stated, Spanish)")),
    code(
        "written_in",
        _("Written in"),
        _("en or es: the language of the original text; the other is a translation."),
    ),
    code(
        "translation_state",
        _("Translation"),
        _(
            "original (the author wrote both languages), staff (translated by staff) or "
            "missing (only the original exists)."
        ),
    ),
    code(
        "partner_identifiers",
        _("Partner's organisation identifiers"),
        _("In the org-id.guide form, separated by “;”, e.g. GT-NIT-75556057."),
    ),
    code("initiative", _("Initiative"), _("The slug of the initiative it belongs to.")),
)


def _commitment_rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
    fields = (
        "pk", "reference", "partner__name", "partner__type", "announced_on", "round__label",
        "amount_usd", "focus_text", "summary", "relation", "amount", "currency", "qualifier",
        "kind", "title", "status", "withdrawn_on", "round__label_es", "title_es", "summary_es",
        "focus_text_es", "written_in", "translation_state", "partner_id", "initiative__slug",
    )  # fmt: skip
    # Few partners, many commitments: each partner's identifiers are looked up once.
    identifiers: dict[int, list[str]] = defaultdict(list)
    for partner_id, identifier in PartnerIdentifier.objects.order_by(
        "partner_id", "identifier"
    ).values_list("partner_id", "identifier"):
        identifiers[partner_id].append(identifier)
    for chunk in _keyset(published_commitments(as_of), fields):
        ids = [row[0] for row in chunk]
        countries: dict[int, list[tuple[str, Decimal | None]]] = defaultdict(list)
        for cid, country, share in (
            CountryShare.objects.filter(commitment_id__in=ids)
            .order_by("commitment_id", "country")
            .values_list("commitment_id", "country", "share_percent")
        ):
            countries[cid].append((country, share))
        sources: dict[int, str] = {}
        for cid, url in (
            Source.objects.filter(commitment_id__in=ids)
            .order_by("-id")
            .values_list("commitment_id", "url")
        ):
            sources[cid] = url  # the first source (lowest id) wins
        for (
            pk, reference, partner, partner_type, announced_on, round_label, amount_usd,
            focus, summary, relation, amount, currency, qualifier, kind, title, status,
            withdrawn_on, round_es, title_es, summary_es, focus_es, written_in,
            translation_state, partner_id, initiative,
        ) in chunk:  # fmt: skip
            named = countries.get(pk, [])
            withheld = is_withheld(qualifier)
            foreign = currency != "USD"
            stated_shares = len(named) > 1 and all(share is not None for _c, share in named)
            yield (
                reference,
                partner,
                partner_type,
                announced_on,
                round_label or "",
                None if withheld else amount_usd,
                ";".join(c for c, _s in named) or REGION,
                focus,
                summary,
                sources.get(pk, ""),
                relation,
                None if withheld or not foreign else amount,
                currency if foreign and not withheld and amount is not None else "",
                qualifier,
                kind,
                title,
                status,
                withdrawn_on,
                ";".join(f"{c}:{_percent(s)}" for c, s in named) if stated_shares else "",
                round_es or "",
                title_es,
                summary_es,
                focus_es,
                written_in,
                translation_state,
                ";".join(identifiers.get(partner_id, ())),
                initiative,
            )


def _percent(value: Decimal | None) -> str:
    assert value is not None
    return format(value.normalize(), "f")


# -- Other tables ---------------------------------------------------------------------------


def _simple(
    queryset: Callable[[datetime.date | None], QuerySet[Any]],
    fields: Sequence[str],
    convert: Callable[[tuple[Any, ...]], Sequence[Cell]] | None = None,
) -> Callable[[datetime.date | None], Iterator[Sequence[Cell]]]:
    def rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
        for chunk in _keyset(queryset(as_of), ("pk", *fields)):
            for row in chunk:
                yield convert(row[1:]) if convert else row[1:]

    return rows


def _counter(
    queryset: Callable[[datetime.date | None], QuerySet[Any]],
) -> Callable[[datetime.date | None], int]:
    return lambda as_of: queryset(as_of).count()


def _of_published(
    model: type[Any], relation: str = "commitment"
) -> Callable[[datetime.date | None], QuerySet[Any]]:
    def queryset(as_of: datetime.date | None) -> QuerySet[Any]:
        rows: QuerySet[Any] = model.objects.filter(
            **{f"{relation}__in": published_commitments(as_of)}
        )
        return rows

    return queryset


def _aliases(as_of: datetime.date | None) -> QuerySet[Any]:
    return PartnerAlias.objects.filter(partner__in=published_partners(as_of))


def _identifiers(as_of: datetime.date | None) -> QuerySet[Any]:
    return PartnerIdentifier.objects.filter(partner__in=published_partners(as_of))


def _values(as_of: datetime.date | None) -> QuerySet[Any]:
    return ProgressValue.objects.filter(report__in=published_reports(as_of))


def _statement(row: tuple[Any, ...]) -> Sequence[Cell]:
    stated_on, precision, *rest = row
    shown = (
        stated_on.strftime("%Y-%m")
        if precision == DatePrecision.MONTH
        else str(stated_on.year)
        if precision == DatePrecision.YEAR
        else stated_on
    )
    return (shown, *rest)


def _share(row: tuple[Any, ...]) -> Sequence[Cell]:
    reference, country, share, amount_usd, qualifier = row
    return (reference, country, share, None if is_withheld(qualifier) else amount_usd)


def _rates(as_of: datetime.date | None) -> QuerySet[Any]:
    rates = ExchangeRate.objects.all()
    return rates.filter(on__lte=as_of) if as_of is not None else rates


def _all_metrics(as_of: datetime.date | None) -> QuerySet[Any]:
    return Metric.objects.all()


def _all_areas(as_of: datetime.date | None) -> QuerySet[Any]:
    return FocusArea.objects.all()


def _statement_names(as_of: datetime.date | None) -> QuerySet[Any]:
    return StatementName.objects.all()


def _focus_links(as_of: datetime.date | None) -> QuerySet[Any]:
    through = Commitment.focus_areas.through
    return through.objects.filter(commitment__in=published_commitments(as_of))


REF = code("reference", _("Commitment reference"))


def _report(row: tuple[Any, ...]) -> Sequence[Cell]:
    *rest, evidence = row
    return (*rest, "yes" if evidence else "no")


def _ladder_rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
    for s in ladder(as_of or timezone.localdate()).steps:
        yield (s.step, s.commitments, s.committed_usd, s.invested_usd)


def _reconciliation_rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
    for r in reconcile(as_of or timezone.localdate()):
        judgement = r.judgement
        yield (
            _statement((r.stated_on, r.date_precision))[0],
            r.metric,
            r.stated_value,
            r.stated_qualifier,
            r.computed_value,
            str(judgement.verdict),
            judgement.by,
        )


# -- The public log of corrections (read through adelante.corrections.log, as the API) -------


def _moment(value: datetime.datetime) -> str:
    # ISO 8601 in UTC, Frictionless's datetime form: the same text whatever the server's zone.
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _yes(value: bool) -> str:
    return "yes" if value else "no"


def _correction_rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
    for row in corrections_log.for_download(as_of, CHUNK):
        e = row.entry
        yield (
            e.number,
            _moment(e.decided_at),
            _moment(e.suggested_at),
            e.subject,
            e.subject_key,
            e.name,
            row.name_es,
            e.said,
            e.source_url,
            _yes(e.accepted),
            e.reason,
            e.field_code,
            e.field,
            row.field_es,
            e.old_value,
            e.new_value,
            _yes(e.confidential),
        )


CORRECTION_COLUMNS = (
    Column(
        "number",
        "integer",
        _("Correction number"),
        _("The correction's number, as the portal's log shows it."),
    ),
    Column("decided_at", "datetime", _("Decided at"), _("When it was decided, in UTC.")),
    Column("suggested_at", "datetime", _("Suggested at"), _("When it was suggested, in UTC.")),
    code(
        "subject",
        _("About"),
        _("commitment, partner, statement (an official statement) or figure (a figure page)."),
    ),
    code(
        "subject_key",
        _("Which"),
        _(
            "The commitment's reference, the partner's slug, the statement's number, or the "
            "figure page: overview, rounds, countries, round:<slug> or country:<code>."
        ),
    ),
    text(
        "name",
        _("Name"),
        _("The name it is published under now; empty when it is no longer public."),
    ),
    text("name_es", _("Name (Spanish)")),
    text("said", _("What was said"), _("What the suggestion said (never who made it).")),
    code("source_url", _("Source"), _("Where the suggester read the right figure.")),
    code(
        "accepted",
        _("Accepted"),
        _("yes (accepted: the record was changed) or no (declined)."),
    ),
    text("reason", _("Reason"), _("Why the secretariat decided so.")),
    code(
        "field",
        _("Field changed"),
        _("The field's name in the record (amount, title, …); empty when none was changed."),
    ),
    code("field_label", _("Field changed (label)"), _("The field's name as the portal shows it.")),
    code("field_label_es", _("Field changed (label, Spanish)")),
    text(
        "old",
        _("Value before"),
        _(
            "The stored value before (dates YYYY-MM-DD, numbers as decimal text, codes as "
            "codes); empty when no field was changed or when it is a confidential amount."
        ),
    ),
    text("new", _("Value after"), _("The stored value after; empty as the value before.")),
    code(
        "confidential",
        _("Confidential"),
        _("yes when the values are a confidential amount: withheld, both empty."),
    ),
)


TABLES: tuple[Table, ...] = (
    Table(
        "commitments",
        _("Commitments"),
        COMMITMENT_COLUMNS,
        _commitment_rows,
        _counter(published_commitments),
    ),
    Table(
        "partners",
        _("Partners"),
        (
            code("slug", _("Identifier")),
            text("name", _("Name")),
            code(
                "type",
                _("Type"),
                _("company, foundation, ngo or other."),
            ),
            code("website", _("Website")),
            text("description", _("Description")),
            text("description_es", _("Description (Spanish)")),
            code("written_in", _("Written in"), _("en or es.")),
            code("translation_state", _("Translation"), _("original, staff or missing.")),
        ),
        _simple(
            published_partners,
            (
                "slug",
                "name",
                "type",
                "website",
                "description",
                "description_es",
                "written_in",
                "translation_state",
            ),
        ),
        _counter(published_partners),
    ),
    Table(
        "partner_aliases",
        _("Other names of partners"),
        (
            code("partner", _("Partner identifier")),
            text("alias", _("Alias")),
        ),
        _simple(_aliases, ("partner__slug", "name")),
        _counter(_aliases),
    ),
    Table(
        "partner_identifiers",
        _("Organisation identifiers of partners"),
        (
            code("partner", _("Partner identifier")),
            code(
                "identifier",
                _("Organisation identifier"),
                _("In the org-id.guide form, e.g. GT-NIT-75556057: the scheme's prefix first."),
            ),
            code("scheme", _("Scheme"), _("The org-id.guide scheme's prefix, e.g. GT-NIT.")),
        ),
        _simple(_identifiers, ("partner__slug", "identifier", "scheme")),
        _counter(_identifiers),
    ),
    Table(
        "rounds",
        _("Announcement rounds"),
        (
            code("slug", _("Identifier")),
            text("label", _("Label")),
            # A round is feminine in Spanish ("anunciada"), a commitment masculine.
            day("announced_on", pgettext_lazy("round", "Announced on")),
            text("label_es", _("Label (Spanish)")),
            code("translation_state", _("Translation"), _("original, staff or missing.")),
            code("initiative", _("Initiative"), _("The slug of the initiative it belongs to.")),
        ),
        _simple(
            published_rounds,
            ("slug", "label", "announced_on", "label_es", "translation_state", "initiative__slug"),
        ),
        _counter(published_rounds),
    ),
    Table(
        "commitment_countries",
        _("Countries of commitments"),
        (
            REF,
            code(
                "country", _("Country"), _("An ISO 3166-1 code: one of the initiative's countries.")
            ),
            number(
                "share_percent",
                _("Share (%)"),
                _("Empty: several countries without a stated split."),
            ),
            number(
                "amount_usd",
                _("Allocated amount (US$)"),
                _("Empty when withheld (confidential)."),
            ),
        ),
        _simple(
            _of_published(CountryShare),
            (
                "commitment__reference",
                "country",
                "share_percent",
                "amount_usd",
                "commitment__qualifier",
            ),
            _share,
        ),
        _counter(_of_published(CountryShare)),
    ),
    Table(
        "commitment_focus_areas",
        _("Focus areas of commitments"),
        (
            REF,
            code(
                "focus_area",
                _("Focus area"),
                _("Code of the focus area (focus_areas table)."),
            ),
        ),
        _simple(_focus_links, ("commitment__reference", "focusarea__code")),
        _counter(_focus_links),
    ),
    Table(
        "commitment_sources",
        _("Sources of commitments"),
        (
            REF,
            code("url", _("URL")),
            text("title", _("Title")),
            day("seen_on", _("Seen on")),
        ),
        _simple(_of_published(Source), ("commitment__reference", "url", "title", "seen_on")),
        _counter(_of_published(Source)),
    ),
    Table(
        "commitment_targets",
        _("Targets of commitments"),
        (
            REF,
            code("metric", _("Metric")),
            number("value", _("Target")),
            day("by_date", _("By")),
        ),
        _simple(
            _of_published(Target), ("commitment__reference", "metric__code", "value", "by_date")
        ),
        _counter(_of_published(Target)),
    ),
    Table(
        "statements",
        _("Official statements"),
        (
            code(
                "date",
                _("Date"),
                _(
                    "YYYY-MM-DD; YYYY-MM when the source gives only the month, YYYY when it "
                    "gives only the year."
                ),
            ),
            code("metric", _("What was stated")),
            number(
                "value",
                _("Value"),
                _("As published, never recomputed."),
            ),
            code("unit", _("Unit")),
            code(
                "qualifier",
                _("Qualifier"),
                _("exact, at_least, about, target or projection."),
            ),
            text("note", _("Note")),
            code("source_url", _("Source")),
            code(
                "figure",
                _("Figure it states"),
                _("The computed figure it is reconciled with."),
            ),
            code("initiative", _("Initiative"), _("The slug of the initiative it belongs to.")),
        ),
        _simple(published_statements, (*STATEMENT_FIELDS, "initiative__slug"), _statement),
        _counter(published_statements),
    ),
    Table(
        "progress_reports",
        _("Verified progress reports"),
        (
            Column("id", "integer", _("Report number")),
            REF,
            day("period_start", _("Period start")),
            day("period_end", _("Period end")),
            code("verification_level", _("Verification level")),
            text("narrative", _("Narrative")),
            code(
                "evidence_attached",
                _("Evidence attached"),
                _("yes when evidence files were attached to the report when it was verified."),
            ),
        ),
        _simple(
            published_reports,
            (
                "pk",
                "commitment__reference",
                "period_start",
                "period_end",
                "verification_level",
                "narrative",
                "evidence_attached",
            ),
            _report,
        ),
        _counter(published_reports),
    ),
    Table(
        "progress_values",
        _("Values of verified progress reports"),
        (
            Column("report", "integer", _("Report number")),
            code("metric", _("Metric")),
            number("value", _("Value, cumulative to date")),
        ),
        _simple(_values, ("report_id", "metric__code", "value")),
        _counter(_values),
    ),
    Table(
        "exchange_rates",
        _("Exchange rates"),
        (
            code("currency", _("Currency")),
            day("date", _("Date")),
            number("units_per_usd", _("Units per US dollar")),
            text("source", _("Source")),
        ),
        _simple(_rates, ("currency", "on", "units_per_usd", "source")),
        _counter(_rates),
    ),
    Table(
        "metrics",
        _("Metric catalogue"),
        (
            code("code", _("Code")),
            text("name_en", _("Name (English)")),
            text("name_es", _("Name (Spanish)")),
            code("unit", _("Unit")),
            code(
                "accumulation",
                _("Accumulation"),
                _("cumulative or incremental."),
            ),
        ),
        _simple(_all_metrics, ("code", "name_en", "name_es", "unit", "accumulation")),
        _counter(_all_metrics),
    ),
    Table(
        "focus_areas",
        _("Focus areas"),
        (
            code("code", _("Code")),
            text("name_en", _("Name (English)")),
            text("name_es", _("Name (Spanish)")),
        ),
        _simple(_all_areas, ("code", "name_en", "name_es")),
        _counter(_all_areas),
    ),
    Table(
        "statement_names",
        _("Names of what official statements state"),
        (
            code("code", _("Code"), _("The metric of the statements table.")),
            text("name_en", _("Name (English)")),
            text("name_es", _("Name (Spanish)")),
            code("translation_state", _("Translation"), _("original, staff or missing.")),
        ),
        _simple(_statement_names, ("code", "name_en", "name_es", "translation_state")),
        _counter(_statement_names),
    ),
    Table(
        "delivery_ladder",
        _("Delivery ladder"),
        (
            code(
                "step",
                _("Step"),
                _(
                    "announced, with_amount, reporting, evidence_backed, independently_verified, "
                    "completed; each step within the one before (docs/figures.md)."
                ),
            ),
            Column("commitments", "integer", _("Commitments")),
            number("committed_usd", _("Committed (US$)"), _("Public new money of the step.")),
            number("invested_usd", _("Invested (US$)"), _("Verified, by the step's commitments.")),
        ),
        _ladder_rows,
        lambda as_of: len(STEPS),
    ),
    Table(
        "reconciliation",
        _("Official statements beside the record"),
        (
            code("date", _("Date"), _("As precisely as the source dated it.")),
            code("metric", _("What was stated")),
            number("stated_value", _("Value"), _("As published, never recomputed.")),
            code("stated_qualifier", _("Qualifier")),
            number(
                "computed_value",
                _("What the record backs"),
                _("Empty when the record cannot compute it."),
            ),
            code(
                "verdict",
                _("Verdict"),
                _("consistent, short, above or not_computable (the statement's qualifier read)."),
            ),
            number(
                "verdict_by",
                _("By"),
                _("How far the record is from the statement when short or above."),
            ),
        ),
        _reconciliation_rows,
        lambda as_of: len(reconcile(as_of or timezone.localdate())),
    ),
    Table(
        "corrections",
        _("Public log of corrections"),
        CORRECTION_COLUMNS,
        _correction_rows,
        corrections_log.count_for_download,
    ),
)

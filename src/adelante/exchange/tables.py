"""The published record as tables, for the bulk downloads (CSV, XLSX, JSON, data package).

Each table has typed columns with a title and a description in English and Spanish (the data
dictionary of the data package). The `commitments`, `statements` and `exchange_rates` tables
use the import format (docs/import.md), so a download imports back into an empty database.
Rows come from the database through one streaming cursor per table (constant memory whatever
the size),
with the publication rules of `adelante.commitments.publication` applied.
"""

from __future__ import annotations

import datetime
import itertools
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from adelante.catalogue.models import FocusArea, Metric
from adelante.commitments.choices import DatePrecision
from adelante.commitments.models import Commitment, CountryShare, Source, Target
from adelante.commitments.publication import (
    is_withheld,
    published_commitments,
    published_partners,
    published_rounds,
    published_statements,
)
from adelante.currency.models import ExchangeRate
from adelante.exchange.cells import REGION
from adelante.partners.models import PartnerAlias
from adelante.progress.models import ProgressValue
from adelante.progress.publication import published_reports

CHUNK = 2000
Cell = str | int | Decimal | datetime.date | None


@dataclass(frozen=True)
class Column:
    name: str
    #: Frictionless type: string, number, integer, date.
    type: str
    title_en: str
    title_es: str
    description_en: str = ""
    description_es: str = ""
    #: Free text typed by people: escaped against formula injection in spreadsheets.
    free_text: bool = False


def text(name: str, en: str, es: str, den: str = "", des: str = "") -> Column:
    return Column(name, "string", en, es, den, des, free_text=True)


def code(name: str, en: str, es: str, den: str = "", des: str = "") -> Column:
    return Column(name, "string", en, es, den, des)


def number(name: str, en: str, es: str, den: str = "", des: str = "") -> Column:
    return Column(name, "number", en, es, den, des)


def day(name: str, en: str, es: str, den: str = "", des: str = "") -> Column:
    return Column(name, "date", en, es, den, des)


@dataclass(frozen=True)
class Table:
    name: str
    title_en: str
    title_es: str
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

COMMITMENT_COLUMNS = (
    code(
        "reference",
        "Reference",
        "Referencia",
        "Stable identifier of the commitment.",
        "Identificador estable del compromiso.",
    ),
    text(
        "partner",
        "Partner",
        "Socio",
        "The organisation that committed.",
        "La organización que se comprometió.",
    ),
    code(
        "partner_type",
        "Partner type",
        "Tipo de socio",
        "company, foundation, ngo or other.",
        "company (empresa), foundation (fundación), ngo (ONG) u other (otro).",
    ),
    day(
        "announced_on",
        "Announced on",
        "Anunciado el",
        "Date of the announcement round.",
        "Fecha de la ronda de anuncio.",
    ),
    text(
        "round",
        "Round",
        "Ronda",
        "Label of the announcement round.",
        "Nombre de la ronda de anuncio.",
    ),
    number(
        "amount_usd",
        "Amount (US$)",
        "Monto (US$)",
        "In US dollars at the rate of the announcement date; empty when not public or confidential.",
        "En dólares de EE. UU. al tipo de cambio de la fecha del anuncio; vacío si no es público o es confidencial.",
    ),
    code(
        "countries",
        "Countries",
        "Países",
        "GT, SV, HN separated by ';', or REGION.",
        "GT, SV, HN separados por ';', o REGION (la región).",
    ),
    text(
        "focus",
        "Focus (as stated)",
        "Enfoque (declarado)",
        "The focus as the source states it.",
        "El enfoque tal como lo declara la fuente.",
    ),
    text("summary", "Summary", "Resumen"),
    code(
        "source_url",
        "Source",
        "Fuente",
        "Where the commitment was announced (the first source).",
        "Dónde se anunció el compromiso (la primera fuente).",
    ),
    code(
        "relation",
        "Relation",
        "Relación",
        "new, increase, or restatement (counts zero).",
        "new (nuevo), increase (aumento) o restatement (reiteración: cuenta cero).",
    ),
    number(
        "amount",
        "Amount (stated currency)",
        "Monto (moneda declarada)",
        "For an amount stated in another currency.",
        "Para un monto declarado en otra moneda.",
    ),
    code(
        "currency",
        "Currency",
        "Moneda",
        "ISO 4217 code of `amount`.",
        "Código ISO 4217 de `amount`.",
    ),
    code(
        "qualifier",
        "Qualifier",
        "Calificador",
        "exact, at_least, about, up_to, undisclosed or confidential (amount withheld).",
        "exact (exacto), at_least (al menos), about (aproximadamente), up_to (hasta), undisclosed (no divulgado) o confidential (confidencial: monto reservado).",
    ),
    code(
        "kind",
        "Kind of money",
        "Tipo de dinero",
        "capital_investment, local_sourcing, lending, programme or unspecified.",
        "capital_investment (inversión de capital), local_sourcing (compras locales), lending (crédito), programme (programa) o unspecified (sin especificar).",
    ),
    text("title", "Title", "Título"),
    code(
        "status",
        "Status",
        "Estado",
        "announced, in_progress, completed or withdrawn.",
        "announced (anunciado), in_progress (en curso), completed (completado) o withdrawn (retirado).",
    ),
    day("withdrawn_on", "Withdrawn on", "Retirado el"),
    code(
        "shares",
        "Country shares",
        "Porcentajes por país",
        "Percentages per country, e.g. GT:60;SV:40.",
        "Porcentajes por país, p. ej. GT:60;SV:40.",
    ),
)


def _commitment_rows(as_of: datetime.date | None) -> Iterator[Sequence[Cell]]:
    fields = (
        "pk", "reference", "partner__name", "partner__type", "announced_on", "round__label",
        "amount_usd", "focus_text", "summary", "relation", "amount", "currency", "qualifier",
        "kind", "title", "status", "withdrawn_on",
    )  # fmt: skip
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
            focus, summary, relation, amount, currency, qualifier, kind, title, status, withdrawn_on,
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
        return model.objects.filter(**{f"{relation}__in": published_commitments(as_of)})

    return queryset


def _aliases(as_of: datetime.date | None) -> QuerySet[Any]:
    return PartnerAlias.objects.filter(partner__in=published_partners(as_of))


def _values(as_of: datetime.date | None) -> QuerySet[Any]:
    return ProgressValue.objects.filter(report__in=published_reports(as_of))


def _statement(row: tuple[Any, ...]) -> Sequence[Cell]:
    stated_on, precision, *rest = row
    shown = stated_on.strftime("%Y-%m") if precision == DatePrecision.MONTH else stated_on
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


def _focus_links(as_of: datetime.date | None) -> QuerySet[Any]:
    through = Commitment.focus_areas.through
    return through.objects.filter(commitment__in=published_commitments(as_of))


REF = code("reference", "Commitment reference", "Referencia del compromiso")

TABLES: tuple[Table, ...] = (
    Table(
        "commitments",
        "Commitments",
        "Compromisos",
        COMMITMENT_COLUMNS,
        _commitment_rows,
        _counter(published_commitments),
    ),
    Table(
        "partners",
        "Partners",
        "Socios",
        (
            code("slug", "Identifier", "Identificador"),
            text("name", "Name", "Nombre"),
            code(
                "type",
                "Type",
                "Tipo",
                "company, foundation, ngo or other.",
                "company (empresa), foundation (fundación), ngo (ONG) u other (otro).",
            ),
            code("website", "Website", "Sitio web"),
        ),
        _simple(published_partners, ("slug", "name", "type", "website")),
        _counter(published_partners),
    ),
    Table(
        "partner_aliases",
        "Other names of partners",
        "Otros nombres de los socios",
        (
            code("partner", "Partner identifier", "Identificador del socio"),
            text("alias", "Alias", "Alias"),
        ),
        _simple(_aliases, ("partner__slug", "name")),
        _counter(_aliases),
    ),
    Table(
        "rounds",
        "Announcement rounds",
        "Rondas de anuncios",
        (
            code("slug", "Identifier", "Identificador"),
            text("label", "Label", "Nombre"),
            day("announced_on", "Announced on", "Anunciada el"),
        ),
        _simple(published_rounds, ("slug", "label", "announced_on")),
        _counter(published_rounds),
    ),
    Table(
        "commitment_countries",
        "Countries of commitments",
        "Países de los compromisos",
        (
            REF,
            code("country", "Country", "País", "GT, SV or HN.", "GT, SV o HN."),
            number(
                "share_percent",
                "Share (%)",
                "Porcentaje (%)",
                "Empty: several countries without a stated split.",
                "Vacío: varios países sin reparto declarado.",
            ),
            number(
                "amount_usd",
                "Allocated amount (US$)",
                "Monto asignado (US$)",
                "Empty when withheld (confidential).",
                "Vacío si es reservado (confidencial).",
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
        "Focus areas of commitments",
        "Áreas de enfoque de los compromisos",
        (
            REF,
            code(
                "focus_area",
                "Focus area",
                "Área de enfoque",
                "Code of the focus area (focus_areas table).",
                "Código del área de enfoque (tabla focus_areas).",
            ),
        ),
        _simple(_focus_links, ("commitment__reference", "focusarea__code")),
        _counter(_focus_links),
    ),
    Table(
        "commitment_sources",
        "Sources of commitments",
        "Fuentes de los compromisos",
        (
            REF,
            code("url", "URL", "URL"),
            text("title", "Title", "Título"),
            day("seen_on", "Seen on", "Consultada el"),
        ),
        _simple(_of_published(Source), ("commitment__reference", "url", "title", "seen_on")),
        _counter(_of_published(Source)),
    ),
    Table(
        "commitment_targets",
        "Targets of commitments",
        "Metas de los compromisos",
        (
            REF,
            code("metric", "Metric", "Métrica"),
            number("value", "Target", "Meta"),
            day("by_date", "By", "Para"),
        ),
        _simple(
            _of_published(Target), ("commitment__reference", "metric__code", "value", "by_date")
        ),
        _counter(_of_published(Target)),
    ),
    Table(
        "statements",
        "Official statements",
        "Declaraciones oficiales",
        (
            code(
                "date",
                "Date",
                "Fecha",
                "YYYY-MM-DD, or YYYY-MM when only the month is known.",
                "AAAA-MM-DD, o AAAA-MM si solo se conoce el mes.",
            ),
            code("metric", "What was stated", "Lo declarado"),
            number(
                "value",
                "Value",
                "Valor",
                "As published, never recomputed.",
                "Tal como se publicó, nunca recalculado.",
            ),
            code("unit", "Unit", "Unidad"),
            code(
                "qualifier",
                "Qualifier",
                "Calificador",
                "exact, at_least, about, target or projection.",
                "exact (exacto), at_least (más de), about (aproximadamente), target (meta) o projection (proyección).",
            ),
            text("note", "Note", "Nota"),
            code("source_url", "Source", "Fuente"),
            code(
                "figure",
                "Figure it states",
                "Cifra que declara",
                "The computed figure it is reconciled with.",
                "La cifra calculada con la que se concilia.",
            ),
        ),
        _simple(
            published_statements,
            (
                "stated_on",
                "date_precision",
                "metric",
                "value",
                "unit",
                "qualifier",
                "note",
                "source_url",
                "figure",
            ),
            _statement,
        ),
        _counter(published_statements),
    ),
    Table(
        "progress_reports",
        "Verified progress reports",
        "Informes de avance verificados",
        (
            Column("id", "integer", "Report number", "Número de informe"),
            REF,
            day("period_start", "Period start", "Inicio del periodo"),
            day("period_end", "Period end", "Fin del periodo"),
            code("verification_level", "Verification level", "Nivel de verificación"),
            text("narrative", "Narrative", "Narrativa"),
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
            ),
        ),
        _counter(published_reports),
    ),
    Table(
        "progress_values",
        "Values of verified progress reports",
        "Valores de los informes verificados",
        (
            Column("report", "integer", "Report number", "Número de informe"),
            code("metric", "Metric", "Métrica"),
            number("value", "Value, cumulative to date", "Valor acumulado a la fecha"),
        ),
        _simple(_values, ("report_id", "metric__code", "value")),
        _counter(_values),
    ),
    Table(
        "exchange_rates",
        "Exchange rates",
        "Tipos de cambio",
        (
            code("currency", "Currency", "Moneda"),
            day("date", "Date", "Fecha"),
            number("units_per_usd", "Units per US dollar", "Unidades por dólar"),
            text("source", "Source", "Fuente"),
        ),
        _simple(_rates, ("currency", "on", "units_per_usd", "source")),
        _counter(_rates),
    ),
    Table(
        "metrics",
        "Metric catalogue",
        "Catálogo de métricas",
        (
            code("code", "Code", "Código"),
            text("name_en", "Name (English)", "Nombre (inglés)"),
            text("name_es", "Name (Spanish)", "Nombre (español)"),
            code("unit", "Unit", "Unidad"),
            code(
                "accumulation",
                "Accumulation",
                "Acumulación",
                "cumulative or incremental.",
                "cumulative (acumulado) o incremental (por periodo).",
            ),
        ),
        _simple(_all_metrics, ("code", "name_en", "name_es", "unit", "accumulation")),
        _counter(_all_metrics),
    ),
    Table(
        "focus_areas",
        "Focus areas",
        "Áreas de enfoque",
        (
            code("code", "Code", "Código"),
            text("name_en", "Name (English)", "Nombre (inglés)"),
            text("name_es", "Name (Spanish)", "Nombre (español)"),
        ),
        _simple(_all_areas, ("code", "name_en", "name_es")),
        _counter(_all_areas),
    ),
)

BY_NAME = {table.name: table for table in TABLES}

"""Hand-written SQL for the benchmark's floors: each main figure as one query through the driver.

Each function computes the same result as its counterpart in `adelante.figures` for the live
record (not "as recorded on"), with one SQL statement run on `connection.cursor()` and a few
lines of Python that only shape the handful of rows it returns. The benchmark checks that the
results are equal before it compares times, so a floor is an honest lower bound for what the
ORM code could cost, not a different question.

The SQL is portable between SQLite and PostgreSQL (no FILTER, no DISTINCT ON, no LATERAL).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.db import connection

from adelante.catalogue.models import Metric
from adelante.commitments.choices import PUBLISHED_STATUSES, Relation, StatementFigure, Status
from adelante.commitments.models import Commitment, CountryShare, OfficialStatement
from adelante.figures.committed import MULTI_COUNTRY, REGIONAL
from adelante.figures.ladder import STEPS, Step
from adelante.figures.reached import USD_INVESTED
from adelante.figures.results import Breakdown, BreakdownRow, Committed, Reached, Reconciliation
from adelante.money.fields import from_hundredths
from adelante.money.qualifiers import AmountQualifier, TotalQualifier, combine
from adelante.progress.models import (
    ProgressReport,
    ProgressValue,
    ReportStatus,
    VerificationLevel,
)

COMMITMENT = Commitment._meta.db_table
SHARE = CountryShare._meta.db_table
STATEMENT = OfficialStatement._meta.db_table
REPORT = ProgressReport._meta.db_table
VALUE = ProgressValue._meta.db_table
METRIC = Metric._meta.db_table

_ANNOUNCED = ", ".join(f"'{status}'" for status in PUBLISHED_STATUSES)
_RESTATEMENT = f"'{Relation.RESTATEMENT}'"
_VERIFIED = f"'{ReportStatus.VERIFIED}'"
_CONFIDENTIAL = AmountQualifier.CONFIDENTIAL.value
#: New money whose amount is public: a public figure never adds a confidential amount (rule 7).
_PUBLIC_NEW_MONEY = f"c.relation <> {_RESTATEMENT} AND c.qualifier <> '{_CONFIDENTIAL}'"


def _counted(alias: str, day: str) -> str:
    """DOMAIN rule 2 in SQL: announced on or before `day`, not withdrawn by then."""
    return (
        f"{alias}.status IN ({_ANNOUNCED}) AND {alias}.announced_on <= {day} "
        f"AND ({alias}.withdrawn_on IS NULL OR {alias}.withdrawn_on > {day})"
    )


def _qualifier_counts(
    amount: str, qualifier: str, only: str = "1 = 1", *, named: bool = False
) -> str:
    """Counts of the amounts stated "at least", "about", "up to", and of the confidential ones
    (by their qualifier alone, whether or not the record has the amount)."""
    counts = [
        f"COUNT(CASE WHEN {only} AND {amount} IS NOT NULL AND {qualifier} = '{q}' THEN 1 END)"
        + (f" AS n_{q}" if named else "")
        for q in (AmountQualifier.AT_LEAST, AmountQualifier.ABOUT, AmountQualifier.UP_TO)
    ]
    counts.append(
        f"COUNT(CASE WHEN {only} AND {qualifier} = '{_CONFIDENTIAL}' THEN 1 END)"
        + (f" AS n_{AmountQualifier.CONFIDENTIAL}" if named else "")
    )
    return ", ".join(counts)


def _qualifier(at_least: int, about: int, up_to: int) -> TotalQualifier:
    present = [
        q
        for q, n in (
            (AmountQualifier.AT_LEAST, at_least),
            (AmountQualifier.ABOUT, about),
            (AmountQualifier.UP_TO, up_to),
        )
        if n
    ]
    return combine(present)


def _money(value: Any) -> Decimal:
    """A sum of hundredths as the driver returns it (int on SQLite, Decimal on PostgreSQL)."""
    return from_hundredths(int(value or 0))


def _date(value: Any) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


# -- Committed as of a date, and by country -------------------------------------------------

_TOTAL_COLUMNS = f"""
    COUNT(*),
    COUNT(CASE WHEN c.relation = {_RESTATEMENT} THEN 1 END),
    COUNT(CASE WHEN c.relation <> {_RESTATEMENT} THEN 1 END),
    SUM(CASE WHEN {_PUBLIC_NEW_MONEY} THEN c.amount_usd END),
    COUNT(CASE WHEN {_PUBLIC_NEW_MONEY} THEN c.amount_usd END),
    {_qualifier_counts("c.amount_usd", "c.qualifier", f"c.relation <> {_RESTATEMENT}")},
    COUNT(DISTINCT c.partner_id)
"""

COMMITTED_SQL = f"SELECT {_TOTAL_COLUMNS} FROM {COMMITMENT} c WHERE {_counted('c', '%s')}"


def _total(as_of: datetime.date, row: Sequence[Any]) -> Committed:
    commitments, restatements, new_money, amount, with_amount, al, ab, ut, conf, partners = row
    return Committed(
        as_of=as_of,
        recorded_on=None,
        amount_usd=_money(amount),
        qualifier=_qualifier(al, ab, ut),
        commitments=commitments,
        commitments_with_amount=with_amount,
        commitments_without_amount=new_money - with_amount - conf,
        restatements=restatements,
        partners=partners,
        commitments_confidential=conf,
    )


def committed(as_of: datetime.date) -> Committed:
    (row,) = _fetch(COMMITTED_SQL, [as_of, as_of])
    return _total(as_of, row)


# One pass over the counted new money joined to its allocated country rows: a commitment with
# allocated rows goes to those countries (each row's allocated amount); one with only unshared
# rows goes to "multi-country", one with no rows to "regional". The total comes in the same
# statement, as the row whose cell is NULL.
BY_COUNTRY_SQL = f"""
WITH new_money AS (
    SELECT c.id, c.partner_id, c.amount_usd, c.qualifier
    FROM {COMMITMENT} c
    WHERE {_counted("c", "%s")} AND c.relation <> {_RESTATEMENT}
),
cells AS (
    SELECT
        CASE
            WHEN s.id IS NOT NULL THEN s.country
            WHEN EXISTS (SELECT 1 FROM {SHARE} o WHERE o.commitment_id = n.id)
                THEN '{MULTI_COUNTRY}'
            ELSE '{REGIONAL}'
        END AS cell,
        CASE WHEN s.id IS NOT NULL THEN s.amount_usd ELSE n.amount_usd END AS amount,
        n.qualifier,
        n.partner_id
    FROM new_money n
    LEFT JOIN {SHARE} s ON s.commitment_id = n.id AND s.share_percent IS NOT NULL
)
SELECT cell, COUNT(*), 0, 0,
       SUM(CASE WHEN qualifier <> '{_CONFIDENTIAL}' THEN amount END),
       COUNT(CASE WHEN qualifier <> '{_CONFIDENTIAL}' THEN amount END),
       {_qualifier_counts("amount", "qualifier")}, COUNT(DISTINCT partner_id)
FROM cells
GROUP BY cell
UNION ALL
SELECT NULL, {_TOTAL_COLUMNS}
FROM {COMMITMENT} c
WHERE {_counted("c", "%s")}
"""


def committed_by_country(as_of: datetime.date) -> Breakdown:
    rows = _fetch(BY_COUNTRY_SQL, [as_of, as_of, as_of, as_of])
    total = next(_total(as_of, row[1:]) for row in rows if row[0] is None)
    cells = {row[0]: row for row in rows if row[0] is not None}
    geography = (MULTI_COUNTRY, REGIONAL)
    order = sorted(key for key in cells if key not in geography)
    order += [key for key in geography if key in cells]
    breakdown: list[BreakdownRow] = []
    for key in order:
        _cell, commitments, _r, _n, amount, _with, al, ab, ut, conf, _partners = cells[key]
        breakdown.append(
            BreakdownRow(
                key, _money(amount), _qualifier(al, ab, ut), commitments, confidential=conf
            )
        )
    # Public: no cell holds a confidential amount, so none is suppressed (rule 7).
    return Breakdown("country", as_of, None, tuple(breakdown), total)


# -- Invested as of a date ------------------------------------------------------------------

# Per commitment, the verified report with the latest period end by the date that has a value
# for the metric; its value; summed. (For a per-period metric, every verified value counts.)
REACHED_SQL = f"""
SELECT SUM(value), COUNT(DISTINCT commitment_id)
FROM (
    SELECT v.value, r.commitment_id, m.accumulation,
           ROW_NUMBER() OVER (PARTITION BY r.commitment_id ORDER BY r.period_end DESC) AS latest
    FROM {VALUE} v
    JOIN {REPORT} r ON r.id = v.report_id
    JOIN {METRIC} m ON m.id = v.metric_id
    WHERE m.code = %s AND r.status = {_VERIFIED} AND r.period_end <= %s
) ranked
WHERE latest = 1 OR accumulation <> '{Metric.Accumulation.CUMULATIVE}'
"""


def reached(metric: str, as_of: datetime.date) -> Reached:
    ((value, commitments),) = _fetch(REACHED_SQL, [metric, as_of])
    return Reached(metric, as_of, None, _money(value), commitments)


def invested(as_of: datetime.date) -> Reached:
    return reached(USD_INVESTED, as_of)


# -- Reconciliation -------------------------------------------------------------------------

# Every statement made by the date, each beside the figure computed for the statement's own
# day: one branch per kind of figure, joined back to the statements.
RECONCILE_SQL = f"""
WITH st AS (
    SELECT s.id, s.stated_on, s.metric, CAST(s.value AS TEXT) AS value, s.qualifier, s.unit,
           s.source_url, s.figure,
           CASE WHEN s.figure = '{StatementFigure.INVESTED_USD}'
                THEN (SELECT id FROM {METRIC} WHERE code = '{USD_INVESTED}')
                ELSE s.reached_metric_id END AS metric_id
    FROM {STATEMENT} s
    WHERE s.stated_on <= %s
),
computed AS (
    SELECT st.id AS sid,
           SUM(CASE WHEN {_PUBLIC_NEW_MONEY} THEN c.amount_usd END) AS computed,
           {
    _qualifier_counts("c.amount_usd", "c.qualifier", f"c.relation <> {_RESTATEMENT}", named=True)
}
    FROM st JOIN {COMMITMENT} c ON {_counted("c", "st.stated_on")}
    WHERE st.figure = '{StatementFigure.COMMITTED_USD}'
    GROUP BY st.id
    UNION ALL
    SELECT st.id, SUM(CASE WHEN {_PUBLIC_NEW_MONEY} THEN c.amount_usd END),
           {_qualifier_counts("c.amount_usd", "c.qualifier", f"c.relation <> {_RESTATEMENT}")}
    FROM st JOIN {COMMITMENT} c
        ON {_counted("c", "st.stated_on")} AND c.announced_on = st.stated_on
    WHERE st.figure = '{StatementFigure.ROUND_COMMITTED_USD}'
    GROUP BY st.id
    UNION ALL
    SELECT st.id, COUNT(DISTINCT c.partner_id), 0, 0, 0, 0
    FROM st JOIN {COMMITMENT} c ON {_counted("c", "st.stated_on")}
    WHERE st.figure = '{StatementFigure.PARTNERS}'
    GROUP BY st.id
    UNION ALL
    SELECT firsts.sid, COUNT(*), 0, 0, 0, 0
    FROM (
        SELECT st.id AS sid, st.stated_on, MIN(c.announced_on) AS first_on
        FROM st JOIN {COMMITMENT} c ON {_counted("c", "st.stated_on")}
        WHERE st.figure = '{StatementFigure.ROUND_NEW_PARTNERS}'
        GROUP BY st.id, st.stated_on, c.partner_id
    ) firsts
    WHERE firsts.first_on = firsts.stated_on
    GROUP BY firsts.sid
    UNION ALL
    SELECT ranked.sid, SUM(ranked.value), 0, 0, 0, 0
    FROM (
        SELECT st.id AS sid, v.value, m.accumulation,
               ROW_NUMBER() OVER (
                   PARTITION BY st.id, r.commitment_id ORDER BY r.period_end DESC
               ) AS latest
        FROM st
        JOIN {REPORT} r ON r.status = {_VERIFIED} AND r.period_end <= st.stated_on
        JOIN {VALUE} v ON v.report_id = r.id AND v.metric_id = st.metric_id
        JOIN {METRIC} m ON m.id = v.metric_id
        WHERE st.figure IN ('{StatementFigure.INVESTED_USD}', '{StatementFigure.REACHED}')
    ) ranked
    WHERE ranked.latest = 1 OR ranked.accumulation <> '{Metric.Accumulation.CUMULATIVE}'
    GROUP BY ranked.sid
)
SELECT st.id, st.stated_on, st.metric, st.value, st.qualifier, st.unit, st.source_url,
       st.figure, st.metric_id, computed.computed, computed.n_at_least, computed.n_about,
       computed.n_up_to, computed.n_confidential
FROM st LEFT JOIN computed ON computed.sid = st.id
ORDER BY st.stated_on, st.metric, st.id
"""
_MONEY_FIGURES = {
    StatementFigure.COMMITTED_USD,
    StatementFigure.ROUND_COMMITTED_USD,
    StatementFigure.INVESTED_USD,
    StatementFigure.REACHED,
}
_COUNT_FIGURES = {StatementFigure.PARTNERS, StatementFigure.ROUND_NEW_PARTNERS}


def reconcile(as_of: datetime.date) -> tuple[Reconciliation, ...]:
    result = []
    for row in _fetch(RECONCILE_SQL, [as_of]):
        sid, day, metric, value, qualifier, unit, url, figure, metric_id, computed, *counts = row
        confidential = int(counts.pop() or 0)
        computed_value: Decimal | None = None
        computed_qualifier: TotalQualifier | None = None
        if figure in _COUNT_FIGURES:
            computed_value = Decimal(int(computed or 0))
        elif figure in _MONEY_FIGURES and (figure != StatementFigure.REACHED or metric_id):
            computed_value = _money(computed)
        if computed_value is not None:
            computed_qualifier = _qualifier(*(int(n or 0) for n in counts))
        result.append(
            Reconciliation(
                statement_id=sid,
                stated_on=_date(day),
                metric=metric,
                stated_value=Decimal(str(value)),
                stated_qualifier=qualifier,
                unit=unit,
                source_url=url,
                figure=figure,
                computed_value=computed_value,
                computed_qualifier=computed_qualifier,
                computed_confidential=confidential if computed_value is not None else 0,
            )
        )
    return tuple(result)


# -- The delivery ladder ----------------------------------------------------------------------

_INDEPENDENT = f"'{VerificationLevel.INDEPENDENTLY_VERIFIED}'"

# Per counted commitment: its public amount, its invested value (the latest verified value of
# US$ invested), and whether it reached each step; then one sum per step. The steps nest, as
# in `figures.ladder`.
LADDER_SQL = f"""
WITH base AS (
    SELECT c.id, c.status,
           CASE WHEN {_PUBLIC_NEW_MONEY} AND c.amount_usd IS NOT NULL
                THEN c.amount_usd END AS amount
    FROM {COMMITMENT} c
    WHERE {_counted("c", "%s")}
),
reps AS (
    SELECT r.commitment_id,
           MAX(CASE WHEN r.evidence_attached
                     AND EXISTS (SELECT 1 FROM {VALUE} v WHERE v.report_id = r.id)
                    THEN 1 ELSE 0 END) AS backed,
           MAX(CASE WHEN r.evidence_attached AND r.verification_level = {_INDEPENDENT}
                     AND EXISTS (SELECT 1 FROM {VALUE} v WHERE v.report_id = r.id)
                    THEN 1 ELSE 0 END) AS independent
    FROM {REPORT} r
    WHERE r.status = {_VERIFIED} AND r.period_end <= %s
    GROUP BY r.commitment_id
),
inv AS (
    SELECT commitment_id, value FROM (
        SELECT v.value, r.commitment_id,
               ROW_NUMBER() OVER (PARTITION BY r.commitment_id ORDER BY r.period_end DESC) AS n
        FROM {VALUE} v
        JOIN {REPORT} r ON r.id = v.report_id
        JOIN {METRIC} m ON m.id = v.metric_id
        WHERE m.code = '{USD_INVESTED}' AND r.status = {_VERIFIED} AND r.period_end <= %s
    ) ranked WHERE n = 1
),
steps AS (
    SELECT b.amount, COALESCE(inv.value, 0) AS invested,
           CASE WHEN b.amount IS NOT NULL THEN 1 ELSE 0 END AS s2,
           CASE WHEN b.amount IS NOT NULL AND reps.commitment_id IS NOT NULL
                THEN 1 ELSE 0 END AS s3,
           CASE WHEN b.amount IS NOT NULL AND reps.backed = 1 THEN 1 ELSE 0 END AS s4,
           CASE WHEN b.amount IS NOT NULL AND reps.independent = 1 THEN 1 ELSE 0 END AS s5,
           CASE WHEN b.amount IS NOT NULL AND reps.independent = 1
                 AND b.status = '{Status.COMPLETED}' THEN 1 ELSE 0 END AS s6
    FROM base b
    LEFT JOIN reps ON reps.commitment_id = b.id
    LEFT JOIN inv ON inv.commitment_id = b.id
)
SELECT COUNT(*), SUM(amount), SUM(invested),
       {
    ", ".join(
        f"SUM(s{k}), SUM(CASE WHEN s{k} = 1 THEN amount END), "
        f"SUM(CASE WHEN s{k} = 1 THEN invested END)"
        for k in range(2, 7)
    )
}
FROM steps
"""


def ladder_steps(as_of: datetime.date) -> tuple[Step, ...]:
    """The steps of `figures.ladder.ladder` (without its silence and reporting rate)."""
    (row,) = _fetch(LADDER_SQL, [as_of, as_of, as_of, as_of])
    return tuple(
        Step(name, int(row[3 * i] or 0), _money(row[3 * i + 1]), _money(row[3 * i + 2]))
        for i, name in enumerate(STEPS)
    )

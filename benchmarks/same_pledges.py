"""The same-pledge suggestions against a bare SQL join (`python -m benchmarks same-pledges`).

The synthetic record has one initiative; for this measurement a second one is made and every
commitment with an odd id moved to it, inside a transaction rolled back at the end, so the
reused database keeps its data set (and the other benchmarks their figures). Each partner then
has commitments under both initiatives, many announced on the same round dates: the densest
case for the suggestions.

The figure is `suggest_same_pledges()` (the first `SUGGESTIONS_SHOWN`, as the secretariat's
page asks), reduced to its pairs in order; the floor is one SQL statement through the driver
that joins the commitments on their partner with the same criteria and returns the first pairs
in the same order. The synthetic record has no links nor dismissals, so both give the same
pairs (checked before timing, as for every floor: `figures.measure`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.models import F

from adelante.commitments.models import Commitment, CountryShare
from adelante.commitments.same_pledge import (
    AMOUNT_TOLERANCE,
    SUGGESTIONS_SHOWN,
    WITHIN_DAYS,
    suggest_same_pledges,
)
from adelante.initiatives.models import Initiative
from benchmarks.figures import Figure, Measurement, measure

NAME = "same-pledges"


@contextmanager
def two_initiatives() -> Iterator[None]:
    """Half of the commitments under a second initiative, for the block only."""
    with transaction.atomic():
        second = Initiative.objects.create(
            slug="benchmark-second", name="Second initiative (benchmark)", position=99
        )
        Commitment.objects.alias(odd=F("id") % 2).filter(odd=1).update(initiative=second)
        if connection.vendor == "postgresql":
            # The planner's statistics of the moved column, as autovacuum would update them
            # after such a change (ANALYZE may run in a transaction; its result is rolled back
            # with it).
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Commitment._meta.db_table}")
        try:
            yield
        finally:
            transaction.set_rollback(True)


def module_pairs(day: datetime.date) -> list[tuple[int, int]]:
    return [s.pair for s in suggest_same_pledges(limit=SUGGESTIONS_SHOWN)]


def floor_pairs(day: datetime.date) -> list[tuple[int, int]]:
    """The bare join: one statement, the first pairs ordered as the page orders them (days
    apart, the amounts' difference as a fraction of the larger, the ids)."""
    if connection.vendor == "sqlite":
        days = "CAST(julianday(b.announced_on) - julianday(a.announced_on) AS INTEGER)"
    else:
        days = "(b.announced_on - a.announced_on)"
    tolerance = int(1 / AMOUNT_TOLERANCE)  # 10: |a - b| * 10 <= the larger
    larger = "CASE WHEN a.amount_usd > b.amount_usd THEN a.amount_usd ELSE b.amount_usd END"
    c, s = Commitment._meta.db_table, CountryShare._meta.db_table
    sql = f"""
        SELECT a_id, b_id FROM (
            SELECT a.id AS a_id, b.id AS b_id, {days} AS days,
                   CASE WHEN a.amount_usd IS NULL OR ({larger}) = 0 THEN 0
                        ELSE CAST(ABS(a.amount_usd - b.amount_usd) AS DOUBLE PRECISION)
                             / ({larger}) END AS difference
            FROM {c} a JOIN {c} b
              ON b.partner_id = a.partner_id AND b.initiative_id <> a.initiative_id
             AND (b.announced_on > a.announced_on
                  OR (b.announced_on = a.announced_on AND b.id > a.id))
            WHERE a.announced_on IS NOT NULL
              AND ((a.amount_usd IS NULL AND b.amount_usd IS NULL)
                   OR ABS(a.amount_usd - b.amount_usd) * {tolerance} <= ({larger}))
              AND EXISTS (SELECT 1 FROM {s} sa JOIN {s} sb ON sb.country = sa.country
                          WHERE sa.commitment_id = a.id AND sb.commitment_id = b.id)
        ) pairs
        WHERE days <= {int(WITHIN_DAYS)}
        ORDER BY days, difference, CASE WHEN a_id < b_id THEN a_id ELSE b_id END,
                 CASE WHEN a_id < b_id THEN b_id ELSE a_id END
        LIMIT {int(SUGGESTIONS_SHOWN)}"""
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(min(a, b), max(a, b)) for a, b in cursor.fetchall()]


SAME_PLEDGES = Figure(NAME, module_pairs, floor_pairs)


def measure_same_pledges(
    as_of: datetime.date, *, commitments: int, reports: int, repeat: int
) -> list[Measurement]:
    with two_initiatives():
        return measure(
            as_of, commitments=commitments, reports=reports, repeat=repeat, figures=[SAME_PLEDGES]
        )

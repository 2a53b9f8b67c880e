"""The migration to initiatives, on the shipped record (issue 14: "figures identical before and
after", "a migration moves existing data without loss").

The database is migrated back to the schema before initiatives (commitments 0004, no
initiatives app), the record is put in that schema, its figures are computed there with the
historical models of the executor's state (the current figure code cannot query tables
without an initiative column), then the database is migrated forward and the current figure
functions must give the same figures; every row of every table is the same, and every row and
history row of rounds, commitments and statements joined Central America Forward.

The record is imported with the current importer (`adelante import record`) and carried into
the old schema by the reverse migration (which drops the initiative columns and tables and
nothing else: checked below), because the importer's code writes the initiative column and
cannot run on the old schema.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.apps.registry import Apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone

from adelante.commitments.choices import StatementFigure
from adelante.commitments.models import (
    NEW_MONEY_Q,
    Commitment,
    OfficialStatement,
    Round,
    announced_by_q,
)
from adelante.figures.committed import (
    CONFIDENTIAL_Q,
    MULTI_COUNTRY,
    REGIONAL,
    committed,
    committed_by,
)
from adelante.figures.partner_counts import commitments_per_partner
from adelante.figures.reconcile import reconcile
from adelante.initiatives.models import FIRST_INITIATIVE_SLUG, Initiative

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]

#: The schema before initiatives.
BEFORE = [("commitments", "0004_accent_insensitive_search"), ("initiatives", None)]
#: The tables that take an initiative column, with their history tables.
WITH_INITIATIVE = (
    "commitments_round",
    "commitments_commitment",
    "commitments_officialstatement",
    "commitments_historicalround",
    "commitments_historicalcommitment",
    "commitments_historicalofficialstatement",
)


def migrate(targets: list[tuple[str, str | None]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection)  # a fresh loader: the one above has stale state


def latest() -> list[tuple[str, str | None]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} WHERE 1 = 0")
        return [column[0] for column in cursor.description]


def rows(skip: tuple[str, ...] = ("initiative_id",)) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the installed models, as stored, without the `skip`
    columns, sorted."""
    found: dict[str, list[tuple[Any, ...]]] = {}
    quote = connection.ops.quote_name
    tables = connection.introspection.django_table_names(only_existing=True)
    with connection.cursor() as cursor:
        for table in sorted(tables):
            kept = sorted(c for c in columns(table) if c not in skip)
            cursor.execute(f"SELECT {', '.join(map(quote, kept))} FROM {quote(table)}")
            found[table] = sorted(cursor.fetchall(), key=repr)
    return found


def old_figures(apps: Apps, as_of: datetime.date) -> dict[str, Any]:
    """The record's public figures on the schema before initiatives, from its historical
    models: the rules of adelante.figures (DOMAIN rule 2: announced by the date, not withdrawn,
    restatements count zero, confidential amounts left out), the sums written again here."""
    commitment = apps.get_model("commitments", "Commitment")
    share = apps.get_model("commitments", "CountryShare")
    statement = apps.get_model("commitments", "OfficialStatement")

    def counted(day: datetime.date) -> Any:
        return commitment.objects.filter(announced_by_q(day))

    def total(day: datetime.date, *, on_the_day: bool = False) -> Decimal:
        money = counted(day).filter(NEW_MONEY_Q, amount_usd__isnull=False).exclude(CONFIDENTIAL_Q)
        if on_the_day:
            money = money.filter(announced_on=day)
        return money.aggregate(s=Sum("amount_usd"))["s"] or Decimal(0)

    new_money = counted(as_of).filter(NEW_MONEY_Q)
    public = new_money.filter(amount_usd__isnull=False).exclude(CONFIDENTIAL_Q)
    by_country: dict[str, Decimal] = {}
    allocated = share.objects.filter(
        commitment__in=new_money, share_percent__isnull=False, amount_usd__isnull=False
    ).exclude(commitment__qualifier="confidential")
    for row in allocated.values("country").annotate(s=Sum("amount_usd")).order_by("country"):
        by_country[row["country"]] = row["s"]
    # Not allocated: several countries without shares (multi-country), or no country (regional).
    unallocated = share.objects.filter(share_percent__isnull=True).values("commitment_id")
    with_shares = share.objects.values("commitment_id")
    multi = public.filter(id__in=unallocated).aggregate(s=Sum("amount_usd"))["s"]
    regional = public.exclude(id__in=with_shares).aggregate(s=Sum("amount_usd"))["s"]
    by_country[MULTI_COUNTRY] = multi or Decimal(0)
    by_country[REGIONAL] = regional or Decimal(0)
    # Every round with new money, with or without a public amount.
    in_public = Q(id__in=public.values("id"))
    by_round = {
        str(row["round_id"]): row["s"] or Decimal("0.00")
        for row in new_money.values("round_id")
        .annotate(s=Sum("amount_usd", filter=in_public))
        .order_by()
    }
    per_partner = {
        row["partner_id"]: row["n"]
        for row in counted(as_of).values("partner_id").annotate(n=Count("id")).order_by()
    }
    statements = {}
    for made in statement.objects.filter(stated_on__lte=as_of).order_by("id"):
        if made.figure == StatementFigure.COMMITTED_USD:
            statements[made.id] = total(made.stated_on)
        elif made.figure == StatementFigure.ROUND_COMMITTED_USD:
            statements[made.id] = total(made.stated_on, on_the_day=True)
        elif made.figure == StatementFigure.ROUND_NEW_PARTNERS:
            firsts = (
                counted(made.stated_on).values("partner_id").annotate(first=Min("announced_on"))
            )
            statements[made.id] = Decimal(firsts.filter(first=made.stated_on).count())
        elif made.figure == StatementFigure.PARTNERS:
            statements[made.id] = Decimal(
                counted(made.stated_on).values("partner_id").distinct().count()
            )
    return {
        "total": total(as_of),
        "commitments": counted(as_of).count(),
        "partners": counted(as_of).values("partner_id").distinct().count(),
        "by_country": by_country,
        "by_round": by_round,
        "per_partner": per_partner,
        "statements": statements,
    }


#: The statements' figures checked against the old schema (the others are compared whole,
#: before and after, in `everything`).
CHECKED = (
    StatementFigure.COMMITTED_USD,
    StatementFigure.ROUND_COMMITTED_USD,
    StatementFigure.PARTNERS,
    StatementFigure.ROUND_NEW_PARTNERS,
)


def current_figures(as_of: datetime.date) -> dict[str, Any]:
    """The same figures from the current figure functions (for the primary initiative)."""
    total = committed(as_of)
    countries = committed_by("country", as_of)
    rounds = committed_by("round", as_of)
    reconciled = reconcile(as_of)
    partners = Commitment.objects.values_list("partner_id", flat=True).distinct()
    return {
        "total": total.amount_usd,
        "commitments": total.commitments,
        "partners": total.partners,
        "by_country": {row.key: row.amount_usd for row in countries.rows},
        "by_round": {row.key: row.amount_usd for row in rounds.rows},
        "per_partner": commitments_per_partner(partners, as_of),
        "statements": {
            row.statement_id: row.computed_value for row in reconciled if row.figure in CHECKED
        },
    }


def everything(as_of: datetime.date) -> tuple[Any, ...]:
    """Whole results of the figure functions, live and as recorded today (from the history)."""
    return tuple(
        (
            committed(as_of, recorded_on=on),
            committed_by("country", as_of, recorded_on=on),
            committed_by("round", as_of, recorded_on=on),
            committed_by("kind", as_of, recorded_on=on),
            committed_by("partner-type", as_of, recorded_on=on),
            reconcile(as_of, recorded_on=on),
        )
        for on in (None, as_of)
    )


def test_the_shipped_record_keeps_every_figure_and_row_through_the_migration():
    today = timezone.localdate()
    call_command("import", "record", stdout=StringIO(), stderr=StringIO())
    assert Commitment.objects.count() > 30 and OfficialStatement.objects.count() > 20
    whole_before = everything(today)
    rows_before = rows()
    columns_before = {table: columns(table) for table in rows_before}

    try:
        executor = migrate(BEFORE)
        # The old schema: no initiatives, no initiative columns; the record is all there.
        tables = connection.introspection.table_names()
        assert not [t for t in tables if t.startswith("initiatives_")]
        assert "commitments_samepledge" not in tables
        for table in WITH_INITIATIVE:
            assert "initiative_id" not in columns(table)
        old = old_figures(executor.loader.project_state(BEFORE[0]).apps, today)
        assert old["total"] > 0 and old["by_round"]
        # Every statement of the four figures the record backs from commitments alone.
        assert len(old["statements"]) == 13
        assert {"GT", "SV", "HN"} <= set(old["by_country"])
    finally:
        migrate(latest())

    # Forward again: the current figure functions give what the old schema gave.
    assert current_figures(today) == old
    assert everything(today) == whole_before
    # Every row of every table as it was (the initiative columns apart, compared below), and
    # the same columns. Not necessarily in the same order: a table whose later migration is
    # undone and done again (reports' and exchange's jobs, which name an initiative) gets the
    # re-added column last, and an earlier test in the same database may have done the same;
    # nothing reads columns by position.
    assert rows() == rows_before
    assert {table: sorted(columns(table)) for table in rows_before} == {
        table: sorted(names) for table, names in columns_before.items()
    }

    first = Initiative.objects.get(primary=True)
    assert first.slug == FIRST_INITIATIVE_SLUG
    assert first.country_codes() == ("GT", "SV", "HN")
    for model in (Round, Commitment, OfficialStatement):
        assert model.objects.exclude(initiative=first).count() == 0
        versions = model.history.all()  # type: ignore[attr-defined]
        assert versions.exists()
        assert versions.exclude(initiative_id=first.pk).count() == 0


def test_the_schema_before_initiatives_is_reachable_from_the_graph():
    """Going back unapplies the initiatives migrations and only migrations (the jobs' initiative
    columns depend on them): the path the test above and the benchmark take."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(BEFORE)
    undone = {(migration.app_label, migration.name) for migration, backwards in plan if backwards}
    assert ("commitments", "0005_initiatives") in undone
    assert ("initiatives", "0001_initial") in undone
    assert all(backwards for _migration, backwards in plan)

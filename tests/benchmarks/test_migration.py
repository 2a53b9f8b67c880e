"""The note of synthetic data sets moved from the demo app to the benchmarks: a database that
the demo app migrated keeps its data sets (its table is adopted, not made anew)."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone

from benchmarks.models import SyntheticDataset

initial = importlib.import_module("benchmarks.migrations.0001_initial")


@pytest.mark.django_db(transaction=True)
def test_the_demo_apps_table_is_adopted_with_its_rows() -> None:
    table = SyntheticDataset._meta.db_table
    kept = SyntheticDataset.objects.create(
        seed=5, partners=1, commitments=2, reports=0, generator="2", started_at=timezone.now()
    )
    # The database as the demo app left it: the table under the demo app's name.
    with connection.schema_editor() as editor:
        editor.alter_db_table(SyntheticDataset, table, initial.DEMO_TABLE)
    assert table not in connection.introspection.table_names()
    with connection.schema_editor() as editor:
        initial.adopt_or_create(apps, editor)
    names = connection.introspection.table_names()
    assert table in names and initial.DEMO_TABLE not in names
    assert list(SyntheticDataset.objects.values_list("pk", "seed")) == [(kept.pk, 5)]

"""tests/snapshots.py, the test helper that copies rows back: what it inserts leaves the
database as an ordinary write would."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from adelante.catalogue.models import FocusArea
from adelante.commitments.models import Commitment
from tests import builders, snapshots


@pytest.mark.django_db
def test_links_inserted_with_their_ids_move_the_next_link_id_past_them():
    """A replayed load inserts many-to-many links with the ids they had; a link saved
    afterwards must not take one of them (a CI run failed on exactly that, after a test had
    set the links' sequence back)."""
    made = builders.commitment("Cargill", "10", datetime.date(2023, 2, 7))
    first, second = FocusArea.objects.order_by("code")[:2]
    through = Commitment.focus_areas.through
    columns = tuple(field.column for field in through._meta.concrete_fields)
    values = {"id": 10_000, "commitment_id": made.pk, "focusarea_id": first.pk}
    row = tuple(values[column] for column in columns)
    if connection.vendor == "postgresql":
        # COPY's text format, the columns in the table's order.
        table = snapshots.Table(
            through._meta.db_table, (), ("\t".join(map(str, row)).encode() + b"\n",)
        )
    else:
        table = snapshots.Table(through._meta.db_table, columns, (row,))
    snapshots.insert(connection, [table])

    made.focus_areas.add(second)

    assert through.objects.get(commitment=made, focusarea=second).pk > 10_000
    assert set(made.focus_areas.all()) == {first, second}

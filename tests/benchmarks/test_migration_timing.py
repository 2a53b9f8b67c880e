"""`python -m benchmarks migration --in-place`: fills the database with a small synthetic record,
goes back to the schema before initiatives and forward again, and checks that every row joined
the primary initiative (docs/benchmarks.md, "The migration to initiatives")."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from adelante.commitments.models import Commitment
from adelante.initiatives.models import Initiative

# Migrations change the schema: outside a transaction, and the rows put back afterwards.
pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]


def test_it_times_both_directions_and_keeps_every_commitment_in_the_primary():
    out = StringIO()
    call_command(
        "benchmark_migration",
        "--in-place",
        "--commitments=40",
        "--format=json",
        stdout=out,
        stderr=StringIO(),
    )
    (run,) = json.loads(out.getvalue())
    assert run["commitments"] == 40 and run["history_rows"] >= 40
    assert run["back_seconds"] > 0 and run["forward_seconds"] > 0
    assert "commitments.0005_initiatives" in run["forward_steps"]
    assert "initiatives.0001_initial" in run["back_steps"]
    primary = Initiative.objects.get(primary=True)
    assert Commitment.objects.count() == 40
    assert not Commitment.objects.exclude(initiative=primary).exists()

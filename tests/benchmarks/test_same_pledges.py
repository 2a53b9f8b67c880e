"""`python -m benchmarks same-pledges`: the floor (a bare SQL join) finds the pairs the
suggestions find, on a synthetic record with a second initiative that the benchmark leaves
behind it as it found it. No timing is asserted: times depend on the machine."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from adelante.commitments.models import Commitment
from adelante.commitments.same_pledge import suggest_same_pledges
from adelante.initiatives.models import Initiative
from benchmarks.same_pledges import floor_pairs, module_pairs, two_initiatives
from benchmarks.synthetic import datasets, generator

pytestmark = pytest.mark.django_db


def test_the_floor_finds_the_suggested_pairs_in_the_same_order() -> None:
    datasets.generate(generator.Spec(partners=20, commitments=160, reports=0, seed=3))
    initiatives = dict(Commitment.objects.values_list("id", "initiative_id"))
    with two_initiatives():
        assert Commitment.objects.values("initiative_id").distinct().count() == 2
        assert suggest_same_pledges()  # the synthetic record has candidates
        assert floor_pairs(generator.LAST_DAY) == module_pairs(generator.LAST_DAY)
    # Rolled back: the data set is as it was.
    assert dict(Commitment.objects.values_list("id", "initiative_id")) == initiatives
    assert not Initiative.objects.filter(slug="benchmark-second").exists()


def test_the_command_in_place_prints_the_row() -> None:
    out = StringIO()
    call_command(
        "benchmark",
        "--in-place",
        "--same-pledges",
        "--sizes=80",
        "--repeat=1",
        "--reports-per-commitment=0",
        stdout=out,
        stderr=StringIO(),
    )
    (row,) = [line for line in out.getvalue().splitlines() if "same-pledges" in line]
    assert "80" in row
    assert "every floor equals the figures module" in out.getvalue()

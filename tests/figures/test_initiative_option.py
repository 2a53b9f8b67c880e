"""`adelante figures` and `adelante reconcile` take `--initiative SLUG` (issue 14): that
initiative's figures; without it, the primary initiative's."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.second_initiative import SLUG, primary_record, second_initiative, second_record

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_figures_and_reconcile_per_initiative():
    primary_record()
    second_record(second_initiative())
    first = json.loads(run("figures", "--as-of", "2024-12-31", "--format", "json"))
    second = json.loads(
        run("figures", "--as-of", "2024-12-31", "--format", "json", "--initiative", SLUG)
    )
    assert (first["committed_usd"], first["commitments"]) == ("5000000.00", 2)
    assert (second["committed_usd"], second["commitments"]) == ("6200000.00", 4)
    by_country = json.loads(
        run("figures", "--as-of", "2024-12-31", "--format", "json", "--by", "country",
            "--initiative", SLUG)
    )  # fmt: skip
    assert {"KE", "TZ", "UG", "GT"} <= {row["key"] for row in by_country["rows"]}
    reconciled = json.loads(
        run("reconcile", "--as-of", "2024-12-31", "--format", "json", "--initiative", SLUG)
    )
    assert [r["metric"] for r in reconciled["statements"]] == ["cumulative_committed_usd"]
    first_reconciled = json.loads(run("reconcile", "--as-of", "2024-12-31", "--format", "json"))
    assert first_reconciled["statements"] == []
    with pytest.raises(CommandError) as raised:
        run("reconcile", "--initiative", "nowhere")
    assert raised.value.returncode == 2 and "nowhere" in str(raised.value)

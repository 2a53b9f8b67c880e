"""--dry-run shows what would change, row by row, and writes nothing."""

from __future__ import annotations

import pytest

from tests.exchange.conftest import read_csv, run_import, table_counts, write_csv

pytestmark = pytest.mark.django_db


def test_dry_run_on_an_empty_record_writes_nothing(real_commitments_csv):
    before = table_counts()
    run = run_import("commitments", real_commitments_csv, "--dry-run")
    assert run.ok
    assert table_counts() == before
    lines = run.stdout.splitlines()
    assert len(lines) == 43
    assert lines[-2] == "Read as: comma-separated, UTF-8."
    assert lines[0] == (
        "line 2: new 2021-05-27-2021-05-call-to-action-launch-accion; new partner “Accion”; "
        "new round “2021-05 Call to Action launch”"
    )
    assert (
        "line 28: new 2022-06-07-2022-06-summit-of-the-americas-millicom; new partner "
        "“Millicom” with aliases “Millicom (Tigo)”, “Tigo”"
    ) in lines
    assert (
        "line 39: new 2023-02-06-2023-02-central-america-forward-launch-nespresso; partner "
        "“Nespresso”, matched through its alias “Nestlé”; adds aliases “Nestlé (Nescafé)”, "
        "“Nescafé” to “Nespresso”"
    ) in lines
    assert lines[-1] == (
        f"Dry run, nothing written: {real_commitments_csv} would create 41, update 0 and leave "
        "0 unchanged. New partners: 36; new rounds: 5."
    )


def test_dry_run_shows_changed_and_unchanged_rows(real_commitments_csv, tmp_path):
    assert run_import("commitments", real_commitments_csv).ok
    rows = read_csv(real_commitments_csv)
    rows[0]["summary"] = "Corrected summary."
    rows[1]["countries"] = "GT"
    rows.append({**rows[0], "partner": "Newcomer Foundation", "partner_type": "foundation"})
    path = write_csv(tmp_path / "next.csv", rows)
    before = table_counts()

    run = run_import("commitments", path, "--dry-run")

    assert table_counts() == before
    lines = run.stdout.splitlines()
    assert lines[0] == "line 2: changed 2021-05-27-2021-05-call-to-action-launch-accion (summary)"
    assert lines[1] == (
        "line 3: changed 2021-05-27-2021-05-call-to-action-launch-bancolombia (countries)"
    )
    assert lines[2] == "line 4: unchanged 2021-05-27-2021-05-call-to-action-launch-chobani"
    assert lines[-2] == "Read as: comma-separated, UTF-8."
    assert lines[-3] == (
        "line 43: new 2021-05-27-2021-05-call-to-action-launch-newcomer-foundation; "
        "new partner “Newcomer Foundation”"
    )
    assert lines[-1].endswith("would create 1, update 2 and leave 39 unchanged. New partners: 1.")


def test_dry_run_with_problems_fails_the_same_way(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("partner\nAcme\n", encoding="utf-8")
    run = run_import("commitments", path, "--dry-run")
    assert not run.ok
    assert f"{path}:1: partner_type: required column missing from the header" in run.stderr


def test_real_import_prints_a_summary_and_changed_rows_when_verbose(real_commitments_csv, tmp_path):
    run = run_import("commitments", real_commitments_csv)
    assert run.stdout == (
        f"Imported {real_commitments_csv}: 41 created, 0 updated, 0 unchanged. "
        "New partners: 36; new rounds: 5.\n"
    )
    run = run_import("commitments", real_commitments_csv, verbosity=2)
    assert run.stdout == (f"Imported {real_commitments_csv}: 0 created, 0 updated, 41 unchanged.\n")
    rows = read_csv(real_commitments_csv)
    rows[-1]["amount_usd"] = "300000001"
    changed = write_csv(tmp_path / "target.csv", rows)
    run = run_import("commitments", changed, verbosity=2)
    assert run.stdout.splitlines() == [
        "line 42: changed 2023-02-06-2023-02-central-america-forward-launch-target "
        "(amount, amount_usd)",
        f"Imported {changed}: 0 created, 1 updated, 40 unchanged.",
    ]

"""The staff's spreadsheet import in the web: staff only, a dry run with every row's outcome,
then all or nothing on confirmation, with the change reason in the history. Each step runs as
a background job, here run by a worker in the test's process (tests/exchange/workers.py)."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.test import Client

from adelante.accounts.grants import grant
from adelante.commitments.models import Commitment
from adelante.exchange.models import ImportJob
from tests.exchange.conftest import commitment, table_counts
from tests.exchange.workers import work

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]]) -> io.BytesIO:
    out = io.StringIO()
    import csv

    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    data = io.BytesIO(out.getvalue().encode())
    data.name = "commitments.csv"
    return data


@pytest.fixture
def staff() -> Client:
    user = User.objects.create_user("staffer", password="x-password-123")
    grant(user, "secretariat-reviewer")
    client = Client()
    client.force_login(user)
    return client


def upload(client: Client, rows: list[dict[str, str]], kind: str = "commitments"):
    """Upload, let the worker check the file, and open the job's page."""
    started = client.post("/en/staff/import/", {"kind": kind, "file": _csv(rows)})
    assert started.status_code == 302, started.content
    assert work() == 1
    return client.get(started["Location"])


def test_only_the_secretariat(db):
    anonymous = Client()
    assert anonymous.get("/en/staff/import/").status_code == 302
    user = User.objects.create_user("partner", password="x-password-123", is_staff=True)
    member = Client()
    member.force_login(user)
    assert member.get("/en/staff/import/").status_code == 403
    assert member.post("/en/staff/import/").status_code == 403


def test_dry_run_then_confirm(staff):
    rows = [commitment(), commitment(partner="Beta Co", amount_usd="5")]
    page = upload(staff, rows)
    assert page.status_code == 200
    html = page.content.decode()
    assert "would create 2" in html and "new partner" in html
    assert not Commitment.objects.exists()  # a dry run writes nothing
    job = page.context["job"]
    assert default_storage.exists(job.stored)
    confirmed = staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"})
    assert confirmed["Location"] == f"/en/staff/import/jobs/{job.pk}/"
    assert not Commitment.objects.exists()  # queued, not yet run
    assert work() == 1
    done = staff.get(confirmed["Location"])
    assert "2 created" in done.content.decode()
    assert Commitment.objects.count() == 2
    reason = Commitment.history.latest().history_change_reason
    assert reason == "import commitments.csv (web, by staffer)"
    # The job is used up; the stored file is gone.
    again = staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"}, follow=True)
    assert "not waiting for confirmation" in again.content.decode()
    assert work() == 0
    assert Commitment.objects.count() == 2
    assert not default_storage.exists(job.stored)


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"announced_on": "01/03/2024"}, "announced_on", "could be day/month or month/day"),
        ({"amount_usd": "1,500"}, "amount_usd", "could be 1500 or 1.5"),
        ({"amount_usd": "1.5e6"}, "amount_usd", "scientific notation"),
        ({"amount_usd": "-5"}, "amount_usd", "must be more than zero"),
        ({"countries": "QQ"}, "countries", "unknown country"),
        ({"countries": "MX"}, "countries", "not one of the initiative's countries (GT, SV, HN)"),
        ({"partner_type": "bank"}, "partner_type", "is not one of"),
        ({"source_url": "ftp://x"}, "source_url", "not a web address"),
    ],
)
def test_a_bad_cell_is_a_row_error_and_nothing_is_written(staff, cells, column, reason):
    before = record_counts()
    rows = [commitment(), commitment(partner="Beta Co", **cells)]
    page = upload(staff, rows)
    html = page.content.decode()
    assert "nothing can be imported" in html
    problems = page.context["job"].problems
    assert [(p["line"], p["column"]) for p in problems] == [(3, column)]
    assert reason in problems[0]["reason"]
    assert "Import all of it" not in html
    assert record_counts() == before
    assert ImportJob.objects.get().stored == ""  # the upload is deleted


def test_cancel_and_bad_uploads(staff):
    page = upload(staff, [commitment()])
    job = page.context["job"]
    cancelled = staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"cancel": "1"})
    assert cancelled.status_code == 302
    assert work() == 0
    assert not Commitment.objects.exists()
    assert not default_storage.exists(job.stored)
    exe = io.BytesIO(b"MZ\x90\x00")
    exe.name = "virus.exe"
    refused = staff.post("/en/staff/import/", {"kind": "commitments", "file": exe})
    assert "Upload a .csv or .xlsx file" in refused.content.decode()
    assert not ImportJob.objects.exclude(pk=job.pk).exists()
    # A job the user was never given.
    forged = staff.post("/en/staff/import/jobs/../../etc/confirm/", {"confirm": "1"})
    assert forged.status_code == 404


def record_counts() -> dict[str, int]:
    """Rows in every table but the job's own and its task's."""
    jobs = {"exchange.ImportJob", "django_tasks_database.DBTaskResult"}
    return {label: n for label, n in table_counts().items() if label not in jobs}

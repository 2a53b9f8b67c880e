"""The staff's spreadsheet import in the web: staff only, a dry run with every row's outcome,
then all or nothing on confirmation, with the change reason in the history."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.test import Client

from adelante.accounts.grants import grant
from adelante.commitments.models import Commitment
from tests.exchange.conftest import commitment, table_counts

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


def test_only_the_secretariat(db):
    anonymous = Client()
    assert anonymous.get("/en/staff/import/").status_code == 302
    user = User.objects.create_user("partner", password="x-password-123", is_staff=True)
    member = Client()
    member.force_login(user)
    assert member.get("/en/staff/import/").status_code == 403
    assert member.post("/en/staff/import/anything/confirm/").status_code == 403


def test_dry_run_then_confirm(staff):
    rows = [commitment(), commitment(partner="Beta Co", amount_usd="5")]
    page = staff.post("/en/staff/import/", {"kind": "commitments", "file": _csv(rows)})
    assert page.status_code == 200
    html = page.content.decode()
    assert "would create 2" in html and "new partner" in html
    assert not Commitment.objects.exists()  # a dry run writes nothing
    key = page.context["key"]
    assert default_storage.exists(page.context["entry"]["stored"])
    done = staff.post(f"/en/staff/import/{key}/confirm/", {"confirm": "1"})
    assert "2 created" in done.content.decode()
    assert Commitment.objects.count() == 2
    reason = Commitment.history.latest().history_change_reason
    assert reason == "import commitments.csv (web, by staffer)"
    # The key is used up; the stored file is gone.
    assert staff.post(f"/en/staff/import/{key}/confirm/", {"confirm": "1"}).status_code == 404
    assert not default_storage.exists(page.context["entry"]["stored"])


@pytest.mark.parametrize(
    ("cells", "column", "reason"),
    [
        ({"announced_on": "01/03/2024"}, "announced_on", "could be day/month or month/day"),
        ({"amount_usd": "1,500"}, "amount_usd", "could be 1500 or 1.5"),
        ({"amount_usd": "1.5e6"}, "amount_usd", "scientific notation"),
        ({"amount_usd": "-5"}, "amount_usd", "must be more than zero"),
        ({"countries": "MX"}, "countries", "unknown country"),
        ({"partner_type": "bank"}, "partner_type", "is not one of"),
        ({"source_url": "ftp://x"}, "source_url", "not a web address"),
    ],
)
def test_a_bad_cell_is_a_row_error_and_nothing_is_written(staff, cells, column, reason):
    before = table_counts()
    rows = [commitment(), commitment(partner="Beta Co", **cells)]
    page = staff.post("/en/staff/import/", {"kind": "commitments", "file": _csv(rows)})
    html = page.content.decode()
    assert "nothing can be imported" in html
    problems = page.context["problems"]
    assert [(p.line, p.column) for p in problems] == [(3, column)]
    assert reason in problems[0].reason
    assert "Import all of it" not in html
    assert table_counts() == before


def test_cancel_and_bad_uploads(staff):
    page = staff.post("/en/staff/import/", {"kind": "commitments", "file": _csv([commitment()])})
    key = page.context["key"]
    assert staff.post(f"/en/staff/import/{key}/confirm/", {"cancel": "1"}).status_code == 302
    assert not Commitment.objects.exists()
    exe = io.BytesIO(b"MZ\x90\x00")
    exe.name = "virus.exe"
    refused = staff.post("/en/staff/import/", {"kind": "commitments", "file": exe})
    assert "Upload a .csv or .xlsx file" in refused.content.decode()
    # A key the user was never given.
    assert staff.post("/en/staff/import/../../etc/confirm/", {"confirm": "1"}).status_code == 404

"""The staff's import as background jobs, on the real database and django-tasks' database
backend, with a worker run in the test's process (tests/exchange/workers.py): progress saved
as the rows are checked, a worker that dies half-way leaves nothing written and the job's next
run writes it once, only the uploader sees a job, and abandoned uploads go after a day."""

from __future__ import annotations

import csv
import datetime
import io
import os
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from adelante import history
from adelante.accounts.grants import grant
from adelante.commitments.models import Commitment
from adelante.exchange import jobs
from adelante.exchange.models import ImportJob, JobState
from adelante.jobs.queue import stalled_after
from tests.exchange.conftest import commitment
from tests.exchange.workers import queued, work

pytestmark = pytest.mark.django_db


def _csv(rows: list[dict[str, str]], name: str = "commitments.csv") -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    data = io.BytesIO(out.getvalue().encode())
    data.name = name
    return data


def _rows(n: int) -> list[dict[str, str]]:
    return [commitment(partner=f"Partner {i:03d}", amount_usd=str(1000 + i)) for i in range(n)]


def _staff(username: str = "staffer") -> Client:
    user = User.objects.create_user(username, password="x-password-123")
    grant(user, "secretariat-reviewer")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff() -> Client:
    return _staff()


def start(client: Client, rows: list[dict[str, str]]) -> ImportJob:
    response = client.post("/en/staff/import/", {"kind": "commitments", "file": _csv(rows)})
    assert response.status_code == 302
    return ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def test_the_request_only_queues_the_job(staff):
    job = start(staff, _rows(3))
    assert job.state == JobState.CHECKING and job.checked == 0
    assert queued() == 1 and default_storage.exists(job.stored)
    page = staff.get(f"/en/staff/import/jobs/{job.pk}/")
    html = page.content.decode()
    # The page polls its status fragment, with htmx from our own static files and without
    # the inline styles htmx would otherwise add.
    assert 'hx-get="/en/staff/import/jobs/' in html and 'hx-trigger="every 1s"' in html
    assert "exchange/vendor/htmx" in html and '"includeIndicatorStyles":false' in html
    assert "waiting for a worker" in html


def test_progress_is_saved_as_rows_are_checked(staff, monkeypatch):
    monkeypatch.setattr(jobs, "PROGRESS_EVERY", 0)  # save after every row
    job = start(staff, _rows(40))
    with CaptureQueriesContext(connection) as queries:
        assert work() == 1
    saved = [q["sql"] for q in queries if q["sql"].startswith("UPDATE") and "checked" in q["sql"]]
    assert len(saved) >= 40  # one per row, then the outcome
    job.refresh_from_db()
    assert job.state == JobState.CHECKED and job.total == 40 and job.checked == 40
    status = staff.get(f"/en/staff/import/jobs/{job.pk}/status/")
    assert status["HX-Refresh"] == "true"  # done: the page loads again, with the outcome
    page = staff.get(f"/en/staff/import/jobs/{job.pk}/").content.decode()
    assert "would create 40" in page and "hx-get" not in page


def test_the_status_fragment_while_checking_and_writing(staff):
    job = start(staff, _rows(3))
    ImportJob.objects.filter(pk=job.pk).update(total=4000, checked=1200)
    fragment = staff.get(f"/en/staff/import/jobs/{job.pk}/status/")
    text = fragment.content.decode()
    assert "1200 of 4000 rows checked" in text and '<progress max="4000" value="1200">' in text
    assert "hx-get" in text and not fragment.has_header("HX-Refresh")
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.IMPORTING, checked=4000)
    text = staff.get(f"/en/staff/import/jobs/{job.pk}/status/").content.decode()
    assert "writing 4000 rows, all or nothing" in text


class WorkerKilled(BaseException):
    """What a killed worker does to the code it was running: it never returns. (Not an
    Exception: no handler of ours catches it, as none could catch SIGKILL.)"""


def test_a_worker_killed_half_way_writes_nothing_and_the_next_run_writes_once(staff, monkeypatch):
    job = start(staff, _rows(6))
    work()
    staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"})

    written = []
    real_insert = history.insert

    def die_after_writing(model, *args, **kwargs):
        made = real_insert(model, *args, **kwargs)
        if model is Commitment:
            written.append(Commitment.objects.count())
            raise WorkerKilled
        return made

    # The import writes new commitments in bulk (history.insert): the worker dies right after.
    monkeypatch.setattr(history, "insert", die_after_writing)
    assert work() == 1
    monkeypatch.undo()
    assert written == [6]  # the six rows were written, then the worker died
    assert not Commitment.objects.exists()  # ...and rolled back with the transaction
    job.refresh_from_db()
    assert job.state == JobState.IMPORTING and job.imported_at is None
    assert DBTaskResult.objects.get(id=job.task_id).status == "FAILED"

    # Not stalled yet: nothing is queued again. Later, the job is.
    assert jobs.requeue_stalled() == []
    later = timezone.now() + stalled_after() + datetime.timedelta(minutes=1)
    assert [j.pk for j in jobs.requeue_stalled(now=later)] == [job.pk]
    assert jobs.requeue_stalled(now=later) == []  # queued, waiting: not twice
    assert work() == 1
    job.refresh_from_db()
    assert job.state == JobState.IMPORTED and job.imported_at is not None
    assert Commitment.objects.count() == 6
    history_rows = Commitment.history.count()

    # The same task delivered again, or a copy of the job queued by mistake: nothing twice.
    jobs.run_import_job.enqueue(str(job.pk))
    assert work() == 1
    assert Commitment.objects.count() == 6 and Commitment.history.count() == history_rows


def test_a_failing_job_says_so_and_writes_nothing(staff):
    job = start(staff, _rows(2))
    work()
    staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"})
    default_storage.delete(job.stored)  # the upload vanished from the storage
    assert work() == 1
    job.refresh_from_db()
    assert job.state == JobState.FAILED and "nothing was written" in job.error
    assert not Commitment.objects.exists()
    page = staff.get(f"/en/staff/import/jobs/{job.pk}/").content.decode()
    assert "nothing was written" in page
    assert jobs.requeue_stalled(now=timezone.now() + datetime.timedelta(days=1)) == []


def test_a_stalled_job_is_queued_again_when_its_page_is_opened(staff):
    job = start(staff, _rows(2))
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING")  # a worker took it
    old = timezone.now() - stalled_after() - datetime.timedelta(minutes=1)
    ImportJob.objects.filter(pk=job.pk).update(updated_at=old)  # ...and was never heard of
    page = staff.get(f"/en/staff/import/jobs/{job.pk}/")
    assert queued() == 1
    assert work() == 1
    job.refresh_from_db()
    assert job.state == JobState.CHECKED
    assert "would create 2" in staff.get(page.request["PATH_INFO"]).content.decode()


def test_only_the_uploader_sees_the_job(staff):
    job = start(staff, _rows(2))
    work()
    colleague = _staff("colleague")
    partner = Client()
    partner.force_login(User.objects.create_user("someone", password="x-password-123"))
    for path in ("", "status/"):
        url = f"/en/staff/import/jobs/{job.pk}/{path}"
        assert staff.get(url).status_code == 200
        assert colleague.get(url).status_code == 404
        assert partner.get(url).status_code == 404
        anonymous = Client().get(url)
        assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    confirm = f"/en/staff/import/jobs/{job.pk}/confirm/"
    assert colleague.post(confirm, {"confirm": "1"}).status_code == 404
    assert partner.post(confirm, {"confirm": "1"}).status_code == 404
    assert queued() == 0
    job.refresh_from_db()
    assert job.state == JobState.CHECKED


def test_in_spanish_the_job_reports_in_spanish(staff):
    rows = [commitment(), commitment(partner="Beta Co", countries="QQ")]
    response = staff.post("/es/staff/import/", {"kind": "commitments", "file": _csv(rows)})
    work()
    page = staff.get(response["Location"]).content.decode()
    # The worker checked the file in the uploader's language.
    assert "país desconocido «QQ»" in page and "unknown country" not in page


def test_the_immediate_backend_runs_the_job_in_the_request(staff, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = start(staff, _rows(2))
    assert queued() == 0
    job.refresh_from_db()
    assert job.state == JobState.CHECKED


def _orphan(name: str, modified: datetime.datetime) -> str:
    path = default_storage.save(f"{jobs.UPLOADS}/{name}", ContentFile(b"partner\n"))
    stamp = modified.timestamp()
    os.utime(Path(default_storage.path(path)), (stamp, stamp))
    return path


def test_cleanup_deletes_uploads_never_confirmed_after_a_day(staff, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # a storage of its own: other tests' uploads stay out
    t0 = timezone.now()
    abandoned = start(staff, _rows(2))
    work()
    imported = start(staff, _rows(1))
    work()
    staff.post(f"/en/staff/import/jobs/{imported.pk}/confirm/", {"confirm": "1"})
    work()
    old_orphan = _orphan("left-by-a-crash.csv", t0)
    out = io.StringIO()
    with time_machine.travel(t0 + datetime.timedelta(hours=23), tick=False):
        call_command("cleanup", stdout=out)
        recent = start(staff, [commitment(partner="Recent Co")])
        work()
        young_orphan = _orphan("just-now.csv", timezone.now())
    assert "deleted 0 upload(s)" in out.getvalue()
    abandoned.refresh_from_db()
    assert default_storage.exists(abandoned.stored) and default_storage.exists(old_orphan)

    out = io.StringIO()
    with time_machine.travel(t0 + datetime.timedelta(hours=25), tick=False):
        call_command("cleanup", stdout=out)
    assert "deleted 2 upload(s) older than 24 hours" in out.getvalue()
    assert not default_storage.exists(abandoned.stored)
    assert not default_storage.exists(old_orphan)
    abandoned.refresh_from_db()
    assert abandoned.state == JobState.CANCELLED and abandoned.stored == ""
    recent.refresh_from_db()
    assert recent.state == JobState.CHECKED and default_storage.exists(recent.stored)
    assert default_storage.exists(young_orphan)
    # The abandoned job can no longer be confirmed; the recent one still can.
    refused = staff.post(
        f"/en/staff/import/jobs/{abandoned.pk}/confirm/", {"confirm": "1"}, follow=True
    )
    assert "not waiting for confirmation" in refused.content.decode()
    staff.post(f"/en/staff/import/jobs/{recent.pk}/confirm/", {"confirm": "1"})
    work()
    assert Commitment.objects.count() == 2


def test_the_upload_forms_choices_go_with_the_job(staff):
    # 03/04/2024 is ambiguous: refused, unless the form says dates are day/month/year; the
    # choice is kept with the job, so the import reads the file as its check did.
    rows = [commitment(announced_on="03/04/2024", round="2024-04 Test round")]
    refused = start(staff, rows)
    work()
    refused.refresh_from_db()
    assert refused.state == JobState.REJECTED
    response = staff.post(
        "/en/staff/import/", {"kind": "commitments", "file": _csv(rows), "day_first": "on"}
    )
    job = ImportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])
    assert job.options["day_first"] is True
    work()
    page = staff.get(f"/en/staff/import/jobs/{job.pk}/").content.decode()
    assert "Read as:" in page
    staff.post(f"/en/staff/import/jobs/{job.pk}/confirm/", {"confirm": "1"})
    work()
    assert Commitment.objects.get().announced_on == datetime.date(2024, 4, 3)

"""Documents from the reports page as background jobs, on the real database and django-tasks'
database backend, with a worker run in the test's process (tests/exchange/workers.py): the
request only queues the job, only the person who asked for it sees it and downloads it, a run
repeated (a worker killed half-way, a task delivered twice) leaves one file and one record of
its edition, and `adelante cleanup` deletes the file after a day."""

from __future__ import annotations

import datetime
import io

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_REVIEWER
from adelante.exchange import housekeeping
from adelante.jobs.queue import stalled_after
from adelante.reports import jobs
from adelante.reports.models import ReportJob, ReportState
from tests.exchange.workers import queued, work
from tests.reports import extract

pytestmark = pytest.mark.django_db


def _release(response) -> None:  # type: ignore[no-untyped-def]
    """Close a download's file (not the response: that would close the test's connection)."""
    for closer in getattr(response, "_resource_closers", []):
        closer()


FORM = {"kind": "progress", "as_of": "2023-09-30", "language": "en", "format": "html"}


@pytest.fixture(autouse=True)
def own_storage(settings, tmp_path):
    """A storage of its own: other tests' files stay out of the counts."""
    settings.MEDIA_ROOT = tmp_path


def _reader(name: str, group: str = SECRETARIAT_REVIEWER) -> Client:
    user = get_user_model().objects.create_user(name, password="x-password-123")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff() -> Client:
    return _reader("staffer")


def ask(client: Client, **data: str) -> ReportJob:
    response = client.post("/en/reports/", {**FORM, **data})
    assert response.status_code == 302
    return ReportJob.objects.get(pk=response["Location"].rstrip("/").rsplit("/", 1)[1])


def files() -> list[str]:
    try:
        return sorted(default_storage.listdir(jobs.RESULTS)[1])
    except FileNotFoundError:
        return []


def download(client: Client, job: ReportJob) -> tuple[int, bytes]:
    response = client.get(f"/en/reports/jobs/{job.pk}/download/")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    _release(response)
    return response.status_code, content


def test_the_request_only_queues_the_job(staff, record):
    job = ask(staff)
    assert job.state == ReportState.QUEUED and queued() == 1 and files() == []
    html = staff.get(f"/en/reports/jobs/{job.pk}/").content.decode()
    # The page polls its status fragment, with htmx from our own static files and without
    # the inline styles htmx would otherwise add.
    assert f'hx-get="/en/reports/jobs/{job.pk}/status/"' in html
    assert 'hx-trigger="every 1s"' in html
    assert "exchange/vendor/htmx" in html and '"includeIndicatorStyles":false' in html
    assert "Waiting for a worker" in html and "/download/" not in html
    assert "<script>" not in html and "style=" not in html
    assert download(staff, job)[0] == 404  # nothing to download yet

    status = staff.get(f"/en/reports/jobs/{job.pk}/status/")
    assert "HX-Refresh" not in status  # still working: keep polling

    assert work() == 1
    job.refresh_from_db()
    assert job.state == ReportState.DONE and files() == [f"{job.pk}.html"]
    status = staff.get(f"/en/reports/jobs/{job.pk}/status/")
    assert status["HX-Refresh"] == "true"  # done: the page loads again with its link
    page = staff.get(f"/en/reports/jobs/{job.pk}/").content.decode()
    assert f"/en/reports/jobs/{job.pk}/download/" in page and "hx-get" not in page
    code, content = download(staff, job)
    assert code == 200
    assert job.checksum in extract.html_text(content)


def test_only_the_person_who_asked_sees_the_job(staff, record):
    job = ask(staff)
    work()
    others = [
        _reader("other-staffer"),
        _reader("gov", GOVERNMENT_VIEWER),
        _reader("no-role", group="nobody"),
    ]
    for other in others:
        for url in ("", "status/", "download/"):
            assert other.get(f"/en/reports/jobs/{job.pk}/{url}").status_code == 404
    anonymous = Client().get(f"/en/reports/jobs/{job.pk}/download/")
    assert anonymous.status_code == 302 and "/sign-in/" in anonymous["Location"]
    assert download(staff, job)[0] == 200


def test_government_viewers_ask_for_documents_too(record):
    viewer = _reader("gov", GOVERNMENT_VIEWER)
    job = ask(viewer, language="es")
    work()
    code, content = download(viewer, job)
    assert code == 200 and "US$434,845,678.90" in extract.html_text(content)
    page = viewer.get(f"/es/reports/jobs/{job.pk}/").content.decode()
    assert "Listo para descargar" in page and "Descargar progress-" in page
    assert "El archivo se conserva 24 horas" in page


def test_a_run_repeated_leaves_one_file_and_one_edition(staff, record):
    job = ask(staff)
    # A task delivered twice: both copies run.
    jobs.run_report_job.enqueue(str(job.pk))
    assert work() == 2
    job.refresh_from_db()
    first = (job.checksum, job.stored, job.finished_at)
    assert job.state == ReportState.DONE and files() == [f"{job.pk}.html"]

    # A worker killed after storing the file, before recording it: the job still says it
    # works, with a file already there. Its next run overwrites that file.
    ReportJob.objects.filter(pk=job.pk).update(state=ReportState.WORKING, checksum="")
    later = timezone.now() + stalled_after() + datetime.timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        # As `adelante worker` does when it starts (exchange.housekeeping).
        lines = housekeeping.run(housekeeping.worker_starting)
        assert "queued again: 1 report job(s) whose worker was lost" in lines
        assert work() == 1
    job.refresh_from_db()
    assert job.state == ReportState.DONE
    assert (job.checksum, job.stored) == first[:2]  # the same edition, the same name
    assert files() == [f"{job.pk}.html"]  # one file: overwritten, not saved again
    assert ReportJob.objects.count() == 1
    code, content = download(staff, job)
    assert code == 200 and job.checksum in extract.html_text(content)


def test_a_job_the_record_no_longer_allows_fails_with_its_reason(staff, record):
    user = get_user_model().objects.get(username="staffer")
    job = jobs.start(
        user=user,
        kind="partner",
        subject="no-such-partner",
        as_of=None,
        recorded_on=None,
        language="en",
        fmt="pdf",
    )
    work()
    job.refresh_from_db()
    assert job.state == ReportState.FAILED and files() == []
    assert "No partner is called" in job.error
    assert "No partner is called" in staff.get(f"/en/reports/jobs/{job.pk}/").content.decode()


def test_cleanup_deletes_documents_after_a_day(staff, record):
    t0 = timezone.now()
    old = ask(staff)
    work()
    out = io.StringIO()
    with time_machine.travel(t0 + datetime.timedelta(hours=23), tick=False):
        call_command("cleanup", stdout=out)
        young = ask(staff)
        work()
    assert "deleted 0 generated report(s)" in out.getvalue()
    assert len(files()) == 2

    out = io.StringIO()
    with time_machine.travel(t0 + datetime.timedelta(hours=25), tick=False):
        call_command("cleanup", stdout=out)
    assert "deleted 1 generated report(s) older than 24 hours" in out.getvalue()
    assert files() == [f"{young.pk}.html"]
    old.refresh_from_db()
    assert old.state == ReportState.EXPIRED and old.stored == ""
    assert download(staff, old)[0] == 404
    assert "Deleted after a day" in staff.get(f"/en/reports/jobs/{old.pk}/").content.decode()
    assert download(staff, young)[0] == 200


def test_without_a_worker_the_job_runs_in_its_request(staff, record, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = ask(staff)
    assert job.state == ReportState.DONE and job.task_id
    assert download(staff, job)[0] == 200

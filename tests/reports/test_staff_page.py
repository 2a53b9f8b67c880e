"""The reports page: anonymous visitors go to the sign-in page; the secretariat and government
viewers (docs/accounts.md) ask for a document, a background worker generates it (run here in
the test's process, tests/exchange/workers.py) and they download it; anyone else is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_REVIEWER
from tests.exchange.workers import work
from tests.reports import extract

pytestmark = pytest.mark.django_db


def _release(response) -> None:  # type: ignore[no-untyped-def]
    """Close a download's file (not the response: that would close the test's connection)."""
    for closer in getattr(response, "_resource_closers", []):
        closer()


def member_of(group: str, name: str = "staff"):
    user = get_user_model().objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def generated(client, language: str, data: dict[str, str]):
    """Send the form, run the queued job, and download the document from the job's page."""
    response = client.post(f"/{language}/reports/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job_page = response["Location"]
    assert work() == 1
    assert "/download/" in client.get(job_page).content.decode()
    download = client.get(f"{job_page}download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    _release(download)
    return download, content


@pytest.fixture
def staff(client):
    client.force_login(member_of(SECRETARIAT_REVIEWER))
    return client


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get("/en/reports/")
    assert response.status_code == 302
    # The sign-in page (the admin's, or the accounts app's where it takes over), then back.
    assert response["Location"].endswith("?next=/en/reports/")
    assert client.post("/es/reports/", {"kind": "progress"}).status_code == 302


def test_users_without_the_role_are_refused(client):
    client.force_login(get_user_model().objects.create_user("partner", password="x"))
    assert client.get("/en/reports/").status_code == 403


def test_government_viewers_may_download_too(client, record):
    client.force_login(member_of(GOVERNMENT_VIEWER, "gov"))
    _response, content = generated(
        client,
        "es",
        {"kind": "progress", "as_of": "2023-09-30", "language": "es", "format": "html"},
    )
    assert "US$434,845,678.90" in extract.html_text(content)


def test_the_form_in_both_languages(staff, record):
    assert "Generate a report" in staff.get("/en/reports/").content.decode()
    page = staff.get("/es/reports/").content.decode()
    assert 'lang="es"' in page
    assert "Alpha Cafés" in page  # the partners to choose from


@pytest.mark.parametrize(
    "fmt,content_type",
    [
        ("pdf", "application/pdf"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("html", "text/html; charset=utf-8"),
    ],
)
def test_staff_download_a_progress_report(staff, record, fmt, content_type):
    response, content = generated(
        staff, "en", {"kind": "progress", "as_of": "2023-09-30", "language": "es", "format": fmt}
    )
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="progress-2023-09-30-es.{fmt}"'
    )
    text = extract.text_of(content, fmt)
    assert "US$434,845,678.90" in text
    assert response["X-Adelante-Checksum"].removeprefix("sha256:") in text


def test_staff_download_a_scorecard_as_recorded_on_a_day(staff, record):
    _response, content = generated(
        staff,
        "en",
        {
            "kind": "partner",
            "partner": record["alpha"].partner_id,
            "as_of": "2023-09-30",
            "recorded_on": "2023-09-01",
            "language": "en",
            "format": "pdf",
        },
    )
    assert "Partner scorecard: Alpha Cafés" in extract.pdf_text(content)


@pytest.mark.parametrize(
    "data,message",
    [
        ({"kind": "round"}, "Choose the round."),
        ({"kind": "partner"}, "Choose the partner."),
        ({"kind": "progress", "as_of": "2999-01-01"}, "is in the future"),
        ({"kind": "progress", "as_of": "2020-01-01"}, "before the first round"),
        ({"kind": "progress", "as_of": "not a date"}, "Enter a valid date."),
        ({"kind": "report-of-everything"}, "Select a valid choice."),
        ({"kind": "progress", "format": "xls"}, "Select a valid choice."),
    ],
)
def test_form_errors_are_shown_again_never_a_500(staff, record, data, message):
    response = staff.post("/en/reports/", {"language": "en", "format": "pdf", **data})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response["Content-Type"].startswith("text/html")

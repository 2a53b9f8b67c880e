"""The reports page: anonymous visitors go to the sign-in page; the secretariat and government
viewers (docs/accounts.md) download the document; anyone else is refused."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from adelante.accounts.groups import GOVERNMENT_VIEWER, SECRETARIAT_REVIEWER
from tests.reports import extract

pytestmark = pytest.mark.django_db


def member_of(group: str, name: str = "staff"):
    user = get_user_model().objects.create_user(name, password="x")
    user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


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
    response = client.post(
        "/es/reports/",
        {"kind": "progress", "as_of": "2023-09-30", "language": "es", "format": "html"},
    )
    assert response.status_code == 200
    assert "434.845.678,90" in extract.html_text(response.content)


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
    response = staff.post(
        "/en/reports/",
        {"kind": "progress", "as_of": "2023-09-30", "language": "es", "format": fmt},
    )
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="progress-2023-09-30-es.{fmt}"'
    )
    text = extract.text_of(response.content, fmt)
    assert "434.845.678,90" in text
    assert response["X-Adelante-Checksum"].removeprefix("sha256:") in text


def test_staff_download_a_scorecard_as_recorded_on_a_day(staff, record):
    response = staff.post(
        "/en/reports/",
        {
            "kind": "partner",
            "partner": record["alpha"].partner_id,
            "as_of": "2023-09-30",
            "recorded_on": "2023-09-01",
            "language": "en",
            "format": "pdf",
        },
    )
    assert response.status_code == 200
    assert "Partner scorecard: Alpha Cafés" in extract.pdf_text(response.content)


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

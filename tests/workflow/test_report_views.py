"""The partner's report form: periods, values with breakdowns, evidence (size and type by
content), lower values confirmed, concurrent edits refused; no 500, nothing lost."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from adelante.progress.models import ProgressBreakdown, ProgressReport, ProgressValue
from adelante.workflow import reporting
from adelante.workflow.models import Evidence
from tests import builders
from tests.workflow.conftest import PDF_BYTES

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200


@pytest.fixture
def commitment(partner):
    return builders.commitment(
        partner.name, "1000000", date(2023, 2, 6), countries=("GT",), reporting=True
    )


@pytest.fixture
def report(member, commitment):
    return reporting.start_report(
        user=member,
        commitment=commitment,
        period_start=date(2023, 2, 6),
        period_end=date(2023, 6, 30),
    )


def edit_url(partner, report):
    return reverse("workflow:report_edit", kwargs={"partner": partner.slug, "pk": report.pk})


def version(client, partner, report):
    return client.get(edit_url(partner, report)).context["form"]["version"].value()


def post(client, partner, report, **data: Any):
    values = {"action": "save", "version": version(client, partner, report)}
    values.update(data)
    return client.post(edit_url(partner, report), values)


def test_choose_a_period_and_start(client, member, partner, commitment):
    client.force_login(member)
    url = reverse(
        "workflow:report_new", kwargs={"partner": partner.slug, "reference": commitment.reference}
    )
    page = client.get(url)
    assert page.status_code == 200
    assert b"2023-06-30" in page.content
    assert client.post(url, {"period": "2099-06-30"}).status_code == 400
    response = client.post(url, {"period": "2023-06-30"})
    report = ProgressReport.objects.get()
    assert response.status_code == 302
    assert (report.period_start, report.period_end) == (date(2023, 2, 6), date(2023, 6, 30))


def test_values_breakdowns_and_evidence(client, member, partner, report):
    client.force_login(member)
    response = post(
        client,
        partner,
        report,
        value_usd_invested="250000",
        value_people_trained="300",
        part_people_trained_sex_female="180",
        part_people_trained_country_GT="300",
        narrative="Two cohorts.",
        evidence=SimpleUploadedFile("receipts.pdf", PDF_BYTES),
        evidence_description="Receipts",
    )
    assert response.status_code == 302
    assert ProgressValue.objects.count() == 2
    assert ProgressBreakdown.objects.count() == 2
    evidence = Evidence.objects.get()
    assert evidence.original_name == "receipts.pdf" and evidence.kind == "pdf"
    download = client.get(
        reverse("workflow:evidence_file", kwargs={"partner": partner.slug, "pk": evidence.pk})
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert download["Content-Type"] == "application/pdf"
    assert "attachment" in download["Content-Disposition"]


def test_a_disguised_exe_is_refused_and_the_values_are_kept(client, member, partner, report):
    client.force_login(member)
    response = post(
        client,
        partner,
        report,
        value_usd_invested="100",
        evidence=SimpleUploadedFile("report.pdf", EXE, content_type="application/pdf"),
    )
    assert response.status_code == 400
    assert "evidence" in response.context["form"].errors
    assert b"whatever its name says" in response.content
    assert not Evidence.objects.exists()
    assert ProgressValue.objects.get().value == Decimal("100.00")  # nothing lost


def test_an_oversized_file_is_refused(client, member, partner, report, settings):
    settings.ADELANTE_UPLOAD_MAX_BYTES = 1024
    client.force_login(member)
    response = post(
        client,
        partner,
        report,
        value_usd_invested="100",
        evidence=SimpleUploadedFile("big.pdf", PDF_BYTES + b"0" * 2048),
    )
    assert response.status_code == 400
    assert b"too large" in response.content
    assert not Evidence.objects.exists()


@pytest.mark.parametrize(
    "data",
    [
        {"value_usd_invested": "-5"},
        {"value_usd_invested": "1e30"},
        {"value_usd_invested": "NaN"},
        {"value_usd_invested": "2,5 billones"},
        {"part_people_trained_sex_male": "11"},
    ],
)
def test_bad_values_are_refused(client, member, partner, report, data):
    client.force_login(member)
    response = post(client, partner, report, narrative="kept narrative", **data)
    assert response.status_code == 400
    assert b"kept narrative" in response.content
    assert not ProgressValue.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"value_people_trained": "2.5"}, b"Give a whole number."),
        (
            {"value_people_trained": "10", "part_people_trained_sex_male": "11"},
            b"The parts by sex add up to 11, more than the total 10 (by 1).",
        ),
    ],
)
def test_a_draft_is_saved_whatever_its_state(client, member, partner, report, data, message):
    """Validation blocks the submission only: the draft keeps what was typed."""
    client.force_login(member)
    saved = post(client, partner, report, narrative="kept narrative", **data)
    assert saved.status_code == 302
    assert ProgressValue.objects.get().value == Decimal(data["value_people_trained"])
    submitted = post(client, partner, report, narrative="kept narrative", action="submit", **data)
    assert submitted.status_code == 400
    assert message in submitted.content
    report.refresh_from_db()
    assert report.status == "draft"


def test_script_in_the_narrative_is_escaped(client, member, partner, report, reviewer):
    client.force_login(member)
    post(client, partner, report, value_usd_invested="1", narrative="<script>alert(1)</script>")
    page = client.get(edit_url(partner, report)).content
    assert b"<script>alert(1)</script>" not in page
    client.force_login(reviewer)
    review = client.get(reverse("workflow:report_review", kwargs={"pk": report.pk})).content
    assert b"<script>alert(1)</script>" not in review
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in review


def test_a_lower_value_is_confirmed_with_a_reason(client, member, partner, commitment, reviewer):
    builders.report(commitment, date(2023, 6, 30), {"people_trained": "300"})
    later = reporting.start_report(
        user=member,
        commitment=commitment,
        period_start=date(2023, 7, 1),
        period_end=date(2023, 12, 31),
    )
    client.force_login(member)
    response = post(client, partner, later, value_people_trained="280", action="submit")
    assert response.status_code == 400
    assert b"Lower than the last verified value" in response.content
    later.refresh_from_db()
    assert later.status == "draft"
    assert ProgressValue.objects.get(report=later).value == Decimal("280.00")  # saved, kept
    response = post(
        client,
        partner,
        later,
        value_people_trained="280",
        reason_people_trained="Recount: 20 were counted twice.",
        action="submit",
    )
    assert response.status_code == 302
    later.refresh_from_db()
    assert later.status == "submitted"


def test_a_concurrent_edit_is_refused(client, member, partner, report):
    client.force_login(member)
    start = version(client, partner, report)
    first = client.post(
        edit_url(partner, report),
        {"action": "save", "version": start, "value_usd_invested": "100"},
    )
    assert first.status_code == 302
    second = client.post(
        edit_url(partner, report),
        {"action": "save", "version": start, "value_usd_invested": "999", "narrative": "mine"},
    )
    assert second.status_code == 409
    assert b"Someone else saved this record" in second.content
    assert b"999" in second.content  # your input is still in the form
    assert ProgressValue.objects.get().value == Decimal("100.00")


def test_remove_evidence(client, member, partner, report):
    client.force_login(member)
    post(client, partner, report, evidence=SimpleUploadedFile("a.pdf", PDF_BYTES))
    evidence = Evidence.objects.get()
    response = client.post(
        edit_url(partner, report), {"action": "remove_evidence", "evidence": evidence.pk}
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists()
    assert (
        client.post(
            edit_url(partner, report), {"action": "remove_evidence", "evidence": "nope"}
        ).status_code
        == 404
    )


def test_no_changes_after_submission(client, member, partner, report):
    client.force_login(member)
    post(client, partner, report, value_usd_invested="100", action="submit")
    response = post(client, partner, report, value_usd_invested="5")
    assert response.status_code == 400
    assert ProgressValue.objects.get().value == Decimal("100.00")


def test_another_organisation_gets_nothing(client, outsider, partner, report, other_partner):
    client.force_login(outsider)
    # Not a member: the organisation's workspace is not there (issue 10: was 403).
    assert client.get(edit_url(partner, report)).status_code == 404
    theirs = reverse(
        "workflow:report_edit", kwargs={"partner": other_partner.slug, "pk": report.pk}
    )
    assert client.get(theirs).status_code == 404

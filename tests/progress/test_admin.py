"""The progress-report admin shows reports and their values; it changes nothing. Returning,
verifying and correcting happen in the workflow, the one path that checks who may, wants a
reason and records the review event (tests/workflow)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow.models import ReviewEvent
from tests.adminforms import sample_record

pytestmark = pytest.mark.django_db


def test_a_report_is_shown_with_its_values_and_a_way_to_review_it(admin_client: Client) -> None:
    report = sample_record()["report"]
    page = admin_client.get(reverse("admin:progress_progressreport_change", args=[report.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "250" in text
    assert reverse("workflow:report_review", kwargs={"pk": report.pk}) in text
    assert 'name="status"' not in text  # nothing to type into


def test_returning_through_the_admin_is_refused(admin_client: Client) -> None:
    report = sample_record()["report"]
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    response = admin_client.post(
        url, {"status": "returned", "return_reason": "No evidence", "change_reason": "Reviewed"}
    )
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert not ReviewEvent.objects.exists()


def test_values_are_not_edited_in_the_admin(admin_client: Client) -> None:
    report = sample_record()["report"]
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    admin_client.post(url, {"values-0-value": "300", "change_reason": "Update"})
    assert report.values.get().value == Decimal(250)


def test_no_report_is_added_or_deleted_in_the_admin(admin_client: Client) -> None:
    report = sample_record()["report"]
    assert admin_client.get(reverse("admin:progress_progressreport_add")).status_code == 403
    delete = reverse("admin:progress_progressreport_delete", args=[report.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert ProgressReport.objects.filter(pk=report.pk).exists()

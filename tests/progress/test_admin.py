"""The progress-report admin: values inline, a returned report says why."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from adelante.progress.models import ProgressReport
from tests.adminforms import posted, sample_record

pytestmark = pytest.mark.django_db


def test_returning_a_report_needs_a_reason(admin_client: Client) -> None:
    report = sample_record()["report"]
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    response = admin_client.post(url, posted(admin_client.get(url), status="returned"))
    assert response.status_code == 200
    assert "Say why the report is returned to the partner." in response.content.decode()
    response = admin_client.post(
        url,
        posted(
            admin_client.get(url),
            status="returned",
            return_reason="No evidence attached",
            change_reason="Reviewed",
        ),
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "returned"
    assert report.history.latest().history_change_reason == "Reviewed"  # type: ignore[attr-defined]


def test_values_are_edited_inline(admin_client: Client) -> None:
    report = sample_record()["report"]
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    data = posted(admin_client.get(url), **{"values-0-value": "300", "change_reason": "Update"})
    assert admin_client.post(url, data).status_code == 302
    value = report.values.get()
    assert value.value == Decimal(300)
    assert value.history.latest().history_change_reason == "Update"  # type: ignore[attr-defined]


def test_period_in_order(admin_client: Client) -> None:
    report = sample_record()["report"]
    url = reverse("admin:progress_progressreport_change", args=[report.pk])
    response = admin_client.post(
        url, posted(admin_client.get(url), period_start="2023-01-01", period_end="2022-12-31")
    )
    assert response.status_code == 200
    assert ProgressReport.objects.get().period_start.year == 2022

"""Writes that change nothing public (join requests, intake proposals, comments, due
diligence, memberships) leave the record's stamp alone, so cached public pages stay cached;
writes to what the public sees still change it at once."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from adelante.accounts.models import JoinRequest, JoinStatus
from adelante.partners.models import Membership
from adelante.portal.caching import record_stamp
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow.models import Comment, Proposal, ReportingSchedule, Stage

pytestmark = pytest.mark.django_db

STAFF_ONLY = {
    "workflow.Proposal",
    "workflow.DueDiligenceQuestion",
    "workflow.DueDiligenceAnswer",
    "workflow.SanctionsList",
    "workflow.ScreeningHit",
    "accounts.TwoFactorDevice",
    "accounts.Invitation",
    "accounts.JoinRequest",
    "accounts.Preferences",
    "partners.Membership",
}


def _served_from_the_cache(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # a cached page costs the stamp's one query, and nothing is rendered
    return len(queries.captured_queries) == 1, response.content


def test_only_the_named_staff_models_leave_the_stamp():
    named = {
        model._meta.label
        for model in apps.get_models()
        if getattr(model, "staff_only_history", False) is True
    }
    assert named == STAFF_ONLY
    # every other model with a history is in the stamp, new ones included by default
    sql = connection.ops.quote_name
    from adelante.recordstate import _stamp_sql

    text = _stamp_sql()
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            label = model.instance_type._meta.label if hasattr(model, "instance_type") else ""
            assert (sql(model._meta.db_table) in text) is (label not in STAFF_ONLY), label


def test_staff_only_writes_leave_cached_pages_cached(client, record):
    overview = client.get("/en/").content
    page = f"/en/commitments/{record.alpha.reference}/"
    commitment_page = client.get(page).content
    before = record_stamp()
    staff = get_user_model().objects.create_user(username="member", password="x" * 20)
    JoinRequest.objects.create(
        organisation_name="Nueva SA",
        organisation_type="company",
        country="GT",
        contact_name="Ana",
        contact_email="ana@nueva.example",
        intends="jobs",
        status=JoinStatus.NEW,
    )
    proposal = Proposal.objects.create(commitment=record.proposal, stage=Stage.DRAFT)
    proposal.stage = Stage.SUBMITTED
    proposal.save()
    Comment.objects.create(commitment=record.proposal, author=staff, text="Please add a source.")
    Membership.objects.create(user=staff, partner=record.alpha.partner)
    assert record_stamp() == before
    assert _served_from_the_cache(client, "/en/") == (True, overview)
    assert _served_from_the_cache(client, page) == (True, commitment_page)


def test_public_writes_still_change_the_stamp_and_the_page(client, record):
    client.get("/en/")
    before = record_stamp()
    ReportingSchedule.objects.create(commitment=record.alpha)  # silence reads schedules
    after_schedule = record_stamp()
    assert after_schedule != before
    assert _served_from_the_cache(client, "/en/")[0] is False  # computed afresh
    report = ProgressReport.objects.get(commitment=record.beta, status=ReportStatus.SUBMITTED)
    report.status = ReportStatus.VERIFIED
    report.save()
    assert record_stamp() != after_schedule
    fresh, page = _served_from_the_cache(client, "/en/")
    assert fresh is False
    # and the page is then kept again under the new stamp
    assert _served_from_the_cache(client, "/en/") == (True, page)
    # a commitment under review keeps changing the stamp too (it is a commitment row)
    kept = record_stamp()
    record.proposal.title = "Retitled while under review"
    record.proposal.save()
    assert record_stamp() != kept

"""The secretariat's pages: the queue (oldest first, filters), reviewing a proposal through
the web (start, checklist, document, screening, hit decisions, accept, return, decline),
reviewing a report (verify, return, correct); roles enforced; no 500."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from adelante.commitments.choices import Status
from adelante.figures.reached import invested
from adelante.progress.models import ProgressValue, ReportStatus
from adelante.workflow import intake, reporting
from adelante.workflow.models import Decision, Proposal, ScreeningHit, Stage
from tests import builders
from tests.workflow.conftest import PDF_BYTES, good_input

pytestmark = pytest.mark.django_db


def review_url(proposal):
    return reverse("workflow:proposal_review", kwargs={"pk": proposal.pk})


def test_queue_oldest_first_with_filters(client, reviewer, member, partner, other_partner):
    older = intake.create_proposal(user=member, partner=partner, data=good_input(title="Older"))
    intake.submit(user=member, proposal=older)
    Proposal.objects.filter(pk=older.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    newer = intake.create_proposal(user=member, partner=partner, data=good_input(title="Newer"))
    intake.submit(user=member, proposal=newer)
    c = builders.commitment(other_partner.name, "10", date(2023, 2, 6), reporting=True)
    builders.report(c, date(2023, 6, 30), {"usd_invested": "1"}, status=ReportStatus.SUBMITTED)
    client.force_login(reviewer)
    page = client.get(reverse("workflow:queue"))
    assert page.status_code == 200
    items = page.context["items"]
    assert [i.kind for i in items] == ["proposal", "proposal", "report"]
    assert items[0].commitment.title == "Older"
    only = client.get(reverse("workflow:queue"), {"kind": "report"}).context["items"]
    assert [i.kind for i in only] == ["report"]
    by_name = client.get(reverse("workflow:queue"), {"partner": "otra"}).context["items"]
    assert [i.commitment.partner for i in by_name] == [other_partner]
    bad = client.get(reverse("workflow:queue"), {"since": "not a date", "kind": "<script>"})
    assert bad.status_code == 400


def test_the_whole_review_through_the_web(client, reviewer, submitted, sdn_list, the_round):
    client.force_login(reviewer)
    url = review_url(submitted)
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "pick_up"}).status_code == 302
    submitted.refresh_from_db()
    assert submitted.stage == Stage.UNDER_REVIEW
    # The checklist: a "no" without a note is refused, with the answer kept.
    questions = intake.active_questions()
    data = {f"q{q.id}_answer": "yes" for q in questions}
    data[f"q{questions[0].id}_answer"] = "no"
    response = client.post(reverse("workflow:proposal_checklist", args=[submitted.pk]), data)
    assert response.status_code == 400
    data[f"q{questions[0].id}_answer"] = "yes"
    data.update({f"q{q.id}_note": "Policy seen." for q in questions})
    response = client.post(reverse("workflow:proposal_checklist", args=[submitted.pk]), data)
    assert response.status_code == 302
    # Documents: a disguised executable is refused; PDFs are kept.
    doc_url = reverse("workflow:proposal_document", args=[submitted.pk])
    exe = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00" + b"\x00" * 64)
    assert client.post(doc_url, {"file": exe}).status_code == 400
    for q in questions:
        if q.requires_document:
            pdf = SimpleUploadedFile("policy.pdf", PDF_BYTES)
            assert client.post(doc_url, {"file": pdf, "question": q.pk}).status_code == 302
    # Screening: two hits (the name and the alias), decided one by one.
    assert client.post(reverse("workflow:proposal_screen", args=[submitted.pk])).status_code == 302
    hits = list(ScreeningHit.objects.all())
    assert len(hits) == 2
    page = client.get(url)
    assert b"CAFE EJEMPLO TRADING" in page.content and b"EJEMPLO COFFEE GROUP" in page.content
    hit_url = reverse("workflow:hit_decide", args=[hits[0].pk])
    refused = client.post(hit_url, {f"hit{hits[0].pk}-decision": "false_positive"})
    assert refused.status_code == 400
    for hit in hits:
        response = client.post(
            reverse("workflow:hit_decide", args=[hit.pk]),
            {
                f"hit{hit.pk}-decision": "false_positive",
                f"hit{hit.pk}-reason": "Different organisation, different country.",
            },
        )
        assert response.status_code == 302
    assert set(ScreeningHit.objects.values_list("decision", flat=True)) == {Decision.FALSE_POSITIVE}
    # Accept into the round.
    assert client.post(url, {"action": "accept", "accept-round": "nope"}).status_code == 400
    response = client.post(
        url, {"action": "accept", "accept-round": the_round.pk, "accept-confirm_past": "on"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.stage == Stage.ACCEPTED
    assert submitted.commitment.status == Status.ANNOUNCED
    portal = client.get(
        reverse("portal:commitment", kwargs={"reference": submitted.commitment.reference})
    )
    assert portal.status_code == 200


def test_return_and_decline_need_a_reason(client, reviewer, under_review):
    client.force_login(reviewer)
    url = review_url(under_review)
    assert client.post(url, {"action": "return", "return-reason": ""}).status_code == 400
    assert client.post(url, {"action": "wat"}).status_code == 400
    response = client.post(url, {"action": "return", "return-reason": "Add the shares."})
    assert response.status_code == 302
    under_review.refresh_from_db()
    assert under_review.stage == Stage.RETURNED
    # Already returned: a second decision is refused, not a 500.
    response = client.post(url, {"action": "decline", "decline-reason": "Too late."})
    assert response.status_code == 409
    under_review.refresh_from_db()
    assert under_review.stage == Stage.RETURNED


def test_screening_without_a_list_says_so(client, reviewer, under_review):
    client.force_login(reviewer)
    response = client.post(reverse("workflow:proposal_screen", args=[under_review.pk]))
    assert response.status_code == 409
    assert b"No sanctions list" in response.content


def test_report_verify_return_and_correct(client, reviewer, member, partner):
    c = builders.commitment(partner.name, "100", date(2023, 2, 6), reporting=True)
    report = reporting.start_report(
        user=member, commitment=c, period_start=date(2023, 2, 6), period_end=date(2023, 6, 30)
    )
    reporting.save_report(
        user=member,
        report=report,
        narrative="",
        values=[reporting.ValueInput("usd_invested", Decimal(70))],
    )
    reporting.submit_report(user=member, report=report)
    client.force_login(reviewer)
    url = reverse("workflow:report_review", args=[report.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "return", "return-reason": " "}).status_code == 400
    assert client.post(url, {"action": "return", "return-reason": "Invoice?"}).status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert (
        client.post(url, {"action": "verify", "verify-level": "secretariat_reviewed"}).status_code
        == 409
    )
    reporting.submit_report(user=member, report=report)
    response = client.post(url, {"action": "verify", "verify-level": "secretariat_reviewed"})
    assert response.status_code == 302
    assert invested(date(2024, 1, 1)).value == Decimal("70.00")
    correct = reverse("workflow:report_correct", args=[report.pk])
    assert client.get(correct).status_code == 200
    missing = client.post(correct, {"metric": "usd_invested", "value": "65", "reason": ""})
    assert missing.status_code == 400
    absurd = client.post(correct, {"metric": "usd_invested", "value": "-65", "reason": "x"})
    assert absurd.status_code == 400
    response = client.post(
        correct, {"metric": "usd_invested", "value": "65", "reason": "Audited figure."}
    )
    assert response.status_code == 302
    value = ProgressValue.objects.get()
    assert value.value == Decimal("65.00")
    assert [v.value for v in value.history.order_by("history_date")] == [
        Decimal("70.00"),
        Decimal("65.00"),
    ]
    assert b"Audited figure." in client.get(url).content


@pytest.mark.parametrize(
    "name",
    ["queue", "late"],
)
def test_secretariat_pages_refuse_partners_and_the_public(client, member, name):
    url = reverse(f"workflow:{name}")
    assert client.get(url).status_code == 302  # to sign in
    client.force_login(member)
    assert client.get(url).status_code == 403


def test_review_pages_refuse_partners(client, member, submitted):
    client.force_login(member)
    assert client.get(review_url(submitted)).status_code == 403
    assert client.post(review_url(submitted), {"action": "pick_up"}).status_code == 403
    submitted.refresh_from_db()
    assert submitted.stage == Stage.SUBMITTED


def test_post_only_endpoints_answer_405_to_get(client, reviewer, submitted):
    client.force_login(reviewer)
    assert client.get(reverse("workflow:proposal_screen", args=[submitted.pk])).status_code == 405


def test_late_page_and_workspace(client, reviewer, member, partner):
    builders.commitment(partner.name, "100", date(2023, 2, 6), reporting=True)
    client.force_login(reviewer)
    page = client.get(reverse("workflow:late"))
    assert page.status_code == 200 and len(page.context["rows"]) == 1
    client.force_login(member)
    home = client.get(reverse("workflow:partner_home"))
    assert home.status_code == 302
    workspace = client.get(home["Location"])
    assert workspace.status_code == 200
    assert b'data-state="overdue"' in workspace.content
    assert b'data-status-light="no_report_two_cycles"' in workspace.content

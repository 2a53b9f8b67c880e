"""Internal stays internal (issue 15): the secretariat's screening decisions, due-diligence
notes and documents, internal comments and its own notes on decisions never reach a partner,
on any partner page or through the API; the partner reads the outcome and what is written for
it. One marker text is written into every internal field, then every partner view is read."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from adelante.api.tokens import create_token
from adelante.errors import Conflict, NotAllowed
from adelante.workflow import comments, disclosure, intake, reporting, sanctions
from adelante.workflow.models import DueDiligenceDocument, Stage
from tests import builders
from tests.accounts.test_permission_matrix import project_patterns
from tests.workflow.conftest import good_input, pdf_upload

pytestmark = pytest.mark.django_db

MARK = "INTERNAL-MARK-7Q"
SHARED = "Please send the board resolution."


@pytest.fixture
def world(member, reviewer, under_review, sdn_list, the_round, partner) -> dict[str, Any]:
    """An accepted proposal and a verified report, every internal field carrying MARK; a
    proposal still under review with an internal comment; a draft report with evidence."""
    proposal = under_review
    for question in intake.active_questions():
        intake.answer_question(
            reviewer=reviewer,
            proposal=proposal,
            question=question,
            answer="yes",
            attestation=f"{MARK}: checked the registry by phone",
        )
        if question.requires_document:
            intake.add_document(
                reviewer=reviewer,
                proposal=proposal,
                upload=pdf_upload(f"{MARK}-registry.pdf"),
                question=question,
            )
    run = sanctions.screen(reviewer=reviewer, proposal=proposal)
    for hit in run.hits.all():
        sanctions.decide(
            reviewer=reviewer,
            hit=hit,
            decision="false_positive",
            reason=f"{MARK}: the listed party is a namesake in another country",
        )
    partner_document = intake.add_partner_document(
        user=member, proposal=proposal, upload=pdf_upload("our-anti-corruption-policy.pdf")
    )
    comments.post(user=reviewer, commitment=proposal.commitment, text=MARK, internal=True)
    comments.post(user=reviewer, commitment=proposal.commitment, text=SHARED, internal=False)
    intake.accept(
        reviewer=reviewer, proposal=proposal, into=the_round, reason=MARK, past_confirmed=True
    )
    commitment = proposal.commitment
    report = builders.report(commitment, date(2023, 12, 31), {}, status="submitted")
    comments.post(
        user=reviewer, commitment=commitment, report=report, text=f"{MARK} report", internal=True
    )
    reporting.verify_report(reviewer=reviewer, report=report, note=f"{MARK} verified")
    draft = builders.report(commitment, date(2024, 6, 30), {}, status="draft")
    evidence = reporting.add_evidence(user=member, report=draft, upload=pdf_upload())
    # Another proposal, in review, with an internal comment.
    second = intake.create_proposal(user=member, partner=partner, data=good_input(title="Second"))
    intake.submit(user=member, proposal=second)
    intake.pick_up(reviewer=reviewer, proposal=second)
    comments.post(user=reviewer, commitment=second.commitment, text=f"{MARK} second", internal=True)
    return {
        "partner": partner.slug,
        "proposal": proposal,
        "second": second,
        "commitment": commitment,
        "report": report,
        "draft": draft,
        "evidence": evidence,
        "partner_document": partner_document,
        "reviewer_document": DueDiligenceDocument.objects.filter(from_partner=False).first(),
    }


def partner_urls(world: dict[str, Any]) -> dict[str, str]:
    """Every partner page (by its URL pattern) with a URL to read, on the world's objects."""
    p = world["partner"]
    ref = world["commitment"].reference
    return {
        "<lang>/partner/": "/en/partner/",
        "<lang>/partner/<slug:partner>/": f"/en/partner/{p}/",
        "<lang>/partner/<slug:partner>/proposals/new/": f"/en/partner/{p}/proposals/new/",
        "<lang>/partner/<slug:partner>/proposals/<int:pk>/": f"/en/partner/{p}/proposals/"
        f"{world['proposal'].pk}/",
        "<lang>/partner/<slug:partner>/commitments/<slug:reference>/report/": f"/en/partner/{p}"
        f"/commitments/{ref}/report/",
        "<lang>/partner/<slug:partner>/reports/<int:pk>/": f"/en/partner/{p}/reports/"
        f"{world['report'].pk}/",
        "<lang>/partner/<slug:partner>/evidence/<int:pk>/": f"/en/partner/{p}/evidence/"
        f"{world['evidence'].pk}/",
        "<lang>/partner/<slug:partner>/commitments/<slug:reference>/comments/": f"/en/partner/"
        f"{p}/commitments/{ref}/comments/",
        "<lang>/partner/<slug:partner>/proposals/<int:pk>/documents/": f"/en/partner/{p}/"
        f"proposals/{world['proposal'].pk}/documents/",
        "<lang>/partner/<slug:partner>/documents/<int:pk>/": f"/en/partner/{p}/documents/"
        f"{world['partner_document'].pk}/",
        "<lang>/partner/<slug:partner>/commitments/<slug:reference>/catch-up/": f"/en/partner/"
        f"{p}/commitments/{ref}/catch-up/",
        "<lang>/partner/<slug:partner>/reports/sheet/": f"/en/partner/{p}/reports/sheet/",
        # Autosave answers POST only; read anyway, so that a GET never shows a note either.
        "<lang>/partner/<slug:partner>/reports/<int:pk>/autosave/": f"/en/partner/{p}/reports/"
        f"{world['draft'].pk}/autosave/",
        "<lang>/partner/<slug:partner>/proposals/<int:pk>/autosave/": f"/en/partner/{p}/"
        f"proposals/{world['second'].pk}/autosave/",
    }


def _read(client: Client, url: str, **extra: Any) -> str:
    response = client.get(url, follow=True, **extra)
    assert response.status_code < 500, url
    if response.streaming:
        return b"".join(response.streaming_content).decode("latin-1")  # type: ignore[arg-type]
    return response.content.decode()


def test_every_partner_page_is_read(world) -> None:
    """A new partner page must be added here: the marker is looked for on each."""
    partner_patterns = {p for p in project_patterns() if p.startswith("<lang>/partner/")}
    assert partner_patterns == set(partner_urls(world))


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_partner_never_reads_an_internal_note(world, member, client, language) -> None:
    client.force_login(member)
    pages = dict(partner_urls(world))
    # The second proposal (in review), the draft report, the account pages, the public page.
    p = world["partner"]
    pages["second"] = f"/en/partner/{p}/proposals/{world['second'].pk}/"
    pages["draft"] = f"/en/partner/{p}/reports/{world['draft'].pk}/"
    pages["account"] = "/en/accounts/"
    pages["work"] = "/en/accounts/work/"
    pages["public"] = f"/en/commitments/{world['commitment'].reference}/"
    for name, url in pages.items():
        text = _read(client, url.replace("/en/", f"/{language}/", 1))
        assert MARK not in text, name
    # What is written for the partner is there: the outcome and the shared comment.
    proposal_page = _read(client, pages["<lang>/partner/<slug:partner>/proposals/<int:pk>/"])
    assert SHARED in proposal_page and "accepted into a round" in proposal_page
    assert "our-anti-corruption-policy.pdf" in proposal_page
    report_page = _read(client, pages["<lang>/partner/<slug:partner>/reports/<int:pk>/"])
    assert "progress report verified" in report_page


def test_the_api_never_gives_an_internal_note(world, member, client) -> None:
    token = create_token(member).key
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    ref = world["commitment"].reference
    for url in (
        "/api/v1/me",
        f"/api/v1/progress-reports/{world['report'].pk}",
        f"/api/v1/progress-reports/{world['draft'].pk}",
        f"/api/v1/commitments/{ref}",
        "/api/v1/progress",
        "/api/v1/commitments",
    ):
        assert MARK not in _read(client, url, **auth), url


def test_the_secretariat_reads_everything(world, reviewer, client) -> None:
    """The marker is really there (the test above could not pass by accident)."""
    client.force_login(reviewer)
    page = _read(client, reverse("workflow:proposal_review", args=[world["proposal"].pk]))
    assert page.count(MARK) >= 4 and "internal comment" in page
    report = _read(client, reverse("workflow:report_review", args=[world["report"].pk]))
    assert f"{MARK} report" in report and f"{MARK} verified" in report


def test_the_rule_is_in_the_one_selector(world) -> None:
    commitment = world["commitment"]
    partner_side = disclosure.partner_log(commitment)
    assert all(MARK not in (e.reason + str(e.details)) for e in partner_side)
    labels = {e.label for e in partner_side}
    assert "sanctions screening run" not in labels and "screening hit decided" not in labels
    assert "due-diligence answer recorded" not in labels
    assert any(MARK in e.reason for e in disclosure.reviewer_log(commitment))


def test_partner_documents_are_the_partners_own(world, member, client) -> None:
    client.force_login(member)
    p = world["partner"]
    # The secretariat's document is not served on the partner's side.
    own = client.get(f"/en/partner/{p}/documents/{world['partner_document'].pk}/")
    assert own.status_code == 200 and own["Content-Disposition"].startswith("attachment")
    b"".join(own.streaming_content)
    theirs = client.get(f"/en/partner/{p}/documents/{world['reviewer_document'].pk}/")
    assert theirs.status_code == 404
    # Decided: no more documents.
    with pytest.raises(Conflict):
        intake.add_partner_document(user=member, proposal=world["proposal"], upload=pdf_upload())


def test_partners_attach_documents_through_the_file_checks(client, member, partner, proposal):
    client.force_login(member)
    url = reverse("workflow:partner_document_new", args=[partner.slug, proposal.pk])
    page = reverse("workflow:proposal_edit", args=[partner.slug, proposal.pk])
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("policy.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    refused = client.post(url, {"file": fake}, follow=True)
    assert refused.status_code == 200 and not DueDiligenceDocument.objects.exists()
    assert client.post(url, {}, follow=True).status_code == 200
    added = client.post(url, {"file": pdf_upload("statement.pdf")})
    assert added["Location"] == page
    document = DueDiligenceDocument.objects.get()
    assert document.from_partner and document.uploaded_by == member
    assert "statement.pdf" in client.get(page).content.decode()


def test_partners_answer_and_never_write_internal(world, member, reviewer, client) -> None:
    with pytest.raises(NotAllowed):
        comments.post(user=member, commitment=world["commitment"], text="x", internal=True)
    client.force_login(member)
    p, ref = world["partner"], world["commitment"].reference
    # "internal" from a partner's form is ignored: the comment is shared.
    client.post(
        f"/en/partner/{p}/commitments/{ref}/comments/",
        {"text": "We will send it this week.", "internal": "1"},
    )
    proposal_page = _read(client, f"/en/partner/{p}/proposals/{world['proposal'].pk}/")
    assert "We will send it this week." in proposal_page
    client.force_login(reviewer)
    review = _read(client, reverse("workflow:proposal_review", args=[world["proposal"].pk]))
    assert "We will send it this week." in review
    # An empty comment: a message, nothing written.
    before = world["commitment"].comments.count()
    client.post(f"/en/secretariat/commitments/{ref}/comments/", {"text": "  "})
    assert world["commitment"].comments.count() == before
    # A comment on another commitment's report is refused (404), nothing written.
    other = builders.commitment("Someone Else", "1", date(2023, 2, 6))
    wrong = builders.report(other, date(2023, 12, 31), {}, status="submitted")
    response = client.post(
        f"/en/secretariat/commitments/{ref}/comments/", {"text": "x", "report": wrong.pk}
    )
    assert response.status_code == 404 and world["commitment"].comments.count() == before


def test_a_shared_comment_is_mailed_to_the_partner_an_internal_one_never(
    under_review, reviewer, member, client, django_capture_on_commit_callbacks
):
    commitment = under_review.commitment
    client.force_login(reviewer)
    url = f"/en/secretariat/commitments/{commitment.reference}/comments/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": f"{MARK} between us", "internal": "1"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Which year is the audit from?"})
    assert response["Location"] == reverse("workflow:proposal_review", args=[under_review.pk])
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [member.email]
    assert "Which year is the audit from?" in mail.outbox[0].body
    assert MARK not in mail.outbox[0].body
    assert under_review.stage == Stage.UNDER_REVIEW

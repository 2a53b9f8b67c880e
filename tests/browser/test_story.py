"""The whole story in headless Chromium, on the demo record (issue 4):

the secretariat invites a partner's member, who signs up through the invitation, proposes a
commitment; a reviewer screens it (one sanctions hit, a false positive, recorded as such),
completes the checklist, accepts it into a round; it appears on the portal; the partner
reports progress with an evidence file; the reviewer returns it with a reason, the partner
corrects it, the reviewer verifies it; the portal's invested figure grows by exactly that
amount. Every page visited is checked for console errors, failed requests and axe-core
(WCAG 2.1 AA) violations; the key pages are checked again in Spanish.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from adelante.accounts.groups import SECRETARIAT_REVIEWER
from adelante.commitments.models import Commitment
from adelante.progress.models import ProgressReport, ReportStatus
from adelante.workflow import sanctions
from adelante.workflow.models import Decision, ScreeningHit, Stage
from tests import builders
from tests.browser.conftest import PageProblems, axe_violations, check_page, close
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "story-password-Quetzal-42"
PARTNER = "Cafetalera Ejemplo S.A."
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ROUND = "2023-02 Central America Forward launch"
#: One listed name close to the partner's: the hit the reviewer records as a false positive.
SDN = (
    '9101,"CAFETALERA EJEMPLO INTERNACIONAL",-0- ,"SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"Registered in another country."\n'
    '9102,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
)


@pytest.fixture
def world(tmp_path: Path) -> dict[str, Any]:
    load_real_record()
    reviewer = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    reviewer.groups.add(Group.objects.get_or_create(name=SECRETARIAT_REVIEWER)[0])
    partner = builders.partner(PARTNER)
    sdn = tmp_path / "sdn.csv"
    sdn.write_text(SDN)
    sanctions.import_list("US SDN", "sdn", [sdn])
    evidence = tmp_path / "invoices.pdf"
    evidence.write_bytes(PDF)
    return {"partner": partner, "evidence": evidence}


@pytest.fixture
def second(browser: Any, live_server: Any) -> Iterator[Any]:
    """A second person's browser (the reviewer), checked like the first."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    opened = context.new_page()
    problems = PageProblems(live_server.url)
    problems.attach(opened)
    opened.problems = problems
    yield opened
    close(context)
    assert problems.errors == []


def axe_ok(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], page.url


def invested(page: Any, base: str) -> Decimal:
    page.goto(f"{base}/en/")
    text = page.locator("[data-figure=invested]").inner_text()
    return Decimal(re.sub(r"[^\d.]", "", text) or "0")


def in_place(page: Any, button: Any) -> None:
    """Press a button of a review section that saves without a page load (htmx, issue 15):
    wait for the section to come back (the review page, fetched after the save)."""
    with page.expect_response(
        lambda r: re.search(r"/secretariat/proposals/\d+/$", r.url) is not None
    ):
        button.click()
    page.wait_for_timeout(300)


def posted(page: Any, button: Any) -> None:
    """Press a button that posts a form, and wait for the server's answer to the POST (the
    service has written by then): a click returns before the request is even sent, so a
    database read right after it could see the state before."""
    with page.expect_response(lambda r: r.request.method == "POST"):
        button.click()


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/en/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_the_whole_story(page: Any, second: Any, live_server: Any, world: dict[str, Any]) -> None:
    base = live_server.url
    partner = world["partner"]
    reviewer = second
    before = invested(page, base)

    # The secretariat invites the partner's member.
    sign_in(reviewer, base, "rita")
    reviewer.goto(f"{base}/en/accounts/partners/{partner.slug}/people/")
    reviewer.get_by_label("E-mail address").fill("maria@cafetalera.example")
    reviewer.get_by_role("button", name="Send the invitation").click()
    link = re.search(r"https?://\S+/accounts/invitations/\S+/", mail.outbox[-1].body)
    assert link is not None
    invitation = link.group(0).replace("http://testserver", base)

    # The member accepts, chooses a password and lands signed in.
    page.goto(invitation)
    axe_ok(page)
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_label("The same password again").fill(PASSWORD)
    page.get_by_role("button", name="Accept the invitation").click()
    page.wait_for_load_state()

    # The member proposes a commitment.
    page.goto(f"{base}/en/partner/")
    page.wait_for_url(f"{base}/en/partner/{partner.slug}/")
    axe_ok(page)
    page.get_by_role("link", name="Propose a commitment").click()
    axe_ok(page)
    page.get_by_label("Title in English:", exact=True).fill("Credit for coffee growers")
    page.get_by_label("Title in Spanish:", exact=True).fill("Crédito para caficultores")
    page.get_by_label("Summary in English:", exact=True).fill(
        "Working capital for 2,000 smallholder coffee growers."
    )
    page.get_by_label("Kind of money:", exact=True).select_option("lending")
    page.get_by_label("How the amount is stated:", exact=True).select_option("exact")
    page.get_by_label("Amount:", exact=True).fill("3000000")
    page.get_by_label("Guatemala", exact=True).check()
    page.get_by_label("Target 1: metric:", exact=True).select_option("producers_supported")
    page.get_by_label("Target 1: value:", exact=True).fill("2000")
    page.get_by_label("Source 1: web address:", exact=True).fill("https://example.org/announcement")
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_url(f"{base}/en/partner/{partner.slug}/")
    assert "Proposal submitted" in page.content()
    commitment = Commitment.objects.get(partner=partner)

    # The reviewer takes it from the queue, screens it, decides the hit, fills the checklist.
    reviewer.goto(f"{base}/en/secretariat/queue/")
    axe_ok(reviewer)
    reviewer.get_by_role("link", name="Credit for coffee growers").click()
    reviewer.get_by_role("button", name="Start the review").click()
    reviewer.get_by_role("button", name="Screen now").click()
    hit = reviewer.locator("article.hit")
    assert hit.count() == 1
    assert "CAFETALERA EJEMPLO INTERNACIONAL" in hit.inner_text()
    hit.get_by_label("false positive").check()
    hit.get_by_label("Why:", exact=True).fill("Listed firm is registered abroad; different owners.")
    in_place(reviewer, hit.get_by_role("button", name="Record the decision"))
    for question in reviewer.locator("div.question").all():
        question.get_by_label("yes, satisfied").check()
        question.get_by_label("Attestation or note:", exact=True).fill(
            "Policy and attestation seen."
        )
    in_place(reviewer, reviewer.get_by_role("button", name="Save the checklist"))
    for code in ("labour-core-standards", "anti-corruption-policy"):
        text = reviewer.locator(f"div.question[data-question={code}] legend").inner_text()
        reviewer.get_by_label("For the question:", exact=True).select_option(label=text)
        reviewer.get_by_label("Document:", exact=True).set_input_files(str(world["evidence"]))
        in_place(reviewer, reviewer.get_by_role("button", name="Add the document"))
    axe_ok(reviewer)
    reviewer.get_by_label("Round:", exact=True).select_option(label=ROUND)
    # The launch round is in the past: the reviewer confirms the back-dated announcement.
    reviewer.get_by_label("Yes, announce it in this past round").check()
    reviewer.get_by_role("button", name="Accept into the round").click()
    assert "Accepted" in reviewer.content()
    hit_row = ScreeningHit.objects.get()
    assert hit_row.decision == Decision.FALSE_POSITIVE and hit_row.decision_reason
    commitment.refresh_from_db()
    assert commitment.proposal.stage == Stage.ACCEPTED

    # It is on the portal.
    check_page(page, f"{base}/en/commitments/{commitment.reference}/", "story-commitment-en")
    assert "Credit for coffee growers" in page.content()
    assert invested(page, base) == before

    # The partner reports progress with an evidence file.
    page.goto(f"{base}/en/partner/{partner.slug}/")
    # The row's button starts the report for its period (issue 15: no second question).
    page.get_by_role("button", name=re.compile("Report progress")).first.click()
    axe_ok(page)
    page.get_by_label("US dollars invested:", exact=True).fill("250000")
    page.get_by_label("Narrative:", exact=True).fill("Loans disbursed to the first 400 growers.")
    page.get_by_label("Evidence file:", exact=True).set_input_files(str(world["evidence"]))
    page.get_by_role("button", name="Check and submit").click()
    page.wait_for_url(re.compile(r"step=review"))
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_url(f"{base}/en/partner/{partner.slug}/")
    report = ProgressReport.objects.get(commitment=commitment)
    assert report.status == ReportStatus.SUBMITTED and report.evidence.count() == 1

    # The reviewer returns it with a reason.
    reviewer.goto(f"{base}/en/secretariat/queue/?kind=report")
    reviewer.get_by_role("link", name=re.compile("Credit for coffee growers")).click()
    axe_ok(reviewer)
    reviewer.get_by_label("Reason:", exact=True).fill(
        "The invoices add up to US$240,000, not 250,000."
    )
    posted(reviewer, reviewer.get_by_role("button", name="Return to the partner"))
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    # The partner corrects it and submits again.
    page.goto(f"{base}/en/partner/{partner.slug}/")
    page.get_by_role("link", name=re.compile("Credit for coffee growers — ")).click()
    assert "The invoices add up" in page.content()
    page.get_by_label("US dollars invested:", exact=True).fill("240000")
    page.get_by_role("button", name="Check and submit").click()
    page.wait_for_url(re.compile(r"step=review"))
    page.get_by_role("button", name="Submit to the secretariat").click()
    page.wait_for_url(f"{base}/en/partner/{partner.slug}/")

    # The reviewer verifies it: the portal's invested figure grows by exactly that amount.
    reviewer.goto(f"{base}/en/secretariat/reports/{report.pk}/")
    posted(reviewer, reviewer.get_by_role("button", name="Verify"))
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED
    assert invested(page, base) - before == Decimal("240000")

    # The key pages in Spanish.
    for url, name in (
        (f"{base}/es/partner/{partner.slug}/", "story-workspace-es"),
        (f"{base}/es/partner/{partner.slug}/proposals/new/", "story-proposal-es"),
        (f"{base}/es/commitments/{commitment.reference}/", "story-commitment-es"),
    ):
        check_page(page, url, name)
        assert page.locator("html").get_attribute("lang") == "es"
    for url, name in (
        (f"{base}/es/secretariat/queue/", "story-queue-es"),
        (f"{base}/es/secretariat/proposals/{commitment.proposal.pk}/", "story-review-es"),
        (f"{base}/es/secretariat/reports/{report.pk}/", "story-report-es"),
    ):
        check_page(reviewer, url, name)

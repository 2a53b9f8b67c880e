"""Public corrections in headless Chromium, on the shipped record (issue 13):

someone without an account suggests a correction from a commitment's page, confirms it through
the link e-mailed to them, a secretariat reviewer accepts it (the record is changed, with the
correction as its reason); the commitment's page then shows the new value and the log entry,
in English and in Spanish, and the site-wide log lists it. Every page visited is checked for
console errors, failed requests and axe-core (WCAG 2.1 AA) violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail

from adelante.accounts import grants
from adelante.commitments.models import Commitment
from adelante.commitments.publication import published_commitments
from tests.browser.conftest import PageProblems, axe_violations, close
from tests.snapshots import load_real_record

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "corrections-password-Quetzal-42"
EMAIL = "lectora-5c1d@private.example"
NEW_TITLE = "Digital inclusion for 1,200 rural schools"


@pytest.fixture
def world() -> Commitment:
    load_real_record()
    reviewer = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    # As the secretariat grants the role (`adelante grant-role`), which makes the account staff.
    grants.grant(reviewer, "secretariat-reviewer")
    found = published_commitments().select_related("partner").order_by("reference").first()
    assert found is not None and found.title != NEW_TITLE
    return found


@pytest.fixture
def reviewer(browser: Any, live_server: Any) -> Iterator[Any]:
    """The reviewer's own browser, checked like the first."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    opened = context.new_page()
    problems = PageProblems(live_server.url)
    problems.attach(opened)
    yield opened
    close(context)
    assert problems.errors == []


def axe_ok(page: Any) -> None:
    page.wait_for_load_state("networkidle")
    assert axe_violations(page) == [], page.url


def test_suggest_confirm_accept_and_see_it_in_both_languages(
    page: Any, reviewer: Any, live_server: Any, world: Commitment
) -> None:
    base = live_server.url
    commitment_page = f"/commitments/{world.reference}/"

    # A reader, without an account, suggests a correction from the commitment's page.
    page.goto(f"{base}/en{commitment_page}")
    page.get_by_role("link", name="Suggest a correction").click()
    page.wait_for_url(f"**/en/corrections/suggest/commitment/{world.reference}/")
    axe_ok(page)
    page.get_by_label("What is wrong, and what should it say?").fill(
        f"The title should read “{NEW_TITLE}”, as in the partner's announcement."
    )
    page.get_by_label("Your name (optional)").fill("Lectora Atenta")
    page.get_by_label("Your e-mail address").fill(EMAIL)
    page.get_by_role("button", name="Send the suggestion").click()
    page.wait_for_url("**/en/corrections/sent/")
    axe_ok(page)

    # The link e-mailed to them confirms it.
    assert mail.outbox[-1].to == [EMAIL]
    found = re.search(r"https?://\S+/en/corrections/confirm/\S+/", mail.outbox[-1].body)
    assert found is not None
    page.goto(found.group(0).replace("http://testserver", base))
    axe_ok(page)
    page.get_by_role("button", name="Confirm the suggestion").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Suggestion confirmed"

    # A secretariat reviewer accepts it: the title is changed, with a public reason.
    reviewer.goto(f"{base}/en/accounts/sign-in/")
    reviewer.get_by_label("Username").fill("rita")
    reviewer.get_by_label("Password").fill(PASSWORD)
    reviewer.get_by_role("button", name="Sign in").click()
    reviewer.wait_for_load_state()
    reviewer.goto(f"{base}/en/secretariat/corrections/")
    axe_ok(reviewer)
    reviewer.locator("table a").first.click()
    reviewer.wait_for_url("**/en/secretariat/corrections/*/")
    axe_ok(reviewer)
    assert EMAIL in reviewer.content()  # the secretariat can write back
    reviewer.get_by_label("Field to change").select_option("title")
    reviewer.get_by_label("New value").fill(NEW_TITLE)
    reviewer.locator("#id_accept-reason").fill("The partner's announcement gives this title.")
    reviewer.get_by_role("button", name="Accept and change the record").click()
    reviewer.wait_for_load_state()
    assert "Accepted; the record is changed." in reviewer.content()

    # The page shows the new value and the log entry, in both languages; never the e-mail.
    for language, accepted in (("en", "Accepted"), ("es", "Aceptada")):
        page.goto(f"{base}/{language}{commitment_page}")
        axe_ok(page)
        # The correction changed the English title; with no Spanish one, /es/ shows it marked.
        heading = page.locator("h1").inner_text()
        assert heading == (NEW_TITLE if language == "en" else f"{NEW_TITLE} (en inglés)")
        entry = page.locator("section.corrections li[data-correction]")
        assert entry.count() == 1
        text = entry.inner_text()
        assert accepted in text
        assert "The partner's announcement gives this title." in text
        assert NEW_TITLE in entry.locator("ins").inner_text()
        assert EMAIL not in page.content() and "Lectora" not in page.content()
        page.goto(f"{base}/{language}/corrections/")
        axe_ok(page)
        assert page.locator(f'li[data-correction] a[href="/{language}{commitment_page}"]').count()
        assert EMAIL not in page.content()
    assert (
        Commitment.objects.get(pk=world.pk)
        .history.latest("history_date")
        .history_change_reason.startswith("Public correction no. ")
    )

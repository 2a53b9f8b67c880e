"""Partners and reviewers at work (issue 15), in headless Chromium at 1280 px, in both
languages: each lands on their work after signing in, in their own language; the reviewer
writes an internal note and a message to the partner and returns the proposal; the partner
(who reads Spanish) gets the e-mail in Spanish, follows its link, reads the reason and the
message but never the internal note, and answers; the reviewer reads the answer. Every page
is checked for console errors, failed requests and axe-core (WCAG 2.1 AA) violations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail

from adelante.accounts import languages
from adelante.accounts.groups import SECRETARIAT_REVIEWER
from adelante.partners.models import Membership
from adelante.workflow import intake
from adelante.workflow.models import Stage
from tests import builders
from tests.browser.conftest import PageProblems, close
from tests.browser.test_story import PASSWORD, axe_ok, sign_in
from tests.workflow.conftest import good_input

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

MARK = "INTERNAL-MARK-7Q: the director is a cousin of a listed person"
MESSAGE = "Which year is the audited statement from?"
ANSWER = "Del ejercicio 2023; lo adjuntamos hoy."
REASON = "The amount needs a public source."


@pytest.fixture
def reviewer_page(browser: Any, live_server: Any) -> Iterator[Any]:
    """The reviewer's own browser, checked like the partner's."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    opened = context.new_page()
    problems = PageProblems(live_server.url)
    problems.attach(opened)
    yield opened
    close(context)
    assert problems.errors == []


@pytest.fixture
def world() -> dict[str, Any]:
    reviewer = User.objects.create_user("rita", "rita@example.org", PASSWORD)
    reviewer.groups.add(Group.objects.get_or_create(name=SECRETARIAT_REVIEWER)[0])
    member = User.objects.create_user("maria", "maria@example.org", PASSWORD)
    partner = builders.partner("Cafetalera Ejemplo S.A.")
    Membership.objects.create(user=member, partner=partner)
    languages.set_preferred(user=member, language="es")
    proposal = intake.create_proposal(user=member, partner=partner, data=good_input())
    intake.submit(user=member, proposal=proposal)
    intake.pick_up(reviewer=reviewer, proposal=proposal)
    return {"partner": partner, "proposal": proposal}


def test_internal_stays_internal_and_people_answer(
    page: Any, reviewer_page: Any, live_server: Any, world: dict[str, Any]
) -> None:
    base = live_server.url
    partner, proposal = world["partner"], world["proposal"]
    reviewer = reviewer_page

    # The reviewer lands on the work queue, in English.
    sign_in(reviewer, base, "rita")
    assert reviewer.url == f"{base}/en/secretariat/queue/"
    assert reviewer.get_by_role("link", name="Your work").count() == 1
    assert reviewer.get_by_role("link", name="Join / make a commitment").count() == 0
    reviewer.get_by_role("link", name="Coffee growers' credit").click()
    axe_ok(reviewer)
    # An internal note (the default), then a message to the partner (unticked).
    reviewer.get_by_label("Comment", exact=True).fill(MARK)
    reviewer.get_by_role("button", name="Add the comment").click()
    reviewer.get_by_label("Comment", exact=True).fill(MESSAGE)
    reviewer.get_by_label(re.compile("Internal: only the secretariat")).uncheck()
    reviewer.get_by_role("button", name="Add the comment").click()
    assert "internal comment" in reviewer.content()
    reviewer.locator("#id_return-reason").fill(REASON)
    # The answer to the POST, not just the click: the return is written by then.
    with reviewer.expect_response(lambda r: r.request.method == "POST"):
        reviewer.get_by_role("button", name="Return to the partner").click()
    proposal.refresh_from_db()
    assert proposal.stage == Stage.RETURNED

    # María reads Spanish: the e-mails are in Spanish, their links under /es/.
    to_maria = [m for m in mail.outbox if m.to == ["maria@example.org"]]
    assert len(to_maria) == 2  # the message, then the return
    returned = to_maria[-1]
    assert "le ha sido devuelto" in returned.subject and REASON in returned.body
    assert all(MARK not in m.body for m in mail.outbox)
    link = re.search(r"http://testserver(/es/partner/\S+/)", returned.body)
    assert link is not None

    # She signs in on the English page and lands on her workspace, in Spanish.
    sign_in(page, base, "maria")
    assert page.url == f"{base}/es/partner/{partner.slug}/"
    assert page.get_by_role("link", name="Su trabajo").count() == 1
    assert page.get_by_role("link", name="Unirse / asumir un compromiso").count() == 0
    axe_ok(page)
    page.goto(base + link.group(1))
    axe_ok(page)
    text = page.content()
    assert REASON in text and MESSAGE in text
    assert "INTERNAL-MARK" not in text
    page.get_by_label("Comentario o respuesta a la secretaría").fill(ANSWER)
    page.get_by_role("button", name="Añadir el comentario").click()
    assert ANSWER in page.content() and "INTERNAL-MARK" not in page.content()

    # The reviewer reads her answer beside the internal note.
    reviewer.reload()
    assert ANSWER in reviewer.content() and "INTERNAL-MARK" in reviewer.content()

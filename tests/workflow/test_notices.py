"""Telling people (issue 15): an e-mail on accept, decline, return and verify, with the reason
and a direct link that works, to each of the organisation's people in their own language; the
late list says who can be reached and sends a reminder now."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from adelante.accounts import languages
from adelante.errors import NotAllowed
from adelante.partners.models import Membership
from adelante.workflow import intake, reminders, reporting
from adelante.workflow.models import ReminderSend
from tests import builders
from tests.workflow.conftest import complete_checklist, make_user, screen_and_clear

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 20)


@pytest.fixture
def colleague(partner):
    """María's colleague, who chose Spanish."""
    user = make_user("carlos")
    Membership.objects.create(user=user, partner=partner)
    languages.set_preferred(user=user, language="es")
    return user


def _links(body: str) -> list[str]:
    return re.findall(r"http://testserver(/\S+)", body)


def _by_address() -> dict[str, mail.EmailMessage]:
    return {m.to[0]: m for m in mail.outbox}


def _follow(user, link: str) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(link)
    assert response.status_code == 200, link
    return response.content.decode()


def test_returned_proposal_each_in_their_language_with_a_link_that_works(
    under_review, reviewer, member, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        intake.return_to_partner(
            reviewer=reviewer, proposal=under_review, reason="The amount lacks a source."
        )
    found = _by_address()
    assert set(found) == {"maria@example.org", "carlos@example.org"}
    english, spanish = found["maria@example.org"], found["carlos@example.org"]
    assert "is returned to you" in english.subject and "le ha sido devuelto" in spanish.subject
    for message in (english, spanish):
        assert "The amount lacks a source." in message.body
    [english_link] = _links(english.body)
    [spanish_link] = _links(spanish.body)
    assert english_link.startswith("/en/partner/") and spanish_link.startswith("/es/partner/")
    page = _follow(colleague, spanish_link)
    assert "The amount lacks a source." in page and 'lang="es"' in page


def test_declined_and_accepted(
    under_review,
    reviewer,
    member,
    colleague,
    sdn_list,
    the_round,
    django_capture_on_commit_callbacks,
):
    complete_checklist(reviewer, under_review)
    screen_and_clear(reviewer, under_review)
    with django_capture_on_commit_callbacks(execute=True):
        intake.accept(
            reviewer=reviewer,
            proposal=under_review,
            into=the_round,
            reason="ok",
            past_confirmed=True,
        )
    found = _by_address()
    assert "is accepted" in found["maria@example.org"].subject
    assert "ha sido aceptado" in found["carlos@example.org"].subject
    assert the_round.label in found["maria@example.org"].body
    # The accepted proposal no longer says it waits for a decision.
    page = _follow(member, _links(found["maria@example.org"].body)[0])
    assert "will hear" not in page and "Accepted: this commitment is announced" in page


def test_declined(submitted, reviewer, member, django_capture_on_commit_callbacks):
    proposal = intake.pick_up(reviewer=reviewer, proposal=submitted)
    with django_capture_on_commit_callbacks(execute=True):
        intake.decline(reviewer=reviewer, proposal=proposal, reason="Outside the initiative.")
    [message] = mail.outbox
    assert "is declined" in message.subject and "Outside the initiative." in message.body
    _follow(member, _links(message.body)[0])


def test_nothing_is_sent_for_a_step_that_was_refused(under_review, reviewer, member):
    with pytest.raises(NotAllowed):
        intake.return_to_partner(reviewer=member, proposal=under_review, reason="x")
    assert mail.outbox == []


def test_report_returned_then_verified(
    partner, member, colleague, reviewer, django_capture_on_commit_callbacks
):
    commitment = builders.commitment(partner.name, "100", date(2023, 2, 6))
    report = builders.report(commitment, date(2023, 12, 31), {}, status="submitted")
    with django_capture_on_commit_callbacks(execute=True):
        reporting.return_report(reviewer=reviewer, report=report, reason="Add the evidence.")
    returned = _by_address()
    assert "Add the evidence." in returned["maria@example.org"].body
    assert "ha sido devuelto" in returned["carlos@example.org"].subject
    link = _links(returned["maria@example.org"].body)[0]
    assert link == f"/en/partner/{partner.slug}/reports/{report.pk}/"
    assert "Add the evidence." in _follow(member, link)
    mail.outbox.clear()
    report.refresh_from_db()
    report.status = "submitted"
    report.save()
    with django_capture_on_commit_callbacks(execute=True):
        reporting.verify_report(reviewer=reviewer, report=report, note="internal: phoned them")
    verified = _by_address()
    assert "is verified" in verified["maria@example.org"].subject
    assert "ha sido verificado" in verified["carlos@example.org"].subject
    # The reviewer's note is not a message to the partner.
    assert all("phoned" not in m.body for m in mail.outbox)


def test_a_failed_send_does_not_undo_the_decision(
    under_review, reviewer, member, settings, django_capture_on_commit_callbacks, caplog
):
    settings.EMAIL_BACKEND = "tests.workflow.test_notices.Broken"
    with django_capture_on_commit_callbacks(execute=True):
        intake.return_to_partner(reviewer=reviewer, proposal=under_review, reason="Fix it.")
    under_review.refresh_from_db()
    assert under_review.stage == "returned"
    assert "not sent" in caplog.text


class Broken:
    """An e-mail backend whose server is down."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def open(self) -> None:
        pass

    def close(self) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise OSError("connection refused")


# -- The late list -----------------------------------------------------------------------------


@pytest.fixture
def late(partner, other_partner):
    """Two organisations late with a report: one with people, one with nobody."""
    builders.commitment(partner.name, "100", date(2023, 2, 6), reporting=True)
    builders.commitment(other_partner.name, "100", date(2023, 2, 6), reporting=True)


def test_the_late_list_says_who_can_be_reached(late, member, reviewer, partner, other_partner):
    client = Client()
    client.force_login(reviewer)
    page = client.get(reverse("workflow:late")).content.decode()
    assert "maria@example.org" in page
    assert "Nobody is a member" in page
    assert reverse("accounts:people", kwargs={"partner": other_partner.slug}) in page
    assert reverse("workflow:remind", args=[partner.slug]) in page
    assert reverse("workflow:remind", args=[other_partner.slug]) not in page
    found = reminders.reachable([partner.pk, other_partner.pk])
    assert found[partner.pk].has_members and not found[other_partner.pk].has_members


def test_send_a_reminder_now(late, member, colleague, reviewer, partner, other_partner):
    client = Client()
    client.force_login(reviewer)
    response = client.post(reverse("workflow:remind", args=[partner.slug]), follow=True)
    assert response.status_code == 200
    assert "Reminder sent to 2 people" in response.content.decode()
    found = _by_address()
    assert "OVERDUE" in found["maria@example.org"].body
    assert "ATRASADO" in found["carlos@example.org"].body
    for address, user in (("maria@example.org", member), ("carlos@example.org", colleague)):
        for link in _links(found[address].body):
            _follow(user, link)
    translation.activate("en")  # following a /es/ link left Spanish active in this thread
    # Not the daily digest: that one still goes out.
    assert ReminderSend.objects.count() == 0
    # Nobody to remind: said, nothing sent.
    mail.outbox.clear()
    nobody = client.post(reverse("workflow:remind", args=[other_partner.slug]), follow=True)
    assert "invite someone first" in nobody.content.decode() and mail.outbox == []
    # Partners cannot send reminders (the service refuses, the page is the secretariat's).
    with pytest.raises(NotAllowed):
        reminders.remind_now(user=member, partner=partner, today=TODAY)
    client.force_login(member)
    assert client.post(reverse("workflow:remind", args=[partner.slug])).status_code == 403


def test_a_partners_answer_reaches_the_reviewer_in_their_language(
    under_review, reviewer, member, partner, django_capture_on_commit_callbacks
):
    languages.set_preferred(user=reviewer, language="es")
    client = Client()
    client.force_login(member)
    url = f"/en/partner/{partner.slug}/commitments/{under_review.commitment.reference}/comments/"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"text": "The audit is from 2023."})
    [message] = mail.outbox
    assert message.to == [reviewer.email] and "respondió sobre" in message.subject
    assert "The audit is from 2023." in message.body
    [link] = _links(message.body)
    assert link == f"/es/secretariat/proposals/{under_review.pk}/"
    assert "The audit is from 2023." in _follow(reviewer, link)


def test_an_answer_on_a_report_reaches_whoever_returned_it(
    partner, member, reviewer, django_capture_on_commit_callbacks
):
    commitment = builders.commitment(partner.name, "100", date(2023, 2, 6))
    report = builders.report(commitment, date(2023, 12, 31), {}, status="submitted")
    reporting.return_report(reviewer=reviewer, report=report, reason="Add the invoices.")
    client = Client()
    client.force_login(member)
    url = f"/en/partner/{partner.slug}/commitments/{commitment.reference}/comments/"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"text": "Attached now.", "report": report.pk})
    assert response["Location"] == f"/en/partner/{partner.slug}/reports/{report.pk}/"
    [message] = [m for m in mail.outbox if m.to == [reviewer.email]]
    assert _links(message.body) == [f"/en/secretariat/reports/{report.pk}/"]

"""The daily digest: one e-mail per person with all their items; never twice the same day."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings
from django.utils import translation
from django_tasks_db.models import DBTaskResult

from adelante import siteaddress
from adelante.accounts import languages
from adelante.commitments.choices import Status
from adelante.partners.models import Membership
from adelante.progress.models import ReportStatus
from adelante.workflow import intake, reminders, schedule
from adelante.workflow.models import ReminderSend
from adelante.workflow.tasks import send_digests_task
from tests import builders
from tests.exchange.workers import queued, work
from tests.workflow.conftest import good_input, make_user

pytestmark = pytest.mark.django_db

TODAY = date(2024, 3, 20)  # December 2023's reports are due on 30 March: due soon


@pytest.fixture
def late_partner(partner, member):
    # Two commitments: one overdue for June 2023 and due soon for December, one due soon.
    first = builders.commitment(partner.name, "100", date(2023, 2, 6), reporting=True)
    builders.report(first, date(2023, 12, 31), {"usd_invested": "1"}, status="draft")
    second = builders.commitment(partner.name, "100", date(2023, 5, 1), reporting=True)
    colleague = make_user("carlos")
    Membership.objects.create(user=colleague, partner=partner)
    returned = builders.report(
        second, date(2023, 12, 31), {"usd_invested": "1"}, status=ReportStatus.RETURNED
    )
    return first, second, colleague, returned


def test_items_are_grouped_per_person(late_partner, member, outsider):
    first, second, _colleague, _returned = late_partner
    found = {d.user.username: d for d in reminders.digests(TODAY)}
    assert set(found) == {"maria", "carlos"}  # the outsider's organisation owes nothing
    # One line per commitment: the first is overdue (June 2023) and due soon (December):
    # one "overdue" line counting both, linking to the first missing period.
    kinds = sorted((i.kind, i.title, i.count) for i in found["maria"].items)
    assert kinds == sorted(
        [
            ("overdue", first.title, 2),
            ("report_returned", second.title, 0),
        ]
    )
    overdue = next(i for i in found["maria"].items if i.kind == "overdue")
    assert overdue.period_end == date(2023, 6, 30)
    assert overdue.path == f"/en/partner/{first.partner.slug}/commitments/{first.reference}/report/"
    assert [i.kind for i in found["carlos"].items] == [i.kind for i in found["maria"].items]


@pytest.mark.parametrize("status", [Status.WITHDRAWN, Status.COMPLETED])
def test_no_reminder_for_a_commitment_that_takes_no_reports(partner, member, status):
    # Late for June 2023, but withdrawn or completed since: no report can be submitted, so
    # nobody is asked for one; its public light still shows the period it missed.
    gone = builders.commitment(
        partner.name,
        "100",
        date(2023, 2, 6),
        status=status,
        withdrawn_on=date(2024, 1, 15) if status == Status.WITHDRAWN else None,
        reporting=True,
    )
    assert reminders.digests(TODAY) == []
    assert schedule.status_of(gone, TODAY).overdue


def test_one_email_per_person_and_never_twice_a_day(late_partner, member):
    summary = reminders.send_digests(TODAY)
    assert summary.sent == 2 and summary.items == 4
    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["maria@example.org"])
    assert "OVERDUE" in message.body and "2 progress reports missing" in message.body
    assert "Returned to you" in message.body
    assert message.subject.startswith("Adelante: 2 items need your attention")
    # The site's address from configuration (SITE_URL), never the development server's.
    assert "http://testserver/en/partner/" in message.body
    assert "127.0.0.1" not in message.body
    again = reminders.send_digests(TODAY)
    assert again.sent == 0 and again.already == 2
    assert len(mail.outbox) == 2
    assert ReminderSend.objects.count() == 2
    # The next day, they hear again.
    reminders.send_digests(date(2024, 3, 21))
    assert len(mail.outbox) == 4


def test_the_secretariat_hears_of_what_waits_for_review(member, partner, reviewer):
    proposal = intake.create_proposal(user=member, partner=partner, data=good_input())
    intake.submit(user=member, proposal=proposal)
    builders.commitment("Late Co", "100", date(2023, 2, 6), reporting=True)
    found = {d.user.username: d for d in reminders.digests(TODAY)}
    kinds = [i.kind for i in found["rita"].items]
    assert kinds == ["review_proposal", "late_summary"]
    assert found["rita"].items[1].path == "/en/secretariat/late/"
    assert found["rita"].items[1].count == 1


def test_nobody_without_an_address_or_inactive(late_partner, member):
    member.email = ""
    member.save()
    User.objects.filter(username="carlos").update(is_active=False)
    assert reminders.digests(TODAY) == []


def test_spanish_digest(late_partner):
    reminders.send_digests(TODAY, language="es", base_url="https://adelante.example.org")
    body = mail.outbox[0].body
    assert "https://adelante.example.org/es/partner/" in body
    assert "ATRASADO" in body and "2 informes de avance pendientes" in body


def test_each_digest_in_its_readers_language_with_links_that_work(late_partner, member, client):
    # María chose Spanish; Carlos chose nothing and gets the run's language (English).
    languages.set_preferred(user=member, language="es")
    reminders.send_digests(TODAY, language="en")
    by_address = {m.to[0]: m for m in mail.outbox}
    spanish, english = by_address["maria@example.org"], by_address["carlos@example.org"]
    assert "Hola" in spanish.body and "necesitan su atención" in spanish.subject
    assert "Hello" in english.body and "need your attention" in english.subject
    links = re.findall(r"http://testserver(/\S+)", spanish.body)
    assert links and all(link.startswith("/es/") for link in links)
    english_links = re.findall(r"http://testserver(/\S+)", english.body)
    assert english_links and all(link.startswith("/en/") for link in english_links)
    client.force_login(member)
    for link in links:
        assert client.get(link).status_code == 200, link


def test_plurals_in_both_languages(partner, member):
    # One commitment, one missing report, one item: singular everywhere.
    builders.commitment(partner.name, "100", date(2023, 5, 1), reporting=True)
    digest = reminders.digests(TODAY)[0]
    assert len(digest.items) == 1 and digest.items[0].count == 1
    with translation.override("en"):
        subject, body = reminders.render(digest, TODAY, "https://a.example")
    assert "1 item needs your attention" in subject and "1 items" not in subject
    assert "1 progress report, due on" in body
    with translation.override("es"):
        subject, body = reminders.render(digest, TODAY, "https://a.example")
    assert "1 elemento necesita su atención" in subject
    assert "1 informe de avance, con vencimiento" in body
    assert str(reminders.SendSummary(1, 1, 1)) == (
        "1 digest sent (1 items); 1 person had theirs today already."
    )


@override_settings(SITE_URL="", DEBUG=False)
def test_without_a_site_address_the_command_refuses_in_one_line(late_partner):
    with pytest.raises(CommandError) as refused:
        call_command("send-reminders", "--date", TODAY.isoformat())
    assert "SITE_URL must be set" in str(refused.value) and "\n" not in str(refused.value)
    assert mail.outbox == []
    assert siteaddress.check_site_url()[0].id == "adelante.E001"
    # `adelante check --deploy` says so; the other commands run without it.
    with pytest.raises(SystemCheckError, match="SITE_URL must be set"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
    call_command("check")


@override_settings(SITE_URL="", DEBUG=True)
def test_in_development_the_address_is_the_development_servers():
    assert siteaddress.site_url() == "http://127.0.0.1:8000"
    assert siteaddress.check_site_url() == []


def test_the_address_comes_from_the_environment():
    assert siteaddress.from_environment({"SITE_URL": "https://a.example/"}, debug=False) == (
        "https://a.example"
    )
    assert siteaddress.from_environment({"ADELANTE_SITE_URL": "https://b.example"}, debug=False)
    assert siteaddress.from_environment({}, debug=False) == ""
    assert siteaddress.problem("ftp://x") and siteaddress.problem("")


def test_command(late_partner, capsys):
    call_command("send-reminders", "--date", TODAY.isoformat())
    assert "2 digests sent" in capsys.readouterr().out
    call_command("send-reminders", "--date", TODAY.isoformat())
    assert "2 people had theirs today already" in capsys.readouterr().out
    assert len(mail.outbox) == 2
    call_command("send-reminders", "--date", "2024-03-22", "--dry-run")
    assert len(mail.outbox) == 2


def test_queued_digests_are_sent_by_a_worker_once(late_partner, capsys):
    # `send-reminders --queue` only queues the task; a worker sends the digests.
    call_command("send-reminders", "--date", TODAY.isoformat(), "--queue")
    assert "queued the digests of 2024-03-20" in capsys.readouterr().out
    assert queued() == 1 and mail.outbox == []
    assert work() == 1
    assert len(mail.outbox) == 2 and ReminderSend.objects.count() == 2
    # The task run again (delivered twice, queued again, or the command run inline after
    # it): nothing more is sent.
    send_digests_task.enqueue(TODAY.isoformat(), "en")
    call_command("send-reminders", "--date", TODAY.isoformat(), "--queue")
    assert work() == 2
    call_command("send-reminders", "--date", TODAY.isoformat())
    assert len(mail.outbox) == 2 and ReminderSend.objects.count() == 2
    result = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert result is not None and result.status == "SUCCESSFUL"


def test_queue_and_dry_run_do_not_go_together(late_partner):
    with pytest.raises(CommandError, match="choose one"):
        call_command("send-reminders", "--queue", "--dry-run")
    assert queued() == 0

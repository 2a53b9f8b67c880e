"""The join form: honeypot, per-address limit, e-mail confirmation, escaping; the
secretariat's screening and decision."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from adelante.accounts import joining
from adelante.accounts.models import Invitation, JoinRequest, JoinStatus
from adelante.partners.models import Partner
from tests.accounts.conftest import Cast

pytestmark = pytest.mark.django_db

FORM = {
    "organisation_name": "Café Bueno S.A.",
    "organisation_type": "company",
    "country": "Guatemala",
    "contact_name": "Ana Pérez",
    "contact_email": "ana@cafebueno.example",
    "intends": "Buy coffee from 2,000 smallholders in Huehuetenango over five years.",
}


def _confirm_link(mail) -> str:
    found = re.search(r"https?://[^/\s]+(/en/join/confirm/[^/\s]+/)", mail.body)
    assert found, mail.body
    return found.group(1)


def _confirmed(client, mailoutbox, **changes: str) -> JoinRequest:
    client.post("/en/join/", {**FORM, **changes})
    link = _confirm_link(mailoutbox[-1])
    client.post(link)
    return JoinRequest.objects.latest("pk")


def test_a_request_is_queued_only_once_confirmed(client, db, mailoutbox) -> None:
    assert client.get("/en/join/").status_code == 200
    response = client.post("/en/join/", FORM)
    assert response["Location"] == "/en/join/sent/"
    made = JoinRequest.objects.get()
    assert made.status == JoinStatus.UNCONFIRMED
    assert not joining.queue().exists()
    assert mailoutbox[0].to == ["ana@cafebueno.example"]
    link = _confirm_link(mailoutbox[0])
    page = client.get(link)
    assert page.status_code == 200 and "Confirm the request" in page.content.decode()
    assert JoinRequest.objects.get().status == JoinStatus.UNCONFIRMED  # GET changes nothing
    assert client.post(link).status_code == 200
    made.refresh_from_db()
    assert made.status == JoinStatus.NEW and made.confirmed_at is not None
    assert list(joining.queue()) == [made]
    # Confirming again changes nothing.
    client.post(link)
    assert made.history.count() == 2
    assert client.get("/en/join/confirm/forged-token/").status_code == 410


def test_the_honeypot_keeps_nothing_and_sends_nothing(client, db, mailoutbox) -> None:
    response = client.post("/en/join/", {**FORM, "website": "http://spam.example"})
    assert response["Location"] == "/en/join/sent/"
    assert not JoinRequest.objects.exists()
    assert mailoutbox == []


@override_settings(ADELANTE_JOIN_REQUESTS_PER_ADDRESS=2)
def test_requests_are_limited_per_address(client, db, mailoutbox) -> None:
    for _n in range(2):
        assert client.post("/en/join/", FORM, REMOTE_ADDR="198.51.100.1").status_code == 302
    limited = client.post("/en/join/", FORM, REMOTE_ADDR="198.51.100.1")
    assert limited.status_code == 429
    assert "try again in" in limited.content.decode()
    assert JoinRequest.objects.count() == 2
    assert client.post("/en/join/", FORM, REMOTE_ADDR="198.51.100.2").status_code == 302


def test_bad_input_is_shown_not_kept(client, db) -> None:
    response = client.post("/en/join/", {**FORM, "contact_email": "not an address"})
    assert response.status_code == 400
    assert not JoinRequest.objects.exists()


def test_script_tags_are_escaped(client, cast: Cast, mailoutbox) -> None:
    script = "<script>alert('x')</script>"
    made = _confirmed(client, mailoutbox, organisation_name=f"Evil {script}", intends=script)
    client.force_login(cast.reviewer)
    for url in ("/en/secretariat/join-requests/", f"/en/secretariat/join-requests/{made.pk}/"):
        page = client.get(url).content.decode()
        assert script not in page
        assert "&lt;script&gt;" in page


def test_screen_then_accept_creates_the_partner_and_invites(client, cast: Cast, mailoutbox) -> None:
    made = _confirmed(client, mailoutbox)
    client.force_login(cast.reviewer)
    url = f"/en/secretariat/join-requests/{made.pk}/"
    page = client.get(url)
    version = page.context["form"]["version"].value()
    too_soon = client.post(url, {"action": "invite", "version": version})
    assert "Screen the organisation first" in too_soon.content.decode()
    no_note = client.post(
        url, {"action": "screen", "screening_outcome": "false_positive", "version": version}
    )
    assert "needs a note" in no_note.content.decode()
    client.post(
        url,
        {
            "action": "screen",
            "screening_outcome": "false_positive",
            "screening_note": "SDN hit on 'Cafe Bueno' is a Colombian firm; different address.",
            "version": version,
        },
    )
    made.refresh_from_db()
    assert made.status == JoinStatus.SCREENING and made.screened_by == cast.reviewer
    version = client.get(url).context["form"]["version"].value()
    done = client.post(url, {"action": "invite", "decision_reason": "welcome", "version": version})
    assert done.status_code == 302
    made.refresh_from_db()
    assert made.status == JoinStatus.INVITED
    partner = Partner.objects.get(pk=made.partner_id)
    assert partner.name == "Café Bueno S.A." and partner.normalised_name == "cafe bueno"
    invitation = Invitation.objects.get(partner=partner)
    assert invitation.email == "ana@cafebueno.example" and invitation.role == "admin"
    assert mailoutbox[-1].to == ["ana@cafebueno.example"]
    last = made.history.first()
    assert last.history_user == cast.reviewer and last.history_change_reason == "welcome"


def test_an_existing_partner_is_matched_by_name(cast: Cast) -> None:
    made = JoinRequest.objects.create(
        organisation_name="ACME FOODS, Inc.",
        organisation_type="company",
        country="US",
        contact_name="x",
        contact_email="x@acme.example",
        intends="more",
        status=JoinStatus.NEW,
    )
    assert joining.partner_for(made) == (cast.partner, False)


def test_decline_needs_a_reason(client, cast: Cast, mailoutbox) -> None:
    made = _confirmed(client, mailoutbox)
    client.force_login(cast.secretariat_admin)
    url = f"/en/secretariat/join-requests/{made.pk}/"
    version = client.get(url).context["form"]["version"].value()
    assert (
        "Give the reason"
        in client.post(url, {"action": "decline", "version": version}).content.decode()
    )
    client.post(url, {"action": "decline", "decision_reason": "Not in scope.", "version": version})
    made.refresh_from_db()
    assert made.status == JoinStatus.DECLINED


def test_only_the_secretariat_sees_the_requests(client, cast: Cast, mailoutbox) -> None:
    made = _confirmed(client, mailoutbox)
    for user in (cast.member, cast.partner_admin, cast.government):
        client.force_login(user)
        assert client.get("/en/secretariat/join-requests/").status_code == 403
        assert client.get(f"/en/secretariat/join-requests/{made.pk}/").status_code == 403


def test_the_form_and_its_e_mail_name_the_primary_initiative_from_its_record(
    client, mailoutbox
) -> None:
    """The installation's join form (one for all its initiatives, at /<lang>/join/) names the
    primary initiative as its record names it, in the reader's language: no name in code."""
    from adelante.initiatives import scope
    from adelante.initiatives.models import Initiative

    scope.primary()
    Initiative.objects.filter(primary=True).update(name="Ocean Pact", name_es="Pacto Oceánico")
    assert "Join Ocean Pact" in client.get("/en/join/").content.decode()
    assert "Únase a Pacto Oceánico" in client.get("/es/join/").content.decode()
    assert "Join Ocean Pact" in client.get("/en/accounts/sign-in/").content.decode()

    client.post("/en/join/", FORM)
    mail = mailoutbox[-1]
    assert mail.subject == "Please confirm your request to join Ocean Pact"
    assert "thank you for your request to join Ocean Pact for Café Bueno S.A." in mail.body

    client.post("/es/join/", {**FORM, "contact_email": "b@cafebueno.example"})
    assert mailoutbox[-1].subject == "Confirme su solicitud de adhesión a Pacto Oceánico"
    assert "adhesión a Pacto Oceánico en nombre de" in mailoutbox[-1].body

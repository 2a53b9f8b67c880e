"""Invitations: who may invite, the e-mailed link, single use, expiry, withdrawal."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import override_settings
from django.utils import timezone

from adelante.accounts import invitations
from adelante.accounts.models import Invitation
from adelante.partners.models import Membership, MembershipRole
from tests.accounts.conftest import PASSWORD, Cast

pytestmark = pytest.mark.django_db
CHOSEN = "my own pass phrase 2024"


def _people(cast: Cast) -> str:
    return f"/en/accounts/partners/{cast.partner.slug}/people/"


def _link(mail) -> str:
    found = re.search(r"https?://[^/\s]+(/en/accounts/invitations/[^/\s]+/)", mail.body)
    assert found, mail.body
    return found.group(1)


def test_a_partner_admin_invites_and_the_invitee_joins(client, cast: Cast, mailoutbox) -> None:
    client.force_login(cast.partner_admin)
    response = client.post(_people(cast), {"email": "New.Person@Example.org", "role": "member"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["New.Person@example.org"]
    # The initiative as its record names it (no name in the template).
    assert "the record of commitments to Central America Forward, as" in mailoutbox[0].body
    link = _link(mailoutbox[0])
    client.post("/en/accounts/sign-out/")

    page = client.get(link)
    assert page.status_code == 200
    assert "Join Acme Foods on Adelante" in page.content.decode()
    mismatch = client.post(link, {"password1": CHOSEN, "password2": "different"})
    assert mismatch.status_code == 400
    accepted = client.post(link, {"name": "New", "password1": CHOSEN, "password2": CHOSEN})
    assert accepted["Location"] == "/en/accounts/work/"
    user = User.objects.get(email="New.Person@example.org")
    assert user.check_password(CHOSEN)
    assert Membership.objects.get(user=user).partner == cast.partner
    assert "Partner member of Acme Foods" in client.get("/en/accounts/").content.decode()
    invitation = Invitation.objects.get()
    assert invitation.accepted_by == user
    assert invitation.history.first().history_user == user

    # Used once: the link is refused afterwards, signed in or not.
    client.post("/en/accounts/sign-out/")
    replay = client.get(link)
    assert replay.status_code == 410
    assert "used already" in replay.content.decode()
    again = client.post(link, {"password1": "x pass phrase 1", "password2": "x pass phrase 1"})
    assert again.status_code == 410


def test_an_expired_invitation_is_refused(client, cast: Cast) -> None:
    invitation = invitations.invite(cast.partner, "late@example.org", days=7)
    link = invitations.link_path(invitation)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=8), tick=False):
        response = client.get(link)
        assert response.status_code == 410
        assert "expired" in response.content.decode()
        post = client.post(link, {"password1": CHOSEN, "password2": CHOSEN})
        assert post.status_code == 410
    assert not User.objects.filter(email="late@example.org").exists()


def test_a_tampered_or_replaced_link_is_refused(client, cast: Cast) -> None:
    first = invitations.invite(cast.partner, "twice@example.org")
    first_link = invitations.link_path(first)
    assert client.get(first_link[:-5] + "abcd/").status_code == 410
    invitations.invite(cast.partner, "twice@example.org")  # replaces the first
    assert "replaced" in client.get(first_link).content.decode()


def test_an_existing_account_signs_in_then_accepts(client, cast: Cast) -> None:
    invitation = invitations.invite(
        cast.other_partner, cast.member.email, MembershipRole.ADMIN, invited_by=cast.reviewer
    )
    link = invitations.link_path(invitation)
    assert client.get(link)["Location"].startswith("/en/accounts/sign-in/?next=")
    client.post("/en/accounts/sign-in/", {"username": "member", "password": PASSWORD})
    assert client.post(link).status_code == 302
    assert Membership.objects.get(user=cast.member, partner=cast.other_partner).role == "admin"


def test_only_partner_admins_and_the_secretariat_invite(client, cast: Cast) -> None:
    for user, status in (
        (cast.member, 403),
        # Not members: the organisation's page is not there (issue 10: was 403).
        (cast.other_member, 404),
        (cast.government, 404),
        (cast.partner_admin, 200),
        (cast.reviewer, 200),
    ):
        client.force_login(user)
        assert client.get(_people(cast)).status_code == status, user
        post = client.post(_people(cast), {"email": "x@example.org", "role": "admin"})
        assert post.status_code == (302 if status == 200 else status)
    client.force_login(cast.partner_admin)
    assert client.get("/en/accounts/partners/no-such-partner/people/").status_code == 404


@override_settings(ADELANTE_INVITATIONS_PER_EMAIL=3, ADELANTE_INVITATIONS_PER_ADDRESS=50)
def test_resending_invitations_to_one_address_is_limited(client, cast: Cast, mailoutbox) -> None:
    client.force_login(cast.partner_admin)
    statuses = [
        client.post(_people(cast), {"email": "Flooded@Example.org", "role": "member"}).status_code
        for _n in range(3)
    ]
    assert statuses == [302, 302, 302]
    refused = client.post(_people(cast), {"email": "flooded@example.org", "role": "member"})
    assert refused.status_code == 429
    assert "Too many invitations to this address" in refused.content.decode()
    assert len(mailoutbox) == 3
    # Another address is not held up.
    assert (
        client.post(_people(cast), {"email": "x@example.org", "role": "member"}).status_code == 302
    )


@override_settings(ADELANTE_INVITATIONS_PER_EMAIL=10, ADELANTE_INVITATIONS_PER_ADDRESS=2)
def test_invitations_from_one_client_address_are_limited(client, cast: Cast, mailoutbox) -> None:
    client.force_login(cast.reviewer)
    for n in range(2):
        sent = client.post(_people(cast), {"email": f"p{n}@example.org", "role": "member"})
        assert sent.status_code == 302
    refused = client.post(_people(cast), {"email": "p9@example.org", "role": "member"})
    assert refused.status_code == 429
    assert len(mailoutbox) == 2
